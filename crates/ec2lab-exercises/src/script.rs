//! Running an exercise's lines: the language of `ec2lab run`, plus
//! `let NAME = <line>` (binds the line's string or number result, as in
//! `tests/behaviour/`; later lines use `${NAME}`) and `=> error Code` after
//! a line AWS is expected to refuse. An AWS error that no `=> error` line
//! expects is a failure, so a setup or a solution cannot fail silently.

use std::collections::BTreeMap;

use ec2lab_api::{Outcome, Session};
use serde_json::Value;

/// A failure while running lines: the line's number (from 1) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineFailure {
    /// The line's number in its list, from 1.
    pub line: usize,
    /// What went wrong.
    pub message: String,
}

/// A session with the variables bound by `let` lines.
#[derive(Clone, Debug)]
pub struct Runner {
    /// The account and its open connections.
    pub session: Session,
    /// `let` bindings.
    pub vars: BTreeMap<String, String>,
}

impl Runner {
    /// A runner on the default lab in `region`.
    pub fn new(region: &str) -> Self {
        Self {
            session: Session::new(ec2lab_sim::default_lab(), region),
            vars: BTreeMap::new(),
        }
    }

    /// Runs lines in order; stops at the first failure.
    pub fn run(&mut self, lines: &[String]) -> Result<(), LineFailure> {
        let mut pending: Option<(usize, String, Outcome)> = None;
        for (index, raw) in lines.iter().enumerate() {
            let number = index + 1;
            let fail = |message: String| LineFailure {
                line: number,
                message,
            };
            let line = substitute(raw.trim(), &self.vars).map_err(fail)?;
            if let Some(expectation) = line.strip_prefix("=>") {
                let Some((at, run, outcome)) = pending.take() else {
                    return Err(fail("`=> error Code` with no line before it".into()));
                };
                let Some(code) = expectation.trim().strip_prefix("error ") else {
                    return Err(fail("only `=> error Code` is allowed here".into()));
                };
                match &outcome {
                    Outcome::ApiError { code: c, .. } if c == code.trim() => {}
                    other => {
                        return Err(LineFailure {
                            line: at,
                            message: format!(
                                "{run}\n    expected the error {}, got {}",
                                code.trim(),
                                other.to_json()
                            ),
                        })
                    }
                }
                continue;
            }
            if let Some((at, run, Outcome::ApiError { code, message, .. })) = pending.take() {
                return Err(LineFailure {
                    line: at,
                    message: format!("{run}\n    AWS refused it: {code}: {message}"),
                });
            }
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (binding, command) = match line.strip_prefix("let ") {
                Some(rest) => match rest.split_once(" = ") {
                    Some((var, command)) => (Some(var.trim().to_owned()), command.to_owned()),
                    None => return Err(fail("write `let NAME = <line>`".into())),
                },
                None => (None, line.clone()),
            };
            let outcome = self
                .session
                .run_line(&command)
                .map_err(|e| fail(format!("{command}\n    does not run: {e}")))?;
            if let Some(var) = binding {
                let value = match &outcome {
                    Outcome::Response {
                        value: Value::String(s),
                        ..
                    } => s.clone(),
                    Outcome::Response {
                        value: Value::Number(n),
                        ..
                    } => n.to_string(),
                    other => {
                        return Err(fail(format!(
                            "{command}\n    `let {var}` needs a string or number result, got {}",
                            other.to_json()
                        )))
                    }
                };
                self.vars.insert(var, value);
            }
            pending = Some((number, command, outcome));
        }
        if let Some((at, run, Outcome::ApiError { code, message, .. })) = pending {
            return Err(LineFailure {
                line: at,
                message: format!("{run}\n    AWS refused it: {code}: {message}"),
            });
        }
        Ok(())
    }
}

/// Replaces `${NAME}` with its binding.
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
