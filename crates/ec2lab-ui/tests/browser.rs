//! Browser tests: the application mounted in a real page, in headless
//! Chromium. What only a browser can show: the SVG diagram in the DOM, with
//! the attributes that tests and screen readers find resources by.

#![cfg(target_arch = "wasm32")]

use ec2lab_sim::{default_lab, DEFAULT_REGION};
use ec2lab_ui::App;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app in a fresh element and waits until it has rendered.
async fn mount() -> Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("append");
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn labels(root: &Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).expect("a valid selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|node| wasm_bindgen::JsCast::dyn_into::<Element>(node).ok())
        .filter_map(|element| element.get_attribute("aria-label"))
        .collect()
}

#[wasm_bindgen_test]
async fn every_resource_of_the_default_lab_is_in_the_diagram_with_its_id() {
    let root = mount().await;
    let world = default_lab();
    let region = world.region(DEFAULT_REGION).expect("default region");
    let mut expected: Vec<String> = region.instances.keys().map(ToString::to_string).collect();
    expected.extend(region.volumes.keys().map(ToString::to_string));
    expected.extend(region.subnets.keys().map(ToString::to_string));
    expected.extend(region.vpcs.keys().map(ToString::to_string));
    expected.extend(region.internet_gateways.keys().map(ToString::to_string));
    for id in expected {
        let node = root
            .query_selector(&format!("svg#diagram [data-resource-id='{id}']"))
            .expect("a valid selector");
        assert!(node.is_some(), "{id} is not drawn");
    }
}

#[wasm_bindgen_test]
async fn instances_have_accessible_names_with_state_and_subnet() {
    let root = mount().await;
    let mut names = labels(&root, "[data-resource-id^='i-']");
    names.sort();
    let world = default_lab();
    let region = world.region(DEFAULT_REGION).expect("default region");
    let mut expected: Vec<String> = region
        .instances
        .values()
        .map(|i| {
            let subnet = &region.subnets[&i.subnet_id];
            format!(
                "Instance {} ({}), running, subnet {}",
                i.tags.name().unwrap_or("-"),
                i.id,
                subnet.tags.name().unwrap_or("-")
            )
        })
        .collect();
    expected.sort();
    assert_eq!(names, expected);
}

#[wasm_bindgen_test]
async fn public_and_private_subnets_look_different_and_say_so() {
    let root = mount().await;
    let public = labels(&root, "g.subnet.public");
    let private = labels(&root, "g.subnet.private");
    assert_eq!(public.len(), 2, "{public:?}");
    assert_eq!(private.len(), 2, "{private:?}");
    assert!(public
        .iter()
        .all(|l| l.starts_with("Public subnet public-")));
    assert!(private
        .iter()
        .all(|l| l.starts_with("Private subnet private-")));
    // Colour never carries the meaning alone: the words are drawn too.
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("Public subnet · public-a"), "{text}");
    assert!(text.contains("Private subnet · private-a"), "{text}");
}
