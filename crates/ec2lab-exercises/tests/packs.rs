//! Broken packs are reported with the exercise, the JSON path and what is
//! wrong; unsound exercises with the line or goal that fails.

use ec2lab_exercises::{check_pack, Pack};
use expect_test::{expect, Expect};

/// A one-exercise pack from the exercise's JSON fields (without braces).
fn pack(fields: &str) -> String {
    format!(r#"{{"format": "ec2lab-exercises/1", "exercises": [{{{fields}}}]}}"#)
}

const GOOD: &str = r#""id": "open-ssh", "track": "sg-vs-nacl", "title": "Open SSH",
  "brief": "Let {{admin}} reach web-1 on SSH.",
  "parameters": {"admin": {"kind": "ipv4", "cidr": "192.0.2.0/24"}},
  "setup": ["let sg = aws ec2 describe-security-groups --filters Name=group-name,Values=web-sg --query SecurityGroups[0].GroupId --output text"],
  "goals": [{"name": "ssh", "check": {"check": "flow", "from": "internet:{{admin}}", "to": "web-1", "protocol": "tcp", "port": 22, "expect": "served"}}],
  "hints": ["Security groups allow only.", "Add an inbound rule for TCP 22."],
  "solution": ["aws ec2 authorize-security-group-ingress --group-id ${sg} --protocol tcp --port 22 --cidr {{admin}}/32"],
  "wrong_attempts": [{"lines": ["aws ec2 authorize-security-group-egress --group-id ${sg} --protocol tcp --port 22 --cidr {{admin}}/32"], "feedback": "Inbound, not outbound.", "unmet": ["ssh"]}],
  "explanation": {"text": "Security groups allow inbound traffic by rule.", "behaviour": ["A1"]}"#;

/// Reads a pack and checks it: the report, or the error with where it is
/// in the text (as `ec2lab check-pack` prints it, after the file's name).
fn check_text(text: &str, expected: Expect) {
    let out = match Pack::from_json(text) {
        Err(error) => match error.position {
            Some((line, column)) => format!("error at {line}:{column}: {error}\n"),
            None => format!("error: {error}\n"),
        },
        Ok(pack) => check_pack(&pack).to_string(),
    };
    expected.assert_eq(&out);
}

#[test]
fn a_sound_pack() {
    check_text(
        &pack(GOOD),
        expect![[r#"
        ok   open-ssh: 1 goal, 1 wrong attempt, seeds 0 1 2
        1 exercise: 1 sound, 0 unsound
    "#]],
    );
}

#[test]
fn a_solution_that_does_not_meet_the_goals() {
    let broken = GOOD.replace(
        "--port 22 --cidr {{admin}}/32\"]",
        "--port 23 --cidr {{admin}}/32\"]",
    );
    check_text(
        &pack(&broken),
        expect![[r#"
        FAIL open-ssh: 1 goal, 1 wrong attempt, seeds 0 1 2
          - seed 0: the solution leaves goal 'ssh' unmet: TCP port 22 from the internet (192.0.2.96) to web-1 is answered by a service (the request is dropped by SecurityGroup sg-0555c95dd130af3af inbound)
          - seed 1: the solution leaves goal 'ssh' unmet: TCP port 22 from the internet (192.0.2.194) to web-1 is answered by a service (the request is dropped by SecurityGroup sg-0555c95dd130af3af inbound)
          - seed 2: the solution leaves goal 'ssh' unmet: TCP port 22 from the internet (192.0.2.117) to web-1 is answered by a service (the request is dropped by SecurityGroup sg-0555c95dd130af3af inbound)
        1 exercise: 0 sound, 1 unsound
    "#]],
    );
}

#[test]
fn a_goal_already_met_at_the_start() {
    let broken = GOOD.replace(
        "\"port\": 22, \"expect\": \"served\"",
        "\"port\": 80, \"expect\": \"served\"",
    );
    check_text(
        &pack(&broken),
        expect![[r#"
        FAIL open-ssh: 1 goal, 1 wrong attempt, seeds 0 1 2
          - seed 0: goal 'ssh' is already met at the start: TCP port 80 from the internet (192.0.2.96) to web-1 is answered by a service (delivered both ways; httpd answers)
          - seed 0: wrong attempt 1 meets goal 'ssh', which it should leave unmet: TCP port 80 from the internet (192.0.2.96) to web-1 is answered by a service (delivered both ways; httpd answers)
          - seed 1: goal 'ssh' is already met at the start: TCP port 80 from the internet (192.0.2.194) to web-1 is answered by a service (delivered both ways; httpd answers)
          - seed 1: wrong attempt 1 meets goal 'ssh', which it should leave unmet: TCP port 80 from the internet (192.0.2.194) to web-1 is answered by a service (delivered both ways; httpd answers)
          - seed 2: goal 'ssh' is already met at the start: TCP port 80 from the internet (192.0.2.117) to web-1 is answered by a service (delivered both ways; httpd answers)
          - seed 2: wrong attempt 1 meets goal 'ssh', which it should leave unmet: TCP port 80 from the internet (192.0.2.117) to web-1 is answered by a service (delivered both ways; httpd answers)
        1 exercise: 0 sound, 1 unsound
    "#]],
    );
}

#[test]
fn a_wrong_attempt_that_solves_it() {
    let broken = GOOD.replace(
        "authorize-security-group-egress",
        "authorize-security-group-ingress",
    );
    check_text(
        &pack(&broken),
        expect![[r#"
        FAIL open-ssh: 1 goal, 1 wrong attempt, seeds 0 1 2
          - seed 0: wrong attempt 1 meets goal 'ssh', which it should leave unmet: TCP port 22 from the internet (192.0.2.96) to web-1 is answered by a service (delivered both ways; sshd answers)
          - seed 1: wrong attempt 1 meets goal 'ssh', which it should leave unmet: TCP port 22 from the internet (192.0.2.194) to web-1 is answered by a service (delivered both ways; sshd answers)
          - seed 2: wrong attempt 1 meets goal 'ssh', which it should leave unmet: TCP port 22 from the internet (192.0.2.117) to web-1 is answered by a service (delivered both ways; sshd answers)
        1 exercise: 0 sound, 1 unsound
    "#]],
    );
}

#[test]
fn a_setup_line_aws_refuses() {
    let broken = GOOD.replace(
        "\"setup\": [",
        "\"setup\": [\"aws ec2 delete-security-group --group-id sg-0123456789abcdef0\", ",
    );
    check_text(
        &pack(&broken),
        expect![[r#"
        FAIL open-ssh: 1 goal, 1 wrong attempt, seeds 0 1 2
          - seed 0: setup line 1: aws ec2 delete-security-group --group-id sg-0123456789abcdef0
                AWS refused it: InvalidGroup.NotFound: The security group 'sg-0123456789abcdef0' does not exist
          - seed 1: setup line 1: aws ec2 delete-security-group --group-id sg-0123456789abcdef0
                AWS refused it: InvalidGroup.NotFound: The security group 'sg-0123456789abcdef0' does not exist
          - seed 2: setup line 1: aws ec2 delete-security-group --group-id sg-0123456789abcdef0
                AWS refused it: InvalidGroup.NotFound: The security group 'sg-0123456789abcdef0' does not exist
        1 exercise: 0 sound, 1 unsound
    "#]],
    );
}

#[test]
fn unknown_fields() {
    check_text(
        &pack(&GOOD.replace("\"hints\"", "\"hint\": [], \"hints\"")),
        expect![[r#"
            error at 6:3: exercise 'open-ssh' at $.exercises[0].hint: unknown field `hint`, expected one of `id`, `track`, `title`, `brief`, `parameters`, `region`, `setup`, `goals`, `hints`, `solution`, `wrong_attempts`, `explanation`
        "#]],
    );
    check_text(
        &pack(&GOOD.replace("\"port\": 22,", "\"prot\": 22,")),
        expect![[r#"
            error at 5:29: exercise 'open-ssh' at $.exercises[0].goals[0].check: unknown field `prot`, expected one of `from`, `to`, `protocol`, `port`, `src_port`, `expect`, `by`, `page_contains`, `region`
        "#]],
    );
    check_text(
        &pack(&GOOD.replace("\"feedback\"", "\"note\": \"x\", \"feedback\"")),
        expect![[r#"
            error at 8:22: exercise 'open-ssh' at $.exercises[0].wrong_attempts[0]: unknown field `note`, expected one of `lines`, `feedback`, `unmet`, `detect`
        "#]],
    );
    check_text(
        r#"{"format": "ec2lab-exercises/1", "exercise": []}"#,
        expect![[r#"
            error at 1:34: $.exercise: unknown field `exercise`, expected one of `format`, `title`, `exercises`
        "#]],
    );
}

#[test]
fn bad_parameters() {
    check_text(
        &pack(&GOOD.replace("192.0.2.0/24", "192.0.2.0/33")),
        expect![[r#"
            error at 3:18: exercise 'open-ssh' at $.exercises[0].parameters.admin: '192.0.2.0/33' is not an IPv4 CIDR block such as 198.51.100.0/24
        "#]],
    );
    check_text(
        &pack(&GOOD.replace(
            r#"{"kind": "ipv4", "cidr": "192.0.2.0/24"}"#,
            r#"{"kind": "int", "min": 9, "max": 1}"#,
        )),
        expect![[r#"
            error at 3:18: exercise 'open-ssh' at $.exercises[0].parameters.admin: min (9) is greater than max (1)
        "#]],
    );
    check_text(
        &pack(&GOOD.replace("Let {{admin}}", "Let {{adminn}}")),
        expect![[r#"
            error at 2:3: exercise 'open-ssh' at $.exercises[0].brief: {{adminn}} names no parameter of this exercise (declare it under "parameters")
        "#]],
    );
}

#[test]
fn bad_values() {
    check_text(
        &pack(&GOOD.replace("\"sg-vs-nacl\"", "\"networking\"")),
        expect![[r#"
            error at 1:67: exercise 'open-ssh' at $.exercises[0].track: unknown variant `networking`, expected one of `ami-vs-snapshot`, `user-data-vs-ami`, `sg-vs-nacl`, `storage`
        "#]],
    );
    check_text(
        &pack(&GOOD.replace("\"unmet\": [\"ssh\"]", "\"unmet\": [\"http\"]")),
        expect![[r#"
            error at 8:187: exercise 'open-ssh' at $.exercises[0].wrong_attempts[0].unmet[0]: 'http' is not the name of a goal of this exercise
        "#]],
    );
    check_text(
        &pack(&GOOD.replace("[\"A1\"]", "[\"section A\"]")),
        expect![[r#"
            error at 9:91: exercise 'open-ssh' at $.exercises[0].explanation.behaviour[0]: 'section A' is not an entry of aws-behaviour.md such as "E6"
        "#]],
    );
    check_text(
        &pack(&GOOD.replace("\"expect\": \"served\"", "\"expect\": \"works\"")),
        expect![[r#"
            error at 5:29: exercise 'open-ssh' at $.exercises[0].goals[0].check: unknown variant `works`, expected one of `delivered`, `blocked`, `served`, `refused`
        "#]],
    );
    check_text(
        &pack(GOOD).replace("ec2lab-exercises/1", "ec2lab-exercises/2"),
        expect![[r#"
            error at 1:2: $.format: this lab reads format "ec2lab-exercises/1", not "ec2lab-exercises/2"
        "#]],
    );
    check_text(
        "{\"format\": ",
        expect![[r#"
            error: line 1 column 11: not JSON: EOF while parsing a value at line 1 column 11
        "#]],
    );
}

/// A bad member of an exercise is named by its own path (and, in a list,
/// its element), with the line and column where the pack's text has it:
/// for a missing member, where the exercise that lacks it starts.
#[test]
fn a_bad_member_of_an_exercise_is_named_by_its_path_and_position() {
    // Two exercises, so the second is `$.exercises[1]` from line 3.
    let two = |second: &str| {
        format!(
            "{{\"format\": \"ec2lab-exercises/1\", \"exercises\": [\n{{{}}},\n  {{{second}}}]}}",
            GOOD.replace("open-ssh", "first")
        )
    };
    check_text(
        &two(&GOOD.replace("\"title\": \"Open SSH\",", "")),
        expect![[r#"
            error at 11:3: exercise 'open-ssh' at $.exercises[1].title: missing field `title`
        "#]],
    );
    check_text(
        &two(&GOOD.replace(
            "\"hints\": [\"Security groups allow only.\", \"Add an inbound rule for TCP 22.\"]",
            "\"hints\": \"Security groups allow only.\"",
        )),
        expect![[r#"
            error at 16:3: exercise 'open-ssh' at $.exercises[1].hints: invalid type: string "Security groups allow only.", expected a list
        "#]],
    );
    check_text(
        &two(&GOOD.replace("\"Add an inbound rule for TCP 22.\"", "22")),
        expect![[r#"
            error at 16:44: exercise 'open-ssh' at $.exercises[1].hints[1]: invalid type: integer `22`, expected a string
        "#]],
    );
    check_text(
        &two(&GOOD.replace("\"brief\":", "\"summary\": \"SSH\", \"brief\":")),
        expect![[r#"
            error at 12:3: exercise 'open-ssh' at $.exercises[1].summary: unknown field `summary`, expected one of `id`, `track`, `title`, `brief`, `parameters`, `region`, `setup`, `goals`, `hints`, `solution`, `wrong_attempts`, `explanation`
        "#]],
    );
    check_text(
        &two(&GOOD.replace(
            "\"solution\": [",
            "\"solution\": [\"lab advance --seconds 1\", [], ",
        )),
        expect![[r#"
            error at 17:43: exercise 'open-ssh' at $.exercises[1].solution[1]: invalid type: a list, expected a string
        "#]],
    );
}

/// A parameter's declaration is checked once, when the pack is read, so a
/// bad one is one error however many seeds are checked.
#[test]
fn a_bad_parameter_declaration_is_one_error() {
    check_text(
        &pack(&GOOD.replace("192.0.2.0/24", "192.0.2.0/31")),
        expect![[r#"
            error at 3:18: exercise 'open-ssh' at $.exercises[0].parameters.admin: 192.0.2.0/31 has no host addresses to draw from: use /30 or larger
        "#]],
    );
    check_text(
        &pack(&GOOD.replace(
            r#""parameters": {"admin": {"kind": "ipv4", "cidr": "192.0.2.0/24"}}"#,
            r#""parameters": {"admin": {"kind": "ipv4", "cidr": "192.0.2.0/24"}, "port": {"kind": "int", "min": 2000, "max": 1024}}"#,
        )),
        expect![[r#"
            error at 3:69: exercise 'open-ssh' at $.exercises[0].parameters.port: min (2000) is greater than max (1024)
        "#]],
    );
    check_text(
        &pack(&GOOD.replace(
            r#""cidr": "192.0.2.0/24""#,
            r#""cidr": "192.0.2.0/24", "mask": 24"#,
        )),
        expect![[r#"
            error at 3:18: exercise 'open-ssh' at $.exercises[0].parameters.admin: unknown field `mask`, expected `cidr`
        "#]],
    );
}

/// Values that fit for seed 0 (the pack reads) but not for other seeds are
/// reported once, at the parameter's declaration, with each seed's value:
/// a Region that is not one, a source port from a range past 65535.
#[test]
fn drawn_values_that_do_not_fit_are_reported_once_at_the_parameter() {
    let wide = GOOD
        .replace(
            r#""parameters": {"admin": {"kind": "ipv4", "cidr": "192.0.2.0/24"}}"#,
            r#""parameters": {"admin": {"kind": "ipv4", "cidr": "192.0.2.0/24"}, "port": {"kind": "int", "min": 60000, "max": 78000}}"#,
        )
        .replace("\"port\": 22, \"expect\"", "\"port\": 22, \"src_port\": \"{{port}}\", \"expect\"");
    check_text(
        &pack(&GOOD.replace(
            r#""parameters": {"#,
            r#""region": "{{region}}", "parameters": {"region": {"kind": "choice", "choices": ["us-east-1", "mars-1", "moon-1"]}, "#,
        )),
        expect![[r#"
            FAIL open-ssh: 1 goal, 1 wrong attempt, seeds 0 1 2
              - exercise 'open-ssh' at $.exercises[0].parameters.region: seed 1 draws mars-1 and seed 2 draws moon-1, which $.exercises[0].region refuses: the lab does not simulate this Region
            1 exercise: 0 sound, 1 unsound
        "#]],
    );
    check_text(
        &pack(&wide),
        expect![[r#"
        FAIL open-ssh: 1 goal, 1 wrong attempt, seeds 0 1 2
          - exercise 'open-ssh' at $.exercises[0].parameters.port: seed 1 draws 67305 and seed 2 draws 73002, which $.exercises[0].goals[0].check refuses: invalid value: integer `67305`, expected u16
        1 exercise: 0 sound, 1 unsound
    "#]],
    );
}

/// The complete example in `docs/exercise-format.md` is itself a sound pack.
#[test]
fn the_documented_example_is_sound() {
    let doc = include_str!("../../../docs/exercise-format.md");
    let example = doc
        .split("```json")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the doc has a JSON example");
    let pack = Pack::from_json(example).expect("the example parses");
    let report = check_pack(&pack);
    assert!(report.is_sound(), "{report}");
}
