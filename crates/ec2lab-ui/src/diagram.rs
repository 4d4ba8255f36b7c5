//! The diagram view: draws a [`Diagram`] as SVG.
//!
//! The view decides nothing: positions, text and accessible names come from
//! [`crate::layout`]; this file only picks shapes, icons and CSS classes.
//!
//! The drawing is one piece of SVG markup ([`diagram_markup`]) that the
//! browser parses natively in one call: building ~200 SVG elements one
//! attribute at a time through the JS boundary was most of the first page
//! load. Each resource is a `<g>` with its position, role, accessible name,
//! `tabindex` and `data-resource-id`, so interaction (later) hooks onto the
//! `<svg>` by delegation. Everything in the markup that comes from data is
//! escaped ([`escape`]): resource names come from learners and imported files.

use std::fmt::Write as _;
use std::rc::Rc;

use yew::prelude::*;

use crate::layout::{Diagram, Kind, Link, Node, Status, TextStyle};

/// Properties of [`DiagramView`].
#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    /// What to draw.
    pub diagram: Rc<Diagram>,
    /// The accessible name of the whole drawing.
    pub label: AttrValue,
    /// The selected resource, outlined.
    #[prop_or_default]
    pub selected: Option<AttrValue>,
    /// A traced flow's path: nodes it passed (`true`) or was stopped at.
    #[prop_or_default]
    pub path: Rc<Vec<(String, bool)>>,
}

/// The account drawn as an AWS architecture diagram.
#[function_component(DiagramView)]
pub fn diagram_view(props: &DiagramProps) -> Html {
    let diagram = &props.diagram;
    let view_box = format!("0 0 {} {}", diagram.width, diagram.height);
    // Grow with the screen, but never below the drawing's natural size:
    // on a smaller screen the canvas scrolls, so text stays readable.
    let style = format!(
        "min-width:{}px;min-height:{}px",
        diagram.width, diagram.height
    );
    let markup = use_memo(Rc::clone(diagram), |diagram| {
        AttrValue::from(diagram_markup(diagram))
    });
    // The selection is a style rule, so the drawing's markup stays as it is.
    let mut selection = props.selected.as_ref().map(|id| {
        format!(
            r#".diagram .node[data-resource-id="{}"] > .frame {{ stroke: var(--focus); stroke-width: 4; }}"#,
            escape(id)
        )
    });
    // The path: passed nodes glow blue; where it stopped, a red dashed frame.
    for (id, allowed) in props.path.iter() {
        let rule = if *allowed {
            r#"stroke: #0972d3; stroke-width: 4; stroke-dasharray: none;"#
        } else {
            r#"stroke: #d13212; stroke-width: 5; stroke-dasharray: 8 4;"#
        };
        selection.get_or_insert_with(String::new).push_str(&format!(
            r#" .diagram .node[data-resource-id="{}"] > .frame {{ {rule} }}"#,
            escape(id)
        ));
    }
    html! {
        <svg id="diagram" class="diagram" viewBox={view_box} role="group"
            aria-label={props.label.clone()} style={style}
            preserveAspectRatio="xMidYMin meet">
            if let Some(rule) = selection {
                <style>{ rule }</style>
            }
            { Html::from_html_unchecked((*markup).clone()) }
        </svg>
    }
}

/// The whole drawing: icon definitions, the boxes, the links, then the
/// resources on top.
pub fn diagram_markup(diagram: &Diagram) -> String {
    let mut out = String::from(ICON_DEFINITIONS);
    for node in diagram.nodes.iter().filter(|n| is_group(n.kind)) {
        node_element(&mut out, node);
    }
    out.push_str(r#"<g class="links" aria-hidden="true">"#);
    out.push_str(&links_markup(&diagram.links));
    out.push_str("</g>");
    for node in diagram.nodes.iter().filter(|n| !is_group(n.kind)) {
        node_element(&mut out, node);
    }
    out
}

/// One node: its `<g>` (position, role, name, id) around its drawing.
fn node_element(out: &mut String, node: &Node) {
    let r = node.rect;
    let role = if is_group(node.kind) { "group" } else { "img" };
    let _ = write!(
        out,
        r#"<g class="{}" transform="translate({},{})" role="{role}" aria-label="{}""#,
        kind_class(node.kind),
        r.x,
        r.y,
        escape(&node.label)
    );
    if let Some(id) = &node.resource_id {
        let _ = write!(out, r#" tabindex="0" data-resource-id="{}""#, escape(id));
    }
    if let Some(target) = &node.target {
        let _ = write!(out, r#" data-drop-target="{}""#, escape(target));
    }
    out.push('>');
    out.push_str(&node_markup(node));
    out.push_str("</g>");
}

/// Boxes that hold other nodes: drawn first, under the links.
fn is_group(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Region
            | Kind::Vpc
            | Kind::AvailabilityZone
            | Kind::PublicSubnet
            | Kind::PrivateSubnet
            | Kind::Shelf
    )
}

fn kind_class(kind: Kind) -> &'static str {
    match kind {
        Kind::Region => "node region",
        Kind::Vpc => "node vpc",
        Kind::AvailabilityZone => "node az",
        Kind::PublicSubnet => "node subnet public",
        Kind::PrivateSubnet => "node subnet private",
        Kind::Instance => "node instance",
        Kind::Volume => "node volume",
        Kind::InternetGateway => "node igw",
        Kind::Internet => "node internet",
        Kind::Shelf => "node shelf",
        Kind::Image => "node image",
        Kind::Snapshot => "node snapshot",
        Kind::LaunchTemplate => "node template",
        Kind::FileSystem => "node efs",
        Kind::MountTarget => "node mount-target",
        Kind::SecurityGroup => "node sg",
        Kind::NetworkAcl => "node nacl",
    }
}

/// The drawing inside a node: its frame, icon, state dot and text, as SVG
/// markup with every piece of text escaped.
pub fn node_markup(node: &Node) -> String {
    let r = node.rect;
    let corner = match node.kind {
        Kind::Instance
        | Kind::Volume
        | Kind::InternetGateway
        | Kind::FileSystem
        | Kind::MountTarget => 6,
        Kind::SecurityGroup => 4,
        Kind::Internet | Kind::NetworkAcl => 18,
        _ => 2,
    };
    let mut out = format!(
        r#"<rect class="frame" width="{}" height="{}" rx="{corner}"/>"#,
        r.w, r.h
    );
    if let Some((icon, x, y)) = icon(node.kind) {
        let _ = write!(out, r##"<use href="#icon-{icon}" x="{x}" y="{y}"/>"##);
    }
    if let Some(status) = node.status {
        let class = match status {
            Status::Good => "good",
            Status::Changing => "changing",
            Status::Off => "off",
        };
        let _ = write!(
            out,
            r#"<circle class="status {class}" cx="54" cy="52" r="5"/>"#
        );
    }
    for text in &node.texts {
        let class = match text.style {
            TextStyle::GroupLabel => "label",
            TextStyle::Name => "name",
            TextStyle::Id => "id",
            TextStyle::Detail => "detail",
        };
        let _ = write!(
            out,
            r#"<text class="{class}" x="{}" y="{}">{}</text>"#,
            text.x,
            text.y,
            escape(&text.text)
        );
    }
    out
}

fn links_markup(links: &[Link]) -> String {
    let mut out = String::new();
    for link in links {
        let _ = write!(
            out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
            link.from.0, link.from.1, link.to.0, link.to.1
        );
    }
    out
}

/// Escapes text for SVG/HTML markup, so that a resource named
/// `<script>` is shown as text and never parsed.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Which icon a node shows, and where.
fn icon(kind: Kind) -> Option<(&'static str, i32, i32)> {
    Some(match kind {
        Kind::Region => ("region", 12, 10),
        Kind::Vpc => ("vpc", 10, 10),
        Kind::PublicSubnet => ("public", 10, 10),
        Kind::PrivateSubnet => ("private", 10, 10),
        Kind::Instance => ("instance", 10, 9),
        Kind::Volume => ("volume", 8, 9),
        Kind::InternetGateway => ("igw", 10, 11),
        Kind::Image => ("image", 8, 10),
        Kind::Snapshot => ("snapshot", 8, 10),
        Kind::LaunchTemplate => ("template", 8, 10),
        Kind::FileSystem => ("efs", 10, 12),
        Kind::MountTarget => ("efs", 12, 11),
        Kind::NetworkAcl => ("nacl", 7, 2),
        // A security group is its dashed boundary, with no icon (as AWS
        // draws it).
        Kind::Internet | Kind::AvailabilityZone | Kind::Shelf | Kind::SecurityGroup => return None,
    })
}

/// The icons, defined once, drawn at their natural size with `<use>` in the
/// node's colour (`currentColor`): AWS's category colours, simplified shapes.
const ICON_DEFINITIONS: &str = concat!(
    "<defs>",
    // A flag on a pole: AWS's Region group icon.
    r##"<g id="icon-region"><path d="M4 2v20" stroke="currentColor" stroke-width="2" fill="none"/><path d="M5 3h13l-3 5 3 5H5z" fill="currentColor"/></g>"##,
    // A cloud: AWS's VPC group icon.
    r##"<g id="icon-vpc"><rect width="24" height="24" rx="3" fill="currentColor"/><path d="M6 16a4 4 0 0 1 1-7.9A5 5 0 0 1 17 9a3.5 3.5 0 0 1 1 7z" fill="none" stroke="#fff" stroke-width="2"/></g>"##,
    // An open padlock for a public subnet, a closed one for a private one.
    r##"<g id="icon-public"><rect width="20" height="20" rx="2" fill="currentColor"/><rect x="5" y="9" width="10" height="8" rx="1" fill="#fff"/><path d="M10 9V6a3 3 0 0 1 6 0" fill="none" stroke="#fff" stroke-width="2"/></g>"##,
    r##"<g id="icon-private"><rect width="20" height="20" rx="2" fill="currentColor"/><rect x="5" y="9" width="10" height="8" rx="1" fill="#fff"/><path d="M7 9V6a3 3 0 0 1 6 0v3" fill="none" stroke="#fff" stroke-width="2"/></g>"##,
    // A chip: AWS's EC2 instance icon.
    r##"<g id="icon-instance"><rect width="30" height="30" rx="4" fill="currentColor"/><rect x="8" y="8" width="14" height="14" rx="1" fill="none" stroke="#fff" stroke-width="2"/><path d="M11 4v4M15 4v4M19 4v4M11 22v4M15 22v4M19 22v4M4 11h4M4 15h4M4 19h4M22 11h4M22 15h4M22 19h4" stroke="#fff" stroke-width="2"/></g>"##,
    // A cylinder: AWS's EBS volume icon.
    r##"<g id="icon-volume"><path d="M2 5v16c0 2 4 3.5 9 3.5s9-1.5 9-3.5V5" fill="currentColor"/><ellipse cx="11" cy="5" rx="9" ry="3.5" fill="#a9c97a" stroke="currentColor" stroke-width="1.5"/></g>"##,
    // A gateway arch.
    r##"<g id="icon-igw"><rect width="30" height="30" rx="4" fill="currentColor"/><path d="M8 23V13a7 7 0 0 1 14 0v10M5 23h20" fill="none" stroke="#fff" stroke-width="2"/></g>"##,
    // A disc: an AMI.
    r##"<g id="icon-image"><rect width="22" height="22" rx="3" fill="currentColor"/><circle cx="11" cy="11" r="6" fill="none" stroke="#fff" stroke-width="2"/><circle cx="11" cy="11" r="1.5" fill="#fff"/></g>"##,
    // A camera: an EBS snapshot.
    r##"<g id="icon-snapshot"><rect width="22" height="22" rx="3" fill="currentColor"/><rect x="4" y="7" width="14" height="10" rx="1" fill="none" stroke="#fff" stroke-width="2"/><circle cx="11" cy="12" r="2.5" fill="#fff"/></g>"##,
    // A page: a launch template.
    r##"<g id="icon-template"><rect width="22" height="22" rx="3" fill="currentColor"/><path d="M7 5h6l3 3v9H7z" fill="none" stroke="#fff" stroke-width="2"/></g>"##,
    // A folder shared over the network: AWS's EFS icon, storage green.
    r##"<g id="icon-efs"><rect width="26" height="26" rx="4" fill="currentColor"/><path d="M5 8h6l2 2h8v9H5z" fill="none" stroke="#fff" stroke-width="2"/><path d="M9 15h8" stroke="#fff" stroke-width="2"/></g>"##,
    // A shield: a network ACL.
    r##"<g id="icon-nacl"><path d="M8 0l8 3v6c0 4.5-3.4 7.4-8 9-4.6-1.6-8-4.5-8-9V3z" fill="currentColor"/><path d="M4.5 9l2.5 2.5 4.5-5" fill="none" stroke="#fff" stroke-width="1.8"/></g>"##,
    "</defs>",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Rect, Text};

    #[test]
    fn accessible_names_are_escaped_in_attributes() {
        let node = Node {
            kind: Kind::Volume,
            resource_id: Some("vol-1".into()),
            rect: Rect {
                x: 1,
                y: 2,
                w: 3,
                h: 4,
            },
            label: r#"Volume "><script>x</script> (vol-1)"#.into(),
            texts: vec![],
            status: None,
            target: None,
        };
        let mut out = String::new();
        node_element(&mut out, &node);
        expect_test::expect![[r##"<g class="node volume" transform="translate(1,2)" role="img" aria-label="Volume &quot;&gt;&lt;script&gt;x&lt;/script&gt; (vol-1)" tabindex="0" data-resource-id="vol-1"><rect class="frame" width="3" height="4" rx="6"/><use href="#icon-volume" x="8" y="9"/></g>"##]].assert_eq(&out);
    }

    #[test]
    fn text_from_learners_is_escaped_never_parsed() {
        // A Name tag is free text: it must be shown, not run.
        let node = Node {
            kind: Kind::Instance,
            resource_id: Some("i-0123456789abcdef0".into()),
            rect: Rect {
                x: 0,
                y: 0,
                w: 10,
                h: 10,
            },
            label: String::new(),
            texts: vec![Text {
                x: 1,
                y: 2,
                text: r#"<img src=x onerror="alert('x')">&"#.into(),
                style: TextStyle::Name,
            }],
            status: None,
            target: None,
        };
        expect_test::expect![[r##"<rect class="frame" width="10" height="10" rx="6"/><use href="#icon-instance" x="10" y="9"/><text class="name" x="1" y="2">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</text>"##]]
            .assert_eq(&node_markup(&node));
    }
}
