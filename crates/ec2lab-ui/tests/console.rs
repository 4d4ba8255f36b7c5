//! The console: lines run through `Lab::perform` as the `ec2lab` command
//! runs them; changes are logged and undone like any action, reads print
//! and change nothing; Tab completes as far as the candidates agree.

use ec2lab_sim::{default_lab, DEFAULT_REGION};
use ec2lab_ui::console_view::{complete_line, with_format};
use ec2lab_ui::model::{Action, Lab};
use expect_test::expect;

fn console(lab: &Lab) -> String {
    lab.console
        .iter()
        .map(|e| {
            format!(
                "$ {}{}\n{}",
                e.line,
                if e.error { "   [error]" } else { "" },
                e.text
            )
        })
        .collect()
}

fn run(lab: &mut Lab, line: &str) -> Result<(), String> {
    lab.perform(&Action::Console { line: line.into() })
        .map_err(|e| e.to_string())
}

#[test]
fn console_lines_change_the_account_undoably_and_reads_change_nothing() {
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    run(
        &mut lab,
        "aws ec2 describe-vpcs --query Vpcs[].CidrBlock --output text",
    )
    .expect("runs");
    assert!(!lab.can_undo(), "a describe is not an action");
    run(
        &mut lab,
        "aws ec2 create-volume --availability-zone us-east-1a --size 8 --query Size",
    )
    .expect("runs");
    let refused = run(
        &mut lab,
        "aws ec2 attach-volume --volume-id vol-0000000000nope --instance-id i-1 --device /dev/sdf",
    );
    assert_eq!(
        refused,
        Err("InvalidVolume.NotFound: The volume 'vol-0000000000nope' does not exist.".into())
    );
    let typo = run(&mut lab, "aws ec2 describe-volumez");
    assert!(typo.is_err());
    expect![[r#"
        $ aws ec2 describe-vpcs --query Vpcs[].CidrBlock --output text
        10.0.0.0/16
        $ aws ec2 create-volume --availability-zone us-east-1a --size 8 --query Size
        8
        $ aws ec2 attach-volume --volume-id vol-0000000000nope --instance-id i-1 --device /dev/sdf   [error]
        An error occurred (InvalidVolume.NotFound) when calling the AttachVolume operation: The volume 'vol-0000000000nope' does not exist.
        $ aws ec2 describe-volumez   [error]
        aws: error: argument operation: Invalid choice: 'describe-volumez', maybe you meant:

          * describe-volumes
    "#]].assert_eq(&console(&lab));
    let volumes = |lab: &Lab| {
        lab.world
            .region(DEFAULT_REGION)
            .map_or(0, |r| r.volumes.len())
    };
    let with = volumes(&lab);
    assert_eq!(lab.log.len(), 3, "the change and both refusals are logged");
    assert_eq!(
        lab.undo().as_deref(),
        Some("aws ec2 create-volume --availability-zone us-east-1a --size 8 --query Size")
    );
    assert_eq!(volumes(&lab), with - 1);
    lab.redo();
    assert_eq!(volumes(&lab), with);
}

#[test]
fn a_lab_with_console_lines_saves_and_loads() {
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    run(
        &mut lab,
        "aws ec2 create-volume --availability-zone us-east-1b --size 20 --volume-type io2 --iops 3000",
    )
    .expect("runs");
    let text = ec2lab_ui::saved::save(&lab);
    assert!(ec2lab_ui::saved::needs_console(&text));
    let loaded = ec2lab_ui::saved::load(&text).expect("loads");
    assert_eq!(loaded.world, lab.world);
}

#[test]
fn tab_completes_as_far_as_the_candidates_agree() {
    let words = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        complete_line("aws ec2 create-vol", &words(&["create-volume"])),
        Some("aws ec2 create-volume ".into())
    );
    assert_eq!(
        complete_line(
            "aws ec2 describe-i",
            &words(&[
                "describe-images",
                "describe-instances",
                "describe-instance-status"
            ])
        ),
        None,
        "nothing to add: the candidates part at once"
    );
    assert_eq!(
        complete_line(
            "aws ec2 describe-in",
            &words(&["describe-instances", "describe-instance-status"])
        ),
        Some("aws ec2 describe-instance".into())
    );
    assert_eq!(complete_line("aws ec2 frobnicate", &[]), None);
}

#[test]
fn the_output_menu_applies_to_aws_lines_that_do_not_choose() {
    assert_eq!(
        with_format("aws ec2 describe-vpcs", "table"),
        "aws ec2 describe-vpcs --output table"
    );
    assert_eq!(
        with_format("aws ec2 describe-vpcs --output text", "table"),
        "aws ec2 describe-vpcs --output text"
    );
    assert_eq!(
        with_format("aws ec2 describe-vpcs", "json"),
        "aws ec2 describe-vpcs"
    );
    assert_eq!(
        with_format("lab advance --seconds 30", "table"),
        "lab advance --seconds 30"
    );
}

#[test]
fn enter_starts_a_new_line_where_bash_would_wait_for_more() {
    // The console's Enter runs a command unless it goes on, as bash reads
    // it: a quote left open (a user-data script typed across lines) or a
    // backslash escaping the line break.
    let cases = [
        "aws ec2 describe-vpcs",
        "aws ec2 run-instances --user-data '#!/bin/bash",
        "aws ec2 run-instances --user-data '#!/bin/bash\nyum install -y httpd'",
        "aws ec2 create-tags --resources i-1 --tags \"Key=Name,Value=web",
        "aws ec2 describe-instances \\",
        "aws ec2 describe-instances \\\\",
        "aws ec2 describe-instances --query 'a\\",
    ];
    let shown: String = cases
        .iter()
        .map(|c| {
            format!(
                "{:5} {}\n",
                ec2lab_ui::console::continues(c),
                c.replace('\n', "⏎")
            )
        })
        .collect();
    expect![[r#"
        false aws ec2 describe-vpcs
        true  aws ec2 run-instances --user-data '#!/bin/bash
        false aws ec2 run-instances --user-data '#!/bin/bash⏎yum install -y httpd'
        true  aws ec2 create-tags --resources i-1 --tags "Key=Name,Value=web
        true  aws ec2 describe-instances \
        false aws ec2 describe-instances \\
        true  aws ec2 describe-instances --query 'a\
    "#]]
    .assert_eq(&shown);
}
