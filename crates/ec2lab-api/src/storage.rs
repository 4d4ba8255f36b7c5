//! `aws ec2` operations on EBS: volumes, snapshots and encryption by
//! default, with AWS's option names and response shapes (section L of
//! `aws-behaviour.md`).

use ec2lab_awscli::Operation;
use ec2lab_sim::{
    iso8601, Command, CreateVolume, InstanceId, Permission, RegionState, Response, Snapshot,
    SnapshotId, SnapshotState, Volume, VolumeId, ACCOUNT_ID,
};
use serde_json::{json, Value};

use crate::compute::tags_for;
use crate::describe::{fields, tags_json, Filters};
use crate::operations::{apply, bad, req, state, str_of, Fail, Reply};
use crate::operations::{b, filters, i, list, s, structure, tag_specifications};
use crate::session::Session;

/// The operations this module answers.
pub(crate) fn operations() -> Vec<Operation> {
    let op = |name, input, required| Operation {
        name,
        input,
        required,
    };
    let dry = || ("DryRun", b());
    let describe = |ids: &'static str| {
        vec![
            (ids, list(s())),
            ("Filters", filters()),
            ("MaxResults", i()),
            ("NextToken", s()),
            dry(),
        ]
    };
    let permission = || list(structure(vec![("Group", s()), ("UserId", s())]));
    vec![
        op(
            "create-volume",
            vec![
                ("AvailabilityZone", s()),
                ("AvailabilityZoneId", s()),
                ("Size", i()),
                ("SnapshotId", s()),
                ("VolumeType", s()),
                ("Iops", i()),
                ("Throughput", i()),
                ("Encrypted", b()),
                ("KmsKeyId", s()),
                ("MultiAttachEnabled", b()),
                ("TagSpecifications", tag_specifications()),
                ("ClientToken", s()),
                dry(),
            ],
            &[],
        ),
        op(
            "attach-volume",
            vec![
                ("Device", s()),
                ("InstanceId", s()),
                ("VolumeId", s()),
                dry(),
            ],
            &["Device", "InstanceId", "VolumeId"],
        ),
        op(
            "detach-volume",
            vec![
                ("Device", s()),
                ("Force", b()),
                ("InstanceId", s()),
                ("VolumeId", s()),
                dry(),
            ],
            &["VolumeId"],
        ),
        op(
            "delete-volume",
            vec![("VolumeId", s()), dry()],
            &["VolumeId"],
        ),
        op(
            "modify-volume",
            vec![
                ("VolumeId", s()),
                ("Size", i()),
                ("VolumeType", s()),
                ("Iops", i()),
                ("Throughput", i()),
                ("MultiAttachEnabled", b()),
                dry(),
            ],
            &["VolumeId"],
        ),
        op("describe-volumes", describe("VolumeIds"), &[]),
        op(
            "create-snapshot",
            vec![
                ("VolumeId", s()),
                ("Description", s()),
                ("TagSpecifications", tag_specifications()),
                dry(),
            ],
            &["VolumeId"],
        ),
        op(
            "copy-snapshot",
            vec![
                ("SourceRegion", s()),
                ("SourceSnapshotId", s()),
                ("Description", s()),
                ("Encrypted", b()),
                ("KmsKeyId", s()),
                ("DestinationRegion", s()),
                ("PresignedUrl", s()),
                ("TagSpecifications", tag_specifications()),
                dry(),
            ],
            &["SourceRegion", "SourceSnapshotId"],
        ),
        op(
            "delete-snapshot",
            vec![("SnapshotId", s()), dry()],
            &["SnapshotId"],
        ),
        op(
            "describe-snapshots",
            {
                let mut m = describe("SnapshotIds");
                m.push(("OwnerIds", list(s())));
                m.push(("RestorableByUserIds", list(s())));
                m
            },
            &[],
        ),
        op(
            "modify-snapshot-attribute",
            vec![
                ("SnapshotId", s()),
                ("Attribute", s()),
                ("OperationType", s()),
                ("UserIds", list(s())),
                ("GroupNames", list(s())),
                (
                    "CreateVolumePermission",
                    structure(vec![("Add", permission()), ("Remove", permission())]),
                ),
                dry(),
            ],
            &["SnapshotId"],
        ),
        op(
            "describe-snapshot-attribute",
            vec![("SnapshotId", s()), ("Attribute", s()), dry()],
            &["SnapshotId", "Attribute"],
        ),
        op("enable-ebs-encryption-by-default", vec![dry()], &[]),
        op("disable-ebs-encryption-by-default", vec![dry()], &[]),
        op("get-ebs-encryption-by-default", vec![dry()], &[]),
        op("get-ebs-default-kms-key-id", vec![dry()], &[]),
    ]
}

fn int(body: &Value, key: &str) -> Option<u32> {
    body.get(key)
        .and_then(Value::as_i64)
        .and_then(|n| u32::try_from(n).ok())
}

fn flag(body: &Value, key: &str) -> Option<bool> {
    body.get(key).and_then(Value::as_bool)
}

fn list_of(body: &Value, key: &str) -> Vec<String> {
    body.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// Runs one of this module's operations; `None` if it is not one.
pub(crate) fn execute(
    session: &mut Session,
    region: &str,
    op: &str,
    body: &Value,
) -> Option<Reply> {
    Some(match op {
        "create-volume" => {
            (|| {
                let zone = match (str_of(body, "AvailabilityZone"), str_of(body, "AvailabilityZoneId")) {
                (Some(zone), _) => zone.to_owned(),
                (None, Some(zone_id)) => state(session, region)?
                    .info
                    .zones
                    .iter()
                    .find(|(_, id)| *id == zone_id)
                    .map(|(name, _)| (*name).to_owned())
                    .ok_or_else(|| bad("AvailabilityZoneId", zone_id, "It is not a zone of this Region."))?,
                (None, None) => {
                    return Err(Fail(
                        "MissingParameter",
                        "The request must contain the parameter AvailabilityZone or AvailabilityZoneId".into(),
                    ))
                }
            };
                let request = CreateVolume {
                    availability_zone: zone,
                    size_gib: int(body, "Size"),
                    snapshot_id: str_of(body, "SnapshotId").map(SnapshotId::new),
                    volume_type: str_of(body, "VolumeType").map(str::to_owned),
                    iops: int(body, "Iops"),
                    throughput: int(body, "Throughput"),
                    encrypted: flag(body, "Encrypted"),
                    kms_key_id: str_of(body, "KmsKeyId").map(str::to_owned),
                    multi_attach: flag(body, "MultiAttachEnabled").unwrap_or(false),
                    tags: tags_for(body, "volume"),
                };
                let Response::Volume(id) =
                    apply(session, region, Command::CreateVolume(Box::new(request)))?
                else {
                    return Ok(json!({}));
                };
                let state = state(session, region)?;
                Ok(state.volumes.get(&id).map_or(json!({}), |v| {
                    let mut out = volume_json(v);
                    if let Value::Object(map) = &mut out {
                        map.remove("Attachments");
                        // CreateVolume always answers with its tags, even none.
                        map.insert("Tags".into(), tags_json(&v.tags));
                    }
                    out
                }))
            })()
        }
        "attach-volume" => (|| {
            let volume_id = VolumeId::new(req(body, "VolumeId")?);
            let instance_id = InstanceId::new(req(body, "InstanceId")?);
            let device = req(body, "Device")?.to_owned();
            apply(
                session,
                region,
                Command::AttachVolume {
                    volume_id: volume_id.clone(),
                    instance_id: instance_id.clone(),
                    device: device.clone(),
                },
            )?;
            Ok(json!({
                "AttachTime": iso8601(session.world.clock()),
                "Device": device,
                "InstanceId": instance_id.as_str(),
                "State": "attaching",
                "VolumeId": volume_id.as_str(),
            }))
        })(),
        "detach-volume" => (|| {
            let volume_id = VolumeId::new(req(body, "VolumeId")?);
            let before = state(session, region)?.volumes.get(&volume_id).cloned();
            let instance_id = str_of(body, "InstanceId").map(InstanceId::new);
            apply(
                session,
                region,
                Command::DetachVolume {
                    volume_id: volume_id.clone(),
                    instance_id: instance_id.clone(),
                    force: flag(body, "Force").unwrap_or(false),
                },
            )?;
            let attachment = before.as_ref().and_then(|v| {
                v.attachments
                    .iter()
                    .find(|a| instance_id.as_ref().is_none_or(|id| a.instance_id == *id))
            });
            Ok(attachment.map_or(json!({}), |a| {
                json!({
                    "AttachTime": iso8601(a.attach_time),
                    "Device": a.device,
                    "InstanceId": a.instance_id.as_str(),
                    "State": "detaching",
                    "VolumeId": volume_id.as_str(),
                })
            }))
        })(),
        "delete-volume" => (|| {
            let volume_id = VolumeId::new(req(body, "VolumeId")?);
            apply(session, region, Command::DeleteVolume { volume_id })?;
            Ok(json!({}))
        })(),
        "modify-volume" => (|| {
            let volume_id = VolumeId::new(req(body, "VolumeId")?);
            let before = state(session, region)?.volumes.get(&volume_id).cloned();
            apply(
                session,
                region,
                Command::ModifyVolume {
                    volume_id: volume_id.clone(),
                    size_gib: int(body, "Size"),
                    volume_type: str_of(body, "VolumeType").map(str::to_owned),
                    iops: int(body, "Iops"),
                    throughput: int(body, "Throughput"),
                    multi_attach: flag(body, "MultiAttachEnabled"),
                },
            )?;
            let after = state(session, region)?.volumes.get(&volume_id).cloned();
            let (Some(before), Some(after)) = (before, after) else {
                return Ok(json!({}));
            };
            let mut m = json!({
                "VolumeId": volume_id.as_str(),
                "ModificationState": "modifying",
                "TargetSize": after.size_gib,
                "TargetVolumeType": after.volume_type.name(),
                "TargetMultiAttachEnabled": after.multi_attach,
                "OriginalSize": before.size_gib,
                "OriginalVolumeType": before.volume_type.name(),
                "OriginalMultiAttachEnabled": before.multi_attach,
                "Progress": 0,
                "StartTime": iso8601(session.world.clock()),
            });
            if let Some(iops) = after.iops {
                m["TargetIops"] = json!(iops);
            }
            if let Some(iops) = before.iops {
                m["OriginalIops"] = json!(iops);
            }
            if let Some(t) = after.throughput {
                m["TargetThroughput"] = json!(t);
            }
            if let Some(t) = before.throughput {
                m["OriginalThroughput"] = json!(t);
            }
            Ok(json!({ "VolumeModification": m }))
        })(),
        "create-snapshot" => (|| {
            let volume_id = VolumeId::new(req(body, "VolumeId")?);
            let command = Command::CreateSnapshot {
                volume_id,
                description: str_of(body, "Description").unwrap_or("").to_owned(),
                tags: tags_for(body, "snapshot"),
            };
            let Response::Snapshot(id) = apply(session, region, command)? else {
                return Ok(json!({}));
            };
            let state = state(session, region)?;
            Ok(state.snapshots.get(&id).map_or(json!({}), |snapshot| {
                let mut out = snapshot_json(state, snapshot);
                out["Progress"] = json!("");
                out["Tags"] = tags_json(&snapshot.tags);
                if let Value::Object(map) = &mut out {
                    // Not in CreateSnapshot's answer.
                    map.remove("StorageTier");
                    map.remove("FullSnapshotSizeInBytes");
                }
                out
            }))
        })(),
        "copy-snapshot" => (|| {
            let command = Command::CopySnapshot {
                source_region: req(body, "SourceRegion")?.to_owned(),
                source_snapshot_id: SnapshotId::new(req(body, "SourceSnapshotId")?),
                description: str_of(body, "Description").map(str::to_owned),
                encrypted: flag(body, "Encrypted"),
                kms_key_id: str_of(body, "KmsKeyId").map(str::to_owned),
                tags: tags_for(body, "snapshot"),
            };
            match apply(session, region, command)? {
                Response::Snapshot(id) => Ok(json!({ "SnapshotId": id.as_str() })),
                _ => Ok(json!({})),
            }
        })(),
        "delete-snapshot" => (|| {
            let snapshot_id = SnapshotId::new(req(body, "SnapshotId")?);
            apply(session, region, Command::DeleteSnapshot { snapshot_id })?;
            Ok(json!({}))
        })(),
        "modify-snapshot-attribute" => (|| {
            let snapshot_id = SnapshotId::new(req(body, "SnapshotId")?);
            let (add, remove) = snapshot_permissions(body)?;
            apply(
                session,
                region,
                Command::ModifySnapshotAttribute {
                    snapshot_id,
                    add,
                    remove,
                },
            )?;
            Ok(json!({}))
        })(),
        "describe-snapshot-attribute" => (|| {
            let snapshot_id = SnapshotId::new(req(body, "SnapshotId")?);
            let attribute = req(body, "Attribute")?;
            if attribute != "createVolumePermission" {
                return Err(bad(
                    "Attribute",
                    attribute,
                    "The lab answers createVolumePermission.",
                ));
            }
            let state = state(session, region)?;
            let snapshot = state.snapshots.get(&snapshot_id).ok_or_else(|| {
                Fail(
                    "InvalidSnapshot.NotFound",
                    format!("The snapshot '{snapshot_id}' does not exist."),
                )
            })?;
            let mut permissions: Vec<Value> = Vec::new();
            if snapshot.public {
                permissions.push(json!({ "Group": "all" }));
            }
            permissions.extend(snapshot.shared_with.iter().map(|u| json!({ "UserId": u })));
            Ok(
                json!({ "CreateVolumePermissions": permissions, "SnapshotId": snapshot_id.as_str() }),
            )
        })(),
        "enable-ebs-encryption-by-default" | "disable-ebs-encryption-by-default" => (|| {
            let enabled = op.starts_with("enable");
            apply(
                session,
                region,
                Command::SetEbsEncryptionByDefault { enabled },
            )?;
            Ok(json!({ "EbsEncryptionByDefault": enabled }))
        })(),
        // E5: a per-Region setting that starts off.
        "get-ebs-encryption-by-default" => state(session, region)
            .map(|state| json!({ "EbsEncryptionByDefault": state.ebs_encryption_by_default })),
        "get-ebs-default-kms-key-id" => Ok(json!({ "KmsKeyId": "alias/aws/ebs" })),
        _ => return None,
    })
}

fn snapshot_permissions(body: &Value) -> Result<(Vec<Permission>, Vec<Permission>), Fail> {
    let read = |items: Option<&Value>| -> Result<Vec<Permission>, Fail> {
        let mut out = Vec::new();
        for item in items.and_then(Value::as_array).into_iter().flatten() {
            match (str_of(item, "Group"), str_of(item, "UserId")) {
                (Some("all"), None) => out.push(Permission::All),
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
    let modification = body.get("CreateVolumePermission");
    let mut add = read(modification.and_then(|m| m.get("Add")))?;
    let mut remove = read(modification.and_then(|m| m.get("Remove")))?;
    let mut listed: Vec<Permission> = list_of(body, "UserIds")
        .into_iter()
        .map(Permission::Account)
        .collect();
    for group in list_of(body, "GroupNames") {
        if group != "all" {
            return Err(bad("GroupNames", &group, "The only group is 'all'."));
        }
        listed.push(Permission::All);
    }
    if !listed.is_empty() {
        match str_of(body, "OperationType") {
            Some("add") => add.extend(listed),
            Some("remove") => remove.extend(listed),
            Some(other) => return Err(bad("OperationType", other, "It must be add or remove.")),
            None => return Err(crate::operations::missing("OperationType")),
        }
    }
    if add.is_empty() && remove.is_empty() {
        return Err(crate::operations::missing("CreateVolumePermission"));
    }
    Ok((add, remove))
}

/// A volume as `describe-volumes` prints it (F5).
pub(crate) fn volume_json(volume: &Volume) -> Value {
    let mut v = json!({
        "Attachments": volume.attachments.iter().map(|a| json!({
            "AttachTime": iso8601(a.attach_time),
            "Device": a.device,
            "InstanceId": a.instance_id.as_str(),
            "State": "attached",
            "VolumeId": volume.id.as_str(),
            "DeleteOnTermination": a.delete_on_termination,
        })).collect::<Vec<_>>(),
        "AvailabilityZone": volume.availability_zone,
        "CreateTime": iso8601(volume.create_time),
        "Encrypted": volume.encrypted,
        "Size": volume.size_gib,
        "SnapshotId": volume.snapshot_id.as_ref().map_or(String::new(), ToString::to_string),
        "State": volume.state.to_string(),
        "VolumeId": volume.id.as_str(),
        "VolumeType": volume.volume_type.name(),
        "MultiAttachEnabled": volume.multi_attach,
    });
    if let Some(key) = &volume.kms_key_id {
        v["KmsKeyId"] = json!(key);
    }
    if let Some(iops) = volume.iops {
        v["Iops"] = json!(iops);
    }
    if let Some(throughput) = volume.throughput {
        v["Throughput"] = json!(throughput);
    }
    if !volume.tags.is_empty() {
        v["Tags"] = tags_json(&volume.tags);
    }
    v
}

/// A snapshot as `describe-snapshots` prints it.
pub(crate) fn snapshot_json(state: &RegionState, snapshot: &Snapshot) -> Value {
    let _ = state;
    let mut v = json!({
        "Description": snapshot.description,
        "Encrypted": snapshot.encrypted,
        "OwnerId": snapshot.owner_id,
        "Progress": if snapshot.state == SnapshotState::Completed { "100%" } else { "0%" },
        "SnapshotId": snapshot.id.as_str(),
        "StartTime": iso8601(snapshot.start_time),
        "State": snapshot.state.to_string(),
        // A copy shows the placeholder volume id AWS uses.
        "VolumeId": snapshot.volume_id.as_ref().map_or("vol-ffffffff".to_owned(), ToString::to_string),
        "VolumeSize": snapshot.volume_size_gib,
        "StorageTier": "standard",
        "FullSnapshotSizeInBytes": u64::from(snapshot.data.used_gib()) << 30,
    });
    if let Some(key) = &snapshot.kms_key_id {
        v["KmsKeyId"] = json!(key);
    }
    if !snapshot.tags.is_empty() {
        v["Tags"] = tags_json(&snapshot.tags);
    }
    v
}

/// The `describe-*` operations of this module; `None` if `op` is not one.
pub(crate) fn describe(state: &RegionState, op: &str, body: &Value) -> Option<Reply> {
    Some(match op {
        "describe-volumes" => describe_volumes(state, body),
        "describe-snapshots" => describe_snapshots(state, body),
        _ => return None,
    })
}

fn describe_volumes(state: &RegionState, body: &Value) -> Reply {
    let wanted = list_of(body, "VolumeIds");
    if let Some(missing) = wanted
        .iter()
        .find(|id| !state.volumes.contains_key(&VolumeId::new(id.as_str())))
    {
        return Err(Fail(
            "InvalidVolume.NotFound",
            format!("The volume '{missing}' does not exist."),
        ));
    }
    let filters = Filters::from(body);
    let items: Vec<Value> = state
        .volumes
        .values()
        .filter(|v| wanted.is_empty() || wanted.iter().any(|w| w == v.id.as_str()))
        .filter(|v| {
            let mut pairs = vec![
                ("volume-id", v.id.to_string()),
                ("availability-zone", v.availability_zone.clone()),
                ("status", v.state.to_string()),
                ("volume-type", v.volume_type.name().to_owned()),
                ("encrypted", v.encrypted.to_string()),
                ("size", v.size_gib.to_string()),
                ("multi-attach-enabled", v.multi_attach.to_string()),
                (
                    "snapshot-id",
                    v.snapshot_id
                        .as_ref()
                        .map_or(String::new(), ToString::to_string),
                ),
            ];
            for a in &v.attachments {
                pairs.push(("attachment.instance-id", a.instance_id.to_string()));
                pairs.push(("attachment.device", a.device.clone()));
                pairs.push(("attachment.status", "attached".to_owned()));
                pairs.push((
                    "attachment.delete-on-termination",
                    a.delete_on_termination.to_string(),
                ));
            }
            filters.matches(&fields(&pairs, &v.tags))
        })
        .map(volume_json)
        .collect();
    Ok(json!({ "Volumes": items }))
}

fn describe_snapshots(state: &RegionState, body: &Value) -> Reply {
    let wanted = list_of(body, "SnapshotIds");
    if let Some(missing) = wanted
        .iter()
        .find(|id| state.snapshot(&SnapshotId::new(id.as_str())).is_none())
    {
        return Err(Fail(
            "InvalidSnapshot.NotFound",
            format!("The snapshot '{missing}' does not exist."),
        ));
    }
    let owners = list_of(body, "OwnerIds");
    let restorable = list_of(body, "RestorableByUserIds");
    let filters = Filters::from(body);
    // Without ids, the account's own snapshots and those shared with it
    // (public snapshots of other accounts are left out, as `--owner-ids
    // self` would).
    let mut items: Vec<Snapshot> = state.snapshots.values().cloned().collect();
    for id in &wanted {
        if let Some(public) = state
            .snapshot(&SnapshotId::new(id.as_str()))
            .filter(|s| !state.snapshots.contains_key(&s.id))
        {
            items.push(public.into_owned());
        }
    }
    let out: Vec<Value> = items
        .iter()
        .filter(|s| wanted.is_empty() || wanted.iter().any(|w| w == s.id.as_str()))
        .filter(|s| {
            owners.is_empty()
                || owners
                    .iter()
                    .any(|o| (o == "self" && s.owner_id == ACCOUNT_ID) || *o == s.owner_id)
        })
        .filter(|s| {
            restorable.is_empty()
                || restorable.iter().any(|u| match u.as_str() {
                    "all" => s.public,
                    "self" => s.owner_id == ACCOUNT_ID || s.public,
                    account => {
                        s.public
                            || s.owner_id == account
                            || s.shared_with.iter().any(|a| a == account)
                    }
                })
        })
        .filter(|s| {
            let pairs = vec![
                ("snapshot-id", s.id.to_string()),
                (
                    "volume-id",
                    s.volume_id
                        .as_ref()
                        .map_or("vol-ffffffff".to_owned(), ToString::to_string),
                ),
                ("status", s.state.to_string()),
                ("encrypted", s.encrypted.to_string()),
                ("owner-id", s.owner_id.clone()),
                ("description", s.description.clone()),
                ("volume-size", s.volume_size_gib.to_string()),
                ("storage-tier", "standard".to_owned()),
            ];
            filters.matches(&fields(&pairs, &s.tags))
        })
        .map(|s| snapshot_json(state, s))
        .collect();
    Ok(json!({ "Snapshots": out }))
}
