//! EBS volumes: network block storage that lives in one Availability Zone.
//!
//! A volume can be attached only to instances in its own AZ (F1). There are
//! seven API volume types (F2); `CreateVolume` defaults to `gp2`. A root
//! volume is deleted when its instance terminates, other volumes are kept by
//! default (F4).

use std::fmt;

use crate::data::DiskData;
use crate::ids::{InstanceId, SnapshotId, VolumeId};
use crate::tags::Tags;

/// The seven `VolumeType` values of the API (F2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolumeType {
    /// `standard`: previous-generation magnetic.
    Standard,
    /// `io1`: Provisioned IOPS SSD.
    Io1,
    /// `io2`: Provisioned IOPS SSD.
    Io2,
    /// `gp2`: General Purpose SSD, the `CreateVolume` default.
    Gp2,
    /// `sc1`: Cold HDD; can't boot.
    Sc1,
    /// `st1`: Throughput Optimized HDD; can't boot.
    St1,
    /// `gp3`: General Purpose SSD.
    Gp3,
}

impl VolumeType {
    /// Every type, in the API's order (F2).
    pub const ALL: [Self; 7] = [
        Self::Standard,
        Self::Io1,
        Self::Io2,
        Self::Gp2,
        Self::Sc1,
        Self::St1,
        Self::Gp3,
    ];

    /// The API name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Io1 => "io1",
            Self::Io2 => "io2",
            Self::Gp2 => "gp2",
            Self::Sc1 => "sc1",
            Self::St1 => "st1",
            Self::Gp3 => "gp3",
        }
    }

    /// Reads an API name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == text)
    }

    /// The size range in GiB (F2; the 2026 API for gp3 and io2).
    pub fn size_range(self) -> (u32, u32) {
        match self {
            Self::Gp2 => (1, 16_384),
            Self::Gp3 => (1, 65_536),
            Self::Io1 => (4, 16_384),
            Self::Io2 => (4, 65_536),
            Self::St1 | Self::Sc1 => (125, 16_384),
            Self::Standard => (1, 1_024),
        }
    }

    /// Whether it can be a boot (root) volume: not the HDD types (F2).
    pub fn can_boot(self) -> bool {
        !matches!(self, Self::St1 | Self::Sc1)
    }

    /// Whether `Iops` can be set: required for io1/io2, optional for gp3,
    /// refused for the others (F2).
    pub fn takes_iops(self) -> bool {
        matches!(self, Self::Io1 | Self::Io2 | Self::Gp3)
    }

    /// Provisioned IOPS limits: (min, max, max per GiB) (F2).
    pub fn iops_limits(self) -> Option<(u32, u32, u32)> {
        match self {
            Self::Gp3 => Some((3_000, 80_000, 500)),
            Self::Io1 => Some((100, 64_000, 50)),
            Self::Io2 => Some((100, 256_000, 1_000)),
            _ => None,
        }
    }

    /// The IOPS a volume of this type and size gets without asking (F2):
    /// gp3 3,000; gp2 3 per GiB between 100 and 16,000; none for the others.
    pub fn baseline_iops(self, size_gib: u32) -> Option<u32> {
        match self {
            Self::Gp3 => Some(3_000),
            Self::Gp2 => Some(size_gib.saturating_mul(3).clamp(100, 16_000)),
            _ => None,
        }
    }

    /// Whether Multi-Attach is possible: Provisioned IOPS only (F3).
    pub fn multi_attach_capable(self) -> bool {
        matches!(self, Self::Io1 | Self::Io2)
    }
}

impl fmt::Display for VolumeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A volume's state (F5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolumeState {
    /// `creating`: just made; it can't be attached yet.
    Creating,
    /// `available`: attached to nothing.
    Available,
    /// `in-use`: attached.
    InUse,
}

impl fmt::Display for VolumeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Creating => "creating",
            Self::Available => "available",
            Self::InUse => "in-use",
        })
    }
}

/// One attachment of a volume to an instance (F5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeAttachment {
    /// The instance.
    pub instance_id: InstanceId,
    /// The device name, e.g. `/dev/sdf`.
    pub device: String,
    /// Whether terminating the instance deletes the volume (F4).
    pub delete_on_termination: bool,
    /// When it was attached (lab seconds).
    pub attach_time: u64,
}

/// An EBS volume.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Volume {
    /// `vol-…`.
    pub id: VolumeId,
    /// The AZ it lives in (F1).
    pub availability_zone: String,
    /// Size in GiB.
    pub size_gib: u32,
    /// The type (F2).
    pub volume_type: VolumeType,
    /// `Iops`: provisioned (io1, io2, gp3) or the gp2 baseline.
    pub iops: Option<u32>,
    /// `Throughput` in MiB/s (gp3 only).
    pub throughput: Option<u32>,
    /// Whether it is encrypted (E3; off unless asked for or encryption by
    /// default is enabled, E5).
    pub encrypted: bool,
    /// The KMS key ARN, when encrypted.
    pub kms_key_id: Option<String>,
    /// The snapshot it was created from.
    pub snapshot_id: Option<SnapshotId>,
    /// `MultiAttachEnabled` (F3).
    pub multi_attach: bool,
    /// The state (F5).
    pub state: VolumeState,
    /// When it was created (lab seconds).
    pub create_time: u64,
    /// What is on it.
    pub data: DiskData,
    /// Attachments: at most one unless Multi-Attach (F3).
    pub attachments: Vec<VolumeAttachment>,
    /// Tags.
    pub tags: Tags,
}

impl Volume {
    /// `Iops` as an AMI's mapping records it: provisioned types only.
    pub fn takes_iops_field(&self) -> Option<u32> {
        if self.volume_type.takes_iops() {
            self.iops
        } else {
            None
        }
    }
}
