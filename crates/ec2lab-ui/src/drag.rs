//! What a drop means: a resource dragged onto a target becomes one EC2
//! action (an AMI onto a subnet launches, a volume onto an instance
//! attaches, a snapshot onto an AZ restores, a volume onto the snapshot
//! shelf snapshots it, an instance onto the AMI shelf makes an image, a
//! snapshot or AMI onto another Region copies it there).
//!
//! Pure: the diagram finds the target under the pointer ([`target_at`]), and
//! [`drop_action`] says what the drop does, or why it means nothing. Whether
//! AWS accepts it is the core's call, so a refused attach shows AWS's own
//! error. The same function serves the keyboard: select, choose "Move to…",
//! choose a target.

use ec2lab_sim::{ImageId, InstanceId, RegionState, SnapshotId, SubnetId, VolumeId};

use crate::layout::{Diagram, Kind, Node, Rect, Text, TextStyle};
use crate::model::Action;

/// Whether a node can be picked up.
pub fn draggable(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Instance | Kind::Volume | Kind::Image | Kind::Snapshot | Kind::LaunchTemplate
    )
}

/// Adds, below the diagram, a drop target for each other Region: a
/// snapshot or an AMI dropped on one is copied there (D3, E2).
pub fn add_region_targets(diagram: &mut Diagram, current: &str) {
    const H: i32 = 76;
    const PAD: i32 = 16;
    let others: Vec<_> = ec2lab_sim::REGIONS
        .iter()
        .filter(|r| r.name != current)
        .collect();
    if others.is_empty() {
        return;
    }
    let top = diagram.height;
    let width = diagram.width - 2 * PAD;
    diagram.nodes.push(Node {
        kind: Kind::Shelf,
        resource_id: None,
        rect: Rect {
            x: PAD,
            y: top,
            w: width,
            h: H,
        },
        label: "Other Regions: drop a snapshot or an AMI on one to copy it there".into(),
        texts: vec![Text {
            x: 12,
            y: 20,
            text: "Other Regions · drop a snapshot or an AMI to copy it".into(),
            style: TextStyle::GroupLabel,
        }],
        status: None,
        target: None,
    });
    let n = others.len() as i32;
    let each = (width - 24 - (n - 1) * 10) / n;
    for (i, r) in others.iter().enumerate() {
        diagram.nodes.push(Node {
            kind: Kind::Shelf,
            resource_id: None,
            rect: Rect {
                x: PAD + 12 + i as i32 * (each + 10),
                y: top + 30,
                w: each,
                h: 36,
            },
            label: format!("Region {} · {}, to copy to", r.display_name, r.name),
            texts: vec![Text {
                x: 10,
                y: 23,
                text: format!("{} · {}", r.display_name, r.name),
                style: TextStyle::Detail,
            }],
            status: None,
            target: Some(format!("region:{}", r.name)),
        });
    }
    diagram.height = top + H + PAD;
}

/// The innermost drop target under a point (diagram units): a resource
/// node, a subnet, an AZ column or a shelf; never the node being dragged.
pub fn target_at<'a>(diagram: &'a Diagram, x: i32, y: i32, dragged: &str) -> Option<&'a Node> {
    // Nodes come outermost first: the last hit is the innermost.
    diagram.nodes.iter().rfind(|n| {
        let r = n.rect;
        x >= r.x
            && x < r.x + r.w
            && y >= r.y
            && y < r.y + r.h
            && n.resource_id.as_deref() != Some(dragged)
            && takes_drops(n)
    })
}

/// Whether a drop can land on a node: resources and marked boxes, but not
/// a security group's boundary nor a network ACL's marker, which sit over
/// the instance or subnet a drop there is meant for.
fn takes_drops(n: &Node) -> bool {
    (n.resource_id.is_some() || n.target.is_some())
        && !matches!(n.kind, Kind::SecurityGroup | Kind::NetworkAcl)
}

/// Every drop target under a point, innermost first.
pub fn targets_at<'a>(diagram: &'a Diagram, x: i32, y: i32, dragged: &str) -> Vec<&'a Node> {
    let mut hits: Vec<&Node> = diagram
        .nodes
        .iter()
        .filter(|n| {
            let r = n.rect;
            x >= r.x
                && x < r.x + r.w
                && y >= r.y
                && y < r.y + r.h
                && n.resource_id.as_deref() != Some(dragged)
                && takes_drops(n)
        })
        .collect();
    hits.reverse();
    hits
}

/// What a drop at a point does: the innermost target that means something
/// (an AMI dropped on an instance's card launches into its subnet), or why
/// the innermost one means nothing.
pub fn drop_at(
    region: &RegionState,
    diagram: &Diagram,
    x: i32,
    y: i32,
    dragged: &str,
) -> Option<Result<Action, String>> {
    let mut first_error = None;
    for node in targets_at(diagram, x, y, dragged) {
        let Some(key) = target_key(node) else {
            continue;
        };
        match drop_action(region, dragged, key) {
            Ok(action) => return Some(Ok(action)),
            Err(why) => {
                first_error.get_or_insert(why);
            }
        }
    }
    first_error.map(Err)
}

/// The id a target answers to: its resource id or its drop target.
pub fn target_key(node: &Node) -> Option<&str> {
    node.resource_id.as_deref().or(node.target.as_deref())
}

/// The first device name free on an instance, `/dev/sdf` to `/dev/sdp`.
fn free_device(region: &RegionState, instance: &InstanceId) -> String {
    let used: Vec<&str> = region
        .instances
        .get(instance)
        .map(|i| {
            i.block_devices
                .iter()
                .map(|d| d.device_name.as_str())
                .collect()
        })
        .unwrap_or_default();
    ('f'..='p')
        .map(|c| format!("/dev/sd{c}"))
        .find(|d| !used.contains(&d.as_str()))
        .unwrap_or_else(|| "/dev/sdf".into())
}

/// What dropping `source` on `target` (a resource id, `az:<zone>` or
/// `shelf:…`) does.
pub fn drop_action(region: &RegionState, source: &str, target: &str) -> Result<Action, String> {
    let prefix = |id: &str| id.split('-').next().unwrap_or("").to_owned();
    match (prefix(source).as_str(), target) {
        ("ami", t) if t.starts_with("subnet-") => {
            let subnet_id = SubnetId::new(t);
            let image_id = ImageId::new(source);
            let arm = region
                .image(&image_id)
                .is_some_and(|i| i.architecture == ec2lab_sim::Architecture::Arm64);
            let n = region.instances.len() + 1;
            Ok(Action::Launch {
                image_id,
                subnet_id,
                name: format!("instance-{n}"),
                instance_type: if arm { "t4g.micro" } else { "t3.micro" }.into(),
                security_group_ids: Vec::new(),
                user_data: None,
                root_volume: None,
            })
        }
        ("lt", t) if t.starts_with("subnet-") => Ok(Action::LaunchFromTemplate {
            template_id: ec2lab_sim::LaunchTemplateId::new(source),
            subnet_id: SubnetId::new(t),
            name: format!("instance-{}", region.instances.len() + 1),
        }),
        ("vol", t) if t.starts_with("i-") => {
            let instance_id = InstanceId::new(t);
            Ok(Action::AttachVolume {
                volume_id: VolumeId::new(source),
                device: free_device(region, &instance_id),
                instance_id,
            })
        }
        ("vol", "shelf:snapshots") => Ok(Action::CreateSnapshot {
            volume_id: VolumeId::new(source),
        }),
        ("snap", t) if t.starts_with("az:") => Ok(Action::CreateVolumeFromSnapshot {
            snapshot_id: SnapshotId::new(source),
            availability_zone: t.trim_start_matches("az:").to_owned(),
        }),
        ("snap" | "ami", t) if t.starts_with("region:") => {
            let to = t.trim_start_matches("region:").to_owned();
            let from = region.name().to_owned();
            if to == from {
                return Err(format!("{source} is already in {from}: drop it on another Region to copy it there."));
            }
            Ok(if source.starts_with("snap") {
                Action::CopySnapshot {
                    snapshot_id: SnapshotId::new(source),
                    source_region: from,
                    region: to,
                }
            } else {
                let image_id = ImageId::new(source);
                let name = region
                    .image(&image_id)
                    .map_or_else(|| source.to_owned(), |i| i.name);
                Action::CopyImage {
                    name: format!("{name}-copy"),
                    image_id,
                    source_region: from,
                    region: to,
                }
            })
        }
        ("i", "shelf:amis") => {
            let instance_id = InstanceId::new(source);
            let name = region
                .instances
                .get(&instance_id)
                .and_then(|i| i.tags.get("Name"))
                .unwrap_or("instance")
                .to_owned();
            Ok(Action::CreateImage {
                name: format!("{name}-image-{}", region.images.len() + 1),
                instance_id,
            })
        }
        (kind, target) => Err(match kind {
            "ami" => "Drop an AMI on a subnet to launch an instance there.".into(),
            "lt" => "Drop a launch template on a subnet to launch an instance from it.".into(),
            "vol" => "Drop a volume on an instance to attach it, or on the Snapshots shelf to snapshot it.".into(),
            "snap" => "Drop a snapshot on an Availability Zone to make a volume from it there.".into(),
            "i" => "Drop an instance on the AMIs shelf to make an image of it.".into(),
            _ => format!("Nothing happens when {source} is dropped on {target}."),
        }),
    }
}

/// What a drop does, in words, for a menu: the verb and the target's name.
fn describe(action: &Action, target_label: &str) -> String {
    let verb = match action {
        Action::Launch { .. } | Action::LaunchFromTemplate { .. } => "Launch an instance in",
        Action::AttachVolume { .. } => "Attach to",
        Action::CreateSnapshot { .. } => "Snapshot it onto the",
        Action::CreateVolumeFromSnapshot { .. } => "Restore as a volume in",
        Action::CreateImage { .. } => "Create an image on the",
        Action::CopySnapshot { .. } | Action::CopyImage { .. } => "Copy it to",
        _ => "Drop on",
    };
    let target = target_label.split(" (").next().unwrap_or(target_label);
    let target = target.split(", ").next().unwrap_or(target);
    format!("{verb} {target}")
}

/// Every target a resource can be dropped on, with what the drop does: the
/// keyboard and menu equivalent of dragging it ("select, choose an action,
/// choose a target"). Each is `(target key, what it does in words, action)`.
pub fn drop_choices(
    region: &RegionState,
    diagram: &Diagram,
    source: &str,
) -> Vec<(String, String, Action)> {
    let mut seen = Vec::new();
    let mut choices = Vec::new();
    for node in &diagram.nodes {
        let Some(key) = target_key(node) else {
            continue;
        };
        if key == source || seen.iter().any(|k: &String| k == key) {
            continue;
        }
        if let Ok(action) = drop_action(region, source, key) {
            seen.push(key.to_owned());
            choices.push((key.to_owned(), describe(&action, &node.label), action));
        }
    }
    choices
}
