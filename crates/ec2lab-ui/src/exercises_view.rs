//! Guided exercises in the lab: the picker (by track, with progress), and
//! the panel beside the diagram with the brief, the live goal checklist,
//! hints one at a time, the solution behind a confirmation, and the
//! completion with its explanation and the commands the learner used.
//!
//! The exercises and their goals live in `ec2lab-exercises`, reached only
//! through the engine ([`crate::engine`]), so they load with the console;
//! so do [`ExercisePicker`] and [`ExercisePanel`], which the page draws
//! only through the engine (`Engine::picker`, `Engine::panel`; [`Picker`]
//! waits for it).
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

/// Where the instructors' packs this browser loaded are kept, one a line:
/// the pack's title, a tab, its text (escaped as saved labs escape it).
const PACKS_KEY: &str = "ec2lab.packs";

/// The packs kept in this browser: `(title, text)`.
fn stored_packs() -> Vec<(String, String)> {
    storage()
        .and_then(|s| s.get_item(PACKS_KEY).ok().flatten())
        .map(|t| {
            t.lines()
                .filter_map(|l| l.split_once('\t'))
                .map(|(title, text)| (crate::saved::unesc(title), crate::saved::unesc(text)))
                .collect()
        })
        .unwrap_or_default()
}

fn write_packs(packs: &[(String, String)]) {
    let text: Vec<String> = packs
        .iter()
        .map(|(title, text)| format!("{}\t{}", crate::saved::esc(title), crate::saved::esc(text)))
        .collect();
    if let Some(s) = storage() {
        let _ = s.set_item(PACKS_KEY, &text.join("\n"));
    }
}

/// Keeps a pack (replacing one of the same title).
fn store_pack(title: &str, text: &str) {
    let mut packs = stored_packs();
    packs.retain(|(t, _)| t != title);
    packs.push((title.to_owned(), text.to_owned()));
    write_packs(&packs);
}

fn unstore_pack(title: &str) {
    let mut packs = stored_packs();
    packs.retain(|(t, _)| t != title);
    write_packs(&packs);
}

/// An instructor's link to a pack: `#pack=<url>` opens it in the picker,
/// `#exercise=<id>&pack=<url>` opens one of its exercises. The URL comes
/// last and takes the rest of the fragment, so it need not be encoded
/// (it is decoded if it is).
pub fn pack_link(hash: &str) -> Option<(String, Option<String>)> {
    let (exercise, url) = if let Some(url) = hash.strip_prefix("#pack=") {
        (None, url)
    } else {
        let rest = hash.strip_prefix("#exercise=")?;
        let (id, url) = rest.split_once("&pack=")?;
        (Some(id.to_owned()), url)
    };
    let url = js_sys::decode_uri_component(url)
        .ok()
        .and_then(|u| u.as_string())
        .unwrap_or_else(|| url.to_owned());
    Some((url, exercise))
}

/// The text at a URL, or why not, in words.
async fn fetch_text(url: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window().ok_or("there is no window")?;
    let unreachable = || {
        format!("{url} could not be fetched (offline, a wrong address, or a server that does not let other sites read it: CORS)")
    };
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| unreachable())?
        .dyn_into::<web_sys::Response>()
        .map_err(|_| unreachable())?;
    if !response.ok() {
        return Err(format!(
            "the server answered {} {} for {url}",
            response.status(),
            response.status_text()
        ));
    }
    let text = response.text().map_err(|_| unreachable())?;
    wasm_bindgen_futures::JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(unreachable)
}

/// Loads a pack's text into the engine and keeps it: a message for the
/// picker, and the pack's title if it loaded.
fn take_pack(engine: &crate::engine::Engine, text: &str, from: &str) -> (bool, String) {
    match (engine.load_pack)(text) {
        Ok(pack) => {
            store_pack(&pack.title, text);
            (
                false,
                format!(
                    "Loaded the pack '{}' from {from}: {} exercise{}, every one proved sound; they are at the top of the list.",
                    pack.title,
                    pack.exercises.len(),
                    if pack.exercises.len() == 1 { "" } else { "s" }
                ),
            )
        }
        Err(why) => (
            true,
            format!("The pack from {from} was not loaded: {why}. Nothing else changed."),
        ),
    }
}

/// Properties of [`ExercisePicker`].
#[derive(Properties, PartialEq, Clone)]
pub struct PickerProps {
    /// Starts the chosen exercise (by id).
    pub on_start: Callback<String>,
    /// Closes the picker.
    pub on_close: Callback<()>,
    /// A pack to open first, from an instructor's link: its URL, and the
    /// exercise to start from it.
    #[prop_or_default]
    pub link: Option<(String, Option<String>)>,
}

/// The picker, once the engine (whose chunk holds its code) is loaded:
/// until then a dialog that says so.
#[function_component(Picker)]
pub fn lazy_picker(props: &PickerProps) -> Html {
    // `None` loading, `Some(None)` could not be loaded.
    let engine = use_state(|| crate::engine::loaded().map(Some));
    {
        let engine = engine.clone();
        use_effect_with((), move |()| {
            if engine.is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    engine.set(Some(crate::engine::load().await));
                });
            }
        });
    }
    if let Some(Some(engine)) = *engine {
        return (engine.picker)(props.clone());
    }
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    html! {
        <div class="dialog-backdrop">
            <div class="dialog exercise-picker" role="dialog" aria-modal="true" aria-labelledby="picker-title">
                <h2 id="picker-title">{ "Exercises" }</h2>
                if engine.is_some() {
                    <p role="alert">{ "The exercises could not be loaded (offline before they were ever opened?)." }</p>
                } else {
                    <p role="status">{ "Loading the exercises…" }</p>
                }
                <div class="controls">
                    <button type="button" class="tool" onclick={close}>{ "Close" }</button>
                </div>
            </div>
        </div>
    }
}

/// The list of exercises, grouped by track, each marked when finished;
/// instructors' packs below, loaded from a file or a URL.
#[function_component(ExercisePicker)]
pub fn exercise_picker(props: &PickerProps) -> Html {
    let list = use_state(|| None::<Vec<ExerciseSummary>>);
    let failed = use_state(|| false);
    // What the last pack load said: (is an error, text).
    let said = use_state(|| None::<(bool, String)>);
    let url = use_state(String::new);
    {
        let list = list.clone();
        let failed = failed.clone();
        let said = said.clone();
        let link = props.link.clone();
        let on_start = props.on_start.clone();
        use_effect_with((), move |()| {
            wasm_bindgen_futures::spawn_local(async move {
                let Some(engine) = crate::engine::load().await else {
                    failed.set(true);
                    return;
                };
                // The packs this browser kept come back first; one that no
                // longer reads is dropped with a word, never in silence.
                let mut notes = Vec::new();
                for (title, text) in stored_packs() {
                    if let Err(why) = (engine.load_pack)(&text) {
                        unstore_pack(&title);
                        notes.push(format!("The pack '{title}' kept in this browser no longer reads ({why}); it was removed."));
                    }
                }
                let stale = !notes.is_empty();
                if let Some((url, exercise)) = link {
                    let (error, text) = match fetch_text(&url).await {
                        Ok(text) => take_pack(engine, &text, &url),
                        Err(why) => (
                            true,
                            format!("The pack was not loaded: {why}. Nothing else changed."),
                        ),
                    };
                    notes.push(text);
                    if let (false, Some(id)) = (error, exercise) {
                        on_start.emit(id);
                    }
                    said.set(Some((error || stale, notes.join(" "))));
                } else if !notes.is_empty() {
                    said.set(Some((true, notes.join(" "))));
                }
                list.set(Some((engine.exercises)()));
            });
        });
    }
    let refresh = {
        let list = list.clone();
        move || list.set(crate::engine::loaded().map(|e| (e.exercises)()))
    };
    let from_file = {
        let said = said.clone();
        let refresh = refresh.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value("");
            let name = file.name();
            let promise = file.text();
            let said = said.clone();
            let refresh = refresh.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(promise).await;
                let outcome = match (
                    text.ok().and_then(|t| t.as_string()),
                    crate::engine::loaded(),
                ) {
                    (Some(text), Some(engine)) => {
                        take_pack(engine, &text, &format!("the file {name}"))
                    }
                    (None, _) => (true, format!("The file {name} could not be read.")),
                    (_, None) => (
                        true,
                        "The exercises are still loading; try again in a moment.".into(),
                    ),
                };
                said.set(Some(outcome));
                refresh();
            });
        })
    };
    let from_url = {
        let said = said.clone();
        let url = url.clone();
        let refresh = refresh.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let address = url.trim().to_owned();
            if address.is_empty() {
                said.set(Some((true, "Type the pack's address first.".into())));
                return;
            }
            let said = said.clone();
            let refresh = refresh.clone();
            said.set(Some((false, format!("Fetching {address}…"))));
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = match (fetch_text(&address).await, crate::engine::loaded()) {
                    (Ok(text), Some(engine)) => take_pack(engine, &text, &address),
                    (Err(why), _) => (
                        true,
                        format!("The pack was not loaded: {why}. Nothing else changed."),
                    ),
                    (_, None) => (
                        true,
                        "The exercises are still loading; try again in a moment.".into(),
                    ),
                };
                said.set(Some(outcome));
                refresh();
            });
        })
    };
    let done = progress();
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let choice = |e: &ExerciseSummary, with_track: bool| {
        let finished = done.contains(&e.id);
        let on_start = props.on_start.clone();
        let id = e.id.clone();
        html! {
            <li>
                <button type="button" class="exercise-choice" onclick={Callback::from(move |_| on_start.emit(id.clone()))}>
                    <span class="mark" aria-hidden="true">{ if finished { "✓" } else { "○" } }</span>
                    <span>
                        { e.title.clone() }
                        if with_track { <span class="choice-track">{ format!(" · {}", e.track) }</span> }
                    </span>
                    if finished { <span class="visually-hidden">{ " (finished)" }</span> }
                </button>
            </li>
        }
    };
    let body = match list.as_ref() {
        None if *failed => {
            html! { <p role="alert">{ "The exercises could not be loaded (offline before they were ever opened?)." }</p> }
        }
        None => html! { <p role="status">{ "Loading the exercises…" }</p> },
        Some(list) => {
            let builtin: Vec<&ExerciseSummary> = list.iter().filter(|e| e.pack.is_none()).collect();
            let mut tracks: Vec<&str> = Vec::new();
            for e in &builtin {
                if !tracks.contains(&e.track.as_str()) {
                    tracks.push(&e.track);
                }
            }
            let mut packs: Vec<&str> = Vec::new();
            for e in list {
                if let Some(p) = e.pack.as_deref() {
                    if !packs.contains(&p) {
                        packs.push(p);
                    }
                }
            }
            html! {
                <>
                    <p class="hint">{ format!("{} of {} finished. Your lab is kept in this browser while you work on one.", list.iter().filter(|e| done.contains(&e.id)).count(), list.len()) }</p>
                    if builtin.is_empty() {
                        <p role="alert">{ "The built-in catalogue could not be read." }</p>
                    }
                    { for packs.iter().map(|title| {
                        let remove = {
                            let title = (*title).to_owned();
                            let refresh = refresh.clone();
                            let said = said.clone();
                            Callback::from(move |_| {
                                if let Some(engine) = crate::engine::loaded() {
                                    (engine.drop_pack)(&title);
                                }
                                unstore_pack(&title);
                                said.set(Some((false, format!("Removed the pack '{title}'. Its finished exercises stay in your progress."))));
                                refresh();
                            })
                        };
                        html! {
                            <section class="track pack">
                                <h3>{ format!("Pack: {title}") }</h3>
                                <ul>{ for list.iter().filter(|e| e.pack.as_deref() == Some(*title)).map(|e| choice(e, true)) }</ul>
                                <button type="button" class="tool" onclick={remove}>{ format!("Remove pack '{title}'") }</button>
                            </section>
                        }
                    }) }
                    { for tracks.iter().map(|track| html! {
                        <section class="track">
                            <h3>{ *track }</h3>
                            <ul>{ for builtin.iter().filter(|e| e.track == *track).map(|e| choice(e, false)) }</ul>
                        </section>
                    }) }
                </>
            }
        }
    };
    let on_url = {
        let url = url.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                url.set(input.value());
            }
        })
    };
    html! {
        <div class="dialog-backdrop">
            <div class="dialog exercise-picker" role="dialog" aria-modal="true" aria-labelledby="picker-title">
                <h2 id="picker-title">{ "Exercises" }</h2>
                { body }
                <section class="load-pack" aria-labelledby="load-pack-title">
                    <h3 id="load-pack-title">{ "An instructor's pack" }</h3>
                    <p class="hint">{ "A pack is a JSON file in the ec2lab-exercises/1 format; each is proved sound, as ec2lab check-pack proves it, before its exercises are offered." }</p>
                    <label class="tool file-tool">
                        { "Load a pack from a file" }
                        <input type="file" accept=".json,application/json" class="visually-hidden" onchange={from_file} />
                    </label>
                    <form class="pack-url" onsubmit={from_url}>
                        <label>
                            { "Pack URL" }
                            <input type="url" placeholder="https://example.edu/ec2-week3.json" value={(*url).clone()} oninput={on_url} />
                        </label>
                        <button type="submit" class="tool">{ "Open pack" }</button>
                    </form>
                    if let Some((error, text)) = said.as_ref() {
                        <p class={classes!("pack-said", error.then_some("form-error"))} role={if *error { "alert" } else { "status" }}>{ text.clone() }</p>
                    }
                </section>
                <div class="controls">
                    <button type="button" class="tool" onclick={Callback::from(|_| export_progress())}>{ "Export progress" }</button>
                    <button type="button" class="tool" onclick={close}>{ "Close" }</button>
                </div>
            </div>
        </div>
    }
}

/// Properties of [`ExercisePanel`].
#[derive(Properties, PartialEq, Clone)]
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
            (Some(engine), Some(exercise)) => {
                (engine.check)(&props.lab.world, &props.lab.connections, exercise)
            }
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
