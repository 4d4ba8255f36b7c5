//! Data-driven behaviour tests: every file in `tests/behaviour/*.lab` (at
//! the repository root) is a script of `aws ec2 …` and `lab …` lines run
//! against the default lab, as `ec2lab run` runs them, with assertions:
//!
//! - `let NAME = <line>`: runs the line; its result (use `--query` and
//!   `--output text`) must be a string or a number, bound to `NAME`.
//! - `${NAME}` anywhere in a later line is replaced by its value.
//! - `=> <JSON>`: the previous line's result, as its JSON Lines object, must
//!   equal this JSON exactly.
//! - `=> ~ <JSON>`: … must contain it: objects may have more members,
//!   arrays must have the same length and each element must contain the
//!   expected one.
//! - `=> error <Code>`: the previous line must fail with AWS's error `Code`.
//!
//! Comments cite the entries of `aws-behaviour.md` each script checks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ec2lab_api::{Outcome, Session};
use ec2lab_sim::{default_lab, DEFAULT_REGION};
use serde_json::Value;

fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/behaviour")
}

/// Whether `actual` contains `expected` (see the module comment).
fn contains(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e
            .iter()
            .all(|(k, ev)| a.get(k).is_some_and(|av| contains(av, ev))),
        (Value::Array(a), Value::Array(e)) => {
            a.len() == e.len() && a.iter().zip(e).all(|(av, ev)| contains(av, ev))
        }
        _ => actual == expected,
    }
}

fn substitute(line: &str, vars: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}').ok_or_else(|| "unclosed ${".to_owned())?;
        let name = &after[..end];
        let value = vars
            .get(name)
            .ok_or_else(|| format!("${{{name}}} is not bound (use `let {name} = …` first)"))?;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Runs one script; returns the failures, each naming file and line.
fn run_script(path: &Path) -> Vec<String> {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => return vec![format!("{name}: cannot read: {error}")],
    };
    let mut session = Session::new(default_lab(), DEFAULT_REGION);
    let mut vars: BTreeMap<String, String> = BTreeMap::new();
    let mut last: Option<(usize, String, Outcome)> = None;
    let mut failures = Vec::new();
    session.read_file = read_fixture;
    for (number, raw) in ec2lab_api::script_lines(&text) {
        let at = format!("{name}:{number}");
        let line = match substitute(raw.trim(), &vars) {
            Ok(line) => line,
            Err(error) => {
                failures.push(format!("{at}: {error}"));
                continue;
            }
        };
        if let Some(expectation) = line.strip_prefix("=>") {
            let Some((run_at, run_line, outcome)) = &last else {
                failures.push(format!("{at}: `=>` with no line before it"));
                continue;
            };
            let actual = outcome.to_json();
            let expectation = expectation.trim();
            let ok = if let Some(code) = expectation.strip_prefix("error ") {
                matches!(outcome, Outcome::ApiError { code: c, .. } if c == code.trim())
            } else {
                let (partial, json) = match expectation.strip_prefix('~') {
                    Some(rest) => (true, rest.trim()),
                    None => (false, expectation),
                };
                match serde_json::from_str::<Value>(json) {
                    Ok(expected) if partial => contains(&actual, &expected),
                    Ok(expected) => actual == expected,
                    Err(error) => {
                        failures.push(format!("{at}: the expectation is not JSON: {error}"));
                        continue;
                    }
                }
            };
            if !ok {
                failures.push(format!(
                    "{at}: expected {expectation}\n    after {name}:{run_at}: {run_line}\n    got {actual}"
                ));
            }
            continue;
        }
        let (binding, command) = match line.strip_prefix("let ") {
            Some(rest) => match rest.split_once(" = ") {
                Some((var, command)) => (Some(var.trim().to_owned()), command.to_owned()),
                None => {
                    failures.push(format!("{at}: write `let NAME = <line>`"));
                    continue;
                }
            },
            None => (None, line.clone()),
        };
        match session.run_line(&command) {
            Ok(outcome) => {
                if let Some(var) = binding {
                    let bound = match &outcome {
                        Outcome::Response {
                            value: Value::String(s),
                            ..
                        } => Some(s.clone()),
                        Outcome::Response {
                            value: Value::Number(n),
                            ..
                        } => Some(n.to_string()),
                        _ => None,
                    };
                    match bound {
                        Some(value) => {
                            vars.insert(var, value);
                        }
                        None => failures.push(format!(
                            "{at}: `let {var}` needs a string or number result, got {}",
                            outcome.to_json()
                        )),
                    }
                }
                if outcome != Outcome::Nothing {
                    last = Some((number, command, outcome));
                }
            }
            Err(error) => failures.push(format!("{at}: {command}\n    does not run: {error}")),
        }
    }
    failures
}

#[test]
fn every_behaviour_script_holds() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(scripts_dir())
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "lab"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    assert!(
        paths.len() >= 2,
        "expected the behaviour scripts in {}",
        scripts_dir().display()
    );
    let failures: Vec<String> = paths.iter().flat_map(|p| run_script(p)).collect();
    assert!(
        failures.is_empty(),
        "{} failed expectation(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_wrong_expectation_is_reported_with_file_and_line() {
    let dir = std::env::temp_dir().join(format!("ec2lab-behaviour-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok();
    let path = dir.join("wrong.lab");
    std::fs::write(
        &path,
        "aws ec2 get-ebs-encryption-by-default\n=> ~ {\"EbsEncryptionByDefault\": true}\n",
    )
    .ok();
    let failures = run_script(&path);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].starts_with("wrong.lab:2: expected"),
        "{}",
        failures[0]
    );
}

/// `file://` in a script names a file of `tests/behaviour/files/`.
fn read_fixture(path: &str) -> Result<String, String> {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/behaviour/files")
        .join(path);
    std::fs::read_to_string(&full).map_err(|e| format!("cannot read {}: {e}", full.display()))
}
