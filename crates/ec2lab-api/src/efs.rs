//! `aws efs …`: Amazon EFS file systems and mount targets (J3), with EFS's
//! own option names, response shapes (`FileSystemDescription`,
//! `MountTargetDescription`) and error codes, as botocore's EFS model
//! (`efs/2015-02-01`) gives them. EFS is a service of its own: its
//! responses are not EC2's, and its errors (`FileSystemNotFound`,
//! `MountTargetConflict`…) print like any other AWS error.

use ec2lab_awscli::Operation;
use ec2lab_sim::{
    iso8601, zone_id, Command, CreateFileSystem, FileSystem, FileSystemId, MountTarget,
    MountTargetId, RegionState, Response, SecurityGroupId, SubnetId, Tags, ACCOUNT_ID,
};
use serde_json::{json, Value};

use crate::describe::tags_json;
use crate::operations::{apply, b, list, req, s, state, str_of, tag_list, Fail, Reply};
use crate::session::Session;

/// The `aws efs` operations the lab simulates, with their options.
pub(crate) fn operations() -> Vec<Operation> {
    let op = |name, input, required| Operation {
        name,
        input,
        required,
    };
    let security_groups = || ("SecurityGroups", list(s()));
    vec![
        op(
            "create-file-system",
            vec![
                ("CreationToken", s()),
                ("PerformanceMode", s()),
                ("Encrypted", b()),
                ("KmsKeyId", s()),
                ("ThroughputMode", s()),
                ("AvailabilityZoneName", s()),
                ("Tags", tag_list()),
            ],
            &[],
        ),
        op(
            "create-mount-target",
            vec![
                ("FileSystemId", s()),
                ("SubnetId", s()),
                ("IpAddress", s()),
                security_groups(),
            ],
            &["FileSystemId", "SubnetId"],
        ),
        op(
            "describe-file-systems",
            vec![("CreationToken", s()), ("FileSystemId", s())],
            &[],
        ),
        op(
            "describe-mount-targets",
            vec![
                ("FileSystemId", s()),
                ("MountTargetId", s()),
                ("AccessPointId", s()),
            ],
            &[],
        ),
        op(
            "describe-mount-target-security-groups",
            vec![("MountTargetId", s())],
            &["MountTargetId"],
        ),
        op(
            "modify-mount-target-security-groups",
            vec![("MountTargetId", s()), security_groups()],
            &["MountTargetId"],
        ),
        op(
            "delete-mount-target",
            vec![("MountTargetId", s())],
            &["MountTargetId"],
        ),
        op(
            "delete-file-system",
            vec![("FileSystemId", s())],
            &["FileSystemId"],
        ),
    ]
}

/// Runs one `aws efs` operation on its request body.
pub(crate) fn execute(session: &mut Session, region: &str, op: &str, body: &Value) -> Reply {
    match op {
        "create-file-system" => {
            let request = CreateFileSystem {
                creation_token: str_of(body, "CreationToken").map(str::to_owned),
                performance_mode: str_of(body, "PerformanceMode").map(str::to_owned),
                throughput_mode: str_of(body, "ThroughputMode").map(str::to_owned),
                encrypted: body.get("Encrypted").and_then(Value::as_bool) == Some(true),
                kms_key_id: str_of(body, "KmsKeyId").map(str::to_owned),
                availability_zone_name: str_of(body, "AvailabilityZoneName").map(str::to_owned),
                tags: tags_from(body)?,
            };
            let Response::FileSystem(id) = apply(
                session,
                region,
                Command::CreateFileSystem(Box::new(request)),
            )?
            else {
                return Ok(json!({}));
            };
            let state = state(session, region)?;
            Ok(state
                .file_system(&id)
                .map_or(json!({}), |fs| file_system_json(state, fs)))
        }
        "create-mount-target" => {
            let command = Command::CreateMountTarget {
                file_system_id: FileSystemId::new(req(body, "FileSystemId")?),
                subnet_id: SubnetId::new(req(body, "SubnetId")?),
                ip_address: str_of(body, "IpAddress").map(str::to_owned),
                security_groups: security_groups(body),
            };
            let Response::MountTarget(id) = apply(session, region, command)? else {
                return Ok(json!({}));
            };
            let state = state(session, region)?;
            Ok(state
                .mount_targets
                .get(&id)
                .map_or(json!({}), mount_target_json))
        }
        "describe-file-systems" => {
            let state = state(session, region)?;
            let items: Vec<Value> =
                match (str_of(body, "FileSystemId"), str_of(body, "CreationToken")) {
                    (Some(_), Some(_)) => {
                        return Err(Fail(
                            "BadRequest",
                            "Request cannot contain both a file system ID and a creation token."
                                .into(),
                        ))
                    }
                    (Some(id), None) => {
                        let id = FileSystemId::new(id);
                        let fs = state.file_system(&id).ok_or_else(|| not_found(&id))?;
                        vec![file_system_json(state, fs)]
                    }
                    (None, Some(token)) => state
                        .file_systems
                        .values()
                        .filter(|fs| fs.creation_token == token)
                        .map(|fs| file_system_json(state, fs))
                        .collect(),
                    (None, None) => state
                        .file_systems
                        .values()
                        .map(|fs| file_system_json(state, fs))
                        .collect(),
                };
            Ok(json!({ "FileSystems": items }))
        }
        "describe-mount-targets" => {
            let state = state(session, region)?;
            let given = [
                str_of(body, "FileSystemId"),
                str_of(body, "MountTargetId"),
                str_of(body, "AccessPointId"),
            ];
            let items: Vec<Value> = match given {
                [Some(id), None, None] => {
                    let id = FileSystemId::new(id);
                    state.file_system(&id).ok_or_else(|| not_found(&id))?;
                    state.mount_targets_of(&id).map(mount_target_json).collect()
                }
                [None, Some(id), None] => {
                    let id = MountTargetId::new(id);
                    vec![mount_target_json(mount_target(state, &id)?)]
                }
                [None, None, Some(id)] => {
                    return Err(Fail(
                        "AccessPointNotFound",
                        format!("Access point '{id}' does not exist (the lab does not simulate EFS access points)."),
                    ))
                }
                _ => {
                    return Err(Fail(
                        "BadRequest",
                        "Give exactly one of --file-system-id, --mount-target-id or --access-point-id."
                            .into(),
                    ))
                }
            };
            Ok(json!({ "MountTargets": items }))
        }
        "describe-mount-target-security-groups" => {
            let state = state(session, region)?;
            let id = MountTargetId::new(req(body, "MountTargetId")?);
            mount_target(state, &id)?;
            let groups: Vec<&str> = state
                .mount_target_security_groups(&id)
                .unwrap_or_default()
                .iter()
                .map(SecurityGroupId::as_str)
                .collect();
            Ok(json!({ "SecurityGroups": groups }))
        }
        "modify-mount-target-security-groups" => {
            let command = Command::ModifyMountTargetSecurityGroups {
                mount_target_id: MountTargetId::new(req(body, "MountTargetId")?),
                security_groups: security_groups(body),
            };
            apply(session, region, command)?;
            Ok(json!({}))
        }
        "delete-mount-target" => {
            let command = Command::DeleteMountTarget {
                mount_target_id: MountTargetId::new(req(body, "MountTargetId")?),
            };
            apply(session, region, command)?;
            Ok(json!({}))
        }
        "delete-file-system" => {
            let command = Command::DeleteFileSystem {
                file_system_id: FileSystemId::new(req(body, "FileSystemId")?),
            };
            apply(session, region, command)?;
            Ok(json!({}))
        }
        other => Err(Fail(
            "UnsupportedOperation",
            format!("the lab does not simulate aws efs {other}"),
        )),
    }
}

/// `FileSystemNotFound` for an id, as the core words it.
fn not_found(id: &FileSystemId) -> Fail {
    Fail(
        "FileSystemNotFound",
        format!("File system '{id}' does not exist."),
    )
}

/// The mount target with this id, or `MountTargetNotFound`.
fn mount_target<'a>(state: &'a RegionState, id: &MountTargetId) -> Result<&'a MountTarget, Fail> {
    state.mount_targets.get(id).ok_or_else(|| {
        Fail(
            "MountTargetNotFound",
            format!("Mount target '{id}' does not exist."),
        )
    })
}

/// `--security-groups sg-1 sg-2`.
fn security_groups(body: &Value) -> Vec<SecurityGroupId> {
    body.get("SecurityGroups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(SecurityGroupId::new)
        .collect()
}

/// `--tags Key=Name,Value=shared Key=team,Value=web`: EFS takes a plain list
/// of tags (EC2 wraps them in `TagSpecifications`). Every tag needs both.
fn tags_from(body: &Value) -> Result<Tags, Fail> {
    let mut tags = Tags::new();
    for (index, tag) in body
        .get("Tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let part = |name: &str| {
            tag.get(name).and_then(Value::as_str).ok_or_else(|| {
                Fail(
                    "BadRequest",
                    format!("Tags[{index}] needs a {name}: --tags Key=Name,Value=my-file-system"),
                )
            })
        };
        tags.insert(part("Key")?, part("Value")?);
    }
    Ok(tags)
}

/// A file system as `describe-file-systems` prints it (`FileSystemDescription`).
pub(crate) fn file_system_json(state: &RegionState, fs: &FileSystem) -> Value {
    let region = state.name();
    let size = fs.size_in_bytes();
    let mut v = json!({
        "OwnerId": ACCOUNT_ID,
        "CreationToken": fs.creation_token,
        "FileSystemId": fs.id.as_str(),
        "FileSystemArn": fs.arn(region),
        "CreationTime": iso8601(fs.creation_time),
        "LifeCycleState": fs.state.name(),
        "Name": fs.tags.name(),
        "NumberOfMountTargets": state.mount_targets_of(&fs.id).count(),
        // J3: you pay for what is stored; the lab keeps it all in Standard.
        "SizeInBytes": {
            "Value": size,
            "ValueInIA": 0,
            "ValueInStandard": size,
            "ValueInArchive": 0,
        },
        "PerformanceMode": fs.performance_mode.name(),
        "Encrypted": fs.encrypted,
        "KmsKeyId": fs.kms_key_id,
        "ThroughputMode": fs.throughput_mode.name(),
        "Tags": tags_json(&fs.tags),
        "FileSystemProtection": { "ReplicationOverwriteProtection": "ENABLED" },
    });
    // J3: only a One Zone file system names its Availability Zone.
    if let (Value::Object(map), Some(zone)) = (&mut v, &fs.availability_zone) {
        map.insert("AvailabilityZoneName".into(), json!(zone));
        map.insert("AvailabilityZoneId".into(), json!(zone_id(zone)));
    }
    v
}

/// A mount target as `describe-mount-targets` prints it (`MountTargetDescription`).
pub(crate) fn mount_target_json(mt: &MountTarget) -> Value {
    json!({
        "OwnerId": ACCOUNT_ID,
        "MountTargetId": mt.id.as_str(),
        "FileSystemId": mt.file_system_id.as_str(),
        "SubnetId": mt.subnet_id.as_str(),
        "LifeCycleState": mt.state.name(),
        "IpAddress": mt.ip_address.to_string(),
        "NetworkInterfaceId": mt.network_interface_id.as_str(),
        "AvailabilityZoneId": zone_id(&mt.availability_zone),
        "AvailabilityZoneName": mt.availability_zone,
        "VpcId": mt.vpc_id.as_str(),
    })
}
