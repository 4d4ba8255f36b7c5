//! Instances: virtual servers launched from an AMI into a subnet.
//!
//! An instance moves through `pending`, `running`, `stopping`, `stopped`,
//! `shutting-down` and `terminated`, each with AWS's state code (G1). It has a
//! private IPv4 address from its subnet, a public one if the subnet assigns
//! them (C3), up to five security groups on its primary network interface
//! (A9, A11), and EBS volumes attached at device names.

use std::fmt;

use crate::data::DiskData;
use crate::ids::{
    ImageId, InstanceId, NetworkInterfaceId, ReservationId, SubnetId, VolumeId, VpcId,
};
use crate::image::RootDeviceType;
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

/// The instance types the lab knows, as `describe-instance-types` reports
/// them: burstable, general purpose, compute and memory optimised, Graviton
/// (arm64), types with NVMe instance store (`d` types, i3) and two previous
/// generation Xen types whose instance store is SSD (m3, c3).
pub const INSTANCE_TYPES: &[InstanceTypeInfo] = &[
    InstanceTypeInfo {
        name: "t2.nano",
        vcpus: 1,
        memory_mib: 512,
        nitro: false,
        architecture: Architecture::X86_64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "t2.micro",
        vcpus: 1,
        memory_mib: 1024,
        nitro: false,
        architecture: Architecture::X86_64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "t2.small",
        vcpus: 1,
        memory_mib: 2048,
        nitro: false,
        architecture: Architecture::X86_64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "t3.nano",
        vcpus: 2,
        memory_mib: 512,
        nitro: true,
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
        name: "t3.large",
        vcpus: 2,
        memory_mib: 8192,
        nitro: true,
        architecture: Architecture::X86_64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "t3a.micro",
        vcpus: 2,
        memory_mib: 1024,
        nitro: true,
        architecture: Architecture::X86_64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "t4g.nano",
        vcpus: 2,
        memory_mib: 512,
        nitro: true,
        architecture: Architecture::Arm64,
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
        name: "t4g.small",
        vcpus: 2,
        memory_mib: 2048,
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
        name: "m5.xlarge",
        vcpus: 4,
        memory_mib: 16384,
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
        name: "m6g.large",
        vcpus: 2,
        memory_mib: 8192,
        nitro: true,
        architecture: Architecture::Arm64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "m6gd.large",
        vcpus: 2,
        memory_mib: 8192,
        nitro: true,
        architecture: Architecture::Arm64,
        instance_store: (1, 118),
    },
    InstanceTypeInfo {
        name: "m7i.large",
        vcpus: 2,
        memory_mib: 8192,
        nitro: true,
        architecture: Architecture::X86_64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "c5.large",
        vcpus: 2,
        memory_mib: 4096,
        nitro: true,
        architecture: Architecture::X86_64,
        instance_store: (0, 0),
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
        name: "c6g.medium",
        vcpus: 1,
        memory_mib: 2048,
        nitro: true,
        architecture: Architecture::Arm64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "r5.large",
        vcpus: 2,
        memory_mib: 16384,
        nitro: true,
        architecture: Architecture::X86_64,
        instance_store: (0, 0),
    },
    InstanceTypeInfo {
        name: "i3.large",
        vcpus: 2,
        memory_mib: 15616,
        nitro: false,
        architecture: Architecture::X86_64,
        instance_store: (1, 475),
    },
    InstanceTypeInfo {
        name: "m3.medium",
        vcpus: 1,
        memory_mib: 3840,
        nitro: false,
        architecture: Architecture::X86_64,
        instance_store: (1, 4),
    },
    InstanceTypeInfo {
        name: "c3.large",
        vcpus: 2,
        memory_mib: 3840,
        nitro: false,
        architecture: Architecture::X86_64,
        instance_store: (2, 16),
    },
];

/// Looks an instance type up by name.
pub fn instance_type(name: &str) -> Option<&'static InstanceTypeInfo> {
    INSTANCE_TYPES.iter().find(|t| t.name == name)
}

impl InstanceTypeInfo {
    /// Whether the type has instance-store disks.
    pub fn has_instance_store(&self) -> bool {
        self.instance_store.0 > 0
    }

    /// The device names of its instance-store disks: NVMe on Nitro types,
    /// `/dev/sdb`, `/dev/sdc`… (`ephemeral0`, `ephemeral1`…) on Xen types.
    pub fn instance_store_devices(&self) -> Vec<(String, String)> {
        (0..self.instance_store.0)
            .map(|n| {
                let device = if self.nitro {
                    format!("/dev/nvme{}n1", n + 1)
                } else {
                    format!("/dev/sd{}", char::from(b'b' + (n % 24) as u8))
                };
                (device, format!("ephemeral{n}"))
            })
            .collect()
    }
}

/// What the instance does when its operating system shuts down (G4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShutdownBehavior {
    /// `stop` (the default for EBS-backed instances).
    Stop,
    /// `terminate` (always, for instance-store-backed ones).
    Terminate,
}

/// An instance-store disk: on the host, so its data lasts only as long as
/// the instance stays on that host (G3, J2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceStoreDisk {
    /// The device, e.g. `/dev/nvme1n1` or `/dev/sdb`; for the root of an
    /// instance-store-backed instance, its root device.
    pub device_name: String,
    /// `ephemeral0`…, or `root`.
    pub virtual_name: String,
    /// Size in GB.
    pub size_gb: u32,
    /// What is on it.
    pub data: DiskData,
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
    /// `RootDeviceType` (from the AMI, D9).
    pub root_device_type: RootDeviceType,
    /// Attached EBS volumes.
    pub block_devices: Vec<InstanceBlockDevice>,
    /// Instance-store disks (from the instance type; for an
    /// instance-store-backed instance, the root too).
    pub instance_store: Vec<InstanceStoreDisk>,
    /// `LaunchTime` (lab seconds): the last time it went to `pending`.
    pub launch_time: u64,
    /// Billed seconds of finished runs (G2).
    pub billed_seconds: u64,
    /// When the current run began, while `running`.
    pub running_since: Option<u64>,
    /// `InstanceInitiatedShutdownBehavior` (G4).
    pub shutdown_behavior: ShutdownBehavior,
    /// Whether it was launched with a public IPv4 address from Amazon's
    /// pool: it gets a new one each time it starts (G3).
    pub public_ip_on_launch: bool,
    /// `HibernationOptions.Configured`.
    pub hibernation_configured: bool,
    /// Whether the current stop is a hibernation.
    pub hibernating: bool,
    /// `DisableApiTermination`: termination protection (G5).
    pub disable_api_termination: bool,
    /// How many times its operating system has booted.
    pub boot_count: u32,
    /// `UserData`, decoded (H1–H4): an instance attribute, not part of
    /// any AMI made from the instance (H6).
    pub user_data: Option<String>,
    /// What runs in its memory: services, mounts (lost on reboot and stop).
    pub runtime: crate::os::Runtime,
    /// Whether the lab knows what runs on it. Imported instances don't say,
    /// so traces to them don't judge whether anything listens.
    pub os_known: bool,
    /// The serial console of the last boot (`get-console-output`).
    pub console: String,
    /// `StateTransitionReason`.
    pub state_reason: String,
    /// Tags.
    pub tags: Tags,
}

/// The shortest charge for each run of an instance (G2).
pub const MINIMUM_BILLED_SECONDS: u64 = 60;

impl Instance {
    /// Seconds billed so far at lab time `now`: per second, at least a minute
    /// for each time it went to `running` (G2).
    pub fn billed_seconds_at(&self, now: u64) -> u64 {
        self.billed_seconds
            + self.running_since.map_or(0, |since| {
                now.saturating_sub(since).max(MINIMUM_BILLED_SECONDS)
            })
    }

    /// Ends the current run's billing at `now` (G2).
    pub(crate) fn stop_billing(&mut self, now: u64) {
        if let Some(since) = self.running_since.take() {
            self.billed_seconds += now.saturating_sub(since).max(MINIMUM_BILLED_SECONDS);
        }
    }

    /// Enters `state` at `now`, opening or closing a billed run: only
    /// `running` is billed, and `stopping` while hibernating (G2).
    pub(crate) fn enter(&mut self, state: InstanceState, now: u64) {
        self.state = state;
        self.state_since = now;
        if state != InstanceState::Running {
            // The operating system is down: nothing runs, nothing is mounted.
            self.runtime = crate::os::Runtime::default();
        }
        let billed = state == InstanceState::Running
            || (state == InstanceState::Stopping && self.hibernating);
        if !billed {
            self.stop_billing(now);
        } else if self.running_since.is_none() {
            self.running_since = Some(now);
        }
    }
}
