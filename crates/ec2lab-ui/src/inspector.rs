//! The inspector: the selected resource's details, its instance controls,
//! and its filters as editable tables — an instance's security group rules
//! (inbound and outbound) and a subnet's network ACL entries. A subnet shows
//! the route table it uses (C2) and what each route means; an instance its
//! billing meter (G2), its user data (editable only while stopped, H4) and
//! its boot log; a volume or snapshot its size, type and encryption (E3).
//! The rule that decided the traffic tester's last flow is marked in its
//! table. Input is checked before anything is done; a bad CIDR, a rule
//! number out of range or a backwards port range is refused beside the
//! field with the reason, and nothing is half-applied.

use ec2lab_sim::{
    EbsMapping, Image, Instance, InstanceId, InstanceState, IpProtocol, NetworkAclEntry,
    NetworkAclId, PrefixListId, RegionState, RootDeviceType, RouteTable, RouteTarget, RuleAction,
    RulePeer, SecurityGroupId, SecurityGroupRule, Snapshot, SnapshotState, SubnetId, Volume,
    VolumeType, VpcId, MAX_RULE_NUMBER, MINIMUM_BILLED_SECONDS,
};
use yew::prelude::*;

use crate::model::{Action, LabView, Lifecycle, RootVolume};
use crate::tester::Decided;

/// A protocol from a form's select.
fn protocol(text: &str) -> Result<IpProtocol, String> {
    match text {
        "tcp" => Ok(IpProtocol::Tcp),
        "udp" => Ok(IpProtocol::Udp),
        "icmp" => Ok(IpProtocol::Icmp),
        "all" | "-1" => Ok(IpProtocol::All),
        other => Err(format!(
            "'{other}' is not a protocol: choose TCP, UDP, ICMP or All"
        )),
    }
}

/// A port or range, `80` or `1024-65535`.
pub fn port_range(text: &str) -> Result<(u16, u16), String> {
    let text = text.trim();
    let (from, to) = text.split_once('-').unwrap_or((text, text));
    let parse = |p: &str| {
        p.trim()
            .parse::<u16>()
            .map_err(|_| format!("'{}' is not a port (0 to 65535)", p.trim()))
    };
    let (from, to) = (parse(from)?, parse(to)?);
    if from > to {
        return Err(format!("The port range is backwards: {from}-{to}"));
    }
    Ok((from, to))
}

/// A security group rule from the add-rule form (A10).
pub fn parse_rule_form(
    proto: &str,
    ports: &str,
    source: &str,
) -> Result<SecurityGroupRule, String> {
    let protocol = protocol(proto)?;
    let ports = match protocol {
        IpProtocol::Tcp | IpProtocol::Udp => {
            let (a, b) = port_range(ports)?;
            Some((i32::from(a), i32::from(b)))
        }
        IpProtocol::Icmp => Some((-1, -1)),
        _ => None,
    };
    // A7: exactly one kind of source or destination: an IPv4 or IPv6 CIDR
    // block (stored canonical, so 10.0.0.5/16 is 10.0.0.0/16), a security
    // group or a prefix list. Whether the group or list exists is the
    // account's to say.
    let source = source.trim();
    let peer = if source.starts_with("sg-") {
        RulePeer::SecurityGroup(SecurityGroupId::new(source))
    } else if source.starts_with("pl-") {
        RulePeer::PrefixList(PrefixListId::new(source))
    } else if let Ok(RulePeer::Cidr(net)) = source.parse().map(RulePeer::Cidr) {
        RulePeer::Cidr(net.trunc())
    } else if let Ok(RulePeer::Ipv6Cidr(net)) = source.parse().map(RulePeer::Ipv6Cidr) {
        RulePeer::Ipv6Cidr(net.trunc())
    } else {
        return Err(format!(
            "'{source}' is not a CIDR block (like 203.0.113.0/24 or 2001:db8::/32), a security group id (sg-…) or a prefix list id (pl-…)"
        ));
    };
    Ok(SecurityGroupRule {
        protocol,
        ports,
        peer,
        description: None,
    })
}

/// A network ACL entry from the add-entry form (B2, B8).
pub fn parse_acl_form(
    number: &str,
    egress: bool,
    proto: &str,
    ports: &str,
    cidr: &str,
    allow: bool,
) -> Result<NetworkAclEntry, String> {
    let rule_number = number
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|n| (1..=MAX_RULE_NUMBER).contains(n))
        .ok_or_else(|| {
            format!(
                "Rule numbers are 1 to {MAX_RULE_NUMBER} (B2): '{}' is not one",
                number.trim()
            )
        })?;
    let protocol = protocol(proto)?;
    let port_range = match protocol {
        IpProtocol::Tcp | IpProtocol::Udp => Some(port_range(ports)?),
        _ => None,
    };
    let cidr_block = cidr.trim().parse().map_err(|_| {
        format!(
            "'{}' is not a CIDR block (like 198.51.100.7/32)",
            cidr.trim()
        )
    })?;
    let mut entry = NetworkAclEntry {
        rule_number,
        egress,
        protocol,
        action: if allow {
            RuleAction::Allow
        } else {
            RuleAction::Deny
        },
        cidr_block,
        port_range,
        icmp_type_code: (protocol == IpProtocol::Icmp).then_some((-1, -1)),
    };
    // B8: CIDR blocks are stored canonical (100.68.0.18/18 is 100.68.0.0/18).
    entry.cidr_block = entry.cidr_block.trunc();
    Ok(entry)
}

/// User data's size limit, in bytes before base64 encoding (H3).
pub const USER_DATA_LIMIT: usize = 16 * 1024;

/// User data from the inspector's editor: any text up to 16 KB (H3).
pub fn parse_user_data_form(text: &str) -> Result<String, String> {
    if text.len() > USER_DATA_LIMIT {
        return Err(format!(
            "User data is limited to 16 KB (16384 bytes) before base64 encoding; this is {} bytes (H3)",
            text.len()
        ));
    }
    Ok(text.to_owned())
}

/// The AMI's mapping for its root device, if the root is an EBS volume (D1).
pub fn root_mapping(image: &Image) -> Option<&EbsMapping> {
    image
        .block_devices
        .iter()
        .find(|d| d.device_name == image.root_device_name)
        .and_then(|d| d.ebs.as_ref())
}

/// The root volume from the launch form's storage fields, or why not;
/// `None` when they ask for what the AMI's mapping already gives (the
/// launch then sends no `BlockDeviceMappings`). Sizes and IOPS out of range,
/// or smaller than the AMI's snapshot, are the account's to refuse (F2).
pub fn parse_root_volume_form(
    image: &Image,
    size: &str,
    volume_type: &str,
    iops: &str,
    encrypted: bool,
) -> Result<Option<RootVolume>, String> {
    let Some(mapping) = root_mapping(image) else {
        return Ok(None);
    };
    let size_gib = size
        .trim()
        .parse::<u32>()
        .map_err(|_| format!("'{}' is not a size in GiB (a whole number)", size.trim()))?;
    let volume_type = VolumeType::parse(volume_type.trim())
        .ok_or_else(|| format!("'{}' is not a volume type", volume_type.trim()))?;
    let iops = match iops.trim() {
        "" => None,
        n => Some(
            n.parse::<u32>()
                .map_err(|_| format!("'{n}' is not a number of IOPS"))?,
        ),
    };
    // F2: Iops is for io1, io2 and gp3 only.
    if iops.is_some() && !volume_type.takes_iops() {
        return Err(format!(
            "{volume_type} volumes don't take IOPS (F2): leave IOPS empty, or choose io1, io2 or gp3"
        ));
    }
    // E3: a volume from an encrypted snapshot is encrypted anyway.
    let encrypted = encrypted && !mapping.encrypted;
    if size_gib == mapping.volume_size_gib
        && volume_type == mapping.volume_type
        && iops.is_none()
        && !encrypted
    {
        return Ok(None);
    }
    Ok(Some(RootVolume {
        device_name: image.root_device_name.clone(),
        size_gib,
        volume_type,
        iops,
        encrypted,
    }))
}

/// A line of a details list: the field, in AWS's name for it, and its value.
pub type Row = (&'static str, String);

/// A resource's id with its `Name` tag, `web-1 (i-…)`.
fn named(tags: &ec2lab_sim::Tags, id: &str) -> String {
    match tags.get("Name") {
        Some(name) => format!("{name} ({id})"),
        None => id.to_owned(),
    }
}

/// Seconds as a learner reads them: `2 min 5 s`.
pub fn duration(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (h, m) {
        (0, 0) => format!("{s} s"),
        (0, _) => format!("{m} min {s} s"),
        _ => format!("{h} h {m} min {s} s"),
    }
}

/// One route as `describe-route-tables` shows it, and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteRow {
    /// `DestinationCidrBlock` (or the IPv6 one).
    pub destination: String,
    /// `GatewayId` (`local`, `igw-…`) or the other target's id.
    pub target: String,
    /// `State`: `active` or `blackhole`.
    pub state: &'static str,
    /// What it does, in words.
    pub meaning: String,
}

/// A route table as the inspector shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteTableView {
    /// Its id and name.
    pub table: String,
    /// How the subnet uses it, or which subnets use it.
    pub how: String,
    /// Its routes, in the table's order.
    pub routes: Vec<RouteRow>,
}

/// A route table's routes with their meaning; `whose` says whom an
/// internet route makes public ("the subnet is", "its subnets are").
pub fn route_rows(region: &RegionState, table: &RouteTable, whose: &str) -> Vec<RouteRow> {
    let mut rows = Vec::new();
    for route in &table.routes {
        let meaning = match &route.target {
            _ if route.blackhole => {
                "blackhole: the target is gone, so matching traffic is dropped".to_owned()
            }
            RouteTarget::Local => {
                "inside the VPC: every route table has this route (C2)".to_owned()
            }
            RouteTarget::InternetGateway(igw)
                if region
                    .internet_gateways
                    .get(igw)
                    .is_some_and(|g| g.attached_vpc.as_ref() == Some(&table.vpc_id)) =>
            {
                format!("to the internet through {igw}: this is why {whose} public (C3)")
            }
            RouteTarget::InternetGateway(igw) => {
                format!("{igw} is not attached to this VPC, so nothing gets through (C3)")
            }
            RouteTarget::Other { field, id } => {
                format!("to {id} ({field}; the lab does not simulate it)")
            }
        };
        rows.push(RouteRow {
            destination: route.destination.to_string(),
            target: route.target.to_string(),
            state: if route.blackhole {
                "blackhole"
            } else {
                "active"
            },
            meaning,
        });
    }
    rows
}

/// The route table a subnet uses and why: its explicit association, else
/// the VPC's main table (C2).
pub fn subnet_route_table(region: &RegionState, subnet_id: &SubnetId) -> Option<RouteTableView> {
    let table = region.route_table_of(subnet_id)?;
    let explicit = table
        .associations
        .iter()
        .find(|a| a.subnet_id.as_ref() == Some(subnet_id));
    let how = match explicit {
        Some(a) => format!("explicitly associated with this subnet ({})", a.id),
        None => "the VPC's main route table: this subnet has no explicit association (C2)".into(),
    };
    Some(RouteTableView {
        table: named(&table.tags, table.id.as_str()),
        how,
        routes: route_rows(region, table, "the subnet is"),
    })
}

/// Every route table of a VPC, the main one first, with the subnets that
/// use each (C2).
pub fn vpc_route_tables(region: &RegionState, vpc_id: &VpcId) -> Vec<RouteTableView> {
    let subnets = region.subnets_of(vpc_id);
    let mut views = Vec::new();
    for main in [true, false] {
        for table in region.route_tables.values() {
            if table.vpc_id != *vpc_id || table.is_main() != main {
                continue;
            }
            let mut users = Vec::new();
            for subnet in &subnets {
                if region.route_table_of(&subnet.id).map(|t| &t.id) == Some(&table.id) {
                    users.push(named(&subnet.tags, subnet.id.as_str()));
                }
            }
            let users = if users.is_empty() {
                "no subnet".to_owned()
            } else {
                users.join(", ")
            };
            views.push(RouteTableView {
                table: named(&table.tags, table.id.as_str()),
                how: if main {
                    format!("main route table (every subnet without an explicit association, C2); used by {users}")
                } else {
                    format!("used by {users}")
                },
                routes: route_rows(region, table, "its subnets are"),
            });
        }
    }
    views
}

/// What the billing meter shows: seconds billed so far and whether the
/// meter runs now (G2). The lab models billed time, not prices.
pub fn billing_rows(instance: &Instance, now: u64) -> Vec<Row> {
    let billed = instance.billed_seconds_at(now);
    let mut rows = vec![(
        "Billed so far",
        format!("{} ({billed} s of instance time)", duration(billed)),
    )];
    let state = match instance.state {
        InstanceState::Running => "yes: running is billed per second, with a one-minute minimum each time it enters running (G2)".to_owned(),
        InstanceState::Stopping if instance.hibernating => "yes: a hibernating instance is billed while it is stopping (G2)".to_owned(),
        InstanceState::Pending => "not yet: billing starts when it is running (G2)".to_owned(),
        InstanceState::Stopped => "no: a stopped instance is not billed; its EBS volumes still are (G2)".to_owned(),
        other => format!("no: {other} is not billed (G2)"),
    };
    rows.push(("Billing now", state));
    if let Some(since) = instance.running_since {
        let run = now.saturating_sub(since);
        rows.push((
            "This run",
            format!(
                "{} so far, billed as {} (G2)",
                duration(run),
                duration(run.max(MINIMUM_BILLED_SECONDS))
            ),
        ));
    }
    rows
}

/// Why an instance's user data can't be changed now; `None` if it can
/// (only while stopped, H4, G5).
pub fn user_data_lock(instance: &Instance) -> Option<String> {
    match instance.state {
        InstanceState::Stopped => None,
        _ if instance.root_device_type == RootDeviceType::InstanceStore => Some(
            "An instance-store-backed instance can't be stopped, so its user data can't be changed (G4, D9).".into(),
        ),
        InstanceState::Stopping => Some(
            "User data can be changed only while the instance is stopped (H4); it is stopping: wait until it is stopped.".into(),
        ),
        InstanceState::ShuttingDown | InstanceState::Terminated => Some(
            "A terminated instance can't be changed or started again (G1).".into(),
        ),
        state => Some(format!(
            "User data can be changed only while the instance is stopped (H4); it is {state}: stop it first."
        )),
    }
}

/// A KMS key ARN with the key's alias (E7).
fn kms_text(region: &str, arn: Option<&str>) -> String {
    let Some(arn) = arn else {
        return "—".into();
    };
    match ec2lab_sim::KmsKey::by_arn(region, arn) {
        Some(key) => format!(
            "{} ({} key) {arn}",
            key.alias,
            if key.aws_managed {
                "AWS managed"
            } else {
                "customer managed"
            }
        ),
        None => arn.to_owned(),
    }
}

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_owned()
}

/// A volume's details as `describe-volumes` names them, with where its
/// encryption came from (E3, E5, F2, F5).
pub fn volume_rows(region: &RegionState, volume: &Volume) -> Vec<Row> {
    let from_snapshot = volume
        .snapshot_id
        .as_ref()
        .and_then(|id| region.snapshot(id))
        .is_some_and(|s| s.encrypted);
    let origin = match (volume.encrypted, from_snapshot, &volume.snapshot_id) {
        (false, _, _) => "not encrypted: it was not asked for, no encrypted snapshot and no encryption by default applied when it was created (E3, E5); it can't be encrypted in place (E6)".to_owned(),
        (true, true, Some(snapshot)) => format!("inherited from its encrypted snapshot {snapshot} (E3)"),
        _ => format!(
            "asked for when it was created (Encrypted), or the Region's encryption by default (now {}) (E5); the lab does not record which",
            if region.ebs_encryption_by_default { "on" } else { "off" }
        ),
    };
    let mut rows = vec![
        ("VolumeId", named(&volume.tags, volume.id.as_str())),
        ("State", volume.state.to_string()),
        ("Size", format!("{} GiB", volume.size_gib)),
        ("VolumeType", volume.volume_type.to_string()),
        (
            "Iops",
            volume
                .iops
                .map_or_else(|| "—".to_owned(), |i| i.to_string()),
        ),
    ];
    if let Some(throughput) = volume.throughput {
        rows.push(("Throughput", format!("{throughput} MiB/s")));
    }
    rows.extend([
        ("Encrypted", yes_no(volume.encrypted)),
        (
            "KmsKeyId",
            kms_text(region.name(), volume.kms_key_id.as_deref()),
        ),
        ("Encryption", origin),
        ("AvailabilityZone", volume.availability_zone.clone()),
        (
            "SnapshotId",
            volume
                .snapshot_id
                .as_ref()
                .map_or_else(|| "—".to_owned(), ToString::to_string),
        ),
        ("MultiAttachEnabled", yes_no(volume.multi_attach)),
        ("CreateTime", ec2lab_sim::iso8601(volume.create_time)),
    ]);
    if volume.attachments.is_empty() {
        rows.push((
            "Attachments",
            format!(
                "none: it can be attached only to an instance in {} (F1)",
                volume.availability_zone
            ),
        ));
    }
    for a in &volume.attachments {
        let instance = region.instances.get(&a.instance_id).map_or_else(
            || a.instance_id.to_string(),
            |i| named(&i.tags, i.id.as_str()),
        );
        rows.push((
            "Attachment",
            format!(
                "{instance} as {}, attached; {} (F4)",
                a.device,
                if a.delete_on_termination {
                    "deleted when the instance terminates"
                } else {
                    "kept when the instance terminates"
                }
            ),
        ));
    }
    rows
}

/// A snapshot's details as `describe-snapshots` names them, with where
/// its encryption came from (E1, E3, E4, D6).
pub fn snapshot_rows(region: &RegionState, snapshot: &Snapshot, now: u64) -> Vec<Row> {
    let origin = match (snapshot.encrypted, &snapshot.volume_id) {
        (true, Some(volume)) => format!("as its volume {volume} was (E3)"),
        (true, None) => {
            "set when it was copied: an encrypted source, or Encrypted on the copy (E4)".to_owned()
        }
        (false, Some(volume)) => format!(
            "not encrypted, as its volume {volume} was not (E3); an encrypted copy can be made (E4, E6)"
        ),
        (false, None) => "not encrypted (E3); an encrypted copy can be made (E4)".to_owned(),
    };
    let state = if snapshot.state == SnapshotState::Pending {
        format!(
            "pending: completes in {}",
            duration(snapshot.completes_at.saturating_sub(now))
        )
    } else {
        snapshot.state.to_string()
    };
    let mut rows = vec![
        ("SnapshotId", named(&snapshot.tags, snapshot.id.as_str())),
        (
            "Description",
            if snapshot.description.is_empty() {
                "—".to_owned()
            } else {
                snapshot.description.clone()
            },
        ),
        ("State", state),
        (
            "VolumeId",
            snapshot
                .volume_id
                .as_ref()
                .map_or_else(|| "vol-ffffffff (a copy)".to_owned(), ToString::to_string),
        ),
        ("VolumeSize", format!("{} GiB", snapshot.volume_size_gib)),
        ("Encrypted", yes_no(snapshot.encrypted)),
        (
            "KmsKeyId",
            kms_text(region.name(), snapshot.kms_key_id.as_deref()),
        ),
        ("Encryption", origin),
        ("StartTime", ec2lab_sim::iso8601(snapshot.start_time)),
        ("OwnerId", snapshot.owner_id.clone()),
        (
            "Stored",
            if snapshot.full {
                "in full (E1, D3)"
            } else {
                "incrementally: only the blocks changed since the volume's previous snapshot; the first holds every block written (E1)"
            }
            .to_owned(),
        ),
    ];
    for image in region.images.values() {
        if image.snapshot_ids().any(|id| *id == snapshot.id) {
            rows.push((
                "Used by",
                format!(
                    "{} ({}): it can't be deleted while the AMI is registered (D6)",
                    image.id, image.name
                ),
            ));
        }
    }
    rows
}

fn details(rows: &[Row]) -> Html {
    html! {
        <dl>
            { for rows.iter().map(|(k, v)| html! { <><dt>{ *k }</dt><dd>{ v.clone() }</dd></> }) }
        </dl>
    }
}

fn route_table_html(view: &RouteTableView) -> Html {
    html! {
        <table class="rule-table route-table">
            <caption>{ format!("Route table {}: {}", view.table, view.how) }</caption>
            <thead><tr><th scope="col">{ "Destination" }</th><th scope="col">{ "Target" }</th>
                <th scope="col">{ "State" }</th><th scope="col">{ "What it means" }</th></tr></thead>
            <tbody>
                { for view.routes.iter().map(|r| html! {
                    <tr class={classes!((r.state == "blackhole").then_some("deny"))}>
                        <td>{ r.destination.clone() }</td>
                        <td>{ format!("→ {}", r.target) }</td>
                        <td>{ r.state }</td>
                        <td>{ r.meaning.clone() }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// What the inspector says while nothing is selected.
pub const HINT: &str = "Select a resource to see its details. Drag an AMI onto a subnet to launch an instance, a volume onto an instance to attach it.";

/// Properties of [`Inspector`].
#[derive(Properties, PartialEq, Clone)]
pub struct InspectorProps {
    /// The lab.
    pub lab: LabView,
    /// The selected resource.
    pub selected: Option<AttrValue>,
    /// Performs an action.
    pub on_action: Callback<Action>,
    /// The rule that decided the traffic tester's last flow, highlighted
    /// where its security group or network ACL is shown.
    #[prop_or_default]
    pub decided: Option<Decided>,
}

/// The selected resource's details and controls.
#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let Some(region) = props.lab.world.region(&props.lab.region) else {
        return Html::default();
    };
    let Some(id) = props.selected.as_deref() else {
        return html! { <p class="hint">{ HINT }</p> };
    };
    let now = props.lab.world.clock();
    let on_action = &props.on_action;
    let decided = props.decided.as_ref();
    let prefix = id.split('-').next().unwrap_or("");
    let body = match prefix {
        "i" => region
            .instances
            .get(&InstanceId::new(id))
            .map(|i| instance_view(region, i, now, on_action, decided)),
        "subnet" => region.subnets.get(&SubnetId::new(id)).map(|subnet| {
            let public = region.is_public(&subnet.id);
            html! {
                <>
                    <h2>{ format!("Subnet {}", subnet.tags.get("Name").unwrap_or("")) }</h2>
                    { details(&[
                        ("SubnetId", subnet.id.to_string()),
                        ("CidrBlock", subnet.cidr_block.to_string()),
                        ("AvailabilityZone", subnet.availability_zone.clone()),
                        ("Kind", if public { "public (its route table sends traffic to an internet gateway, C3)" } else { "private (no route to an internet gateway, C3)" }.to_owned()),
                        ("MapPublicIpOnLaunch", yes_no(subnet.map_public_ip_on_launch)),
                    ]) }
                    { for subnet_route_table(region, &subnet.id).as_ref().map(route_table_html) }
                    <p class="hint">{ "The most specific route that matches a packet's destination wins (C2)." }</p>
                    { for region.network_acl_of(&subnet.id).map(|acl| acl_tables(region, &acl.id, on_action, decided)) }
                </>
            }
        }),
        "vpc" => region.vpcs.get(&VpcId::new(id)).map(|vpc| {
            let igw = region.internet_gateway_of(&vpc.id).map_or_else(
                || "none: nothing in this VPC reaches the internet (C3)".to_owned(),
                |g| named(&g.tags, g.id.as_str()),
            );
            html! {
                <>
                    <h2>{ format!("VPC {}", vpc.tags.get("Name").unwrap_or("")) }</h2>
                    { details(&[
                        ("VpcId", vpc.id.to_string()),
                        ("CidrBlock", vpc.cidr_block.to_string()),
                        ("IsDefault", yes_no(vpc.is_default)),
                        ("InternetGateway", igw),
                        ("Main route table", vpc.main_route_table.to_string()),
                        ("Default network ACL", vpc.default_network_acl.to_string()),
                        ("Default security group", vpc.default_security_group.to_string()),
                    ]) }
                    { for vpc_route_tables(region, &vpc.id).iter().map(route_table_html) }
                </>
            }
        }),
        "igw" => region
            .internet_gateways
            .get(&ec2lab_sim::InternetGatewayId::new(id))
            .map(|igw| {
                let tables: Vec<RouteTableView> = igw
                    .attached_vpc
                    .as_ref()
                    .map(|vpc| vpc_route_tables(region, vpc))
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|t| t.routes.iter().any(|r| r.target == id))
                    .collect();
                html! {
                    <>
                        <h2>{ format!("Internet gateway {}", igw.tags.get("Name").unwrap_or("")) }</h2>
                        { details(&[
                            ("InternetGatewayId", igw.id.to_string()),
                            ("Attachment", igw.attached_vpc.as_ref().map_or_else(|| "detached: no VPC uses it".to_owned(), |v| format!("{v}: available"))),
                        ]) }
                        if tables.is_empty() {
                            <p class="hint">{ "No route table sends traffic to it, so no subnet is public through it (C3)." }</p>
                        }
                        { for tables.iter().map(route_table_html) }
                    </>
                }
            }),
        "fs" => region
            .file_systems
            .get(&ec2lab_sim::FileSystemId::new(id))
            .map(|fs| {
                let targets: Vec<String> = region
                    .mount_targets
                    .values()
                    .filter(|m| m.file_system_id == fs.id)
                    .map(|m| format!("{} in {} ({}), {}", m.id, m.subnet_id, m.availability_zone, m.ip_address))
                    .collect();
                html! {
                    <>
                        <h2>{ format!("EFS file system {}", fs.tags.get("Name").unwrap_or("")) }</h2>
                        { details(&[
                            ("FileSystemId", fs.id.to_string()),
                            ("LifeCycleState", fs.state.to_string()),
                            ("Storage", fs.availability_zone.as_ref().map_or_else(
                                || "Regional (Standard classes): stored across Availability Zones, one mount target per AZ (J3)".to_owned(),
                                |az| format!("One Zone: stored in {az} only (J3)"))),
                            ("PerformanceMode", fs.performance_mode.to_string()),
                            ("ThroughputMode", fs.throughput_mode.to_string()),
                            ("Encrypted", yes_no(fs.encrypted)),
                            ("KmsKeyId", fs.kms_key_id.clone().unwrap_or_else(|| "-".into())),
                            ("SizeInBytes", fs.size_in_bytes().to_string()),
                            ("MountTargets", if targets.is_empty() { "none: no instance can mount it yet".into() } else { targets.join("; ") }),
                        ]) }
                        <p class="hint">{ "Unlike an EBS volume, bound to one AZ and normally one instance (J1), an EFS file system is shared over NFS by many instances at once (J3)." }</p>
                    </>
                }
            }),
        "fsmt" => region
            .mount_targets
            .get(&ec2lab_sim::MountTargetId::new(id))
            .map(|m| {
                html! {
                    <>
                        <h2>{ format!("EFS mount target {}", m.id) }</h2>
                        { details(&[
                            ("MountTargetId", m.id.to_string()),
                            ("FileSystemId", m.file_system_id.to_string()),
                            ("SubnetId", m.subnet_id.to_string()),
                            ("AvailabilityZoneName", m.availability_zone.clone()),
                            ("IpAddress", m.ip_address.to_string()),
                            ("NetworkInterfaceId", m.network_interface_id.to_string()),
                            ("LifeCycleState", m.state.to_string()),
                        ]) }
                        <p class="hint">{ "Its security groups must allow inbound TCP 2049 (NFS) from the instances that mount it (J3)." }</p>
                    </>
                }
            }),
        "vol" => region.volumes.get(&ec2lab_sim::VolumeId::new(id)).map(|v| {
            html! {
                <>
                    <h2>{ format!("Volume {}", v.tags.get("Name").unwrap_or("")) }</h2>
                    { details(&volume_rows(region, v)) }
                </>
            }
        }),
        "snap" => region.snapshot(&ec2lab_sim::SnapshotId::new(id)).map(|s| {
            html! {
                <>
                    <h2>{ format!("Snapshot {}", s.tags.get("Name").unwrap_or("")) }</h2>
                    { details(&snapshot_rows(region, &s, now)) }
                </>
            }
        }),
        "sg" => region
            .security_groups
            .get(&SecurityGroupId::new(id))
            .map(|g| group_table(region, &g.id, on_action, decided)),
        "acl" => region
            .network_acls
            .get(&NetworkAclId::new(id))
            .map(|a| acl_tables(region, &a.id, on_action, decided)),
        _ => None,
    };
    html! {
        <div class="details">
            { body.unwrap_or_else(|| html! { <h2>{ id.to_owned() }</h2> }) }
        </div>
    }
}

fn instance_view(
    region: &RegionState,
    instance: &Instance,
    now: u64,
    on_action: &Callback<Action>,
    decided: Option<&Decided>,
) -> Html {
    let eni = region.primary_interface(instance);
    let control = |label: &'static str, verb: Lifecycle| {
        let on_action = on_action.clone();
        let instance_id = instance.id.clone();
        html! {
            <button type="button" class="tool" onclick={Callback::from(move |_| on_action.emit(Action::Lifecycle { instance_id: instance_id.clone(), verb }))}>
                { label }
            </button>
        }
    };
    let groups = eni.map(|e| e.security_groups.clone()).unwrap_or_default();
    let mut rows: Vec<Row> = vec![
        ("InstanceId", instance.id.to_string()),
        ("State", instance.state.to_string()),
        ("InstanceType", instance.instance_type.clone()),
        ("AvailabilityZone", instance.availability_zone.clone()),
        ("SubnetId", instance.subnet_id.to_string()),
        (
            "PrivateIpAddress",
            eni.map(|e| e.private_ip.to_string()).unwrap_or_default(),
        ),
        (
            "PublicIpAddress",
            eni.and_then(|e| e.public_ip)
                .map_or_else(|| "—".into(), |ip| ip.to_string()),
        ),
    ];
    for device in &instance.block_devices {
        let volume = region
            .volumes
            .get(&device.volume_id)
            .map_or_else(String::new, |v| {
                format!(
                    " ({} GiB {}, {})",
                    v.size_gib,
                    v.volume_type,
                    if v.encrypted {
                        "encrypted"
                    } else {
                        "not encrypted"
                    }
                )
            });
        let root = if device.device_name == instance.root_device_name {
            ", root"
        } else {
            ""
        };
        rows.push((
            "BlockDevice",
            format!("{}{root}: {}{volume}", device.device_name, device.volume_id),
        ));
    }
    let console = instance.console.clone();
    html! {
        <>
            <h2>{ format!("Instance {}", instance.tags.get("Name").unwrap_or("")) }</h2>
            { details(&rows) }
            <div class="controls" role="group" aria-label="Instance state">
                { control("Start", Lifecycle::Start) }
                { control("Stop", Lifecycle::Stop) }
                { control("Reboot", Lifecycle::Reboot) }
                { control("Terminate", Lifecycle::Terminate) }
            </div>
            <section class="meter" aria-label="Billing meter">
                <h3>{ "Billing meter" }</h3>
                { details(&billing_rows(instance, now)) }
            </section>
            <UserDataEditor instance_id={instance.id.to_string()}
                current={instance.user_data.clone().unwrap_or_default()}
                lock={user_data_lock(instance)} on_action={on_action.clone()} />
            <details class="boot-log">
                <summary>{ "Boot log (what aws ec2 get-console-output shows)" }</summary>
                if console.is_empty() {
                    <p class="hint">{ "Nothing yet: the instance has not booted." }</p>
                } else {
                    <pre tabindex="0">{ console }</pre>
                }
            </details>
            { for groups.iter().map(|g| group_table(region, g, on_action, decided)) }
        </>
    }
}

/// A rule's protocol as a learner reads it: the name, with the number the
/// API and the event log's commands use (`-1` is all, 6 is TCP).
fn protocol_cell(protocol: IpProtocol) -> String {
    match protocol {
        IpProtocol::All => "All (-1)".into(),
        IpProtocol::Tcp | IpProtocol::Number(6) => "TCP (6)".into(),
        IpProtocol::Udp | IpProtocol::Number(17) => "UDP (17)".into(),
        IpProtocol::Icmp | IpProtocol::Number(1) => "ICMP (1)".into(),
        IpProtocol::Icmpv6 | IpProtocol::Number(58) => "ICMPv6 (58)".into(),
        IpProtocol::Number(n) => n.to_string(),
    }
}

/// A security group rule's ports as a learner reads them (A10).
fn rule_ports(rule: &SecurityGroupRule) -> String {
    match (rule.protocol, rule.ports) {
        (IpProtocol::Icmp | IpProtocol::Icmpv6, Some((-1, _))) => "all types".into(),
        (IpProtocol::Icmp | IpProtocol::Icmpv6, Some((t, -1))) => format!("type {t}"),
        (IpProtocol::Icmp | IpProtocol::Icmpv6, Some((t, c))) => format!("type {t} code {c}"),
        (p, Some((a, b))) if p.has_ports() && a == b => a.to_string(),
        (p, Some((a, b))) if p.has_ports() => format!("{a}-{b}"),
        _ => "all".into(),
    }
}

/// A rule's source or destination, with the name of a group or list.
fn rule_peer(region: &RegionState, rule: &SecurityGroupRule) -> String {
    let peer = match &rule.peer {
        RulePeer::SecurityGroup(g) => region
            .security_groups
            .get(g)
            .map_or_else(|| g.to_string(), |group| format!("{g} ({})", group.name)),
        RulePeer::PrefixList(p) => region
            .prefix_lists
            .get(p)
            .map_or_else(|| p.to_string(), |list| format!("{p} ({})", list.name)),
        RulePeer::Cidr(net) if net.prefix_len() == 0 => format!("{net} (anywhere)"),
        other => other.to_string(),
    };
    match &rule.description {
        Some(d) => format!("{peer}: {d}"),
        None => peer,
    }
}

/// The marker beside the rule that decided the traced flow (words, not
/// colour alone).
fn decided_mark() -> Html {
    html! { <strong class="decided-mark">{ "◀ decided this flow" }</strong> }
}

fn group_table(
    region: &RegionState,
    group_id: &SecurityGroupId,
    on_action: &Callback<Action>,
    decided: Option<&Decided>,
) -> Html {
    let Some(group) = region.security_groups.get(group_id) else {
        return Html::default();
    };
    // The traced flow's deciding hop, if it was at this group (a hop names
    // all of an interface's groups joined by `+` when none matched, A9).
    let here = decided.filter(|d| d.resource.split('+').any(|r| r == group.id.as_str()));
    let table = |egress: bool| {
        let rules = if egress {
            &group.egress
        } else {
            &group.ingress
        };
        let direction = if egress { "outbound" } else { "inbound" };
        let rows = rules.iter().map(|rule| {
            let on_action = on_action.clone();
            let action = Action::RevokeRule {
                group_id: group.id.clone(),
                egress,
                rule: rule.clone(),
            };
            let what = format!("{direction} {} rule \"{rule}\"", group.name);
            let deciding = here.is_some_and(|d| {
                d.egress == egress && d.rule.as_deref() == Some(rule.to_string().as_str())
            });
            html! {
                <tr class={classes!(deciding.then_some("deciding"))}>
                    <td>{ protocol_cell(rule.protocol) }</td>
                    <td>{ rule_ports(rule) }</td>
                    <td>{ rule_peer(region, rule) }</td>
                    <td>
                        <button type="button" class="tool small" aria-label={format!("Remove {what}")}
                            onclick={Callback::from(move |_| on_action.emit(action.clone()))}>{ "Remove" }</button>
                        if deciding { { decided_mark() } }
                    </td>
                </tr>
            }
        });
        let none_matched = here.filter(|d| d.egress == egress && d.rule.is_none());
        html! {
            <>
                <table class="rule-table">
                    <caption>{ format!("{} rules of {} ({})", if egress { "Outbound" } else { "Inbound" }, group.name, group.id) }</caption>
                    <thead><tr><th scope="col">{ "Protocol" }</th><th scope="col">{ "Ports" }</th>
                        <th scope="col">{ if egress { "Destination" } else { "Source" } }</th>
                        <th scope="col"><span class="visually-hidden">{ "Actions" }</span></th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                if rules.is_empty() {
                    <p class="hint">{ format!("No {direction} rules: {direction} traffic is not allowed to start here (A1, A4).") }</p>
                }
                if none_matched.is_some() {
                    <p class="deciding">{ format!("◀ decided this flow: no {direction} rule of {} allows it, so it is dropped (A1).", group.name) }</p>
                }
            </>
        }
    };
    html! {
        <div class="rules">
            <h3>{ format!("Security group {} ({})", group.name, group.id) }</h3>
            { table(false) }
            { table(true) }
            <AddRule group_id={group.id.to_string()} group_name={group.name.clone()} on_action={on_action.clone()} />
        </div>
    }
}

fn acl_tables(
    region: &RegionState,
    acl_id: &NetworkAclId,
    on_action: &Callback<Action>,
    decided: Option<&Decided>,
) -> Html {
    let Some(acl) = region.network_acls.get(acl_id) else {
        return Html::default();
    };
    let here = decided.filter(|d| d.resource == acl.id.as_str());
    let table = |egress: bool| {
        let mut entries: Vec<&NetworkAclEntry> =
            acl.entries.iter().filter(|e| e.egress == egress).collect();
        entries.sort_by_key(|e| e.rule_number);
        let rows = entries.into_iter().map(|e| {
            let star = e.rule_number > MAX_RULE_NUMBER;
            let on_action = on_action.clone();
            let action = Action::DeleteAclEntry { network_acl_id: acl.id.clone(), rule_number: e.rule_number, egress };
            let deciding = here.is_some_and(|d| {
                d.egress == egress && d.rule.as_deref() == Some(e.rule_number.to_string().as_str())
            });
            html! {
                <tr class={classes!((e.action == RuleAction::Deny).then_some("deny"), deciding.then_some("deciding"))}>
                    <th scope="row">{ if star { "*".to_owned() } else { e.rule_number.to_string() } }</th>
                    <td>{ protocol_cell(e.protocol) }</td>
                    <td>{ e.port_range.map_or_else(|| "all".to_owned(), |(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }) }</td>
                    <td>{ e.cidr_block.to_string() }</td>
                    <td>{ if e.action == RuleAction::Allow { "Allow" } else { "Deny" } }</td>
                    <td>
                        if !star {
                            <button type="button" class="tool small"
                                aria-label={format!("Remove {} network ACL rule {}", if egress { "outbound" } else { "inbound" }, e.rule_number)}
                                onclick={Callback::from(move |_| on_action.emit(action.clone()))}>{ "Remove" }</button>
                        }
                        if deciding { { decided_mark() } }
                    </td>
                </tr>
            }
        });
        html! {
            <table class="rule-table">
                <caption>{ format!("{} rules of network ACL {}", if egress { "Outbound" } else { "Inbound" }, acl.id) }</caption>
                <thead><tr><th scope="col">{ "Rule #" }</th><th scope="col">{ "Protocol" }</th><th scope="col">{ "Ports" }</th>
                    <th scope="col">{ if egress { "Destination" } else { "Source" } }</th><th scope="col">{ "Allow/Deny" }</th>
                    <th scope="col"><span class="visually-hidden">{ "Actions" }</span></th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        }
    };
    let mut users = Vec::new();
    for (_, subnet_id) in &acl.associations {
        users.push(
            region
                .subnets
                .get(subnet_id)
                .map_or_else(|| subnet_id.to_string(), |s| named(&s.tags, s.id.as_str())),
        );
    }
    html! {
        <div class="rules">
            <h3>{ format!("Network ACL {}", named(&acl.tags, acl.id.as_str())) }</h3>
            <p class="hint">{ format!(
                "{}; used by {}. Lowest rule number first, the first match decides (B4).",
                if acl.is_default { "The VPC's default network ACL (B2)" } else { "A custom network ACL (B3)" },
                if users.is_empty() { "no subnet".to_owned() } else { users.join(", ") }
            ) }</p>
            { table(false) }
            { table(true) }
            <AddAclEntry acl_id={acl.id.to_string()} on_action={on_action.clone()} />
        </div>
    }
}

/// Properties of [`UserDataEditor`].
#[derive(Properties, PartialEq)]
pub struct UserDataProps {
    /// The instance.
    pub instance_id: AttrValue,
    /// Its user data now (empty: none).
    pub current: AttrValue,
    /// Why it can't be changed now, if it can't ([`user_data_lock`]).
    pub lock: Option<String>,
    /// Performs the change.
    pub on_action: Callback<Action>,
}

/// An instance's user data, editable only while it is stopped (H4).
#[function_component(UserDataEditor)]
pub fn user_data_editor(props: &UserDataProps) -> Html {
    // The text being edited, and the user data it was started from: a new
    // value in the account (a save, an undo) starts the edit over.
    let text = use_mut_ref(|| (AttrValue::default(), String::new()));
    {
        let mut text = text.borrow_mut();
        if text.0 != props.current {
            *text = (props.current.clone(), props.current.to_string());
        }
    }
    let error = use_state(|| None::<String>);
    let onchange = {
        let text = text.clone();
        Callback::from(move |event: Event| text.borrow_mut().1 = input_value(&event))
    };
    let onclick = {
        let text = text.clone();
        let error = error.clone();
        let on_action = props.on_action.clone();
        let instance_id = InstanceId::new(props.instance_id.as_str());
        Callback::from(move |_| match parse_user_data_form(&text.borrow().1) {
            Ok(user_data) => {
                error.set(None);
                on_action.emit(Action::ModifyUserData {
                    instance_id: instance_id.clone(),
                    user_data,
                });
            }
            Err(why) => error.set(Some(why)),
        })
    };
    let id = format!("user-data-{}", props.instance_id);
    let locked = props.lock.is_some();
    html! {
        <section class="user-data" aria-labelledby={format!("{id}-title")}>
            <h3 id={format!("{id}-title")}>{ "User data" }</h3>
            <textarea id={id.clone()} rows="6" placeholder={if locked { "(none)" } else { "#!/bin/bash" }}
                value={text.borrow().1.clone()} disabled={locked} {onchange}
                aria-labelledby={format!("{id}-title")} aria-describedby={format!("{id}-why {id}-error")} />
            <button type="button" class="tool primary" disabled={locked} {onclick}>{ "Save user data" }</button>
            <p id={format!("{id}-why")} class={classes!("hint", locked.then_some("locked"))}>{
                props.lock.clone().unwrap_or_else(|| "Saved user data does not run at the next start: cloud-init runs user data once per instance, at its first boot (H1, H4).".into())
            }</p>
            <p id={format!("{id}-error")} class="field-error" role="alert">{ (*error).clone().unwrap_or_default() }</p>
        </section>
    }
}

/// Properties of [`AddRule`].
#[derive(Properties, PartialEq)]
pub struct AddRuleProps {
    /// The group.
    pub group_id: AttrValue,
    /// Its name.
    pub group_name: AttrValue,
    /// Performs the action.
    pub on_action: Callback<Action>,
}

fn input_value(event: &Event) -> String {
    event
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
                .map(|t| t.value())
        })
        .unwrap_or_default()
}

/// Adds an inbound or outbound rule to a security group.
#[function_component(AddRule)]
pub fn add_rule(props: &AddRuleProps) -> Html {
    // Direction, protocol, ports, source or destination.
    let fields = use_mut_ref(|| {
        [
            "in".to_owned(),
            "tcp".to_owned(),
            "22".to_owned(),
            "203.0.113.0/24".to_owned(),
        ]
    });
    let error = use_state(|| None::<String>);
    let redraw = use_force_update();
    let set = |k: usize| {
        let fields = fields.clone();
        let redraw = redraw.clone();
        Callback::from(move |event: Event| {
            fields.borrow_mut()[k] = input_value(&event);
            // The direction renames the peer field (source or destination).
            if k == 0 {
                redraw.force_update();
            }
        })
    };
    let onclick = {
        let fields = fields.clone();
        let error = error.clone();
        let on_action = props.on_action.clone();
        let group_id = SecurityGroupId::new(props.group_id.as_str());
        Callback::from(move |_| {
            let f = fields.borrow().clone();
            match parse_rule_form(&f[1], &f[2], &f[3]) {
                Ok(rule) => {
                    error.set(None);
                    on_action.emit(Action::AuthorizeRule {
                        group_id: group_id.clone(),
                        egress: f[0] == "out",
                        rule,
                    });
                }
                Err(why) => error.set(Some(why)),
            }
        })
    };
    let id = format!("add-rule-{}", props.group_id);
    let f = fields.borrow().clone();
    let egress = f[0] == "out";
    let option = |value: &'static str, label: &'static str, k: usize| {
        html! { <option {value} selected={f[k] == value}>{ label }</option> }
    };
    html! {
        <fieldset class="add-form">
            <legend>{ format!("Add an {} rule to {}", if egress { "outbound" } else { "inbound" }, props.group_name) }</legend>
            <label>{ "Direction" }
                <select onchange={set(0)}>{ option("in", "Inbound", 0) }{ option("out", "Outbound", 0) }</select></label>
            <label>{ "Protocol" }
                <select onchange={set(1)}>
                    { option("tcp", "TCP", 1) }{ option("udp", "UDP", 1) }{ option("icmp", "ICMP", 1) }{ option("all", "All", 1) }
                </select></label>
            <label>{ "Ports" }<input value={f[2].clone()} onchange={set(2)} aria-describedby={format!("{id}-error")} /></label>
            <label>{ if egress { "Destination" } else { "Source" } }
                <input value={f[3].clone()} onchange={set(3)} placeholder="CIDR, sg-… or pl-…"
                    aria-describedby={format!("{id}-hint {id}-error")} /></label>
            <button type="button" class="tool primary" {onclick}>{ "Add rule" }</button>
            <p id={format!("{id}-hint")} class="hint">{ "A CIDR block (203.0.113.0/24, 2001:db8::/32), a security group (sg-…) or a prefix list (pl-…) (A7)." }</p>
            <p id={format!("{id}-error")} class="field-error" role="alert">{ (*error).clone().unwrap_or_default() }</p>
        </fieldset>
    }
}

/// Properties of [`AddAclEntry`].
#[derive(Properties, PartialEq)]
pub struct AddAclProps {
    /// The ACL.
    pub acl_id: AttrValue,
    /// Performs the action.
    pub on_action: Callback<Action>,
}

/// Adds a network ACL entry.
#[function_component(AddAclEntry)]
pub fn add_acl_entry(props: &AddAclProps) -> Html {
    let fields = use_mut_ref(|| {
        [
            "90".to_owned(),
            "in".to_owned(),
            "tcp".to_owned(),
            "80".to_owned(),
            "0.0.0.0/0".to_owned(),
            "deny".to_owned(),
        ]
    });
    let error = use_state(|| None::<String>);
    let set = |k: usize| {
        let fields = fields.clone();
        Callback::from(move |event: Event| {
            fields.borrow_mut()[k] = input_value(&event);
        })
    };
    let onclick = {
        let fields = fields.clone();
        let error = error.clone();
        let on_action = props.on_action.clone();
        let acl = NetworkAclId::new(props.acl_id.as_str());
        Callback::from(move |_| {
            let f = fields.borrow().clone();
            match parse_acl_form(&f[0], f[1] == "out", &f[2], &f[3], &f[4], f[5] == "allow") {
                Ok(entry) => {
                    error.set(None);
                    on_action.emit(Action::CreateAclEntry {
                        network_acl_id: acl.clone(),
                        entry,
                    });
                }
                Err(why) => error.set(Some(why)),
            }
        })
    };
    html! {
        <fieldset class="add-form">
            <legend>{ format!("Add a rule to network ACL {}", props.acl_id) }</legend>
            <label>{ "Rule number" }<input value={fields.borrow()[0].clone()} onchange={set(0)} /></label>
            <label>{ "Direction" }
                <select onchange={set(1)}><option value="in" selected=true>{ "Inbound" }</option><option value="out">{ "Outbound" }</option></select></label>
            <label>{ "Protocol" }
                <select onchange={set(2)}>
                    <option value="tcp" selected=true>{ "TCP" }</option><option value="udp">{ "UDP" }</option>
                    <option value="icmp">{ "ICMP" }</option><option value="all">{ "All" }</option>
                </select></label>
            <label>{ "Ports" }<input value={fields.borrow()[3].clone()} onchange={set(3)} /></label>
            <label>{ "CIDR block" }<input value={fields.borrow()[4].clone()} onchange={set(4)} /></label>
            <label>{ "Allow/Deny" }
                <select onchange={set(5)}><option value="deny" selected=true>{ "Deny" }</option><option value="allow">{ "Allow" }</option></select></label>
            <button type="button" class="tool primary" {onclick}>{ "Add ACL rule" }</button>
            <p class="field-error" role="alert">{ (*error).clone().unwrap_or_default() }</p>
        </fieldset>
    }
}
