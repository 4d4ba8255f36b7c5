//! Importing real configuration: the JSON that `aws ec2 describe-*` prints.
//!
//! A scenario is one JSON object holding any of the top-level keys the
//! describe commands print (`Vpcs`, `Subnets`, `InternetGateways`,
//! `RouteTables`, `NetworkAcls`, `SecurityGroups`, `Reservations`,
//! `NetworkInterfaces`, `Addresses`, `PrefixLists`), or several such files.
//! Field names are AWS's; unknown fields are ignored. A reference to a
//! resource the scenario does not hold, or a malformed value, is an error
//! naming the file and the JSON path. What AWS always has but the scenario
//! leaves out (a VPC's default network ACL, main route table or default
//! security group) is made up as AWS would have made it (B2, C2, A6), so a
//! partial export still traces the way the real account would.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use ec2lab_sim::{
    region_of_zone, Address, AllocationId, AssociationId, ImageId, Instance, InstanceId,
    InstanceState, InternetGateway, InternetGatewayId, IpProtocol, ManagedPrefixList, NetworkAcl,
    NetworkAclAssociationId, NetworkAclEntry, NetworkAclId, NetworkInterface, NetworkInterfaceId,
    PrefixListEntry, PrefixListId, RegionState, ReservationId, Route, RouteTable,
    RouteTableAssociation, RouteTableAssociationId, RouteTableId, RouteTarget, RuleAction,
    RulePeer, SecurityGroup, SecurityGroupId, SecurityGroupRule, Subnet, SubnetId, Tags, Vpc,
    VpcId, World, DEFAULT_REGION,
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
    let region_name = scenario_region(&all("Subnets"), &all("Reservations"))?;
    let mut region = RegionState::empty(&region_name).ok_or_else(|| ImportError {
        file: documents
            .first()
            .map_or_else(|| "<input>".to_owned(), |d| d.file.clone()),
        path: "$".into(),
        message: format!("the lab does not simulate the Region {region_name}"),
    })?;
    let mut importer = Importer {
        region: &mut region,
    };
    importer.vpcs(&all("Vpcs"))?;
    importer.subnets(&all("Subnets"))?;
    importer.internet_gateways(&all("InternetGateways"))?;
    importer.route_tables(&all("RouteTables"))?;
    importer.network_acls(&all("NetworkAcls"))?;
    importer.prefix_lists(&all("PrefixLists"))?;
    importer.security_groups(&all("SecurityGroups"))?;
    importer.network_interfaces(&all("NetworkInterfaces"))?;
    importer.instances(&all("Reservations"))?;
    importer.addresses(&all("Addresses"))?;
    importer.fill_in_defaults();
    Ok(World::from_snapshot([region]))
}

/// The Region of the scenario, from its AZ names (us-east-1 if it has none).
fn scenario_region(subnets: &[Node<'_>], reservations: &[Node<'_>]) -> Result<String, ImportError> {
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

struct Importer<'r> {
    region: &'r mut RegionState,
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
                let mut block_devices = Vec::new();
                for mapping in instance.list("BlockDeviceMappings")? {
                    if let Some(ebs) = mapping.get("Ebs") {
                        block_devices.push(ec2lab_sim::InstanceBlockDevice {
                            device_name: mapping.req_str("DeviceName")?.to_owned(),
                            volume_id: ec2lab_sim::VolumeId::new(ebs.req_str("VolumeId")?),
                            delete_on_termination: ebs.bool_or("DeleteOnTermination", true)?,
                        });
                    }
                }
                let record = Instance {
                    id: id.clone(),
                    reservation_id: reservation_id.clone(),
                    image_id: ImageId::new(instance.opt_str("ImageId")?.unwrap_or("ami-unknown")),
                    instance_type: instance
                        .opt_str("InstanceType")?
                        .unwrap_or("unknown")
                        .to_owned(),
                    state,
                    state_since: 0,
                    vpc_id: subnet.vpc_id.clone(),
                    subnet_id: subnet_id.clone(),
                    availability_zone: subnet.availability_zone.clone(),
                    network_interface_id: primary,
                    root_device_name: instance
                        .opt_str("RootDeviceName")?
                        .unwrap_or("/dev/xvda")
                        .to_owned(),
                    root_device_type: match instance.opt_str("RootDeviceType")? {
                        Some("instance-store") => ec2lab_sim::RootDeviceType::InstanceStore,
                        _ => ec2lab_sim::RootDeviceType::Ebs,
                    },
                    block_devices,
                    instance_store: Vec::new(),
                    launch_time: 0,
                    billed_seconds: 0,
                    running_since: (state == InstanceState::Running).then_some(0),
                    shutdown_behavior: ec2lab_sim::ShutdownBehavior::Stop,
                    public_ip_on_launch: instance.get("PublicIpAddress").is_some(),
                    hibernation_configured: false,
                    hibernating: false,
                    boot_count: 1,
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
