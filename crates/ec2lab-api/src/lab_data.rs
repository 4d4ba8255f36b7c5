//! `lab write`, `lab files`, `lab snapshots` and `lab bill`: what the EC2
//! API does not show but the lab lets a learner see. Data on disks makes
//! "the data survived" (or not) visible after stop, reboot, terminate, a
//! snapshot or an AMI; snapshot sizes show incremental snapshots at work
//! (E1); the bill shows per-second billing with its one-minute minimum (G2).

use ec2lab_sim::{Command, InstanceId, RegionState, Write};
use serde_json::{json, Value};

use crate::output::OutputFormat;
use crate::session::{find_instance, LabOptions, LineError, Outcome, Session};

/// Runs one of the lab's data commands.
pub(crate) fn run(
    session: &mut Session,
    verb: &str,
    region_name: &str,
    options: &LabOptions,
) -> Result<Outcome, LineError> {
    let region = session.world.region(region_name).ok_or_else(|| {
        LineError(format!(
            "the lab does not simulate the Region {region_name}"
        ))
    })?;
    let instance_of = |region: &RegionState| -> Result<InstanceId, LineError> {
        let key = options
            .get("instance")
            .ok_or_else(|| LineError(format!("lab {verb} needs --instance <id or Name tag>")))?;
        find_instance(region, key)
            .map(|i| i.id.clone())
            .ok_or_else(|| LineError(format!("no instance '{key}' in {region_name}")))
    };
    let value = match verb {
        "write" => {
            let instance_id = instance_of(region)?;
            let write =
                match (options.get("path"), options.number("gib")?) {
                    (Some(path), None) => Write::File {
                        path: path.to_owned(),
                        text: options.get("text").unwrap_or("").to_owned(),
                    },
                    (None, Some(gib)) => Write::Gib {
                        offset: options.number("offset-gib")?.unwrap_or(0),
                        gib,
                    },
                    _ => return Err(LineError(
                        "lab write needs either --path P [--text T] or --gib N [--offset-gib O]"
                            .into(),
                    )),
                };
            let command = Command::WriteData {
                instance_id,
                device: options.get("device").map(str::to_owned),
                write,
            };
            if let Err(error) = session.world.apply(region_name, command) {
                return Ok(Outcome::ApiError {
                    code: error.code.to_owned(),
                    message: error.message,
                    operation: "LabWrite".into(),
                });
            }
            files_json(session, region_name, options)?
        }
        "files" => files_json(session, region_name, options)?,
        "snapshots" => snapshots_json(region),
        "storage" => storage_json(region),
        "bill" => {
            let now = session.world.clock();
            let only = match options.get("instance") {
                Some(_) => Some(instance_of(region)?),
                None => None,
            };
            let instances: Vec<Value> = region
                .instances
                .values()
                .filter(|i| only.as_ref().is_none_or(|id| *id == i.id))
                .map(|i| {
                    json!({
                        "InstanceId": i.id.as_str(),
                        "Name": i.tags.name(),
                        "State": i.state.name(),
                        "BilledSeconds": i.billed_seconds_at(now),
                    })
                })
                .collect();
            json!({ "Clock": now, "Instances": instances })
        }
        _ => return Err(LineError(format!("'lab {verb}' is not a lab command"))),
    };
    Ok(Outcome::Response {
        value,
        output: OutputFormat::Json,
        operation: String::new(),
    })
}

/// `{"InstanceId", "Disks": [{"Device", "Kind", "VolumeId"?, "UsedGiB", "Files": {…}}]}`.
fn files_json(
    session: &Session,
    region_name: &str,
    options: &LabOptions,
) -> Result<Value, LineError> {
    let region = session.world.region(region_name).ok_or_else(|| {
        LineError(format!(
            "the lab does not simulate the Region {region_name}"
        ))
    })?;
    let key = options
        .get("instance")
        .ok_or_else(|| LineError("lab files needs --instance <id or Name tag>".into()))?;
    let instance = find_instance(region, key)
        .ok_or_else(|| LineError(format!("no instance '{key}' in {region_name}")))?;
    let device = options.get("device");
    let mut disks = Vec::new();
    for mapped in &instance.block_devices {
        if device.is_some_and(|d| d != mapped.device_name) {
            continue;
        }
        if let Some(volume) = region.volumes.get(&mapped.volume_id) {
            disks.push(json!({
                "Device": mapped.device_name,
                "Kind": "ebs",
                "VolumeId": volume.id.as_str(),
                "UsedGiB": volume.data.used_gib(),
                "Files": volume.data.files,
            }));
        }
    }
    for disk in &instance.instance_store {
        if device.is_some_and(|d| d != disk.device_name && d != disk.virtual_name) {
            continue;
        }
        disks.push(json!({
            "Device": disk.device_name,
            "Kind": "instance-store",
            "VirtualName": disk.virtual_name,
            "UsedGiB": disk.data.used_gib(),
            "Files": disk.data.files,
        }));
    }
    Ok(json!({
        "InstanceId": instance.id.as_str(),
        "State": instance.state.name(),
        "BootCount": instance.boot_count,
        "Disks": disks,
    }))
}

/// Each snapshot's data and what it stores itself (E1), and the total.
fn snapshots_json(region: &RegionState) -> Value {
    let mut total = 0u64;
    let mut items: Vec<(&ec2lab_sim::Snapshot, u32)> = region
        .snapshots
        .values()
        .map(|s| (s, region.snapshot_stored_gib(&s.id).unwrap_or(0)))
        .collect();
    items.sort_by_key(|(s, _)| s.sequence);
    let list: Vec<Value> = items
        .iter()
        .map(|(s, stored)| {
            total += u64::from(*stored);
            json!({
                "SnapshotId": s.id.as_str(),
                "VolumeId": s.volume_id.as_ref().map_or("vol-ffffffff".to_owned(), ToString::to_string),
                "Encrypted": s.encrypted,
                "DataGiB": s.data.used_gib(),
                "StoredGiB": stored,
            })
        })
        .collect();
    json!({ "Snapshots": list, "TotalStoredGiB": total })
}

/// `lab storage`: the account's block, file and object storage side by side
/// (J1-J4): EBS volumes live in one AZ, instance store on one host, EFS in
/// a Region (or one AZ) behind mount targets, and S3 holds what EC2 keeps
/// there for you: EBS snapshots and instance-store AMIs.
fn storage_json(region: &RegionState) -> Value {
    let instances_of = |volume: &ec2lab_sim::Volume| -> Vec<String> {
        volume
            .attachments
            .iter()
            .map(|a| a.instance_id.to_string())
            .collect()
    };
    let ebs: Vec<Value> = region
        .volumes
        .values()
        .map(|v| {
            json!({
                "VolumeId": v.id.as_str(),
                "AvailabilityZone": v.availability_zone,
                "SizeGiB": v.size_gib,
                "AttachedTo": instances_of(v),
            })
        })
        .collect();
    let store: Vec<Value> = region
        .instances
        .values()
        .flat_map(|i| {
            i.instance_store.iter().map(move |d| {
                json!({
                    "InstanceId": i.id.as_str(),
                    "Device": d.device_name,
                    "SizeGB": d.size_gb,
                    "Host": format!("the host of {} in {}", i.id, i.availability_zone),
                })
            })
        })
        .collect();
    let efs: Vec<Value> = region
        .file_systems
        .values()
        .map(|fs| {
            let mut zones: Vec<String> = region
                .mount_targets
                .values()
                .filter(|mt| mt.file_system_id == fs.id)
                .map(|mt| mt.availability_zone.clone())
                .collect();
            zones.sort();
            json!({
                "FileSystemId": fs.id.as_str(),
                "Storage": fs.availability_zone.as_ref().map_or_else(|| "Regional (several AZs)".to_owned(), |az| format!("One Zone ({az})")),
                "MountTargetsIn": zones,
                "Files": fs.data.files.len(),
            })
        })
        .collect();
    let snapshots: Vec<&str> = region.snapshots.values().map(|s| s.id.as_str()).collect();
    json!({
        "Block": {
            "EBS": {"Scope": "one Availability Zone; attaches to instances in that AZ (J1, F1)", "Volumes": ebs},
            "InstanceStore": {"Scope": "the instance's host; lost on stop, hibernate and terminate (J2)", "Disks": store},
        },
        "File": {
            "EFS": {"Scope": "a Region (or One Zone); NFS over TCP 2049 through one mount target per AZ (J3)", "FileSystems": efs},
        },
        "Object": {
            "S3": {
                "Scope": "a Region; objects up to 5 TB, designed for 99.999999999% durability (J4)",
                "HeldForYou": "EC2 keeps EBS snapshots and instance-store AMIs in S3, out of your buckets (J4, E1)",
                "Snapshots": snapshots,
            },
        },
    })
}
