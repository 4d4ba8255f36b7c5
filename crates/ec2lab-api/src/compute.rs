//! `aws ec2` operations on instances, AMIs and Elastic IPs: their options,
//! requests turned into core commands, and responses in AWS's shapes
//! (section L of `aws-behaviour.md`).

use ec2lab_awscli::{Operation, Shape};
use ec2lab_sim::{
    iso8601, iso8601_millis, AllocationId, AssociationId, BlockDeviceRequest, Command, EbsRequest,
    ImageId, Instance, InstanceId, InstanceState, NetworkInterfaceId, Permission, RegionState,
    Response, RunInstances, SecurityGroupId, StateChange, SubnetId, Tags, INSTANCE_TYPES,
};
use serde_json::{json, Value};

use crate::describe::{fields, group_identifiers, tags_json, Filters};
use crate::operations::{apply, bad, missing, req, state, str_of, Fail, Reply};
use crate::operations::{b, filters, i, list, s, structure, tag_specifications};
use crate::session::Session;
use ec2lab_sim::ACCOUNT_ID;

/// `EbsBlockDevice`.
pub(crate) fn ebs_block_device() -> Shape {
    structure(vec![
        ("DeleteOnTermination", b()),
        ("Iops", i()),
        ("SnapshotId", s()),
        ("VolumeSize", i()),
        ("VolumeType", s()),
        ("KmsKeyId", s()),
        ("Throughput", i()),
        ("OutpostArn", s()),
        ("Encrypted", b()),
    ])
}

/// `BlockDeviceMappings`.
pub(crate) fn block_device_mappings() -> Shape {
    list(structure(vec![
        ("DeviceName", s()),
        ("VirtualName", s()),
        ("Ebs", ebs_block_device()),
        ("NoDevice", s()),
    ]))
}

fn launch_permission_modifications() -> Shape {
    let permission = || {
        list(structure(vec![
            ("Group", s()),
            ("UserId", s()),
            ("OrganizationArn", s()),
            ("OrganizationalUnitArn", s()),
        ]))
    };
    structure(vec![("Add", permission()), ("Remove", permission())])
}

fn ids(name: &'static str) -> (&'static str, Shape) {
    (name, list(s()))
}

/// The operations this module answers.
pub(crate) fn operations() -> Vec<Operation> {
    let op = |name, input, required| Operation {
        name,
        input,
        required,
    };
    let dry = || ("DryRun", b());
    vec![
        op(
            "run-instances",
            vec![
                ("ImageId", s()),
                ("InstanceType", s()),
                ("MinCount", i()),
                ("MaxCount", i()),
                ("Count", s()),
                ("SubnetId", s()),
                ("SecurityGroupIds", list(s())),
                ("SecurityGroups", list(s())),
                ("KeyName", s()),
                ("UserData", s()),
                ("BlockDeviceMappings", block_device_mappings()),
                ("InstanceInitiatedShutdownBehavior", s()),
                ("DisableApiTermination", b()),
                ("HibernationOptions", structure(vec![("Configured", b())])),
                (
                    "NetworkInterfaces",
                    list(structure(vec![
                        ("AssociatePublicIpAddress", b()),
                        ("DeleteOnTermination", b()),
                        ("DeviceIndex", i()),
                        ("SubnetId", s()),
                        ("Groups", list(s())),
                        ("PrivateIpAddress", s()),
                    ])),
                ),
                ("AssociatePublicIpAddress", b()),
                (
                    "Placement",
                    structure(vec![("AvailabilityZone", s()), ("Tenancy", s())]),
                ),
                ("EbsOptimized", b()),
                ("Monitoring", structure(vec![("Enabled", b())])),
                (
                    "IamInstanceProfile",
                    structure(vec![("Arn", s()), ("Name", s())]),
                ),
                (
                    "MetadataOptions",
                    structure(vec![
                        ("HttpTokens", s()),
                        ("HttpEndpoint", s()),
                        ("HttpPutResponseHopLimit", i()),
                    ]),
                ),
                ("CreditSpecification", structure(vec![("CpuCredits", s())])),
                ("TagSpecifications", tag_specifications()),
                (
                    "LaunchTemplate",
                    structure(vec![
                        ("LaunchTemplateId", s()),
                        ("LaunchTemplateName", s()),
                        ("Version", s()),
                    ]),
                ),
                dry(),
            ],
            // ImageId may come from a launch template (I1); without one the
            // core answers AWS's MissingParameter.
            &[],
        ),
        op(
            "start-instances",
            vec![ids("InstanceIds"), dry()],
            &["InstanceIds"],
        ),
        op(
            "stop-instances",
            vec![
                ids("InstanceIds"),
                ("Hibernate", b()),
                ("Force", b()),
                dry(),
            ],
            &["InstanceIds"],
        ),
        op(
            "reboot-instances",
            vec![ids("InstanceIds"), dry()],
            &["InstanceIds"],
        ),
        op(
            "terminate-instances",
            vec![ids("InstanceIds"), dry()],
            &["InstanceIds"],
        ),
        op(
            "describe-instance-attribute",
            vec![("InstanceId", s()), ("Attribute", s()), dry()],
            &["InstanceId", "Attribute"],
        ),
        op(
            "get-console-output",
            vec![("InstanceId", s()), ("Latest", b()), dry()],
            &["InstanceId"],
        ),
        op(
            "modify-instance-attribute",
            vec![
                ("InstanceId", s()),
                ("Attribute", s()),
                ("Value", s()),
                ("InstanceType", structure(vec![("Value", s())])),
                (
                    "BlockDeviceMappings",
                    list(structure(vec![
                        ("DeviceName", s()),
                        (
                            "Ebs",
                            structure(vec![("DeleteOnTermination", b()), ("VolumeId", s())]),
                        ),
                    ])),
                ),
                (
                    "InstanceInitiatedShutdownBehavior",
                    structure(vec![("Value", s())]),
                ),
                ("DisableApiTermination", structure(vec![("Value", b())])),
                ("UserData", structure(vec![("Value", s())])),
                dry(),
            ],
            &["InstanceId"],
        ),
        op(
            "describe-instance-types",
            vec![
                ids("InstanceTypes"),
                ("Filters", filters()),
                ("MaxResults", i()),
                ("NextToken", s()),
                dry(),
            ],
            &[],
        ),
        op(
            "create-image",
            vec![
                ("InstanceId", s()),
                ("Name", s()),
                ("Description", s()),
                ("NoReboot", b()),
                ("BlockDeviceMappings", block_device_mappings()),
                ("TagSpecifications", tag_specifications()),
                dry(),
            ],
            &["InstanceId", "Name"],
        ),
        op(
            "copy-image",
            vec![
                ("SourceImageId", s()),
                ("SourceRegion", s()),
                ("Name", s()),
                ("Description", s()),
                ("Encrypted", b()),
                ("KmsKeyId", s()),
                ("ClientToken", s()),
                ("CopyImageTags", b()),
                ("TagSpecifications", tag_specifications()),
                dry(),
            ],
            &["SourceImageId", "SourceRegion", "Name"],
        ),
        op(
            "deregister-image",
            vec![("ImageId", s()), ("DeleteAssociatedSnapshots", b()), dry()],
            &["ImageId"],
        ),
        op(
            "describe-images",
            vec![
                ids("ImageIds"),
                ids("Owners"),
                ids("ExecutableUsers"),
                ("Filters", filters()),
                ("IncludeDeprecated", b()),
                ("IncludeDisabled", b()),
                ("MaxResults", i()),
                ("NextToken", s()),
                dry(),
            ],
            &[],
        ),
        op(
            "modify-image-attribute",
            vec![
                ("ImageId", s()),
                ("Attribute", s()),
                ("OperationType", s()),
                ids("UserIds"),
                ids("UserGroups"),
                ("LaunchPermission", launch_permission_modifications()),
                ("Description", structure(vec![("Value", s())])),
                ("Value", s()),
                dry(),
            ],
            &["ImageId"],
        ),
        op(
            "describe-image-attribute",
            vec![("ImageId", s()), ("Attribute", s()), dry()],
            &["ImageId", "Attribute"],
        ),
        op(
            "allocate-address",
            vec![
                ("Domain", s()),
                ("NetworkBorderGroup", s()),
                ("TagSpecifications", tag_specifications()),
                dry(),
            ],
            &[],
        ),
        op(
            "associate-address",
            vec![
                ("AllocationId", s()),
                ("InstanceId", s()),
                ("NetworkInterfaceId", s()),
                ("PrivateIpAddress", s()),
                ("PublicIp", s()),
                ("AllowReassociation", b()),
                dry(),
            ],
            &[],
        ),
        op(
            "disassociate-address",
            vec![("AssociationId", s()), ("PublicIp", s()), dry()],
            &[],
        ),
        op(
            "release-address",
            vec![("AllocationId", s()), ("PublicIp", s()), dry()],
            &[],
        ),
    ]
}

/// Tags from the `TagSpecifications` entries for one resource type.
pub(crate) fn tags_for(body: &Value, resource_type: &str) -> Tags {
    let mut tags = Tags::new();
    for spec in body
        .get("TagSpecifications")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|spec| spec.get("ResourceType").and_then(Value::as_str) == Some(resource_type))
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

fn id_list(body: &Value, key: &str) -> Vec<String> {
    body.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn int(body: &Value, key: &str) -> Option<u32> {
    body.get(key)
        .and_then(Value::as_i64)
        .and_then(|n| u32::try_from(n).ok())
}

fn flag(body: &Value, key: &str) -> Option<bool> {
    body.get(key).and_then(Value::as_bool)
}

/// Checks an id's shape: `prefix` and 8 or 17 hex digits (D2).
fn well_formed(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|digits| {
        (digits.len() == 8 || digits.len() == 17) && digits.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

fn check_ids(ids: &[String], prefix: &str, code: &'static str, what: &str) -> Result<(), Fail> {
    match ids.iter().find(|id| !well_formed(id, prefix)) {
        Some(bad_id) => Err(Fail(code, format!("Invalid id: \"{bad_id}\" ({what} ids look like {prefix} followed by 17 hexadecimal digits)"))),
        None => Ok(()),
    }
}

fn instance_ids(body: &Value) -> Result<Vec<InstanceId>, Fail> {
    let ids = id_list(body, "InstanceIds");
    check_ids(&ids, "i-", "InvalidInstanceID.Malformed", "instance")?;
    Ok(ids.iter().map(|id| InstanceId::new(id.as_str())).collect())
}

fn state_json(state: InstanceState) -> Value {
    json!({ "Code": state.code(), "Name": state.name() })
}

fn changes_json(key: &str, changes: &[StateChange]) -> Value {
    json!({ key: changes.iter().map(|c| json!({
        "CurrentState": state_json(c.current),
        "InstanceId": c.instance_id.as_str(),
        "PreviousState": state_json(c.previous),
    })).collect::<Vec<_>>() })
}

/// Launch permissions from `--launch-permission` or the CLI's
/// `--operation-type add|remove --user-ids … --user-groups all` form.
fn permission_changes(
    body: &Value,
    structure_key: &str,
) -> Result<(Vec<Permission>, Vec<Permission>), Fail> {
    let read = |items: Option<&Value>| -> Result<Vec<Permission>, Fail> {
        let mut out = Vec::new();
        for item in items.and_then(Value::as_array).into_iter().flatten() {
            match (str_of(item, "Group"), str_of(item, "UserId")) {
                (Some("all"), None) => out.push(Permission::All),
                (Some(other), None) => return Err(bad("Group", other, "The only group is 'all'.")),
                (None, Some(user)) => out.push(Permission::Account(user.to_owned())),
                _ => {
                    return Err(Fail(
                        "InvalidParameterCombination",
                        "Each permission names either Group=all or one UserId.".into(),
                    ))
                }
            }
        }
        Ok(out)
    };
    let structure = body.get(structure_key);
    let mut add = read(structure.and_then(|s| s.get("Add")))?;
    let mut remove = read(structure.and_then(|s| s.get("Remove")))?;
    let users = id_list(body, "UserIds");
    let groups = id_list(body, "UserGroups");
    if !users.is_empty() || !groups.is_empty() {
        let mut listed: Vec<Permission> = users.into_iter().map(Permission::Account).collect();
        for group in groups {
            if group != "all" {
                return Err(bad("UserGroups", &group, "The only group is 'all'."));
            }
            listed.push(Permission::All);
        }
        match str_of(body, "OperationType") {
            Some("add") => add.extend(listed),
            Some("remove") => remove.extend(listed),
            Some(other) => return Err(bad("OperationType", other, "It must be add or remove.")),
            None => return Err(missing("OperationType")),
        }
    }
    Ok((add, remove))
}

/// `BlockDeviceMappings` of a launch request or of launch template data.
pub(crate) fn block_device_requests(body: &Value) -> Result<Vec<BlockDeviceRequest>, Fail> {
    let mut out = Vec::new();
    for mapping in body
        .get("BlockDeviceMappings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let ebs = mapping.get("Ebs").map(|ebs| EbsRequest {
            snapshot_id: str_of(ebs, "SnapshotId").map(ec2lab_sim::SnapshotId::new),
            volume_size_gib: int(ebs, "VolumeSize"),
            volume_type: str_of(ebs, "VolumeType").map(str::to_owned),
            delete_on_termination: flag(ebs, "DeleteOnTermination"),
            encrypted: flag(ebs, "Encrypted"),
            kms_key_id: str_of(ebs, "KmsKeyId").map(str::to_owned),
            iops: int(ebs, "Iops"),
            throughput: int(ebs, "Throughput"),
        });
        out.push(BlockDeviceRequest {
            device_name: str_of(mapping, "DeviceName").unwrap_or("").to_owned(),
            virtual_name: str_of(mapping, "VirtualName").map(str::to_owned),
            no_device: mapping.get("NoDevice").is_some(),
            ebs,
        });
    }
    Ok(out)
}

/// Runs one of this module's operations; `None` if it is not one.
pub(crate) fn execute(
    session: &mut Session,
    region: &str,
    op: &str,
    body: &Value,
) -> Option<Reply> {
    Some(match op {
        "run-instances" => run_instances(session, region, body),
        "start-instances" => instance_ids(body).and_then(|ids| {
            match apply(
                session,
                region,
                Command::StartInstances { instance_ids: ids },
            )? {
                Response::StateChanges(changes) => Ok(changes_json("StartingInstances", &changes)),
                _ => Ok(json!({})),
            }
        }),
        "stop-instances" => instance_ids(body).and_then(|ids| {
            let command = Command::StopInstances {
                instance_ids: ids,
                hibernate: flag(body, "Hibernate").unwrap_or(false),
            };
            match apply(session, region, command)? {
                Response::StateChanges(changes) => Ok(changes_json("StoppingInstances", &changes)),
                _ => Ok(json!({})),
            }
        }),
        "reboot-instances" => instance_ids(body).and_then(|ids| {
            apply(
                session,
                region,
                Command::RebootInstances { instance_ids: ids },
            )?;
            Ok(json!({}))
        }),
        "terminate-instances" => instance_ids(body).and_then(|ids| {
            match apply(
                session,
                region,
                Command::TerminateInstances { instance_ids: ids },
            )? {
                Response::StateChanges(changes) => {
                    Ok(changes_json("TerminatingInstances", &changes))
                }
                _ => Ok(json!({})),
            }
        }),
        "modify-instance-attribute" => modify_instance_attribute(session, region, body),
        "describe-instance-attribute" => describe_instance_attribute(session, region, body),
        "get-console-output" => get_console_output(session, region, body),
        "create-image" => (|| {
            let command = Command::CreateImage {
                instance_id: InstanceId::new(req(body, "InstanceId")?),
                name: req(body, "Name")?.to_owned(),
                description: str_of(body, "Description").unwrap_or("").to_owned(),
                no_reboot: flag(body, "NoReboot").unwrap_or(false),
                tags: tags_for(body, "image"),
            };
            match apply(session, region, command)? {
                Response::Image(id) => Ok(json!({ "ImageId": id.as_str() })),
                _ => Ok(json!({})),
            }
        })(),
        "copy-image" => (|| {
            let command = Command::CopyImage {
                source_region: req(body, "SourceRegion")?.to_owned(),
                source_image_id: ImageId::new(req(body, "SourceImageId")?),
                name: req(body, "Name")?.to_owned(),
                description: str_of(body, "Description").map(str::to_owned),
                encrypted: flag(body, "Encrypted").unwrap_or(false),
                kms_key_id: str_of(body, "KmsKeyId").map(str::to_owned),
                tags: tags_for(body, "image"),
            };
            match apply(session, region, command)? {
                Response::Image(id) => Ok(json!({ "ImageId": id.as_str() })),
                _ => Ok(json!({})),
            }
        })(),
        "deregister-image" => (|| {
            let image_id = ImageId::new(req(body, "ImageId")?);
            let delete = flag(body, "DeleteAssociatedSnapshots").unwrap_or(false);
            let snapshots: Vec<String> = state(session, region)?
                .images
                .get(&image_id)
                .map(|image| image.snapshot_ids().map(ToString::to_string).collect())
                .unwrap_or_default();
            apply(
                session,
                region,
                Command::DeregisterImage {
                    image_id,
                    delete_associated_snapshots: delete,
                },
            )?;
            let after = state(session, region)?;
            let mut reply = json!({ "Return": true });
            if delete {
                reply["DeleteSnapshotResults"] = snapshots
                    .iter()
                    .map(|id| {
                        let gone = !after
                            .snapshots
                            .contains_key(&ec2lab_sim::SnapshotId::new(id.as_str()));
                        json!({ "SnapshotId": id, "ReturnCode": if gone { "success" } else { "warn-skipped-snapshot-in-use" } })
                    })
                    .collect();
            }
            Ok(reply)
        })(),
        "modify-image-attribute" => (|| {
            let image_id = ImageId::new(req(body, "ImageId")?);
            let (add, remove) = permission_changes(body, "LaunchPermission")?;
            let description = body
                .get("Description")
                .and_then(|d| str_of(d, "Value"))
                .or_else(|| {
                    (str_of(body, "Attribute") == Some("description"))
                        .then(|| str_of(body, "Value"))
                        .flatten()
                })
                .map(str::to_owned);
            if add.is_empty() && remove.is_empty() && description.is_none() {
                return Err(Fail(
                    "MissingParameter",
                    "Specify a launch permission to add or remove, or a description.".into(),
                ));
            }
            apply(
                session,
                region,
                Command::ModifyImageAttribute {
                    image_id,
                    add,
                    remove,
                    description,
                },
            )?;
            Ok(json!({}))
        })(),
        "describe-image-attribute" => (|| {
            let image_id = ImageId::new(req(body, "ImageId")?);
            let image = state(session, region)?.image(&image_id).ok_or_else(|| {
                Fail(
                    "InvalidAMIID.NotFound",
                    format!("The image id '[{image_id}]' does not exist"),
                )
            })?;
            Ok(match req(body, "Attribute")? {
                "launchPermission" => {
                    let mut permissions: Vec<Value> = Vec::new();
                    if image.public {
                        permissions.push(json!({ "Group": "all" }));
                    }
                    permissions.extend(
                        image
                            .launch_permissions
                            .iter()
                            .map(|user| json!({ "UserId": user })),
                    );
                    json!({ "ImageId": image_id.as_str(), "LaunchPermissions": permissions })
                }
                "description" => {
                    json!({ "ImageId": image_id.as_str(), "Description": { "Value": image.description } })
                }
                "blockDeviceMapping" => {
                    json!({ "ImageId": image_id.as_str(), "BlockDeviceMappings": image_json(&image, region)["BlockDeviceMappings"].clone() })
                }
                other => {
                    return Err(bad(
                        "Attribute",
                        other,
                        "The lab answers launchPermission, description and blockDeviceMapping.",
                    ))
                }
            })
        })(),
        "allocate-address" => (|| match apply(
            session,
            region,
            Command::AllocateAddress {
                tags: tags_for(body, "elastic-ip"),
            },
        )? {
            Response::Address(id, ip) => Ok(json!({
                "AllocationId": id.as_str(),
                "PublicIpv4Pool": "amazon",
                "NetworkBorderGroup": region,
                "Domain": "vpc",
                "PublicIp": ip.to_string(),
            })),
            _ => Ok(json!({})),
        })(),
        "associate-address" => (|| {
            let allocation_id = match (str_of(body, "AllocationId"), str_of(body, "PublicIp")) {
                (Some(id), _) => AllocationId::new(id),
                (None, Some(ip)) => state(session, region)?
                    .addresses
                    .values()
                    .find(|a| a.public_ip.to_string() == ip)
                    .map(|a| a.allocation_id.clone())
                    .ok_or_else(|| {
                        Fail(
                            "InvalidAddress.NotFound",
                            format!("Address {ip} not found."),
                        )
                    })?,
                (None, None) => return Err(missing("AllocationId")),
            };
            let command = Command::AssociateAddress {
                allocation_id,
                instance_id: str_of(body, "InstanceId").map(InstanceId::new),
                network_interface_id: str_of(body, "NetworkInterfaceId")
                    .map(NetworkInterfaceId::new),
                allow_reassociation: flag(body, "AllowReassociation").unwrap_or(false),
            };
            match apply(session, region, command)? {
                Response::AddressAssociation(id) => Ok(json!({ "AssociationId": id.as_str() })),
                _ => Ok(json!({})),
            }
        })(),
        "disassociate-address" => (|| {
            let association_id = match (str_of(body, "AssociationId"), str_of(body, "PublicIp")) {
                (Some(id), _) => AssociationId::new(id),
                (None, Some(ip)) => state(session, region)?
                    .addresses
                    .values()
                    .find(|a| a.public_ip.to_string() == ip)
                    .and_then(|a| a.association.as_ref().map(|(id, _)| id.clone()))
                    .ok_or_else(|| {
                        Fail(
                            "InvalidAssociationID.NotFound",
                            format!("The address {ip} is not associated."),
                        )
                    })?,
                (None, None) => return Err(missing("AssociationId")),
            };
            apply(
                session,
                region,
                Command::DisassociateAddress { association_id },
            )?;
            Ok(json!({}))
        })(),
        "release-address" => (|| {
            let allocation_id = AllocationId::new(req(body, "AllocationId")?);
            apply(session, region, Command::ReleaseAddress { allocation_id })?;
            Ok(json!({}))
        })(),
        _ => return None,
    })
}

fn run_instances(session: &mut Session, region: &str, body: &Value) -> Reply {
    let image_id = str_of(body, "ImageId");
    if let Some(image_id) = image_id.filter(|id| !well_formed(id, "ami-")) {
        return Err(Fail(
            "InvalidAMIID.Malformed",
            format!("Invalid id: \"{image_id}\" (expecting \"ami-...\")"),
        ));
    }
    // I1, I2: the core puts the template's parameters under the request's.
    let launch_template = crate::launch_templates::launch_template_spec(body)?;
    // Without a template, nothing else can give the AMI.
    if image_id.is_none() && launch_template.is_none() {
        return Err(missing("ImageId"));
    }
    let (min, max) = match (int(body, "MinCount"), int(body, "MaxCount")) {
        (Some(min), Some(max)) => (min, max),
        (Some(n), None) | (None, Some(n)) => (n, n),
        (None, None) => match str_of(body, "Count") {
            Some(count) => {
                let (lo, hi) = count.split_once(':').unwrap_or((count, count));
                let parse = |t: &str| {
                    t.parse::<u32>()
                        .map_err(|_| bad("Count", count, "Use N or MIN:MAX."))
                };
                (parse(lo)?, parse(hi)?)
            }
            None => (1, 1),
        },
    };
    if min > max {
        return Err(Fail(
            "InvalidParameterValue",
            format!("MinCount ({min}) must be less than or equal to MaxCount ({max})."),
        ));
    }
    let interface = body
        .get("NetworkInterfaces")
        .and_then(Value::as_array)
        .and_then(|list| list.first());
    let subnet_id = str_of(body, "SubnetId")
        .or_else(|| interface.and_then(|eni| str_of(eni, "SubnetId")))
        .map(SubnetId::new);
    let state_now = state(session, region)?;
    // A subnet the request leaves out may come from the launch template: it
    // decides the VPC of group names and how many addresses are free.
    let template_subnet = match &launch_template {
        Some(spec) => state_now
            .launch_template_version(spec)
            .map_err(|e| Fail(e.code, e.message))?
            .1
            .data
            .subnet_id()
            .cloned(),
        None => None,
    };
    // The subnet the launch goes to, and the one the request itself gives
    // the core: none when the template's applies.
    let (subnet_id, request_subnet) = match (subnet_id, template_subnet) {
        (Some(id), _) => (id.clone(), id),
        (None, Some(id)) => (id, SubnetId::default()),
        (None, None) => {
            // Without a subnet, AWS launches into the default VPC's subnet
            // in the chosen (or first) AZ.
            let zone = body
                .get("Placement")
                .and_then(|p| str_of(p, "AvailabilityZone"));
            let id = state_now
                .subnets
                .values()
                .filter(|s| state_now.vpcs.get(&s.vpc_id).is_some_and(|v| v.is_default))
                .find(|s| zone.is_none_or(|z| s.availability_zone == z))
                .map(|s| s.id.clone())
                .ok_or_else(|| {
                    Fail(
                        "VPCIdNotSpecified",
                        "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.".into(),
                    )
                })?;
            (id.clone(), id)
        }
    };
    let mut groups: Vec<SecurityGroupId> = id_list(body, "SecurityGroupIds")
        .into_iter()
        .chain(
            interface
                .map(|eni| id_list(eni, "Groups"))
                .unwrap_or_default(),
        )
        .map(SecurityGroupId::new)
        .collect();
    let vpc_of_subnet = state_now.subnets.get(&subnet_id).map(|s| s.vpc_id.clone());
    for name in id_list(body, "SecurityGroups") {
        let group = state_now
            .security_groups
            .values()
            .find(|g| g.name == name && Some(&g.vpc_id) == vpc_of_subnet.as_ref())
            .ok_or_else(|| {
                Fail(
                    "InvalidGroup.NotFound",
                    format!(
                        "The security group '{name}' does not exist in VPC '{}'",
                        vpc_of_subnet.as_ref().map_or("", |v| v.as_str())
                    ),
                )
            })?;
        groups.push(group.id.clone());
    }
    // What the request leaves out stays empty: the core takes it from the
    // launch template, or applies AWS's default (InstanceType m1.small).
    let mut request = RunInstances::new(
        ImageId::new(image_id.unwrap_or("")),
        str_of(body, "InstanceType").unwrap_or(""),
        request_subnet,
        max,
    );
    request.launch_template = launch_template;
    request.security_group_ids = groups;
    request.block_device_mappings = block_device_requests(body)?;
    request.shutdown_behavior =
        str_of(body, "InstanceInitiatedShutdownBehavior").map(str::to_owned);
    // H3: the AWS CLI base64-encodes run-instances' --user-data itself, so
    // the text given is the user data as the instance will see it.
    request.user_data = match str_of(body, "UserData") {
        Some(text) => Some(check_user_data(text_or_file(session, text)?)?),
        None => None,
    };
    request.hibernation = body
        .get("HibernationOptions")
        .and_then(|h| flag(h, "Configured"));
    request.disable_api_termination = flag(body, "DisableApiTermination");
    request.associate_public_ip = flag(body, "AssociatePublicIpAddress")
        .or_else(|| interface.and_then(|eni| flag(eni, "AssociatePublicIpAddress")));
    request.tags = tags_for(body, "instance");
    request.volume_tags = tags_for(body, "volume");
    // Fewer free addresses than MaxCount but at least MinCount: launch what fits.
    let free = state_now.subnets.get(&subnet_id).map_or(max, |subnet| {
        let used = state_now
            .network_interfaces
            .values()
            .filter(|e| e.subnet_id == subnet.id)
            .count();
        u32::try_from(subnet.assignable_addresses().count().saturating_sub(used))
            .unwrap_or(u32::MAX)
    });
    if free < max && free >= min {
        request.count = free;
    }
    let Response::Instances(reservation, launched) =
        apply(session, region, Command::RunInstances(Box::new(request)))?
    else {
        return Ok(json!({}));
    };
    let state = state(session, region)?;
    let instances: Vec<Value> = launched
        .iter()
        .filter_map(|id| state.instances.get(id))
        .map(|instance| instance_json(state, instance))
        .collect();
    Ok(json!({
        "ReservationId": reservation.as_str(),
        "OwnerId": ACCOUNT_ID,
        "Groups": [],
        "Instances": instances,
    }))
}

fn modify_instance_attribute(session: &mut Session, region: &str, body: &Value) -> Reply {
    let instance_id = InstanceId::new(req(body, "InstanceId")?);
    let value = |key: &str| body.get(key).and_then(|v| str_of(v, "Value"));
    let attribute = str_of(body, "Attribute");
    let simple = |name: &str| {
        (attribute == Some(name))
            .then(|| str_of(body, "Value"))
            .flatten()
    };
    let instance_type = value("InstanceType")
        .or_else(|| simple("instanceType"))
        .map(str::to_owned);
    let shutdown_behavior = value("InstanceInitiatedShutdownBehavior")
        .or_else(|| simple("instanceInitiatedShutdownBehavior"))
        .map(str::to_owned);
    let disable_api_termination = body
        .get("DisableApiTermination")
        .and_then(|v| flag(v, "Value"))
        .or_else(|| simple("disableApiTermination").map(|v| v == "true"));
    // H3: modify-instance-attribute takes user data base64-encoded; the AWS
    // CLI encodes it for run-instances only.
    let user_data = match value("UserData").or_else(|| simple("userData")) {
        None => None,
        Some(encoded) => Some(decode_user_data(session, encoded)?),
    };
    let mut delete_on_termination = Vec::new();
    for mapping in body
        .get("BlockDeviceMappings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let device = req(mapping, "DeviceName")?.to_owned();
        if let Some(flag) = mapping
            .get("Ebs")
            .and_then(|e| flag(e, "DeleteOnTermination"))
        {
            delete_on_termination.push((device, flag));
        }
    }
    if let Some(other) = attribute.filter(|a| {
        ![
            "instanceType",
            "instanceInitiatedShutdownBehavior",
            "disableApiTermination",
            "userData",
        ]
        .contains(a)
    }) {
        return Err(bad(
            "Attribute",
            other,
            "The lab changes instanceType, instanceInitiatedShutdownBehavior, disableApiTermination, userData and block device DeleteOnTermination.",
        ));
    }
    apply(
        session,
        region,
        Command::ModifyInstanceAttribute {
            instance_id,
            instance_type,
            delete_on_termination,
            shutdown_behavior,
            disable_api_termination,
            user_data,
        },
    )?;
    Ok(json!({}))
}

fn found_instance<'a>(state: &'a RegionState, id: &str) -> Result<&'a ec2lab_sim::Instance, Fail> {
    state.instances.get(&InstanceId::new(id)).ok_or_else(|| {
        Fail(
            "InvalidInstanceID.NotFound",
            format!("The instance ID '{id}' does not exist"),
        )
    })
}

fn describe_instance_attribute(session: &Session, region: &str, body: &Value) -> Reply {
    use base64::Engine as _;
    let state = state(session, region)?;
    let instance = found_instance(state, req(body, "InstanceId")?)?;
    let attribute = req(body, "Attribute")?;
    let value = |v: Value| json!({ "Value": v });
    let (member, answer) = match attribute {
        // H3: user data comes back base64-encoded.
        "userData" => (
            "UserData",
            instance.user_data.as_ref().map_or(json!({}), |text| {
                value(json!(base64::engine::general_purpose::STANDARD.encode(text)))
            }),
        ),
        "instanceType" => ("InstanceType", value(json!(instance.instance_type))),
        "disableApiTermination" => (
            "DisableApiTermination",
            value(json!(instance.disable_api_termination)),
        ),
        "instanceInitiatedShutdownBehavior" => (
            "InstanceInitiatedShutdownBehavior",
            value(json!(match instance.shutdown_behavior {
                ec2lab_sim::ShutdownBehavior::Stop => "stop",
                ec2lab_sim::ShutdownBehavior::Terminate => "terminate",
            })),
        ),
        "rootDeviceName" => ("RootDeviceName", value(json!(instance.root_device_name))),
        other => {
            return Err(bad(
                "Attribute",
                other,
                "The lab describes userData, instanceType, disableApiTermination, instanceInitiatedShutdownBehavior and rootDeviceName.",
            ))
        }
    };
    Ok(json!({ "InstanceId": instance.id.as_str(), member: answer }))
}

/// The serial console of the last boot. The API returns it base64-encoded;
/// the AWS CLI prints it decoded, as here.
fn get_console_output(session: &Session, region: &str, body: &Value) -> Reply {
    let state = state(session, region)?;
    let instance = found_instance(state, req(body, "InstanceId")?)?;
    let mut answer = json!({
        "InstanceId": instance.id.as_str(),
        "Timestamp": ec2lab_sim::iso8601(session.world.clock()),
    });
    if !instance.console.is_empty() {
        answer["Output"] = json!(instance.console);
    }
    Ok(answer)
}

/// The largest user data, before base64 encoding (H3).
pub(crate) const USER_DATA_LIMIT: usize = 16 * 1024;

/// The text of a `file://` parameter, or the text itself.
pub(crate) fn text_or_file(session: &Session, value: &str) -> Result<String, Fail> {
    match value.strip_prefix("file://") {
        Some(path) => (session.read_file)(path).map_err(|e| Fail("InvalidParameterValue", e)),
        None => Ok(value.to_owned()),
    }
}

/// Checks user data against the 16 KB limit (H3).
pub(crate) fn check_user_data(text: String) -> Result<String, Fail> {
    if text.len() > USER_DATA_LIMIT {
        return Err(Fail(
            "InvalidParameterValue",
            format!(
                "User data is limited to 16384 bytes (16 KB) before base64 encoding; this is {} bytes (H3).",
                text.len()
            ),
        ));
    }
    Ok(text)
}

/// `UserData.Value` of modify-instance-attribute: base64 (H3), decoded.
fn decode_user_data(session: &Session, value: &str) -> Result<String, Fail> {
    let text = text_or_file(session, value)?;
    decode_base64_user_data(
        &text,
        "modify-instance-attribute takes user data base64-encoded; the AWS CLI encodes it only for run-instances (H3).",
    )
}

/// User data the API takes base64-encoded (H3), decoded and checked
/// against the 16 KB limit; `why` tells, if it isn't base64, that it must be.
pub(crate) fn decode_base64_user_data(encoded: &str, why: &str) -> Result<String, Fail> {
    use base64::Engine as _;
    let compact: String = encoded.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| {
            Fail(
                "InvalidParameterValue",
                format!("Invalid BASE64 encoding of user data ({e}): {why}"),
            )
        })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Fail(
            "InvalidParameterValue",
            "The lab simulates text user data; this decodes to binary data.".into(),
        )
    })?;
    check_user_data(text)
}

/// The `describe-*` operations of this module; `None` if `op` is not one.
pub(crate) fn describe(state: &RegionState, op: &str, body: &Value, now: u64) -> Option<Reply> {
    Some(match op {
        "describe-instance-types" => describe_instance_types(body),
        "describe-images" => describe_images(state, body, now),
        _ => return None,
    })
}

fn describe_instance_types(body: &Value) -> Reply {
    let wanted = id_list(body, "InstanceTypes");
    let unknown: Vec<&String> = wanted
        .iter()
        .filter(|name| ec2lab_sim::instance_type(name).is_none())
        .collect();
    if !unknown.is_empty() {
        return Err(Fail(
            "InvalidInstanceType",
            format!(
                "The following supplied instance types do not exist: [{}]",
                unknown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let filters = Filters::from(body);
    let items: Vec<Value> = INSTANCE_TYPES
        .iter()
        .filter(|t| wanted.is_empty() || wanted.iter().any(|w| w == t.name))
        .filter(|t| {
            filters.matches(&fields(
                &[
                    ("instance-type", t.name.to_owned()),
                    ("processor-info.supported-architecture", t.architecture.to_string()),
                    ("instance-storage-supported", t.has_instance_store().to_string()),
                    ("hypervisor", if t.nitro { "nitro" } else { "xen" }.to_owned()),
                    ("vcpu-info.default-vcpus", t.vcpus.to_string()),
                    ("memory-info.size-in-mib", t.memory_mib.to_string()),
                    ("current-generation", (!is_previous_generation(t.name)).to_string()),
                    ("free-tier-eligible", is_free_tier(t.name).to_string()),
                ],
                &Tags::new(),
            ))
        })
        .map(|t| {
            let mut v = json!({
                "InstanceType": t.name,
                "CurrentGeneration": !is_previous_generation(t.name),
                "FreeTierEligible": is_free_tier(t.name),
                "SupportedUsageClasses": ["on-demand", "spot"],
                "SupportedRootDeviceTypes": if t.has_instance_store() { json!(["ebs", "instance-store"]) } else { json!(["ebs"]) },
                "SupportedVirtualizationTypes": ["hvm"],
                "BareMetal": false,
                "Hypervisor": if t.nitro { "nitro" } else { "xen" },
                "ProcessorInfo": { "SupportedArchitectures": [t.architecture.to_string()] },
                "VCpuInfo": { "DefaultVCpus": t.vcpus },
                "MemoryInfo": { "SizeInMiB": t.memory_mib },
                "InstanceStorageSupported": t.has_instance_store(),
                "EbsInfo": {
                    "EbsOptimizedSupport": if t.nitro { "default" } else { "unsupported" },
                    "EncryptionSupport": "supported",
                    "NvmeSupport": if t.nitro { "required" } else { "unsupported" },
                },
                "HibernationSupported": !t.has_instance_store(),
                "BurstablePerformanceSupported": t.name.starts_with('t'),
            });
            if t.has_instance_store() {
                v["InstanceStorageInfo"] = json!({
                    "TotalSizeInGB": t.instance_store.0 * t.instance_store.1,
                    "Disks": [{ "SizeInGB": t.instance_store.1, "Count": t.instance_store.0, "Type": "ssd" }],
                    "NvmeSupport": if t.nitro { "required" } else { "unsupported" },
                    "EncryptionSupport": if t.nitro { "required" } else { "unsupported" },
                });
            }
            v
        })
        .collect();
    Ok(json!({ "InstanceTypes": items }))
}

fn is_previous_generation(name: &str) -> bool {
    name.starts_with("m3.") || name.starts_with("c3.")
}

fn is_free_tier(name: &str) -> bool {
    matches!(name, "t2.micro" | "t3.micro")
}

/// `describe-images`: `--image-ids`, `--owners` (`self`, `amazon`,
/// `aws-marketplace`, an account id) and filters. Without ids or owners,
/// every image the account can launch: its own and the public catalogue.
fn describe_images(state: &RegionState, body: &Value, now: u64) -> Reply {
    let region = state.name();
    let wanted = id_list(body, "ImageIds");
    check_ids(&wanted, "ami-", "InvalidAMIID.Malformed", "AMI")?;
    let mut all: Vec<ec2lab_sim::Image> = state.images.values().cloned().collect();
    all.extend(ec2lab_sim::PUBLIC_IMAGES.iter().map(|p| p.image_in(region)));
    let missing: Vec<&String> = wanted
        .iter()
        .filter(|id| !all.iter().any(|image| image.id.as_str() == id.as_str()))
        .collect();
    if !missing.is_empty() {
        return Err(Fail(
            "InvalidAMIID.NotFound",
            format!(
                "The image id '[{}]' does not exist",
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let owners = id_list(body, "Owners");
    let executable = id_list(body, "ExecutableUsers");
    // D7: past its deprecation date a public AMI is left out, unless asked
    // for by id or with --include-deprecated (its owner still sees it).
    let today = iso8601_millis(now);
    let include_deprecated = flag(body, "IncludeDeprecated").unwrap_or(false) || !wanted.is_empty();
    let visible = |image: &ec2lab_sim::Image| {
        include_deprecated
            || image.is_own()
            || deprecation_time(image).is_none_or(|date| date > today)
    };
    let filters = Filters::from(body);
    let items: Vec<Value> = all
        .iter()
        .filter(|image| wanted.is_empty() || wanted.iter().any(|w| w == image.id.as_str()))
        .filter(|image| visible(image))
        .filter(|image| {
            owners.is_empty()
                || owners.iter().any(|owner| match owner.as_str() {
                    "self" => image.is_own(),
                    alias @ ("amazon" | "aws-marketplace") => image.owner_alias == Some(alias),
                    account => image.owner_id == account,
                })
        })
        .filter(|image| {
            executable.is_empty()
                || executable.iter().any(|user| match user.as_str() {
                    "self" => image.is_own() || image.public,
                    "all" => image.public,
                    account => {
                        image.public || image.launch_permissions.iter().any(|a| a == account)
                    }
                })
        })
        .filter(|image| {
            let mut pairs = vec![
                ("image-id", image.id.to_string()),
                ("name", image.name.clone()),
                ("description", image.description.clone()),
                ("architecture", image.architecture.to_string()),
                ("owner-id", image.owner_id.clone()),
                ("owner-alias", image.owner_alias.unwrap_or("").to_owned()),
                ("is-public", image.public.to_string()),
                ("state", image.state.to_string()),
                ("root-device-type", image.root_device_type.to_string()),
                ("root-device-name", image.root_device_name.clone()),
                ("platform-details", image.platform.clone()),
                ("image-type", "machine".to_owned()),
                ("virtualization-type", "hvm".to_owned()),
                ("hypervisor", "xen".to_owned()),
            ];
            if image.platform == "Windows" {
                pairs.push(("platform", "windows".to_owned()));
            }
            for device in &image.block_devices {
                pairs.push((
                    "block-device-mapping.device-name",
                    device.device_name.clone(),
                ));
                if let Some(ebs) = &device.ebs {
                    if let Some(snapshot) = &ebs.snapshot_id {
                        pairs.push(("block-device-mapping.snapshot-id", snapshot.to_string()));
                    }
                    pairs.push(("block-device-mapping.encrypted", ebs.encrypted.to_string()));
                    pairs.push((
                        "block-device-mapping.volume-type",
                        ebs.volume_type.to_string(),
                    ));
                    pairs.push((
                        "block-device-mapping.volume-size",
                        ebs.volume_size_gib.to_string(),
                    ));
                }
            }
            filters.matches(&fields(&pairs, &image.tags))
        })
        .map(|image| image_json(image, region))
        .collect();
    Ok(json!({ "Images": items }))
}

/// An AMI as `describe-images` prints it (D1).
pub(crate) fn image_json(image: &ec2lab_sim::Image, region: &str) -> Value {
    let _ = region;
    let mappings: Vec<Value> = image
        .block_devices
        .iter()
        .map(|device| match &device.ebs {
            Some(ebs) => {
                let mut e = json!({
                    "DeleteOnTermination": ebs.delete_on_termination,
                    "SnapshotId": ebs.snapshot_id.as_ref().map(ToString::to_string),
                    "VolumeSize": ebs.volume_size_gib,
                    "VolumeType": ebs.volume_type.name(),
                    "Encrypted": ebs.encrypted,
                });
                if let Some(iops) = ebs.iops {
                    e["Iops"] = json!(iops);
                }
                if let Some(throughput) = ebs.throughput {
                    e["Throughput"] = json!(throughput);
                }
                if let Some(key) = &ebs.kms_key_id {
                    e["KmsKeyId"] = json!(key);
                }
                json!({ "DeviceName": device.device_name, "Ebs": e })
            }
            None => json!({ "DeviceName": device.device_name, "VirtualName": device.virtual_name }),
        })
        .collect();
    let location = match image.owner_alias {
        Some(alias) => format!("{alias}/{}", image.name),
        None => format!("{}/{}", image.owner_id, image.name),
    };
    let windows = image.platform == "Windows";
    let mut v = json!({
        "Architecture": image.architecture.to_string(),
        "CreationDate": image.published.map_or_else(|| iso8601_millis(image.creation_time), str::to_owned),
        "ImageId": image.id.as_str(),
        "ImageLocation": location,
        "ImageType": "machine",
        "Public": image.public,
        "OwnerId": image.owner_id,
        "PlatformDetails": image.platform,
        "UsageOperation": if windows { "RunInstances:0002" } else { "RunInstances" },
        "State": image.state.to_string(),
        "BlockDeviceMappings": mappings,
        "Description": image.description,
        "EnaSupport": true,
        "Hypervisor": "xen",
        "Name": image.name,
        "RootDeviceName": image.root_device_name,
        "RootDeviceType": image.root_device_type.to_string(),
        "SriovNetSupport": "simple",
        "VirtualizationType": "hvm",
        "BootMode": "uefi-preferred",
    });
    if let Some(alias) = image.owner_alias {
        v["ImageOwnerAlias"] = json!(alias);
    }
    if windows {
        v["Platform"] = json!("windows");
    }
    if let Some(code) = &image.product_code {
        v["ProductCodes"] = json!([{ "ProductCodeId": code, "ProductCodeType": "marketplace" }]);
    }
    if let Some(date) = deprecation_time(image) {
        v["DeprecationTime"] = json!(date);
    }
    if !image.tags.is_empty() {
        v["Tags"] = tags_json(&image.tags);
    }
    if let Some(source) = &image.source_instance_id {
        v["SourceInstanceId"] = json!(source.as_str());
    }
    v
}

/// D7: public AMIs get a deprecation date two years after creation.
fn deprecation_time(image: &ec2lab_sim::Image) -> Option<String> {
    image.public.then(|| match image.published {
        Some(date) => two_years_after(date),
        None => iso8601_millis(image.creation_time + 2 * 365 * 86_400),
    })
}

/// The same date two years on (`2024-12-12T…` → `2026-12-12T…`).
fn two_years_after(date: &str) -> String {
    match date.split_once('-') {
        Some((year, rest)) => match year.parse::<u32>() {
            Ok(year) => format!("{}-{rest}", year + 2),
            Err(_) => date.to_owned(),
        },
        None => date.to_owned(),
    }
}

/// An instance as `describe-instances` prints it (G1 state codes).
pub fn instance_json(state: &RegionState, instance: &Instance) -> Value {
    let eni = state.primary_interface(instance);
    let image = state.image(&instance.image_id);
    let architecture = ec2lab_sim::instance_type(&instance.instance_type)
        .map(|t| t.architecture.to_string())
        .or_else(|| image.as_ref().map(|i| i.architecture.to_string()))
        .unwrap_or_else(|| "x86_64".to_owned());
    let mappings: Vec<Value> = instance
        .block_devices
        .iter()
        .map(|d| {
            let attach_time = state
                .volumes
                .get(&d.volume_id)
                .and_then(|v| v.attachments.iter().find(|a| a.instance_id == instance.id))
                .map_or(instance.launch_time, |a| a.attach_time);
            json!({ "DeviceName": d.device_name, "Ebs": {
                "AttachTime": iso8601(attach_time),
                "DeleteOnTermination": d.delete_on_termination,
                "Status": "attached",
                "VolumeId": d.volume_id.as_str(),
            } })
        })
        .collect();
    let platform = image
        .as_ref()
        .map_or("Linux/UNIX".to_owned(), |i| i.platform.clone());
    let mut v = json!({
        "AmiLaunchIndex": 0,
        "ImageId": instance.image_id.as_str(),
        "InstanceId": instance.id.as_str(),
        "InstanceType": instance.instance_type,
        "LaunchTime": iso8601(instance.launch_time),
        "Monitoring": { "State": "disabled" },
        "Placement": { "AvailabilityZone": instance.availability_zone, "GroupName": "", "Tenancy": "default" },
        "PrivateDnsName": "",
        "ProductCodes": [],
        "PublicDnsName": "",
        "State": { "Code": instance.state.code(), "Name": instance.state.name() },
        "StateTransitionReason": instance.state_reason,
        "SubnetId": instance.subnet_id.as_str(),
        "VpcId": instance.vpc_id.as_str(),
        "Architecture": architecture,
        "BlockDeviceMappings": mappings,
        "EbsOptimized": false,
        "EnaSupport": true,
        "Hypervisor": "xen",
        "RootDeviceName": instance.root_device_name,
        "RootDeviceType": instance.root_device_type.to_string(),
        "SourceDestCheck": true,
        "VirtualizationType": "hvm",
        "HibernationOptions": { "Configured": instance.hibernation_configured },
        "PlatformDetails": platform,
        "UsageOperation": if platform == "Windows" { "RunInstances:0002" } else { "RunInstances" },
        "Tags": tags_json(&instance.tags),
    });
    if platform == "Windows" {
        v["Platform"] = json!("windows");
    }
    if matches!(
        instance.state,
        InstanceState::Stopped
            | InstanceState::Stopping
            | InstanceState::ShuttingDown
            | InstanceState::Terminated
    ) {
        v["StateReason"] = json!({
            "Code": "Client.UserInitiatedShutdown",
            "Message": "Client.UserInitiatedShutdown: User initiated shutdown",
        });
    }
    if let Some(eni) = eni {
        let dns = match state.name() {
            "us-east-1" => "ec2.internal".to_owned(),
            other => format!("{other}.compute.internal"),
        };
        v["PrivateIpAddress"] = json!(eni.private_ip.to_string());
        v["PrivateDnsName"] = json!(format!(
            "ip-{}.{dns}",
            eni.private_ip.to_string().replace('.', "-")
        ));
        if let Some(public) = eni.public_ip {
            v["PublicIpAddress"] = json!(public.to_string());
            let domain = match state.name() {
                "us-east-1" => "compute-1.amazonaws.com".to_owned(),
                other => format!("{other}.compute.amazonaws.com"),
            };
            v["PublicDnsName"] = json!(format!(
                "ec2-{}.{domain}",
                public.to_string().replace('.', "-")
            ));
        }
        v["SecurityGroups"] = group_identifiers(state, &eni.security_groups);
        v["NetworkInterfaces"] = json!([crate::describe::interface_json(state, eni)]);
    }
    v
}
