//! The console's engine: `aws …` and `lab …` lines run against the lab's
//! account exactly as the `ec2lab` command runs them ([`ec2lab_api::Session`]),
//! printed as the AWS CLI prints them, and completed word by word.
//!
//! Only [`crate::engine`] names this module, so the site build puts it, and
//! all of `ec2lab_api`, in the chunk fetched on demand.

use ec2lab_sim::{Connection, World};

use crate::engine::{Checked, Connections, Engine, Exercise, ExerciseSummary, Ran};

/// The engine's entry points.
pub static ENGINE: Engine = Engine {
    run,
    complete,
    exercises,
    start,
    check,
};

thread_local! {
    /// The built-in catalogue, read once.
    static CATALOGUE: ec2lab_exercises::Pack = ec2lab_exercises::builtin();
}

/// The built-in exercises.
pub fn exercises() -> Vec<ExerciseSummary> {
    CATALOGUE.with(|pack| {
        pack.exercises
            .iter()
            .map(|t| ExerciseSummary {
                id: t.id().to_owned(),
                track: t.preview.track.title().to_owned(),
                title: t.preview.title.clone(),
            })
            .collect()
    })
}

fn instantiate(id: &str, seed: u64) -> Result<ec2lab_exercises::Exercise, String> {
    CATALOGUE.with(|pack| {
        pack.get(id)
            .ok_or_else(|| format!("there is no exercise '{id}'"))?
            .instantiate(seed)
            .map_err(|e| e.to_string())
    })
}

/// Starts an exercise: runs its setup on the default lab.
pub fn start(id: &str, seed: u64) -> crate::engine::Started {
    let exercise = instantiate(id, seed)?;
    let mut runner = ec2lab_exercises::script::Runner::new(exercise.region());
    runner
        .run(&exercise.setup)
        .map_err(|e| format!("its setup failed at line {}: {}", e.line, e.message))?;
    let world = runner.session.world.clone();
    // The solution as console lines: run it on a copy to learn the values
    // its `let` lines bind, then write them in.
    let mut scratch = runner.clone();
    let _ = scratch.run(&exercise.solution);
    let mut solution: Vec<(String, Option<String>)> = Vec::new();
    for raw in &exercise.solution {
        let raw = raw.trim();
        if let Some(expect) = raw.strip_prefix("=>") {
            if let (Some(last), Some(code)) =
                (solution.last_mut(), expect.trim().strip_prefix("error "))
            {
                last.1 = Some(code.trim().to_owned());
            }
            continue;
        }
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let mut line = raw.to_owned();
        if let Some(rest) = line.strip_prefix("let ") {
            if let Some((_, command)) = rest.split_once('=') {
                line = command.trim().to_owned();
            }
        }
        for (name, value) in &scratch.vars {
            line = line.replace(&format!("${{{name}}}"), value);
        }
        solution.push((line, None));
    }
    Ok((
        Exercise {
            id: exercise.id.clone(),
            seed,
            track: exercise.track.title().to_owned(),
            title: exercise.title.clone(),
            brief: exercise.brief.clone(),
            hints: exercise.hints.clone(),
            solution,
            explanation: exercise.explanation.text.clone(),
            behaviour: exercise.explanation.behaviour.clone(),
            region: exercise.region().to_owned(),
        },
        world,
    ))
}

/// The checklist for an account.
pub fn check(world: &World, connections: &Connections, id: &str, seed: u64) -> Checked {
    let Ok(exercise) = instantiate(id, seed) else {
        return Checked::default();
    };
    let lab = ec2lab_exercises::Lab {
        world,
        region: exercise.region(),
        connections,
    };
    let goals = exercise
        .evaluate(&lab)
        .into_iter()
        .map(|(goal, verdict)| (goal.check.to_string(), verdict.met, verdict.reason))
        .collect();
    let feedback = exercise
        .wrong_attempts
        .iter()
        .filter(|w| w.detect.as_ref().is_some_and(|d| d.evaluate(&lab).met))
        .map(|w| w.feedback.clone())
        .collect();
    Checked { goals, feedback }
}

/// Runs one line.
pub fn run(
    world: &mut World,
    region: &str,
    connections: &mut Vec<(String, Connection)>,
    line: &str,
) -> Ran {
    let mut session = ec2lab_api::Session::new(std::mem::take(world), region);
    session.connections = std::mem::take(connections);
    let result = session.run_line(line);
    *world = session.world;
    *connections = session.connections;
    match result {
        Ok(outcome) => {
            let refused = match &outcome {
                ec2lab_api::Outcome::ApiError { code, message, .. } => {
                    Some((code.clone(), message.clone()))
                }
                _ => None,
            };
            Ran {
                text: outcome.to_text(),
                changed: refused.is_none() && !ec2lab_api::reads_only(line),
                refused,
            }
        }
        Err(error) => Ran {
            text: format!("{error}\n"),
            refused: Some(("InvalidCommandLine".into(), error.to_string())),
            changed: false,
        },
    }
}

/// The candidates for the line's last word.
pub fn complete(world: &World, region: &str, line: &str) -> Vec<String> {
    ec2lab_api::completions(world, region, line)
}
