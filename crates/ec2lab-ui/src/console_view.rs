//! The console panel: type `aws ec2 …` or `lab …` lines as at a terminal,
//! with history on ↑/↓ and Tab completion of commands, options and
//! resource ids. Lines that change the account go through
//! [`crate::model::Lab::perform`] like every other action, so they are
//! logged and can be undone; lines that only read print and change nothing.
//!
//! The engine behind it is fetched the first time the panel is focused
//! ([`crate::engine`]); until it has arrived the prompt says so.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::{Action, LabView};

/// Properties of [`Console`].
#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// The lab.
    pub lab: LabView,
    /// Runs a line (an [`Action::Console`]).
    pub on_action: Callback<Action>,
}

/// How output is asked for when a line does not say (`--output`).
const FORMATS: [(&str, &str); 3] = [("json", "JSON"), ("table", "Table"), ("text", "Text")];

/// The line with the chosen output format added, if it is an `aws` line
/// that does not choose one itself.
pub fn with_format(line: &str, format: &str) -> String {
    let line = line.trim();
    if format == "json" || !line.starts_with("aws ") || line.contains("--output") {
        line.to_owned()
    } else {
        format!("{line} --output {format}")
    }
}

/// What Tab does to a line, given the candidates for its last word: the
/// line extended as far as every candidate agrees (with a space after a
/// single candidate), or `None` when it cannot be extended.
pub fn complete_line(line: &str, candidates: &[String]) -> Option<String> {
    let start = line.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let word = &line[start..];
    let first = candidates.first()?;
    let mut common = first.as_str();
    for c in &candidates[1..] {
        let same = common
            .char_indices()
            .zip(c.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8());
        common = &common[..same];
    }
    if !common.starts_with(word) {
        return None;
    }
    let mut out = format!("{}{common}", &line[..start]);
    if candidates.len() == 1 {
        out.push(' ');
    }
    (out != line).then_some(out)
}

/// Grows the console's field with the command's lines (up to eight; it
/// scrolls beyond).
fn fit(field: &web_sys::HtmlTextAreaElement) {
    let lines = field.value().lines().count().max(1) + usize::from(field.value().ends_with('\n'));
    field.set_rows(lines.min(8) as u32);
}

/// The console.
#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let loaded = use_state(|| crate::engine::loaded().is_some());
    let failed = use_state(|| false);
    let input = use_node_ref();
    let format = use_state(|| "json".to_owned());
    // Where ↑/↓ is in the history (counted back from the newest), and the
    // candidates a Tab listed for a line.
    let recall = use_mut_ref(|| None::<usize>);
    let listed = use_state(|| None::<(String, Vec<String>)>);
    let output = use_node_ref();

    // Keep the newest output in view.
    {
        let output = output.clone();
        use_effect_with(props.lab.console.len(), move |_| {
            if let Some(el) = output.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    // Fetches the engine (once); runs `then` when it is there.
    let fetch = {
        let loaded = loaded.clone();
        let failed = failed.clone();
        move |then: Option<Action>, on_action: Callback<Action>| {
            if *loaded {
                if let Some(action) = then {
                    on_action.emit(action);
                }
                return;
            }
            let loaded = loaded.clone();
            let failed = failed.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if crate::engine::load().await.is_some() {
                    loaded.set(true);
                    failed.set(false);
                    if let Some(action) = then {
                        on_action.emit(action);
                    }
                } else {
                    failed.set(true);
                }
            });
        }
    };
    let onfocus = {
        let fetch = fetch.clone();
        let on_action = props.on_action.clone();
        Callback::from(move |_: FocusEvent| fetch(None, on_action.clone()))
    };
    // Runs what is typed (from the Run button or Enter).
    let submit: Rc<dyn Fn()> = {
        let input = input.clone();
        let on_action = props.on_action.clone();
        let format = format.clone();
        let recall = recall.clone();
        let listed = listed.clone();
        Rc::new(move || {
            let Some(field) = input.cast::<web_sys::HtmlTextAreaElement>() else {
                return;
            };
            let line = field.value();
            if line.trim().is_empty() {
                return;
            }
            field.set_value("");
            fit(&field);
            *recall.borrow_mut() = None;
            listed.set(None);
            // A line typed before the engine arrived runs when it does.
            fetch(
                Some(Action::Console {
                    line: with_format(&line, &format),
                }),
                on_action.clone(),
            );
        })
    };
    let onsubmit = {
        let submit = submit.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            submit();
        })
    };
    let oninput = {
        let input = input.clone();
        Callback::from(move |_: InputEvent| {
            if let Some(field) = input.cast::<web_sys::HtmlTextAreaElement>() {
                fit(&field);
            }
        })
    };
    let history: Rc<Vec<String>> =
        Rc::new(props.lab.console.iter().map(|e| e.line.clone()).collect());
    let onkeydown = {
        let input = input.clone();
        let lab = props.lab.clone();
        let listed = listed.clone();
        Callback::from(move |event: KeyboardEvent| {
            let Some(field) = input.cast::<web_sys::HtmlTextAreaElement>() else {
                return;
            };
            // ↑ on the first line and ↓ on the last recall history; inside
            // a command of several lines they move the caret.
            let caret = field.selection_start().ok().flatten().unwrap_or(0) as usize;
            let value = field.value();
            let (before, after) = value.split_at(
                value
                    .char_indices()
                    .nth(caret)
                    .map_or(value.len(), |(i, _)| i),
            );
            let on_edge = match event.key().as_str() {
                "ArrowUp" => !before.contains('\n'),
                _ => !after.contains('\n'),
            };
            match event.key().as_str() {
                // Enter runs the command, unless it goes on (an open quote,
                // a backslash last, as bash reads it) or Shift is held:
                // then it starts the command's next line.
                "Enter" if !event.shift_key() => {
                    let goes_on = crate::engine::loaded().is_some_and(|e| (e.continues)(&value));
                    if !goes_on {
                        event.prevent_default();
                        submit();
                    }
                }
                "ArrowUp" | "ArrowDown" if !history.is_empty() && on_edge => {
                    event.prevent_default();
                    let mut at = recall.borrow_mut();
                    let next = match (*at, event.key() == "ArrowUp") {
                        (None, true) => Some(0),
                        (None, false) => None,
                        (Some(i), true) => Some((i + 1).min(history.len() - 1)),
                        (Some(0), false) => None,
                        (Some(i), false) => Some(i - 1),
                    };
                    *at = next;
                    let text = next
                        .map(|i| history[history.len() - 1 - i].clone())
                        .unwrap_or_default();
                    field.set_value(&text);
                    fit(&field);
                }
                "Tab" if !event.shift_key() => {
                    let Some(engine) = crate::engine::loaded() else {
                        return;
                    };
                    let line = field.value();
                    if line.trim().is_empty() {
                        return;
                    }
                    let candidates = (engine.complete)(&lab.world, &lab.region, &line);
                    if let Some(done) = complete_line(&line, &candidates) {
                        event.prevent_default();
                        field.set_value(&done);
                        fit(&field);
                        listed.set(None);
                    } else if candidates.len() > 1
                        && listed.as_ref().is_none_or(|(l, _)| *l != line)
                    {
                        // A second Tab on the same line moves focus on, as
                        // Tab does everywhere else: no keyboard trap.
                        event.prevent_default();
                        listed.set(Some((line, candidates)));
                    }
                }
                "Escape" => {
                    field.set_value("");
                    fit(&field);
                    *recall.borrow_mut() = None;
                    listed.set(None);
                }
                _ => {}
            }
        })
    };
    let onformat = {
        let format = format.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                format.set(select.value());
            }
        })
    };
    let entries = props.lab.console.iter().map(|entry| {
        html! {
            <li class={classes!(entry.error.then_some("error"))}>
                <div class="console-line"><span class="prompt" aria-hidden="true">{ "$ " }</span><code>{ entry.line.clone() }</code></div>
                if !entry.text.is_empty() {
                    <pre>{ entry.text.trim_end().to_owned() }</pre>
                }
            </li>
        }
    });
    let placeholder = if *failed {
        "the console could not be loaded (offline before it was ever opened?); focus to retry"
    } else if *loaded {
        "aws ec2 describe-instances   (Tab completes, ↑/↓ recalls, Shift+Enter adds a line)"
    } else {
        "aws ec2 …   (the console loads when you click here)"
    };
    html! {
        <section class="console" aria-label="Console">
            <div class="console-head">
                <h2>{ "Console" }</h2>
                <label class="console-format">{ "Output " }
                    <select aria-label="Output format" onchange={onformat}>
                        { for FORMATS.iter().map(|(v, label)| html! {
                            <option value={*v} selected={*v == format.as_str()}>{ *label }</option>
                        }) }
                    </select>
                </label>
            </div>
            <div class="console-output" role="log" aria-label="Console output" tabindex="0" ref={output}>
                if props.lab.console.is_empty() {
                    <p class="hint">{ "Type any AWS CLI line the lab knows, e.g. aws ec2 describe-subnets --query 'Subnets[].CidrBlock', or lab help." }</p>
                }
                <ol>{ for entries }</ol>
            </div>
            if let Some((_, candidates)) = listed.as_ref() {
                <p class="console-candidates" aria-live="polite">{ candidates.join("  ") }</p>
            }
            <form class="console-prompt" {onsubmit}>
                <span class="prompt" aria-hidden="true">{ "$" }</span>
                <textarea ref={input} rows="1" aria-label="Command console" autocomplete="off"
                    spellcheck="false" placeholder={placeholder} {onfocus} {onkeydown} {oninput}
                    aria-busy={if *loaded { "false" } else { "true" }} />
                <button type="submit" class="tool">{ "Run" }</button>
            </form>
        </section>
    }
}
