//! `describe-*` responses in AWS's shapes and field names (section L of
//! `aws-behaviour.md`), with the commonest filters.

use std::collections::BTreeMap;

use ec2lab_sim::{
    InternetGateway, IpProtocol, NetworkAcl, NetworkAclEntry, RegionState, RouteTable, RouteTarget,
    RulePeer, SecurityGroup, SecurityGroupId, SecurityGroupRule, Subnet, Tags, Vpc,
};
use ipnet::IpNet;
use serde_json::{json, Map, Value};

/// The simulated account's id, as `OwnerId` shows it.
pub const ACCOUNT_ID: &str = "123456789012";

/// Answers a describe operation.
pub(crate) fn describe(
    state: &RegionState,
    op: &str,
    body: &Value,
    now: u64,
) -> Result<Value, crate::operations::Fail> {
    let filters = Filters::from(body);
    let ids = |key: &str| -> Vec<String> {
        body.get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    let not_found = |code: &'static str, what: &str, missing: &str| {
        crate::operations::Fail(code, format!("The {what} ID '{missing}' does not exist"))
    };
    macro_rules! select {
        ($items:expr, $id:expr, $ids_key:literal, $code:literal, $what:literal, $json:expr, $fields:expr) => {{
            let wanted = ids($ids_key);
            for id in &wanted {
                if !$items.clone().any(|item| $id(item) == *id) {
                    return Err(not_found($code, $what, id));
                }
            }
            $items
                .filter(|item| wanted.is_empty() || wanted.iter().any(|w| *w == $id(*item)))
                .filter(|item| filters.matches(&$fields(*item)))
                .map($json)
                .collect::<Vec<Value>>()
        }};
    }
    Ok(match op {
        "describe-vpcs" => {
            let items = select!(
                state.vpcs.values(),
                |v: &Vpc| v.id.to_string(),
                "VpcIds",
                "InvalidVpcID.NotFound",
                "vpc",
                vpc_json,
                |v: &Vpc| fields(
                    &[
                        ("vpc-id", v.id.to_string()),
                        ("cidr", v.cidr_block.to_string()),
                        (
                            "cidr-block-association.cidr-block",
                            v.cidr_block.to_string()
                        ),
                        ("is-default", v.is_default.to_string()),
                        ("state", "available".into()),
                    ],
                    &v.tags
                )
            );
            json!({ "Vpcs": items })
        }
        "describe-subnets" => {
            let items = select!(
                state.subnets.values(),
                |s: &Subnet| s.id.to_string(),
                "SubnetIds",
                "InvalidSubnetID.NotFound",
                "subnet",
                |s| subnet_json(state, s),
                |s: &Subnet| fields(
                    &[
                        ("subnet-id", s.id.to_string()),
                        ("vpc-id", s.vpc_id.to_string()),
                        ("availability-zone", s.availability_zone.clone()),
                        ("cidr-block", s.cidr_block.to_string()),
                        (
                            "map-public-ip-on-launch",
                            s.map_public_ip_on_launch.to_string()
                        ),
                        ("state", "available".into()),
                    ],
                    &s.tags
                )
            );
            json!({ "Subnets": items })
        }
        "describe-internet-gateways" => {
            let items = select!(
                state.internet_gateways.values(),
                |g: &InternetGateway| g.id.to_string(),
                "InternetGatewayIds",
                "InvalidInternetGatewayID.NotFound",
                "internetGateway",
                internet_gateway_json,
                |g: &InternetGateway| fields(
                    &[
                        ("internet-gateway-id", g.id.to_string()),
                        (
                            "attachment.vpc-id",
                            g.attached_vpc
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default()
                        ),
                    ],
                    &g.tags
                )
            );
            json!({ "InternetGateways": items })
        }
        "describe-route-tables" => {
            let items = select!(
                state.route_tables.values(),
                |t: &RouteTable| t.id.to_string(),
                "RouteTableIds",
                "InvalidRouteTableID.NotFound",
                "routeTable",
                route_table_json,
                |t: &RouteTable| {
                    let mut f = fields(
                        &[
                            ("route-table-id", t.id.to_string()),
                            ("vpc-id", t.vpc_id.to_string()),
                            ("association.main", t.is_main().to_string()),
                        ],
                        &t.tags,
                    );
                    for a in &t.associations {
                        if let Some(subnet) = &a.subnet_id {
                            f.push(("association.subnet-id".into(), subnet.to_string()));
                        }
                    }
                    f
                }
            );
            json!({ "RouteTables": items })
        }
        "describe-network-acls" => {
            let items = select!(
                state.network_acls.values(),
                |a: &NetworkAcl| a.id.to_string(),
                "NetworkAclIds",
                "InvalidNetworkAclID.NotFound",
                "networkAcl",
                network_acl_json,
                |a: &NetworkAcl| {
                    let mut f = fields(
                        &[
                            ("network-acl-id", a.id.to_string()),
                            ("vpc-id", a.vpc_id.to_string()),
                            ("default", a.is_default.to_string()),
                        ],
                        &a.tags,
                    );
                    for (association, subnet) in &a.associations {
                        f.push(("association.subnet-id".into(), subnet.to_string()));
                        f.push(("association.association-id".into(), association.to_string()));
                    }
                    f
                }
            );
            json!({ "NetworkAcls": items })
        }
        "describe-security-groups" => {
            let names = ids("GroupNames");
            let mut items = select!(
                state.security_groups.values(),
                |g: &SecurityGroup| g.id.to_string(),
                "GroupIds",
                "InvalidGroup.NotFound",
                "security group",
                |g| security_group_json(state.name(), g),
                |g: &SecurityGroup| fields(
                    &[
                        ("group-id", g.id.to_string()),
                        ("group-name", g.name.clone()),
                        ("vpc-id", g.vpc_id.to_string()),
                        ("description", g.description.clone()),
                    ],
                    &g.tags
                )
            );
            if !names.is_empty() {
                items.retain(|g| {
                    names
                        .iter()
                        .any(|n| g.get("GroupName").and_then(Value::as_str) == Some(n.as_str()))
                });
            }
            json!({ "SecurityGroups": items })
        }
        "describe-instances" => {
            let wanted = ids("InstanceIds");
            for id in &wanted {
                if !state.instances.keys().any(|i| i.as_str() == id) {
                    return Err(crate::operations::Fail(
                        "InvalidInstanceID.NotFound",
                        format!("The instance ID '{id}' does not exist"),
                    ));
                }
            }
            let mut reservations: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for instance in state.instances.values() {
                if !wanted.is_empty() && !wanted.iter().any(|w| w == instance.id.as_str()) {
                    continue;
                }
                let f = fields(
                    &[
                        ("instance-id", instance.id.to_string()),
                        ("instance-state-name", instance.state.name().into()),
                        ("subnet-id", instance.subnet_id.to_string()),
                        ("vpc-id", instance.vpc_id.to_string()),
                        ("instance-type", instance.instance_type.clone()),
                        ("availability-zone", instance.availability_zone.clone()),
                        ("instance-state-code", instance.state.code().to_string()),
                        ("image-id", instance.image_id.to_string()),
                        ("root-device-type", instance.root_device_type.to_string()),
                        ("reservation-id", instance.reservation_id.to_string()),
                        (
                            "private-ip-address",
                            state
                                .primary_interface(instance)
                                .map(|e| e.private_ip.to_string())
                                .unwrap_or_default(),
                        ),
                        (
                            "ip-address",
                            state
                                .primary_interface(instance)
                                .and_then(|e| e.public_ip)
                                .map(|ip| ip.to_string())
                                .unwrap_or_default(),
                        ),
                    ],
                    &instance.tags,
                );
                let mut f = f;
                for device in &instance.block_devices {
                    f.push((
                        "block-device-mapping.volume-id".into(),
                        device.volume_id.to_string(),
                    ));
                    f.push((
                        "block-device-mapping.device-name".into(),
                        device.device_name.clone(),
                    ));
                }
                for group in state
                    .primary_interface(instance)
                    .map(|e| e.security_groups.clone())
                    .unwrap_or_default()
                {
                    f.push(("instance.group-id".into(), group.to_string()));
                }
                if filters.matches(&f) {
                    reservations
                        .entry(instance.reservation_id.to_string())
                        .or_default()
                        .push(crate::compute::instance_json(state, instance));
                }
            }
            let reservations: Vec<Value> = reservations
                .into_iter()
                .map(|(id, instances)| json!({ "ReservationId": id, "OwnerId": ACCOUNT_ID, "Groups": [], "Instances": instances }))
                .collect();
            json!({ "Reservations": reservations })
        }
        "describe-network-interfaces" => {
            let items: Vec<Value> = state
                .network_interfaces
                .values()
                .filter(|e| {
                    let wanted = ids("NetworkInterfaceIds");
                    wanted.is_empty() || wanted.iter().any(|w| w == e.id.as_str())
                })
                .filter(|e| {
                    filters.matches(&fields(
                        &[
                            ("network-interface-id", e.id.to_string()),
                            ("subnet-id", e.subnet_id.to_string()),
                            ("vpc-id", e.vpc_id.to_string()),
                            ("description", e.description.clone()),
                            (
                                "requester-managed",
                                state.is_efs_mount_target_interface(&e.id).to_string(),
                            ),
                        ],
                        &e.tags,
                    ))
                })
                .map(|e| {
                    let mut v = interface_json(state, e);
                    // J3: EFS made a mount target's interface and manages it;
                    // it is in use though no instance is attached.
                    let efs = state.is_efs_mount_target_interface(&e.id);
                    if let Value::Object(map) = &mut v {
                        map.insert("TagSet".into(), tags_json(&e.tags));
                        map.insert("InterfaceType".into(), json!("interface"));
                        map.insert("RequesterManaged".into(), json!(efs));
                        if efs {
                            map.insert("Status".into(), json!("in-use"));
                        }
                    }
                    v
                })
                .collect();
            json!({ "NetworkInterfaces": items })
        }
        "describe-addresses" => {
            let allocations = ids("AllocationIds");
            let public_ips = ids("PublicIps");
            for id in &allocations {
                if !state.addresses.keys().any(|a| a.as_str() == id) {
                    return Err(crate::operations::Fail(
                        "InvalidAllocationID.NotFound",
                        format!("The allocation ID '{id}' does not exist"),
                    ));
                }
            }
            for ip in &public_ips {
                if !state
                    .addresses
                    .values()
                    .any(|a| a.public_ip.to_string() == *ip)
                {
                    return Err(crate::operations::Fail(
                        "InvalidAddress.NotFound",
                        format!("Address '{ip}' not found."),
                    ));
                }
            }
            let items: Vec<Value> = state
                .addresses
                .values()
                .filter(|a| allocations.is_empty() || allocations.iter().any(|w| w == a.allocation_id.as_str()))
                .filter(|a| public_ips.is_empty() || public_ips.iter().any(|w| *w == a.public_ip.to_string()))
                .map(|a| {
                    let mut v = json!({ "AllocationId": a.allocation_id.as_str(), "PublicIp": a.public_ip.to_string(), "Domain": "vpc", "Tags": tags_json(&a.tags) });
                    if let (Value::Object(map), Some((association, eni))) = (&mut v, &a.association) {
                        map.insert("AssociationId".into(), json!(association.as_str()));
                        map.insert("NetworkInterfaceId".into(), json!(eni.as_str()));
                        if let Some(interface) = state.network_interfaces.get(eni) {
                            map.insert("NetworkInterfaceOwnerId".into(), json!(ACCOUNT_ID));
                            map.insert("PrivateIpAddress".into(), json!(interface.private_ip.to_string()));
                            if let Some(instance) = &interface.instance_id {
                                map.insert("InstanceId".into(), json!(instance.as_str()));
                            }
                        }
                    }
                    v
                })
                .collect();
            json!({ "Addresses": items })
        }
        "describe-managed-prefix-lists" => {
            let items: Vec<Value> = state
                .prefix_lists
                .values()
                .map(|p| json!({
                    "PrefixListId": p.id.as_str(),
                    "PrefixListName": p.name,
                    "MaxEntries": p.max_entries,
                    "AddressFamily": if p.entries.iter().all(|e| matches!(e.cidr, IpNet::V4(_))) { "IPv4" } else { "IPv6" },
                    "OwnerId": ACCOUNT_ID,
                    "Tags": tags_json(&p.tags),
                }))
                .collect();
            json!({ "PrefixLists": items })
        }
        "describe-tags" => {
            // One entry per tag, ordered by resource then key; filters on
            // key, value, resource-id and resource-type.
            let items: Vec<Value> = state
                .tagged_resources()
                .into_iter()
                .flat_map(|(id, kind, tags)| {
                    tags.iter().map(move |(key, value)| (id, kind, key, value))
                })
                .filter(|(id, kind, key, value)| {
                    filters.matches(&[
                        ("key".into(), (*key).to_owned()),
                        ("value".into(), (*value).to_owned()),
                        ("resource-id".into(), (*id).to_owned()),
                        ("resource-type".into(), (*kind).to_owned()),
                    ])
                })
                .map(|(id, kind, key, value)| {
                    json!({ "Key": key, "ResourceId": id, "ResourceType": kind, "Value": value })
                })
                .collect();
            json!({ "Tags": items })
        }
        other => {
            return crate::compute::describe(state, other, body, now)
                .or_else(|| crate::storage::describe(state, other, body))
                .or_else(|| crate::launch_templates::describe(state, other, body))
                .unwrap_or_else(|| Ok(json!({})))
        }
    })
}

/// `--filters Name=…,Values=…`: every filter must match one of its values
/// (`*` is a wildcard, as in AWS).
pub(crate) struct Filters(Vec<(String, Vec<String>)>);

impl Filters {
    pub(crate) fn from(body: &Value) -> Self {
        let filters = body
            .get("Filters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|f| {
                let name = f.get("Name")?.as_str()?.to_owned();
                let values = f
                    .get("Values")?
                    .as_array()?
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
                Some((name, values))
            })
            .collect();
        Self(filters)
    }

    pub(crate) fn matches(&self, fields: &[(String, String)]) -> bool {
        self.0.iter().all(|(name, values)| {
            fields
                .iter()
                .filter(|(n, _)| n == name)
                .any(|(_, v)| values.iter().any(|pattern| glob(pattern, v)))
        })
    }
}

fn glob(pattern: &str, value: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == value,
        Some((prefix, rest)) => {
            value.starts_with(prefix)
                && (rest.is_empty()
                    || (0..=value.len() - prefix.len()).any(|i| {
                        value
                            .get(prefix.len() + i..)
                            .is_some_and(|tail| glob(rest, tail))
                    }))
        }
    }
}

pub(crate) fn fields(pairs: &[(&str, String)], tags: &Tags) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    for (key, value) in tags.iter() {
        out.push((format!("tag:{key}"), value.to_owned()));
        out.push(("tag-key".into(), key.to_owned()));
    }
    out
}

/// `Tags: [{Key, Value}]`.
pub fn tags_json(tags: &Tags) -> Value {
    Value::Array(
        tags.iter()
            .map(|(k, v)| json!({ "Key": k, "Value": v }))
            .collect(),
    )
}

/// A VPC as `describe-vpcs` prints it.
pub fn vpc_json(vpc: &Vpc) -> Value {
    let mut v = json!({
        "VpcId": vpc.id.as_str(),
        "CidrBlock": vpc.cidr_block.to_string(),
        "State": "available",
        "OwnerId": ACCOUNT_ID,
        "InstanceTenancy": "default",
        "IsDefault": vpc.is_default,
        "CidrBlockAssociationSet": [{ "CidrBlock": vpc.cidr_block.to_string(), "CidrBlockState": { "State": "associated" } }],
        "Tags": tags_json(&vpc.tags),
    });
    if let (Value::Object(map), Some(v6)) = (&mut v, vpc.ipv6_cidr_block) {
        map.insert("Ipv6CidrBlockAssociationSet".into(), json!([{ "Ipv6CidrBlock": v6.to_string(), "Ipv6CidrBlockState": { "State": "associated" } }]));
    }
    v
}

/// A subnet as `describe-subnets` prints it.
pub fn subnet_json(state: &RegionState, subnet: &Subnet) -> Value {
    let used = state
        .network_interfaces
        .values()
        .filter(|e| e.subnet_id == subnet.id)
        .map(|e| 1 + e.secondary_private_ips.len())
        .sum::<usize>();
    let available = (subnet.usable_address_count() as usize).saturating_sub(used);
    json!({
        "SubnetId": subnet.id.as_str(),
        "VpcId": subnet.vpc_id.as_str(),
        "CidrBlock": subnet.cidr_block.to_string(),
        "AvailabilityZone": subnet.availability_zone,
        "AvailabilityZoneId": ec2lab_sim::zone_id(&subnet.availability_zone),
        "AvailableIpAddressCount": available,
        "DefaultForAz": false,
        "MapPublicIpOnLaunch": subnet.map_public_ip_on_launch,
        "State": "available",
        "OwnerId": ACCOUNT_ID,
        "Ipv6CidrBlockAssociationSet": subnet.ipv6_cidr_block.map(|b| vec![json!({ "Ipv6CidrBlock": b.to_string(), "Ipv6CidrBlockState": { "State": "associated" } })]).unwrap_or_default(),
        "Tags": tags_json(&subnet.tags),
        "SubnetArn": format!("arn:aws:ec2:{}:{ACCOUNT_ID}:subnet/{}", state.name(), subnet.id),
    })
}

/// An internet gateway as `describe-internet-gateways` prints it.
pub fn internet_gateway_json(igw: &InternetGateway) -> Value {
    let attachments: Vec<Value> = igw
        .attached_vpc
        .iter()
        .map(|vpc| json!({ "State": "available", "VpcId": vpc.as_str() }))
        .collect();
    json!({ "InternetGatewayId": igw.id.as_str(), "Attachments": attachments, "OwnerId": ACCOUNT_ID, "Tags": tags_json(&igw.tags) })
}

/// A route table as `describe-route-tables` prints it (C2).
pub fn route_table_json(table: &RouteTable) -> Value {
    let routes: Vec<Value> = table
        .routes
        .iter()
        .map(|route| {
            let mut map = Map::new();
            match route.destination {
                IpNet::V4(net) => map.insert("DestinationCidrBlock".into(), json!(net.to_string())),
                IpNet::V6(net) => {
                    map.insert("DestinationIpv6CidrBlock".into(), json!(net.to_string()))
                }
            };
            match &route.target {
                RouteTarget::Local => map.insert("GatewayId".into(), json!("local")),
                RouteTarget::InternetGateway(id) => {
                    map.insert("GatewayId".into(), json!(id.as_str()))
                }
                RouteTarget::Other { field, id } => map.insert(field.clone(), json!(id)),
            };
            let origin = if route.target == RouteTarget::Local {
                "CreateRouteTable"
            } else {
                "CreateRoute"
            };
            map.insert("Origin".into(), json!(origin));
            map.insert(
                "State".into(),
                json!(if route.blackhole {
                    "blackhole"
                } else {
                    "active"
                }),
            );
            Value::Object(map)
        })
        .collect();
    let associations: Vec<Value> = table
        .associations
        .iter()
        .map(|a| {
            let mut v = json!({ "Main": a.subnet_id.is_none(), "RouteTableAssociationId": a.id.as_str(), "RouteTableId": table.id.as_str(), "AssociationState": { "State": "associated" } });
            if let (Value::Object(map), Some(subnet)) = (&mut v, &a.subnet_id) {
                map.insert("SubnetId".into(), json!(subnet.as_str()));
            }
            v
        })
        .collect();
    json!({ "RouteTableId": table.id.as_str(), "VpcId": table.vpc_id.as_str(), "Routes": routes, "Associations": associations, "PropagatingVgws": [], "OwnerId": ACCOUNT_ID, "Tags": tags_json(&table.tags) })
}

/// A network ACL entry as AWS prints it (B8): `Protocol` as a number string.
pub fn network_acl_entry_json(entry: &NetworkAclEntry) -> Value {
    let mut map = Map::new();
    map.insert("RuleNumber".into(), json!(entry.rule_number));
    map.insert("Protocol".into(), json!(entry.protocol.as_number_string()));
    map.insert("RuleAction".into(), json!(entry.action.to_string()));
    map.insert("Egress".into(), json!(entry.egress));
    match entry.cidr_block {
        IpNet::V4(net) => map.insert("CidrBlock".into(), json!(net.to_string())),
        IpNet::V6(net) => map.insert("Ipv6CidrBlock".into(), json!(net.to_string())),
    };
    if let Some((from, to)) = entry.port_range {
        map.insert("PortRange".into(), json!({ "From": from, "To": to }));
    }
    if let Some((t, c)) = entry.icmp_type_code {
        map.insert("IcmpTypeCode".into(), json!({ "Type": t, "Code": c }));
    }
    Value::Object(map)
}

/// A network ACL as `describe-network-acls` prints it.
pub fn network_acl_json(acl: &NetworkAcl) -> Value {
    // AWS lists outbound then inbound entries, each by rule number.
    let entries: Vec<Value> = acl
        .entries(true)
        .chain(acl.entries(false))
        .map(network_acl_entry_json)
        .collect();
    let associations: Vec<Value> = acl
        .associations
        .iter()
        .map(|(id, subnet)| json!({ "NetworkAclAssociationId": id.as_str(), "NetworkAclId": acl.id.as_str(), "SubnetId": subnet.as_str() }))
        .collect();
    json!({ "NetworkAclId": acl.id.as_str(), "VpcId": acl.vpc_id.as_str(), "IsDefault": acl.is_default, "Entries": entries, "Associations": associations, "OwnerId": ACCOUNT_ID, "Tags": tags_json(&acl.tags) })
}

/// Rules grouped into `IpPermissions` the way AWS prints them: one
/// permission per protocol and port range, holding all its peers (A10).
fn permissions_json(rules: &[SecurityGroupRule]) -> Value {
    let mut order: Vec<(IpProtocol, Option<(i32, i32)>)> = Vec::new();
    for rule in rules {
        if !order.contains(&(rule.protocol, rule.ports)) {
            order.push((rule.protocol, rule.ports));
        }
    }
    let permissions: Vec<Value> = order
        .into_iter()
        .map(|(protocol, ports)| {
            let mut map = Map::new();
            map.insert("IpProtocol".into(), json!(protocol.to_string()));
            if let Some((from, to)) = ports {
                map.insert("FromPort".into(), json!(from));
                map.insert("ToPort".into(), json!(to));
            }
            let mine = rules
                .iter()
                .filter(|r| r.protocol == protocol && r.ports == ports);
            let (mut v4, mut v6, mut lists, mut pairs) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for rule in mine {
                let with_description = |mut v: Value| {
                    if let (Value::Object(m), Some(d)) = (&mut v, &rule.description) {
                        m.insert("Description".into(), json!(d));
                    }
                    v
                };
                match &rule.peer {
                    RulePeer::Cidr(net) => {
                        v4.push(with_description(json!({ "CidrIp": net.to_string() })));
                    }
                    RulePeer::Ipv6Cidr(net) => {
                        v6.push(with_description(json!({ "CidrIpv6": net.to_string() })));
                    }
                    RulePeer::PrefixList(id) => {
                        lists.push(with_description(json!({ "PrefixListId": id.as_str() })));
                    }
                    RulePeer::SecurityGroup(id) => pairs.push(with_description(
                        json!({ "GroupId": id.as_str(), "UserId": ACCOUNT_ID }),
                    )),
                }
            }
            map.insert("IpRanges".into(), Value::Array(v4));
            map.insert("Ipv6Ranges".into(), Value::Array(v6));
            map.insert("PrefixListIds".into(), Value::Array(lists));
            map.insert("UserIdGroupPairs".into(), Value::Array(pairs));
            Value::Object(map)
        })
        .collect();
    Value::Array(permissions)
}

/// A security group as `describe-security-groups` prints it (A10).
pub fn security_group_json(region: &str, group: &SecurityGroup) -> Value {
    json!({
        "GroupId": group.id.as_str(),
        "GroupName": group.name,
        "Description": group.description,
        "VpcId": group.vpc_id.as_str(),
        "OwnerId": ACCOUNT_ID,
        "IpPermissions": permissions_json(&group.ingress),
        "IpPermissionsEgress": permissions_json(&group.egress),
        "Tags": tags_json(&group.tags),
        "SecurityGroupArn": format!("arn:aws:ec2:{region}:{ACCOUNT_ID}:security-group/{}", group.id),
    })
}

/// One rule as `AuthorizeSecurityGroupIngress` returns it (`SecurityGroupRules`).
pub fn security_group_rule_json(
    group: &SecurityGroupId,
    egress: bool,
    rule: &SecurityGroupRule,
) -> Value {
    let mut map = Map::new();
    map.insert("GroupId".into(), json!(group.as_str()));
    map.insert("GroupOwnerId".into(), json!(ACCOUNT_ID));
    map.insert("IsEgress".into(), json!(egress));
    map.insert("IpProtocol".into(), json!(rule.protocol.to_string()));
    let (from, to) = rule.ports.unwrap_or((-1, -1));
    map.insert("FromPort".into(), json!(from));
    map.insert("ToPort".into(), json!(to));
    match &rule.peer {
        RulePeer::Cidr(net) => map.insert("CidrIpv4".into(), json!(net.to_string())),
        RulePeer::Ipv6Cidr(net) => map.insert("CidrIpv6".into(), json!(net.to_string())),
        RulePeer::PrefixList(id) => map.insert("PrefixListId".into(), json!(id.as_str())),
        RulePeer::SecurityGroup(id) => map.insert(
            "ReferencedGroupInfo".into(),
            json!({ "GroupId": id.as_str(), "UserId": ACCOUNT_ID }),
        ),
    };
    if let Some(d) = &rule.description {
        map.insert("Description".into(), json!(d));
    }
    Value::Object(map)
}

pub(crate) fn group_identifiers(state: &RegionState, groups: &[SecurityGroupId]) -> Value {
    Value::Array(
        groups
            .iter()
            .map(|id| json!({ "GroupId": id.as_str(), "GroupName": state.security_groups.get(id).map_or("", |g| g.name.as_str()) }))
            .collect(),
    )
}

pub(crate) fn interface_json(state: &RegionState, eni: &ec2lab_sim::NetworkInterface) -> Value {
    let association = eni
        .public_ip
        .map(|ip| json!({ "PublicIp": ip.to_string(), "IpOwnerId": "amazon" }));
    let mut private: Vec<Value> = vec![
        json!({ "Primary": true, "PrivateIpAddress": eni.private_ip.to_string(), "Association": association }),
    ];
    private.extend(
        eni.secondary_private_ips
            .iter()
            .map(|ip| json!({ "Primary": false, "PrivateIpAddress": ip.to_string() })),
    );
    json!({
        "NetworkInterfaceId": eni.id.as_str(),
        "SubnetId": eni.subnet_id.as_str(),
        "VpcId": eni.vpc_id.as_str(),
        "AvailabilityZone": eni.availability_zone,
        "Description": eni.description,
        "PrivateIpAddress": eni.private_ip.to_string(),
        "PrivateIpAddresses": private,
        "Ipv6Addresses": eni.ipv6_addresses.iter().map(|ip| json!({ "Ipv6Address": ip.to_string() })).collect::<Vec<_>>(),
        "Association": association,
        "Groups": group_identifiers(state, &eni.security_groups),
        "Status": if eni.instance_id.is_some() { "in-use" } else { "available" },
        "SourceDestCheck": true,
        "Attachment": eni.instance_id.as_ref().map(|id| json!({ "InstanceId": id.as_str(), "DeviceIndex": 0, "Status": "attached" })),
        "OwnerId": ACCOUNT_ID,
    })
}
