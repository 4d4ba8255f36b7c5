//! EBS: volumes (F1–F5), snapshots (E1–E4, D6, E8) and encryption (E3, E5).

use std::borrow::Cow;

use super::RegionState;
use crate::command::{CreateVolume, Permission, Response};
use crate::data::DiskData;
use crate::error::ApiError;
use crate::ids::{IdGenerator, InstanceId, SnapshotId, VolumeId};
use crate::image::public_image_of_snapshot;
use crate::instance::{instance_type, InstanceBlockDevice, InstanceState};
use crate::kms::{KmsKey, DEFAULT_EBS_KEY};
use crate::snapshot::{Snapshot, SnapshotState};
use crate::tags::Tags;
use crate::volume::{Volume, VolumeAttachment, VolumeState, VolumeType};
use crate::ACCOUNT_ID;

/// Seconds a new volume spends `creating`.
pub const VOLUME_CREATE_SECONDS: u64 = 5;

/// Seconds a snapshot (or a snapshot copy) spends `pending`.
pub const SNAPSHOT_SECONDS: u64 = 60;

/// Instances one Multi-Attach volume can be attached to (F3).
pub const MULTI_ATTACH_LIMIT: usize = 16;

/// Regions where io1 volumes can use Multi-Attach (F3; io2 can everywhere).
const IO1_MULTI_ATTACH_REGIONS: [&str; 4] =
    ["us-east-1", "us-west-1", "us-west-2", "ap-northeast-2"];

/// A volume about to be made: checked, not yet given an id.
#[derive(Clone, Debug)]
pub(super) struct VolumeSpec {
    pub zone: String,
    pub size_gib: u32,
    pub volume_type: VolumeType,
    pub iops: Option<u32>,
    pub throughput: Option<u32>,
    pub encrypted: bool,
    pub kms_key_id: Option<String>,
    pub snapshot_id: Option<SnapshotId>,
    pub multi_attach: bool,
    pub data: DiskData,
    pub tags: Tags,
}

impl VolumeSpec {
    /// The volume, `creating` at `now`.
    pub fn into_volume(self, id: VolumeId, now: u64) -> Volume {
        Volume {
            id,
            availability_zone: self.zone,
            size_gib: self.size_gib,
            volume_type: self.volume_type,
            iops: self.iops,
            throughput: self.throughput,
            encrypted: self.encrypted,
            kms_key_id: self.kms_key_id,
            snapshot_id: self.snapshot_id,
            multi_attach: self.multi_attach,
            state: VolumeState::Creating,
            create_time: now,
            attachments: Vec::new(),
            data: self.data,
            tags: self.tags,
        }
    }
}

/// `CopySnapshot`'s options.
pub(super) struct CopyOptions {
    pub description: Option<String>,
    pub encrypted: Option<bool>,
    pub kms_key_id: Option<String>,
    pub tags: Tags,
}

/// Checks a device name the way `AttachVolume` does.
fn valid_device_name(device: &str) -> bool {
    let name = device.strip_prefix("/dev/").unwrap_or(device);
    let letters = name
        .strip_prefix("xvd")
        .or_else(|| name.strip_prefix("sd"))
        .unwrap_or("");
    let (alpha, digits): (String, String) = letters.chars().partition(char::is_ascii_lowercase);
    (1..=2).contains(&alpha.len())
        && letters.starts_with(alpha.as_str())
        && digits.chars().all(|c| c.is_ascii_digit())
}

impl RegionState {
    /// The volume with this id, or `InvalidVolume.NotFound`.
    pub(super) fn volume(&self, id: &VolumeId) -> Result<&Volume, ApiError> {
        self.volumes.get(id).ok_or_else(|| {
            ApiError::new(
                "InvalidVolume.NotFound",
                format!("The volume '{id}' does not exist."),
            )
        })
    }

    /// A snapshot this Region can restore from: the account's own, or the
    /// root snapshot of a public AMI.
    pub fn snapshot(&self, id: &SnapshotId) -> Option<Cow<'_, Snapshot>> {
        if let Some(snapshot) = self.snapshots.get(id) {
            return Some(Cow::Borrowed(snapshot));
        }
        let image = public_image_of_snapshot(self.name(), id)?;
        Some(Cow::Owned(Snapshot {
            id: id.clone(),
            volume_id: None,
            lineage: None,
            volume_size_gib: image.root_volume_size_gib,
            state: SnapshotState::Completed,
            start_time: 0,
            completes_at: 0,
            description: format!("Root volume of {}", image.name),
            encrypted: false,
            kms_key_id: None,
            data: image.root_data(),
            full: true,
            public: true,
            shared_with: Vec::new(),
            sequence: 0,
            owner_id: image.owner_id.to_owned(),
            tags: Tags::new(),
        }))
    }

    /// The snapshot or `InvalidSnapshot.NotFound`.
    pub(super) fn snapshot_or_not_found(
        &self,
        id: &SnapshotId,
    ) -> Result<Cow<'_, Snapshot>, ApiError> {
        self.snapshot(id).ok_or_else(|| {
            ApiError::new(
                "InvalidSnapshot.NotFound",
                format!("The snapshot '{id}' does not exist."),
            )
        })
    }

    /// GiB a snapshot stores itself: all its data if it is the first of
    /// its volume (or a full copy), else only what changed since the
    /// previous snapshot of the volume that still exists (E1).
    pub fn snapshot_stored_gib(&self, id: &SnapshotId) -> Option<u32> {
        let snapshot = self.snapshots.get(id)?;
        let base = if snapshot.full {
            None
        } else {
            snapshot.lineage.as_ref().and_then(|lineage| {
                self.snapshots
                    .values()
                    .filter(|s| {
                        s.lineage.as_ref() == Some(lineage) && s.sequence < snapshot.sequence
                    })
                    .max_by_key(|s| s.sequence)
            })
        };
        Some(match base {
            None => snapshot.data.used_gib(),
            Some(base) => snapshot.data.changed_since(&base.data),
        })
    }

    /// The key a `KmsKeyId` names, or an error naming it.
    fn kms_key(&self, text: &str) -> Result<KmsKey, ApiError> {
        KmsKey::resolve(self.name(), text).ok_or_else(|| {
            ApiError::new(
                "InvalidKMSKey.NotFound",
                format!(
                    "The KMS key '{text}' does not exist in {}. The lab's keys are alias/aws/ebs (AWS managed, the default) and alias/lab-key (customer managed).",
                    self.name()
                ),
            )
        })
    }

    /// Checks a new volume's parameters as `CreateVolume` does (F2, F3, E3,
    /// E5) and works out what AWS fills in.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn volume_spec(
        &self,
        zone: &str,
        size_gib: Option<u32>,
        snapshot_id: Option<&SnapshotId>,
        volume_type: Option<&str>,
        iops: Option<u32>,
        throughput: Option<u32>,
        encrypted: Option<bool>,
        kms_key_id: Option<&str>,
        multi_attach: bool,
        tags: Tags,
        device: Option<&str>,
    ) -> Result<VolumeSpec, ApiError> {
        let at = device.map(|d| format!(" (device {d})")).unwrap_or_default();
        // F2: CreateVolume defaults to gp2.
        let volume_type = match volume_type {
            None => VolumeType::Gp2,
            Some(name) => VolumeType::parse(name).ok_or_else(|| {
                ApiError::invalid_value(
                    "VolumeType",
                    name,
                    "Valid types are standard, io1, io2, gp2, sc1, st1 and gp3.",
                )
            })?,
        };
        let snapshot = match snapshot_id {
            Some(id) => Some(self.snapshot_or_not_found(id)?),
            None => None,
        };
        if let Some(snapshot) = snapshot
            .as_ref()
            .filter(|s| s.state != SnapshotState::Completed)
        {
            return Err(ApiError::new(
                "IncorrectState",
                format!(
                    "Snapshot is in invalid state - {}: '{}' can be restored once it is completed.",
                    snapshot.state, snapshot.id
                ),
            ));
        }
        let size_gib = match (size_gib, &snapshot) {
            (Some(size), _) => size,
            (None, Some(snapshot)) => snapshot.volume_size_gib,
            (None, None) => {
                return Err(ApiError::new(
                    "MissingParameter",
                    format!("The request must contain the parameter size or snapshotId{at}"),
                ))
            }
        };
        if let Some(snapshot) = &snapshot {
            if size_gib < snapshot.volume_size_gib {
                return Err(ApiError::new(
                    if device.is_some() {
                        "InvalidBlockDeviceMapping"
                    } else {
                        "InvalidParameterValue"
                    },
                    format!(
                        "Volume of size {size_gib}GB is smaller than snapshot '{}', expect size >= {}GB",
                        snapshot.id, snapshot.volume_size_gib
                    ),
                ));
            }
        }
        let (min, max) = volume_type.size_range();
        if !(min..=max).contains(&size_gib) {
            return Err(ApiError::invalid_value(
                "Size",
                &size_gib.to_string(),
                &format!("A {volume_type} volume must be {min} to {max} GiB{at}."),
            ));
        }
        let iops = self.check_iops(volume_type, size_gib, iops, &at)?;
        let throughput = check_throughput(volume_type, iops, throughput, &at)?;
        if multi_attach {
            check_multi_attach(self.name(), volume_type)?;
        }
        // E3, E5: a volume is encrypted if asked, if its snapshot is, or if
        // encryption by default is on; it can't be unencrypted then.
        let from_encrypted = snapshot.as_ref().is_some_and(|s| s.encrypted);
        if kms_key_id.is_some()
            && encrypted != Some(true)
            && !self.ebs_encryption_by_default
            && !from_encrypted
        {
            return Err(ApiError::new(
                "InvalidParameterDependency",
                "The parameter KmsKeyId requires the parameter Encrypted to be set.",
            ));
        }
        let encrypted = encrypted == Some(true) || from_encrypted || self.ebs_encryption_by_default;
        let kms_key_id = if encrypted {
            Some(match kms_key_id {
                Some(text) => self.kms_key(text)?.arn(self.name()),
                None => snapshot
                    .as_ref()
                    .and_then(|s| s.kms_key_id.clone())
                    .unwrap_or_else(|| DEFAULT_EBS_KEY.arn(self.name())),
            })
        } else {
            None
        };
        Ok(VolumeSpec {
            zone: zone.to_owned(),
            size_gib,
            volume_type,
            iops,
            throughput,
            encrypted,
            kms_key_id,
            snapshot_id: snapshot_id.cloned(),
            multi_attach,
            data: snapshot.map(|s| s.data.clone()).unwrap_or_default(),
            tags,
        })
    }

    /// F2: `Iops` is required for io1/io2, optional for gp3 and refused
    /// for the rest; each type has its range and IOPS-per-GiB ratio.
    fn check_iops(
        &self,
        volume_type: VolumeType,
        size_gib: u32,
        iops: Option<u32>,
        at: &str,
    ) -> Result<Option<u32>, ApiError> {
        let Some((min, max, per_gib)) = volume_type.iops_limits() else {
            if iops.is_some() {
                return Err(ApiError::new(
                    "InvalidParameterCombination",
                    format!("The parameter iops is not supported for {volume_type} volumes{at}."),
                ));
            }
            return Ok(volume_type.baseline_iops(size_gib));
        };
        let Some(iops) = iops else {
            if volume_type == VolumeType::Gp3 {
                return Ok(volume_type.baseline_iops(size_gib));
            }
            return Err(ApiError::new(
                "MissingParameter",
                format!("The request must contain the parameter iops{at}: {volume_type} volumes are Provisioned IOPS."),
            ));
        };
        if iops < min {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!("Volume iops of {iops} is too low; minimum is {min}{at}."),
            ));
        }
        if iops > max {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!("Volume iops of {iops} is too high; maximum is {max}{at}."),
            ));
        }
        if iops > per_gib.saturating_mul(size_gib)
            && !(volume_type == VolumeType::Gp3 && iops <= 3_000)
        {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!(
                    "Iops to volume size ratio of {} is too high; maximum is {per_gib}.000000{at}.",
                    ratio(iops, size_gib)
                ),
            ));
        }
        Ok(Some(iops))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    pub(super) fn create_volume(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        request: CreateVolume,
    ) -> Result<Response, ApiError> {
        self.check_zone(&request.availability_zone)?;
        let spec = self.volume_spec(
            &request.availability_zone,
            request.size_gib,
            request.snapshot_id.as_ref(),
            request.volume_type.as_deref(),
            request.iops,
            request.throughput,
            request.encrypted,
            request.kms_key_id.as_deref(),
            request.multi_attach,
            request.tags,
            None,
        )?;
        let id = VolumeId::new(ids.next(VolumeId::PREFIX));
        self.volumes
            .insert(id.clone(), spec.into_volume(id.clone(), now));
        Ok(Response::Volume(id))
    }

    // Not inlined: see `create_volume`.
    #[inline(never)]
    pub(super) fn attach_volume(
        &mut self,
        now: u64,
        volume_id: &VolumeId,
        instance_id: &InstanceId,
        device: &str,
    ) -> Result<Response, ApiError> {
        let volume = self.volume(volume_id)?;
        let instance = self.instance(instance_id)?;
        if !valid_device_name(device) {
            return Err(ApiError::invalid_value(
                "device",
                device,
                &format!("{device} is not a valid EBS device name."),
            ));
        }
        if !matches!(
            instance.state,
            InstanceState::Running | InstanceState::Stopped
        ) {
            return Err(ApiError::new(
                "IncorrectInstanceState",
                format!("Instance '{instance_id}' is not 'running'."),
            ));
        }
        if volume.state == VolumeState::Creating {
            return Err(ApiError::new(
                "IncorrectState",
                format!("{volume_id} is not 'available'."),
            ));
        }
        // F1: a volume attaches only to instances in its own AZ.
        if volume.availability_zone != instance.availability_zone {
            return Err(ApiError::new(
                "InvalidVolume.ZoneMismatch",
                format!("The volume '{volume_id}' is not in the same availability zone as instance '{instance_id}'"),
            ));
        }
        if volume
            .attachments
            .iter()
            .any(|a| a.instance_id == *instance_id)
        {
            return Err(ApiError::new(
                "VolumeInUse",
                format!("{volume_id} is already attached to instance {instance_id}"),
            ));
        }
        if !volume.attachments.is_empty() {
            if !volume.multi_attach {
                return Err(ApiError::new(
                    "VolumeInUse",
                    format!("{volume_id} is already attached to an instance"),
                ));
            }
            // F3: at most 16 instances share one volume.
            if volume.attachments.len() >= MULTI_ATTACH_LIMIT {
                return Err(ApiError::new(
                    "AttachmentLimitExceeded",
                    format!("The Multi-Attach volume '{volume_id}' is already attached to {MULTI_ATTACH_LIMIT} instances, the most it can be."),
                ));
            }
        }
        if volume.multi_attach {
            // F3: Nitro instances only, and never as the boot volume.
            if !instance_type(&instance.instance_type).is_some_and(|t| t.nitro) {
                return Err(ApiError::new(
                    "UnsupportedOperation",
                    format!("Multi-Attach volumes can be attached only to instances built on the Nitro System; {} is not.", instance.instance_type),
                ));
            }
            if device == instance.root_device_name {
                return Err(ApiError::new(
                    "InvalidParameterCombination",
                    format!("A Multi-Attach volume can't be a boot volume; attach {volume_id} at another device than {device}."),
                ));
            }
        }
        let taken = instance
            .block_devices
            .iter()
            .map(|d| d.device_name.as_str())
            .chain(
                instance
                    .instance_store
                    .iter()
                    .map(|d| d.device_name.as_str()),
            )
            .any(|d| d == device);
        if taken {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!("Invalid value '{device}' for unixDevice. Attachment point {device} is already in use"),
            ));
        }
        if let Some(volume) = self.volumes.get_mut(volume_id) {
            volume.attachments.push(VolumeAttachment {
                instance_id: instance_id.clone(),
                device: device.to_owned(),
                delete_on_termination: false,
                attach_time: now,
            });
            volume.state = VolumeState::InUse;
        }
        if let Some(instance) = self.instances.get_mut(instance_id) {
            instance.block_devices.push(InstanceBlockDevice {
                device_name: device.to_owned(),
                volume_id: volume_id.clone(),
                delete_on_termination: false,
            });
        }
        Ok(Response::Volume(volume_id.clone()))
    }

    // Not inlined: see `create_volume`.
    #[inline(never)]
    pub(super) fn detach_volume(
        &mut self,
        volume_id: &VolumeId,
        instance_id: Option<&InstanceId>,
        force: bool,
    ) -> Result<Response, ApiError> {
        let _ = force;
        let volume = self.volume(volume_id)?;
        if volume.attachments.is_empty() {
            return Err(ApiError::new(
                "IncorrectState",
                format!("Volume '{volume_id}' is in the '{}' state.", volume.state),
            ));
        }
        let attachment = match instance_id {
            Some(id) => volume
                .attachments
                .iter()
                .find(|a| a.instance_id == *id)
                .ok_or_else(|| {
                    ApiError::new(
                        "InvalidAttachment.NotFound",
                        format!("Volume '{volume_id}' is not attached to instance '{id}'."),
                    )
                })?,
            None if volume.attachments.len() > 1 => {
                return Err(ApiError::new(
                    "InvalidParameterCombination",
                    format!("The volume '{volume_id}' is attached to several instances; say which with --instance-id."),
                ))
            }
            None => &volume.attachments[0],
        };
        let instance_id = attachment.instance_id.clone();
        if let Some(instance) = self.instances.get(&instance_id) {
            if attachment.device == instance.root_device_name
                && instance.state != InstanceState::Stopped
            {
                return Err(ApiError::new(
                    "OperationNotPermitted",
                    format!(
                        "Unable to detach root volume '{volume_id}' from instance '{instance_id}'"
                    ),
                ));
            }
        }
        if let Some(volume) = self.volumes.get_mut(volume_id) {
            volume.attachments.retain(|a| a.instance_id != instance_id);
            if volume.attachments.is_empty() {
                volume.state = VolumeState::Available;
            }
        }
        if let Some(instance) = self.instances.get_mut(&instance_id) {
            instance.block_devices.retain(|d| d.volume_id != *volume_id);
        }
        Ok(Response::Volume(volume_id.clone()))
    }

    // Not inlined: see `create_volume`.
    #[inline(never)]
    pub(super) fn delete_volume(&mut self, volume_id: &VolumeId) -> Result<Response, ApiError> {
        let volume = self.volume(volume_id)?;
        if let Some(attachment) = volume.attachments.first() {
            return Err(ApiError::new(
                "VolumeInUse",
                format!(
                    "Volume {volume_id} is currently attached to {}",
                    attachment.instance_id
                ),
            ));
        }
        self.volumes.remove(volume_id);
        Ok(Response::Done)
    }

    // Not inlined: see `create_volume`.
    #[inline(never)]
    pub(super) fn modify_volume(
        &mut self,
        volume_id: &VolumeId,
        size_gib: Option<u32>,
        volume_type: Option<&str>,
        iops: Option<u32>,
        throughput: Option<u32>,
        multi_attach: Option<bool>,
    ) -> Result<Response, ApiError> {
        let volume = self.volume(volume_id)?;
        let new_type = match volume_type {
            None => volume.volume_type,
            Some(name) => VolumeType::parse(name).ok_or_else(|| {
                ApiError::invalid_value(
                    "VolumeType",
                    name,
                    "Valid types are standard, io1, io2, gp2, sc1, st1 and gp3.",
                )
            })?,
        };
        let size = size_gib.unwrap_or(volume.size_gib);
        if size < volume.size_gib {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!("New size cannot be smaller than existing size ({} GiB): EBS volumes only grow.", volume.size_gib),
            ));
        }
        let (min, max) = new_type.size_range();
        if !(min..=max).contains(&size) {
            return Err(ApiError::invalid_value(
                "Size",
                &size.to_string(),
                &format!("A {new_type} volume must be {min} to {max} GiB."),
            ));
        }
        // Keep provisioned IOPS across a size change; a type change starts
        // from the new type's defaults.
        let iops_in = iops.or(if new_type == volume.volume_type && new_type.takes_iops() {
            volume.iops
        } else {
            None
        });
        let new_iops = self.check_iops(new_type, size, iops_in, "")?;
        let throughput_in = throughput.or(
            if new_type == VolumeType::Gp3 && volume.volume_type == VolumeType::Gp3 {
                volume.throughput
            } else {
                None
            },
        );
        let new_throughput = check_throughput(new_type, new_iops, throughput_in, "")?;
        let new_multi = multi_attach.unwrap_or(volume.multi_attach);
        if new_multi {
            check_multi_attach(self.name(), new_type)?;
        }
        if new_multi != volume.multi_attach && !volume.attachments.is_empty() {
            return Err(ApiError::new(
                "IncorrectState",
                format!(
                    "Multi-Attach can't be turned on or off while '{volume_id}' is attached (F3)."
                ),
            ));
        }
        let boot = volume.attachments.iter().any(|a| {
            self.instances
                .get(&a.instance_id)
                .is_some_and(|i| i.root_device_name == a.device)
        });
        if boot && !new_type.can_boot() {
            return Err(ApiError::new(
                "InvalidParameterCombination",
                format!("'{volume_id}' is a boot volume, and {new_type} volumes can't be boot volumes (F2)."),
            ));
        }
        if let Some(volume) = self.volumes.get_mut(volume_id) {
            volume.size_gib = size;
            volume.volume_type = new_type;
            volume.iops = new_iops;
            volume.throughput = new_throughput;
            volume.multi_attach = new_multi;
        }
        Ok(Response::Volume(volume_id.clone()))
    }

    // Not inlined: see `create_volume`.
    #[inline(never)]
    pub(super) fn create_snapshot(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        volume_id: &VolumeId,
        description: String,
        tags: Tags,
    ) -> Result<Response, ApiError> {
        let volume = self.volume(volume_id)?;
        if volume.state == VolumeState::Creating {
            return Err(ApiError::new(
                "IncorrectState",
                format!("The volume '{volume_id}' is still being created."),
            ));
        }
        let snapshot = self.snapshot_of(ids, now, volume_id, description, tags)?;
        let id = snapshot.id.clone();
        self.snapshots.insert(id.clone(), snapshot);
        Ok(Response::Snapshot(id))
    }

    /// A new snapshot of a volume (E1: of its data as it is now; E3:
    /// encrypted exactly when the volume is).
    pub(super) fn snapshot_of(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        volume_id: &VolumeId,
        description: String,
        tags: Tags,
    ) -> Result<Snapshot, ApiError> {
        let volume = self.volume(volume_id)?;
        let id = SnapshotId::new(ids.next(SnapshotId::PREFIX));
        let snapshot = Snapshot {
            id,
            volume_id: Some(volume_id.clone()),
            lineage: Some(volume_id.clone()),
            volume_size_gib: volume.size_gib,
            state: SnapshotState::Pending,
            start_time: now,
            completes_at: now + SNAPSHOT_SECONDS,
            description,
            encrypted: volume.encrypted,
            kms_key_id: volume.kms_key_id.clone(),
            data: volume.data.clone(),
            full: false,
            public: false,
            shared_with: Vec::new(),
            sequence: self.next_snapshot_sequence(),
            owner_id: ACCOUNT_ID.to_owned(),
            tags,
        };
        self.snapshot_sequence = snapshot.sequence;
        Ok(snapshot)
    }

    /// The next snapshot's place in the order snapshots were taken.
    pub(super) fn next_snapshot_sequence(&self) -> u64 {
        self.snapshot_sequence + 1
    }

    /// A copy of `source` (from `source_region`) in this Region, with its
    /// encryption worked out as E4 says. Not stored yet.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn snapshot_copy(
        &self,
        ids: &mut IdGenerator,
        now: u64,
        source_region: &str,
        source: &Snapshot,
        encrypted: Option<bool>,
        kms_key_id: Option<&str>,
        description: String,
        sequence: u64,
    ) -> Result<Snapshot, ApiError> {
        // E4: encrypted → unencrypted is not possible.
        if source.encrypted && encrypted == Some(false) {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!(
                    "The snapshot '{}' is encrypted, and a copy of an encrypted snapshot is always encrypted: Encrypted can't be false.",
                    source.id
                ),
            ));
        }
        let encrypt = source.encrypted || encrypted == Some(true) || self.ebs_encryption_by_default;
        if kms_key_id.is_some() && !encrypt {
            return Err(ApiError::new(
                "InvalidParameterDependency",
                "The parameter KmsKeyId requires the parameter Encrypted to be set.",
            ));
        }
        let key = if encrypt {
            Some(match kms_key_id {
                Some(text) => self.kms_key(text)?.arn(self.name()),
                // Keys are Regional: the same key in the same Region, else
                // the destination's default key.
                None => match (&source.kms_key_id, source_region == self.name()) {
                    (Some(arn), true) => arn.clone(),
                    _ => DEFAULT_EBS_KEY.arn(self.name()),
                },
            })
        } else {
            None
        };
        // D3, E2, E4: the first copy into a Region, and a copy that
        // changes encryption or the key, is full; later ones incremental.
        let changes_encryption = key != source.kms_key_id;
        let earlier_copy = source.lineage.as_ref().is_some_and(|lineage| {
            self.snapshots
                .values()
                .any(|s| s.lineage.as_ref() == Some(lineage) && s.kms_key_id == key)
        });
        Ok(Snapshot {
            id: SnapshotId::new(ids.next(SnapshotId::PREFIX)),
            volume_id: None,
            lineage: source.lineage.clone(),
            volume_size_gib: source.volume_size_gib,
            state: SnapshotState::Pending,
            start_time: now,
            completes_at: now + SNAPSHOT_SECONDS,
            description,
            encrypted: encrypt,
            kms_key_id: key,
            data: source.data.clone(),
            full: changes_encryption || !earlier_copy,
            public: false,
            shared_with: Vec::new(),
            sequence,
            owner_id: ACCOUNT_ID.to_owned(),
            tags: Tags::new(),
        })
    }

    // Not inlined: see `create_volume`.
    #[inline(never)]
    pub(super) fn copy_snapshot(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        source_region: &str,
        source: &Snapshot,
        options: CopyOptions,
    ) -> Result<Response, ApiError> {
        if source.state != SnapshotState::Completed {
            return Err(ApiError::new(
                "IncorrectState",
                format!(
                    "The snapshot '{}' is pending; copy it once it is completed.",
                    source.id
                ),
            ));
        }
        let description = options.description.unwrap_or_else(|| {
            format!(
                "[Copied {} from {source_region}] {}",
                source.id, source.description
            )
        });
        let sequence = self.next_snapshot_sequence();
        let mut copy = self.snapshot_copy(
            ids,
            now,
            source_region,
            source,
            options.encrypted,
            options.kms_key_id.as_deref(),
            description,
            sequence,
        )?;
        copy.tags = options.tags;
        self.snapshot_sequence = sequence;
        let id = copy.id.clone();
        self.snapshots.insert(id.clone(), copy);
        Ok(Response::Snapshot(id))
    }

    // Not inlined: see `create_volume`.
    #[inline(never)]
    pub(super) fn delete_snapshot(&mut self, id: &SnapshotId) -> Result<Response, ApiError> {
        if !self.snapshots.contains_key(id) {
            if self.snapshot(id).is_some() {
                return Err(ApiError::new(
                    "UnauthorizedOperation",
                    format!("You are not authorized to delete the snapshot '{id}': it belongs to another account."),
                ));
            }
            return Err(ApiError::new(
                "InvalidSnapshot.NotFound",
                format!("The snapshot '{id}' does not exist."),
            ));
        }
        // D6: a snapshot used by a registered AMI can't be deleted.
        if let Some(image) = self
            .images
            .values()
            .find(|image| image.snapshot_ids().any(|s| s == id))
        {
            return Err(ApiError::new(
                "InvalidSnapshot.InUse",
                format!("The snapshot {id} is currently in use by {}", image.id),
            ));
        }
        self.snapshots.remove(id);
        Ok(Response::Done)
    }

    // Not inlined: see `create_volume`.
    #[inline(never)]
    pub(super) fn modify_snapshot_attribute(
        &mut self,
        id: &SnapshotId,
        add: &[Permission],
        remove: &[Permission],
    ) -> Result<Response, ApiError> {
        let Some(snapshot) = self.snapshots.get(id) else {
            return Err(ApiError::new(
                "InvalidSnapshot.NotFound",
                format!("The snapshot '{id}' does not exist."),
            ));
        };
        for permission in add {
            match permission {
                // E8: public snapshots of encrypted volumes are not supported.
                Permission::All if snapshot.encrypted => {
                    return Err(ApiError::new(
                        "OperationNotPermitted",
                        "Encrypted snapshots can't be shared publicly.",
                    ))
                }
                Permission::Account(account) => {
                    check_account_id(account)?;
                    let aws_managed = snapshot
                        .kms_key_id
                        .as_deref()
                        .and_then(|arn| KmsKey::by_arn(self.name(), arn))
                        .is_some_and(|key| key.aws_managed);
                    if aws_managed {
                        return Err(ApiError::new(
                            "OperationNotPermitted",
                            "Encrypted snapshots with EBS default key cannot be shared",
                        ));
                    }
                }
                Permission::All => {}
            }
        }
        if let Some(snapshot) = self.snapshots.get_mut(id) {
            apply_permissions(&mut snapshot.public, &mut snapshot.shared_with, add, remove);
        }
        Ok(Response::Done)
    }

    /// Volumes finish `creating`; snapshots complete; AMIs whose snapshots
    /// have all completed become `available`.
    pub(super) fn advance_storage(&mut self, now: u64) {
        for volume in self.volumes.iter_mut().map(|(_, v)| v) {
            if volume.state == VolumeState::Creating
                && now >= volume.create_time + VOLUME_CREATE_SECONDS
            {
                volume.state = VolumeState::Available;
            }
        }
        for snapshot in self.snapshots.iter_mut().map(|(_, v)| v) {
            if snapshot.state == SnapshotState::Pending && now >= snapshot.completes_at {
                snapshot.state = SnapshotState::Completed;
            }
        }
        let snapshots = &self.snapshots;
        for image in self.images.iter_mut().map(|(_, v)| v) {
            let done = image.snapshot_ids().all(|id| {
                snapshots
                    .get(id)
                    .is_none_or(|s| s.state == SnapshotState::Completed)
            });
            if done {
                image.state = crate::image::ImageState::Available;
            }
        }
    }
}

/// F2: `Throughput` is for gp3 only: 125 to 2,000 MiB/s, at most 0.25 MiB/s
/// per provisioned IOPS.
fn check_throughput(
    volume_type: VolumeType,
    iops: Option<u32>,
    throughput: Option<u32>,
    at: &str,
) -> Result<Option<u32>, ApiError> {
    if volume_type != VolumeType::Gp3 {
        if throughput.is_some() {
            return Err(ApiError::new(
                "InvalidParameterCombination",
                format!("The parameter throughput is not supported for {volume_type} volumes{at}; only gp3 takes it."),
            ));
        }
        return Ok(None);
    }
    let throughput = throughput.unwrap_or(125);
    if !(125..=2_000).contains(&throughput) {
        return Err(ApiError::invalid_value(
            "Throughput",
            &throughput.to_string(),
            &format!("A gp3 volume's throughput is 125 to 2000 MiB/s{at}."),
        ));
    }
    let iops = iops.unwrap_or(3_000);
    if throughput > 125 && u64::from(throughput) * 4 > u64::from(iops) {
        return Err(ApiError::new(
            "InvalidParameterValue",
            format!(
                "Throughput (MiBps) to iops ratio of {} is too high; maximum is 0.250000 MiBps per iops{at}.",
                ratio(throughput, iops)
            ),
        ));
    }
    Ok(Some(throughput))
}

/// `n / d` with six decimals, as AWS prints ratios (`100.000000`). Integer
/// arithmetic: float formatting would add kilobytes to the web page.
fn ratio(n: u32, d: u32) -> String {
    let d = u64::from(d.max(1));
    let scaled = (u64::from(n) * 2_000_000 + d) / (2 * d);
    format!("{}.{:06}", scaled / 1_000_000, scaled % 1_000_000)
}

/// F3: Multi-Attach is for io1 and io2 only, io1 only in some Regions.
fn check_multi_attach(region: &str, volume_type: VolumeType) -> Result<(), ApiError> {
    if !volume_type.multi_attach_capable() {
        return Err(ApiError::new(
            "InvalidParameterCombination",
            format!("Multi-Attach is supported only for io1 and io2 volumes, not {volume_type}."),
        ));
    }
    if volume_type == VolumeType::Io1 && !IO1_MULTI_ATTACH_REGIONS.contains(&region) {
        return Err(ApiError::new(
            "InvalidParameterCombination",
            format!(
                "Multi-Attach for io1 volumes is available only in {}; use io2 in {region}.",
                IO1_MULTI_ATTACH_REGIONS.join(", ")
            ),
        ));
    }
    Ok(())
}

/// An AWS account id: twelve digits.
pub(super) fn check_account_id(account: &str) -> Result<(), ApiError> {
    if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ApiError::invalid_value(
            "UserId",
            account,
            "An AWS account ID is 12 digits.",
        ))
    }
}

/// Adds and removes permissions (`Group=all`, `UserId=…`).
pub(super) fn apply_permissions(
    public: &mut bool,
    accounts: &mut Vec<String>,
    add: &[Permission],
    remove: &[Permission],
) {
    for permission in add {
        match permission {
            Permission::All => *public = true,
            Permission::Account(account) => {
                if !accounts.contains(account) {
                    accounts.push(account.clone());
                }
            }
        }
    }
    for permission in remove {
        match permission {
            Permission::All => *public = false,
            Permission::Account(account) => accounts.retain(|a| a != account),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ratio;

    #[test]
    fn ratios_print_with_six_decimals() {
        assert_eq!(ratio(6000, 100), "60.000000");
        assert_eq!(ratio(500, 3000), "0.166667");
    }
}
