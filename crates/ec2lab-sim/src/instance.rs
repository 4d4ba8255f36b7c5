//! Instances: virtual servers launched from an AMI into a subnet.
//!
//! An instance moves through `pending`, `running`, `stopping`, `stopped`,
//! `shutting-down` and `terminated`, each with AWS's state code (G1). It has a
//! private IPv4 address from its subnet, a public one if the subnet assigns
//! them (C3), up to five security groups on its primary network interface
//! (A9, A11), and EBS volumes attached at device names.

use std::fmt;

use crate::ids::{
    ImageId, InstanceId, NetworkInterfaceId, ReservationId, SubnetId, VolumeId, VpcId,
};
use crate::tags::Tags;

/// An instance state (G1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum InstanceState {
    /// `pending` (0): launching or starting.
    Pending,
    /// `running` (16): billed per second (G2).
    Running,
    /// `shutting-down` (32): terminating.
    ShuttingDown,
    /// `terminated` (48).
    Terminated,
    /// `stopping` (64).
    Stopping,
    /// `stopped` (80).
    Stopped,
}

impl InstanceState {
    /// `InstanceState.Name`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::ShuttingDown => "shutting-down",
            Self::Terminated => "terminated",
            Self::Stopping => "stopping",
            Self::Stopped => "stopped",
        }
    }

    /// `InstanceState.Code` (G1).
    pub fn code(self) -> u8 {
        match self {
            Self::Pending => 0,
            Self::Running => 16,
            Self::ShuttingDown => 32,
            Self::Terminated => 48,
            Self::Stopping => 64,
            Self::Stopped => 80,
        }
    }
}

impl fmt::Display for InstanceState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A processor architecture (D1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Architecture {
    /// `x86_64`.
    X86_64,
    /// `arm64` (Graviton).
    Arm64,
}

impl fmt::Display for Architecture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::X86_64 => "x86_64",
            Self::Arm64 => "arm64",
        })
    }
}

/// One entry of the instance type catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceTypeInfo {
    /// e.g. `t3.micro`.
    pub name: &'static str,
    /// Default vCPUs.
    pub vcpus: u32,
    /// Memory in MiB.
    pub memory_mib: u32,
    /// Built on the Nitro System.
    pub nitro: bool,
    /// The architecture its AMIs must have.
    pub architecture: Architecture,
    /// Instance store disks: (count, GB each); zero count for EBS-only types.
    pub instance_store: (u32, u32),
}

/// The instance types the lab knows, as `describe-instance-types` reports them.
pub const INSTANCE_TYPES: &[InstanceTypeInfo] = &[
    InstanceTypeInfo {
        name: "t2.micro",
        vcpus: 1,
        memory_mib: 1024,
        nitro: false,
        architecture: Architecture::X86_64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "t3.micro",
        vcpus: 2,
        memory_mib: 1024,
        nitro: true,
        architecture: Architecture::X86_64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "t3.small",
        vcpus: 2,
        memory_mib: 2048,
        nitro: true,
        architecture: Architecture::X86_64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "t3.medium",
        vcpus: 2,
        memory_mib: 4096,
        nitro: true,
        architecture: Architecture::X86_64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "t4g.micro",
        vcpus: 2,
        memory_mib: 1024,
        nitro: true,
        architecture: Architecture::Arm64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "m5.large",
        vcpus: 2,
        memory_mib: 8192,
        nitro: true,
        architecture: Architecture::X86_64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "m5d.large",
        vcpus: 2,
        memory_mib: 8192,
        nitro: true,
        architecture: Architecture::X86_64,
        instance_store: (1, 75),
    },
    InstanceTypeInfo {
        name: "c5d.large",
        vcpus: 2,
        memory_mib: 4096,
        nitro: true,
        architecture: Architecture::X86_64,
        instance_store: (1, 50),
    },
    InstanceTypeInfo {
        name: "m6g.large",
        vcpus: 2,
        memory_mib: 8192,
        nitro: true,
        architecture: Architecture::Arm64,
        instance_store: (0, 0),
    },
];

/// Looks an instance type up by name.
pub fn instance_type(name: &str) -> Option<&'static InstanceTypeInfo> {
    INSTANCE_TYPES.iter().find(|t| t.name == name)
}

/// An EBS volume attached at a device name, as `BlockDeviceMappings` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceBlockDevice {
    /// e.g. `/dev/xvda`.
    pub device_name: String,
    /// The volume.
    pub volume_id: VolumeId,
    /// Whether terminating the instance deletes the volume (F4).
    pub delete_on_termination: bool,
}

/// An instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    /// `i-…`.
    pub id: InstanceId,
    /// The reservation of the `RunInstances` call that made it.
    pub reservation_id: ReservationId,
    /// The AMI it was launched from.
    pub image_id: ImageId,
    /// e.g. `t3.micro`.
    pub instance_type: String,
    /// The lifecycle state (G1).
    pub state: InstanceState,
    /// When (lab seconds) the instance last entered its state.
    pub state_since: u64,
    /// The VPC.
    pub vpc_id: VpcId,
    /// The subnet.
    pub subnet_id: SubnetId,
    /// The subnet's AZ.
    pub availability_zone: String,
    /// The primary network interface (eth0): it holds the instance's
    /// addresses and security groups (A9).
    pub network_interface_id: NetworkInterfaceId,
    /// The root device name, e.g. `/dev/xvda`.
    pub root_device_name: String,
    /// Attached EBS volumes.
    pub block_devices: Vec<InstanceBlockDevice>,
    /// Tags.
    pub tags: Tags,
}
