//! A lab as text: what autosave keeps, what export writes, what a share link
//! carries. A saved lab is the default lab plus the learner's actions, in
//! order, one per line; loading replays them. Replaying is exact because the
//! core is deterministic.
//!
//! ```text
//! ec2lab-lab 2
//! region us-east-1
//! attach-volume vol-…  i-…  /dev/sdf
//! console aws ec2 create-snapshot --volume-id vol-…
//! advance 30
//! view us-east-1
//! ```
//!
//! Fields are separated by tabs; text fields escape `\`, tab and newline.
//! `region` sets the Region the actions after it were done in, `view` the
//! Region on screen. (Version 1 had one `region` line, the Region on screen,
//! and replayed every action in us-east-1; it still loads that way.)
//! A `console` line is replayed by the console's engine, so a lab that holds
//! one loads only once the engine is loaded ([`needs_console`]).
//! Anything malformed is refused with the line and what is wrong, and
//! nothing is replaced until the whole text has loaded (a hostile or corrupt
//! link never destroys the learner's lab).

use std::fmt::Write as _;

use ec2lab_sim::{
    default_lab, Command, ImageId, InstanceId, IpProtocol, NetworkAclEntry, NetworkAclId,
    RuleAction, RulePeer, SecurityGroupId, SecurityGroupRule, SnapshotId, SubnetId, VolumeId,
    DEFAULT_REGION,
};

use crate::model::{Action, Lab, Lifecycle, RootVolume};

/// The first line of every saved lab; the number is the format's version.
pub const HEADER: &str = "ec2lab-lab 2";

/// The first line of labs saved by the first version.
const HEADER_V1: &str = "ec2lab-lab 1";

/// Escapes a text field.
pub fn esc(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// Undoes [`esc`].
pub fn unesc(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn peer_text(peer: &RulePeer) -> String {
    match peer {
        RulePeer::Cidr(net) => net.to_string(),
        RulePeer::Ipv6Cidr(net) => net.to_string(),
        RulePeer::SecurityGroup(id) => id.to_string(),
        RulePeer::PrefixList(id) => id.to_string(),
    }
}

fn ports_text(ports: Option<(i32, i32)>) -> String {
    ports.map_or_else(|| "-".to_owned(), |(a, b)| format!("{a}:{b}"))
}

/// One action as a line; `None` for an action that is not saved this way.
pub fn encode(action: &Action) -> Option<String> {
    Some(match action {
        Action::Launch {
            image_id,
            subnet_id,
            name,
            instance_type,
            security_group_ids,
            user_data,
            root_volume,
        } => {
            let mut line = format!(
                "launch\t{image_id}\t{subnet_id}\t{}\t{instance_type}\t{}\t{}",
                esc(name),
                security_group_ids
                    .iter()
                    .map(|g| g.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                user_data
                    .as_deref()
                    .map_or_else(|| "-".to_owned(), |u| format!("={}", esc(u)))
            );
            // An eighth field, only when the launch set its root volume:
            // lines without it still load (the AMI's mapping as it is).
            if let Some(root) = root_volume {
                let _ = write!(
                    line,
                    "\troot={},{},{},{},{}",
                    root.size_gib,
                    root.volume_type,
                    if root.encrypted { "encrypted" } else { "plain" },
                    root.iops.map_or_else(|| "-".to_owned(), |i| i.to_string()),
                    esc(&root.device_name)
                );
            }
            line
        }
        Action::ModifyUserData {
            instance_id,
            user_data,
        } => format!("user-data\t{instance_id}\t{}", esc(user_data)),
        Action::LaunchFromTemplate {
            template_id,
            subnet_id,
            name,
        } => format!("launch-template\t{template_id}\t{subnet_id}\t{}", esc(name)),
        Action::AttachVolume {
            volume_id,
            instance_id,
            device,
        } => format!("attach-volume\t{volume_id}\t{instance_id}\t{}", esc(device)),
        Action::DetachVolume { volume_id } => format!("detach-volume\t{volume_id}"),
        Action::CreateVolumeFromSnapshot {
            snapshot_id,
            availability_zone,
        } => format!("restore-snapshot\t{snapshot_id}\t{availability_zone}"),
        Action::CreateSnapshot { volume_id } => format!("create-snapshot\t{volume_id}"),
        Action::CreateImage { instance_id, name } => {
            format!("create-image\t{instance_id}\t{}", esc(name))
        }
        Action::CopySnapshot {
            snapshot_id,
            source_region,
            region,
        } => format!("copy-snapshot\t{snapshot_id}\t{source_region}\t{region}"),
        Action::CopyImage {
            image_id,
            name,
            source_region,
            region,
        } => format!(
            "copy-image\t{image_id}\t{}\t{source_region}\t{region}",
            esc(name)
        ),
        Action::Lifecycle { instance_id, verb } => format!(
            "{}\t{instance_id}",
            match verb {
                Lifecycle::Start => "start",
                Lifecycle::Stop => "stop",
                Lifecycle::Reboot => "reboot",
                Lifecycle::Terminate => "terminate",
            }
        ),
        Action::AuthorizeRule {
            group_id,
            egress,
            rule,
        }
        | Action::RevokeRule {
            group_id,
            egress,
            rule,
        } => format!(
            "{}\t{group_id}\t{}\t{}\t{}\t{}\t{}",
            if matches!(action, Action::AuthorizeRule { .. }) {
                "authorize"
            } else {
                "revoke"
            },
            if *egress { "out" } else { "in" },
            rule.protocol,
            ports_text(rule.ports),
            peer_text(&rule.peer),
            rule.description.as_deref().map(esc).unwrap_or_default()
        ),
        Action::CreateAclEntry {
            network_acl_id,
            entry,
        } => {
            let mut line = format!(
                "acl-entry\t{network_acl_id}\t{}\t{}\t{}\t{}\t{}\t",
                entry.rule_number,
                if entry.egress { "out" } else { "in" },
                entry.protocol.as_number_string(),
                entry.action,
                entry.cidr_block
            );
            match (entry.port_range, entry.icmp_type_code) {
                (Some((a, b)), _) => {
                    let _ = write!(line, "{a}:{b}");
                }
                (None, Some((t, c))) => {
                    let _ = write!(line, "icmp{t}:{c}");
                }
                (None, None) => line.push('-'),
            }
            line
        }
        Action::DeleteAclEntry {
            network_acl_id,
            rule_number,
            egress,
        } => format!(
            "delete-acl-entry\t{network_acl_id}\t{rule_number}\t{}",
            if *egress { "out" } else { "in" }
        ),
        Action::Advance { seconds } => format!("advance\t{seconds}"),
        Action::Console { line } => format!("console\t{}", esc(line)),
        Action::Fix { command, .. } => match command {
            Command::AuthorizeSecurityGroupIngress { group_id, rules }
            | Command::AuthorizeSecurityGroupEgress { group_id, rules } => {
                let egress = matches!(command, Command::AuthorizeSecurityGroupEgress { .. });
                return rules.first().and_then(|rule| {
                    encode(&Action::AuthorizeRule {
                        group_id: group_id.clone(),
                        egress,
                        rule: rule.clone(),
                    })
                });
            }
            Command::CreateNetworkAclEntry {
                network_acl_id,
                entry,
            } => {
                return encode(&Action::CreateAclEntry {
                    network_acl_id: network_acl_id.clone(),
                    entry: entry.clone(),
                })
            }
            Command::CreateRoute {
                route_table_id,
                destination_cidr_block,
                gateway_id,
            } => format!("route\t{route_table_id}\t{destination_cidr_block}\t{gateway_id}"),
            _ => return None,
        },
    })
}

/// A line that does not load: its number (1-based) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// The line.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

fn field<'a>(fields: &[&'a str], i: usize, what: &str) -> Result<&'a str, String> {
    fields.get(i).copied().ok_or_else(|| {
        format!(
            "{} is missing its {what}",
            fields.first().unwrap_or(&"the line")
        )
    })
}

fn ports(text: &str) -> Result<Option<(i32, i32)>, String> {
    if text == "-" {
        return Ok(None);
    }
    let (a, b) = text
        .split_once(':')
        .ok_or_else(|| format!("'{text}' is not a port range like 80:80"))?;
    let parse = |p: &str| {
        p.parse::<i32>()
            .map_err(|_| format!("'{p}' is not a port number"))
    };
    Ok(Some((parse(a)?, parse(b)?)))
}

fn protocol(text: &str) -> Result<IpProtocol, String> {
    match text {
        "-1" | "all" => Ok(IpProtocol::All),
        "tcp" | "6" => Ok(IpProtocol::Tcp),
        "udp" | "17" => Ok(IpProtocol::Udp),
        "icmp" | "1" => Ok(IpProtocol::Icmp),
        "icmpv6" | "58" => Ok(IpProtocol::Icmpv6),
        n => n
            .parse::<u8>()
            .map(IpProtocol::from_number)
            .map_err(|_| format!("'{n}' is not a protocol")),
    }
}

fn peer(text: &str) -> Result<RulePeer, String> {
    if text.starts_with("sg-") {
        return Ok(RulePeer::SecurityGroup(SecurityGroupId::new(text)));
    }
    if text.starts_with("pl-") {
        return Ok(RulePeer::PrefixList(ec2lab_sim::PrefixListId::new(text)));
    }
    if let Ok(net) = text.parse() {
        return Ok(RulePeer::Cidr(net));
    }
    text.parse()
        .map(RulePeer::Ipv6Cidr)
        .map_err(|_| format!("'{text}' is not a CIDR block, a security group or a prefix list"))
}

fn direction(text: &str) -> Result<bool, String> {
    match text {
        "in" => Ok(false),
        "out" => Ok(true),
        other => Err(format!("'{other}' is not a direction (in or out)")),
    }
}

/// A launch's root volume: size, type, encryption, IOPS and, last (it is
/// the AMI's text), the device: `root=20,gp3,encrypted,-,/dev/xvda`.
fn root_volume(text: &str) -> Result<RootVolume, String> {
    let bad = || format!("'{text}' is not a root volume like root=20,gp3,plain,-,/dev/xvda");
    let parts: Vec<&str> = text
        .strip_prefix("root=")
        .ok_or_else(bad)?
        .splitn(5, ',')
        .collect();
    let [size, kind, encrypted, iops, device] = parts[..] else {
        return Err(bad());
    };
    Ok(RootVolume {
        device_name: unesc(device),
        size_gib: size
            .parse()
            .map_err(|_| format!("'{size}' is not a volume size in GiB"))?,
        volume_type: ec2lab_sim::VolumeType::parse(kind)
            .ok_or_else(|| format!("'{kind}' is not a volume type"))?,
        iops: match iops {
            "-" => None,
            n => Some(
                n.parse()
                    .map_err(|_| format!("'{n}' is not a number of IOPS"))?,
            ),
        },
        encrypted: match encrypted {
            "encrypted" => true,
            "plain" => false,
            other => return Err(format!("'{other}' is not encrypted or plain")),
        },
    })
}

/// One line as an action.
pub fn decode(line: &str) -> Result<Action, String> {
    let fields: Vec<&str> = line.split('\t').collect();
    let f = |i: usize, what: &str| field(&fields, i, what);
    Ok(match fields[0] {
        "launch" => Action::Launch {
            image_id: ImageId::new(f(1, "AMI")?),
            subnet_id: SubnetId::new(f(2, "subnet")?),
            name: unesc(f(3, "name")?),
            instance_type: f(4, "instance type")?.to_owned(),
            security_group_ids: f(5, "security groups")?
                .split(',')
                .filter(|g| !g.is_empty())
                .map(SecurityGroupId::new)
                .collect(),
            user_data: f(6, "user data")?.strip_prefix('=').map(unesc),
            root_volume: match fields.get(7) {
                None => None,
                Some(text) => Some(root_volume(text)?),
            },
        },
        "user-data" => Action::ModifyUserData {
            instance_id: InstanceId::new(f(1, "instance")?),
            user_data: unesc(f(2, "user data")?),
        },
        "launch-template" => Action::LaunchFromTemplate {
            template_id: ec2lab_sim::LaunchTemplateId::new(f(1, "launch template")?),
            subnet_id: SubnetId::new(f(2, "subnet")?),
            name: unesc(f(3, "name")?),
        },
        "attach-volume" => Action::AttachVolume {
            volume_id: VolumeId::new(f(1, "volume")?),
            instance_id: InstanceId::new(f(2, "instance")?),
            device: unesc(f(3, "device")?),
        },
        "detach-volume" => Action::DetachVolume {
            volume_id: VolumeId::new(f(1, "volume")?),
        },
        "restore-snapshot" => Action::CreateVolumeFromSnapshot {
            snapshot_id: SnapshotId::new(f(1, "snapshot")?),
            availability_zone: f(2, "Availability Zone")?.to_owned(),
        },
        "create-snapshot" => Action::CreateSnapshot {
            volume_id: VolumeId::new(f(1, "volume")?),
        },
        "create-image" => Action::CreateImage {
            instance_id: InstanceId::new(f(1, "instance")?),
            name: unesc(f(2, "name")?),
        },
        "copy-snapshot" => Action::CopySnapshot {
            snapshot_id: SnapshotId::new(f(1, "snapshot")?),
            source_region: known_region(f(2, "source Region")?)?,
            region: known_region(f(3, "Region")?)?,
        },
        "copy-image" => Action::CopyImage {
            image_id: ec2lab_sim::ImageId::new(f(1, "image")?),
            name: unesc(f(2, "name")?),
            source_region: known_region(f(3, "source Region")?)?,
            region: known_region(f(4, "Region")?)?,
        },
        verb @ ("start" | "stop" | "reboot" | "terminate") => Action::Lifecycle {
            instance_id: InstanceId::new(f(1, "instance")?),
            verb: match verb {
                "start" => Lifecycle::Start,
                "stop" => Lifecycle::Stop,
                "reboot" => Lifecycle::Reboot,
                _ => Lifecycle::Terminate,
            },
        },
        verb @ ("authorize" | "revoke") => {
            let group_id = SecurityGroupId::new(f(1, "security group")?);
            let egress = direction(f(2, "direction")?)?;
            let description = fields.get(6).filter(|d| !d.is_empty()).map(|d| unesc(d));
            let rule = SecurityGroupRule {
                protocol: protocol(f(3, "protocol")?)?,
                ports: ports(f(4, "ports")?)?,
                peer: peer(f(5, "source")?)?,
                description,
            };
            if verb == "authorize" {
                Action::AuthorizeRule {
                    group_id,
                    egress,
                    rule,
                }
            } else {
                Action::RevokeRule {
                    group_id,
                    egress,
                    rule,
                }
            }
        }
        "acl-entry" => {
            let range = f(7, "port range")?;
            let (port_range, icmp_type_code) = match range.strip_prefix("icmp") {
                Some(tc) => (None, ports(tc)?),
                None => (
                    ports(range)?.map(|(a, b)| {
                        (u16::try_from(a).unwrap_or(0), u16::try_from(b).unwrap_or(0))
                    }),
                    None,
                ),
            };
            Action::CreateAclEntry {
                network_acl_id: NetworkAclId::new(f(1, "network ACL")?),
                entry: NetworkAclEntry {
                    rule_number: f(2, "rule number")?
                        .parse()
                        .map_err(|_| "the rule number is not a number".to_owned())?,
                    egress: direction(f(3, "direction")?)?,
                    protocol: protocol(f(4, "protocol")?)?,
                    action: match f(5, "action")? {
                        "allow" => RuleAction::Allow,
                        "deny" => RuleAction::Deny,
                        other => return Err(format!("'{other}' is not allow or deny")),
                    },
                    cidr_block: f(6, "CIDR block")?
                        .parse()
                        .map_err(|_| format!("'{}' is not a CIDR block", fields[6]))?,
                    port_range,
                    icmp_type_code,
                },
            }
        }
        "delete-acl-entry" => Action::DeleteAclEntry {
            network_acl_id: NetworkAclId::new(f(1, "network ACL")?),
            rule_number: f(2, "rule number")?
                .parse()
                .map_err(|_| "the rule number is not a number".to_owned())?,
            egress: direction(f(3, "direction")?)?,
        },
        "console" => Action::Console {
            line: unesc(f(1, "line")?),
        },
        "advance" => Action::Advance {
            seconds: f(1, "seconds")?
                .parse()
                .map_err(|_| "the seconds are not a number".to_owned())?,
        },
        "route" => {
            let command = Command::CreateRoute {
                route_table_id: ec2lab_sim::RouteTableId::new(f(1, "route table")?),
                destination_cidr_block: f(2, "destination")?.to_owned(),
                gateway_id: ec2lab_sim::InternetGatewayId::new(f(3, "gateway")?),
            };
            let cli = format!(
                "aws ec2 create-route --route-table-id {} --destination-cidr-block {} --gateway-id {}",
                fields[1], fields[2], fields[3]
            );
            Action::Fix { command, cli }
        }
        other => return Err(format!("'{other}' is not an action this version knows")),
    })
}

/// A Region the lab simulates, or why not.
fn known_region(name: &str) -> Result<String, String> {
    if ec2lab_sim::REGIONS.iter().any(|r| r.name == name) {
        Ok(name.to_owned())
    } else {
        Err(format!("'{name}' is not a Region the lab simulates"))
    }
}

/// The lab as text: the actions that made it, each after the Region it was
/// done in, replayed from the default lab (undone ones are not in it), and
/// the Region on screen.
pub fn save(lab: &Lab) -> String {
    let mut out = format!("{HEADER}\n");
    if let Some(exercise) = &lab.exercise {
        // An instructor's pack travels with the lab, so the lab opens
        // where the pack was never loaded (a share link, another browser).
        if let Some(pack) = &exercise.pack {
            let _ = writeln!(out, "pack\t{}", esc(pack));
        }
        let _ = writeln!(out, "exercise\t{}\t{}", exercise.id, exercise.seed);
    }
    let mut current = "";
    for (region, action) in lab.history() {
        if let Some(line) = encode(action) {
            if region != current {
                let _ = writeln!(out, "region {region}");
                current = region;
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    for (id, dx, dy) in &lab.moved {
        let _ = writeln!(out, "moved\t{id}\t{dx}\t{dy}");
    }
    let _ = writeln!(out, "view {}", lab.region);
    out
}

/// Whether a saved lab holds console lines, which only the console's engine
/// can replay ([`crate::engine::load`] first).
pub fn needs_console(text: &str) -> bool {
    text.lines().any(|l| {
        ["console\t", "exercise\t", "pack\t"]
            .iter()
            .any(|p| l.starts_with(p))
    })
}

/// A lab from text, or the first thing wrong with it. Every action must
/// still succeed when replayed; nothing is half loaded.
pub fn load(text: &str) -> Result<Lab, LoadError> {
    let err = |line: usize, message: String| LoadError { line, message };
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    let v1 = match lines.next() {
        Some((_, HEADER)) => false,
        Some((_, HEADER_V1)) => true,
        Some((n, first)) if first.starts_with("ec2lab-lab ") => {
            return Err(err(
                n,
                format!("this lab was saved by a newer version ({first}); this one reads {HEADER}"),
            ))
        }
        _ => {
            return Err(err(
                1,
                format!("this is not a saved EC2 Lab (it does not start with '{HEADER}')"),
            ))
        }
    };
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    let mut view = None;
    for (n, line) in lines {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let region_line = line
            .strip_prefix("region ")
            .map(|r| (r, v1))
            .or_else(|| line.strip_prefix("view ").map(|r| (r, true)));
        if let Some((name, on_screen)) = region_line {
            if lab.world.region(name).is_none() {
                return Err(err(
                    n,
                    format!("'{name}' is not a Region the lab simulates"),
                ));
            }
            if on_screen {
                view = Some(name.to_owned());
            } else {
                lab.set_region(name);
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("pack\t") {
            // The instructor's pack an exercise line below comes from.
            if lab.can_undo() || lab.exercise.is_some() {
                return Err(err(n, "a pack line must come before every action".into()));
            }
            let engine = crate::engine::loaded().ok_or_else(|| {
                err(
                    n,
                    "the exercises are still loading; try again in a moment".into(),
                )
            })?;
            (engine.load_pack)(&unesc(rest))
                .map_err(|e| err(n, format!("the lab's exercise pack: {e}")))?;
            continue;
        }
        if let Some(rest) = line.strip_prefix("exercise\t") {
            // Only first: an exercise is where a lab starts.
            if lab.can_undo() || lab.exercise.is_some() {
                return Err(err(
                    n,
                    "an exercise line must come before every action".into(),
                ));
            }
            let (id, seed) = rest
                .split_once('\t')
                .and_then(|(id, seed)| Some((id, seed.parse::<u64>().ok()?)))
                .ok_or_else(|| err(n, "an exercise line needs an id and a seed".into()))?;
            let engine = crate::engine::loaded().ok_or_else(|| {
                err(
                    n,
                    "the exercises are still loading; try again in a moment".into(),
                )
            })?;
            let (exercise, world) =
                (engine.start)(id, seed).map_err(|e| err(n, format!("exercise '{id}': {e}")))?;
            lab = Lab::new(world, &exercise.region);
            lab.exercise = Some(std::rc::Rc::new(exercise));
            continue;
        }
        if let Some(rest) = line.strip_prefix("moved\t") {
            let mut parts = rest.split('\t');
            let (Some(id), Some(Ok(dx)), Some(Ok(dy)), None) = (
                parts.next(),
                parts.next().map(str::parse::<i32>),
                parts.next().map(str::parse::<i32>),
                parts.next(),
            ) else {
                return Err(err(
                    n,
                    "a moved node needs an id and two whole numbers".into(),
                ));
            };
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return Err(err(n, format!("'{id}' is not a resource id")));
            }
            // Far more than any diagram is wide: a hostile offset is refused.
            if dx.abs() > 100_000 || dy.abs() > 100_000 {
                return Err(err(n, "a moved node's offset is out of range".into()));
            }
            lab.moved = crate::moves::with_offset(&lab.moved, id, (dx, dy));
            continue;
        }
        let action = decode(line).map_err(|m| err(n, m))?;
        lab.replay(&action).map_err(|e| err(n, e.to_string()))?;
    }
    lab.set_region(view.as_deref().unwrap_or(DEFAULT_REGION));
    Ok(lab)
}
