//! The diagram view: draws a [`Diagram`] as SVG.
//!
//! The view decides nothing: positions, text and accessible names come from
//! [`crate::layout`]; this file only picks shapes, icons and CSS classes.

use std::rc::Rc;

use yew::prelude::*;

use crate::layout::{Diagram, Kind, Node, Status, TextStyle};

/// Properties of [`DiagramView`].
#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    /// What to draw.
    pub diagram: Rc<Diagram>,
    /// The accessible name of the whole drawing.
    pub label: AttrValue,
}

/// The account drawn as an AWS architecture diagram.
#[function_component(DiagramView)]
pub fn diagram_view(props: &DiagramProps) -> Html {
    let diagram = &props.diagram;
    let view_box = format!("0 0 {} {}", diagram.width, diagram.height);
    // Fit the drawing to the screen, but never below 70 % of its natural
    // size: past that the canvas scrolls instead, so text stays readable.
    let style = format!(
        "min-width:{}px;min-height:{}px",
        diagram.width * 7 / 10,
        diagram.height * 7 / 10
    );
    let (groups, leaves): (Vec<&Node>, Vec<&Node>) =
        diagram.nodes.iter().partition(|node| is_group(node.kind));
    html! {
        <svg id="diagram" class="diagram" viewBox={view_box} role="group"
            aria-label={props.label.clone()} style={style}
            preserveAspectRatio="xMidYMin meet">
            { for groups.into_iter().map(node_view) }
            <g class="links" aria-hidden="true">
                { for diagram.links.iter().map(|link| html! {
                    <line x1={link.from.0.to_string()} y1={link.from.1.to_string()}
                        x2={link.to.0.to_string()} y2={link.to.1.to_string()} />
                }) }
            </g>
            { for leaves.into_iter().map(node_view) }
        </svg>
    }
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
    )
}

fn node_view(node: &Node) -> Html {
    let r = node.rect;
    let transform = format!("translate({},{})", r.x, r.y);
    let role = if is_group(node.kind) { "group" } else { "img" };
    let tabindex = node.resource_id.as_ref().map(|_| "0");
    let texts = node.texts.iter().map(|t| {
        let class = match t.style {
            TextStyle::GroupLabel => "label",
            TextStyle::Name => "name",
            TextStyle::Id => "id",
            TextStyle::Detail => "detail",
        };
        html! { <text x={t.x.to_string()} y={t.y.to_string()} class={class}>{ &t.text }</text> }
    });
    html! {
        <g class={classes!("node", kind_class(node.kind))} transform={transform}
            role={role} aria-label={node.label.clone()} tabindex={tabindex}
            data-resource-id={node.resource_id.clone()}>
            <rect class="frame" width={r.w.to_string()} height={r.h.to_string()} rx={corner(node.kind)} />
            { icon(node) }
            { for texts }
        </g>
    }
}

fn kind_class(kind: Kind) -> &'static str {
    match kind {
        Kind::Region => "region",
        Kind::Vpc => "vpc",
        Kind::AvailabilityZone => "az",
        Kind::PublicSubnet => "subnet public",
        Kind::PrivateSubnet => "subnet private",
        Kind::Instance => "instance",
        Kind::Volume => "volume",
        Kind::InternetGateway => "igw",
        Kind::Internet => "internet",
    }
}

fn corner(kind: Kind) -> &'static str {
    match kind {
        Kind::Instance | Kind::Volume | Kind::InternetGateway => "6",
        Kind::Internet => "20",
        _ => "2",
    }
}

/// The small icon in a node's top-left corner, in the AWS category colour.
fn icon(node: &Node) -> Html {
    let glyph = match node.kind {
        // A flag on a pole: AWS's Region group icon.
        Kind::Region => html! {
            <g class="icon" aria-hidden="true" transform="translate(12,10)">
                <path d="M4 2v20" class="stroke" />
                <path d="M5 3h13l-3 5 3 5H5z" class="fill" />
            </g>
        },
        // A cloud with a lock: AWS's VPC group icon, simplified.
        Kind::Vpc => html! {
            <g class="icon" aria-hidden="true" transform="translate(10,10)">
                <rect width="24" height="24" rx="3" class="fill" />
                <path d="M6 16a4 4 0 0 1 1-7.9A5 5 0 0 1 17 9a3.5 3.5 0 0 1 1 7z" class="glyph" />
            </g>
        },
        Kind::PublicSubnet | Kind::PrivateSubnet => {
            let public = node.kind == Kind::PublicSubnet;
            html! {
                <g class="icon" aria-hidden="true" transform="translate(10,10)">
                    <rect width="20" height="20" rx="2" class="fill" />
                    // An open padlock for public, a closed one for private.
                    <rect x="5" y="9" width="10" height="8" rx="1" class="glyph-solid" />
                    if public {
                        <path d="M7 9V6a3 3 0 0 1 6 0" class="glyph" transform="translate(3,0)" />
                    } else {
                        <path d="M7 9V6a3 3 0 0 1 6 0v3" class="glyph" />
                    }
                </g>
            }
        }
        // A chip: AWS's EC2 instance icon, simplified.
        Kind::Instance => html! {
            <g class="icon" aria-hidden="true" transform="translate(10,9)">
                <rect width="30" height="30" rx="4" class="fill" />
                <rect x="8" y="8" width="14" height="14" rx="1" class="glyph" />
                <path d="M11 4v4M15 4v4M19 4v4M11 22v4M15 22v4M19 22v4M4 11h4M4 15h4M4 19h4M22 11h4M22 15h4M22 19h4" class="glyph" />
            </g>
        },
        // A cylinder: AWS's EBS volume icon, simplified.
        Kind::Volume => html! {
            <g class="icon" aria-hidden="true" transform="translate(8,9)">
                <path d="M2 5v16c0 2 4 3.5 9 3.5s9-1.5 9-3.5V5" class="fill" />
                <ellipse cx="11" cy="5" rx="9" ry="3.5" class="fill-light" />
            </g>
        },
        // A gateway arch.
        Kind::InternetGateway => html! {
            <g class="icon" aria-hidden="true" transform="translate(10,11)">
                <rect width="30" height="30" rx="4" class="fill" />
                <path d="M8 23V13a7 7 0 0 1 14 0v10M5 23h20" class="glyph" />
            </g>
        },
        Kind::Internet | Kind::AvailabilityZone => html! {},
    };
    html! { <>{ glyph }{ for status_dot(node) }</> }
}

/// The state dot beside an instance's state word: colour and word together.
fn status_dot(node: &Node) -> Option<Html> {
    let status = node.status?;
    let class = match status {
        Status::Good => "status good",
        Status::Changing => "status changing",
        Status::Off => "status off",
    };
    Some(html! { <circle cx="54" cy="52" r="5" class={class} aria-hidden="true" /> })
}
