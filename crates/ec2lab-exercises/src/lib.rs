//! EC2 Lab's guided exercises.
//!
//! An exercise is data ([`format`]): a brief, the starting lab as script
//! lines, named goals, hints, a reference solution, known wrong attempts
//! with their feedback, and an explanation citing `aws-behaviour.md`.
//! Goals are [`goal::Predicate`]s the core's account is judged on after
//! every change; what the learner reads in the checklist is each
//! predicate's `Display`, built from the very properties that are checked.
//! [`check::check_pack`] proves a pack sound. The built-in catalogue is
//! embedded in the build ([`builtin`]).
//!
//! Like the core, this crate does no IO: packs come in as text, and the
//! CLI or the browser reads the file or URL.
//!
//! ```
//! use ec2lab_exercises::{builtin, goal::Lab};
//!
//! let pack = builtin();
//! let exercise = pack.exercises[0].instantiate(7).expect("the catalogue is valid");
//! let world = ec2lab_sim::default_lab();
//! let lab = Lab::new(&world, exercise.region());
//! for (goal, verdict) in exercise.evaluate(&lab) {
//!     println!("[{}] {}", if verdict.met { "x" } else { " " }, goal.check);
//! }
//! ```

#![warn(missing_docs)]

pub mod check;
pub mod format;
pub mod goal;
pub mod script;

pub use check::{check_exercise, check_pack, ExerciseReport, Report};
pub use format::{Exercise, Goal, Pack, PackError, Template, Track, WrongAttempt, FORMAT};
pub use goal::{Lab, Predicate, Verdict};

/// The catalogue's files, one per track, embedded in the build.
pub const CATALOGUE: [(&str, &str); 4] = [
    (
        "ami-vs-snapshot.json",
        include_str!("../catalogue/ami-vs-snapshot.json"),
    ),
    (
        "user-data-vs-ami.json",
        include_str!("../catalogue/user-data-vs-ami.json"),
    ),
    (
        "sg-vs-nacl.json",
        include_str!("../catalogue/sg-vs-nacl.json"),
    ),
    ("storage.json", include_str!("../catalogue/storage.json")),
];

/// The built-in catalogue as one pack, or the first error in its files.
pub fn try_builtin() -> Result<Pack, PackError> {
    let mut all = Pack {
        title: "EC2 Lab: built-in exercises".to_owned(),
        exercises: Vec::new(),
    };
    for (file, text) in CATALOGUE {
        let pack = Pack::from_json(text).map_err(|e| PackError {
            path: format!("{file}: {}", e.path),
            ..e
        })?;
        for template in pack.exercises {
            if all.get(template.id()).is_some() {
                return Err(PackError {
                    exercise: Some(template.id().to_owned()),
                    path: file.to_owned(),
                    message: "the id is used in two catalogue files".into(),
                    position: None,
                });
            }
            all.exercises.push(template);
        }
    }
    Ok(all)
}

/// The built-in catalogue. Its soundness is proved by the test suite
/// (`tests/catalogue.rs`); should a file be broken, the catalogue is empty
/// rather than a panic.
pub fn builtin() -> Pack {
    try_builtin().unwrap_or(Pack {
        title: String::new(),
        exercises: Vec::new(),
    })
}

impl Exercise {
    /// Every goal with its verdict on the lab, in order: the checklist.
    pub fn evaluate(&self, lab: &Lab<'_>) -> Vec<(&Goal, Verdict)> {
        self.goals
            .iter()
            .map(|g| (g, g.check.evaluate(lab)))
            .collect()
    }

    /// Whether every goal is met.
    pub fn is_solved(&self, lab: &Lab<'_>) -> bool {
        self.goals.iter().all(|g| g.check.evaluate(lab).met)
    }
}
