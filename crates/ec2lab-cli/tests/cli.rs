//! The `ec2lab` binary as a user runs it.

use std::process::Command;

use expect_test::expect;

fn ec2lab(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_ec2lab"))
        .args(args)
        .output()
        .expect("ec2lab runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn show_prints_the_default_lab() {
    let (status, stdout, _) = ec2lab(&["show"]);
    assert_eq!(status, 0);
    assert_eq!(stdout, ec2lab_sim::default_lab().to_string());
}

#[test]
fn show_one_region() {
    let (status, stdout, _) = ec2lab(&["show", "--region", "eu-west-1"]);
    assert_eq!(status, 0);
    expect![[r#"
        Region eu-west-1 (Europe (Ireland)): no resources
    "#]]
    .assert_eq(&stdout);
}

#[test]
fn an_unknown_region_is_a_usage_error_that_names_the_known_ones() {
    let (status, stdout, stderr) = ec2lab(&["show", "--region", "mars-1"]);
    assert_eq!((status, stdout.as_str()), (2, ""));
    expect![[r#"
        ec2lab: unknown Region 'mars-1'; the lab simulates us-east-1, us-west-2, eu-west-1
    "#]]
    .assert_eq(&stderr);
}

#[test]
fn check_pack_proves_the_builtin_catalogue() {
    let (code, stdout, stderr) = ec2lab(&["check-pack", "--builtin"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    let summary = stdout.lines().last().unwrap_or_default();
    expect!["27 exercises: 27 sound, 0 unsound"].assert_eq(summary);
}

#[test]
fn check_pack_reports_an_unsound_pack_with_status_1_and_a_broken_one_with_2() {
    let dir = std::env::temp_dir().join(format!("ec2lab-check-pack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let unsound = dir.join("unsound.json");
    std::fs::write(
        &unsound,
        r#"{"format": "ec2lab-exercises/1", "exercises": [{"id": "already-open", "track": "sg-vs-nacl",
  "title": "t", "brief": "b",
  "goals": [{"name": "web", "check": {"check": "flow", "from": "internet:203.0.113.9", "to": "web-1", "protocol": "tcp", "port": 80, "expect": "served"}}],
  "hints": ["one", "two"], "solution": ["lab advance --seconds 1"],
  "wrong_attempts": [{"lines": ["lab advance --seconds 1"], "feedback": "f", "unmet": ["web"]}],
  "explanation": {"text": "x", "behaviour": ["A3"]}}]}"#,
    )
    .expect("the pack is written");
    let broken = dir.join("broken.json");
    std::fs::write(
        &broken,
        r#"{"format": "ec2lab-exercises/1", "exercises": [{"id": "x"}]}"#,
    )
    .expect("the pack is written");
    let (code, stdout, _) = ec2lab(&["check-pack", unsound.to_str().unwrap_or_default()]);
    assert_eq!(code, 1);
    expect![[r#"
        FAIL already-open: 1 goal, 1 wrong attempt
          - goal 'web' is already met at the start: TCP port 80 from the internet (203.0.113.9) to web-1 is answered by a service (delivered both ways; httpd answers)
          - wrong attempt 1 meets goal 'web', which it should leave unmet: TCP port 80 from the internet (203.0.113.9) to web-1 is answered by a service (delivered both ways; httpd answers)
        1 exercise: 0 sound, 1 unsound
    "#]]
    .assert_eq(&stdout);
    let (code, _, stderr) = ec2lab(&["check-pack", broken.to_str().unwrap_or_default()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "broken.json:1:48: exercise 'x' at $.exercises[0].track: missing field `track`"
        ),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
