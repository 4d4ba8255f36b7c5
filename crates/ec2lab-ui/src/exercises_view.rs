//! Guided exercises in the lab: the picker (by track, with progress), and
//! the panel beside the diagram with the brief, the live goal checklist,
//! hints one at a time, the solution behind a confirmation, and the
//! completion with its explanation and the commands the learner used.
//!
//! The exercises and their goals live in `ec2lab-exercises`, reached only
//! through the engine ([`crate::engine`]), so they load with the console.
//! The checklist is exactly what is checked: each line is the goal's own
//! text, judged on the account after every change, however it got there.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::{Checked, ExerciseSummary};
use crate::model::{Action, LabView};

/// Where the ids of finished exercises are kept.
pub const PROGRESS_KEY: &str = "ec2lab.progress";
/// Where this browser's seed is kept: each learner draws their own numbers.
const SEED_KEY: &str = "ec2lab.seed";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The exercises this browser has finished.
pub fn progress() -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(PROGRESS_KEY).ok().flatten())
        .map(|t| t.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn record(id: &str) {
    let mut done = progress();
    if done.iter().any(|d| d == id) {
        return;
    }
    done.push(id.to_owned());
    if let Some(s) = storage() {
        let _ = s.set_item(PROGRESS_KEY, &done.join("\n"));
    }
}

/// Downloads the finished exercises as a text file, one id a line.
fn export_progress() {
    use wasm_bindgen::JsCast;
    let text = format!(
        "# EC2 Lab: exercises finished in this browser\n{}\n",
        progress().join("\n")
    );
    let parts = js_sys::Array::new();
    parts.push(&wasm_bindgen::JsValue::from_str(&text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(anchor) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        anchor.set_href(&url);
        anchor.set_download("ec2-lab-progress.txt");
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// This browser's seed, drawn once.
pub fn seed() -> u64 {
    let store = storage();
    if let Some(seed) = store
        .as_ref()
        .and_then(|s| s.get_item(SEED_KEY).ok().flatten())
        .and_then(|t| t.parse().ok())
    {
        return seed;
    }
    let seed = (js_sys::Math::random() * 1e9) as u64;
    if let Some(s) = store {
        let _ = s.set_item(SEED_KEY, &seed.to_string());
    }
    seed
}

/// Properties of [`ExercisePicker`].
#[derive(Properties, PartialEq)]
pub struct PickerProps {
    /// Starts the chosen exercise (by id).
    pub on_start: Callback<String>,
    /// Closes the picker.
    pub on_close: Callback<()>,
}

/// The list of exercises, grouped by track, each marked when finished.
#[function_component(ExercisePicker)]
pub fn exercise_picker(props: &PickerProps) -> Html {
    let list = use_state(|| crate::engine::loaded().map(|e| (e.exercises)()));
    let failed = use_state(|| false);
    {
        let list = list.clone();
        let failed = failed.clone();
        use_effect_with((), move |()| {
            if list.is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    match crate::engine::load().await {
                        Some(engine) => list.set(Some((engine.exercises)())),
                        None => failed.set(true),
                    }
                });
            }
        });
    }
    let done = progress();
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let body = match list.as_ref() {
        None if *failed => {
            html! { <p role="alert">{ "The exercises could not be loaded (offline before they were ever opened?)." }</p> }
        }
        None => html! { <p role="status">{ "Loading the exercises…" }</p> },
        Some(list) if list.is_empty() => {
            html! { <p role="alert">{ "No exercises: the catalogue could not be read." }</p> }
        }
        Some(list) => {
            let mut tracks: Vec<&str> = Vec::new();
            for e in list {
                if !tracks.contains(&e.track.as_str()) {
                    tracks.push(&e.track);
                }
            }
            html! {
                <>
                    <p class="hint">{ format!("{} of {} finished. Your lab is kept in this browser while you work on one.", list.iter().filter(|e| done.contains(&e.id)).count(), list.len()) }</p>
                    { for tracks.iter().map(|track| {
                        let items: Vec<&ExerciseSummary> = list.iter().filter(|e| e.track == *track).collect();
                        html! {
                            <section class="track">
                                <h3>{ *track }</h3>
                                <ul>
                                    { for items.iter().map(|e| {
                                        let finished = done.contains(&e.id);
                                        let on_start = props.on_start.clone();
                                        let id = e.id.clone();
                                        html! {
                                            <li>
                                                <button type="button" class="exercise-choice" onclick={Callback::from(move |_| on_start.emit(id.clone()))}>
                                                    <span class="mark" aria-hidden="true">{ if finished { "✓" } else { "○" } }</span>
                                                    { e.title.clone() }
                                                    if finished { <span class="visually-hidden">{ " (finished)" }</span> }
                                                </button>
                                            </li>
                                        }
                                    }) }
                                </ul>
                            </section>
                        }
                    }) }
                </>
            }
        }
    };
    html! {
        <div class="dialog-backdrop">
            <div class="dialog exercise-picker" role="dialog" aria-modal="true" aria-labelledby="picker-title">
                <h2 id="picker-title">{ "Exercises" }</h2>
                { body }
                <div class="controls">
                    <button type="button" class="tool" onclick={Callback::from(|_| export_progress())}>{ "Export progress" }</button>
                    <button type="button" class="tool" onclick={close}>{ "Close" }</button>
                </div>
            </div>
        </div>
    }
}

/// Properties of [`ExercisePanel`].
#[derive(Properties, PartialEq)]
pub struct PanelProps {
    /// The lab, which has an exercise.
    pub lab: LabView,
    /// Runs a solution step (a console line).
    pub on_action: Callback<Action>,
    /// Starts the exercise over.
    pub on_restart: Callback<String>,
    /// Leaves the exercise for the default lab.
    pub on_leave: Callback<()>,
}

/// The exercise beside the diagram.
#[function_component(ExercisePanel)]
pub fn exercise_panel(props: &PanelProps) -> Html {
    let hints = use_state(|| 0usize);
    let solution = use_state(|| false);
    let checked: Rc<Checked> = Rc::new(
        match (crate::engine::loaded(), props.lab.exercise.as_ref()) {
            (Some(engine), Some(exercise)) => (engine.check)(
                &props.lab.world,
                &props.lab.connections,
                &exercise.id,
                exercise.seed,
            ),
            _ => Checked::default(),
        },
    );
    let solved = !checked.goals.is_empty() && checked.goals.iter().all(|g| g.1);
    // A finished exercise is kept in the progress, whatever happens next.
    use_effect_with(
        props
            .lab
            .exercise
            .as_ref()
            .filter(|_| solved)
            .map(|e| e.id.clone()),
        |id| {
            if let Some(id) = id {
                record(id);
            }
        },
    );
    let Some(exercise) = props.lab.exercise.clone() else {
        return Html::default();
    };
    let met = checked.goals.iter().filter(|g| g.1).count();
    let next_hint = {
        let hints = hints.clone();
        let total = exercise.hints.len();
        Callback::from(move |_| hints.set((*hints + 1).min(total)))
    };
    let show_solution = {
        let solution = solution.clone();
        Callback::from(move |_| {
            let sure = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(
                        "Show the solution? Try the hints first: the lab is yours to break.",
                    )
                    .ok()
                })
                .unwrap_or(false);
            if sure {
                solution.set(true);
            }
        })
    };
    let restart = {
        let on_restart = props.on_restart.clone();
        let id = exercise.id.clone();
        Callback::from(move |_| on_restart.emit(id.clone()))
    };
    let leave = {
        let on_leave = props.on_leave.clone();
        Callback::from(move |_| on_leave.emit(()))
    };
    let used: Vec<String> = props
        .lab
        .log
        .iter()
        .filter(|e| e.error.is_none() && !e.cli.starts_with('#'))
        .map(|e| e.cli.clone())
        .collect();
    html! {
        <section class="exercise" aria-labelledby="exercise-title">
            <p class="exercise-track">{ format!("Exercise · {}", exercise.track) }</p>
            <h2 id="exercise-title">{ exercise.title.clone() }</h2>
            <p class="brief">{ exercise.brief.clone() }</p>
            <h3 id="goals-title">{ format!("Goals: {met} of {} met", checked.goals.len()) }</h3>
            <ul class="goals" aria-labelledby="goals-title" aria-live="polite">
                { for checked.goals.iter().map(|(goal, ok, reason)| html! {
                    <li class={classes!(ok.then_some("met"))}>
                        <span class="mark" aria-hidden="true">{ if *ok { "✓" } else { "○" } }</span>
                        <span>{ goal.clone() }</span>
                        <span class="visually-hidden">{ if *ok { " (met)" } else { " (not yet)" } }</span>
                        <span class="reason">{ reason.clone() }</span>
                    </li>
                }) }
            </ul>
            { for checked.feedback.iter().map(|f| html! { <p class="feedback" role="alert">{ format!("Careful: {f}") }</p> }) }
            if solved {
                <div class="complete" role="status">
                    <h3>{ "Exercise complete" }</h3>
                    <p>{ exercise.explanation.clone() }</p>
                    <p class="hint">{ format!("From aws-behaviour.md: {}", exercise.behaviour.join(", ")) }</p>
                    if !used.is_empty() {
                        <details open=true>
                            <summary>{ "The commands you used" }</summary>
                            <ol class="used">{ for used.iter().map(|l| html! { <li><code>{ l.clone() }</code></li> }) }</ol>
                        </details>
                    }
                </div>
            }
            <ol class="hints">
                { for exercise.hints.iter().take(*hints).map(|h| html! { <li>{ h.clone() }</li> }) }
            </ol>
            <div class="controls">
                <button type="button" class="tool" disabled={*hints >= exercise.hints.len()} onclick={next_hint}>
                    { format!("Hint ({} of {})", (*hints + 1).min(exercise.hints.len()), exercise.hints.len()) }
                </button>
                if !*solution {
                    <button type="button" class="tool" onclick={show_solution}>{ "Show solution" }</button>
                }
                <button type="button" class="tool" onclick={restart}>{ "Restart" }</button>
                <button type="button" class="tool" onclick={leave}>{ "Leave" }</button>
            </div>
            if *solution {
                <div class="solution">
                    <h3>{ "Solution, step by step" }</h3>
                    <ol>
                        { for exercise.solution.iter().map(|(line, refused)| {
                            let on_action = props.on_action.clone();
                            let action = Action::Console { line: line.clone() };
                            html! {
                                <li>
                                    <code>{ line.clone() }</code>
                                    if let Some(code) = refused {
                                        <span class="expected">{ format!(" (AWS refuses this with {code}: that is the lesson)") }</span>
                                    }
                                    <button type="button" class="tool" aria-label={format!("Run: {line}")}
                                        onclick={Callback::from(move |_| on_action.emit(action.clone()))}>{ "Run" }</button>
                                </li>
                            }
                        }) }
                    </ol>
                </div>
            }
        </section>
    }
}
