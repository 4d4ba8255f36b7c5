//! `aws ec2` operations on launch templates (I1, I2): their options, the
//! requests turned into core commands, and the answers in AWS's shapes
//! (`LaunchTemplate`, `LaunchTemplateVersion`, section L of
//! `aws-behaviour.md`). In `LaunchTemplateData`, `UserData` is base64 both
//! ways: the AWS CLI encodes it only for `run-instances` (H3).

use base64::Engine as _;
use ec2lab_awscli::{Operation, Shape};
use ec2lab_sim::{
    iso8601, ApiError, Command, CreateLaunchTemplate, CreateLaunchTemplateVersion, ImageId,
    LaunchTemplate, LaunchTemplateData, LaunchTemplateNetworkInterface, LaunchTemplateRef,
    LaunchTemplateSpecification, LaunchTemplateTagSpecification, LaunchTemplateVersion,
    RegionState, Response, SecurityGroupId, SubnetId, Tags, VersionSelector,
};
use serde_json::{json, Map, Value};

use crate::compute::{
    block_device_mappings, block_device_requests, decode_base64_user_data, tags_for,
};
use crate::describe::{fields, tags_json, Filters};
use crate::operations::{apply, b, filters, i, list, s, state, str_of, structure};
use crate::operations::{tag_specifications, Fail, Reply};
use crate::session::Session;

/// The members of `RequestLaunchTemplateData` the lab's templates hold (I1).
const HELD: &str = "ImageId, InstanceType, KeyName, SecurityGroupIds, NetworkInterfaces (DeviceIndex, SubnetId, Groups, AssociatePublicIpAddress, DeleteOnTermination), BlockDeviceMappings, UserData, InstanceInitiatedShutdownBehavior, DisableApiTermination, HibernationOptions and TagSpecifications";

/// Members of `RequestLaunchTemplateData` AWS takes and the lab doesn't
/// simulate: read, then refused with an explanation rather than dropped.
const NOT_HELD: &[&str] = &[
    "EbsOptimized",
    "IamInstanceProfile",
    "Monitoring",
    "Placement",
    "MetadataOptions",
    "CreditSpecification",
    "CpuOptions",
    "DisableApiStop",
    "InstanceMarketOptions",
    "KernelId",
    "RamDiskId",
];

/// Members of a template's network interface the lab doesn't simulate.
const INTERFACE_NOT_HELD: &[&str] = &[
    "Description",
    "PrivateIpAddress",
    "NetworkInterfaceId",
    "Ipv6AddressCount",
    "SecondaryPrivateIpAddressCount",
];

/// `RequestLaunchTemplateData`.
fn launch_template_data() -> Shape {
    structure(vec![
        ("ImageId", s()),
        ("InstanceType", s()),
        ("KeyName", s()),
        ("SecurityGroupIds", list(s())),
        ("SecurityGroups", list(s())),
        (
            "NetworkInterfaces",
            list(structure(vec![
                ("DeviceIndex", i()),
                ("SubnetId", s()),
                ("Groups", list(s())),
                ("AssociatePublicIpAddress", b()),
                ("DeleteOnTermination", b()),
                ("Description", s()),
                ("PrivateIpAddress", s()),
                ("NetworkInterfaceId", s()),
                ("Ipv6AddressCount", i()),
                ("SecondaryPrivateIpAddressCount", i()),
            ])),
        ),
        ("BlockDeviceMappings", block_device_mappings()),
        ("UserData", s()),
        ("InstanceInitiatedShutdownBehavior", s()),
        ("DisableApiTermination", b()),
        ("HibernationOptions", structure(vec![("Configured", b())])),
        ("TagSpecifications", tag_specifications()),
        ("EbsOptimized", b()),
        (
            "IamInstanceProfile",
            structure(vec![("Arn", s()), ("Name", s())]),
        ),
        ("Monitoring", structure(vec![("Enabled", b())])),
        (
            "Placement",
            structure(vec![
                ("AvailabilityZone", s()),
                ("GroupName", s()),
                ("Tenancy", s()),
            ]),
        ),
        (
            "MetadataOptions",
            structure(vec![
                ("HttpTokens", s()),
                ("HttpPutResponseHopLimit", i()),
                ("HttpEndpoint", s()),
                ("InstanceMetadataTags", s()),
            ]),
        ),
        ("CreditSpecification", structure(vec![("CpuCredits", s())])),
        (
            "CpuOptions",
            structure(vec![("CoreCount", i()), ("ThreadsPerCore", i())]),
        ),
        ("DisableApiStop", b()),
        (
            "InstanceMarketOptions",
            structure(vec![
                ("MarketType", s()),
                (
                    "SpotOptions",
                    structure(vec![
                        ("MaxPrice", s()),
                        ("SpotInstanceType", s()),
                        ("InstanceInterruptionBehavior", s()),
                    ]),
                ),
            ]),
        ),
        ("KernelId", s()),
        ("RamDiskId", s()),
    ])
}

/// `LaunchTemplateId` and `LaunchTemplateName`: one of them names a template.
fn template_members() -> Vec<(&'static str, Shape)> {
    vec![("LaunchTemplateId", s()), ("LaunchTemplateName", s())]
}

/// The operations this module answers.
pub(crate) fn operations() -> Vec<Operation> {
    let op = |name, input, required| Operation {
        name,
        input,
        required,
    };
    let dry = || ("DryRun", b());
    let with_template = |mut members: Vec<(&'static str, Shape)>| {
        members.extend(template_members());
        members.push(dry());
        members
    };
    vec![
        op(
            "create-launch-template",
            vec![
                ("LaunchTemplateName", s()),
                ("VersionDescription", s()),
                ("LaunchTemplateData", launch_template_data()),
                ("TagSpecifications", tag_specifications()),
                ("ClientToken", s()),
                dry(),
            ],
            &["LaunchTemplateName", "LaunchTemplateData"],
        ),
        op(
            "create-launch-template-version",
            with_template(vec![
                ("SourceVersion", s()),
                ("VersionDescription", s()),
                ("LaunchTemplateData", launch_template_data()),
                ("ResolveAlias", b()),
                ("ClientToken", s()),
            ]),
            &["LaunchTemplateData"],
        ),
        op(
            "modify-launch-template",
            with_template(vec![("DefaultVersion", s()), ("ClientToken", s())]),
            &[],
        ),
        op("delete-launch-template", with_template(vec![]), &[]),
        op(
            "delete-launch-template-versions",
            with_template(vec![("Versions", list(s()))]),
            &["Versions"],
        ),
        op(
            "describe-launch-templates",
            vec![
                ("LaunchTemplateIds", list(s())),
                ("LaunchTemplateNames", list(s())),
                ("Filters", filters()),
                ("MaxResults", i()),
                ("NextToken", s()),
                dry(),
            ],
            &[],
        ),
        op(
            "describe-launch-template-versions",
            with_template(vec![
                ("Versions", list(s())),
                ("MinVersion", s()),
                ("MaxVersion", s()),
                ("Filters", filters()),
                ("ResolveAlias", b()),
                ("MaxResults", i()),
                ("NextToken", s()),
            ]),
            &[],
        ),
    ]
}

fn fail(error: ApiError) -> Fail {
    Fail(error.code, error.message)
}

/// The template a request names with `LaunchTemplateId` or `LaunchTemplateName`.
fn template_ref(body: &Value) -> Result<LaunchTemplateRef, Fail> {
    LaunchTemplateRef::from_id_or_name(
        str_of(body, "LaunchTemplateId"),
        str_of(body, "LaunchTemplateName"),
    )
    .map_err(fail)
}

/// `--launch-template LaunchTemplateId=…,Version=…` of run-instances.
pub(crate) fn launch_template_spec(
    body: &Value,
) -> Result<Option<LaunchTemplateSpecification>, Fail> {
    let Some(spec) = body.get("LaunchTemplate") else {
        return Ok(None);
    };
    Ok(Some(LaunchTemplateSpecification {
        template: template_ref(spec)?,
        version: str_of(spec, "Version").map(str::to_owned),
    }))
}

fn strings(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn not_held(member: &str) -> Fail {
    Fail(
        "UnsupportedOperation",
        format!("The lab's launch templates hold {HELD}; {member} is not simulated."),
    )
}

/// `LaunchTemplateData` of a request, as the core holds it.
fn template_data(data: &Value) -> Result<LaunchTemplateData, Fail> {
    if let Some(member) = NOT_HELD.iter().find(|m| data.get(**m).is_some()) {
        return Err(not_held(member));
    }
    if data.get("SecurityGroups").is_some() {
        return Err(Fail(
            "UnsupportedOperation",
            format!("The lab's launch templates name security groups by id: use SecurityGroupIds (or Groups of NetworkInterfaces), not SecurityGroups. They hold {HELD}."),
        ));
    }
    let network_interfaces = match data.get("NetworkInterfaces").and_then(Value::as_array) {
        None => None,
        Some(list) => {
            let mut interfaces = Vec::new();
            for eni in list {
                if let Some(member) = INTERFACE_NOT_HELD.iter().find(|m| eni.get(**m).is_some()) {
                    return Err(not_held(&format!("NetworkInterfaces.{member}")));
                }
                interfaces.push(LaunchTemplateNetworkInterface {
                    device_index: eni
                        .get("DeviceIndex")
                        .and_then(Value::as_u64)
                        .and_then(|n| u32::try_from(n).ok()),
                    subnet_id: str_of(eni, "SubnetId").map(SubnetId::new),
                    groups: strings(eni, "Groups")
                        .into_iter()
                        .map(SecurityGroupId::new)
                        .collect(),
                    associate_public_ip: eni
                        .get("AssociatePublicIpAddress")
                        .and_then(Value::as_bool),
                    delete_on_termination: eni.get("DeleteOnTermination").and_then(Value::as_bool),
                });
            }
            Some(interfaces)
        }
    };
    let user_data = match str_of(data, "UserData") {
        None => None,
        // H3: in a template the API takes user data base64-encoded.
        Some(encoded) => Some(decode_base64_user_data(
            encoded,
            "LaunchTemplateData.UserData must be base64-encoded: the AWS CLI encodes user data only for run-instances (H3).",
        )?),
    };
    let tag_specifications = data
        .get("TagSpecifications")
        .and_then(Value::as_array)
        .map(|specs| {
            specs
                .iter()
                .map(|spec| LaunchTemplateTagSpecification {
                    resource_type: str_of(spec, "ResourceType").unwrap_or("").to_owned(),
                    tags: tags_of(spec),
                })
                .collect()
        });
    Ok(LaunchTemplateData {
        image_id: str_of(data, "ImageId").map(ImageId::new),
        instance_type: str_of(data, "InstanceType").map(str::to_owned),
        key_name: str_of(data, "KeyName").map(str::to_owned),
        security_group_ids: data.get("SecurityGroupIds").map(|_| {
            strings(data, "SecurityGroupIds")
                .into_iter()
                .map(SecurityGroupId::new)
                .collect()
        }),
        network_interfaces,
        block_device_mappings: match data.get("BlockDeviceMappings") {
            Some(_) => Some(block_device_requests(data)?),
            None => None,
        },
        user_data,
        shutdown_behavior: str_of(data, "InstanceInitiatedShutdownBehavior").map(str::to_owned),
        disable_api_termination: data.get("DisableApiTermination").and_then(Value::as_bool),
        hibernation: data
            .get("HibernationOptions")
            .and_then(|h| h.get("Configured"))
            .and_then(Value::as_bool),
        tag_specifications,
    })
}

/// The `Tags` of one `TagSpecifications` entry.
fn tags_of(spec: &Value) -> Tags {
    let mut tags = Tags::new();
    for tag in spec
        .get("Tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(key) = str_of(tag, "Key") {
            tags.insert(key, str_of(tag, "Value").unwrap_or(""));
        }
    }
    tags
}

/// A launch template as AWS answers it (`LaunchTemplate`).
pub(crate) fn template_json(template: &LaunchTemplate) -> Value {
    let mut v = json!({
        "LaunchTemplateId": template.id.as_str(),
        "LaunchTemplateName": template.name,
        "CreateTime": iso8601(template.create_time),
        "CreatedBy": template.created_by(),
        "DefaultVersionNumber": template.default_version,
        "LatestVersionNumber": template.latest_version_number(),
    });
    if !template.tags.is_empty() {
        v["Tags"] = tags_json(&template.tags);
    }
    v
}

/// One version as AWS answers it (`LaunchTemplateVersion`).
fn version_json(template: &LaunchTemplate, version: &LaunchTemplateVersion) -> Value {
    let mut v = json!({
        "LaunchTemplateId": template.id.as_str(),
        "LaunchTemplateName": template.name,
        "VersionNumber": version.number,
        "CreateTime": iso8601(version.create_time),
        "CreatedBy": template.created_by(),
        "DefaultVersion": version.number == template.default_version,
        "LaunchTemplateData": data_json(&version.data),
    });
    if let Some(description) = &version.description {
        v["VersionDescription"] = json!(description);
    }
    v
}

/// `ResponseLaunchTemplateData`: the members the version gives, nothing else.
fn data_json(data: &LaunchTemplateData) -> Value {
    let mut out = Map::new();
    let mut put = |key: &str, value: Value| {
        out.insert(key.to_owned(), value);
    };
    if let Some(image_id) = &data.image_id {
        put("ImageId", json!(image_id.as_str()));
    }
    if let Some(instance_type) = &data.instance_type {
        put("InstanceType", json!(instance_type));
    }
    if let Some(key_name) = &data.key_name {
        put("KeyName", json!(key_name));
    }
    if let Some(groups) = &data.security_group_ids {
        put(
            "SecurityGroupIds",
            json!(groups
                .iter()
                .map(SecurityGroupId::as_str)
                .collect::<Vec<_>>()),
        );
    }
    if let Some(interfaces) = &data.network_interfaces {
        let list: Vec<Value> = interfaces
            .iter()
            .map(|eni| {
                let mut v = json!({
                    "DeviceIndex": eni.device_index,
                    "SubnetId": eni.subnet_id.as_ref().map(SubnetId::as_str),
                    "AssociatePublicIpAddress": eni.associate_public_ip,
                    "DeleteOnTermination": eni.delete_on_termination,
                });
                if !eni.groups.is_empty() {
                    v["Groups"] = json!(eni
                        .groups
                        .iter()
                        .map(SecurityGroupId::as_str)
                        .collect::<Vec<_>>());
                }
                v
            })
            .collect();
        put("NetworkInterfaces", json!(list));
    }
    if let Some(mappings) = &data.block_device_mappings {
        let list: Vec<Value> = mappings
            .iter()
            .map(|m| {
                let mut v = json!({ "DeviceName": m.device_name, "VirtualName": m.virtual_name });
                if m.no_device {
                    v["NoDevice"] = json!("");
                }
                if let Some(ebs) = &m.ebs {
                    v["Ebs"] = json!({
                        "Encrypted": ebs.encrypted,
                        "DeleteOnTermination": ebs.delete_on_termination,
                        "Iops": ebs.iops,
                        "KmsKeyId": ebs.kms_key_id,
                        "SnapshotId": ebs.snapshot_id.as_ref().map(ToString::to_string),
                        "VolumeSize": ebs.volume_size_gib,
                        "VolumeType": ebs.volume_type,
                        "Throughput": ebs.throughput,
                    });
                }
                v
            })
            .collect();
        put("BlockDeviceMappings", json!(list));
    }
    if let Some(user_data) = &data.user_data {
        // H3: base64, as the API carries it.
        put(
            "UserData",
            json!(base64::engine::general_purpose::STANDARD.encode(user_data.as_bytes())),
        );
    }
    if let Some(behavior) = &data.shutdown_behavior {
        put("InstanceInitiatedShutdownBehavior", json!(behavior));
    }
    if let Some(protected) = data.disable_api_termination {
        put("DisableApiTermination", json!(protected));
    }
    if let Some(configured) = data.hibernation {
        put("HibernationOptions", json!({ "Configured": configured }));
    }
    if let Some(specs) = &data.tag_specifications {
        let list: Vec<Value> = specs
            .iter()
            .map(
                |spec| json!({ "ResourceType": spec.resource_type, "Tags": tags_json(&spec.tags) }),
            )
            .collect();
        put("TagSpecifications", json!(list));
    }
    Value::Object(out)
}

/// The `LaunchTemplateData` member of a request, required.
fn data_member(body: &Value) -> Result<LaunchTemplateData, Fail> {
    match body.get("LaunchTemplateData") {
        Some(data) => template_data(data),
        None => Err(crate::operations::missing("LaunchTemplateData")),
    }
}

/// The template and version of a core response, as AWS answers them.
fn answer_template(session: &Session, region: &str, id: &ec2lab_sim::LaunchTemplateId) -> Reply {
    let template = state(session, region)?
        .launch_templates
        .get(id)
        .map(template_json);
    Ok(json!({ "LaunchTemplate": template }))
}

/// Runs one of this module's operations; `None` if it is not one.
pub(crate) fn execute(
    session: &mut Session,
    region: &str,
    op: &str,
    body: &Value,
) -> Option<Reply> {
    Some(match op {
        "create-launch-template" => (|| {
            let command = Command::CreateLaunchTemplate(Box::new(CreateLaunchTemplate {
                name: str_of(body, "LaunchTemplateName").unwrap_or("").to_owned(),
                version_description: str_of(body, "VersionDescription").map(str::to_owned),
                data: data_member(body)?,
                tags: tags_for(body, "launch-template"),
            }));
            match apply(session, region, command)? {
                Response::LaunchTemplate(id) => answer_template(session, region, &id),
                _ => Ok(json!({})),
            }
        })(),
        "create-launch-template-version" => (|| {
            let command =
                Command::CreateLaunchTemplateVersion(Box::new(CreateLaunchTemplateVersion {
                    template: template_ref(body)?,
                    source_version: str_of(body, "SourceVersion").map(str::to_owned),
                    version_description: str_of(body, "VersionDescription").map(str::to_owned),
                    data: data_member(body)?,
                }));
            let Response::LaunchTemplateVersion(id, number) = apply(session, region, command)?
            else {
                return Ok(json!({}));
            };
            let state = state(session, region)?;
            let version = state
                .launch_templates
                .get(&id)
                .and_then(|t| t.version(number).map(|v| version_json(t, v)));
            Ok(json!({ "LaunchTemplateVersion": version }))
        })(),
        "modify-launch-template" => (|| {
            let command = Command::ModifyLaunchTemplate {
                template: template_ref(body)?,
                default_version: str_of(body, "DefaultVersion").map(str::to_owned),
            };
            match apply(session, region, command)? {
                Response::LaunchTemplate(id) => answer_template(session, region, &id),
                _ => Ok(json!({})),
            }
        })(),
        "delete-launch-template" => (|| {
            let template = template_ref(body)?;
            // The answer describes the template as it was.
            let before = state(session, region)?
                .launch_template(&template)
                .map(template_json)
                .ok();
            apply(session, region, Command::DeleteLaunchTemplate { template })?;
            Ok(json!({ "LaunchTemplate": before }))
        })(),
        "delete-launch-template-versions" => (|| {
            let command = Command::DeleteLaunchTemplateVersions {
                template: template_ref(body)?,
                versions: strings(body, "Versions"),
            };
            let Response::LaunchTemplateVersionsDeleted(result) = apply(session, region, command)?
            else {
                return Ok(json!({}));
            };
            let item = |number: u64| {
                json!({
                    "LaunchTemplateId": result.template_id.as_str(),
                    "LaunchTemplateName": result.template_name,
                    "VersionNumber": number,
                })
            };
            let deleted: Vec<Value> = result.deleted.iter().map(|n| item(*n)).collect();
            let failed: Vec<Value> = result
                .failed
                .iter()
                .map(|f| {
                    let mut v = item(f.version);
                    v["ResponseError"] = json!({ "Code": f.code, "Message": f.message });
                    v
                })
                .collect();
            Ok(json!({
                "SuccessfullyDeletedLaunchTemplateVersions": deleted,
                "UnsuccessfullyDeletedLaunchTemplateVersions": failed,
            }))
        })(),
        _ => return None,
    })
}

/// The `describe-*` operations of this module; `None` if `op` is not one.
pub(crate) fn describe(state: &RegionState, op: &str, body: &Value) -> Option<Reply> {
    Some(match op {
        "describe-launch-templates" => describe_launch_templates(state, body),
        "describe-launch-template-versions" => describe_launch_template_versions(state, body),
        _ => return None,
    })
}

/// The Region's templates, oldest first (then by name).
fn templates_in_order(state: &RegionState) -> Vec<&LaunchTemplate> {
    let mut templates: Vec<&LaunchTemplate> = state.launch_templates.values().collect();
    templates.sort_by(|a, b| (a.create_time, &a.name).cmp(&(b.create_time, &b.name)));
    templates
}

fn describe_launch_templates(state: &RegionState, body: &Value) -> Reply {
    let ids = strings(body, "LaunchTemplateIds");
    let names = strings(body, "LaunchTemplateNames");
    for id in &ids {
        state
            .launch_template(&LaunchTemplateRef::Id(id.as_str().into()))
            .map_err(fail)?;
    }
    if names
        .iter()
        .any(|name| !state.launch_templates.values().any(|t| t.name == *name))
    {
        return Err(Fail(
            "InvalidLaunchTemplateName.NotFoundException",
            format!(
                "At least one of the launch templates specified in the request does not exist: {} has no launch template named {}. Launch template names are case-sensitive.",
                state.name(),
                names
                    .iter()
                    .filter(|name| !state.launch_templates.values().any(|t| t.name == **name))
                    .map(|name| format!("'{name}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let filters = Filters::from(body);
    let items: Vec<Value> = templates_in_order(state)
        .into_iter()
        .filter(|t| ids.is_empty() || ids.iter().any(|id| id == t.id.as_str()))
        .filter(|t| names.is_empty() || names.contains(&t.name))
        .filter(|t| {
            filters.matches(&fields(
                &[
                    ("launch-template-name", t.name.clone()),
                    ("create-time", iso8601(t.create_time)),
                ],
                &t.tags,
            ))
        })
        .map(template_json)
        .collect();
    Ok(json!({ "LaunchTemplates": items }))
}

/// A `MinVersion` or `MaxVersion`: a version number.
fn version_bound(body: &Value, key: &str) -> Result<Option<u64>, Fail> {
    match str_of(body, key) {
        None => Ok(None),
        Some(text) => text.parse::<u64>().map(Some).map_err(|_| {
            Fail(
                "InvalidParameterValue",
                format!(
                    "Value ({text}) for parameter {key} is invalid. It must be a version number."
                ),
            )
        }),
    }
}

fn describe_launch_template_versions(state: &RegionState, body: &Value) -> Reply {
    let wanted = strings(body, "Versions");
    let named = body.get("LaunchTemplateId").is_some() || body.get("LaunchTemplateName").is_some();
    let min = version_bound(body, "MinVersion")?;
    let max = version_bound(body, "MaxVersion")?;
    let filters = Filters::from(body);
    let mut pairs: Vec<(&LaunchTemplate, &LaunchTemplateVersion)> = Vec::new();
    if named {
        let template = state.launch_template(&template_ref(body)?).map_err(fail)?;
        if wanted.is_empty() {
            pairs.extend(template.versions.iter().map(|v| (template, v)));
        } else {
            for text in &wanted {
                let spec = LaunchTemplateSpecification {
                    template: LaunchTemplateRef::Id(template.id.clone()),
                    version: Some(text.clone()),
                };
                pairs.push(state.launch_template_version(&spec).map_err(fail)?);
            }
        }
    } else {
        // Without a template, only $Latest and $Default make sense: they
        // are looked up in every template of the Region.
        let selectors: Vec<VersionSelector> = wanted
            .iter()
            .map(|text| VersionSelector::parse("Versions", text).map_err(fail))
            .collect::<Result<_, _>>()?;
        if selectors.is_empty()
            || selectors
                .iter()
                .any(|s| matches!(s, VersionSelector::Number(_)))
        {
            return Err(Fail(
                if selectors.is_empty() {
                    "MissingParameter"
                } else {
                    "InvalidParameterValue"
                },
                "To describe the launch template data for all your launch templates, for --versions specify $Latest, $Default, or both, and omit --launch-template-id, --launch-template-name, and version numbers. To describe the launch template data for a specific launch template, specify --launch-template-id or --launch-template-name, and for --versions specify one or more of the following values: $Latest, $Default, or one or more version numbers.".into(),
            ));
        }
        for template in templates_in_order(state) {
            for text in &wanted {
                let spec = LaunchTemplateSpecification {
                    template: LaunchTemplateRef::Id(template.id.clone()),
                    version: Some(text.clone()),
                };
                pairs.push(state.launch_template_version(&spec).map_err(fail)?);
            }
        }
    }
    // Newest first, each version once, as AWS lists them.
    pairs.sort_by(|(ta, va), (tb, vb)| {
        (ta.create_time, &ta.name, std::cmp::Reverse(va.number)).cmp(&(
            tb.create_time,
            &tb.name,
            std::cmp::Reverse(vb.number),
        ))
    });
    pairs.dedup_by(|(ta, va), (tb, vb)| ta.id == tb.id && va.number == vb.number);
    let items: Vec<Value> = pairs
        .into_iter()
        .filter(|(_, v)| min.is_none_or(|m| v.number >= m) && max.is_none_or(|m| v.number <= m))
        .filter(|(t, v)| {
            filters.matches(&fields(
                &[
                    (
                        "is-default-version",
                        (v.number == t.default_version).to_string(),
                    ),
                    (
                        "image-id",
                        v.data
                            .image_id
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                    ),
                    (
                        "instance-type",
                        v.data.instance_type.clone().unwrap_or_default(),
                    ),
                ],
                &Tags::new(),
            ))
        })
        .map(|(t, v)| version_json(t, v))
        .collect();
    Ok(json!({ "LaunchTemplateVersions": items }))
}
