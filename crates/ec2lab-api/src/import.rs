//! Importing real configuration: the JSON that `aws ec2 describe-*` prints.
//!
//! A scenario is one JSON object holding any of the top-level keys the
//! describe commands print (`Vpcs`, `Subnets`, `InternetGateways`,
//! `RouteTables`, `NetworkAcls`, `SecurityGroups`, `Reservations`,
//! `NetworkInterfaces`, `Addresses`, `PrefixLists`, `Volumes`, `Snapshots`,
//! `Images`), or several such files.
//! Field names are AWS's; unknown fields are ignored. A reference to a
//! resource the scenario does not hold, or a malformed value, is an error
//! naming the file and the JSON path. What AWS always has but the scenario
//! leaves out (a VPC's default network ACL, main route table or default
//! security group; the EBS volumes of instances when there is no `Volumes`
//! key) is made up as AWS would have made it (B2, C2, A6, F4), so a partial
//! export still behaves the way the real account would.
//!
//! Timestamps (`CreateTime`, `StartTime`, `AttachTime`, `CreationDate`) are
//! read as ISO 8601 and become lab seconds since [`ec2lab_sim::LAB_EPOCH`];
//! anything older than the lab's start is time 0. The scenario's own
//! account (the `OwnerId` its instances, VPCs or subnets carry) becomes the
//! lab's account, [`ec2lab_sim::ACCOUNT_ID`], so an export from a real
//! account owns its snapshots and AMIs here too.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{Ipv4Addr, Ipv6Addr};

use ec2lab_sim::{
    instance_type, public_image, region_of_zone, Address, AllocationId, Architecture,
    AssociationId, DiskData, EbsMapping, Image, ImageBlockDevice, ImageId, ImageState, Instance,
    InstanceBlockDevice, InstanceId, InstanceState, InstanceStoreDisk, InternetGateway,
    InternetGatewayId, IpProtocol, ManagedPrefixList, NetworkAcl, NetworkAclAssociationId,
    NetworkAclEntry, NetworkAclId, NetworkInterface, NetworkInterfaceId, PrefixListEntry,
    PrefixListId, RegionState, ReservationId, RootDeviceType, Route, RouteTable,
    RouteTableAssociation, RouteTableAssociationId, RouteTableId, RouteTarget, RuleAction,
    RulePeer, SecurityGroup, SecurityGroupId, SecurityGroupRule, Snapshot, SnapshotId,
    SnapshotState, Subnet, SubnetId, Tags, Volume, VolumeAttachment, VolumeId, VolumeState,
    VolumeType, Vpc, VpcId, World, ACCOUNT_ID, DEFAULT_REGION, LAB_EPOCH, SNAPSHOT_SECONDS,
};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde_json::Value;

use crate::json::{ImportError, Node};

/// One JSON document of a scenario and the file it came from.
#[derive(Clone, Debug)]
pub struct Document {
    /// The file name, for error messages.
    pub file: String,
    /// The parsed JSON.
    pub value: Value,
}

/// The top-level keys a scenario may hold.
pub const KNOWN_KEYS: &[&str] = &[
    "Vpcs",
    "Subnets",
    "InternetGateways",
    "RouteTables",
    "NetworkAcls",
    "SecurityGroups",
    "Reservations",
    "NetworkInterfaces",
    "Addresses",
    "PrefixLists",
    "Volumes",
    "Snapshots",
    "Images",
];

/// Builds an account from describe-* output.
pub fn import(documents: &[Document]) -> Result<World, ImportError> {
    let mut nodes: BTreeMap<&str, Vec<Node<'_>>> = BTreeMap::new();
    for doc in documents {
        let root = Node::root(&doc.value, &doc.file);
        if !doc.value.is_object() {
            return Err(root.error("a scenario file must hold one JSON object, such as the output of aws ec2 describe-vpcs"));
        }
        for key in KNOWN_KEYS {
            nodes.entry(key).or_default().extend(root.list(key)?);
        }
    }
    let all = |key: &str| nodes.get(key).cloned().unwrap_or_default();
    // A `Volumes` key, even an empty list, says the scenario lists every
    // volume; without it, instances' volumes are made up (see below).
    let lists_volumes = documents
        .iter()
        .any(|doc| doc.value.get("Volumes").is_some_and(|v| !v.is_null()));
    let region_name = scenario_region(&all("Subnets"), &all("Reservations"), &all("Volumes"))?;
    let account = scenario_account(&nodes)?;
    let mut region = RegionState::empty(&region_name).ok_or_else(|| ImportError {
        file: documents
            .first()
            .map_or_else(|| "<input>".to_owned(), |d| d.file.clone()),
        path: "$".into(),
        message: format!("the lab does not simulate the Region {region_name}"),
    })?;
    let mut importer = Importer {
        region: &mut region,
        account,
        terminated: BTreeSet::new(),
    };
    importer.vpcs(&all("Vpcs"))?;
    importer.subnets(&all("Subnets"))?;
    importer.internet_gateways(&all("InternetGateways"))?;
    importer.route_tables(&all("RouteTables"))?;
    importer.network_acls(&all("NetworkAcls"))?;
    importer.prefix_lists(&all("PrefixLists"))?;
    importer.security_groups(&all("SecurityGroups"))?;
    importer.network_interfaces(&all("NetworkInterfaces"))?;
    importer.snapshots(&all("Snapshots"))?;
    importer.images(&all("Images"))?;
    importer.instances(&all("Reservations"))?;
    importer.volumes(&all("Volumes"))?;
    importer.instance_volumes(&all("Reservations"), lists_volumes)?;
    importer.addresses(&all("Addresses"))?;
    importer.fill_in_defaults();
    Ok(World::from_snapshot([region]))
}

/// The Region of the scenario, from its AZ names (us-east-1 if it has none).
fn scenario_region(
    subnets: &[Node<'_>],
    reservations: &[Node<'_>],
    volumes: &[Node<'_>],
) -> Result<String, ImportError> {
    let mut zones = Vec::new();
    for subnet in subnets {
        if let Some(zone) = subnet.get("AvailabilityZone") {
            zones.push(zone);
        }
    }
    for reservation in reservations {
        for instance in reservation.list("Instances")? {
            if let Some(zone) = instance
                .get("Placement")
                .and_then(|p| p.get("AvailabilityZone"))
            {
                zones.push(zone);
            }
        }
    }
    // F1: a volume lives in one AZ, so it too says where the scenario is.
    for volume in volumes {
        if let Some(zone) = volume.get("AvailabilityZone") {
            zones.push(zone);
        }
    }
    let mut found: Option<String> = None;
    for zone in zones {
        let name = zone.str()?;
        let region = region_of_zone(name)
            .map(|r| r.name.to_owned())
            .unwrap_or_else(|| {
                // An AZ the lab does not know: its Region is the name minus the letter.
                name.trim_end_matches(|c: char| c.is_ascii_lowercase())
                    .to_owned()
            });
        match &found {
            None => found = Some(region),
            Some(first) if *first != region => {
                return Err(zone.error(format!("this AZ is in {region}, but the scenario is in {first}: one scenario holds one Region")));
            }
            Some(_) => {}
        }
    }
    Ok(found.unwrap_or_else(|| DEFAULT_REGION.to_owned()))
}

/// The account the scenario was exported from: the `OwnerId` that
/// describe-instances, describe-vpcs and the like print for the account's
/// own resources. `None` if no resource says.
fn scenario_account(nodes: &BTreeMap<&str, Vec<Node<'_>>>) -> Result<Option<String>, ImportError> {
    for key in [
        "Reservations",
        "Vpcs",
        "Subnets",
        "SecurityGroups",
        "NetworkInterfaces",
        "RouteTables",
        "NetworkAcls",
        "InternetGateways",
    ] {
        for node in nodes.get(key).into_iter().flatten() {
            if let Some(owner) = node.opt_str("OwnerId")? {
                return Ok(Some(owner.to_owned()));
            }
        }
    }
    Ok(None)
}

struct Importer<'r> {
    region: &'r mut RegionState,
    /// The scenario's own account (see [`scenario_account`]).
    account: Option<String>,
    /// Instances the scenario lists as terminated: kept out, and a volume
    /// still showing an attachment to one is taken as detached.
    terminated: BTreeSet<InstanceId>,
}

fn tags(node: &Node<'_>, key: &str) -> Result<Tags, ImportError> {
    let mut tags = Tags::new();
    for tag in node.list(key)? {
        tags.insert(tag.req_str("Key")?, tag.opt_str("Value")?.unwrap_or(""));
    }
    Ok(tags)
}

fn ipv4_net(node: &Node<'_>) -> Result<Ipv4Net, ImportError> {
    node.parse("an IPv4 CIDR block", |t| {
        t.parse::<Ipv4Net>().ok().map(|n| n.trunc())
    })
}

fn ipv6_net(node: &Node<'_>) -> Result<Ipv6Net, ImportError> {
    node.parse("an IPv6 CIDR block", |t| {
        t.parse::<Ipv6Net>().ok().map(|n| n.trunc())
    })
}

fn ipv4(node: &Node<'_>) -> Result<Ipv4Addr, ImportError> {
    node.parse("an IPv4 address", |t| t.parse().ok())
}

/// An id for something the scenario left out, made from a related id's
/// digits (so it reads naturally) and changed until no resource has it.
fn unused_id(prefix: &str, digits: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut candidate = format!("{prefix}-{digits}");
    let mut n = 0u32;
    while taken(&candidate) {
        n += 1;
        candidate = format!("{prefix}-{digits}{n:x}");
    }
    candidate
}

/// The 17 (or 8) hex digits of an id, to name what AWS would have made with it.
fn digits(id: &str) -> &str {
    id.split_once('-').map_or(id, |(_, d)| d)
}

/// A string member that may be empty: describe-volumes prints
/// `"SnapshotId": ""` for a volume made from no snapshot.
fn non_empty(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.is_empty())
}

/// `VolumeType` (F2); `gp2`, the API's default, when absent.
fn volume_type(node: &Node<'_>) -> Result<VolumeType, ImportError> {
    node.get("VolumeType").map_or(Ok(VolumeType::Gp2), |n| {
        n.parse(
            "a volume type (standard, io1, io2, gp2, sc1, st1 or gp3)",
            VolumeType::parse,
        )
    })
}

/// `ImageOwnerAlias`: the aliases AWS uses; any other is dropped.
fn owner_alias(text: &str) -> Option<&'static str> {
    ["amazon", "aws-marketplace", "aws-backup-vault"]
        .into_iter()
        .find(|alias| *alias == text)
}

/// The timestamp member `key` in lab seconds (0 if absent).
fn opt_lab_time(node: &Node<'_>, key: &str) -> Result<u64, ImportError> {
    node.get(key).map_or(Ok(0), |n| lab_time(&n))
}

/// An ISO 8601 timestamp as lab seconds: seconds since
/// [`LAB_EPOCH`]; a time before the lab's start is 0.
fn lab_time(node: &Node<'_>) -> Result<u64, ImportError> {
    let unix = node.parse(
        "an ISO 8601 timestamp such as 2024-01-01T12:00:00.000Z",
        unix_seconds,
    )?;
    let epoch = i64::try_from(LAB_EPOCH).unwrap_or(i64::MAX);
    Ok(u64::try_from(unix.saturating_sub(epoch)).unwrap_or(0))
}

/// Unix seconds of a timestamp as the AWS CLI prints it:
/// `YYYY-MM-DDTHH:MM:SS`, optional fractional seconds, then `Z` or an
/// offset (`+00:00`, `+0000`, `+00`). A space may stand for the `T`, as
/// boto3 prints it.
fn unix_seconds(text: &str) -> Option<i64> {
    let number = |from: usize, to: usize| -> Option<i64> {
        let digits = text.get(from..to)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    };
    let separator = |at: usize, allowed: &[u8]| -> Option<()> {
        allowed.contains(text.as_bytes().get(at)?).then_some(())
    };
    let year = number(0, 4)?;
    separator(4, b"-")?;
    let month = number(5, 7)?;
    separator(7, b"-")?;
    let day = number(8, 10)?;
    separator(10, b"Tt ")?;
    let hour = number(11, 13)?;
    separator(13, b":")?;
    let minute = number(14, 16)?;
    separator(16, b":")?;
    let second = number(17, 19)?;
    let mut rest = text.get(19..)?;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = fraction.get(digits..)?;
    }
    let offset_seconds = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let offset = rest.get(1..)?;
            let (hours, minutes) = match offset.len() {
                2 => (offset, "00"),
                4 => (offset.get(..2)?, offset.get(2..)?),
                5 if offset.as_bytes().get(2) == Some(&b':') => {
                    (offset.get(..2)?, offset.get(3..)?)
                }
                _ => return None,
            };
            let part = |digits: &str| -> Option<i64> {
                if digits.bytes().all(|b| b.is_ascii_digit()) {
                    digits.parse().ok()
                } else {
                    None
                }
            };
            let (hours, minutes) = (part(hours)?, part(minutes)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            sign * (hours * 3_600 + minutes * 60)
        }
    };
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        // 60 is a leap second.
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second - offset_seconds)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`, the inverse of the one in the
/// core's clock).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

impl Importer<'_> {
    fn check_vpc(&self, node: &Node<'_>) -> Result<VpcId, ImportError> {
        let id = VpcId::new(node.str()?);
        if !self.region.vpcs.contains_key(&id) {
            return Err(node.error(format!(
                "{id} is not in the scenario (add the output of aws ec2 describe-vpcs)"
            )));
        }
        Ok(id)
    }

    fn check_subnet(&self, node: &Node<'_>) -> Result<SubnetId, ImportError> {
        let id = SubnetId::new(node.str()?);
        if !self.region.subnets.contains_key(&id) {
            return Err(node.error(format!(
                "{id} is not in the scenario (add the output of aws ec2 describe-subnets)"
            )));
        }
        Ok(id)
    }

    fn check_group(&self, node: &Node<'_>) -> Result<SecurityGroupId, ImportError> {
        let id = SecurityGroupId::new(node.str()?);
        if !self.region.security_groups.contains_key(&id) {
            return Err(node.error(format!(
                "{id} is not in the scenario (add the output of aws ec2 describe-security-groups)"
            )));
        }
        Ok(id)
    }

    fn vpcs(&mut self, vpcs: &[Node<'_>]) -> Result<(), ImportError> {
        for vpc in vpcs {
            let id = VpcId::new(vpc.req_str("VpcId")?);
            let cidr_block = ipv4_net(&vpc.required("CidrBlock")?)?;
            let mut ipv6_cidr_block = None;
            for association in vpc.list("Ipv6CidrBlockAssociationSet")? {
                if let Some(block) = association.get("Ipv6CidrBlock") {
                    ipv6_cidr_block.get_or_insert(ipv6_net(&block)?);
                }
            }
            let d = digits(id.as_str()).to_owned();
            self.region.vpcs.insert(
                id.clone(),
                Vpc {
                    id,
                    cidr_block,
                    ipv6_cidr_block,
                    is_default: vpc.bool_or("IsDefault", false)?,
                    // Filled in from the route tables, ACLs and groups below.
                    main_route_table: RouteTableId::new(format!("rtb-{d}")),
                    default_network_acl: NetworkAclId::new(format!("acl-{d}")),
                    default_security_group: SecurityGroupId::new(format!("sg-{d}")),
                    tags: tags(vpc, "Tags")?,
                },
            );
        }
        Ok(())
    }

    fn subnets(&mut self, subnets: &[Node<'_>]) -> Result<(), ImportError> {
        for subnet in subnets {
            let id = SubnetId::new(subnet.req_str("SubnetId")?);
            let vpc_id = self.check_vpc(&subnet.required("VpcId")?)?;
            let cidr_node = subnet.required("CidrBlock")?;
            let cidr_block = ipv4_net(&cidr_node)?;
            if !self.region.vpcs[&vpc_id].cidr_block.contains(&cidr_block) {
                return Err(
                    cidr_node.error(format!("{cidr_block} is not inside the block of {vpc_id}"))
                );
            }
            let mut ipv6_cidr_block = None;
            for association in subnet.list("Ipv6CidrBlockAssociationSet")? {
                if let Some(block) = association.get("Ipv6CidrBlock") {
                    ipv6_cidr_block.get_or_insert(ipv6_net(&block)?);
                }
            }
            self.region.subnets.insert(
                id.clone(),
                Subnet {
                    id,
                    vpc_id,
                    availability_zone: subnet.req_str("AvailabilityZone")?.to_owned(),
                    cidr_block,
                    ipv6_cidr_block,
                    map_public_ip_on_launch: subnet.bool_or("MapPublicIpOnLaunch", false)?,
                    tags: tags(subnet, "Tags")?,
                },
            );
        }
        Ok(())
    }

    fn internet_gateways(&mut self, gateways: &[Node<'_>]) -> Result<(), ImportError> {
        for igw in gateways {
            let id = InternetGatewayId::new(igw.req_str("InternetGatewayId")?);
            let mut attached_vpc = None;
            for attachment in igw.list("Attachments")? {
                let state = attachment.opt_str("State")?.unwrap_or("available");
                if matches!(state, "available" | "attached") {
                    attached_vpc = Some(self.check_vpc(&attachment.required("VpcId")?)?);
                }
            }
            self.region.internet_gateways.insert(
                id.clone(),
                InternetGateway {
                    id,
                    attached_vpc,
                    tags: tags(igw, "Tags")?,
                },
            );
        }
        Ok(())
    }

    fn route_tables(&mut self, tables: &[Node<'_>]) -> Result<(), ImportError> {
        for table in tables {
            let id = RouteTableId::new(table.req_str("RouteTableId")?);
            let vpc_id = self.check_vpc(&table.required("VpcId")?)?;
            let mut routes = Vec::new();
            for route in table.list("Routes")? {
                let destination = if let Some(v4) = route.get("DestinationCidrBlock") {
                    IpNet::V4(ipv4_net(&v4)?)
                } else if let Some(v6) = route.get("DestinationIpv6CidrBlock") {
                    IpNet::V6(ipv6_net(&v6)?)
                } else if route.get("DestinationPrefixListId").is_some() {
                    // Routes to prefix lists (gateway endpoints) are not simulated.
                    continue;
                } else {
                    return Err(route.error("a route needs DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId"));
                };
                let target = route_target(&route)?;
                let blackhole = route.opt_str("State")? == Some("blackhole")
                    || matches!(&target, RouteTarget::InternetGateway(igw) if !self.region.internet_gateways.contains_key(igw));
                routes.push(Route {
                    destination,
                    target,
                    blackhole,
                });
            }
            let mut associations = Vec::new();
            for association in table.list("Associations")? {
                let association_id = RouteTableAssociationId::new(
                    association
                        .opt_str("RouteTableAssociationId")?
                        .unwrap_or("rtbassoc-unknown"),
                );
                if association.bool_or("Main", false)? {
                    associations.push(RouteTableAssociation {
                        id: association_id,
                        subnet_id: None,
                    });
                    if let Some(vpc) = self.region.vpcs.get_mut(&vpc_id) {
                        vpc.main_route_table = id.clone();
                    }
                } else if let Some(subnet) = association.get("SubnetId") {
                    let subnet_id = self.check_subnet(&subnet)?;
                    associations.push(RouteTableAssociation {
                        id: association_id,
                        subnet_id: Some(subnet_id),
                    });
                }
                // Gateway associations (edge routing) are not simulated.
            }
            self.region.route_tables.insert(
                id.clone(),
                RouteTable {
                    id,
                    vpc_id,
                    routes,
                    associations,
                    tags: tags(table, "Tags")?,
                },
            );
        }
        Ok(())
    }

    fn network_acls(&mut self, acls: &[Node<'_>]) -> Result<(), ImportError> {
        for acl in acls {
            let id = NetworkAclId::new(acl.req_str("NetworkAclId")?);
            let vpc_id = self.check_vpc(&acl.required("VpcId")?)?;
            let is_default = acl.bool_or("IsDefault", false)?;
            let mut entries = Vec::new();
            for entry in acl.list("Entries")? {
                entries.push(acl_entry(&entry)?);
            }
            let mut associations = Vec::new();
            for association in acl.list("Associations")? {
                let subnet_id = self.check_subnet(&association.required("SubnetId")?)?;
                let association_id = NetworkAclAssociationId::new(
                    association
                        .opt_str("NetworkAclAssociationId")?
                        .unwrap_or("aclassoc-unknown"),
                );
                associations.push((association_id, subnet_id));
            }
            if is_default {
                if let Some(vpc) = self.region.vpcs.get_mut(&vpc_id) {
                    vpc.default_network_acl = id.clone();
                }
            }
            self.region.network_acls.insert(
                id.clone(),
                NetworkAcl {
                    id,
                    vpc_id,
                    is_default,
                    entries,
                    associations,
                    tags: tags(acl, "Tags")?,
                },
            );
        }
        Ok(())
    }

    fn prefix_lists(&mut self, lists: &[Node<'_>]) -> Result<(), ImportError> {
        for list in lists {
            let id = PrefixListId::new(list.req_str("PrefixListId")?);
            let mut entries = Vec::new();
            // `get-managed-prefix-list-entries` prints `Entries`; AWS-managed
            // lists from describe-prefix-lists print `Cidrs`.
            for entry in list.list("Entries")? {
                let cidr = entry
                    .required("Cidr")?
                    .parse("a CIDR block", |t| t.parse::<IpNet>().ok())?;
                entries.push(PrefixListEntry {
                    cidr,
                    description: entry.opt_str("Description")?.map(str::to_owned),
                });
            }
            for cidr in list.list("Cidrs")? {
                entries.push(PrefixListEntry {
                    cidr: cidr.parse("a CIDR block", |t| t.parse::<IpNet>().ok())?,
                    description: None,
                });
            }
            let max_entries = match list.get("MaxEntries") {
                Some(node) => u32::try_from(node.i64()?)
                    .map_err(|_| node.error("MaxEntries must be a positive number"))?,
                None => u32::try_from(entries.len()).unwrap_or(u32::MAX),
            };
            let name = list.opt_str("PrefixListName")?.unwrap_or("").to_owned();
            self.region.prefix_lists.insert(
                id.clone(),
                ManagedPrefixList {
                    id,
                    name,
                    max_entries,
                    entries,
                    tags: tags(list, "Tags")?,
                },
            );
        }
        Ok(())
    }

    fn security_groups(&mut self, groups: &[Node<'_>]) -> Result<(), ImportError> {
        // Groups can reference each other: first learn every id, then read rules.
        for group in groups {
            let id = SecurityGroupId::new(group.req_str("GroupId")?);
            let vpc_id = self.check_vpc(&group.required("VpcId")?)?;
            let name = group.opt_str("GroupName")?.unwrap_or("").to_owned();
            if name == "default" {
                if let Some(vpc) = self.region.vpcs.get_mut(&vpc_id) {
                    vpc.default_security_group = id.clone();
                }
            }
            self.region.security_groups.insert(
                id.clone(),
                SecurityGroup {
                    id,
                    name,
                    description: group.opt_str("Description")?.unwrap_or("").to_owned(),
                    vpc_id,
                    ingress: Vec::new(),
                    egress: Vec::new(),
                    tags: tags(group, "Tags")?,
                },
            );
        }
        for group in groups {
            let id = SecurityGroupId::new(group.req_str("GroupId")?);
            let ingress = self.permissions(&group.list("IpPermissions")?)?;
            let egress = self.permissions(&group.list("IpPermissionsEgress")?)?;
            if let Some(stored) = self.region.security_groups.get_mut(&id) {
                stored.ingress = ingress;
                stored.egress = egress;
            }
        }
        Ok(())
    }

    /// `IpPermissions`: each permission lists several peers; the lab keeps
    /// one rule per peer.
    fn permissions(&self, permissions: &[Node<'_>]) -> Result<Vec<SecurityGroupRule>, ImportError> {
        let mut rules = Vec::new();
        for permission in permissions {
            let protocol_node = permission.required("IpProtocol")?;
            let protocol = protocol_node.parse(
                "an IP protocol (tcp, udp, icmp, icmpv6, -1 or a number)",
                IpProtocol::parse,
            )?;
            let from = permission.get("FromPort").map(|n| n.i64()).transpose()?;
            let to = permission.get("ToPort").map(|n| n.i64()).transpose()?;
            // A10: -1 and protocols without ports allow every port.
            let ports = match (protocol.has_ports(), from, to) {
                (true, Some(from), Some(to))
                    if !(matches!(protocol, IpProtocol::Tcp | IpProtocol::Udp) && from == -1) =>
                {
                    let from = i32::try_from(from)
                        .map_err(|_| permission.error("FromPort is out of range"))?;
                    let to = i32::try_from(to)
                        .map_err(|_| permission.error("ToPort is out of range"))?;
                    Some((from, to))
                }
                _ => None,
            };
            let mut push = |peer: RulePeer, description: Option<&str>| {
                rules.push(SecurityGroupRule {
                    protocol,
                    ports,
                    peer,
                    description: description.map(str::to_owned),
                });
            };
            for range in permission.list("IpRanges")? {
                push(
                    RulePeer::Cidr(ipv4_net(&range.required("CidrIp")?)?),
                    range.opt_str("Description")?,
                );
            }
            for range in permission.list("Ipv6Ranges")? {
                push(
                    RulePeer::Ipv6Cidr(ipv6_net(&range.required("CidrIpv6")?)?),
                    range.opt_str("Description")?,
                );
            }
            for list in permission.list("PrefixListIds")? {
                let node = list.required("PrefixListId")?;
                let id = PrefixListId::new(node.str()?);
                if !self.region.prefix_lists.contains_key(&id) {
                    return Err(node.error(format!("{id} is not in the scenario (add the output of aws ec2 describe-managed-prefix-lists with its Entries)")));
                }
                push(RulePeer::PrefixList(id), list.opt_str("Description")?);
            }
            for pair in permission.list("UserIdGroupPairs")? {
                let group = self.check_group(&pair.required("GroupId")?)?;
                push(RulePeer::SecurityGroup(group), pair.opt_str("Description")?);
            }
        }
        Ok(rules)
    }

    fn network_interfaces(&mut self, interfaces: &[Node<'_>]) -> Result<(), ImportError> {
        for eni in interfaces {
            let id = NetworkInterfaceId::new(eni.req_str("NetworkInterfaceId")?);
            let interface = self.interface(&id, eni, "TagSet")?;
            self.region.network_interfaces.insert(id, interface);
        }
        Ok(())
    }

    /// One interface, from describe-network-interfaces or from an
    /// instance's `NetworkInterfaces`.
    fn interface(
        &self,
        id: &NetworkInterfaceId,
        eni: &Node<'_>,
        tag_key: &str,
    ) -> Result<NetworkInterface, ImportError> {
        let subnet_id = self.check_subnet(&eni.required("SubnetId")?)?;
        let subnet = &self.region.subnets[&subnet_id];
        let private_ip = ipv4(&eni.required("PrivateIpAddress")?)?;
        let mut secondary_private_ips = Vec::new();
        let mut public_ip = eni
            .get("Association")
            .and_then(|a| a.get("PublicIp"))
            .map(|n| ipv4(&n))
            .transpose()?;
        for address in eni.list("PrivateIpAddresses")? {
            let ip = ipv4(&address.required("PrivateIpAddress")?)?;
            if ip != private_ip {
                secondary_private_ips.push(ip);
            } else if public_ip.is_none() {
                public_ip = address
                    .get("Association")
                    .and_then(|a| a.get("PublicIp"))
                    .map(|n| ipv4(&n))
                    .transpose()?;
            }
        }
        let mut ipv6_addresses: Vec<Ipv6Addr> = Vec::new();
        for address in eni.list("Ipv6Addresses")? {
            ipv6_addresses.push(
                address
                    .required("Ipv6Address")?
                    .parse("an IPv6 address", |t| t.parse().ok())?,
            );
        }
        let mut security_groups = Vec::new();
        for group in eni.list("Groups")? {
            security_groups.push(self.check_group(&group.required("GroupId")?)?);
        }
        let instance_id = eni
            .get("Attachment")
            .and_then(|a| a.get("InstanceId"))
            .map(|n| n.str().map(InstanceId::new))
            .transpose()?;
        Ok(NetworkInterface {
            id: id.clone(),
            subnet_id: subnet_id.clone(),
            vpc_id: subnet.vpc_id.clone(),
            availability_zone: subnet.availability_zone.clone(),
            private_ip,
            secondary_private_ips,
            ipv6_addresses,
            public_ip,
            elastic_ip: None,
            security_groups,
            instance_id,
            description: eni.opt_str("Description")?.unwrap_or("").to_owned(),
            tags: tags(eni, tag_key)?,
        })
    }

    fn instances(&mut self, reservations: &[Node<'_>]) -> Result<(), ImportError> {
        for reservation in reservations {
            let reservation_id =
                ReservationId::new(reservation.opt_str("ReservationId")?.unwrap_or("r-unknown"));
            for instance in reservation.list("Instances")? {
                let id = InstanceId::new(instance.req_str("InstanceId")?);
                let state_node = instance.required("State")?.required("Name")?;
                let state = state_node.parse("an instance state (pending, running, stopping, stopped, shutting-down, terminated)", parse_state)?;
                // Terminated instances have no subnet left; they are kept out.
                if state == InstanceState::Terminated {
                    self.terminated.insert(id);
                    continue;
                }
                let mut primary = None;
                for eni in instance.list("NetworkInterfaces")? {
                    let eni_id = NetworkInterfaceId::new(eni.req_str("NetworkInterfaceId")?);
                    let mut interface = self.interface(&eni_id, &eni, "TagSet")?;
                    interface.instance_id = Some(id.clone());
                    let device_index = eni
                        .get("Attachment")
                        .and_then(|a| a.get("DeviceIndex"))
                        .map(|n| n.i64())
                        .transpose()?;
                    if device_index.unwrap_or(0) == 0 && primary.is_none() {
                        primary = Some(eni_id.clone());
                    }
                    self.region
                        .network_interfaces
                        .entry(eni_id)
                        .or_insert(interface);
                }
                let subnet_node = instance.required("SubnetId")?;
                let subnet_id = self.check_subnet(&subnet_node)?;
                let primary = match primary {
                    Some(eni) => eni,
                    None => {
                        // Minimal output: build eth0 from the instance's own fields.
                        let eni_id =
                            NetworkInterfaceId::new(format!("eni-{}", digits(id.as_str())));
                        let mut security_groups = Vec::new();
                        for group in instance.list("SecurityGroups")? {
                            security_groups.push(self.check_group(&group.required("GroupId")?)?);
                        }
                        let subnet = &self.region.subnets[&subnet_id];
                        let interface = NetworkInterface {
                            id: eni_id.clone(),
                            subnet_id: subnet_id.clone(),
                            vpc_id: subnet.vpc_id.clone(),
                            availability_zone: subnet.availability_zone.clone(),
                            private_ip: ipv4(&instance.required("PrivateIpAddress")?)?,
                            secondary_private_ips: Vec::new(),
                            ipv6_addresses: Vec::new(),
                            public_ip: instance
                                .get("PublicIpAddress")
                                .map(|n| ipv4(&n))
                                .transpose()?,
                            elastic_ip: None,
                            security_groups,
                            instance_id: Some(id.clone()),
                            description: String::new(),
                            tags: Tags::new(),
                        };
                        self.region
                            .network_interfaces
                            .insert(eni_id.clone(), interface);
                        eni_id
                    }
                };
                let subnet = &self.region.subnets[&subnet_id];
                let image_id = ImageId::new(instance.opt_str("ImageId")?.unwrap_or("ami-unknown"));
                let type_name = instance.opt_str("InstanceType")?.unwrap_or("unknown");
                let root_device_name = instance
                    .opt_str("RootDeviceName")?
                    .unwrap_or("/dev/xvda")
                    .to_owned();
                let root_device_type = match instance.opt_str("RootDeviceType")? {
                    Some("instance-store") => RootDeviceType::InstanceStore,
                    _ => RootDeviceType::Ebs,
                };
                let mut block_devices = Vec::new();
                for mapping in instance.list("BlockDeviceMappings")? {
                    if let Some(ebs) = mapping.get("Ebs") {
                        let device_name = mapping.req_str("DeviceName")?.to_owned();
                        // F4: the root volume goes with the instance, others stay.
                        let delete_on_termination =
                            ebs.bool_or("DeleteOnTermination", device_name == root_device_name)?;
                        block_devices.push(InstanceBlockDevice {
                            device_name,
                            volume_id: VolumeId::new(ebs.req_str("VolumeId")?),
                            delete_on_termination,
                        });
                    }
                }
                let instance_store = self.instance_store_of(
                    type_name,
                    &image_id,
                    root_device_type,
                    &root_device_name,
                );
                let record = Instance {
                    id: id.clone(),
                    reservation_id: reservation_id.clone(),
                    image_id,
                    instance_type: type_name.to_owned(),
                    state,
                    state_since: 0,
                    vpc_id: subnet.vpc_id.clone(),
                    subnet_id: subnet_id.clone(),
                    availability_zone: subnet.availability_zone.clone(),
                    network_interface_id: primary,
                    root_device_name,
                    root_device_type,
                    block_devices,
                    instance_store,
                    launch_time: 0,
                    billed_seconds: 0,
                    running_since: (state == InstanceState::Running).then_some(0),
                    shutdown_behavior: ec2lab_sim::ShutdownBehavior::Stop,
                    public_ip_on_launch: instance.get("PublicIpAddress").is_some(),
                    hibernation_configured: false,
                    hibernating: false,
                    disable_api_termination: false,
                    boot_count: 1,
                    // describe-instances does not show user data.
                    user_data: None,
                    runtime: Default::default(),
                    os_known: false,
                    console: String::new(),
                    state_reason: instance
                        .opt_str("StateTransitionReason")?
                        .unwrap_or("")
                        .to_owned(),
                    tags: tags(&instance, "Tags")?,
                };
                self.region.instances.insert(id, record);
            }
        }
        Ok(())
    }

    /// The instance-store disks of an imported instance, as `RunInstances`
    /// gives them: every disk of its type, empty, and for an
    /// instance-store-backed instance its root disk too (D9), so that G3
    /// (instance-store data does not survive a stop) and G4 apply to it.
    fn instance_store_of(
        &self,
        type_name: &str,
        image_id: &ImageId,
        root_device_type: RootDeviceType,
        root_device_name: &str,
    ) -> Vec<InstanceStoreDisk> {
        let mut disks = Vec::new();
        if root_device_type == RootDeviceType::InstanceStore {
            disks.push(InstanceStoreDisk {
                device_name: root_device_name.to_owned(),
                virtual_name: "root".to_owned(),
                // D9: an instance-store root device holds at most 10 GiB.
                size_gb: 10,
                data: public_image(self.region.info.name, image_id)
                    .map_or_else(DiskData::empty, |image| image.root_data()),
            });
        }
        if let Some(itype) = instance_type(type_name) {
            for (device_name, virtual_name) in itype.instance_store_devices() {
                disks.push(InstanceStoreDisk {
                    device_name,
                    virtual_name,
                    size_gb: itype.instance_store.1,
                    data: DiskData::empty(),
                });
            }
        }
        disks
    }

    /// `OwnerId` as the lab keeps it: the scenario's own account, or no
    /// owner at all, is the lab's account; any other owner stays as it is.
    fn owner(&self, node: &Node<'_>) -> Result<String, ImportError> {
        Ok(match node.opt_str("OwnerId")? {
            Some(owner) if self.account.as_deref() != Some(owner) => owner.to_owned(),
            _ => ACCOUNT_ID.to_owned(),
        })
    }

    fn snapshots(&mut self, snapshots: &[Node<'_>]) -> Result<(), ImportError> {
        for snapshot in snapshots {
            let id = SnapshotId::new(snapshot.req_str("SnapshotId")?);
            // A copy shows the placeholder vol-ffffffff: it was taken from
            // no volume of this Region (E2).
            let volume_id = non_empty(snapshot.opt_str("VolumeId")?)
                .filter(|volume| *volume != "vol-ffffffff")
                .map(VolumeId::new);
            let state = match snapshot.get("State") {
                None => SnapshotState::Completed,
                Some(node) => node.parse(
                    "a snapshot state the lab simulates (pending or completed)",
                    |text| match text {
                        "pending" => Some(SnapshotState::Pending),
                        "completed" => Some(SnapshotState::Completed),
                        _ => None,
                    },
                )?,
            };
            let start_time = opt_lab_time(snapshot, "StartTime")?;
            let completes_at = match state {
                SnapshotState::Pending => start_time.saturating_add(SNAPSHOT_SECONDS),
                SnapshotState::Completed => start_time,
            };
            // E1: snapshots are numbered in the order they were taken; the
            // export's order stands in for it. What the volume held is not
            // in the export, so each imported snapshot is an empty disk
            // stored in full, the base later snapshots are counted from.
            let sequence = self.region.snapshot_sequence + 1;
            self.region.snapshot_sequence = sequence;
            let record = Snapshot {
                id: id.clone(),
                lineage: volume_id.clone(),
                volume_id,
                volume_size_gib: snapshot.required("VolumeSize")?.u32()?,
                state,
                start_time,
                completes_at,
                description: snapshot.opt_str("Description")?.unwrap_or("").to_owned(),
                encrypted: snapshot.bool_or("Encrypted", false)?,
                kms_key_id: non_empty(snapshot.opt_str("KmsKeyId")?).map(str::to_owned),
                data: DiskData::empty(),
                full: true,
                public: false,
                shared_with: Vec::new(),
                sequence,
                owner_id: self.owner(snapshot)?,
                tags: tags(snapshot, "Tags")?,
            };
            self.region.snapshots.insert(id, record);
        }
        Ok(())
    }

    /// AMIs. `RegionState::images` holds the account's own AMIs, but
    /// another owner's image the scenario lists (a public or shared AMI its
    /// instances were launched from) is kept there too, with its `OwnerId`:
    /// the lab can only launch from an image it holds or from its catalogue,
    /// and `Image::is_own` (owner = the lab's account) still tells "My AMIs"
    /// apart. Snapshots a mapping names need not be in the scenario: AWS
    /// shows AMIs whose snapshots the account can't see. (Launching from
    /// such an AMI still needs its snapshots: the core answers
    /// `InvalidSnapshot.NotFound` for one it does not hold.)
    fn images(&mut self, images: &[Node<'_>]) -> Result<(), ImportError> {
        for image in images {
            let id = ImageId::new(image.req_str("ImageId")?);
            let state = match image.get("State") {
                None => ImageState::Available,
                Some(node) => {
                    let state = node.parse(
                        "an image state the lab simulates (pending, available or deregistered)",
                        |text| match text {
                            "pending" => Some(Some(ImageState::Pending)),
                            "available" => Some(Some(ImageState::Available)),
                            // D5: a deregistered AMI launches nothing; it is left out.
                            "deregistered" => Some(None),
                            _ => None,
                        },
                    )?;
                    let Some(state) = state else { continue };
                    state
                }
            };
            let architecture = match image.get("Architecture") {
                None => Architecture::X86_64,
                Some(node) => node.parse(
                    "an architecture the lab simulates (x86_64 or arm64)",
                    |text| match text {
                        "x86_64" => Some(Architecture::X86_64),
                        "arm64" => Some(Architecture::Arm64),
                        _ => None,
                    },
                )?,
            };
            let root_device_type = match image.get("RootDeviceType") {
                None => RootDeviceType::Ebs,
                Some(node) => node.parse("ebs or instance-store", |text| match text {
                    "ebs" => Some(RootDeviceType::Ebs),
                    "instance-store" => Some(RootDeviceType::InstanceStore),
                    _ => None,
                })?,
            };
            let mut block_devices = Vec::new();
            for mapping in image.list("BlockDeviceMappings")? {
                let device_name = mapping.req_str("DeviceName")?.to_owned();
                // NoDevice takes a device out of the mapping: nothing to keep.
                if mapping.get("NoDevice").is_some() {
                    continue;
                }
                let ebs = match mapping.get("Ebs") {
                    Some(ebs) => Some(self.ebs_mapping(&ebs)?),
                    None => None,
                };
                let virtual_name = mapping.opt_str("VirtualName")?.map(str::to_owned);
                if ebs.is_none() && virtual_name.is_none() {
                    return Err(
                        mapping.error("a block device mapping needs Ebs, VirtualName or NoDevice")
                    );
                }
                block_devices.push(ImageBlockDevice {
                    device_name,
                    ebs,
                    virtual_name,
                });
            }
            let product_code = match image.list("ProductCodes")?.first() {
                Some(code) => Some(code.req_str("ProductCodeId")?.to_owned()),
                None => None,
            };
            let record = Image {
                id: id.clone(),
                name: image.opt_str("Name")?.unwrap_or("").to_owned(),
                description: image.opt_str("Description")?.unwrap_or("").to_owned(),
                architecture,
                root_device_name: image
                    .opt_str("RootDeviceName")?
                    .unwrap_or("/dev/xvda")
                    .to_owned(),
                root_device_type,
                block_devices,
                state,
                creation_time: opt_lab_time(image, "CreationDate")?,
                published: None,
                public: image.bool_or("Public", false)?,
                // describe-images does not show launch permissions.
                launch_permissions: Vec::new(),
                platform: image
                    .opt_str("PlatformDetails")?
                    .unwrap_or("Linux/UNIX")
                    .to_owned(),
                owner_id: self.owner(image)?,
                owner_alias: image.opt_str("ImageOwnerAlias")?.and_then(owner_alias),
                product_code,
                source_instance_id: image.opt_str("SourceInstanceId")?.map(InstanceId::new),
                catalogue: None,
                tags: tags(image, "Tags")?,
            };
            self.region.images.insert(id, record);
        }
        Ok(())
    }

    /// The `Ebs` part of an AMI's mapping entry (D1).
    fn ebs_mapping(&self, ebs: &Node<'_>) -> Result<EbsMapping, ImportError> {
        let snapshot_id = non_empty(ebs.opt_str("SnapshotId")?).map(SnapshotId::new);
        let snapshot = snapshot_id.as_ref().and_then(|id| self.region.snapshot(id));
        // The volume is the snapshot's size unless the mapping asks for more.
        let volume_size_gib = match ebs.opt_u32("VolumeSize")? {
            Some(size) => size,
            None => snapshot
                .as_ref()
                .map(|s| s.volume_size_gib)
                .ok_or_else(|| ebs.error("the member VolumeSize is missing"))?,
        };
        // E3: a volume made from an encrypted snapshot is encrypted.
        let snapshot_encrypted = snapshot.as_ref().is_some_and(|s| s.encrypted);
        Ok(EbsMapping {
            volume_size_gib,
            volume_type: volume_type(ebs)?,
            delete_on_termination: ebs.bool_or("DeleteOnTermination", true)?,
            encrypted: ebs.bool_or("Encrypted", snapshot_encrypted)?,
            kms_key_id: non_empty(ebs.opt_str("KmsKeyId")?).map(str::to_owned),
            iops: ebs.opt_u32("Iops")?,
            throughput: ebs.opt_u32("Throughput")?,
            snapshot_id,
        })
    }

    /// describe-volumes output. Each attachment must name an instance of the
    /// scenario in the volume's AZ (F1), and the instance's
    /// `BlockDeviceMappings` learn of it if they did not list it.
    fn volumes(&mut self, volumes: &[Node<'_>]) -> Result<(), ImportError> {
        for volume in volumes {
            let id = VolumeId::new(volume.req_str("VolumeId")?);
            let creating = match volume.get("State") {
                None => false,
                Some(node) => {
                    let state = node.parse(
                        "a volume state the lab simulates (creating, available, in-use, deleting or deleted)",
                        |text| match text {
                            "creating" => Some(Some(true)),
                            "available" | "in-use" => Some(Some(false)),
                            // F5: a volume on its way out is left out.
                            "deleting" | "deleted" => Some(None),
                            _ => None,
                        },
                    )?;
                    let Some(creating) = state else { continue };
                    creating
                }
            };
            let zone_node = volume.required("AvailabilityZone")?;
            let zone = zone_node.str()?;
            // F1: a volume lives in one AZ of the Region.
            if !self.region.info.zones.iter().any(|(name, _)| *name == zone) {
                let zones: Vec<&str> = self.region.info.zones.iter().map(|(n, _)| *n).collect();
                return Err(zone_node.error(format!(
                    "{zone} is not an Availability Zone of {} that the lab simulates ({})",
                    self.region.info.name,
                    zones.join(", ")
                )));
            }
            let size_gib = volume.required("Size")?.u32()?;
            let volume_type = volume_type(volume)?;
            let multi_attach = volume.bool_or("MultiAttachEnabled", false)?;
            // F3: only Provisioned IOPS volumes (io1, io2) can be Multi-Attach.
            if multi_attach && !volume_type.multi_attach_capable() {
                return Err(volume.required("MultiAttachEnabled")?.error(format!(
                    "only io1 and io2 volumes can have Multi-Attach enabled (F3); {id} is {volume_type}"
                )));
            }
            let mut attachments = Vec::new();
            for attachment in volume.list("Attachments")? {
                // F5: `detached` is the end of a detachment; nothing is left.
                if attachment.opt_str("State")? == Some("detached") {
                    continue;
                }
                let instance_node = attachment.required("InstanceId")?;
                let instance_id = InstanceId::new(instance_node.str()?);
                // Terminating an instance detaches its volumes (F4).
                if self.terminated.contains(&instance_id) {
                    continue;
                }
                let Some(instance) = self.region.instances.get(&instance_id) else {
                    return Err(instance_node.error(format!(
                        "{instance_id} is not in the scenario (add the output of aws ec2 describe-instances)"
                    )));
                };
                // F1: a volume attaches only to instances in its own AZ.
                if instance.availability_zone != zone {
                    return Err(instance_node.error(format!(
                        "{instance_id} is in {}, but {id} is in {zone}: a volume can be attached only to instances in its own Availability Zone (F1)",
                        instance.availability_zone
                    )));
                }
                let device_node = attachment.required("Device")?;
                let device = device_node.str()?;
                let listed = instance.block_devices.iter().find(|d| d.volume_id == id);
                match listed {
                    Some(listed) if listed.device_name != device => {
                        return Err(device_node.error(format!(
                            "{id} is at {device} here, but describe-instances lists it on {instance_id} at {}",
                            listed.device_name
                        )));
                    }
                    None => {
                        if let Some(other) = instance
                            .block_devices
                            .iter()
                            .find(|d| d.device_name == device)
                        {
                            return Err(device_node.error(format!(
                                "describe-instances lists {} at {device} on {instance_id}, not {id}",
                                other.volume_id
                            )));
                        }
                    }
                    Some(_) => {}
                }
                // F4: without the flag, a root volume goes with the
                // instance and any other stays.
                let delete_on_termination = match attachment.get("DeleteOnTermination") {
                    Some(node) => node.bool()?,
                    None => listed.map_or(device == instance.root_device_name, |d| {
                        d.delete_on_termination
                    }),
                };
                attachments.push(VolumeAttachment {
                    instance_id,
                    device: device.to_owned(),
                    delete_on_termination,
                    attach_time: opt_lab_time(&attachment, "AttachTime")?,
                });
            }
            // F3: only a Multi-Attach volume is attached to several instances.
            if attachments.len() > 1 && !multi_attach {
                return Err(volume.required("Attachments")?.error(format!(
                    "{id} is attached to {} instances, but only a volume with MultiAttachEnabled can be (F3)",
                    attachments.len()
                )));
            }
            // The attachments decide between `available` and `in-use` (F5).
            let state = if !attachments.is_empty() {
                VolumeState::InUse
            } else if creating {
                VolumeState::Creating
            } else {
                VolumeState::Available
            };
            for attachment in &attachments {
                let Some(instance) = self.region.instances.get_mut(&attachment.instance_id) else {
                    continue;
                };
                match instance
                    .block_devices
                    .iter_mut()
                    .find(|d| d.volume_id == id)
                {
                    // describe-volumes' flag wins; AWS shows the same in both.
                    Some(device) => device.delete_on_termination = attachment.delete_on_termination,
                    None => instance.block_devices.push(InstanceBlockDevice {
                        device_name: attachment.device.clone(),
                        volume_id: id.clone(),
                        delete_on_termination: attachment.delete_on_termination,
                    }),
                }
            }
            let record = Volume {
                id: id.clone(),
                availability_zone: zone.to_owned(),
                size_gib,
                volume_type,
                // F2: gp3 and gp2 have a baseline when the export leaves it out.
                iops: volume
                    .opt_u32("Iops")?
                    .or_else(|| volume_type.baseline_iops(size_gib)),
                // F2: a gp3 volume's throughput starts at 125 MiB/s.
                throughput: volume
                    .opt_u32("Throughput")?
                    .or((volume_type == VolumeType::Gp3).then_some(125)),
                encrypted: volume.bool_or("Encrypted", false)?,
                kms_key_id: non_empty(volume.opt_str("KmsKeyId")?).map(str::to_owned),
                // describe-volumes prints "" for a volume made from no snapshot.
                snapshot_id: non_empty(volume.opt_str("SnapshotId")?).map(SnapshotId::new),
                multi_attach,
                state,
                create_time: opt_lab_time(volume, "CreateTime")?,
                // What is on the volume is not in the export.
                data: DiskData::empty(),
                attachments,
                tags: tags(volume, "Tags")?,
            };
            self.region.volumes.insert(id, record);
        }
        Ok(())
    }

    /// Links each instance's `BlockDeviceMappings` with its volumes. A
    /// scenario with a `Volumes` key must hold every volume its instances
    /// use, each listing the attachment; one without it gets the volumes
    /// AWS made at launch, so describe-volumes, detaching and snapshots
    /// work on imported instances.
    fn instance_volumes(
        &mut self,
        reservations: &[Node<'_>],
        lists_volumes: bool,
    ) -> Result<(), ImportError> {
        for reservation in reservations {
            for instance_node in reservation.list("Instances")? {
                let id = InstanceId::new(instance_node.req_str("InstanceId")?);
                // Terminated instances were left out, and their volumes with them.
                let Some(instance) = self.region.instances.get(&id) else {
                    continue;
                };
                for mapping in instance_node.list("BlockDeviceMappings")? {
                    let Some(ebs) = mapping.get("Ebs") else {
                        continue;
                    };
                    let volume_node = ebs.required("VolumeId")?;
                    let volume_id = VolumeId::new(volume_node.str()?);
                    if lists_volumes {
                        let Some(volume) = self.region.volumes.get(&volume_id) else {
                            return Err(volume_node.error(format!(
                                "{volume_id} is not in the scenario (add the output of aws ec2 describe-volumes)"
                            )));
                        };
                        if !volume.attachments.iter().any(|a| a.instance_id == id) {
                            return Err(volume_node.error(format!(
                                "describe-volumes does not show {volume_id} attached to {id}: the two outputs disagree (take them at the same time)"
                            )));
                        }
                        continue;
                    }
                    let attach_time = opt_lab_time(&ebs, "AttachTime")?;
                    if self.region.volumes.contains_key(&volume_id) {
                        return Err(volume_node.error(format!(
                            "{volume_id} is attached more than once, which only a Multi-Attach volume can be (F3): add the output of aws ec2 describe-volumes so the lab knows its type"
                        )));
                    }
                    let Some(device) = instance
                        .block_devices
                        .iter()
                        .find(|d| d.volume_id == volume_id)
                    else {
                        continue;
                    };
                    let volume = self.launch_volume(instance, device, attach_time);
                    self.region.volumes.insert(volume_id, volume);
                }
            }
        }
        Ok(())
    }

    /// The volume AWS made for `device` when it launched `instance`: as
    /// the AMI's mapping for that device says, if the lab knows the AMI
    /// (from the scenario or its catalogue), else 8 GiB of gp3,
    /// unencrypted, as a Quick Start launch makes it. It is attached at the
    /// device, with the mapping's `DeleteOnTermination` (F4).
    fn launch_volume(
        &self,
        instance: &Instance,
        device: &InstanceBlockDevice,
        attach_time: u64,
    ) -> Volume {
        let mapping = self
            .region
            .image(&instance.image_id)
            .and_then(|image| {
                image
                    .block_devices
                    .into_iter()
                    .find(|d| d.device_name == device.device_name)
            })
            .and_then(|d| d.ebs);
        let mapping = mapping.unwrap_or(EbsMapping {
            snapshot_id: None,
            volume_size_gib: 8,
            volume_type: VolumeType::Gp3,
            delete_on_termination: device.delete_on_termination,
            encrypted: false,
            kms_key_id: None,
            iops: None,
            throughput: None,
        });
        Volume {
            id: device.volume_id.clone(),
            availability_zone: instance.availability_zone.clone(),
            size_gib: mapping.volume_size_gib,
            volume_type: mapping.volume_type,
            iops: mapping
                .iops
                .or_else(|| mapping.volume_type.baseline_iops(mapping.volume_size_gib)),
            throughput: mapping
                .throughput
                .or((mapping.volume_type == VolumeType::Gp3).then_some(125)),
            encrypted: mapping.encrypted,
            kms_key_id: mapping.kms_key_id,
            snapshot_id: mapping.snapshot_id,
            multi_attach: false,
            state: VolumeState::InUse,
            create_time: attach_time,
            data: DiskData::empty(),
            attachments: vec![VolumeAttachment {
                instance_id: instance.id.clone(),
                device: device.device_name.clone(),
                delete_on_termination: device.delete_on_termination,
                attach_time,
            }],
            tags: Tags::new(),
        }
    }

    fn addresses(&mut self, addresses: &[Node<'_>]) -> Result<(), ImportError> {
        for address in addresses {
            let public_ip = ipv4(&address.required("PublicIp")?)?;
            let allocation_id = AllocationId::new(
                address
                    .opt_str("AllocationId")?
                    .unwrap_or("eipalloc-unknown"),
            );
            let mut association = None;
            if let Some(eni_node) = address.get("NetworkInterfaceId") {
                let eni_id = NetworkInterfaceId::new(eni_node.str()?);
                let Some(eni) = self.region.network_interfaces.get_mut(&eni_id) else {
                    return Err(eni_node.error(format!("{eni_id} is not in the scenario (add the output of aws ec2 describe-network-interfaces or describe-instances)")));
                };
                eni.public_ip = Some(public_ip);
                eni.elastic_ip = Some(allocation_id.clone());
                let association_id = AssociationId::new(
                    address
                        .opt_str("AssociationId")?
                        .unwrap_or("eipassoc-unknown"),
                );
                association = Some((association_id, eni_id));
            }
            self.region.addresses.insert(
                allocation_id.clone(),
                Address {
                    allocation_id,
                    public_ip,
                    association,
                    tags: tags(address, "Tags")?,
                },
            );
        }
        Ok(())
    }

    /// What AWS always makes with a VPC but the scenario left out (B1, B2,
    /// C2, A6): the default network ACL (allowing everything), the main
    /// route table (the local route) and the default security group.
    fn fill_in_defaults(&mut self) {
        let vpcs: Vec<Vpc> = self.region.vpcs.values().cloned().collect();
        for mut vpc in vpcs {
            let d = digits(vpc.id.as_str()).to_owned();
            // The placeholders set on import must not name another resource.
            let has_default_acl = self
                .region
                .network_acls
                .get(&vpc.default_network_acl)
                .is_some_and(|a| a.is_default && a.vpc_id == vpc.id);
            if !has_default_acl {
                vpc.default_network_acl = NetworkAclId::new(unused_id("acl", &d, |c| {
                    self.region.network_acls.contains_key(&NetworkAclId::new(c))
                }));
            }
            let has_main_table = self
                .region
                .route_tables
                .get(&vpc.main_route_table)
                .is_some_and(|t| t.is_main() && t.vpc_id == vpc.id);
            if !has_main_table {
                vpc.main_route_table = RouteTableId::new(unused_id("rtb", &d, |c| {
                    self.region.route_tables.contains_key(&RouteTableId::new(c))
                }));
            }
            let has_default_group = self
                .region
                .security_groups
                .get(&vpc.default_security_group)
                .is_some_and(|g| g.name == "default" && g.vpc_id == vpc.id);
            if !has_default_group {
                vpc.default_security_group = SecurityGroupId::new(unused_id("sg", &d, |c| {
                    self.region
                        .security_groups
                        .contains_key(&SecurityGroupId::new(c))
                }));
            }
            self.region.vpcs.insert(vpc.id.clone(), vpc.clone());
            if !self
                .region
                .network_acls
                .contains_key(&vpc.default_network_acl)
            {
                self.region.network_acls.insert(
                    vpc.default_network_acl.clone(),
                    NetworkAcl::vpc_default(
                        vpc.default_network_acl.clone(),
                        vpc.id.clone(),
                        vpc.ipv6_cidr_block.is_some(),
                    ),
                );
            }
            if !self.region.route_tables.contains_key(&vpc.main_route_table) {
                let mut routes = vec![Route {
                    destination: IpNet::V4(vpc.cidr_block),
                    target: RouteTarget::Local,
                    blackhole: false,
                }];
                if let Some(v6) = vpc.ipv6_cidr_block {
                    routes.push(Route {
                        destination: IpNet::V6(v6),
                        target: RouteTarget::Local,
                        blackhole: false,
                    });
                }
                self.region.route_tables.insert(
                    vpc.main_route_table.clone(),
                    RouteTable {
                        id: vpc.main_route_table.clone(),
                        vpc_id: vpc.id.clone(),
                        routes,
                        associations: vec![RouteTableAssociation {
                            id: RouteTableAssociationId::new(format!(
                                "rtbassoc-{}",
                                digits(vpc.id.as_str())
                            )),
                            subnet_id: None,
                        }],
                        tags: Tags::new(),
                    },
                );
            }
            if !self
                .region
                .security_groups
                .contains_key(&vpc.default_security_group)
            {
                self.region.security_groups.insert(
                    vpc.default_security_group.clone(),
                    SecurityGroup::vpc_default(
                        vpc.default_security_group.clone(),
                        vpc.id.clone(),
                        vpc.ipv6_cidr_block.is_some(),
                    ),
                );
            }
        }
        // B1: every subnet uses exactly one network ACL: its VPC's default
        // one unless the scenario associates another.
        let unassociated: Vec<Subnet> = self
            .region
            .subnets
            .values()
            .filter(|s| self.region.network_acl_of(&s.id).is_none())
            .cloned()
            .collect();
        for subnet in unassociated {
            let default_acl = self
                .region
                .vpcs
                .get(&subnet.vpc_id)
                .map(|v| v.default_network_acl.clone());
            if let Some(acl) = default_acl.and_then(|id| self.region.network_acls.get_mut(&id)) {
                acl.associations.push((
                    NetworkAclAssociationId::new(format!(
                        "aclassoc-{}",
                        digits(subnet.id.as_str())
                    )),
                    subnet.id.clone(),
                ));
            }
        }
    }
}

fn parse_state(text: &str) -> Option<InstanceState> {
    Some(match text {
        "pending" => InstanceState::Pending,
        "running" => InstanceState::Running,
        "stopping" => InstanceState::Stopping,
        "stopped" => InstanceState::Stopped,
        "shutting-down" => InstanceState::ShuttingDown,
        "terminated" => InstanceState::Terminated,
        _ => return None,
    })
}

/// A route's target, from whichever `…Id` member it has (C2).
fn route_target(route: &Node<'_>) -> Result<RouteTarget, ImportError> {
    if let Some(gateway) = route.opt_str("GatewayId")? {
        if gateway == "local" {
            return Ok(RouteTarget::Local);
        }
        if gateway.starts_with("igw-") {
            return Ok(RouteTarget::InternetGateway(InternetGatewayId::new(
                gateway,
            )));
        }
        return Ok(RouteTarget::Other {
            field: "GatewayId".into(),
            id: gateway.to_owned(),
        });
    }
    for field in [
        "NatGatewayId",
        "InstanceId",
        "NetworkInterfaceId",
        "VpcPeeringConnectionId",
        "TransitGatewayId",
        "EgressOnlyInternetGatewayId",
        "LocalGatewayId",
        "CarrierGatewayId",
        "CoreNetworkArn",
    ] {
        if let Some(id) = route.opt_str(field)? {
            return Ok(RouteTarget::Other {
                field: field.into(),
                id: id.to_owned(),
            });
        }
    }
    Err(route.error("a route needs a target (GatewayId, NatGatewayId, …)"))
}

/// One `Entries` item of a network ACL (B8).
fn acl_entry(entry: &Node<'_>) -> Result<NetworkAclEntry, ImportError> {
    let number_node = entry.required("RuleNumber")?;
    let rule_number = u16::try_from(number_node.i64()?)
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| {
            number_node.error("a rule number is 1 to 32766 (or 32767/32768 for the * rules)")
        })?;
    let protocol = entry
        .required("Protocol")?
        .parse("a protocol number (-1, 6, 17, 1, 58…)", IpProtocol::parse)?;
    let action = entry
        .required("RuleAction")?
        .parse("allow or deny", |t| match t {
            "allow" => Some(RuleAction::Allow),
            "deny" => Some(RuleAction::Deny),
            _ => None,
        })?;
    let cidr_block = if let Some(v4) = entry.get("CidrBlock") {
        IpNet::V4(ipv4_net(&v4)?)
    } else if let Some(v6) = entry.get("Ipv6CidrBlock") {
        IpNet::V6(ipv6_net(&v6)?)
    } else {
        return Err(entry.error("an entry needs CidrBlock or Ipv6CidrBlock"));
    };
    let port_range = match entry.get("PortRange") {
        Some(range) => {
            let port = |key: &str| -> Result<u16, ImportError> {
                let node = range.required(key)?;
                u16::try_from(node.i64()?).map_err(|_| node.error("a port is 0 to 65535"))
            };
            Some((port("From")?, port("To")?))
        }
        None => None,
    };
    let icmp_type_code = match entry.get("IcmpTypeCode") {
        Some(icmp) => {
            let part = |key: &str| -> Result<i32, ImportError> {
                icmp.get(key).map_or(Ok(-1), |n| {
                    i32::try_from(n.i64()?).map_err(|_| n.error("out of range"))
                })
            };
            Some((part("Type")?, part("Code")?))
        }
        None => None,
    };
    Ok(NetworkAclEntry {
        rule_number,
        egress: entry.bool_or("Egress", false)?,
        protocol,
        action,
        cidr_block,
        port_range,
        icmp_type_code,
    })
}

/// Reads one file's text as a scenario document.
pub fn parse_document(file: &str, text: &str) -> Result<Document, ImportError> {
    let value: Value = serde_json::from_str(text).map_err(|e| ImportError {
        file: file.to_owned(),
        path: format!("line {}, column {}", e.line(), e.column()),
        message: format!("this is not valid JSON: {e}"),
    })?;
    Ok(Document {
        file: file.to_owned(),
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_as_the_aws_cli_prints_them() {
        // The lab's own clock writes LAB_EPOCH as 2026-01-05T09:00:00+00:00.
        let epoch = i64::try_from(LAB_EPOCH).ok();
        assert_eq!(unix_seconds("2026-01-05T09:00:00+00:00"), epoch);
        assert_eq!(unix_seconds("2026-01-05T09:00:00.000Z"), epoch);
        assert_eq!(unix_seconds("2026-01-05T10:30:00.123456+01:30"), epoch);
        assert_eq!(unix_seconds("2026-01-05 09:00:00+0000"), epoch);
        assert_eq!(unix_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(unix_seconds("2024-02-29T00:00:00Z"), Some(1_709_164_800));
        for bad in [
            "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T12:00:00",
            "2024-01-01T12:00:00.Z",
            "2024-01-01T12:00:00+1:00",
            "2024-1-01T12:00:00Z",
            "yesterday",
        ] {
            assert_eq!(unix_seconds(bad), None, "{bad}");
        }
    }
}
