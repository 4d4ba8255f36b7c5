//! The inspector mounted in a real page (headless Chromium): what only the
//! DOM shows — the row of the rule that decided a traced flow marked in
//! words, the user-data editor disabled with its reason while the instance
//! runs, the route table of a subnet.

#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use ec2lab_sim::{default_lab, IpProtocol, NetworkAclEntry, RuleAction, DEFAULT_REGION};
use ec2lab_ui::inspector::{Inspector, InspectorProps};
use ec2lab_ui::model::{Action, Lab, LabView};
use ec2lab_ui::tester::{deciding_rule, flow_for, Endpoint};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;
use yew::{AttrValue, Callback};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the inspector on `lab` with `selected` chosen and the rule that
/// decided a flow from the internet to web-1 on `port`.
async fn mount(lab: Lab, selected: &str, port: u16) -> Element {
    let region = lab.world.region(DEFAULT_REGION).expect("region");
    let web1 = region
        .instances
        .values()
        .find(|i| i.tags.get("Name") == Some("web-1"))
        .map(|i| Endpoint::Instance(i.id.clone()))
        .expect("web-1");
    let flow = flow_for(region, &Endpoint::Internet, &web1, "tcp", port).expect("flow");
    let decided = deciding_rule(&region.trace(&flow));
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("append");
    let props = InspectorProps {
        lab: LabView(Rc::new(lab)),
        selected: Some(AttrValue::from(selected.to_owned())),
        on_action: Callback::noop(),
        decided,
    };
    yew::Renderer::<Inspector>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).expect("a valid selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .map(|e| e.text_content().unwrap_or_default())
        .collect()
}

fn id_of(lab: &Lab, name: &str) -> String {
    let region = lab.world.region(DEFAULT_REGION).expect("region");
    region
        .instances
        .values()
        .find(|i| i.tags.get("Name") == Some(name))
        .map(|i| i.id.to_string())
        .or_else(|| {
            region
                .subnets
                .values()
                .find(|s| s.tags.get("Name") == Some(name))
                .map(|s| s.id.to_string())
        })
        .expect("a resource")
}

#[wasm_bindgen_test]
async fn the_security_group_rule_that_let_the_flow_in_is_marked_in_words() {
    let lab = Lab::new(default_lab(), DEFAULT_REGION);
    let web1 = id_of(&lab, "web-1");
    let root = mount(lab, &web1, 80).await;
    let marked = texts(&root, "tr.deciding");
    assert_eq!(marked.len(), 1, "{marked:?}");
    assert!(
        marked[0].starts_with("TCP (6)800.0.0.0/0 (anywhere)"),
        "{marked:?}"
    );
    assert!(marked[0].contains("◀ decided this flow"), "{marked:?}");
}

#[wasm_bindgen_test]
async fn a_flow_no_rule_allows_says_so_under_the_inbound_rules() {
    let lab = Lab::new(default_lab(), DEFAULT_REGION);
    let web1 = id_of(&lab, "web-1");
    let root = mount(lab, &web1, 22).await;
    assert!(texts(&root, "tr.deciding").is_empty());
    let said = texts(&root, "p.deciding");
    assert_eq!(
        said,
        vec!["◀ decided this flow: no inbound rule of web-sg allows it, so it is dropped (A1)."]
    );
}

#[wasm_bindgen_test]
async fn the_network_acl_entry_that_denied_the_flow_is_marked() {
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    let public_a = id_of(&lab, "public-a");
    let acl = lab
        .world
        .region(DEFAULT_REGION)
        .and_then(|r| r.network_acl_of(&ec2lab_sim::SubnetId::new(&public_a)))
        .map(|a| a.id.clone())
        .expect("acl");
    lab.perform(&Action::CreateAclEntry {
        network_acl_id: acl,
        entry: NetworkAclEntry {
            rule_number: 90,
            egress: false,
            protocol: IpProtocol::Tcp,
            action: RuleAction::Deny,
            cidr_block: "0.0.0.0/0".parse().expect("cidr"),
            port_range: Some((80, 80)),
            icmp_type_code: None,
        },
    })
    .expect("added");
    let root = mount(lab, &public_a, 80).await;
    let marked = texts(&root, "tr.deciding");
    assert_eq!(marked.len(), 1, "{marked:?}");
    assert!(marked[0].starts_with("90"), "{marked:?}");
    assert!(marked[0].contains("Deny"), "{marked:?}");
    assert!(marked[0].contains("◀ decided this flow"), "{marked:?}");
    // The subnet's route table, and why the subnet is public (C2, C3).
    let routes = texts(&root, "table.route-table tbody tr");
    assert_eq!(routes.len(), 2, "{routes:?}");
    assert!(
        routes[1].contains("this is why the subnet is public"),
        "{routes:?}"
    );
    let caption = texts(&root, "table.route-table caption");
    assert!(caption[0].contains("explicitly associated"), "{caption:?}");
}

#[wasm_bindgen_test]
async fn user_data_is_disabled_with_the_reason_while_the_instance_runs() {
    let lab = Lab::new(default_lab(), DEFAULT_REGION);
    let web1 = id_of(&lab, "web-1");
    let root = mount(lab, &web1, 80).await;
    let editor = root
        .query_selector("section.user-data textarea")
        .expect("selector")
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .expect("the editor");
    assert!(editor.disabled());
    assert!(
        editor.value().starts_with("#!/bin/bash"),
        "{}",
        editor.value()
    );
    let why = texts(&root, "section.user-data p.hint");
    assert_eq!(
        why,
        vec!["User data can be changed only while the instance is stopped (H4); it is running: stop it first."]
    );
    let button = root
        .query_selector("section.user-data button")
        .expect("selector")
        .expect("the button");
    assert!(button.has_attribute("disabled"));
}

/// An EFS file system made at the console: the inspector says how it is
/// stored and where it is mounted, as `describe-file-systems` would.
#[wasm_bindgen_test]
async fn an_efs_file_system_shows_its_storage_and_mount_targets() {
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    lab.perform(&Action::Console {
        line: "aws efs create-file-system --creation-token shared-1 --tags Key=Name,Value=shared"
            .into(),
    })
    .expect("created");
    let region = lab.world.region(DEFAULT_REGION).expect("region");
    let fs = region
        .file_systems
        .keys()
        .next()
        .expect("a file system")
        .to_string();
    let subnet = region
        .subnets
        .values()
        .find(|s| s.tags.get("Name") == Some("private-a"))
        .map(|s| s.id.to_string())
        .expect("private-a");
    // A new file system is `creating` for a moment.
    lab.perform(&Action::Advance { seconds: 60 })
        .expect("time passes");
    lab.perform(&Action::Console {
        line: format!("aws efs create-mount-target --file-system-id {fs} --subnet-id {subnet}"),
    })
    .expect("mounted");
    let root = mount(lab, &fs, 80).await;
    let text = texts(&root, "dd").join(" | ");
    assert!(text.contains("Regional (Standard classes)"), "{text}");
    assert!(
        text.contains(&format!("in {subnet} (us-east-1a)")),
        "{text}"
    );
    assert_eq!(
        texts(&root, "h2"),
        vec!["EFS file system shared".to_owned()]
    );
}
