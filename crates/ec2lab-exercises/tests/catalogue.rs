//! The built-in catalogue is sound: every exercise's setup applies, its
//! goals are unmet at the start, its solution meets them all, and each
//! known wrong attempt does not (for several seeds where it has
//! parameters). The same check as `ec2lab check-pack --builtin`.

use ec2lab_exercises::{check_pack, try_builtin, Track};

#[test]
fn the_builtin_catalogue_is_sound() {
    let pack = try_builtin().expect("the catalogue files parse");
    let report = check_pack(&pack);
    assert!(report.is_sound(), "{report}");
}

#[test]
fn the_catalogue_covers_every_track_with_at_least_twenty_exercises() {
    let pack = try_builtin().expect("the catalogue files parse");
    let mut counts = String::new();
    for track in Track::ALL {
        let n = pack
            .exercises
            .iter()
            .filter(|t| t.preview.track == track)
            .count();
        counts.push_str(&format!("{}: {n}\n", track.title()));
    }
    expect_test::expect![[r#"
        AMI vs snapshot: 8
        User data vs AMI: 6
        Security groups vs network ACLs: 8
        Storage: 5
    "#]]
    .assert_eq(&counts);
    assert!(pack.exercises.len() >= 20);
}

#[test]
fn every_exercise_cites_the_behaviour_reference_and_names_its_concept() {
    let pack = try_builtin().expect("the catalogue files parse");
    for template in &pack.exercises {
        let e = &template.preview;
        assert!(e.hints.len() >= 2, "{}", e.id);
        assert!(!e.wrong_attempts.is_empty(), "{}", e.id);
        assert!(!e.explanation.behaviour.is_empty(), "{}", e.id);
    }
}

/// The four seed notes the lab corrects each have an exercise in which the
/// learner meets the truth.
#[test]
fn each_seed_misconception_has_its_moment() {
    let pack = try_builtin().expect("the catalogue files parse");
    for id in [
        "snapshots-not-encrypted-by-default",
        "nacl-default-vs-custom",
        "user-data-runs-once",
        "seven-volume-types",
    ] {
        assert!(pack.get(id).is_some(), "{id} is missing");
    }
}

#[test]
fn parameters_differ_between_seeds_and_repeat_for_the_same_seed() {
    let pack = try_builtin().expect("the catalogue files parse");
    let template = pack
        .get("nacl-block-attacker")
        .expect("the exercise exists");
    let briefs: Vec<String> = (0..3)
        .map(|seed| template.instantiate(seed).expect("instantiates").brief)
        .collect();
    assert_ne!(briefs[0], briefs[1]);
    assert_eq!(
        briefs[0],
        template.instantiate(0).expect("instantiates").brief
    );
    expect_test::expect!["198.51.100.164 is hammering web-1's HTTP port. Block that one address from web-1 while everyone else (203.0.113.14, for example) still gets the page."]
    .assert_eq(&briefs[0]);
}
