//! `aws ec2 wait <waiter>`: the AWS CLI's waiters, in lab time. A waiter
//! calls its describe operation, and while the resources are not there yet
//! it lets simulated time pass by its delay, as the real one sleeps, up to
//! its maximum number of attempts (botocore's `waiters-2.json`: 15 s × 40
//! for most). It prints nothing when it succeeds, like the AWS CLI.

use serde_json::{json, Value};

use crate::output::OutputFormat;
use crate::session::{LineError, Outcome, Session};

/// What ends a wait.
enum Rule {
    /// Every value at the path equals this.
    All(&'static str),
    /// The path has at least one value.
    Exists,
}

struct Waiter {
    name: &'static str,
    operation: &'static str,
    path: &'static str,
    success: Rule,
    failure: &'static [&'static str],
    /// An error code that counts as success (`…Deleted`) or as "not yet".
    not_found: Option<(&'static str, bool)>,
    delay: u64,
    attempts: u32,
}

const WAITERS: &[Waiter] = &[
    Waiter {
        name: "instance-running",
        operation: "describe-instances",
        path: "Reservations[].Instances[].State.Name",
        success: Rule::All("running"),
        failure: &["shutting-down", "terminated", "stopping"],
        not_found: Some(("InvalidInstanceID.NotFound", false)),
        delay: 15,
        attempts: 40,
    },
    Waiter {
        name: "instance-stopped",
        operation: "describe-instances",
        path: "Reservations[].Instances[].State.Name",
        success: Rule::All("stopped"),
        failure: &["pending", "terminated"],
        not_found: None,
        delay: 15,
        attempts: 40,
    },
    Waiter {
        name: "instance-terminated",
        operation: "describe-instances",
        path: "Reservations[].Instances[].State.Name",
        success: Rule::All("terminated"),
        failure: &["pending", "stopping"],
        not_found: None,
        delay: 15,
        attempts: 40,
    },
    Waiter {
        name: "instance-exists",
        operation: "describe-instances",
        path: "Reservations[].Instances[].InstanceId",
        success: Rule::Exists,
        failure: &[],
        not_found: Some(("InvalidInstanceID.NotFound", false)),
        delay: 5,
        attempts: 40,
    },
    Waiter {
        name: "volume-available",
        operation: "describe-volumes",
        path: "Volumes[].State",
        success: Rule::All("available"),
        failure: &["deleted"],
        not_found: None,
        delay: 15,
        attempts: 40,
    },
    Waiter {
        name: "volume-in-use",
        operation: "describe-volumes",
        path: "Volumes[].State",
        success: Rule::All("in-use"),
        failure: &["deleted"],
        not_found: None,
        delay: 15,
        attempts: 40,
    },
    Waiter {
        name: "volume-deleted",
        operation: "describe-volumes",
        path: "Volumes[].State",
        success: Rule::All("deleted"),
        failure: &[],
        not_found: Some(("InvalidVolume.NotFound", true)),
        delay: 15,
        attempts: 40,
    },
    Waiter {
        name: "snapshot-completed",
        operation: "describe-snapshots",
        path: "Snapshots[].State",
        success: Rule::All("completed"),
        failure: &["error"],
        not_found: None,
        delay: 15,
        attempts: 40,
    },
    Waiter {
        name: "image-available",
        operation: "describe-images",
        path: "Images[].State",
        success: Rule::All("available"),
        failure: &["failed"],
        not_found: None,
        delay: 15,
        attempts: 40,
    },
    Waiter {
        name: "image-exists",
        operation: "describe-images",
        path: "Images[].ImageId",
        success: Rule::Exists,
        failure: &[],
        not_found: Some(("InvalidAMIID.NotFound", false)),
        delay: 15,
        attempts: 40,
    },
];

/// `InstanceRunning` from `instance-running`.
fn waiter_name(cli: &str) -> String {
    ec2lab_awscli::member_name(cli)
}

/// Runs `aws ec2 wait <waiter> [options]`.
pub(crate) fn run(session: &mut Session, words: &[String]) -> Result<Outcome, LineError> {
    let Some(name) = words.get(3).filter(|w| !w.starts_with("--")) else {
        return Err(LineError(format!(
            "aws ec2 wait needs a waiter: {}",
            WAITERS
                .iter()
                .map(|w| w.name)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let Some(waiter) = WAITERS.iter().find(|w| w.name == name) else {
        return Err(LineError(format!(
            "aws ec2 wait {name}: the lab's waiters are {}",
            WAITERS
                .iter()
                .map(|w| w.name)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let mut describe: Vec<String> = vec!["aws".into(), "ec2".into(), waiter.operation.into()];
    describe.extend(words[4..].iter().cloned());
    let region = words
        .iter()
        .position(|w| w == "--region")
        .and_then(|i| words.get(i + 1))
        .cloned()
        .unwrap_or_else(|| session.region.clone());
    let title = waiter_name(waiter.name);
    let done = |code: &str, message: String| Outcome::ApiError {
        code: code.into(),
        message,
        operation: title.clone(),
    };
    for attempt in 1..=waiter.attempts {
        match crate::operations::run_aws(session, &describe)? {
            Outcome::Response { value, .. } => {
                let values = crate::output::apply_query(waiter.path, &value)
                    .map_err(|e| LineError(format!("waiter {}: {e}", waiter.name)))?;
                let values: Vec<Value> = values.as_array().cloned().unwrap_or_default();
                let succeeded = match waiter.success {
                    Rule::All(state) => !values.is_empty() && values.iter().all(|v| v == state),
                    Rule::Exists => !values.is_empty(),
                };
                if succeeded {
                    return Ok(Outcome::Response {
                        value: json!({}),
                        output: OutputFormat::Json,
                        operation: title,
                    });
                }
                if let Some(bad) = values
                    .iter()
                    .filter_map(Value::as_str)
                    .find(|state| waiter.failure.contains(state))
                {
                    return Ok(done(
                        "WaiterError",
                        format!(
                            "Waiter {title} failed: Waiter encountered a terminal failure state: For expression \"{}\" we matched expected path: \"{bad}\" at least once",
                            waiter.path
                        ),
                    ));
                }
            }
            Outcome::ApiError { code, message, .. } => match waiter.not_found {
                Some((not_found, true)) if code == not_found => {
                    return Ok(Outcome::Response {
                        value: json!({}),
                        output: OutputFormat::Json,
                        operation: title,
                    })
                }
                Some((not_found, false)) if code == not_found => {}
                _ => {
                    return Ok(done(
                        "WaiterError",
                        format!("Waiter {title} failed: An error occurred ({code}): {message}"),
                    ))
                }
            },
            other => return Ok(other),
        }
        if attempt < waiter.attempts {
            session
                .world
                .apply(
                    &region,
                    ec2lab_sim::Command::AdvanceTime {
                        seconds: waiter.delay,
                    },
                )
                .map_err(|e| LineError(e.to_string()))?;
        }
    }
    Ok(done(
        "WaiterError",
        format!("Waiter {title} failed: Max attempts exceeded"),
    ))
}
