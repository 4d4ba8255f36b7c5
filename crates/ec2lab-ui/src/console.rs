//! The console's engine: `aws …` and `lab …` lines run against the lab's
//! account exactly as the `ec2lab` command runs them ([`ec2lab_api::Session`]),
//! printed as the AWS CLI prints them, and completed word by word.
//!
//! Only [`crate::engine`] names this module, so the site build puts it, and
//! all of `ec2lab_api`, in the chunk fetched on demand.

use std::cell::RefCell;
use std::rc::Rc;

use ec2lab_sim::{Connection, World};

use crate::engine::{Checked, Connections, Engine, Exercise, ExerciseSummary, PackSummary, Ran};

/// The engine's entry points.
pub static ENGINE: Engine = Engine {
    run,
    complete,
    continues,
    exercises,
    load_pack,
    drop_pack,
    start,
    check,
    picker,
    panel,
};

/// Whether Enter at the end of `line` starts a new line of the same
/// command instead of running it, as in bash: inside a quote, or after a
/// backslash that escapes the line break.
pub fn continues(line: &str) -> bool {
    let trailing = line.len() - line.trim_end_matches('\\').len();
    ec2lab_awscli::is_unfinished(line) || trailing % 2 == 1
}

/// The exercise picker: its component is only reached from here, so its
/// code is in the chunk too.
fn picker(props: crate::exercises_view::PickerProps) -> yew::Html {
    yew::html! { <crate::exercises_view::ExercisePicker ..props /> }
}

/// The exercise panel, under a key.
fn panel(props: crate::exercises_view::PanelProps, key: String) -> yew::Html {
    yew::html! { <crate::exercises_view::ExercisePanel key={key} ..props /> }
}

/// The largest pack the lab reads: the catalogue's biggest file is about
/// 40 KB, so this is room for a term's exercises, not for a hostile file.
const PACK_LIMIT: usize = 1 << 20;

thread_local! {
    /// The built-in catalogue, read once.
    static CATALOGUE: ec2lab_exercises::Pack = ec2lab_exercises::builtin();
    /// The instructors' packs loaded, each with its text.
    static PACKS: RefCell<Vec<(Rc<str>, ec2lab_exercises::Pack)>> = const { RefCell::new(Vec::new()) };
    /// The pack an open lab was started from, when it is not loaded (a
    /// newer version replaced it).
    static JUDGED: RefCell<Option<(Rc<str>, ec2lab_exercises::Pack)>> = const { RefCell::new(None) };
}

fn summaries(pack: &ec2lab_exercises::Pack, from: Option<&str>) -> Vec<ExerciseSummary> {
    pack.exercises
        .iter()
        .map(|t| ExerciseSummary {
            id: t.id().to_owned(),
            track: t.preview.track.title().to_owned(),
            title: t.preview.title.clone(),
            pack: from.map(str::to_owned),
        })
        .collect()
}

/// The built-in exercises, then the loaded packs'.
pub fn exercises() -> Vec<ExerciseSummary> {
    let mut all = CATALOGUE.with(|pack| summaries(pack, None));
    PACKS.with_borrow(|packs| {
        for (_, pack) in packs {
            all.extend(summaries(pack, Some(&pack.title)));
        }
    });
    all
}

/// Reads, proves and offers an instructor's pack.
pub fn load_pack(text: &str) -> Result<PackSummary, String> {
    if text.len() > PACK_LIMIT {
        return Err(format!(
            "the file is {} KB; the lab reads packs of up to {} KB",
            text.len() / 1024,
            PACK_LIMIT / 1024
        ));
    }
    // Where in the file, first, as `check-pack` prints it.
    let pack = ec2lab_exercises::Pack::from_json(text).map_err(|e| match e.position {
        Some((line, column)) => format!("line {line} column {column}: {e}"),
        None => e.to_string(),
    })?;
    if pack.exercises.is_empty() {
        return Err("the pack has no exercises".into());
    }
    let title = pack.title.clone();
    for template in &pack.exercises {
        let id = template.id();
        if CATALOGUE.with(|c| c.get(id).is_some()) {
            return Err(format!(
                "exercise '{id}' has the id of a built-in exercise; give it an id of its own"
            ));
        }
        let other = PACKS.with_borrow(|packs| {
            packs
                .iter()
                .find(|(_, p)| p.title != title && p.get(id).is_some())
                .map(|(_, p)| p.title.clone())
        });
        if let Some(other) = other {
            return Err(format!(
                "exercise '{id}' is also in the pack '{other}' loaded before; remove that pack first"
            ));
        }
    }
    // As `ec2lab check-pack` proves it: a pack that is not sound would
    // tell learners something its goals do not check.
    let report = ec2lab_exercises::check_pack(&pack);
    if !report.is_sound() {
        let problems: Vec<String> = report
            .exercises
            .iter()
            .filter(|e| !e.is_sound())
            .map(|e| {
                let more = match e.problems.len() - 1 {
                    0 => String::new(),
                    1 => " (and 1 more problem)".to_owned(),
                    n => format!(" (and {n} more problems)"),
                };
                format!("exercise '{}': {}{more}", e.id, e.problems[0])
            })
            .collect();
        return Err(format!(
            "it is not sound: {} (ec2lab check-pack on the file lists every problem)",
            problems.join(" · ")
        ));
    }
    let summary = PackSummary {
        title: title.clone(),
        exercises: summaries(&pack, Some(&title)),
    };
    PACKS.with_borrow_mut(|packs| {
        let entry = (Rc::from(text), pack);
        match packs.iter_mut().find(|(_, p)| p.title == title) {
            Some(slot) => *slot = entry,
            None => packs.push(entry),
        }
    });
    Ok(summary)
}

/// Forgets a loaded pack.
pub fn drop_pack(title: &str) {
    PACKS.with_borrow_mut(|packs| packs.retain(|(_, p)| p.title != title));
}

/// The exercise with the values of `seed`, and the text of the pack it is
/// from when that is not the catalogue.
fn instantiate(
    id: &str,
    seed: u64,
) -> Result<(ec2lab_exercises::Exercise, Option<Rc<str>>), String> {
    let loaded = PACKS.with_borrow(|packs| {
        packs.iter().find_map(|(text, pack)| {
            pack.get(id)
                .map(|t| t.instantiate(seed).map(|e| (e, Some(text.clone()))))
        })
    });
    if let Some(found) = loaded {
        return found.map_err(|e| e.to_string());
    }
    CATALOGUE.with(|pack| {
        pack.get(id)
            .ok_or_else(|| format!("there is no exercise '{id}'"))?
            .instantiate(seed)
            .map(|e| (e, None))
            .map_err(|e| e.to_string())
    })
}

/// Starts an exercise: runs its setup on the default lab.
pub fn start(id: &str, seed: u64) -> crate::engine::Started {
    let (exercise, pack) = instantiate(id, seed)?;
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
            pack,
        },
        world,
    ))
}

/// The exercise a lab was started as: from the text of its pack, if it
/// came from one, so a newer version of the pack loaded since (same title,
/// replacing it in the picker) never judges a lab started from the old one.
fn judged_as(exercise: &Exercise) -> Result<ec2lab_exercises::Exercise, String> {
    let Some(text) = exercise.pack.as_ref() else {
        return instantiate(&exercise.id, exercise.seed).map(|(e, _)| e);
    };
    let loaded = PACKS.with_borrow(|packs| {
        packs
            .iter()
            .find(|(t, _)| **t == **text)
            .map(|(_, pack)| pack.get(&exercise.id).map(|t| t.instantiate(exercise.seed)))
    });
    if let Some(found) = loaded {
        return found
            .ok_or_else(|| format!("there is no exercise '{}'", exercise.id))?
            .map_err(|e| e.to_string());
    }
    // Not loaded (any more): read once, kept while the lab is judged.
    JUDGED.with_borrow_mut(|judged| {
        if judged.as_ref().is_none_or(|(t, _)| **t != **text) {
            let pack = ec2lab_exercises::Pack::from_json(text).map_err(|e| e.to_string())?;
            *judged = Some((text.clone(), pack));
        }
        let (_, pack) = judged.as_ref().ok_or("no pack")?;
        pack.get(&exercise.id)
            .ok_or_else(|| format!("there is no exercise '{}'", exercise.id))?
            .instantiate(exercise.seed)
            .map_err(|e| e.to_string())
    })
}

/// The checklist for an account.
pub fn check(world: &World, connections: &Connections, started: &Exercise) -> Checked {
    let Ok(exercise) = judged_as(started) else {
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
