//! EBS volumes: network block storage that lives in one Availability Zone.
//!
//! A volume can be attached only to instances in its own AZ (F1). There are
//! seven API volume types (F2); `CreateVolume` defaults to `gp2`. A root
//! volume is deleted when its instance terminates, other volumes are kept by
//! default (F4).

use std::fmt;

use crate::ids::{InstanceId, VolumeId};
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
}

impl fmt::Display for VolumeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A volume's state (F5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolumeState {
    /// `available`: attached to nothing.
    Available,
    /// `in-use`: attached.
    InUse,
}

impl fmt::Display for VolumeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
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
    /// Whether it is encrypted (E3; off unless asked for or encryption by
    /// default is enabled, E5).
    pub encrypted: bool,
    /// The state (F5).
    pub state: VolumeState,
    /// Attachments: at most one unless Multi-Attach (F3).
    pub attachments: Vec<VolumeAttachment>,
    /// Tags.
    pub tags: Tags,
}
