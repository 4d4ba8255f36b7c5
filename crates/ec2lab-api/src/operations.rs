//! `aws ec2 …` commands: each operation's options, how its request becomes
//! a core [`Command`], and its response in AWS's field names (section L of
//! `aws-behaviour.md`).

use ec2lab_awscli::{build_request, parse_call, Operation, Shape};
use ec2lab_sim::{
    Command, InternetGatewayId, IpProtocol, NetworkAclAssociationId, NetworkAclEntry, NetworkAclId,
    RegionState, Response, RouteTableId, RulePeer, SecurityGroupId, SecurityGroupRule, SubnetId,
    Tags, VpcId,
};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde_json::{json, Value};

use crate::describe;
use crate::output::OutputFormat;
use crate::session::{LineError, Outcome, Session};

pub(crate) fn s() -> Shape {
    Shape::String
}
pub(crate) fn i() -> Shape {
    Shape::Integer
}
pub(crate) fn b() -> Shape {
    Shape::Boolean
}
pub(crate) fn list(shape: Shape) -> Shape {
    Shape::List(Box::new(shape))
}
pub(crate) fn structure(members: Vec<(&'static str, Shape)>) -> Shape {
    Shape::Structure(members)
}

fn ip_permission() -> Shape {
    structure(vec![
        ("IpProtocol", s()),
        ("FromPort", i()),
        ("ToPort", i()),
        (
            "IpRanges",
            list(structure(vec![("CidrIp", s()), ("Description", s())])),
        ),
        (
            "Ipv6Ranges",
            list(structure(vec![("CidrIpv6", s()), ("Description", s())])),
        ),
        (
            "PrefixListIds",
            list(structure(vec![("PrefixListId", s()), ("Description", s())])),
        ),
        (
            "UserIdGroupPairs",
            list(structure(vec![
                ("GroupId", s()),
                ("GroupName", s()),
                ("UserId", s()),
                ("VpcId", s()),
                ("VpcPeeringConnectionId", s()),
                ("Description", s()),
            ])),
        ),
    ])
}

pub(crate) fn filters() -> Shape {
    list(structure(vec![("Name", s()), ("Values", list(s()))]))
}

/// `Tags: [{Key, Value}]`.
pub(crate) fn tag_list() -> Shape {
    list(structure(vec![("Key", s()), ("Value", s())]))
}

pub(crate) fn tag_specifications() -> Shape {
    list(structure(vec![("ResourceType", s()), ("Tags", tag_list())]))
}

fn acl_entry_members() -> Vec<(&'static str, Shape)> {
    vec![
        ("NetworkAclId", s()),
        ("RuleNumber", i()),
        ("Protocol", s()),
        ("RuleAction", s()),
        ("Egress", b()),
        ("Ingress", b()),
        ("CidrBlock", s()),
        ("Ipv6CidrBlock", s()),
        ("PortRange", structure(vec![("From", i()), ("To", i())])),
        (
            "IcmpTypeCode",
            structure(vec![("Type", i()), ("Code", i())]),
        ),
        ("DryRun", b()),
    ]
}

fn authorize_members() -> Vec<(&'static str, Shape)> {
    vec![
        ("GroupId", s()),
        ("GroupName", s()),
        ("IpPermissions", list(ip_permission())),
        ("Protocol", s()),
        ("Port", s()),
        ("Cidr", s()),
        ("SourceGroup", s()),
        ("GroupOwner", s()),
        ("TagSpecifications", tag_specifications()),
        ("DryRun", b()),
    ]
}

fn describe_members(ids: &'static str) -> Vec<(&'static str, Shape)> {
    vec![
        (ids, list(s())),
        ("Filters", filters()),
        ("DryRun", b()),
        ("MaxResults", i()),
        ("NextToken", s()),
    ]
}

/// CreateTags' and DeleteTags' options.
fn tagging() -> Vec<(&'static str, Shape)> {
    vec![
        ("Resources", list(s())),
        ("Tags", tag_list()),
        ("DryRun", b()),
    ]
}

/// Every `aws ec2` operation the lab simulates, with its options.
pub fn operations() -> Vec<Operation> {
    let op = |name, input, required| Operation {
        name,
        input,
        required,
    };
    vec![
        op("describe-vpcs", describe_members("VpcIds"), &[]),
        op("describe-subnets", describe_members("SubnetIds"), &[]),
        op(
            "describe-internet-gateways",
            describe_members("InternetGatewayIds"),
            &[],
        ),
        op(
            "describe-route-tables",
            describe_members("RouteTableIds"),
            &[],
        ),
        op(
            "describe-network-acls",
            describe_members("NetworkAclIds"),
            &[],
        ),
        op(
            "describe-security-groups",
            {
                let mut m = describe_members("GroupIds");
                m.push(("GroupNames", list(s())));
                m
            },
            &[],
        ),
        op("describe-instances", describe_members("InstanceIds"), &[]),
        op(
            "describe-network-interfaces",
            describe_members("NetworkInterfaceIds"),
            &[],
        ),
        op(
            "describe-addresses",
            {
                let mut m = describe_members("AllocationIds");
                m.push(("PublicIps", list(s())));
                m
            },
            &[],
        ),
        op(
            "describe-tags",
            vec![
                ("Filters", filters()),
                ("DryRun", b()),
                ("MaxResults", i()),
                ("NextToken", s()),
            ],
            &[],
        ),
        op("create-tags", tagging(), &["Resources", "Tags"]),
        op("delete-tags", tagging(), &["Resources"]),
        op(
            "describe-managed-prefix-lists",
            describe_members("PrefixListIds"),
            &[],
        ),
        op(
            "create-vpc",
            vec![
                ("CidrBlock", s()),
                ("TagSpecifications", tag_specifications()),
                ("DryRun", b()),
            ],
            &["CidrBlock"],
        ),
        op(
            "create-subnet",
            vec![
                ("VpcId", s()),
                ("CidrBlock", s()),
                ("AvailabilityZone", s()),
                ("TagSpecifications", tag_specifications()),
                ("DryRun", b()),
            ],
            &["VpcId", "CidrBlock"],
        ),
        op(
            "create-internet-gateway",
            vec![("TagSpecifications", tag_specifications()), ("DryRun", b())],
            &[],
        ),
        op(
            "attach-internet-gateway",
            vec![("InternetGatewayId", s()), ("VpcId", s()), ("DryRun", b())],
            &["InternetGatewayId", "VpcId"],
        ),
        op(
            "create-security-group",
            vec![
                ("GroupName", s()),
                ("Description", s()),
                ("VpcId", s()),
                ("TagSpecifications", tag_specifications()),
                ("DryRun", b()),
            ],
            &["GroupName", "Description"],
        ),
        op(
            "delete-security-group",
            vec![("GroupId", s()), ("GroupName", s()), ("DryRun", b())],
            &[],
        ),
        op("authorize-security-group-ingress", authorize_members(), &[]),
        op(
            "authorize-security-group-egress",
            authorize_members(),
            &["GroupId"],
        ),
        op("revoke-security-group-ingress", authorize_members(), &[]),
        op(
            "revoke-security-group-egress",
            authorize_members(),
            &["GroupId"],
        ),
        op(
            "create-network-acl",
            vec![
                ("VpcId", s()),
                ("TagSpecifications", tag_specifications()),
                ("DryRun", b()),
            ],
            &["VpcId"],
        ),
        op(
            "delete-network-acl",
            vec![("NetworkAclId", s()), ("DryRun", b())],
            &["NetworkAclId"],
        ),
        op(
            "create-network-acl-entry",
            acl_entry_members(),
            &["NetworkAclId", "RuleNumber", "Protocol", "RuleAction"],
        ),
        op(
            "replace-network-acl-entry",
            acl_entry_members(),
            &["NetworkAclId", "RuleNumber", "Protocol", "RuleAction"],
        ),
        op(
            "delete-network-acl-entry",
            vec![
                ("NetworkAclId", s()),
                ("RuleNumber", i()),
                ("Egress", b()),
                ("Ingress", b()),
                ("DryRun", b()),
            ],
            &["NetworkAclId", "RuleNumber"],
        ),
        op(
            "replace-network-acl-association",
            vec![
                ("AssociationId", s()),
                ("NetworkAclId", s()),
                ("DryRun", b()),
            ],
            &["AssociationId", "NetworkAclId"],
        ),
        op(
            "create-route-table",
            vec![
                ("VpcId", s()),
                ("TagSpecifications", tag_specifications()),
                ("DryRun", b()),
            ],
            &["VpcId"],
        ),
        op(
            "create-route",
            vec![
                ("RouteTableId", s()),
                ("DestinationCidrBlock", s()),
                ("DestinationIpv6CidrBlock", s()),
                ("GatewayId", s()),
                ("NatGatewayId", s()),
                ("DryRun", b()),
            ],
            &["RouteTableId"],
        ),
        op(
            "delete-route",
            vec![
                ("RouteTableId", s()),
                ("DestinationCidrBlock", s()),
                ("DestinationIpv6CidrBlock", s()),
                ("DryRun", b()),
            ],
            &["RouteTableId"],
        ),
        op(
            "associate-route-table",
            vec![("RouteTableId", s()), ("SubnetId", s()), ("DryRun", b())],
            &["RouteTableId"],
        ),
    ]
    .into_iter()
    .chain(crate::compute::operations())
    .chain(crate::storage::operations())
    .chain(crate::launch_templates::operations())
    .collect()
}

/// The API operation name, e.g. `AuthorizeSecurityGroupIngress`.
fn api_name(cli_name: &str) -> String {
    ec2lab_awscli::member_name(cli_name)
}

/// An AWS error from an operation: its code and message.
pub(crate) struct Fail(pub &'static str, pub String);

pub(crate) type Reply = Result<Value, Fail>;

pub(crate) fn missing(parameter: &str) -> Fail {
    Fail(
        "MissingParameter",
        format!("The request must contain the parameter {parameter}"),
    )
}

/// An AWS service the lab simulates: its CLI name, its operations and how
/// they run. `aws ec2` is this module's; other services have their own.
pub(crate) struct Service {
    /// The CLI's service name, e.g. `ec2`.
    pub name: &'static str,
    /// Its operations and their options.
    pub operations: fn() -> Vec<Operation>,
    /// Runs one operation (a name from `operations`) on a request body.
    pub execute: fn(&mut Session, &str, &str, &Value) -> Reply,
}

/// The services `aws …` lines may name.
pub(crate) const SERVICES: &[Service] = &[
    Service {
        name: "ec2",
        operations,
        execute,
    },
    // J3: Amazon EFS, its own service with its own shapes and errors.
    Service {
        name: "efs",
        operations: crate::efs::operations,
        execute: crate::efs::execute,
    },
    // Launch configurations only, to show how they differ from launch
    // templates (I3).
    Service {
        name: "autoscaling",
        operations: crate::autoscaling::operations,
        execute: crate::autoscaling::execute,
    },
    // EC2 Image Builder, simplified: build an AMI by running components.
    Service {
        name: "imagebuilder",
        operations: crate::imagebuilder::operations,
        execute: crate::imagebuilder::execute,
    },
];

/// Runs `aws …` words in a session.
pub fn run_aws(session: &mut Session, words: &[String]) -> Result<Outcome, LineError> {
    if words.get(1).is_some_and(|w| w == "ec2") && words.get(2).is_some_and(|w| w == "wait") {
        return crate::waiters::run(session, words);
    }
    let call = parse_call(words).map_err(|e| LineError(e.to_string()))?;
    let Some(service) = SERVICES.iter().find(|s| s.name == call.service) else {
        return Ok(Outcome::ApiError {
            code: "UnsupportedOperation".into(),
            message: format!(
                "the lab simulates aws {}; aws {} is not part of it",
                SERVICES
                    .iter()
                    .map(|s| s.name)
                    .collect::<Vec<_>>()
                    .join(", aws "),
                call.service
            ),
            operation: api_name(&call.operation),
        });
    };
    let operations = (service.operations)();
    let Some(op) = operations.iter().find(|op| op.name == call.operation) else {
        // A near miss is a typo: the AWS CLI refuses it before any call,
        // naming the operations it may have meant.
        let near: Vec<&str> = operations
            .iter()
            .map(|op| op.name)
            .filter(|name| strsim::normalized_levenshtein(name, &call.operation) >= 0.8)
            .collect();
        if !near.is_empty() {
            return Err(LineError(format!(
                "aws: error: argument operation: Invalid choice: '{}', maybe you meant:\n\n{}",
                call.operation,
                near.iter()
                    .map(|name| format!("  * {name}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            )));
        }
        return Ok(Outcome::ApiError {
            code: "UnsupportedOperation".into(),
            message: format!(
                "the lab does not simulate aws {} {}",
                service.name, call.operation
            ),
            operation: api_name(&call.operation),
        });
    };
    let request = build_request(&call, op)
        .map_err(|e| LineError(format!("aws {} {}: {e}", service.name, call.operation)))?;
    let region = request
        .region
        .clone()
        .unwrap_or_else(|| session.region.clone());
    let operation = api_name(op.name);
    let body = &request.body;
    if session.world.region(&region).is_none() {
        return Ok(Outcome::ApiError {
            code: "InvalidRegion".into(),
            message: format!("the lab does not simulate the Region {region}"),
            operation,
        });
    }
    if body.get("DryRun").and_then(Value::as_bool) == Some(true) {
        return Ok(Outcome::ApiError {
            code: "DryRunOperation".into(),
            message: "Request would have succeeded, but DryRun flag is set.".into(),
            operation,
        });
    }
    let result = if service.name != "ec2" {
        (service.execute)(session, &region, op.name, body)
    } else if op.name.starts_with("describe-") && !op.name.ends_with("-attribute") {
        let state = session
            .world
            .region(&region)
            .ok_or_else(|| LineError("no region".into()))?;
        describe::describe(state, op.name, body, session.world.clock())
    } else {
        execute(session, &region, op.name, body)
    };
    Ok(match result {
        Ok(mut value) => {
            // AWS leaves out members it has no value for; it never sends null.
            strip_nulls(&mut value);
            let value = match &request.query {
                Some(expression) => crate::output::apply_query(expression, &value)
                    .map_err(|e| LineError(format!("Bad value for --query {expression}: {e}")))?,
                None => value,
            };
            let output = request
                .output
                .as_deref()
                .and_then(OutputFormat::parse)
                .unwrap_or_default();
            Outcome::Response {
                value,
                output,
                operation,
            }
        }
        Err(Fail(code, message)) => Outcome::ApiError {
            code: code.into(),
            message,
            operation,
        },
    })
}

/// Removes `null` members from objects, at every depth.
fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

pub(crate) fn str_of<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key).and_then(Value::as_str)
}

pub(crate) fn req<'a>(body: &'a Value, key: &str) -> Result<&'a str, Fail> {
    str_of(body, key).ok_or_else(|| missing(key))
}

pub(crate) fn tags_from(body: &Value) -> Tags {
    let mut tags = Tags::new();
    for spec in body
        .get("TagSpecifications")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for tag in spec
            .get("Tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(key) = tag.get("Key").and_then(Value::as_str) {
                tags.insert(key, tag.get("Value").and_then(Value::as_str).unwrap_or(""));
            }
        }
    }
    tags
}

pub(crate) fn apply(
    session: &mut Session,
    region: &str,
    command: Command,
) -> Result<Response, Fail> {
    session
        .world
        .apply(region, command)
        .map_err(|e| Fail(e.code, e.message))
}

pub(crate) fn state<'a>(session: &'a Session, region: &str) -> Result<&'a RegionState, Fail> {
    session
        .world
        .region(region)
        .ok_or_else(|| Fail("InvalidRegion", region.to_owned()))
}

fn execute(session: &mut Session, region: &str, op: &str, body: &Value) -> Reply {
    match op {
        "create-tags" | "delete-tags" => {
            let resource_ids: Vec<String> = body
                .get("Resources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            let pairs = body.get("Tags").and_then(Value::as_array).map(|tags| {
                tags.iter()
                    .filter_map(|tag| {
                        let key = tag.get("Key").and_then(Value::as_str)?;
                        Some((key.to_owned(), str_of(tag, "Value").map(str::to_owned)))
                    })
                    .collect::<Vec<_>>()
            });
            let command = if op == "create-tags" {
                let mut tags = Tags::new();
                for (key, value) in pairs.into_iter().flatten() {
                    // A tag created without a value has the empty one.
                    tags.insert(&key, value.as_deref().unwrap_or(""));
                }
                Command::CreateTags { resource_ids, tags }
            } else {
                Command::DeleteTags {
                    resource_ids,
                    tags: pairs,
                }
            };
            apply(session, region, command)?;
            Ok(json!({}))
        }
        "create-vpc" => {
            let Response::Vpc(id) = apply(
                session,
                region,
                Command::CreateVpc {
                    cidr_block: req(body, "CidrBlock")?.into(),
                    tags: tags_from(body),
                },
            )?
            else {
                return Ok(json!({}));
            };
            let vpc = state(session, region)?
                .vpcs
                .get(&id)
                .map(describe::vpc_json);
            Ok(json!({ "Vpc": vpc }))
        }
        "create-subnet" => {
            let zone = match str_of(body, "AvailabilityZone") {
                Some(zone) => zone.to_owned(),
                None => state(session, region)?
                    .info
                    .zones
                    .first()
                    .map(|(z, _)| (*z).to_owned())
                    .unwrap_or_default(),
            };
            let command = Command::CreateSubnet {
                vpc_id: VpcId::new(req(body, "VpcId")?),
                cidr_block: req(body, "CidrBlock")?.into(),
                availability_zone: zone,
                tags: tags_from(body),
            };
            let Response::Subnet(id) = apply(session, region, command)? else {
                return Ok(json!({}));
            };
            let state = state(session, region)?;
            Ok(json!({ "Subnet": state.subnets.get(&id).map(|s| describe::subnet_json(state, s)) }))
        }
        "create-internet-gateway" => {
            let Response::InternetGateway(id) = apply(
                session,
                region,
                Command::CreateInternetGateway {
                    tags: tags_from(body),
                },
            )?
            else {
                return Ok(json!({}));
            };
            Ok(
                json!({ "InternetGateway": state(session, region)?.internet_gateways.get(&id).map(describe::internet_gateway_json) }),
            )
        }
        "attach-internet-gateway" => {
            apply(
                session,
                region,
                Command::AttachInternetGateway {
                    internet_gateway_id: InternetGatewayId::new(req(body, "InternetGatewayId")?),
                    vpc_id: VpcId::new(req(body, "VpcId")?),
                },
            )?;
            Ok(json!({}))
        }
        "create-security-group" => {
            let vpc_id = match str_of(body, "VpcId") {
                Some(id) => VpcId::new(id),
                // Without --vpc-id AWS uses the default VPC.
                None => state(session, region)?
                    .vpcs
                    .values()
                    .find(|v| v.is_default)
                    .map(|v| v.id.clone())
                    .ok_or_else(|| {
                        Fail("VPCIdNotSpecified", "No default VPC for this user".into())
                    })?,
            };
            let command = Command::CreateSecurityGroup {
                group_name: req(body, "GroupName")?.into(),
                description: req(body, "Description")?.into(),
                vpc_id,
                tags: tags_from(body),
            };
            let Response::SecurityGroup(id) = apply(session, region, command)? else {
                return Ok(json!({}));
            };
            Ok(
                json!({ "GroupId": id.as_str(), "SecurityGroupArn": format!("arn:aws:ec2:{region}:{}:security-group/{id}", describe::ACCOUNT_ID) }),
            )
        }
        "delete-security-group" => {
            let id = group_by_id_or_name(state(session, region)?, body)?;
            apply(
                session,
                region,
                Command::DeleteSecurityGroup {
                    group_id: id.clone(),
                },
            )?;
            Ok(json!({ "Return": true, "GroupId": id.as_str() }))
        }
        "authorize-security-group-ingress"
        | "authorize-security-group-egress"
        | "revoke-security-group-ingress"
        | "revoke-security-group-egress" => {
            let egress = op.ends_with("egress");
            let group_id = group_by_id_or_name(state(session, region)?, body)?;
            let rules = rules_from(body)?;
            if rules.is_empty() {
                return Err(Fail("MissingParameter", "No permissions were given: use --ip-permissions, or --protocol with --port and --cidr or --source-group".into()));
            }
            let command = if op.starts_with("authorize") {
                if egress {
                    Command::AuthorizeSecurityGroupEgress {
                        group_id: group_id.clone(),
                        rules: rules.clone(),
                    }
                } else {
                    Command::AuthorizeSecurityGroupIngress {
                        group_id: group_id.clone(),
                        rules: rules.clone(),
                    }
                }
            } else {
                Command::RevokeSecurityGroupRules {
                    group_id: group_id.clone(),
                    egress,
                    rules: rules.clone(),
                }
            };
            apply(session, region, command)?;
            if op.starts_with("revoke") {
                return Ok(json!({ "Return": true }));
            }
            let rules: Vec<Value> = rules
                .iter()
                .map(|rule| describe::security_group_rule_json(&group_id, egress, rule))
                .collect();
            Ok(json!({ "Return": true, "SecurityGroupRules": rules }))
        }
        "create-network-acl" => {
            let Response::NetworkAcl(id) = apply(
                session,
                region,
                Command::CreateNetworkAcl {
                    vpc_id: VpcId::new(req(body, "VpcId")?),
                    tags: tags_from(body),
                },
            )?
            else {
                return Ok(json!({}));
            };
            Ok(
                json!({ "NetworkAcl": state(session, region)?.network_acls.get(&id).map(describe::network_acl_json) }),
            )
        }
        "delete-network-acl" => {
            apply(
                session,
                region,
                Command::DeleteNetworkAcl {
                    network_acl_id: NetworkAclId::new(req(body, "NetworkAclId")?),
                },
            )?;
            Ok(json!({}))
        }
        "create-network-acl-entry" | "replace-network-acl-entry" => {
            let network_acl_id = NetworkAclId::new(req(body, "NetworkAclId")?);
            let entry = acl_entry_from(body)?;
            let command = if op.starts_with("create") {
                Command::CreateNetworkAclEntry {
                    network_acl_id,
                    entry,
                }
            } else {
                Command::ReplaceNetworkAclEntry {
                    network_acl_id,
                    entry,
                }
            };
            apply(session, region, command)?;
            Ok(json!({}))
        }
        "delete-network-acl-entry" => {
            let rule_number = rule_number(body)?;
            apply(
                session,
                region,
                Command::DeleteNetworkAclEntry {
                    network_acl_id: NetworkAclId::new(req(body, "NetworkAclId")?),
                    rule_number,
                    egress: egress_flag(body)?,
                },
            )?;
            Ok(json!({}))
        }
        "replace-network-acl-association" => {
            let command = Command::ReplaceNetworkAclAssociation {
                association_id: NetworkAclAssociationId::new(req(body, "AssociationId")?),
                network_acl_id: NetworkAclId::new(req(body, "NetworkAclId")?),
            };
            let Response::NetworkAclAssociation(id) = apply(session, region, command)? else {
                return Ok(json!({}));
            };
            Ok(json!({ "NewAssociationId": id.as_str() }))
        }
        "create-route-table" => {
            let Response::RouteTable(id) = apply(
                session,
                region,
                Command::CreateRouteTable {
                    vpc_id: VpcId::new(req(body, "VpcId")?),
                    tags: tags_from(body),
                },
            )?
            else {
                return Ok(json!({}));
            };
            let state = state(session, region)?;
            Ok(json!({ "RouteTable": state.route_tables.get(&id).map(describe::route_table_json) }))
        }
        "create-route" | "delete-route" => {
            let destination = str_of(body, "DestinationCidrBlock")
                .or_else(|| str_of(body, "DestinationIpv6CidrBlock"))
                .ok_or_else(|| missing("DestinationCidrBlock"))?
                .to_owned();
            let route_table_id = RouteTableId::new(req(body, "RouteTableId")?);
            if op == "delete-route" {
                apply(
                    session,
                    region,
                    Command::DeleteRoute {
                        route_table_id,
                        destination_cidr_block: destination,
                    },
                )?;
                return Ok(json!({}));
            }
            if let Some(nat) = str_of(body, "NatGatewayId") {
                return Err(Fail("InvalidNatGatewayID.NotFound", format!("The natGateway ID '{nat}' does not exist (the lab does not simulate NAT gateways yet)")));
            }
            let gateway = req(body, "GatewayId")?;
            apply(
                session,
                region,
                Command::CreateRoute {
                    route_table_id,
                    destination_cidr_block: destination,
                    gateway_id: InternetGatewayId::new(gateway),
                },
            )?;
            Ok(json!({ "Return": true }))
        }
        "associate-route-table" => {
            let command = Command::AssociateRouteTable {
                route_table_id: RouteTableId::new(req(body, "RouteTableId")?),
                subnet_id: SubnetId::new(req(body, "SubnetId")?),
            };
            let Response::RouteTableAssociation(id) = apply(session, region, command)? else {
                return Ok(json!({}));
            };
            Ok(
                json!({ "AssociationId": id.as_str(), "AssociationState": { "State": "associated" } }),
            )
        }
        other => crate::compute::execute(session, region, other, body)
            .or_else(|| crate::storage::execute(session, region, other, body))
            .or_else(|| crate::launch_templates::execute(session, region, other, body))
            .unwrap_or_else(|| {
                Err(Fail(
                    "UnsupportedOperation",
                    format!("the lab does not simulate aws ec2 {other} yet"),
                ))
            }),
    }
}

fn group_by_id_or_name(state: &RegionState, body: &Value) -> Result<SecurityGroupId, Fail> {
    if let Some(id) = str_of(body, "GroupId") {
        return Ok(SecurityGroupId::new(id));
    }
    let name = str_of(body, "GroupName").ok_or_else(|| missing("GroupId"))?;
    // A16: a name identifies a group only in the default VPC.
    state
        .security_groups
        .values()
        .find(|g| g.name == name && state.vpcs.get(&g.vpc_id).is_some_and(|v| v.is_default))
        .map(|g| g.id.clone())
        .ok_or_else(|| {
            Fail(
                "InvalidGroup.NotFound",
                format!("The security group '{name}' does not exist in default VPC"),
            )
        })
}

pub(crate) fn bad(parameter: &str, value: &str, why: &str) -> Fail {
    Fail(
        "InvalidParameterValue",
        format!("Value ({value}) for parameter {parameter} is invalid. {why}"),
    )
}

/// Security group rules from `IpPermissions`, or from the CLI's simple form
/// (`--protocol --port --cidr | --source-group`). Each peer is one rule.
fn rules_from(body: &Value) -> Result<Vec<SecurityGroupRule>, Fail> {
    let mut rules = Vec::new();
    for permission in body
        .get("IpPermissions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let protocol_text = permission
            .get("IpProtocol")
            .and_then(Value::as_str)
            .ok_or_else(|| missing("IpPermissions.IpProtocol"))?;
        let protocol = IpProtocol::parse(protocol_text).ok_or_else(|| {
            bad(
                "IpProtocol",
                protocol_text,
                "Use tcp, udp, icmp, icmpv6, -1 or a protocol number.",
            )
        })?;
        let from = permission.get("FromPort").and_then(Value::as_i64);
        let to = permission.get("ToPort").and_then(Value::as_i64);
        let ports = ports_for(protocol, from, to)?;
        let mut push = |peer: RulePeer, description: Option<&str>| {
            rules.push(SecurityGroupRule {
                protocol,
                ports,
                peer,
                description: description.map(str::to_owned),
            });
        };
        let peers: [(&str, &str, PeerParser); 3] = [
            ("IpRanges", "CidrIp", |cidr| {
                // A7: CIDRs are stored with host bits cleared.
                let net = cidr
                    .parse::<Ipv4Net>()
                    .map_err(|_| bad("cidrIp", cidr, "CIDR block is malformed."))?;
                Ok(RulePeer::Cidr(net.trunc()))
            }),
            ("Ipv6Ranges", "CidrIpv6", |cidr| {
                let net = cidr
                    .parse::<Ipv6Net>()
                    .map_err(|_| bad("cidrIpv6", cidr, "CIDR block is malformed."))?;
                Ok(RulePeer::Ipv6Cidr(net.trunc()))
            }),
            ("PrefixListIds", "PrefixListId", |id| {
                Ok(RulePeer::PrefixList(ec2lab_sim::PrefixListId::new(id)))
            }),
        ];
        for (list_key, value_key, peer_of) in peers {
            for item in permission
                .get(list_key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let value = item
                    .get(value_key)
                    .and_then(Value::as_str)
                    .ok_or_else(|| missing(&format!("{list_key}.{value_key}")))?;
                push(
                    peer_of(value)?,
                    item.get("Description").and_then(Value::as_str),
                );
            }
        }
        for pair in permission
            .get("UserIdGroupPairs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let id = pair
                .get("GroupId")
                .and_then(Value::as_str)
                .ok_or_else(|| missing("UserIdGroupPairs.GroupId"))?;
            push(
                RulePeer::SecurityGroup(SecurityGroupId::new(id)),
                pair.get("Description").and_then(Value::as_str),
            );
        }
    }
    if let Some(protocol_text) = str_of(body, "Protocol") {
        let protocol = IpProtocol::parse(protocol_text).ok_or_else(|| {
            bad(
                "IpProtocol",
                protocol_text,
                "Use tcp, udp, icmp, -1 or a protocol number.",
            )
        })?;
        let (from, to) = match str_of(body, "Port") {
            Some(port) => {
                let (a, b) = port.split_once('-').unwrap_or((port, port));
                let parse = |t: &str| {
                    t.trim()
                        .parse::<i64>()
                        .map_err(|_| bad("port", port, "Use a port or a range such as 20-25."))
                };
                (Some(parse(a)?), Some(parse(b)?))
            }
            None => (None, None),
        };
        let ports = ports_for(protocol, from, to)?;
        let peer = if let Some(cidr) = str_of(body, "Cidr") {
            match cidr
                .parse::<IpNet>()
                .map_err(|_| bad("cidrIp", cidr, "CIDR block is malformed."))?
                .trunc()
            {
                IpNet::V4(net) => RulePeer::Cidr(net),
                IpNet::V6(net) => RulePeer::Ipv6Cidr(net),
            }
        } else if let Some(group) = str_of(body, "SourceGroup") {
            RulePeer::SecurityGroup(SecurityGroupId::new(group))
        } else {
            return Err(missing("Cidr"));
        };
        rules.push(SecurityGroupRule {
            protocol,
            ports,
            peer,
            description: None,
        });
    }
    Ok(rules)
}

/// Reads one peer of a permission (a CIDR or an id) into a rule peer.
type PeerParser = fn(&str) -> Result<RulePeer, Fail>;

/// A10: ports for TCP/UDP (inclusive range), type/code for ICMP, none otherwise.
fn ports_for(
    protocol: IpProtocol,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<Option<(i32, i32)>, Fail> {
    if !protocol.has_ports() {
        return Ok(None);
    }
    let (Some(from), Some(to)) = (from, to) else {
        if matches!(protocol, IpProtocol::Tcp | IpProtocol::Udp) {
            return Err(Fail(
                "InvalidParameterValue",
                "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange"
                    .into(),
            ));
        }
        return Ok(None);
    };
    let from =
        i32::try_from(from).map_err(|_| bad("FromPort", &from.to_string(), "Out of range."))?;
    let to = i32::try_from(to).map_err(|_| bad("ToPort", &to.to_string(), "Out of range."))?;
    match protocol {
        IpProtocol::Tcp | IpProtocol::Udp => {
            if from == -1 && to == -1 {
                return Ok(None);
            }
            if !(0..=65535).contains(&from) || !(0..=65535).contains(&to) || from > to {
                return Err(Fail("InvalidParameterValue", format!("Invalid TCP/UDP port range {from}-{to}: ports are 0-65535, the first not above the last.")));
            }
            Ok(Some((from, to)))
        }
        _ => {
            // A10: ICMP type -1 means all types, and then the code must be -1 too.
            if from == -1 && to != -1 {
                return Err(Fail(
                    "InvalidParameterValue",
                    "Invalid ICMP code: with type -1 the code must be -1 too.".into(),
                ));
            }
            Ok(Some((from, to)))
        }
    }
}

fn rule_number(body: &Value) -> Result<u16, Fail> {
    let n = body
        .get("RuleNumber")
        .and_then(Value::as_i64)
        .ok_or_else(|| missing("RuleNumber"))?;
    u16::try_from(n)
        .ok()
        .filter(|n| (1..=ec2lab_sim::MAX_RULE_NUMBER).contains(n))
        .ok_or_else(|| {
            bad(
                "RuleNumber",
                &n.to_string(),
                "It must be from 1 to 32766; 32767 to 65535 are reserved for internal use.",
            )
        })
}

fn egress_flag(body: &Value) -> Result<bool, Fail> {
    match (
        body.get("Egress").and_then(Value::as_bool),
        body.get("Ingress").and_then(Value::as_bool),
    ) {
        (Some(true), Some(true)) => Err(Fail(
            "InvalidParameterCombination",
            "Give --egress or --ingress, not both.".into(),
        )),
        (Some(egress), _) => Ok(egress),
        (None, Some(ingress)) => Ok(!ingress),
        // AWS's default is an inbound entry.
        (None, None) => Ok(false),
    }
}

/// A network ACL entry from a request (B8).
fn acl_entry_from(body: &Value) -> Result<NetworkAclEntry, Fail> {
    let rule_number = rule_number(body)?;
    let protocol_text = req(body, "Protocol")?;
    let protocol = IpProtocol::parse(protocol_text).ok_or_else(|| {
        bad(
            "protocol",
            protocol_text,
            "Use a protocol number (6, 17, 1, 58, -1…) or tcp, udp, icmp, icmpv6, all.",
        )
    })?;
    let action_text = req(body, "RuleAction")?;
    let action = match action_text {
        "allow" => ec2lab_sim::RuleAction::Allow,
        "deny" => ec2lab_sim::RuleAction::Deny,
        other => return Err(bad("ruleAction", other, "It must be allow or deny.")),
    };
    let cidr_block = match (str_of(body, "CidrBlock"), str_of(body, "Ipv6CidrBlock")) {
        (Some(v4), None) => IpNet::V4(
            v4.parse::<Ipv4Net>()
                .map_err(|_| bad("cidrBlock", v4, "CIDR block is malformed."))?
                .trunc(),
        ),
        (None, Some(v6)) => IpNet::V6(
            v6.parse::<Ipv6Net>()
                .map_err(|_| bad("ipv6CidrBlock", v6, "CIDR block is malformed."))?
                .trunc(),
        ),
        (Some(_), Some(_)) => {
            return Err(Fail(
                "InvalidParameterCombination",
                "Give --cidr-block or --ipv6-cidr-block, not both.".into(),
            ))
        }
        (None, None) => return Err(missing("CidrBlock")),
    };
    let port_range = match body.get("PortRange") {
        Some(range) => {
            let port = |key: &str| -> Result<u16, Fail> {
                let n = range
                    .get(key)
                    .and_then(Value::as_i64)
                    .ok_or_else(|| missing(&format!("PortRange.{key}")))?;
                u16::try_from(n).map_err(|_| {
                    bad(
                        &format!("PortRange.{key}"),
                        &n.to_string(),
                        "A port is 0 to 65535.",
                    )
                })
            };
            Some((port("From")?, port("To")?))
        }
        None => None,
    };
    let icmp_type_code = body.get("IcmpTypeCode").map(|icmp| {
        let part = |key: &str| {
            icmp.get(key)
                .and_then(Value::as_i64)
                .and_then(|n| i32::try_from(n).ok())
                .unwrap_or(-1)
        };
        (part("Type"), part("Code"))
    });
    // B8: ICMP entries need a type and code (IPv4 ICMP; ICMPv6 only with an IPv6 block).
    if icmp_type_code.is_none()
        && (protocol == IpProtocol::Icmp
            || (protocol == IpProtocol::Icmpv6 && matches!(cidr_block, IpNet::V6(_))))
    {
        return Err(Fail(
            "InvalidParameterValue",
            "An ICMP entry needs an ICMP type and code (--icmp-type-code Type=-1,Code=-1 for all)."
                .into(),
        ));
    }
    Ok(NetworkAclEntry {
        rule_number,
        egress: egress_flag(body)?,
        protocol,
        action,
        cidr_block,
        port_range,
        icmp_type_code,
    })
}
