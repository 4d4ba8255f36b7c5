//! Proving a pack sound: for every exercise (and, with parameters, for
//! several seeds), the setup applies with no error, no goal is met at the
//! start, the reference solution applies and meets every goal, and each
//! known wrong attempt applies and leaves the goals it names unmet (and its
//! `detect` predicate, if any, holds after it and not after the solution).
//! A seed whose drawn values the exercise refuses is reported once per
//! place, at the parameter's declaration.
//! `ec2lab check-pack` prints the report; the test suite runs the same
//! check over the built-in catalogue.

use std::fmt;

use crate::format::{Exercise, Pack, PackError, Parameter, Template};
use crate::goal::{Lab, Verdict};
use crate::script::Runner;

/// The seeds an exercise with parameters is checked with.
pub const CHECKED_SEEDS: [u64; 3] = [0, 1, 2];

/// The check of one exercise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExerciseReport {
    /// The exercise's id.
    pub id: String,
    /// How many goals it has.
    pub goals: usize,
    /// How many wrong attempts it has.
    pub wrong_attempts: usize,
    /// The seeds checked.
    pub seeds: Vec<u64>,
    /// What is wrong, one sentence each; empty when sound.
    pub problems: Vec<String>,
}

impl ExerciseReport {
    /// Whether the exercise is sound.
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The check of a whole pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// One report per exercise, in the pack's order.
    pub exercises: Vec<ExerciseReport>,
}

impl Report {
    /// Whether every exercise is sound.
    pub fn is_sound(&self) -> bool {
        self.exercises.iter().all(ExerciseReport::is_sound)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.exercises {
            let seeds = if e.seeds.len() > 1 {
                format!(
                    ", seeds {}",
                    e.seeds
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            } else {
                String::new()
            };
            let mark = if e.is_sound() { "ok  " } else { "FAIL" };
            writeln!(
                f,
                "{mark} {}: {} goal{}, {} wrong attempt{}{seeds}",
                e.id,
                e.goals,
                if e.goals == 1 { "" } else { "s" },
                e.wrong_attempts,
                if e.wrong_attempts == 1 { "" } else { "s" },
            )?;
            for problem in &e.problems {
                for (i, line) in problem.lines().enumerate() {
                    let lead = if i == 0 { "  - " } else { "    " };
                    writeln!(f, "{lead}{line}")?;
                }
            }
        }
        let sound = self.exercises.iter().filter(|e| e.is_sound()).count();
        writeln!(
            f,
            "{} exercise{}: {sound} sound, {} unsound",
            self.exercises.len(),
            if self.exercises.len() == 1 { "" } else { "s" },
            self.exercises.len() - sound
        )
    }
}

/// Checks every exercise of a pack.
pub fn check_pack(pack: &Pack) -> Report {
    let exercises = pack
        .exercises
        .iter()
        .map(|template| {
            let seeds: Vec<u64> = if template.preview.parameters.is_empty() {
                vec![0]
            } else {
                CHECKED_SEEDS.to_vec()
            };
            let mut problems = Vec::new();
            let mut refused = Vec::new();
            for &seed in &seeds {
                match template.instantiate(seed) {
                    Ok(exercise) => {
                        for problem in check_exercise(&exercise) {
                            let problem = if seeds.len() > 1 {
                                format!("seed {seed}: {problem}")
                            } else {
                                problem
                            };
                            if !problems.contains(&problem) {
                                problems.push(problem);
                            }
                        }
                    }
                    Err(error) => refused.push((seed, error)),
                }
            }
            problems.extend(drawn_values_refused(template, &refused));
            ExerciseReport {
                id: template.id().to_owned(),
                goals: template.preview.goals.len(),
                wrong_attempts: template.preview.wrong_attempts.len(),
                seeds,
                problems,
            }
        })
        .collect();
    Report { exercises }
}

/// The seeds whose drawn values the exercise refuses, once per cause.
///
/// Seed 0 instantiated when the pack was read, and a parameter's
/// declaration is checked then, once; so an exercise that another seed
/// cannot instantiate has a parameter whose values do not all fit where it
/// is used (an `int` range wider than a port, a choice that is no Region).
/// Each such place is reported once, naming the parameters it uses, where
/// they are declared, and what each seed drew.
fn drawn_values_refused(template: &Template, refused: &[(u64, PackError)]) -> Vec<String> {
    let mut problems: Vec<String> = Vec::new();
    let mut done: Vec<&str> = Vec::new();
    for (_, error) in refused {
        if done.contains(&error.path.as_str()) {
            continue;
        }
        done.push(&error.path);
        let seeds: Vec<u64> = refused
            .iter()
            .filter(|(_, e)| e.path == error.path)
            .map(|(seed, _)| *seed)
            .collect();
        let mut used = template.parameters_at(&error.path);
        // Of the parameters that part uses, those whose drawn value the
        // error quotes are the culprits (`invalid value: integer `70123``).
        let quoted: Vec<(&str, &Parameter)> = used
            .iter()
            .filter(|(name, parameter)| {
                let value = parameter.draw(seeds[0], name).to_string();
                error.message.contains(&format!("`{value}`"))
            })
            .copied()
            .collect();
        if !quoted.is_empty() {
            used = quoted;
        }
        if used.is_empty() {
            let list: Vec<String> = seeds.iter().map(ToString::to_string).collect();
            let lead = if seeds.len() == 1 { "seed" } else { "seeds" };
            problems.push(format!("{lead} {}: {error}", list.join(" ")));
            continue;
        }
        let draws: Vec<String> = seeds
            .iter()
            .map(|&seed| {
                let values: Vec<String> = used
                    .iter()
                    .map(|(name, parameter)| {
                        let value = parameter.draw(seed, name);
                        if used.len() == 1 {
                            value.to_string()
                        } else {
                            format!("{name} = {value}")
                        }
                    })
                    .collect();
                format!("seed {seed} draws {}", values.join(", "))
            })
            .collect();
        let declared: Vec<String> = used
            .iter()
            .map(|(name, _)| template.parameter_path(name))
            .collect();
        problems.push(format!(
            "{} at {}: {}, which {} refuses: {}",
            match &error.exercise {
                Some(id) => format!("exercise '{id}'"),
                None => "the exercise".to_owned(),
            },
            declared.join(" and "),
            join_and(&draws),
            error.path,
            error.message
        ));
    }
    problems
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Each goal with its verdict on a runner's account.
fn verdicts<'e>(exercise: &'e Exercise, runner: &Runner) -> Vec<(&'e str, String, Verdict)> {
    let lab = Lab {
        world: &runner.session.world,
        region: exercise.region(),
        connections: &runner.session.connections,
    };
    exercise
        .goals
        .iter()
        .map(|g| (g.name.as_str(), g.check.to_string(), g.check.evaluate(&lab)))
        .collect()
}

/// The problems of one exercise with its parameters drawn.
pub fn check_exercise(exercise: &Exercise) -> Vec<String> {
    let mut problems = Vec::new();
    let mut start = Runner::new(exercise.region());
    if let Err(failure) = start.run(&exercise.setup) {
        problems.push(format!("setup line {}: {}", failure.line, failure.message));
        return problems;
    }
    for (name, text, verdict) in verdicts(exercise, &start) {
        if verdict.met {
            problems.push(format!(
                "goal '{name}' is already met at the start: {text} ({})",
                verdict.reason
            ));
        }
    }
    let mut solved = start.clone();
    match solved.run(&exercise.solution) {
        Err(failure) => problems.push(format!(
            "solution line {}: {}",
            failure.line, failure.message
        )),
        Ok(()) => {
            for (name, text, verdict) in verdicts(exercise, &solved) {
                if !verdict.met {
                    problems.push(format!(
                        "the solution leaves goal '{name}' unmet: {text} ({})",
                        verdict.reason
                    ));
                }
            }
            let lab = Lab {
                world: &solved.session.world,
                region: exercise.region(),
                connections: &solved.session.connections,
            };
            for (i, attempt) in exercise.wrong_attempts.iter().enumerate() {
                if let Some(detect) = &attempt.detect {
                    if detect.evaluate(&lab).met {
                        problems.push(format!(
                            "wrong attempt {}'s detect also holds after the solution: {detect}",
                            i + 1
                        ));
                    }
                }
            }
        }
    }
    for (i, attempt) in exercise.wrong_attempts.iter().enumerate() {
        let mut wrong = start.clone();
        if let Err(failure) = wrong.run(&attempt.lines) {
            problems.push(format!(
                "wrong attempt {} line {}: {}",
                i + 1,
                failure.line,
                failure.message
            ));
            continue;
        }
        let results = verdicts(exercise, &wrong);
        for name in &attempt.unmet {
            if let Some((_, text, verdict)) = results.iter().find(|(n, _, _)| n == name) {
                if verdict.met {
                    problems.push(format!(
                        "wrong attempt {} meets goal '{name}', which it should leave unmet: {text} ({})",
                        i + 1,
                        verdict.reason
                    ));
                }
            }
        }
        if let Some(detect) = &attempt.detect {
            let lab = Lab {
                world: &wrong.session.world,
                region: exercise.region(),
                connections: &wrong.session.connections,
            };
            let verdict = detect.evaluate(&lab);
            if !verdict.met {
                problems.push(format!(
                    "wrong attempt {}'s detect does not hold after it: {detect} ({})",
                    i + 1,
                    verdict.reason
                ));
            }
        }
    }
    problems
}
