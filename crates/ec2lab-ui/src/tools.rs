//! The views a learner reaches only by doing something, loaded on demand.
//!
//! The inspector (a selected resource's details, rule tables and
//! controls), the launch form a drop opens, the keyboard's drop menu and
//! the text view are not on screen when the page opens. The site build
//! (`--features split`, as for [`crate::engine`]) puts them, and everything
//! only they reach, in a WebAssembly chunk of their own, `split_tools.wasm`,
//! fetched the first time one is needed (a selection, a drop on a subnet,
//! the Text view button); until it is there each shows a line that says
//! so. Without the `split` feature (native tests, browser tests) they are
//! linked in and always loaded.

use ec2lab_sim::RegionState;
use yew::prelude::*;

use crate::app::{DropMenu, DropMenuProps, LaunchForm, LaunchFormProps};
use crate::inspector::{Inspector, InspectorProps};
use crate::model::LabView;

/// The views' entry points (plain function pointers, so the page calls
/// into the chunk without knowing its code).
pub struct Tools {
    /// The inspector of a selected resource.
    pub inspector: fn(InspectorProps) -> Html,
    /// The launch form.
    pub launch_form: fn(LaunchFormProps) -> Html,
    /// The drop menu of a selected resource.
    pub drop_menu: fn(DropMenuProps) -> Html,
    /// A Region as tables.
    pub text_view: fn(&RegionState) -> Html,
}

fn inspector(props: InspectorProps) -> Html {
    html! { <Inspector ..props /> }
}

fn launch_form(props: LaunchFormProps) -> Html {
    html! { <LaunchForm ..props /> }
}

fn drop_menu(props: DropMenuProps) -> Html {
    html! { <DropMenu ..props /> }
}

/// The views, for the loader.
pub static TOOLS: Tools = Tools {
    inspector,
    launch_form,
    drop_menu,
    text_view: crate::text_view::text_view,
};

#[cfg(not(feature = "split"))]
mod linked {
    use super::Tools;

    /// The views, linked in.
    pub fn loaded() -> Option<&'static Tools> {
        Some(&super::TOOLS)
    }

    /// The views, linked in.
    #[allow(clippy::unused_async)]
    pub async fn load() -> Option<&'static Tools> {
        loaded()
    }
}

#[cfg(feature = "split")]
#[allow(unsafe_code)] // The loader glue `wasm_split` writes: an import and its call.
mod split {
    use std::cell::Cell;

    use super::Tools;

    thread_local! {
        static LOADED: Cell<Option<&'static Tools>> = const { Cell::new(None) };
    }

    /// The split point: everything only this reaches goes into the chunk.
    #[wasm_split_helpers::wasm_split(tools, fallible)]
    fn tools_chunk() -> Result<&'static Tools, wasm_split_helpers::SplitLoaderError> {
        Ok(&super::TOOLS)
    }

    /// The views, if their chunk has been loaded.
    pub fn loaded() -> Option<&'static Tools> {
        LOADED.with(Cell::get)
    }

    /// Fetches the chunk (once) and returns the views; `None` if it could
    /// not be fetched.
    pub async fn load() -> Option<&'static Tools> {
        if let Some(tools) = loaded() {
            return Some(tools);
        }
        let tools = tools_chunk().await.ok()?;
        LOADED.with(|cell| cell.set(Some(tools)));
        Some(tools)
    }
}

#[cfg(not(feature = "split"))]
pub use linked::{load, loaded};
#[cfg(feature = "split")]
pub use split::{load, loaded};

/// Starts fetching the views, unless they are there: a pointer pressed on a
/// resource is about to select it (the inspector) or drop it (perhaps the
/// launch form), so the chunk is on its way before the button comes up.
pub fn prefetch() {
    if loaded().is_none() {
        wasm_bindgen_futures::spawn_local(async {
            let _ = load().await;
        });
    }
}

/// The views once loaded: `None` while loading, `Some(None)` if they could
/// not be.
#[hook]
fn use_tools() -> Option<Option<&'static Tools>> {
    let tools = use_state(|| loaded().map(Some));
    {
        let tools = tools.clone();
        use_effect_with((), move |()| {
            if tools.is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    tools.set(Some(load().await));
                });
            }
        });
    }
    *tools
}

/// What stands in for a view until its code is there.
fn waiting(what: &str, failed: bool) -> Html {
    if failed {
        html! { <p class="load-error" role="alert">{ format!("✗ {what} could not be loaded (offline before it was ever opened?). Reload the page when you are online.") }</p> }
    } else {
        html! { <p class="hint" role="status">{ format!("Loading {}…", what.to_ascii_lowercase()) }</p> }
    }
}

/// The inspector, once loaded.
#[function_component(LazyInspector)]
pub fn lazy_inspector(props: &InspectorProps) -> Html {
    match use_tools() {
        Some(Some(tools)) => (tools.inspector)(props.clone()),
        loading => waiting("The inspector", loading.is_some()),
    }
}

/// The launch form, once loaded.
#[function_component(LazyLaunchForm)]
pub fn lazy_launch_form(props: &LaunchFormProps) -> Html {
    match use_tools() {
        Some(Some(tools)) => (tools.launch_form)(props.clone()),
        loading => html! {
            <div class="dialog-backdrop">
                <div class="dialog" role="dialog" aria-modal="true" aria-label="Launch an instance">
                    { waiting("The launch form", loading.is_some()) }
                </div>
            </div>
        },
    }
}

/// The drop menu, once loaded (nothing until then: the inspector says it
/// is loading).
#[function_component(LazyDropMenu)]
pub fn lazy_drop_menu(props: &DropMenuProps) -> Html {
    match use_tools() {
        Some(Some(tools)) => (tools.drop_menu)(props.clone()),
        _ => Html::default(),
    }
}

/// Properties of [`LazyTextView`].
#[derive(Properties, PartialEq)]
pub struct TextViewProps {
    /// The lab.
    pub lab: LabView,
}

/// The text view, once loaded.
#[function_component(LazyTextView)]
pub fn lazy_text_view(props: &TextViewProps) -> Html {
    let tools = use_tools();
    let Some(region) = props.lab.world.region(&props.lab.region) else {
        return Html::default();
    };
    match tools {
        Some(Some(tools)) => (tools.text_view)(region),
        loading => waiting("The text view", loading.is_some()),
    }
}
