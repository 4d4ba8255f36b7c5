//! The console's engine, loaded on demand.
//!
//! Running `aws …` lines needs the AWS CLI's parser, AWS's JSON shapes and
//! the CLI's output formats ([`ec2lab_api`]): more code than the rest of the
//! page. The site build splits it into a WebAssembly chunk of its own
//! (`scripts/build-wasm.sh`, with the `split` feature) that shares the
//! page's memory, fetched the first time the learner reaches for the
//! console. Until then [`loaded`] is `None` and console lines are refused
//! with [`crate::model::CONSOLE_LOADING`]; once [`load`] has finished, the
//! engine is called synchronously, like any other code.
//!
//! Without the `split` feature (native tests, browser tests) the engine is
//! linked in and always loaded.

use ec2lab_sim::{Connection, World};

/// What one console line did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ran {
    /// What the AWS CLI (or the lab) printed.
    pub text: String,
    /// AWS's error code and message, or the lab's for a line that does not
    /// parse: nothing changed.
    pub refused: Option<(String, String)>,
    /// Whether the account may have changed (the line is not a `describe-*`
    /// or another that only reads).
    pub changed: bool,
}

/// The connections `lab connect` opened, by name (A13).
pub type Connections = Vec<(String, Connection)>;

/// An exercise as the picker lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExerciseSummary {
    /// Its id (`sg-open-web`).
    pub id: String,
    /// Its track's title.
    pub track: String,
    /// Its title.
    pub title: String,
    /// The title of the pack it came from, for one an instructor's pack
    /// loaded; `None` for the built-in catalogue.
    pub pack: Option<String>,
}

/// A pack the learner loaded: its title and exercises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackSummary {
    /// Its title.
    pub title: String,
    /// Its exercises, in order.
    pub exercises: Vec<ExerciseSummary>,
}

/// An exercise the learner started: everything the panel shows but the
/// live checklist.
#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    /// Its id.
    pub id: String,
    /// The seed its parameters were drawn from.
    pub seed: u64,
    /// Its track's title.
    pub track: String,
    /// Its title.
    pub title: String,
    /// What the learner is asked to do.
    pub brief: String,
    /// Hints, gentle to explicit.
    pub hints: Vec<String>,
    /// The reference solution as console lines, ids filled in as they came
    /// out when the lab ran it, each with the error code AWS is meant to
    /// answer it with, for a step that shows a refusal.
    pub solution: Vec<(String, Option<String>)>,
    /// The closing explanation.
    pub explanation: String,
    /// The `aws-behaviour.md` entries it rests on.
    pub behaviour: Vec<String>,
    /// The Region it starts in.
    pub region: String,
    /// The text of the instructor's pack it came from (saved with the lab,
    /// so the lab opens where the pack was never loaded); `None` for a
    /// built-in exercise.
    pub pack: Option<std::rc::Rc<str>>,
}

/// The checklist: each goal as the learner reads it, whether it is met and
/// why; and the feedback of every known wrong attempt the account shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checked {
    /// `(goal, met, reason)`, in order.
    pub goals: Vec<(String, bool, String)>,
    /// Feedback for misconceptions the account shows now.
    pub feedback: Vec<String>,
}

/// An exercise started: its text and the account its setup made, or why
/// it could not start.
pub type Started = Result<(Exercise, World), String>;

/// The engine's entry points (plain function pointers, so the page calls
/// into the chunk without knowing its code).
pub struct Engine {
    /// Runs a line against an account in a Region, with the connections
    /// `lab connect` opened.
    pub run: fn(&mut World, &str, &mut Connections, &str) -> Ran,
    /// The words that may complete a line (the last word's candidates).
    pub complete: fn(&World, &str, &str) -> Vec<String>,
    /// Whether a line goes on past its end, as a shell reads it: a quote
    /// still open (a user-data script typed in quotes) or a backslash last.
    pub continues: fn(&str) -> bool,
    /// The built-in exercises in catalogue order, then those of the packs
    /// loaded, in the order they were loaded.
    pub exercises: fn() -> Vec<ExerciseSummary>,
    /// Reads an instructor's pack (its JSON text), proves it sound as
    /// `ec2lab check-pack` does, and offers its exercises; a pack of the
    /// same title is replaced. Why not, naming where, if it is not.
    pub load_pack: fn(&str) -> Result<PackSummary, String>,
    /// Forgets a loaded pack (by title).
    pub drop_pack: fn(&str),
    /// Starts an exercise: its text and the account its setup makes.
    pub start: fn(&str, u64) -> Started,
    /// Judges an account against an exercise's goals: those of the pack
    /// the exercise was started from, even if another version of that pack
    /// has been loaded since.
    pub check: fn(&World, &Connections, &Exercise) -> Checked,
    /// Draws the exercise picker (its code is in the chunk).
    pub picker: fn(crate::exercises_view::PickerProps) -> yew::Html,
    /// Draws the exercise panel, keyed (a new start is a new panel).
    pub panel: fn(crate::exercises_view::PanelProps, String) -> yew::Html,
}

#[cfg(not(feature = "split"))]
mod linked {
    use super::Engine;

    /// The engine, linked in.
    pub fn loaded() -> Option<&'static Engine> {
        Some(&crate::console::ENGINE)
    }

    /// The engine, linked in.
    #[allow(clippy::unused_async)]
    pub async fn load() -> Option<&'static Engine> {
        loaded()
    }
}

#[cfg(feature = "split")]
#[allow(unsafe_code)] // The loader glue `wasm_split` writes: an import and its call.
mod split {
    use std::cell::Cell;

    use super::Engine;

    thread_local! {
        static LOADED: Cell<Option<&'static Engine>> = const { Cell::new(None) };
    }

    /// The split point: everything only this reaches goes into the chunk.
    #[wasm_split_helpers::wasm_split(console, fallible)]
    fn console_engine() -> Result<&'static Engine, wasm_split_helpers::SplitLoaderError> {
        Ok(&crate::console::ENGINE)
    }

    /// The engine, if its chunk has been loaded.
    pub fn loaded() -> Option<&'static Engine> {
        LOADED.with(Cell::get)
    }

    /// Fetches the chunk (once) and returns the engine; `None` if it could
    /// not be fetched (offline before it was ever cached, say).
    pub async fn load() -> Option<&'static Engine> {
        if let Some(engine) = loaded() {
            return Some(engine);
        }
        let engine = console_engine().await.ok()?;
        LOADED.with(|cell| cell.set(Some(engine)));
        Some(engine)
    }
}

#[cfg(not(feature = "split"))]
pub use linked::{load, loaded};
#[cfg(feature = "split")]
pub use split::{load, loaded};
