//! The lab as tables: the same resources the diagram draws, for screen
//! readers and for anyone who prefers text. Where the diagram shows a
//! filter by where it sits, the tables say it in words: an instance's
//! security groups (A9), a subnet's network ACL (B1), and which subnets an
//! EFS file system has mount targets in (J3).
//!
//! [`tables`] is pure, and tested natively; [`text_view`] only renders it.

use ec2lab_sim::{NameOrDash, RegionState, SecurityGroupId};
use yew::prelude::*;

/// One table: its caption, column heads and rows of cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// What the table lists; also its accessible name.
    pub caption: String,
    /// The column heads.
    pub head: &'static [&'static str],
    /// The rows, one cell per column.
    pub rows: Vec<Vec<String>>,
}

/// Every resource of a Region, as tables.
pub fn tables(region: &RegionState) -> Vec<Table> {
    let group_names = |groups: &[SecurityGroupId]| {
        let names: Vec<String> = groups
            .iter()
            .map(|id| {
                region
                    .security_groups
                    .get(id)
                    .map_or_else(|| id.to_string(), |g| format!("{} ({id})", g.name))
            })
            .collect();
        if names.is_empty() {
            "—".to_owned()
        } else {
            names.join(", ")
        }
    };
    let subnet_name = |id: &ec2lab_sim::SubnetId| {
        region
            .subnets
            .get(id)
            .and_then(|s| s.tags.name())
            .map_or_else(|| id.to_string(), str::to_owned)
    };
    let subnets = region
        .subnets
        .values()
        .map(|s| {
            vec![
                NameOrDash(&s.tags).to_string(),
                s.id.to_string(),
                s.cidr_block.to_string(),
                s.availability_zone.clone(),
                if region.is_public(&s.id) {
                    "public"
                } else {
                    "private"
                }
                .to_owned(),
                // B1: every subnet uses exactly one network ACL.
                region.network_acl_of(&s.id).map_or_else(
                    || "—".to_owned(),
                    |acl| format!("{} ({})", acl.id, default_or_custom(acl.is_default)),
                ),
            ]
        })
        .collect();
    let instances = region
        .instances
        .values()
        .map(|i| {
            let eni = region.primary_interface(i);
            vec![
                NameOrDash(&i.tags).to_string(),
                i.id.to_string(),
                i.state.to_string(),
                i.instance_type.clone(),
                i.subnet_id.to_string(),
                eni.map(|e| e.private_ip.to_string()).unwrap_or_default(),
                eni.and_then(|e| e.public_ip)
                    .map(|ip| ip.to_string())
                    .unwrap_or_else(|| "—".into()),
                group_names(
                    eni.map(|e| e.security_groups.as_slice())
                        .unwrap_or_default(),
                ),
            ]
        })
        .collect();
    let volumes = region
        .volumes
        .values()
        .map(|v| {
            vec![
                NameOrDash(&v.tags).to_string(),
                v.id.to_string(),
                format!("{} GiB {}", v.size_gib, v.volume_type),
                v.availability_zone.clone(),
                v.state.to_string(),
                if v.encrypted {
                    "encrypted"
                } else {
                    "not encrypted"
                }
                .to_owned(),
                v.attachments
                    .iter()
                    .map(|a| format!("{} at {}", a.instance_id, a.device))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    let groups = region
        .security_groups
        .values()
        .map(|g| {
            // A9: a group applies to every interface that carries it:
            // instances' and EFS mount targets'.
            let used_by: Vec<String> = region
                .network_interfaces
                .values()
                .filter(|eni| eni.security_groups.contains(&g.id))
                .map(
                    |eni| match (&eni.instance_id, region.mount_target_of_interface(&eni.id)) {
                        (Some(id), _) => region
                            .instances
                            .get(id)
                            .and_then(|i| i.tags.name())
                            .map_or_else(|| id.to_string(), str::to_owned),
                        (None, Some(mt)) => format!("mount target {}", mt.id),
                        (None, None) => eni.id.to_string(),
                    },
                )
                .collect();
            vec![
                g.name.clone(),
                g.id.to_string(),
                g.ingress.len().to_string(),
                g.egress.len().to_string(),
                if used_by.is_empty() {
                    "—".to_owned()
                } else {
                    used_by.join(", ")
                },
            ]
        })
        .collect();
    let acls = region
        .network_acls
        .values()
        .map(|acl| {
            let subnets: Vec<String> = acl
                .associations
                .iter()
                .map(|(_, s)| subnet_name(s))
                .collect();
            vec![
                NameOrDash(&acl.tags).to_string(),
                acl.id.to_string(),
                default_or_custom(acl.is_default).to_owned(),
                if subnets.is_empty() {
                    "—".to_owned()
                } else {
                    subnets.join(", ")
                },
                acl.entries(false).count().to_string(),
                acl.entries(true).count().to_string(),
            ]
        })
        .collect();
    let file_systems = region
        .file_systems
        .values()
        .map(|fs| {
            // J3: one mount target per AZ, in the Region's AZ order.
            let subnets: Vec<String> = region
                .info
                .zones
                .iter()
                .filter_map(|(zone, _)| region.mount_target_for(&fs.id, zone))
                .map(|mt| subnet_name(&mt.subnet_id))
                .collect();
            vec![
                NameOrDash(&fs.tags).to_string(),
                fs.id.to_string(),
                fs.state.to_string(),
                // J3: Standard classes store data across AZs, One Zone in one.
                fs.availability_zone.as_ref().map_or_else(
                    || "Regional (across AZs)".to_owned(),
                    |zone| format!("One Zone ({zone})"),
                ),
                format!("{} KiB", fs.size_in_bytes().div_ceil(1024)),
                if subnets.is_empty() {
                    "—".to_owned()
                } else {
                    subnets.join(", ")
                },
            ]
        })
        .collect();
    let mount_targets = region
        .mount_targets
        .values()
        .map(|mt| {
            vec![
                mt.id.to_string(),
                region
                    .file_system(&mt.file_system_id)
                    .and_then(|fs| fs.tags.name())
                    .map_or_else(
                        || mt.file_system_id.to_string(),
                        |name| format!("{name} ({})", mt.file_system_id),
                    ),
                subnet_name(&mt.subnet_id),
                mt.availability_zone.clone(),
                mt.ip_address.to_string(),
                mt.state.to_string(),
                group_names(
                    region
                        .mount_target_security_groups(&mt.id)
                        .unwrap_or_default(),
                ),
            ]
        })
        .collect();
    vec![
        Table {
            caption: format!("Subnets in {}", region.name()),
            head: &["Name", "Id", "CIDR", "AZ", "Kind", "Network ACL"],
            rows: subnets,
        },
        Table {
            caption: "Instances".into(),
            head: &[
                "Name",
                "Id",
                "State",
                "Type",
                "Subnet",
                "Private IP",
                "Public IP",
                "Security groups",
            ],
            rows: instances,
        },
        Table {
            caption: "EBS volumes".into(),
            head: &[
                "Name",
                "Id",
                "Size",
                "AZ",
                "State",
                "Encryption",
                "Attached to",
            ],
            rows: volumes,
        },
        Table {
            caption: "Security groups".into(),
            head: &["Name", "Id", "Inbound rules", "Outbound rules", "Used by"],
            rows: groups,
        },
        Table {
            caption: "Network ACLs".into(),
            head: &[
                "Name",
                "Id",
                "Kind",
                "Subnets",
                "Inbound entries",
                "Outbound entries",
            ],
            rows: acls,
        },
        Table {
            caption: "EFS file systems".into(),
            head: &["Name", "Id", "State", "Storage", "Size", "Mount targets in"],
            rows: file_systems,
        },
        Table {
            caption: "EFS mount targets".into(),
            head: &[
                "Id",
                "File system",
                "Subnet",
                "AZ",
                "IP address",
                "State",
                "Security groups",
            ],
            rows: mount_targets,
        },
    ]
}

/// B2, B3: the VPC's default ACL allows everything; a custom one denies
/// everything until given rules.
fn default_or_custom(is_default: bool) -> &'static str {
    if is_default {
        "default"
    } else {
        "custom"
    }
}

fn table(table: Table) -> Html {
    html! {
        <table class="text-table">
            <caption>{ table.caption }</caption>
            <thead><tr>{ for table.head.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr></thead>
            <tbody>
                { for table.rows.into_iter().map(|row| html! {
                    <tr>{ for row.into_iter().map(|cell| html! { <td>{ cell }</td> }) }</tr>
                }) }
            </tbody>
        </table>
    }
}

/// Every resource of a Region, as tables.
pub fn text_view(region: &RegionState) -> Html {
    html! {
        <div class="text-view" role="region" aria-label={format!("The lab in {} as tables", region.name())}>
            { for tables(region).into_iter().map(table) }
        </div>
    }
}
