//! The application shell: header (undo, redo, reset), the diagram with
//! drag and drop, the inspector, and the event log.
//!
//! State lives in one reducer ([`LabState`]); every change of the account
//! goes through [`Lab::perform`], so it is logged as its CLI line and can be
//! undone. The diagram is redrawn from the account after each change.

use std::rc::Rc;

use ec2lab_sim::{default_lab, DEFAULT_REGION};
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

use crate::diagram::DiagramView;
use crate::drag::drop_at;
use crate::layout::{layout, Diagram};
use crate::model::{Action, Lab, LabView};

/// What the screen shows besides the account.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// The text.
    pub text: String,
    /// Whether it reports a refusal.
    pub error: bool,
}

/// The app's state.
#[derive(Clone, Debug)]
pub struct LabState {
    /// The lab.
    pub lab: LabView,
    /// The selected resource.
    pub selected: Option<String>,
    /// The last action's outcome, shown where the learner looks.
    pub notice: Option<Notice>,
    /// The lab as tables instead of the diagram.
    pub text_view: bool,
    /// A launch waiting for its form (an AMI dropped on a subnet); one
    /// `Rc` while the form is open, so the form's properties compare by it.
    pub launch: Option<Rc<Action>>,
    /// Why AWS refused the launch form's last launch: the form stays open
    /// with the learner's values and says so.
    pub launch_error: Option<String>,
    /// A lab being opened that needs the browser's help first (a
    /// compressed link to inflate, or console lines that need the console's
    /// engine). Until it is open nothing is autosaved, so the learner's own
    /// lab stays where it was.
    pub opening: Option<Rc<Opening>>,
}

/// A lab waiting to be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opening {
    /// From a share link.
    Link(crate::share::Payload),
    /// The autosaved lab.
    Saved(String),
}

/// What can happen to the state.
pub enum Msg {
    /// Do an action.
    Perform(Action),
    /// Undo the last action.
    Undo,
    /// Redo.
    Redo,
    /// Back to the default lab.
    Reset,
    /// Select a resource (or nothing).
    Select(Option<String>),
    /// Show another Region.
    Region(String),
    /// Switch between the diagram and the text view.
    ToggleText,
    /// Say something without changing the account.
    Notify(Notice),
    /// Replace the lab with one loaded from a file (its text).
    Load(String),
    /// Open the launch form for a launch (or close it with `None`).
    Prepare(Option<Action>),
    /// The lab being opened is ready: its text, or why it cannot be had.
    Opened(Result<String, String>),
    /// The learner moved nodes on the diagram: the new list of moves.
    Moved(Vec<(String, i32, i32)>),
    /// An exercise started (its text and the account its setup made), or
    /// why it could not.
    Started(crate::engine::Started),
    /// Leave the exercise for the lab the learner had before it.
    Leave,
}

/// Where autosave keeps the lab.
const SAVED_KEY: &str = "ec2lab.lab";
/// Where a saved lab goes when a share link replaces it, or when it could
/// not be loaded: never lost.
const KEPT_KEY: &str = "ec2lab.lab.kept";
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn saved_text() -> Option<String> {
    storage()?.get_item(SAVED_KEY).ok().flatten()
}

/// Keeps text where the learner can get it back.
fn keep(text: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEPT_KEY, text);
    }
}

impl LabState {
    fn with(lab: Lab, notice: Option<Notice>) -> Self {
        Self {
            lab: LabView(Rc::new(lab)),
            selected: None,
            notice,
            text_view: false,
            launch: None,
            launch_error: None,
            opening: None,
        }
    }

    /// The lab to start with: a share link's, else the autosaved one, else
    /// the default lab. What cannot be loaded is refused with a message and
    /// kept, never thrown away. A lab that needs the browser's help to open
    /// (see [`Opening`]) starts as the default lab with `opening` set; the
    /// app then opens it and sends [`Msg::Opened`].
    pub fn restore() -> Self {
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        // A link to an instructor's pack is opened by the picker (it must
        // be fetched); the learner's own lab is shown meanwhile.
        if crate::exercises_view::pack_link(&hash).is_some() {
            return Self::restore_saved();
        }
        // `#exercise=<id>`: an instructor's link to one built-in exercise,
        // with this learner's own numbers.
        if let Some(id) = hash.strip_prefix("#exercise=") {
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return Self::opened_link(Err(format!("'{id}' is not an exercise id")));
            }
            let seed = crate::exercises_view::seed();
            return Self::waiting(Opening::Link(crate::share::Payload::Text(format!(
                "ec2lab-lab 2\nexercise\t{id}\t{seed}\n"
            ))));
        }
        if crate::share::is_link(&hash) {
            return match crate::share::payload(&hash) {
                Ok(crate::share::Payload::Text(text)) if !crate::saved::needs_console(&text) => {
                    Self::opened_link(Ok(text))
                }
                Ok(payload) => Self::waiting(Opening::Link(payload)),
                Err(why) => Self::opened_link(Err(why)),
            };
        }
        Self::restore_saved()
    }

    /// The autosaved lab, else the default lab.
    fn restore_saved() -> Self {
        match saved_text() {
            None => Self::default(),
            Some(text) if crate::saved::needs_console(&text) => Self::waiting(Opening::Saved(text)),
            Some(text) => Self::opened_saved(&text),
        }
    }

    fn waiting(opening: Opening) -> Self {
        let mut state = Self::with(
            Lab::new(default_lab(), DEFAULT_REGION),
            Some(Notice {
                text: "Opening the lab…".into(),
                error: false,
            }),
        );
        state.opening = Some(Rc::new(opening));
        state
    }

    /// The autosaved lab, or the default lab with a message and the text
    /// kept.
    fn opened_saved(text: &str) -> Self {
        match crate::saved::load(text) {
            Ok(lab) => Self::with(lab, None),
            Err(e) => {
                keep(text);
                Self::with(
                    Lab::new(default_lab(), DEFAULT_REGION),
                    Some(Notice {
                        text: format!("Your saved lab could not be loaded ({e}); it is kept in this browser under '{KEPT_KEY}', and the default lab is shown."),
                        error: true,
                    }),
                )
            }
        }
    }

    /// A link's lab, or the learner's own with a message.
    fn opened_link(text: Result<String, String>) -> Self {
        let loaded = text.and_then(|text| crate::saved::load(&text).map_err(|e| e.to_string()));
        match loaded {
            Ok(lab) => {
                // The learner's own lab is kept before the link replaces it.
                if let Some(previous) = saved_text() {
                    keep(&previous);
                }
                Self::with(
                    lab,
                    Some(Notice {
                        text: format!("Opened the lab from the link. Your own lab, if you had one, is kept in this browser under '{KEPT_KEY}'."),
                        error: false,
                    }),
                )
            }
            Err(why) => {
                let own = saved_text()
                    .and_then(|text| crate::saved::load(&text).ok())
                    .unwrap_or_else(|| Lab::new(default_lab(), DEFAULT_REGION));
                Self::with(
                    own,
                    Some(Notice {
                        text: format!(
                            "The link's lab could not be opened: {why}. Your own lab is unchanged."
                        ),
                        error: true,
                    }),
                )
            }
        }
    }
}

/// Opens a lab that needs the browser: inflates a link, fetches the
/// console's engine if the lab has console lines. The text, or why not.
async fn open(opening: &Opening) -> Result<String, String> {
    let text = match opening {
        Opening::Saved(text) | Opening::Link(crate::share::Payload::Text(text)) => text.clone(),
        Opening::Link(crate::share::Payload::Deflated(bytes)) => {
            crate::share::decompress(bytes).await?
        }
    };
    if crate::saved::needs_console(&text) && crate::engine::load().await.is_none() {
        return Err("it has console lines and the console could not be loaded (offline before it was ever opened?)".into());
    }
    Ok(text)
}

impl Default for LabState {
    fn default() -> Self {
        Self::with(Lab::new(default_lab(), DEFAULT_REGION), None)
    }
}

impl Reducible for LabState {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut state = (*self).clone();
        match msg {
            Msg::Prepare(launch) => {
                state.launch = launch.map(Rc::new);
                state.launch_error = None;
            }
            Msg::Started(Ok((exercise, world))) => {
                // The learner's own lab is kept while they work on one.
                if state.lab.exercise.is_none() {
                    keep(&crate::saved::save(&state.lab));
                }
                state.notice = Some(Notice {
                    text: format!(
                        "Exercise: {}. Its goals are beside the diagram.",
                        exercise.title
                    ),
                    error: false,
                });
                state.lab = LabView(Rc::new(Lab::for_exercise(exercise, world)));
                state.selected = None;
                state.launch = None;
            }
            Msg::Started(Err(why)) => {
                state.notice = Some(Notice {
                    text: format!(
                        "The exercise could not be started: {why}. Your lab is unchanged."
                    ),
                    error: true,
                });
            }
            Msg::Leave => {
                let kept = storage()
                    .and_then(|s| s.get_item(KEPT_KEY).ok().flatten())
                    .and_then(|text| crate::saved::load(&text).ok())
                    .filter(|lab| lab.exercise.is_none());
                state.lab = LabView(Rc::new(
                    kept.unwrap_or_else(|| Lab::new(default_lab(), DEFAULT_REGION)),
                ));
                state.selected = None;
                state.notice = Some(Notice {
                    text: "Back to your own lab.".into(),
                    error: false,
                });
            }
            Msg::Moved(moved) => {
                let mut lab = (*state.lab.0).clone();
                lab.moved = moved;
                state.lab = LabView(Rc::new(lab));
            }
            Msg::Perform(Action::Launch { .. }) if state.launch.is_none() => {
                if let Msg::Perform(action) = msg {
                    state.launch = Some(Rc::new(action));
                }
            }
            Msg::Perform(action) => {
                let from_form = state.launch.is_some();
                state.launch = None;
                state.launch_error = None;
                let mut lab = (*state.lab.0).clone();
                let result = lab.perform(&action);
                if let (true, Action::Launch { .. }, Err(e)) = (from_form, &action, &result) {
                    state.launch = Some(Rc::new(action.clone()));
                    state.launch_error = Some(e.to_string());
                }
                // The console prints its own outcome where the learner typed.
                if !matches!(action, Action::Console { .. }) {
                    let line = lab.log.last().map(|e| e.cli.clone()).unwrap_or_default();
                    state.notice = Some(match result {
                        Ok(()) => Notice {
                            text: line,
                            error: false,
                        },
                        Err(e) => Notice {
                            text: e.to_string(),
                            error: true,
                        },
                    });
                }
                state.lab = LabView(Rc::new(lab));
            }
            Msg::Undo | Msg::Redo => {
                let mut lab = (*state.lab.0).clone();
                let undo = matches!(msg, Msg::Undo);
                let done = if undo { lab.undo() } else { lab.redo() };
                if let Some(line) = done {
                    state.notice = Some(Notice {
                        text: format!("{}: {line}", if undo { "Undone" } else { "Redone" }),
                        error: false,
                    });
                    state.lab = LabView(Rc::new(lab));
                }
            }
            Msg::Reset => {
                let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
                lab.log.push(crate::model::LogEntry {
                    cli: "# reset to the default lab".into(),
                    error: None,
                });
                state.lab = LabView(Rc::new(lab));
                state.selected = None;
                state.notice = None;
            }
            Msg::Select(id) => state.selected = id,
            Msg::Region(name) => {
                let mut lab = (*state.lab.0).clone();
                lab.set_region(&name);
                state.lab = LabView(Rc::new(lab));
                state.selected = None;
            }
            Msg::ToggleText => state.text_view = !state.text_view,
            Msg::Notify(notice) => state.notice = Some(notice),
            Msg::Opened(text) => {
                let Some(opening) = state.opening.take() else {
                    return self;
                };
                let mut opened = match &*opening {
                    Opening::Link(_) => Self::opened_link(text),
                    Opening::Saved(saved) => match text {
                        Ok(text) => Self::opened_saved(&text),
                        Err(why) => {
                            keep(saved);
                            Self::with(
                                Lab::new(default_lab(), DEFAULT_REGION),
                                Some(Notice {
                                    text: format!("Your saved lab could not be opened: {why}. It is kept in this browser under '{KEPT_KEY}'; reload to try again."),
                                    error: true,
                                }),
                            )
                        }
                    },
                };
                opened.text_view = state.text_view;
                return Rc::new(opened);
            }
            Msg::Load(text) => match crate::saved::load(&text) {
                Ok(lab) => {
                    state.lab = LabView(Rc::new(lab));
                    state.selected = None;
                    state.notice = Some(Notice {
                        text: "Imported the lab from the file.".into(),
                        error: false,
                    });
                }
                Err(e) => {
                    state.notice = Some(Notice {
                        text: format!("The file is not a lab this version can open ({e}); your lab is unchanged."),
                        error: true,
                    });
                }
            },
        }
        Rc::new(state)
    }
}

/// How far Shift+arrow moves a node (diagram units).
const NUDGE: i32 = 12;

/// A drag in progress.
#[derive(Clone, Debug)]
struct Drag {
    id: String,
    element: Element,
    /// The node's own `translate(x,y)`.
    origin: (i32, i32),
    /// Where the pointer went down (client pixels).
    start: (i32, i32),
    /// How far the canvas was scrolled then.
    scroll: (i32, i32),
    moved: bool,
}

impl Drag {
    /// How far the pointer has moved over the drawing (client pixels),
    /// counting the canvas's scrolling since the drag began.
    fn delta(&self, event: &PointerEvent) -> (i32, i32) {
        let (sx, sy) = canvas_scroll(&self.element);
        (
            event.client_x() - self.start.0 + sx - self.scroll.0,
            event.client_y() - self.start.1 + sy - self.scroll.1,
        )
    }
}

/// The scrolling canvas a node is drawn in.
fn canvas_of(node: &Element) -> Option<Element> {
    node.closest("main.canvas").ok().flatten()
}

fn canvas_scroll(node: &Element) -> (i32, i32) {
    canvas_of(node).map_or((0, 0), |c| (c.scroll_left(), c.scroll_top()))
}

/// A drag near the canvas's edge scrolls it, so a node can be taken to
/// a target that was out of view (a finger on a tablet, a small window).
fn scroll_near_edge(node: &Element, client: (i32, i32)) {
    const EDGE: f64 = 36.0;
    const STEP: i32 = 14;
    let Some(canvas) = canvas_of(node) else {
        return;
    };
    let r = canvas.get_bounding_client_rect();
    let (x, y) = (f64::from(client.0), f64::from(client.1));
    let step = |at: f64, lo: f64, hi: f64| {
        if at < lo + EDGE {
            -STEP
        } else if at > hi - EDGE {
            STEP
        } else {
            0
        }
    };
    let (dx, dy) = (step(x, r.left(), r.right()), step(y, r.top(), r.bottom()));
    if (dx, dy) != (0, 0) {
        canvas.set_scroll_left(canvas.scroll_left() + dx);
        canvas.set_scroll_top(canvas.scroll_top() + dy);
    }
}

/// Client pixels to diagram units, for an SVG drawn with `xMidYMin meet`.
fn to_diagram(svg: &Element, diagram: &Diagram, client: (i32, i32)) -> (i32, i32) {
    let rect = svg.get_bounding_client_rect();
    let (w, h) = (f64::from(diagram.width), f64::from(diagram.height));
    let scale = (rect.width() / w).min(rect.height() / h).max(1e-6);
    let offset_x = (rect.width() - w * scale) / 2.0;
    let x = (f64::from(client.0) - rect.left() - offset_x) / scale;
    let y = (f64::from(client.1) - rect.top()) / scale;
    (x as i32, y as i32)
}

fn scale_of(svg: &Element, diagram: &Diagram) -> f64 {
    let rect = svg.get_bounding_client_rect();
    (rect.width() / f64::from(diagram.width))
        .min(rect.height() / f64::from(diagram.height))
        .max(1e-6)
}

/// The resource node an event happened in.
fn node_of(target: Option<web_sys::EventTarget>) -> Option<Element> {
    let element = target?.dyn_into::<Element>().ok()?;
    element.closest("[data-resource-id]").ok().flatten()
}

/// The EC2 Lab application.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(LabState::restore);
    let path = use_state(|| Rc::new(Vec::<(String, bool)>::new()));
    // An instructor's link to a pack opens the picker, which fetches it.
    let pack_link = use_state(|| {
        web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .and_then(|hash| crate::exercises_view::pack_link(&hash))
    });
    let picker = use_state(|| pack_link.is_some());
    // A link is opened once: the fragment is taken off the address, so a
    // reload shows the lab as the learner left it, not the link again.
    use_effect_with((), |()| forget_link());
    // Starts an exercise once the engine is there.
    let start_exercise = {
        let state = state.clone();
        let picker = picker.clone();
        Callback::from(move |id: String| {
            picker.set(false);
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let started = match crate::engine::load().await {
                    Some(engine) => (engine.start)(&id, crate::exercises_view::seed()),
                    None => Err(
                        "the exercises could not be loaded (offline before they were ever opened?)"
                            .into(),
                    ),
                };
                state.dispatch(Msg::Started(started));
            });
        })
    };
    // The rule that decided the traffic tester's last flow, for the inspector.
    let decided = use_state(|| None::<crate::tester::Decided>);
    // Autosave: every change is kept, so a reload or a closed tab loses
    // nothing. Not while another lab is being opened: the saved one is the
    // learner's until the new one is open.
    use_effect_with(
        (state.lab.clone(), state.opening.is_some()),
        |(lab, opening)| {
            if !opening {
                if let Some(s) = storage() {
                    let _ = s.set_item(SAVED_KEY, &crate::saved::save(lab));
                }
            }
        },
    );
    {
        let state = state.clone();
        use_effect_with(state.opening.clone(), move |opening| {
            if let Some(opening) = opening.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    let text = open(&opening).await;
                    state.dispatch(Msg::Opened(text));
                });
            }
        });
    }
    let drag = use_mut_ref(|| None::<Drag>);
    let region_name = state.lab.region.clone();
    let Some(region) = state.lab.world.region(&region_name) else {
        return html! { <p role="alert">{ format!("The lab has no Region {region_name}.") }</p> };
    };
    let diagram = use_memo(state.lab.clone(), |lab| {
        let mut diagram = layout(
            lab.world
                .region(&lab.region)
                .expect("the lab's Region exists"),
        );
        crate::moves::apply(&mut diagram, &lab.moved);
        crate::drag::add_region_targets(&mut diagram, &lab.region);
        diagram
    });
    // A node nudged with the keyboard keeps the focus when the drawing is
    // redrawn.
    let refocus = use_mut_ref(|| None::<String>);
    {
        let refocus = refocus.clone();
        use_effect_with(diagram.clone(), move |_| {
            if let Some(id) = refocus.borrow_mut().take() {
                let node = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| {
                        d.query_selector(&format!(
                            "svg#diagram [data-resource-id=\"{}\"]",
                            crate::diagram::escape(&id)
                        ))
                        .ok()
                        .flatten()
                    })
                    .and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok());
                if let Some(node) = node {
                    let _ = node.focus();
                }
            }
        });
    }

    // A finger on a resource drags it; anywhere else it pans the canvas.
    // Touch-action does not reach SVG content in every browser, so the
    // touch that starts on a resource is kept from scrolling here.
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with((), move |()| {
            let listener = canvas.cast::<Element>().map(|element| {
                gloo::events::EventListener::new_with_options(
                    &element,
                    "touchstart",
                    gloo::events::EventListenerOptions::enable_prevent_default(),
                    |event| {
                        if node_of(event.target()).is_some() {
                            event.prevent_default();
                        }
                    },
                )
            });
            move || drop(listener)
        });
    }

    // Ctrl+Z and Ctrl+Shift+Z anywhere but in a text field.
    {
        let state = state.clone();
        use_effect_with((), move |()| {
            let window = web_sys::window().expect("a window");
            let options = gloo::events::EventListenerOptions::enable_prevent_default();
            let listener = gloo::events::EventListener::new_with_options(
                &window,
                "keydown",
                options,
                move |event| {
                    let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    let typing = event
                        .target()
                        .and_then(|t| t.dyn_into::<Element>().ok())
                        .is_some_and(|e| {
                            matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                        });
                    if typing || !(event.ctrl_key() || event.meta_key()) {
                        return;
                    }
                    match event.key().as_str() {
                        "z" | "Z" if event.shift_key() => {
                            event.prevent_default();
                            state.dispatch(Msg::Redo);
                        }
                        "z" => {
                            event.prevent_default();
                            state.dispatch(Msg::Undo);
                        }
                        "y" => {
                            event.prevent_default();
                            state.dispatch(Msg::Redo);
                        }
                        _ => {}
                    }
                },
            );
            move || drop(listener)
        });
    }

    let onpointerdown = {
        let drag = drag.clone();
        let diagram = diagram.clone();
        Callback::from(move |event: PointerEvent| {
            let Some(element) = node_of(event.target()) else {
                return;
            };
            let Some(id) = element.get_attribute("data-resource-id") else {
                return;
            };
            let Some(node) = diagram
                .nodes
                .iter()
                .find(|n| n.resource_id.as_deref() == Some(id.as_str()))
            else {
                return;
            };
            crate::tools::prefetch();
            let origin = (node.rect.x, node.rect.y);
            if crate::moves::movable(node) {
                // No text selection, no native drag: the node follows the pointer.
                event.prevent_default();
                let _ = element.set_pointer_capture(event.pointer_id());
            }
            // Every node can be clicked (selected on pointer up); only some
            // can be dragged.
            let scroll = canvas_scroll(&element);
            *drag.borrow_mut() = Some(Drag {
                id,
                element,
                origin,
                start: (event.client_x(), event.client_y()),
                scroll,
                moved: false,
            });
        })
    };
    let onpointermove = {
        let drag = drag.clone();
        let diagram = diagram.clone();
        Callback::from(move |event: PointerEvent| {
            let mut slot = drag.borrow_mut();
            let Some(d) = slot.as_mut() else { return };
            let (dx, dy) = d.delta(&event);
            if !d.moved && dx * dx + dy * dy < 25 {
                return;
            }
            let Some(node) = diagram
                .nodes
                .iter()
                .find(|n| n.resource_id.as_deref() == Some(d.id.as_str()))
            else {
                return;
            };
            if !crate::moves::movable(node) {
                return;
            }
            d.moved = true;
            scroll_near_edge(&d.element, (event.client_x(), event.client_y()));
            let (dx, dy) = d.delta(&event);
            let Some(svg) = d.element.closest("svg").ok().flatten() else {
                return;
            };
            let scale = scale_of(&svg, &diagram);
            let x = d.origin.0 + (f64::from(dx) / scale) as i32;
            let y = d.origin.1 + (f64::from(dy) / scale) as i32;
            let _ = d
                .element
                .set_attribute("transform", &format!("translate({x},{y})"));
            let _ = d.element.class_list().add_1("dragging");
        })
    };
    let drag_on_up = drag.clone();
    let onpointerup = {
        let diagram = diagram.clone();
        let state = state.clone();
        Callback::from(move |event: PointerEvent| {
            let Some(d) = drag_on_up.borrow_mut().take() else {
                return;
            };
            let _ = d.element.class_list().remove_1("dragging");
            let _ = d.element.set_attribute(
                "transform",
                &format!("translate({},{})", d.origin.0, d.origin.1),
            );
            if !d.moved {
                state.dispatch(Msg::Select(Some(d.id)));
                return;
            }
            let Some(svg) = d.element.closest("svg").ok().flatten() else {
                return;
            };
            let (x, y) = to_diagram(&svg, &diagram, (event.client_x(), event.client_y()));
            let Some(region) = state.lab.world.region(&state.lab.region) else {
                return;
            };
            match drop_at(region, &diagram, x, y, &d.id) {
                Some(Ok(action)) => state.dispatch(Msg::Perform(action)),
                // Dropped somewhere in its own box, meaning nothing: a move.
                _ if crate::moves::within_own_box(&diagram, &d.id, (x, y)) => {
                    let (dx, dy) = d.delta(&event);
                    let scale = scale_of(&svg, &diagram);
                    let delta = (
                        (f64::from(dx) / scale) as i32,
                        (f64::from(dy) / scale) as i32,
                    );
                    state.dispatch(Msg::Moved(crate::moves::settle(
                        &diagram,
                        &state.lab.moved,
                        &d.id,
                        delta,
                    )));
                }
                Some(Err(why)) => state.dispatch(Msg::Notify(Notice {
                    text: why,
                    error: true,
                })),
                None => {}
            }
        })
    };
    let onpointercancel = {
        Callback::from(move |_: PointerEvent| {
            if let Some(d) = drag.borrow_mut().take() {
                let _ = d.element.class_list().remove_1("dragging");
                let _ = d.element.set_attribute(
                    "transform",
                    &format!("translate({},{})", d.origin.0, d.origin.1),
                );
            }
        })
    };
    let onkeydown = {
        let state = state.clone();
        let diagram = diagram.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" || event.key() == " " {
                if let Some(element) = node_of(event.target()) {
                    event.prevent_default();
                    state.dispatch(Msg::Select(element.get_attribute("data-resource-id")));
                }
            } else if event.key() == "Escape" {
                state.dispatch(Msg::Select(None));
            } else if event.shift_key() && event.key().starts_with("Arrow") {
                // Shift+arrows move the focused node, as a drag would.
                let Some(id) =
                    node_of(event.target()).and_then(|e| e.get_attribute("data-resource-id"))
                else {
                    return;
                };
                let delta = match event.key().as_str() {
                    "ArrowLeft" => (-NUDGE, 0),
                    "ArrowRight" => (NUDGE, 0),
                    "ArrowUp" => (0, -NUDGE),
                    _ => (0, NUDGE),
                };
                event.prevent_default();
                let moved = crate::moves::settle(&diagram, &state.lab.moved, &id, delta);
                if moved != state.lab.moved {
                    *refocus.borrow_mut() = Some(id);
                    state.dispatch(Msg::Moved(moved));
                }
            }
        })
    };

    let button = |label: &'static str, enabled: bool, msg: fn() -> Msg, hint: &'static str| {
        let state = state.clone();
        html! {
            <button type="button" class="tool" disabled={!enabled} title={hint}
                onclick={Callback::from(move |_| state.dispatch(msg()))}>{ label }</button>
        }
    };
    let summary = format!(
        "{} VPC · {} subnets · {} instances · {} volumes · lab time {} s",
        region.vpcs.len(),
        region.subnets.len(),
        region.instances.len(),
        region.volumes.len(),
        state.lab.world.clock()
    );
    let notice = state.notice.as_ref().map(|n| {
        let state = state.clone();
        html! {
            <div class={classes!("notice", n.error.then_some("error"))} role={if n.error { "alert" } else { "status" }}>
                <div class="notice-box">
                    <span class="notice-mark" aria-hidden="true">{ if n.error { "✗" } else { "✓" } }</span>
                    <span class="notice-text">{ n.text.clone() }</span>
                    <button type="button" class="dismiss" aria-label="Dismiss"
                        onclick={Callback::from(move |_| state.dispatch(Msg::Notify(Notice { text: String::new(), error: false })))}>{ "×" }</button>
                </div>
            </div>
        }
    });
    let log = state.lab.log.iter().rev().take(50).map(|entry| {
        html! {
            <li class={classes!(entry.error.is_some().then_some("error"))}>
                <code>{ entry.cli.clone() }</code>
                if let Some((code, message)) = &entry.error {
                    <span class="log-error">{ format!("✗ {code}: {message}") }</span>
                }
            </li>
        }
    });
    html! {
        <div class="app">
            <header class="topbar">
                <div class="brand">
                    <span class="logo" aria-hidden="true">{ "EC2" }</span>
                    <h1>{ "EC2 Lab" }</h1>
                    <span class="lab-name">{ state.lab.exercise.as_ref().map_or_else(|| "Sandbox".to_owned(), |e| format!("Exercise: {}", e.title)) }</span>
                </div>
                <div class="tools" role="toolbar" aria-label="Lab">
                    { button("Undo", state.lab.can_undo(), || Msg::Undo, "Undo (Ctrl+Z)") }
                    { button("Redo", state.lab.can_redo(), || Msg::Redo, "Redo (Ctrl+Shift+Z)") }
                    { button("Reset", true, || Msg::Reset, "Back to the default lab") }
                    <button type="button" class="tool" aria-haspopup="dialog" onclick={{
                        let picker = picker.clone();
                        Callback::from(move |_| picker.set(true))
                    }}>{ "Exercises" }</button>
                    { button("Tidy", !state.lab.moved.is_empty(), || Msg::Moved(Vec::new()), "Put every node you moved back where the layout puts it") }
                    <button type="button" class="tool" onclick={{
                        let state = state.clone();
                        Callback::from(move |_| export(&crate::saved::save(&state.lab)))
                    }}>{ "Export" }</button>
                    <label class="tool file-tool">
                        { "Import" }
                        <input type="file" accept=".txt,text/plain" class="visually-hidden" onchange={{
                            let state = state.clone();
                            Callback::from(move |event: Event| import(&event, state.clone()))
                        }} />
                    </label>
                    <button type="button" class="tool" onclick={{
                        let state = state.clone();
                        Callback::from(move |_| share(&state))
                    }}>{ "Share" }</button>
                    <button type="button" class="tool" aria-pressed={if state.text_view { "true" } else { "false" }}
                        onclick={{ let state = state.clone(); Callback::from(move |_| state.dispatch(Msg::ToggleText)) }}>
                        { "Text view" }
                    </button>
                </div>
                <label class="region-pill">
                    <span class="visually-hidden">{ "Region" }</span>
                    <select class="region-select" aria-label="Region" onchange={{
                        let state = state.clone();
                        Callback::from(move |event: Event| {
                            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                                state.dispatch(Msg::Region(select.value()));
                            }
                        })
                    }}>
                        { for ec2lab_sim::REGIONS.iter().map(|r| html! {
                            <option value={r.name} selected={r.name == region.name()}>
                                { format!("{} · {}", r.display_name, r.name) }
                            </option>
                        }) }
                    </select>
                </label>
            </header>
            <div class="workspace">
                <div class="stage">
                    { for notice.filter(|_| state.notice.as_ref().is_some_and(|n| !n.text.is_empty())) }
                    <main class="canvas" ref={canvas} tabindex={state.text_view.then_some("0")} aria-label={state.text_view.then_some("The lab as tables")} {onpointerdown} {onpointermove} {onpointerup} {onpointercancel} {onkeydown}>
                        if state.text_view {
                            <crate::tools::LazyTextView lab={state.lab.clone()} />
                        } else {
                            <DiagramView diagram={diagram.clone()} label={format!("Diagram of the lab in {}", region.name())}
                                selected={state.selected.clone().map(AttrValue::from)} path={(*path).clone()} />
                        }
                    </main>
                </div>
                <aside class="inspector" aria-label="Inspector">
                    // A new start (or a restart) is a new panel: hints and
                    // the solution fold away again. An exercise lab exists
                    // only once the engine, which draws the panel, is loaded.
                    { state.lab.exercise.as_ref().zip(crate::engine::loaded()).map(|(exercise, engine)| (engine.panel)(
                        crate::exercises_view::PanelProps {
                            lab: state.lab.clone(),
                            on_action: { let state = state.clone(); Callback::from(move |a| state.dispatch(Msg::Perform(a))) },
                            on_restart: start_exercise.clone(),
                            on_leave: { let state = state.clone(); Callback::from(move |()| state.dispatch(Msg::Leave)) },
                        },
                        format!("{:p}", Rc::as_ptr(exercise)),
                    )) }
                    <crate::tester::TrafficTester lab={state.lab.clone()} on_action={{
                        let state = state.clone();
                        Callback::from(move |action| state.dispatch(Msg::Perform(action)))
                    }} on_path={{
                        let path = path.clone();
                        Callback::from(move |nodes: Vec<(String, bool)>| {
                            if *path.as_ref() != nodes {
                                path.set(Rc::new(nodes));
                            }
                        })
                    }} on_decided={{
                        let decided = decided.clone();
                        Callback::from(move |rule: Option<crate::tester::Decided>| {
                            if *decided != rule {
                                decided.set(rule);
                            }
                        })
                    }} on_select={{
                        let state = state.clone();
                        Callback::from(move |id: String| state.dispatch(Msg::Select(Some(id))))
                    }} />
                    // The inspector's code loads with the first selection.
                    if state.selected.is_none() {
                        <p class="hint">{ crate::inspector::HINT }</p>
                    } else {
                        <crate::tools::LazyInspector lab={state.lab.clone()}
                            selected={state.selected.clone().map(AttrValue::from)}
                            decided={(*decided).clone()}
                            on_action={{
                                let state = state.clone();
                                Callback::from(move |action| state.dispatch(Msg::Perform(action)))
                            }} />
                    }
                    if let Some(id) = state.selected.clone() {
                        <crate::tools::LazyDropMenu lab={state.lab.clone()} diagram={diagram.clone()} source={AttrValue::from(id)}
                            on_action={{
                                let state = state.clone();
                                Callback::from(move |action| state.dispatch(Msg::Perform(action)))
                            }} />
                    }
                </aside>
            </div>
            if *picker {
                <crate::exercises_view::Picker on_start={start_exercise.clone()} link={(*pack_link).clone()}
                    on_close={{ let picker = picker.clone(); Callback::from(move |()| picker.set(false)) }} />
            }
            if let Some(launch) = state.launch.clone() {
                <crate::tools::LazyLaunchForm lab={state.lab.clone()} launch={launch}
                    error={state.launch_error.clone().map(AttrValue::from)}
                    on_launch={{ let state = state.clone(); Callback::from(move |a| state.dispatch(Msg::Perform(a))) }}
                    on_cancel={{ let state = state.clone(); Callback::from(move |()| state.dispatch(Msg::Prepare(None))) }} />
            }
            <div class="bottom">
                <crate::console_view::Console lab={state.lab.clone()} on_action={{
                    let state = state.clone();
                    Callback::from(move |action| state.dispatch(Msg::Perform(action)))
                }} />
                <section class="eventlog" aria-label="Event log" tabindex="0">
                    <h2>{ "Event log" }</h2>
                    <div role="log" aria-label="Event log entries"><ol>{ for log }</ol></div>
                </section>
            </div>
            <footer class="statusbar">
                <span class="summary">{ summary }
                // Time passes only when the learner says so (a pending
                // snapshot completes, an instance boots): `lab advance`.
                <span class="clock" role="group" aria-label="Lab time">
                    { for [(10, "Wait 10 s"), (60, "Wait 1 min")].into_iter().map(|(seconds, label)| {
                        let state = state.clone();
                        html! {
                            <button type="button" class="tool small" title={format!("Let lab time pass: lab advance --seconds {seconds}")}
                                onclick={Callback::from(move |_| state.dispatch(Msg::Perform(Action::Advance { seconds })))}>{ label }</button>
                        }
                    }) }
                </span></span>
                <span class="legend">
                    <span class="swatch public" aria-hidden="true"></span>{ "Public subnet (routes to an internet gateway)" }
                    <span class="swatch private" aria-hidden="true"></span>{ "Private subnet" }
                    <span class="swatch sg" aria-hidden="true"></span>{ "Security group (around its instances)" }
                    <span class="swatch acl" aria-hidden="true"></span>{ "Network ACL (at its subnet's edge)" }
                </span>
            </footer>
        </div>
    }
}

/// Properties of [`DropMenu`].
#[derive(Properties, PartialEq, Clone)]
pub struct DropMenuProps {
    /// The lab.
    pub lab: LabView,
    /// Its diagram.
    pub diagram: Rc<Diagram>,
    /// The selected resource.
    pub source: AttrValue,
    /// Performs the chosen action.
    pub on_action: Callback<Action>,
}

/// The keyboard and menu equivalent of dragging the selected resource:
/// choose where it goes, then "Do it".
#[function_component(DropMenu)]
pub fn drop_menu(props: &DropMenuProps) -> Html {
    let choice = use_state(|| 0usize);
    let Some(region) = props.lab.world.region(&props.lab.region) else {
        return Html::default();
    };
    let choices = crate::drag::drop_choices(region, &props.diagram, &props.source);
    if choices.is_empty() {
        return Html::default();
    }
    let selected = (*choice).min(choices.len() - 1);
    let onchange = {
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                choice.set(select.selected_index().max(0) as usize);
            }
        })
    };
    let onclick = {
        let action = choices[selected].2.clone();
        let on_action = props.on_action.clone();
        Callback::from(move |_| on_action.emit(action.clone()))
    };
    let id = format!("drop-menu-{}", props.source);
    html! {
        <div class="drop-menu">
            <label for={id.clone()}>{ format!("Move {} to…", props.source) }</label>
            <select id={id} {onchange}>
                { for choices.iter().enumerate().map(|(i, (_, words, _))| html! {
                    <option value={i.to_string()} selected={i == selected}>{ words.clone() }</option>
                }) }
            </select>
            <button type="button" class="tool primary" {onclick}>{ "Do it" }</button>
        </div>
    }
}

/// Makes a share link for the lab (compressed, so a prepared lab fits a
/// URL) and shows it, copied to the clipboard where the browser allows.
fn share(state: &UseReducerHandle<LabState>) {
    let text = crate::saved::save(&state.lab);
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let notice = match crate::share::compress(&text).await {
            Ok(bytes) => {
                let fragment = crate::share::fragment(&bytes);
                let link = web_sys::window()
                    .and_then(|w| w.location().href().ok())
                    .map(|href| format!("{}{fragment}", href.split('#').next().unwrap_or("")))
                    .unwrap_or(fragment);
                let copied = match web_sys::window() {
                    Some(w) => {
                        let promise = w.navigator().clipboard().write_text(&link);
                        wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
                    }
                    None => false,
                };
                Notice {
                    text: format!(
                        "Share link ({} characters{}): {link}",
                        link.len(),
                        if copied {
                            ", copied to the clipboard"
                        } else {
                            ""
                        }
                    ),
                    error: false,
                }
            }
            Err(why) => Notice {
                text: format!("No share link: {why}."),
                error: true,
            },
        };
        state.dispatch(Msg::Notify(notice));
    });
}

/// Downloads the saved lab as a file.
fn export(text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys_array(text);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(anchor) = document.create_element("a") {
        if let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>() {
            anchor.set_href(&url);
            anchor.set_download("ec2-lab.txt");
            anchor.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Takes a link's fragment (`#lab2=`, `#lab=`, `#exercise=`, `#pack=`)
/// off the address bar, keeping the page where it is.
fn forget_link() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hash = window.location().hash().unwrap_or_default();
    let is_link = ["#lab", "#exercise=", "#pack="]
        .iter()
        .any(|p| hash.starts_with(p));
    if !is_link {
        return;
    }
    let href = window.location().href().unwrap_or_default();
    let bare = href.split('#').next().unwrap_or_default().to_owned();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&bare));
    }
}

fn js_sys_array(text: &str) -> wasm_bindgen::JsValue {
    let array = js_sys::Array::new();
    array.push(&wasm_bindgen::JsValue::from_str(text));
    array.into()
}

/// Reads a chosen file and loads it as the lab.
fn import(event: &Event, state: UseReducerHandle<LabState>) {
    let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() else {
        return;
    };
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    input.set_value("");
    let promise = file.text();
    wasm_bindgen_futures::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(text) => state.dispatch(Msg::Load(text.as_string().unwrap_or_default())),
            Err(_) => state.dispatch(Msg::Notify(Notice {
                text: "The file could not be read; your lab is unchanged.".into(),
                error: true,
            })),
        }
    });
}

/// Properties of [`LaunchForm`].
#[derive(Properties, Clone)]
pub struct LaunchFormProps {
    /// The lab.
    pub lab: LabView,
    /// The launch as the drop made it (an `Action::Launch`).
    pub launch: Rc<Action>,
    /// Launches with the form's values.
    pub on_launch: Callback<Action>,
    /// Closes the form.
    pub on_cancel: Callback<()>,
    /// AWS's refusal of the last launch from this form.
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// The launch is compared by identity: the app keeps one `Rc` while the
/// form is open (comparing two launches field by field is code the page
/// would carry for nothing).
impl PartialEq for LaunchFormProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.launch, &other.launch)
            && self.lab == other.lab
            && self.on_launch == other.on_launch
            && self.on_cancel == other.on_cancel
            && self.error == other.error
    }
}

/// The small launch form a drop opens, pre-filled: name, instance type,
/// security group, user data, and the root volume's size, type, IOPS and
/// encryption (from the AMI's mapping, D1).
#[function_component(LaunchForm)]
pub fn launch_form(props: &LaunchFormProps) -> Html {
    let Action::Launch {
        image_id,
        subnet_id,
        name,
        instance_type,
        ..
    } = &*props.launch
    else {
        return Html::default();
    };
    let image = props
        .lab
        .world
        .region(&props.lab.region)
        .and_then(|r| r.image(image_id));
    let root = image
        .as_ref()
        .and_then(|i| crate::inspector::root_mapping(i).cloned());
    // The form's values, kept without re-rendering, so quick successive
    // edits never read a stale copy: name, instance type, security group,
    // user data, root volume size, type and IOPS.
    let fields = use_mut_ref(|| {
        [
            name.clone(),
            instance_type.clone(),
            String::new(),
            String::new(),
            root.as_ref()
                .map(|m| m.volume_size_gib.to_string())
                .unwrap_or_default(),
            root.as_ref()
                .map(|m| m.volume_type.name().to_owned())
                .unwrap_or_default(),
            String::new(),
        ]
    });
    let encrypt = use_mut_ref(|| false);
    let error = use_state(|| None::<String>);
    let Some(region) = props.lab.world.region(&props.lab.region) else {
        return Html::default();
    };
    let vpc = region.subnets.get(subnet_id).map(|s| s.vpc_id.clone());
    let groups: Vec<(String, String)> = region
        .security_groups
        .values()
        .filter(|g| Some(&g.vpc_id) == vpc.as_ref())
        .map(|g| (g.id.to_string(), format!("{} ({})", g.name, g.id)))
        .collect();
    let arch = image.as_ref().map(|i| i.architecture);
    let types: Vec<&str> = ec2lab_sim::INSTANCE_TYPES
        .iter()
        .filter(|t| Some(t.architecture) == arch)
        .map(|t| t.name)
        .collect();
    let set = |k: usize| {
        let fields = fields.clone();
        Callback::from(move |event: Event| {
            let value = event
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| {
                    event
                        .target_dyn_into::<web_sys::HtmlSelectElement>()
                        .map(|s| s.value())
                })
                .or_else(|| {
                    event
                        .target_dyn_into::<web_sys::HtmlTextAreaElement>()
                        .map(|s| s.value())
                })
                .unwrap_or_default();
            if let Some(field) = fields.borrow_mut().get_mut(k) {
                *field = value;
            }
        })
    };
    let on_encrypt = {
        let encrypt = encrypt.clone();
        Callback::from(move |event: Event| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                *encrypt.borrow_mut() = input.checked();
            }
        })
    };
    let onsubmit = {
        let fields = fields.clone();
        let encrypt = encrypt.clone();
        let error = error.clone();
        let on_launch = props.on_launch.clone();
        let image = image.clone();
        let (image_id, subnet_id) = (image_id.clone(), subnet_id.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let f = fields.borrow();
            // Checked whole before anything is done: nothing half-applied.
            let root_volume = image.as_ref().map_or(Ok(None), |image| {
                crate::inspector::parse_root_volume_form(
                    image,
                    &f[4],
                    &f[5],
                    &f[6],
                    *encrypt.borrow(),
                )
            });
            let user_data = crate::inspector::parse_user_data_form(&f[3]);
            match (root_volume, user_data) {
                (Ok(root_volume), Ok(user_data)) => {
                    error.set(None);
                    on_launch.emit(Action::Launch {
                        image_id: image_id.clone(),
                        subnet_id: subnet_id.clone(),
                        name: f[0].clone(),
                        instance_type: f[1].clone(),
                        security_group_ids: (!f[2].is_empty())
                            .then(|| ec2lab_sim::SecurityGroupId::new(f[2].as_str()))
                            .into_iter()
                            .collect(),
                        user_data: (!user_data.trim().is_empty()).then_some(user_data),
                        root_volume,
                    });
                }
                (Err(why), _) | (_, Err(why)) => error.set(Some(why)),
            }
        })
    };
    let cancel = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |_| on_cancel.emit(()))
    };
    let subnet_name = region
        .subnets
        .get(subnet_id)
        .and_then(|s| s.tags.get("Name").map(str::to_owned))
        .unwrap_or_else(|| subnet_id.to_string());
    let f = fields.borrow().clone();
    let storage = match (&root, &image) {
        (Some(mapping), Some(image)) => {
            // E3, E5: an encrypted snapshot, or encryption by default, makes
            // the volume encrypted whatever the launch asks.
            let forced = if mapping.encrypted {
                Some("The AMI's snapshot is encrypted, so its volume is too (E3).")
            } else if region.ebs_encryption_by_default {
                Some("Encryption by default is on in this Region, so every new volume is encrypted (E5).")
            } else {
                None
            };
            let volume_types = ec2lab_sim::VolumeType::ALL
                .into_iter()
                .filter(|t| t.can_boot());
            html! {
                <fieldset class="storage">
                    <legend>{ format!("Root volume ({})", image.root_device_name) }</legend>
                    <label>{ "Size (GiB)" }
                        <input type="number" min="1" value={f[4].clone()} onchange={set(4)} aria-describedby="launch-size-hint" /></label>
                    <p id="launch-size-hint" class="hint">{ format!("The AMI's snapshot is {} GiB: the volume can't be smaller (D1).", mapping.volume_size_gib) }</p>
                    <label>{ "Volume type" }
                        <select onchange={set(5)}>
                            { for volume_types.map(|t| html! { <option value={t.name()} selected={t.name() == f[5]}>{ t.name() }</option> }) }
                        </select></label>
                    <label>{ "IOPS" }
                        <input inputmode="numeric" placeholder="default" value={f[6].clone()} onchange={set(6)} aria-describedby="launch-iops-hint" /></label>
                    <p id="launch-iops-hint" class="hint">{ "Required for io1 and io2, optional for gp3, not taken by gp2 or standard (F2). st1 and sc1 can't boot (F2)." }</p>
                    <label class="check">
                        <input type="checkbox" checked={forced.is_some() || *encrypt.borrow()} disabled={forced.is_some()}
                            onchange={on_encrypt} aria-describedby="launch-encrypt-hint" />
                        { "Encrypted" }
                    </label>
                    <p id="launch-encrypt-hint" class="hint">{ forced.unwrap_or("With the AWS managed key alias/aws/ebs (E7).") }</p>
                </fieldset>
            }
        }
        _ => {
            html! { <p class="hint">{ "The AMI's root device is instance store: its disk comes with the instance type (D9)." }</p> }
        }
    };
    html! {
        <div class="dialog-backdrop">
            <form class="dialog" role="dialog" aria-modal="true" aria-labelledby="launch-title" {onsubmit}>
                <h2 id="launch-title">{ format!("Launch an instance in {subnet_name}") }</h2>
                <p class="hint">{ format!("From {image_id}") }</p>
                if let Some(error) = props.error.clone() {
                    <p class="form-error" role="alert">{ format!("✗ Not launched: {error}") }</p>
                }
                <label>{ "Name" }<input value={f[0].clone()} onchange={set(0)} /></label>
                <label>{ "Instance type" }
                    <select onchange={set(1)}>
                        { for types.iter().map(|t| html! { <option value={*t} selected={*t == f[1]}>{ *t }</option> }) }
                    </select>
                </label>
                <label>{ "Security group" }
                    <select onchange={set(2)}>
                        <option value="" selected={f[2].is_empty()}>{ "The VPC's default group" }</option>
                        { for groups.iter().map(|(id, label)| html! { <option value={id.clone()} selected={*id == f[2]}>{ label.clone() }</option> }) }
                    </select>
                </label>
                <label>{ "User data" }
                    <textarea rows="5" placeholder="#!/bin/bash" onchange={set(3)} value={f[3].clone()} />
                </label>
                { storage }
                <p class="field-error" role="alert">{ (*error).clone().unwrap_or_default() }</p>
                <div class="controls">
                    <button type="submit" class="tool primary">{ "Launch" }</button>
                    <button type="button" class="tool" onclick={cancel}>{ "Cancel" }</button>
                </div>
            </form>
        </div>
    }
}
