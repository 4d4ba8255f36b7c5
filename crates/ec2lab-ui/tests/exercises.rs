//! Exercises in the lab: every built-in exercise starts from its setup with
//! every goal unmet, its solution as the panel shows it (console lines, run
//! as the learner's "Run" buttons run them) meets every goal, and a lab for
//! an exercise saves and loads as that exercise.

use ec2lab_ui::engine;
use ec2lab_ui::model::{Action, Lab};

fn checklist(lab: &Lab) -> engine::Checked {
    let engine = engine::loaded().expect("linked in");
    let exercise = lab.exercise.as_ref().expect("an exercise lab");
    (engine.check)(&lab.world, &lab.connections, exercise)
}

/// Starts an exercise and runs these console lines in it.
fn started_and_run(id: &str, seed: u64, steps: &[(String, Option<String>)]) -> Lab {
    let engine = engine::loaded().expect("linked in");
    let (exercise, world) = (engine.start)(id, seed).expect("starts");
    let mut lab = Lab::for_exercise(exercise, world);
    for (step, _) in steps {
        lab.perform(&Action::Console { line: step.clone() })
            .expect("the step applies");
    }
    lab
}

/// An exercise's reference solution, as the panel shows it.
fn solution(id: &str, seed: u64) -> Vec<(String, Option<String>)> {
    let engine = engine::loaded().expect("linked in");
    (engine.start)(id, seed).expect("starts").0.solution
}

#[test]
fn every_exercise_is_solved_by_the_steps_the_panel_shows() {
    let engine = engine::loaded().expect("linked in");
    let list = (engine.exercises)();
    assert!(list.len() >= 20, "{} exercises", list.len());
    let mut failures = Vec::new();
    for summary in &list {
        let (exercise, world) = (engine.start)(&summary.id, 7).expect("starts");
        let steps = exercise.solution.clone();
        let mut lab = Lab::for_exercise(exercise, world);
        let start = checklist(&lab);
        assert!(!start.goals.is_empty(), "{}: no goals", summary.id);
        if start.goals.iter().all(|g| g.1) {
            failures.push(format!("{}: solved before anything was done", summary.id));
        }
        for (step, refused) in &steps {
            match (
                lab.perform(&Action::Console { line: step.clone() }),
                refused,
            ) {
                (Ok(()), None) => {}
                (Err(e), Some(code)) if e.code == *code => {}
                (result, _) => failures.push(format!(
                    "{}: `{step}`: {result:?}, meant to be refused with {refused:?}",
                    summary.id
                )),
            }
        }
        for (goal, met, reason) in checklist(&lab).goals {
            if !met {
                failures.push(format!(
                    "{}: after the solution, unmet: {goal} ({reason})",
                    summary.id
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_exercise_lab_saves_and_loads_as_that_exercise() {
    let engine = engine::loaded().expect("linked in");
    let first = (engine.exercises)()
        .into_iter()
        .next()
        .expect("an exercise");
    let (exercise, world) = (engine.start)(&first.id, 42).expect("starts");
    let lab = Lab::for_exercise(exercise, world);
    let text = ec2lab_ui::saved::save(&lab);
    assert!(
        text.starts_with(&format!("ec2lab-lab 2\nexercise\t{}\t42\n", first.id)),
        "{text}"
    );
    assert!(ec2lab_ui::saved::needs_console(&text));
    let loaded = ec2lab_ui::saved::load(&text).expect("loads");
    assert_eq!(loaded.world, lab.world);
    assert_eq!(loaded.exercise, lab.exercise);

    let hostile = "ec2lab-lab 2\nexercise\tno-such-exercise\t1\n";
    let e = ec2lab_ui::saved::load(hostile).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "line 2: exercise 'no-such-exercise': there is no exercise 'no-such-exercise'"
    );
}

/// The complete example of `docs/exercise-format.md`: an instructor's pack.
fn doc_pack() -> String {
    let doc = include_str!("../../../docs/exercise-format.md");
    let start = doc.find("## A complete example").expect("the example");
    let body = &doc[start..];
    let open = body.find("```json\n").expect("a JSON block") + "```json\n".len();
    let close = body[open..].find("```").expect("its end");
    body[open..open + close].to_owned()
}

#[test]
fn an_instructors_pack_is_offered_beside_the_catalogue_and_travels_with_its_lab() {
    let engine = engine::loaded().expect("linked in");
    let text = doc_pack();
    let pack = (engine.load_pack)(&text).expect("the example is sound");
    assert_eq!(pack.title, "SSH for the admin");
    let list = (engine.exercises)();
    let last = list.last().expect("exercises");
    assert_eq!(
        (last.id.as_str(), last.pack.as_deref()),
        ("open-ssh", Some("SSH for the admin"))
    );
    assert!(list.iter().filter(|e| e.pack.is_none()).count() >= 20);

    let lab = started_and_run("open-ssh", 3, &solution("open-ssh", 3));
    assert!(checklist(&lab).goals.iter().all(|g| g.1));
    let saved = ec2lab_ui::saved::save(&lab);
    assert!(saved.starts_with("ec2lab-lab 2\npack\t{\\n  \"format\": \"ec2lab-exercises/1\","));
    let tail = &saved[saved.find("\nexercise").expect("an exercise line") + 1..];
    expect_test::expect![[r#"
        exercise	open-ssh	3
        region us-east-1
        console	aws ec2 authorize-security-group-ingress --group-id sg-0555c95dd130af3af --protocol tcp --port 22 --cidr 192.0.2.69/32
        view us-east-1
    "#]].assert_eq(tail);

    // Where the pack was never loaded (a share link in another browser),
    // the lab brings it along.
    (engine.drop_pack)("SSH for the admin");
    assert!((engine.exercises)().iter().all(|e| e.pack.is_none()));
    let loaded = ec2lab_ui::saved::load(&saved).expect("loads with its pack");
    assert_eq!(loaded.world, lab.world);
    assert_eq!(loaded.exercise, lab.exercise);
    assert!(checklist(&loaded).goals.iter().all(|g| g.1));
    (engine.drop_pack)("SSH for the admin");
}

#[test]
fn a_pack_that_is_not_sound_or_not_a_pack_is_refused_saying_where() {
    let engine = engine::loaded().expect("linked in");
    let good = doc_pack();
    let refuse = |text: &str| (engine.load_pack)(text).expect_err("refused");
    let mut said = vec![
        refuse("{\"format\": \"ec2lab-exercises/1\", \"exercises\": [}"),
        refuse(&good.replace("\"check\": \"flow\"", "\"check\": \"flw\"")),
        refuse(&good.replace("\"id\": \"open-ssh\"", "\"id\": \"sg-open-web\"")),
        refuse(&good.replace(
            "--port 22 --cidr {{admin}}/32",
            "--port 2222 --cidr {{admin}}/32",
        )),
        refuse("{\"format\": \"ec2lab-exercises/1\", \"title\": \"empty\", \"exercises\": []}"),
        refuse(&" ".repeat(2 << 20)),
    ];
    // A hostile pack line in a saved lab is refused with its line.
    let hostile = format!(
        "ec2lab-lab 2\npack\t{}\nexercise\topen-ssh\t1\n",
        ec2lab_ui::saved::esc(&good.replace(
            "\"format\": \"ec2lab-exercises/1\"",
            "\"format\": \"ec2lab-exercises/9\""
        ))
    );
    said.push(
        ec2lab_ui::saved::load(&hostile)
            .expect_err("refused")
            .to_string(),
    );
    expect_test::expect![[r#"
        line 1 column 48: not JSON: expected value at line 1 column 48
        line 15 column 30: exercise 'open-ssh' at $.exercises[0].goals[0].check: unknown variant `flw`, expected one of `flow`, `instance`, `volume`, `snapshot`, `image`, `security_group`, `security_group_rule`, `network_acl`, `network_acl_entry`, `file`, `bill`, `encryption_by_default`, `launch_template`, `image_build`, `all`, `any`, `not`
        exercise 'sg-open-web' has the id of a built-in exercise; give it an id of its own
        it is not sound: exercise 'open-ssh': seed 0: the solution leaves goal 'admin-in' unmet: TCP port 22 from the internet (192.0.2.96) to web-1 is answered by a service (the request is dropped by SecurityGroup sg-0555c95dd130af3af inbound) (and 5 more problems) (ec2lab check-pack on the file lists every problem)
        the pack has no exercises
        the file is 2048 KB; the lab reads packs of up to 1024 KB
        line 2: the lab's exercise pack: line 2 column 3: $.format: this lab reads format "ec2lab-exercises/1", not "ec2lab-exercises/9""#]].assert_eq(&said.join("\n"));
    assert!(
        (engine.exercises)().iter().all(|e| e.pack.is_none()),
        "nothing was loaded"
    );
}

#[test]
fn a_lab_is_judged_by_the_version_of_the_pack_it_was_started_from() {
    let engine = engine::loaded().expect("linked in");
    let first = doc_pack();
    (engine.load_pack)(&first).expect("the example is sound");
    let steps = solution("open-ssh", 3);
    let lab = started_and_run("open-ssh", 3, &steps);
    let solved = |lab: &Lab| checklist(lab).goals.iter().all(|g| g.1);
    assert!(solved(&lab));
    // The instructor hands out a new version: the admin moved network.
    let second = first.replace(
        "\"cidr\": \"192.0.2.0/24\"",
        "\"cidr\": \"198.51.100.0/24\"",
    );
    assert_ne!(first, second);
    (engine.load_pack)(&second).expect("the new version is sound");
    assert!(
        solved(&lab),
        "the open lab is still judged by the goals it was given"
    );
    // A new start is the new version, which the old solution does not solve.
    let fresh = started_and_run("open-ssh", 3, &steps);
    assert!(!solved(&fresh));
    (engine.drop_pack)("SSH for the admin");
    assert!(solved(&lab), "nor does dropping the pack change the judge");
}
