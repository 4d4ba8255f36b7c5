//! Nodes the learner moved: the layout places every node, then each moved
//! one is shifted by its offset, kept inside the box that holds it (an
//! instance stays in its subnet, a snapshot on its shelf: where a node sits
//! never contradicts the account), and the lines to it follow.

use crate::layout::{Diagram, Kind, Node, Rect};

/// Whether a node is a box that holds others (it does not move itself).
fn is_group(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Region
            | Kind::Vpc
            | Kind::AvailabilityZone
            | Kind::PublicSubnet
            | Kind::PrivateSubnet
            | Kind::Shelf
            | Kind::Internet
    )
}

/// Whether the learner can move a node around its box. A security group's
/// boundary follows the card it surrounds, and a network ACL's marker stays
/// on its subnet's edge: neither moves by itself.
pub fn movable(node: &Node) -> bool {
    node.resource_id.is_some()
        && !is_group(node.kind)
        && !matches!(node.kind, Kind::SecurityGroup | Kind::NetworkAcl)
}

/// Whether `n` is drawn around `rect` and moves with it: a security
/// group's boundary around an instance or mount target card.
fn wraps(n: &Node, rect: &Rect) -> bool {
    n.kind == Kind::SecurityGroup && n.rect.contains(rect)
}

/// Node `i` with what moves with it: the space it takes on the drawing.
fn extent(diagram: &Diagram, i: usize) -> Option<Rect> {
    let rect = diagram.nodes.get(i)?.rect;
    let mut out = rect;
    for n in diagram.nodes.iter().filter(|n| wraps(n, &rect)) {
        let (right, bottom) = (
            (out.x + out.w).max(n.rect.x + n.rect.w),
            (out.y + out.h).max(n.rect.y + n.rect.h),
        );
        out.x = out.x.min(n.rect.x);
        out.y = out.y.min(n.rect.y);
        out.w = right - out.x;
        out.h = bottom - out.y;
    }
    Some(out)
}

/// The innermost group holding node `i` and its boundary (groups come
/// before what they hold).
pub fn container(diagram: &Diagram, i: usize) -> Option<Rect> {
    let rect = extent(diagram, i)?;
    diagram.nodes[..i]
        .iter()
        .rev()
        .find(|n| is_group(n.kind) && n.rect.contains(&rect))
        .map(|n| n.rect)
}

/// Whether a point lies in the box that holds node `id` (a drop there that
/// means nothing else moves the node).
pub fn within_own_box(diagram: &Diagram, id: &str, (x, y): (i32, i32)) -> bool {
    let Some(i) = diagram
        .nodes
        .iter()
        .position(|n| n.resource_id.as_deref() == Some(id))
    else {
        return false;
    };
    movable(&diagram.nodes[i])
        && container(diagram, i)
            .is_some_and(|r| x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h)
}

/// An offset that keeps `rect` inside `within` (or no offset, if it cannot).
pub fn clamp(rect: Rect, within: Rect, (dx, dy): (i32, i32)) -> (i32, i32) {
    let fit = |d: i32, at: i32, len: i32, lo: i32, hi: i32| {
        let min = lo - at;
        let max = hi - (at + len);
        if min > max {
            0
        } else {
            d.clamp(min, max)
        }
    };
    (
        fit(dx, rect.x, rect.w, within.x, within.x + within.w),
        fit(dy, rect.y, rect.h, within.y, within.y + within.h),
    )
}

/// Applies the learner's moves to a laid-out diagram. Moves of resources
/// that are gone, or of nodes that do not move, are ignored.
pub fn apply(diagram: &mut Diagram, moved: &[(String, i32, i32)]) {
    for (id, dx, dy) in moved {
        let Some(i) = diagram
            .nodes
            .iter()
            .position(|n| n.resource_id.as_deref() == Some(id.as_str()))
        else {
            continue;
        };
        if !movable(&diagram.nodes[i]) {
            continue;
        }
        let rect = diagram.nodes[i].rect;
        let (dx, dy) = match (container(diagram, i), extent(diagram, i)) {
            (Some(within), Some(space)) => clamp(space, within, (*dx, *dy)),
            _ => (*dx, *dy),
        };
        if (dx, dy) == (0, 0) {
            continue;
        }
        // The node, what is drawn inside it, and its security group
        // boundary move together.
        for n in &mut diagram.nodes {
            if rect.contains(&n.rect) || wraps(n, &rect) {
                n.rect.x += dx;
                n.rect.y += dy;
            }
        }
        let inside = |(x, y): (i32, i32)| {
            x >= rect.x && x <= rect.x + rect.w && y >= rect.y && y <= rect.y + rect.h
        };
        for link in &mut diagram.links {
            if inside(link.from) {
                link.from = (link.from.0 + dx, link.from.1 + dy);
            }
            if inside(link.to) {
                link.to = (link.to.0 + dx, link.to.1 + dy);
            }
        }
    }
}

/// The moves after the learner drags node `id` by `(dx, dy)` on the
/// diagram as drawn (moves applied): the drag is kept inside the node's
/// box, and a node back where the layout puts it is no longer listed.
pub fn settle(
    diagram: &Diagram,
    moved: &[(String, i32, i32)],
    id: &str,
    (dx, dy): (i32, i32),
) -> Vec<(String, i32, i32)> {
    let Some(i) = diagram
        .nodes
        .iter()
        .position(|n| n.resource_id.as_deref() == Some(id))
    else {
        return moved.to_vec();
    };
    if !movable(&diagram.nodes[i]) {
        return moved.to_vec();
    }
    let (dx, dy) = match (container(diagram, i), extent(diagram, i)) {
        (Some(within), Some(space)) => clamp(space, within, (dx, dy)),
        _ => (dx, dy),
    };
    let (x, y) = moved
        .iter()
        .find(|m| m.0 == id)
        .map_or((0, 0), |m| (m.1, m.2));
    with_offset(moved, id, (x + dx, y + dy))
}

/// The moves with node `id` at offset `(dx, dy)`.
pub fn with_offset(
    moved: &[(String, i32, i32)],
    id: &str,
    (dx, dy): (i32, i32),
) -> Vec<(String, i32, i32)> {
    let mut out: Vec<(String, i32, i32)> = moved.iter().filter(|m| m.0 != id).cloned().collect();
    if (dx, dy) != (0, 0) {
        out.push((id.to_owned(), dx, dy));
    }
    out
}
