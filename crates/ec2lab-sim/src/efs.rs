//! Amazon EFS: elastic NFS file systems and their mount targets (J3).
//!
//! An EFS file system is a managed NFS file system (NFSv4.0 and 4.1) that
//! grows and shrinks with what is stored in it, and that many instances use
//! at once: every client sees the same files. It lives in a Region, not in a
//! VPC: a *Regional* file system stores its data in several Availability
//! Zones (the Standard storage classes), a *One Zone* file system in one AZ
//! only (J3).
//!
//! Instances reach a file system through *mount targets*: one per
//! Availability Zone (J3), each an elastic network interface that EFS makes
//! in a subnet of one VPC, with a private address from that subnet and its
//! own security groups. NFS listens there on TCP port 2049, so a mount
//! target's security groups must allow inbound TCP 2049 from the clients
//! (J3); the trace engine judges that traffic as it judges any other, on the
//! mount target's interface. A client mounts `fs-….efs.<region>.amazonaws.com`,
//! which resolves to the mount target in the client's own Availability Zone.
//!
//! EFS is not supported on Windows instances (J3): the NFS client it needs
//! is Linux's. The lab refuses a Windows client where it mounts a file
//! system (the mount command of the instance shell), not here.
//!
//! The lab meters a file system's size the way EFS does (its user guide,
//! "How Amazon EFS reports file system and object sizes"): every file and
//! directory costs 2 KiB of metadata plus its data in 4 KiB increments (at
//! least one), so an empty file system, which holds only its root
//! directory, measures 6 KiB. You pay for what is stored (J3).

use std::fmt;
use std::net::Ipv4Addr;

use crate::data::DiskData;
use crate::ids::{FileSystemId, MountTargetId, NetworkInterfaceId, SubnetId, VpcId};
use crate::tags::Tags;
use crate::ACCOUNT_ID;

/// The NFS port: a mount target's security groups must allow inbound TCP
/// on it from the clients (J3).
pub const NFS_PORT: u16 = 2049;

/// Metadata metered for every file system object (its inode), in bytes.
const METADATA_BYTES: u64 = 2048;

/// The increment data is metered in, in bytes.
const DATA_INCREMENT_BYTES: u64 = 4096;

/// `LifeCycleState` of a file system or a mount target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LifeCycleState {
    /// `creating`: just made; a file system can't have mount targets yet.
    Creating,
    /// `available`.
    Available,
}

impl LifeCycleState {
    /// The API name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Creating => "creating",
            Self::Available => "available",
        }
    }
}

impl fmt::Display for LifeCycleState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `PerformanceMode`, fixed when the file system is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PerformanceMode {
    /// `generalPurpose`: the default, and what AWS recommends.
    GeneralPurpose,
    /// `maxIO`: the previous generation; not for One Zone file systems nor
    /// with elastic throughput.
    MaxIo,
}

impl PerformanceMode {
    /// The API name.
    pub fn name(self) -> &'static str {
        match self {
            Self::GeneralPurpose => "generalPurpose",
            Self::MaxIo => "maxIO",
        }
    }

    /// Reads an API name.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::GeneralPurpose, Self::MaxIo]
            .into_iter()
            .find(|mode| mode.name() == text)
    }
}

impl fmt::Display for PerformanceMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `ThroughputMode`. `provisioned` is not simulated: it needs a provisioned
/// rate, which the lab does not model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThroughputMode {
    /// `bursting`: the default; throughput grows with the size stored.
    Bursting,
    /// `elastic`: throughput follows the workload.
    Elastic,
}

impl ThroughputMode {
    /// The API name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Bursting => "bursting",
            Self::Elastic => "elastic",
        }
    }

    /// Reads an API name the lab simulates.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Bursting, Self::Elastic]
            .into_iter()
            .find(|mode| mode.name() == text)
    }
}

impl fmt::Display for ThroughputMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An EFS file system.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSystem {
    /// `fs-…`.
    pub id: FileSystemId,
    /// `CreationToken`: a second `CreateFileSystem` with the same token
    /// fails with `FileSystemAlreadyExists`, naming this file system.
    pub creation_token: String,
    /// When it was made (lab seconds).
    pub creation_time: u64,
    /// `LifeCycleState`.
    pub state: LifeCycleState,
    /// `PerformanceMode`.
    pub performance_mode: PerformanceMode,
    /// `ThroughputMode`.
    pub throughput_mode: ThroughputMode,
    /// `Encrypted` (at rest).
    pub encrypted: bool,
    /// The KMS key ARN, for an encrypted file system.
    pub kms_key_id: Option<String>,
    /// The Availability Zone of a One Zone file system; `None` for a
    /// Regional one, stored across Availability Zones (J3).
    pub availability_zone: Option<String>,
    /// The files: one tree that every client sees (J3: many instances at once).
    pub data: DiskData,
    /// Tags; the `Name` tag is also the file system's `Name`.
    pub tags: Tags,
}

impl FileSystem {
    /// Whether it is a One Zone file system (J3).
    pub fn is_one_zone(&self) -> bool {
        self.availability_zone.is_some()
    }

    /// The metered size in bytes (`SizeInBytes.Value`): 6 KiB for the root
    /// directory, plus every other directory and file at 2 KiB of metadata
    /// and its data in 4 KiB increments (J3: pay for storage used).
    pub fn size_in_bytes(&self) -> u64 {
        let object = |data_bytes: u64| {
            let increments = data_bytes.div_ceil(DATA_INCREMENT_BYTES).max(1);
            METADATA_BYTES + increments * DATA_INCREMENT_BYTES
        };
        // A vector, not a set: a lab's file trees are small, and every new
        // map type adds code to the web page (see ARCHITECTURE.md).
        let mut directories: Vec<&str> = Vec::new();
        let mut files = 0u64;
        for (path, text) in &self.data.files {
            files += object(text.len() as u64);
            let mut rest = path.as_str();
            while let Some((parent, _)) = rest.rsplit_once('/') {
                if parent.is_empty() {
                    break;
                }
                if !directories.contains(&parent) {
                    directories.push(parent);
                }
                rest = parent;
            }
        }
        // The root directory, then every other directory a path passes through.
        object(0) + directories.len() as u64 * object(0) + files
    }

    /// `FileSystemArn`.
    pub fn arn(&self, region: &str) -> String {
        format!(
            "arn:aws:elasticfilesystem:{region}:{ACCOUNT_ID}:file-system/{}",
            self.id
        )
    }

    /// The file system's DNS name, `fs-….efs.<region>.amazonaws.com`: from
    /// an instance it resolves to the mount target in the instance's own
    /// Availability Zone (see `RegionState::mount_target_for`).
    pub fn dns_name(&self, region: &str) -> String {
        file_system_dns_name(&self.id, region)
    }
}

/// `fs-….efs.<region>.amazonaws.com`.
pub fn file_system_dns_name(id: &FileSystemId, region: &str) -> String {
    format!("{id}.efs.{region}.amazonaws.com")
}

/// A mount target: the network interface through which instances in one
/// Availability Zone reach a file system over NFS (J3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountTarget {
    /// `fsmt-…`.
    pub id: MountTargetId,
    /// The file system it serves.
    pub file_system_id: FileSystemId,
    /// The subnet its interface lives in.
    pub subnet_id: SubnetId,
    /// The subnet's VPC: every mount target of a file system is in one VPC.
    pub vpc_id: VpcId,
    /// The subnet's Availability Zone: one mount target per AZ (J3).
    pub availability_zone: String,
    /// `IpAddress`: the interface's private address, where clients mount.
    pub ip_address: Ipv4Addr,
    /// The requester-managed interface EFS made for it. Its security
    /// groups are the mount target's security groups.
    pub network_interface_id: NetworkInterfaceId,
    /// When it was made (lab seconds).
    pub creation_time: u64,
    /// `LifeCycleState`.
    pub state: LifeCycleState,
}

impl MountTarget {
    /// The mount target's own DNS name, `<az>.fs-….efs.<region>.amazonaws.com`.
    pub fn dns_name(&self, region: &str) -> String {
        format!(
            "{}.{}",
            self.availability_zone,
            file_system_dns_name(&self.file_system_id, region)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_system(files: &[(&str, &str)]) -> FileSystem {
        let mut data = DiskData::empty();
        for (path, text) in files {
            data.files.insert((*path).to_owned(), (*text).to_owned());
        }
        FileSystem {
            id: FileSystemId::from("fs-1"),
            creation_token: "t".into(),
            creation_time: 0,
            state: LifeCycleState::Available,
            performance_mode: PerformanceMode::GeneralPurpose,
            throughput_mode: ThroughputMode::Bursting,
            encrypted: false,
            kms_key_id: None,
            availability_zone: None,
            data,
            tags: Tags::new(),
        }
    }

    #[test]
    fn an_empty_file_system_meters_six_kib_for_its_root_directory() {
        assert_eq!(file_system(&[]).size_in_bytes(), 6144);
    }

    #[test]
    fn files_and_directories_are_metered_in_four_kib_increments_plus_metadata() {
        // Root 6 KiB; /data 6 KiB; a 5-byte file 6 KiB; a 5000-byte file
        // 2 KiB + 8 KiB; an empty file still takes one increment.
        let fs = file_system(&[
            ("/data/a.txt", "hello"),
            ("/data/b.bin", &"x".repeat(5000)),
            ("/empty", ""),
        ]);
        assert_eq!(fs.size_in_bytes(), 6144 + 6144 + 6144 + 10240 + 6144);
    }

    #[test]
    fn dns_names_follow_efs_conventions() {
        let fs = file_system(&[]);
        assert_eq!(fs.dns_name("us-east-1"), "fs-1.efs.us-east-1.amazonaws.com");
        assert_eq!(
            fs.arn("us-east-1"),
            "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1"
        );
    }
}
