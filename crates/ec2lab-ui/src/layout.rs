//! Where each part of the account goes on the diagram.
//!
//! The diagram follows AWS's architecture-diagram conventions: the Region
//! holds the VPC; the VPC spans Availability Zone columns; each column holds
//! the VPC's subnets in that AZ (public ones first, in green; private ones in
//! teal), instances sit inside their subnet with their EBS volumes beside
//! them, and the internet gateway sits on the VPC's edge. EBS volumes that are
//! not attached sit in their AZ column below the VPC, because a volume belongs
//! to an AZ, not to a VPC or subnet (F1).
//!
//! The filters are drawn where they sit. A security group is a red dashed
//! boundary around each instance (or EFS mount target) whose interface
//! carries it: it filters at the interface (A1, A9). A network ACL is a
//! marker on its subnet's edge, saying in words whether it is the VPC's
//! default ACL or a custom one: it filters what crosses the subnet's
//! boundary (B1). An EFS file system is a storage-green band across the AZ
//! columns it stores data in (Regional: all of them; One Zone: one), below
//! the subnets of the VPC its mount targets are in, and each mount target
//! sits in its subnet with its address, one per AZ (J3).
//!
//! This module is pure geometry: it turns a Region's state into boxes, text
//! positions and accessible names, and is tested natively. The view draws what
//! it says and decides nothing.

use ec2lab_sim::{
    FileSystem, Instance, LifeCycleState, MountTarget, NameOrDash, RegionState, SecurityGroupId,
    Subnet, Volume, Vpc,
};

/// A rectangle in diagram units (SVG user units).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub w: i32,
    /// Height.
    pub h: i32,
}

impl Rect {
    /// Whether `other` lies wholly inside this rectangle.
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.x + other.w <= self.x + self.w
            && other.y + other.h <= self.y + self.h
    }

    /// Whether the two rectangles share any area.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }
}

/// What a box or node depicts; the view picks colours and icons from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The Region boundary.
    Region,
    /// A VPC boundary.
    Vpc,
    /// An Availability Zone column.
    AvailabilityZone,
    /// A public subnet (routes to an internet gateway, C3).
    PublicSubnet,
    /// A private subnet.
    PrivateSubnet,
    /// An instance.
    Instance,
    /// An EBS volume.
    Volume,
    /// An internet gateway.
    InternetGateway,
    /// The internet, outside the Region.
    Internet,
    /// A Regional shelf (AMIs, snapshots, launch templates).
    Shelf,
    /// An AMI.
    Image,
    /// An EBS snapshot.
    Snapshot,
    /// A launch template.
    LaunchTemplate,
    /// An EFS file system: a band across the AZ columns it stores data in
    /// (J3).
    FileSystem,
    /// An EFS mount target, in its subnet (J3).
    MountTarget,
    /// A security group's boundary around one instance or mount target
    /// whose interface carries it (A9).
    SecurityGroup,
    /// A network ACL's marker on the edge of a subnet it serves (B1).
    NetworkAcl,
}

/// How a line of text is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextStyle {
    /// A group's label (Region, VPC, AZ, subnet kind).
    GroupLabel,
    /// A resource's name.
    Name,
    /// An AWS id, in monospace.
    Id,
    /// Secondary detail: addresses, sizes, types.
    Detail,
}

/// A line of text, positioned relative to its node's top-left corner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    /// Left of the text.
    pub x: i32,
    /// Baseline.
    pub y: i32,
    /// The text.
    pub text: String,
    /// How it is set.
    pub style: TextStyle,
}

/// A box (group) or node on the diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// What it depicts.
    pub kind: Kind,
    /// The AWS id of the resource, if it is one.
    pub resource_id: Option<String>,
    /// Where it is.
    pub rect: Rect,
    /// What a screen reader says for it.
    pub label: String,
    /// Its text, relative to `rect`'s corner.
    pub texts: Vec<Text>,
    /// For a resource: the state, which the view shows with a coloured dot.
    pub status: Option<Status>,
    /// What a drop here means, for boxes that are not resources: `az:<zone>`
    /// for an Availability Zone, `shelf:amis` and `shelf:snapshots` for the
    /// Regional shelves.
    pub target: Option<String>,
}

/// A state shown by colour and always by word too (colour never carries
/// meaning alone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Running, attached, available: all is well.
    Good,
    /// Pending, stopping: on the way.
    Changing,
    /// Stopped, terminated.
    Off,
}

/// A line between two nodes (a volume to its instance, the gateway to the
/// internet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    /// Start.
    pub from: (i32, i32),
    /// End.
    pub to: (i32, i32),
}

/// The whole diagram of one Region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagram {
    /// Total width.
    pub width: i32,
    /// Total height.
    pub height: i32,
    /// Groups (boxes that hold other nodes, outermost first), then the
    /// resources inside them.
    pub nodes: Vec<Node>,
    /// Connecting lines, drawn under the nodes.
    pub links: Vec<Link>,
}

const MARGIN: i32 = 16;
const INTERNET_H: i32 = 36;
const REGION_PAD: i32 = 20;
const REGION_HEADER: i32 = 44;
const IGW_W: i32 = 200;
const IGW_H: i32 = 52;
const VPC_PAD: i32 = 20;
const VPC_HEADER: i32 = 48;
const VPC_GAP: i32 = 64;
const COLUMN_GAP: i32 = 20;
const COLUMN_PAD: i32 = 14;
const COLUMN_HEADER: i32 = 34;
const SUBNET_PAD: i32 = 12;
const SUBNET_HEADER: i32 = 50;
const SUBNET_GAP: i32 = 16;
const EMPTY_SUBNET_H: i32 = 28;
const CARD_W: i32 = 212;
const CARD_H: i32 = 100;
const CARD_GAP: i32 = 14;
/// Between an instance card and the column of its volumes.
const VOLUME_OFFSET: i32 = 24;
const VOLUME_W: i32 = 196;
const VOLUME_H: i32 = 44;
/// An instance with its volumes beside it.
const SLOT_W: i32 = CARD_W + VOLUME_OFFSET + VOLUME_W;
const VOLUME_GAP: i32 = 8;
const LOOSE_HEADER: i32 = 30;
/// Above an instance or mount target card, the row where the boundary of
/// its security groups is labelled.
const SG_HEAD: i32 = 20;
/// How far a security group's boundary stands off the card it surrounds.
const SG_PAD: i32 = 6;
/// Between a subnet's row of instances and its row of mount targets.
const ROW_GAP: i32 = 14;
const MOUNT_TARGET_H: i32 = 84;
const MOUNT_TARGET_GAP: i32 = 28;
const NACL_W: i32 = 168;
const NACL_H: i32 = 22;
/// How far a network ACL's marker rises above its subnet's top edge.
const NACL_RISE: i32 = 14;
const EFS_H: i32 = 58;

/// Lays out one Region of the account.
pub fn layout(region: &RegionState) -> Diagram {
    let mut nodes = Vec::new();
    let mut links = Vec::new();

    // Columns: every AZ of the Region that holds a subnet or a loose volume.
    let zones: Vec<&str> = region
        .info
        .zones
        .iter()
        .map(|(name, _)| *name)
        .filter(|zone| {
            region
                .subnets
                .values()
                .any(|s| s.availability_zone == *zone)
                || !region.available_volumes_in(zone).is_empty()
                || region
                    .file_systems
                    .values()
                    .any(|fs| fs.availability_zone.as_deref() == Some(*zone))
        })
        .collect();
    let vpcs: Vec<&Vpc> = region.vpcs_by_cidr();

    // Every column is as wide as the widest subnet or volume list needs.
    let widest_subnet = region
        .subnets
        .values()
        .map(|s| {
            subnet_width(
                region.instances_in(&s.id).len(),
                mount_targets_in(region, s).len(),
            )
        })
        .max()
        .unwrap_or(0);
    let column_inner = widest_subnet.max(subnet_width(1, 0));
    let column_w = column_inner + 2 * COLUMN_PAD;
    let columns_w = (zones.len() as i32 * (column_w + COLUMN_GAP) - COLUMN_GAP).max(column_w);
    let content_w = columns_w + 2 * VPC_PAD;

    let region_x = MARGIN;
    let region_y = MARGIN + INTERNET_H + 16;
    let column_x = |i: usize| region_x + REGION_PAD + VPC_PAD + i as i32 * (column_w + COLUMN_GAP);
    // J3: a Regional file system stores its data across the Region's AZs,
    // so its band crosses every column; a One Zone one stays in its AZ's.
    let band = |fs: &FileSystem, y: i32| {
        let (first, last) = match &fs.availability_zone {
            Some(zone) => {
                let i = zones.iter().position(|z| z == zone).unwrap_or(0);
                (i, i)
            }
            None => (0, zones.len().saturating_sub(1)),
        };
        let x = column_x(first) + COLUMN_PAD;
        Rect {
            x,
            y,
            w: column_x(last) + column_w - COLUMN_PAD - x,
            h: EFS_H,
        }
    };

    let mut y = region_y + REGION_HEADER + IGW_H / 2;
    let mut column_top = None;
    let mut vpc_nodes = Vec::new();
    for vpc in &vpcs {
        let vpc_top = y;
        let mut row_y = vpc_top + VPC_HEADER + COLUMN_HEADER;
        column_top.get_or_insert(vpc_top + VPC_HEADER);
        // Rows of subnets: the n-th subnet of every column shares a row.
        let per_zone: Vec<Vec<&Subnet>> = zones
            .iter()
            .map(|zone| {
                // Public subnets first, as AWS diagrams draw them; each kind
                // in address order.
                let (public, private): (Vec<&Subnet>, Vec<&Subnet>) = region
                    .subnets_of(&vpc.id)
                    .into_iter()
                    .filter(|s| s.availability_zone == *zone)
                    .partition(|s| region.is_public(&s.id));
                public.into_iter().chain(private).collect::<Vec<&Subnet>>()
            })
            .collect();
        let rows = per_zone.iter().map(Vec::len).max().unwrap_or(0);
        for row in 0..rows {
            let height = per_zone
                .iter()
                .filter_map(|subnets| subnets.get(row))
                .map(|s| subnet_height(region, s))
                .max()
                .unwrap_or(0);
            for (column, subnets) in per_zone.iter().enumerate() {
                if let Some(subnet) = subnets.get(row) {
                    let rect = Rect {
                        x: column_x(column) + COLUMN_PAD,
                        y: row_y,
                        w: column_inner,
                        h: height,
                    };
                    place_subnet(region, subnet, rect, &mut nodes, &mut links);
                }
            }
            row_y += height + SUBNET_GAP;
        }
        if rows == 0 {
            row_y += EMPTY_SUBNET_H + SUBNET_GAP;
        }
        // The file systems this VPC's subnets hold mount targets of, below
        // its subnets (J3: every mount target of a file system is in one VPC).
        for fs in region
            .file_systems
            .values()
            .filter(|fs| file_system_vpc(region, fs) == Some(&vpc.id))
        {
            nodes.push(file_system_node(region, fs, band(fs, row_y)));
            row_y += EFS_H + SUBNET_GAP;
        }
        let vpc_rect = Rect {
            x: region_x + REGION_PAD,
            y: vpc_top,
            w: content_w,
            h: row_y - vpc_top - SUBNET_GAP + VPC_PAD,
        };
        vpc_nodes.push(vpc_node(vpc, vpc_rect));
        if let Some(igw) = region.internet_gateway_of(&vpc.id) {
            let rect = Rect {
                x: vpc_rect.x + vpc_rect.w / 2 - IGW_W / 2,
                y: vpc_top - IGW_H / 2,
                w: IGW_W,
                h: IGW_H,
            };
            let name = NameOrDash(&igw.tags).to_string();
            nodes.push(Node {
                kind: Kind::InternetGateway,
                resource_id: Some(igw.id.to_string()),
                rect,
                label: format!(
                    "Internet gateway {name} ({}), attached to VPC {}",
                    igw.id,
                    NameOrDash(&vpc.tags)
                ),
                texts: vec![
                    text(48, 22, &fit(&name, 18), TextStyle::Name),
                    text(48, 40, igw.id.as_str(), TextStyle::Id),
                ],
                status: None,
                target: None,
            });
            if vpcs.first() == Some(vpc) {
                links.push(Link {
                    from: (rect.x + rect.w / 2, MARGIN + INTERNET_H),
                    to: (rect.x + rect.w / 2, rect.y),
                });
            }
        }
        y = vpc_rect.y + vpc_rect.h + VPC_GAP;
    }

    // Volumes that are attached to nothing, in their AZ below the VPCs (F1).
    let loose: Vec<Vec<&Volume>> = zones
        .iter()
        .map(|zone| region.available_volumes_in(zone))
        .collect();
    let most_loose = loose.iter().map(Vec::len).max().unwrap_or(0) as i32;
    let mut bottom = if vpcs.is_empty() { y } else { y - VPC_GAP + 16 };
    // A file system without mount targets is in no VPC yet: it sits in the
    // Region, below the VPCs, across its AZ columns (J3).
    for fs in region
        .file_systems
        .values()
        .filter(|fs| file_system_vpc(region, fs).is_none())
    {
        nodes.push(file_system_node(region, fs, band(fs, bottom + 8)));
        bottom += EFS_H + 8;
    }
    if most_loose > 0 {
        let top = bottom + 8;
        for (column, volumes) in loose.iter().enumerate() {
            for (i, volume) in volumes.iter().enumerate() {
                let rect = Rect {
                    x: column_x(column) + COLUMN_PAD,
                    y: top + LOOSE_HEADER + i as i32 * (VOLUME_H + VOLUME_GAP),
                    w: VOLUME_W,
                    h: VOLUME_H,
                };
                nodes.push(volume_node(volume, rect));
            }
        }
        bottom = top + LOOSE_HEADER + most_loose * (VOLUME_H + VOLUME_GAP) + 8;
    }
    let column_top = column_top.unwrap_or(bottom);
    let columns_bottom = bottom;

    // Regional shelves under the AZ columns: AMIs, snapshots and launch
    // templates belong to the Region, not to an AZ (D3, E2, I1).
    let shelves = shelves(region);
    let shelf_gap = 16;
    let shelf_w = ((content_w - 2 * shelf_gap) / 3).max(VOLUME_W + 2 * COLUMN_PAD);
    let most_items = shelves
        .iter()
        .map(|s| s.items.len())
        .max()
        .unwrap_or(0)
        .max(1) as i32;
    let shelf_top = bottom + 16;
    let shelf_h = LOOSE_HEADER + 8 + most_items * (VOLUME_H + VOLUME_GAP);
    let mut shelf_groups = Vec::new();
    for (i, shelf) in shelves.into_iter().enumerate() {
        let x = region_x + REGION_PAD + i as i32 * (shelf_w + shelf_gap);
        let rect = Rect {
            x,
            y: shelf_top,
            w: shelf_w,
            h: shelf_h,
        };
        shelf_groups.push(Node {
            kind: Kind::Shelf,
            resource_id: None,
            rect,
            label: format!(
                "{} shelf, Regional: {} items",
                shelf.title,
                shelf.items.len()
            ),
            texts: if shelf.items.is_empty() {
                vec![
                    text(12, 21, shelf.title, TextStyle::GroupLabel),
                    text(12, LOOSE_HEADER + 20, shelf.hint, TextStyle::Detail),
                ]
            } else {
                vec![text(12, 21, shelf.title, TextStyle::GroupLabel)]
            },
            status: None,
            target: shelf.target.map(str::to_owned),
        });
        for (n, mut item) in shelf.items.into_iter().enumerate() {
            item.rect = Rect {
                x: x + COLUMN_PAD,
                y: shelf_top + LOOSE_HEADER + n as i32 * (VOLUME_H + VOLUME_GAP),
                w: shelf_w - 2 * COLUMN_PAD,
                h: VOLUME_H,
            };
            nodes.push(item);
        }
    }
    bottom = shelf_top + shelf_h;

    let mut groups = Vec::new();
    let region_rect = Rect {
        x: region_x,
        y: region_y,
        w: content_w + 2 * REGION_PAD,
        h: bottom - region_y + REGION_PAD,
    };
    groups.push(Node {
        kind: Kind::Region,
        resource_id: None,
        rect: region_rect,
        label: format!("Region {} ({})", region.info.display_name, region.name()),
        texts: vec![text(
            40,
            27,
            &format!("{} · {}", region.info.display_name, region.name()),
            TextStyle::GroupLabel,
        )],
        status: None,
        target: None,
    });
    groups.extend(vpc_nodes);
    for (column, zone) in zones.iter().enumerate() {
        let rect = Rect {
            x: column_x(column),
            y: column_top,
            w: column_w,
            h: columns_bottom - column_top,
        };
        let loose_here = loose[column].len();
        let mut texts = vec![text(
            14,
            23,
            &format!("Availability Zone {zone}"),
            TextStyle::GroupLabel,
        )];
        if loose_here > 0 {
            let header_y =
                rect.h - (loose_here as i32 * (VOLUME_H + VOLUME_GAP)) - 8 - LOOSE_HEADER + 20;
            texts.push(text(
                COLUMN_PAD,
                header_y,
                "EBS volumes not attached (available)",
                TextStyle::Detail,
            ));
        }
        groups.push(Node {
            kind: Kind::AvailabilityZone,
            resource_id: None,
            rect,
            label: format!("Availability Zone {zone}"),
            texts,
            status: None,
            target: Some(format!("az:{zone}")),
        });
    }
    let internet = Node {
        kind: Kind::Internet,
        resource_id: None,
        rect: Rect {
            x: region_rect.x + region_rect.w / 2 - 70,
            y: MARGIN,
            w: 140,
            h: INTERNET_H,
        },
        label: "The internet".into(),
        texts: vec![text(70, 23, "Internet", TextStyle::Name)],
        status: None,
        target: None,
    };
    let mut all = vec![internet];
    all.extend(groups);
    all.extend(shelf_groups);
    // Subnets are groups too: draw them before the nodes inside them.
    let (subnets, leaves): (Vec<Node>, Vec<Node>) = nodes
        .into_iter()
        .partition(|n| matches!(n.kind, Kind::PublicSubnet | Kind::PrivateSubnet));
    all.extend(subnets);
    all.extend(leaves);
    Diagram {
        width: region_rect.x + region_rect.w + MARGIN,
        height: region_rect.y + region_rect.h + MARGIN,
        nodes: all,
        links,
    }
}

/// A shelf of Regional resources.
struct Shelf {
    title: &'static str,
    target: Option<&'static str>,
    /// What to do with it, shown while it is empty.
    hint: &'static str,
    items: Vec<Node>,
}

/// The three shelves: the account's AMIs and the Quick Start catalogue's
/// x86 images; the account's snapshots; its launch templates.
fn shelves(region: &RegionState) -> Vec<Shelf> {
    let item = |kind: Kind, id: &str, label: String, name: &str, detail: String| Node {
        kind,
        resource_id: Some(id.to_owned()),
        rect: Rect {
            x: 0,
            y: 0,
            w: 0,
            h: 0,
        },
        label,
        texts: vec![
            text(34, 18, &fit(name, 26), TextStyle::Name),
            text(34, 36, &fit(&detail, 30), TextStyle::Id),
        ],
        status: None,
        target: None,
    };
    let mut amis: Vec<Node> = region
        .images
        .values()
        .map(|image| {
            item(
                Kind::Image,
                image.id.as_str(),
                format!(
                    "AMI {} ({}), {}, {}",
                    image.name, image.id, image.architecture, image.state
                ),
                &image.name,
                format!("{} · {}", image.id, image.state),
            )
        })
        .collect();
    for public in ec2lab_sim::PUBLIC_IMAGES.iter().filter(|p| {
        p.kind == ec2lab_sim::CatalogueKind::QuickStart
            && p.architecture == ec2lab_sim::Architecture::X86_64
    }) {
        let id = public.id_in(region.name());
        amis.push(item(
            Kind::Image,
            id.as_str(),
            format!(
                "Quick Start AMI {} ({}), {}",
                public.description, id, public.architecture
            ),
            public.description,
            id.to_string(),
        ));
    }
    let snapshots = region
        .snapshots
        .values()
        .map(|s| {
            // An untagged snapshot reads as what it is of, and its state
            // (a pending one cannot yet make a volume).
            let name = match s.tags.get("Name") {
                Some(name) => format!("{name} · {}", s.state),
                None => {
                    let of = s.volume_id.as_ref().map_or_else(
                        || "snapshot".to_owned(),
                        |v| {
                            let volume = region.volumes.get(v);
                            let named = volume.and_then(|v| v.tags.get("Name"));
                            format!("of {}", named.unwrap_or(v.as_str()))
                        },
                    );
                    format!("{of} · {}", s.state)
                }
            };
            item(
                Kind::Snapshot,
                s.id.as_str(),
                format!(
                    "Snapshot {}({}) of {} GiB, {}, {}",
                    named_prefix(&s.tags),
                    s.id,
                    s.volume_size_gib,
                    if s.encrypted {
                        "encrypted"
                    } else {
                        "not encrypted"
                    },
                    s.state
                ),
                &name,
                format!("{} · {} GiB", s.id, s.volume_size_gib),
            )
        })
        .collect();
    let templates = region
        .launch_templates
        .values()
        .map(|lt| {
            item(
                Kind::LaunchTemplate,
                lt.id.as_str(),
                format!(
                    "Launch template {} ({}), default version {} of {}",
                    lt.name,
                    lt.id,
                    lt.default_version,
                    lt.latest_version_number()
                ),
                &lt.name,
                format!("{} · v{}", lt.id, lt.default_version),
            )
        })
        .collect();
    vec![
        Shelf {
            title: "AMIs",
            target: Some("shelf:amis"),
            hint: "Drop an instance here to make an AMI of it",
            items: amis,
        },
        Shelf {
            title: "Snapshots",
            target: Some("shelf:snapshots"),
            hint: "Drop a volume here to snapshot it",
            items: snapshots,
        },
        Shelf {
            title: "Launch templates",
            target: None,
            hint: "None yet (aws ec2 create-launch-template)",
            items: templates,
        },
    ]
}

/// A subnet's width: its row of instances (with their volumes) or its row
/// of mount targets, whichever is wider.
fn subnet_width(instances: usize, mount_targets: usize) -> i32 {
    let slots = instances.max(1) as i32 * (SLOT_W + CARD_GAP) - CARD_GAP;
    let mounts = mount_targets as i32 * (CARD_W + MOUNT_TARGET_GAP) - MOUNT_TARGET_GAP;
    slots.max(mounts) + 2 * SUBNET_PAD
}

fn slot_height(region: &RegionState, instance: &Instance) -> i32 {
    let volumes = attached_volumes(region, instance).len() as i32;
    CARD_H.max(volumes * (VOLUME_H + VOLUME_GAP) - VOLUME_GAP)
}

/// The height of a subnet's row of instances, their security groups'
/// labels above them included; 0 with no instances.
fn instances_row_height(region: &RegionState, instances: &[&Instance]) -> i32 {
    instances
        .iter()
        .map(|i| slot_height(region, i))
        .max()
        .map_or(0, |tallest| SG_HEAD + tallest)
}

/// A subnet: its header, then a row of instances, then a row of mount
/// targets (each row only if it has something).
fn subnet_height(region: &RegionState, subnet: &Subnet) -> i32 {
    let instances = instances_row_height(region, &region.instances_in(&subnet.id));
    let mounts = if mount_targets_in(region, subnet).is_empty() {
        0
    } else {
        SG_HEAD + MOUNT_TARGET_H
    };
    let content = match (instances, mounts) {
        (0, 0) => EMPTY_SUBNET_H,
        (0, row) | (row, 0) => row,
        (instances, mounts) => instances + ROW_GAP + mounts,
    };
    SUBNET_HEADER + content + SUBNET_PAD
}

/// The EFS mount targets in a subnet, by id.
fn mount_targets_in<'a>(region: &'a RegionState, subnet: &Subnet) -> Vec<&'a MountTarget> {
    region
        .mount_targets
        .values()
        .filter(|mt| mt.subnet_id == subnet.id)
        .collect()
}

/// The VPC a file system's mount targets are in, if it has any (J3: all in
/// one VPC).
fn file_system_vpc<'a>(region: &'a RegionState, fs: &FileSystem) -> Option<&'a ec2lab_sim::VpcId> {
    region
        .mount_targets
        .values()
        .find(|mt| mt.file_system_id == fs.id)
        .map(|mt| &mt.vpc_id)
}

fn attached_volumes<'a>(region: &'a RegionState, instance: &Instance) -> Vec<(&'a Volume, String)> {
    instance
        .block_devices
        .iter()
        .filter_map(|device| {
            region
                .volumes
                .get(&device.volume_id)
                .map(|volume| (volume, device.device_name.clone()))
        })
        .collect()
}

fn vpc_node(vpc: &Vpc, rect: Rect) -> Node {
    let name = NameOrDash(&vpc.tags).to_string();
    Node {
        kind: Kind::Vpc,
        resource_id: Some(vpc.id.to_string()),
        rect,
        label: format!("VPC {name} ({}), {}", vpc.id, vpc.cidr_block),
        texts: vec![
            text(40, 24, &format!("VPC {name}"), TextStyle::GroupLabel),
            text(
                40,
                40,
                &format!("{} · {}", vpc.id, vpc.cidr_block),
                TextStyle::Id,
            ),
        ],
        status: None,
        target: None,
    }
}

fn place_subnet(
    region: &RegionState,
    subnet: &Subnet,
    rect: Rect,
    nodes: &mut Vec<Node>,
    links: &mut Vec<Link>,
) {
    let public = region.is_public(&subnet.id);
    let name = NameOrDash(&subnet.tags).to_string();
    let kind_word = if public { "Public" } else { "Private" };
    let instances = region.instances_in(&subnet.id);
    let mount_targets = mount_targets_in(region, subnet);
    let mut texts = vec![
        text(
            36,
            20,
            &format!("{kind_word} subnet · {}", fit(&name, 22)),
            TextStyle::GroupLabel,
        ),
        text(
            36,
            38,
            &format!("{} · {}", subnet.id, subnet.cidr_block),
            TextStyle::Id,
        ),
    ];
    if instances.is_empty() && mount_targets.is_empty() {
        texts.push(text(
            SUBNET_PAD,
            SUBNET_HEADER + 18,
            "No instances",
            TextStyle::Detail,
        ));
    }
    nodes.push(Node {
        kind: if public {
            Kind::PublicSubnet
        } else {
            Kind::PrivateSubnet
        },
        resource_id: Some(subnet.id.to_string()),
        rect,
        label: format!(
            "{kind_word} subnet {name} ({}), {}, {}",
            subnet.id, subnet.cidr_block, subnet.availability_zone
        ),
        texts,
        status: None,
        target: None,
    });
    if let Some(acl) = region.network_acl_of(&subnet.id) {
        nodes.push(network_acl_node(acl, &name, rect));
    }
    let mounts_y = match instances_row_height(region, &instances) {
        0 => rect.y + SUBNET_HEADER + SG_HEAD,
        row => rect.y + SUBNET_HEADER + row + ROW_GAP + SG_HEAD,
    };
    for (i, instance) in instances.into_iter().enumerate() {
        let card = Rect {
            x: rect.x + SUBNET_PAD + i as i32 * (SLOT_W + CARD_GAP),
            y: rect.y + SUBNET_HEADER + SG_HEAD,
            w: CARD_W,
            h: CARD_H,
        };
        let groups = region
            .primary_interface(instance)
            .map(|eni| eni.security_groups.as_slice())
            .unwrap_or_default();
        let around = instance.tags.name().unwrap_or(instance.id.as_str());
        security_group_nodes(region, groups, card, around, nodes);
        nodes.push(instance_node(region, instance, &name, card));
        // Volumes stand in a column to the right of their instance, joined to
        // it by a spine halfway between the two.
        let spine_x = card.x + CARD_W + VOLUME_OFFSET / 2;
        let mut last_y = card.y + CARD_H / 2;
        for (j, (volume, device)) in attached_volumes(region, instance).into_iter().enumerate() {
            let rect = Rect {
                x: card.x + CARD_W + VOLUME_OFFSET,
                y: card.y + j as i32 * (VOLUME_H + VOLUME_GAP),
                w: VOLUME_W,
                h: VOLUME_H,
            };
            let middle = rect.y + VOLUME_H / 2;
            links.push(Link {
                from: (spine_x, middle),
                to: (rect.x, middle),
            });
            last_y = last_y.max(middle);
            let mut node = volume_node(volume, rect);
            node.label = format!(
                "Volume {}({}), {} GiB {}, {}, attached to {} at {device}",
                named_prefix(&volume.tags),
                volume.id,
                volume.size_gib,
                volume.volume_type,
                encryption_word(volume),
                NameOrDash(&instance.tags),
            );
            node.texts[1] = text(
                34,
                36,
                &format!("{} GiB {} · {device}", volume.size_gib, volume.volume_type),
                TextStyle::Detail,
            );
            nodes.push(node);
        }
        if !instance.block_devices.is_empty() {
            links.push(Link {
                from: (card.x + CARD_W, card.y + CARD_H / 2),
                to: (spine_x, card.y + CARD_H / 2),
            });
            links.push(Link {
                from: (spine_x, card.y + VOLUME_H / 2),
                to: (spine_x, last_y),
            });
        }
    }
    for (i, mount_target) in mount_targets.into_iter().enumerate() {
        let card = Rect {
            x: rect.x + SUBNET_PAD + i as i32 * (CARD_W + MOUNT_TARGET_GAP),
            y: mounts_y,
            w: CARD_W,
            h: MOUNT_TARGET_H,
        };
        let groups = region
            .mount_target_security_groups(&mount_target.id)
            .unwrap_or_default();
        let around = format!("mount target {}", mount_target.id);
        security_group_nodes(region, groups, card, &around, nodes);
        nodes.push(mount_target_node(region, mount_target, &name, card));
    }
}

/// The boundary of the security groups around one card, drawn as AWS draws
/// a security group: a red dashed frame. An interface's groups are unioned
/// into one set of rules (A9), so they share one frame, labelled above the
/// card with every group's name; each group is a node of its own, so each
/// can be selected. Drawn before the card: the card, on top, keeps the
/// pointer.
fn security_group_nodes(
    region: &RegionState,
    groups: &[SecurityGroupId],
    card: Rect,
    around: &str,
    nodes: &mut Vec<Node>,
) {
    let rect = Rect {
        x: card.x - SG_PAD,
        y: card.y - SG_HEAD,
        w: card.w + 2 * SG_PAD,
        h: card.h + SG_HEAD + SG_PAD,
    };
    let count = groups.len();
    // The label row holds about 28 characters; several groups share them.
    let share = match count {
        0 | 1 => 14,
        n => ((22 - 2 * (n as i32 - 1)) / n as i32).max(3) as usize,
    };
    let mut x = SG_PAD;
    for (i, id) in groups.iter().enumerate() {
        let name = region
            .security_groups
            .get(id)
            .map_or(id.as_str(), |g| g.name.as_str());
        let shown = match (count, i) {
            (1, _) => format!("Security group {}", fit(name, share)),
            (_, 0) => format!("SGs {}", fit(name, share)),
            _ => format!("+ {}", fit(name, share)),
        };
        let of = if count > 1 {
            format!(", one of {count} groups")
        } else {
            String::new()
        };
        // About 8 units a character at the label's size and weight.
        let width = shown.chars().count() as i32 * 8 + 4;
        nodes.push(Node {
            kind: Kind::SecurityGroup,
            resource_id: Some(id.to_string()),
            rect,
            label: format!("Security group {name} ({id}), around {around}{of}"),
            texts: vec![text(x, 14, &shown, TextStyle::Detail)],
            status: None,
            target: None,
        });
        x += width;
    }
}

/// B1: a subnet uses exactly one network ACL, which judges what crosses
/// the subnet's edge, so its marker sits on that edge (the top one, at the
/// right). It says in words whether it is the VPC's default ACL (which
/// allows everything, B2) or a custom one (which denies everything until
/// given rules, B3).
fn network_acl_node(acl: &ec2lab_sim::NetworkAcl, subnet_name: &str, subnet: Rect) -> Node {
    let which = if acl.is_default { "default" } else { "custom" };
    let shown = match acl.tags.name() {
        Some(name) => format!("NACL {} · {which}", fit(name, 10)),
        None => format!("Network ACL · {which}"),
    };
    Node {
        kind: Kind::NetworkAcl,
        resource_id: Some(acl.id.to_string()),
        rect: Rect {
            x: subnet.x + subnet.w - NACL_W - 12,
            y: subnet.y - NACL_RISE,
            w: NACL_W,
            h: NACL_H,
        },
        label: format!(
            "Network ACL {}{} ({which}) at the edge of subnet {subnet_name}",
            named_prefix(&acl.tags),
            acl.id
        ),
        texts: vec![text(26, 15, &shown, TextStyle::Detail)],
        status: None,
        target: None,
    }
}

/// An EFS file system's band, with where it keeps its data (J3: Regional
/// across AZs, or One Zone) and where it is reached from.
fn file_system_node(region: &RegionState, fs: &FileSystem, rect: Rect) -> Node {
    // J3: one mount target per AZ, listed in the Region's AZ order.
    let subnets: Vec<String> = region
        .info
        .zones
        .iter()
        .filter_map(|(zone, _)| region.mount_target_for(&fs.id, zone))
        .map(|mt| {
            region.subnets.get(&mt.subnet_id).map_or_else(
                || mt.subnet_id.to_string(),
                |s| NameOrDash(&s.tags).to_string(),
            )
        })
        .collect();
    let reached = if subnets.is_empty() {
        "no mount targets".to_owned()
    } else {
        format!("mount targets in subnets {}", subnets.join(", "))
    };
    let (kept, shown) = match &fs.availability_zone {
        Some(zone) => (
            format!("One Zone in {zone}"),
            format!("One Zone: stored in {zone}"),
        ),
        None => (
            "Regional, across Availability Zones".to_owned(),
            "Regional: stored across Availability Zones".to_owned(),
        ),
    };
    Node {
        kind: Kind::FileSystem,
        resource_id: Some(fs.id.to_string()),
        rect,
        label: format!(
            "EFS file system {}({}), {kept}, {}, {reached}",
            named_prefix(&fs.tags),
            fs.id,
            fs.state
        ),
        texts: vec![
            text(
                42,
                20,
                &fs.tags.name().map_or_else(
                    || "EFS file system".to_owned(),
                    |n| format!("EFS {}", fit(n, 30)),
                ),
                TextStyle::Name,
            ),
            text(42, 37, &shown, TextStyle::Detail),
            text(
                42,
                52,
                &format!(
                    "{} · {} · {} KiB stored",
                    fs.id,
                    fs.state,
                    fs.size_in_bytes().div_ceil(1024)
                ),
                TextStyle::Id,
            ),
        ],
        status: None,
        target: None,
    }
}

/// An EFS mount target: the interface in its subnet where instances in
/// that AZ mount the file system over NFS, TCP 2049 (J3).
fn mount_target_node(
    region: &RegionState,
    mount_target: &MountTarget,
    subnet_name: &str,
    rect: Rect,
) -> Node {
    let fs_id = mount_target.file_system_id.as_str();
    let fs_name = region
        .file_system(&mount_target.file_system_id)
        .and_then(|fs| fs.tags.name());
    let of = fs_name.map_or_else(|| fs_id.to_owned(), |name| format!("{name} ({fs_id})"));
    let status = match mount_target.state {
        LifeCycleState::Available => Status::Good,
        LifeCycleState::Creating => Status::Changing,
    };
    Node {
        kind: Kind::MountTarget,
        resource_id: Some(mount_target.id.to_string()),
        rect,
        label: format!(
            "EFS mount target {} of {of}, {}, {}, subnet {subnet_name} in {}",
            mount_target.id,
            mount_target.ip_address,
            mount_target.state,
            mount_target.availability_zone
        ),
        texts: vec![
            text(48, 21, "Mount target", TextStyle::Name),
            text(48, 38, mount_target.id.as_str(), TextStyle::Id),
            text(
                62,
                56,
                &format!("{} · {}", mount_target.state, mount_target.ip_address),
                TextStyle::Detail,
            ),
            text(
                12,
                74,
                &format!(
                    "EFS {} · NFS {}",
                    fit(fs_name.unwrap_or(fs_id), 14),
                    ec2lab_sim::NFS_PORT
                ),
                TextStyle::Detail,
            ),
        ],
        status: Some(status),
        target: None,
    }
}

fn instance_node(region: &RegionState, instance: &Instance, subnet_name: &str, rect: Rect) -> Node {
    let eni = region.primary_interface(instance);
    let name = NameOrDash(&instance.tags).to_string();
    let mut texts = vec![
        text(48, 21, &fit(&name, 18), TextStyle::Name),
        text(48, 38, instance.id.as_str(), TextStyle::Id),
        text(
            62,
            56,
            &format!("{} · {}", instance.state, instance.instance_type),
            TextStyle::Detail,
        ),
        text(
            12,
            74,
            &eni.map_or_else(
                || "No network interface".to_owned(),
                |eni| format!("Private {}", eni.private_ip),
            ),
            TextStyle::Detail,
        ),
    ];
    if let Some(public) = eni.and_then(|eni| eni.public_ip) {
        texts.push(text(12, 91, &format!("Public {public}"), TextStyle::Detail));
    }
    let status = match instance.state {
        ec2lab_sim::InstanceState::Running => Status::Good,
        ec2lab_sim::InstanceState::Pending
        | ec2lab_sim::InstanceState::Stopping
        | ec2lab_sim::InstanceState::ShuttingDown => Status::Changing,
        ec2lab_sim::InstanceState::Stopped | ec2lab_sim::InstanceState::Terminated => Status::Off,
    };
    Node {
        kind: Kind::Instance,
        resource_id: Some(instance.id.to_string()),
        rect,
        label: format!(
            "Instance {name} ({}), {}, subnet {subnet_name}",
            instance.id, instance.state
        ),
        texts,
        status: Some(status),
        target: None,
    }
}

fn volume_node(volume: &Volume, rect: Rect) -> Node {
    let name = NameOrDash(&volume.tags).to_string();
    let encryption = encryption_word(volume);
    Node {
        kind: Kind::Volume,
        resource_id: Some(volume.id.to_string()),
        rect,
        label: format!(
            "Volume {}({}), {} GiB {}, {}, {} in {}",
            named_prefix(&volume.tags),
            volume.id,
            volume.size_gib,
            volume.volume_type,
            encryption,
            volume.state,
            volume.availability_zone
        ),
        texts: vec![
            text(34, 18, volume.id.as_str(), TextStyle::Id),
            text(
                34,
                36,
                &format!(
                    "{} · {} GiB {}",
                    fit(&name, 12),
                    volume.size_gib,
                    volume.volume_type
                ),
                TextStyle::Detail,
            ),
        ],
        status: None,
        target: None,
    }
}

/// E3, E5: a volume is encrypted only if asked for (or inherited); say which.
fn encryption_word(volume: &Volume) -> &'static str {
    if volume.encrypted {
        "encrypted"
    } else {
        "not encrypted"
    }
}

/// `"name "` when the resource has a Name tag, else nothing.
fn named_prefix(tags: &ec2lab_sim::Tags) -> String {
    tags.name()
        .map(|name| format!("{name} "))
        .unwrap_or_default()
}

fn text(x: i32, y: i32, text: &str, style: TextStyle) -> Text {
    Text {
        x,
        y,
        text: text.to_owned(),
        style,
    }
}

/// Shortens `text` to at most `max` characters, ending with `…` when cut.
pub fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}
