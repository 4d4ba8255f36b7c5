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
