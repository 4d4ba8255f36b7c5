//! Amazon EFS: file systems and mount targets (J3), and the queries an
//! instance uses to mount a file system.
//!
//! EFS's errors are its own (`FileSystemNotFound`, `MountTargetConflict`,
//! `FileSystemInUse`…), as botocore's EFS model names them.

use std::net::Ipv4Addr;

use super::{RegionState, SECURITY_GROUPS_PER_INTERFACE};
use crate::command::{CreateFileSystem, Response};
use crate::data::DiskData;
use crate::efs::{
    file_system_dns_name, FileSystem, LifeCycleState, MountTarget, PerformanceMode, ThroughputMode,
};
use crate::error::ApiError;
use crate::ids::{
    FileSystemId, IdGenerator, MountTargetId, NetworkInterfaceId, SecurityGroupId, SubnetId, VpcId,
};
use crate::kms::{KmsKey, DEFAULT_EFS_KEY, KMS_KEYS};
use crate::network_interface::NetworkInterface;
use crate::tags::Tags;

/// Seconds a new file system spends `creating` before it is `available`
/// and can have mount targets.
pub const FILE_SYSTEM_CREATE_SECONDS: u64 = 5;

/// Seconds a new mount target spends `creating`. AWS takes a minute or two
/// (INFERRED from the console; AWS documents no figure).
pub const MOUNT_TARGET_CREATE_SECONDS: u64 = 60;

/// Longest `CreationToken` (botocore's EFS model: 1 to 64 characters).
const CREATION_TOKEN_MAX: usize = 64;

fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError::new("BadRequest", message)
}

impl RegionState {
    /// The EFS file system with this id.
    pub fn file_system(&self, id: &FileSystemId) -> Option<&FileSystem> {
        self.file_systems.get(id)
    }

    /// The files of a file system, to change: one tree that every client
    /// that mounts it shares (J3). Only command handlers reach a Region
    /// mutably, so the account still changes only through `World::apply`.
    pub fn file_system_data_mut(&mut self, id: &FileSystemId) -> Option<&mut DiskData> {
        self.file_systems.get_mut(id).map(|fs| &mut fs.data)
    }

    /// The mount targets of a file system, ordered by id.
    pub fn mount_targets_of<'a>(
        &'a self,
        id: &'a FileSystemId,
    ) -> impl Iterator<Item = &'a MountTarget> + 'a {
        self.mount_targets
            .values()
            .filter(move |mt| mt.file_system_id == *id)
    }

    /// The mount target an instance in Availability Zone `zone` reaches when
    /// it mounts the file system by its DNS name: AWS resolves
    /// `fs-….efs.<region>.amazonaws.com` to the mount target in the client's
    /// own AZ (J3: one per AZ), so with none there the name does not resolve
    /// and `None` comes back, even if other AZs have one. (A client can
    /// still mount another AZ's mount target by its IP address.) The caller
    /// checks its `state`: a `creating` mount target does not serve NFS yet.
    ///
    /// EFS is not supported on Windows instances (J3): the instance shell's
    /// mount command refuses a Windows client (its AMI's platform) before
    /// it asks for a mount target; nothing here looks at the client.
    pub fn mount_target_for(&self, id: &FileSystemId, zone: &str) -> Option<&MountTarget> {
        self.mount_targets
            .values()
            .find(|mt| mt.file_system_id == *id && mt.availability_zone == zone)
    }

    /// The file system's DNS name, `fs-….efs.<region>.amazonaws.com`, if
    /// the file system exists.
    pub fn file_system_dns_name(&self, id: &FileSystemId) -> Option<String> {
        self.file_systems
            .get(id)
            .map(|fs| file_system_dns_name(&fs.id, self.name()))
    }

    /// The mount target whose network interface this is, if it is one.
    pub fn mount_target_of_interface(&self, eni: &NetworkInterfaceId) -> Option<&MountTarget> {
        self.mount_targets
            .values()
            .find(|mt| mt.network_interface_id == *eni)
    }

    /// Whether a network interface is an EFS mount target's, where NFS
    /// listens on TCP 2049 (J3). Such an interface is requester-managed: EFS
    /// made it, no instance is attached, and it goes with its mount target.
    pub fn is_efs_mount_target_interface(&self, eni: &NetworkInterfaceId) -> bool {
        self.mount_target_of_interface(eni).is_some()
    }

    /// A mount target's security groups: those of its network interface.
    pub fn mount_target_security_groups(&self, id: &MountTargetId) -> Option<&[SecurityGroupId]> {
        let mt = self.mount_targets.get(id)?;
        self.network_interfaces
            .get(&mt.network_interface_id)
            .map(|eni| eni.security_groups.as_slice())
    }

    fn file_system_or_not_found(&self, id: &FileSystemId) -> Result<&FileSystem, ApiError> {
        self.file_systems.get(id).ok_or_else(|| {
            ApiError::new(
                "FileSystemNotFound",
                format!("File system '{id}' does not exist."),
            )
        })
    }

    fn mount_target_or_not_found(&self, id: &MountTargetId) -> Result<&MountTarget, ApiError> {
        self.mount_targets.get(id).ok_or_else(|| {
            ApiError::new(
                "MountTargetNotFound",
                format!("Mount target '{id}' does not exist."),
            )
        })
    }

    /// The security groups a mount target in `vpc_id` gets: those named
    /// (each once), or the VPC's default group when none is (A6), at most
    /// five (A11), all of that VPC.
    fn mount_target_groups(
        &self,
        vpc_id: &VpcId,
        requested: &[SecurityGroupId],
    ) -> Result<Vec<SecurityGroupId>, ApiError> {
        let mut groups: Vec<SecurityGroupId> = Vec::new();
        for group in requested {
            if !groups.contains(group) {
                groups.push(group.clone());
            }
        }
        if groups.is_empty() {
            groups.push(self.vpc(vpc_id)?.default_security_group.clone());
        }
        if groups.len() > SECURITY_GROUPS_PER_INTERFACE {
            return Err(ApiError::new(
                "SecurityGroupLimitExceeded",
                format!(
                    "A mount target can have at most {SECURITY_GROUPS_PER_INTERFACE} security groups; {} were given.",
                    groups.len()
                ),
            ));
        }
        for group in &groups {
            match self.security_groups.get(group) {
                None => {
                    return Err(ApiError::new(
                        "SecurityGroupNotFound",
                        format!("The security group '{group}' does not exist."),
                    ));
                }
                Some(found) if found.vpc_id != *vpc_id => {
                    return Err(ApiError::new(
                        "SecurityGroupNotFound",
                        format!(
                            "The security group '{group}' is in {}, not in the mount target's VPC {vpc_id}: a mount target's groups must be of its own VPC.",
                            found.vpc_id
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(groups)
    }

    /// The KMS key ARN an encrypted file system uses.
    fn file_system_key(
        &self,
        encrypted: bool,
        kms_key_id: Option<&str>,
    ) -> Result<Option<String>, ApiError> {
        let region = self.name();
        match (encrypted, kms_key_id) {
            (false, None) => Ok(None),
            (false, Some(_)) => Err(bad_request(
                "KmsKeyId is only for an encrypted file system: add --encrypted.",
            )),
            (true, None) => Ok(Some(DEFAULT_EFS_KEY.arn(region))),
            (true, Some(text)) => {
                // EFS takes its own AWS managed key or a customer managed
                // one; another service's AWS managed key (aws/ebs) is not one.
                let customer = KMS_KEYS.into_iter().filter(|key| !key.aws_managed);
                std::iter::once(DEFAULT_EFS_KEY)
                    .chain(customer)
                    .find(|key| key.is_named(region, text))
                    .map(|key: KmsKey| Some(key.arn(region)))
                    .ok_or_else(|| {
                        bad_request(format!(
                            "KmsKeyId '{text}' is not a key EFS can use in {region}: use alias/aws/elasticfilesystem (the default) or alias/lab-key."
                        ))
                    })
            }
        }
    }

    /// EFS `CreateFileSystem` (J3).
    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    pub(super) fn create_file_system(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        request: CreateFileSystem,
    ) -> Result<Response, ApiError> {
        if let Some(token) = &request.creation_token {
            if token.is_empty() || token.len() > CREATION_TOKEN_MAX {
                return Err(bad_request(format!(
                    "A creation token has 1 to {CREATION_TOKEN_MAX} characters; '{token}' has {}.",
                    token.len()
                )));
            }
            // CreationToken makes creation idempotent: a second request with
            // the same token names the file system the first one made.
            if let Some(existing) = self
                .file_systems
                .values()
                .find(|fs| fs.creation_token == *token)
            {
                return Err(ApiError::new(
                    "FileSystemAlreadyExists",
                    format!(
                        "File system '{}' already exists with creation token '{token}'",
                        existing.id
                    ),
                ));
            }
        }
        let performance_mode = match request.performance_mode.as_deref() {
            None => PerformanceMode::GeneralPurpose,
            Some(text) => PerformanceMode::parse(text).ok_or_else(|| {
                bad_request(format!(
                    "PerformanceMode '{text}' is not valid: use generalPurpose (the default) or maxIO."
                ))
            })?,
        };
        let throughput_mode = match request.throughput_mode.as_deref() {
            None => ThroughputMode::Bursting,
            Some("provisioned") => {
                return Err(bad_request(
                    "ThroughputMode provisioned needs ProvisionedThroughputInMibps, which the lab does not simulate: use bursting (the default) or elastic.",
                ))
            }
            Some(text) => ThroughputMode::parse(text).ok_or_else(|| {
                bad_request(format!(
                    "ThroughputMode '{text}' is not valid: use bursting (the default), elastic or provisioned."
                ))
            })?,
        };
        if let Some(zone) = &request.availability_zone_name {
            if !self.info.zones.iter().any(|(name, _)| name == zone) {
                let zones: Vec<&str> = self.info.zones.iter().map(|(name, _)| *name).collect();
                return Err(bad_request(format!(
                    "AvailabilityZoneName '{zone}' is not an Availability Zone of {}: use one of {}.",
                    self.name(),
                    zones.join(", ")
                )));
            }
        }
        if performance_mode == PerformanceMode::MaxIo {
            if request.availability_zone_name.is_some() {
                return Err(bad_request(
                    "Max I/O performance mode is not supported for One Zone file systems.",
                ));
            }
            if throughput_mode == ThroughputMode::Elastic {
                return Err(bad_request(
                    "Max I/O performance mode is not supported with elastic throughput.",
                ));
            }
        }
        let kms_key_id = self.file_system_key(request.encrypted, request.kms_key_id.as_deref())?;
        // Checked; from here on nothing fails.
        let id = FileSystemId::new(ids.next(FileSystemId::PREFIX));
        let creation_token = request.creation_token.unwrap_or_else(|| uuid_token(ids));
        self.file_systems.insert(
            id.clone(),
            FileSystem {
                id: id.clone(),
                creation_token,
                creation_time: now,
                state: LifeCycleState::Creating,
                performance_mode,
                throughput_mode,
                encrypted: request.encrypted,
                kms_key_id,
                availability_zone: request.availability_zone_name,
                data: DiskData::empty(),
                tags: request.tags,
            },
        );
        Ok(Response::FileSystem(id))
    }

    /// EFS `CreateMountTarget`: the mount target and its requester-managed
    /// network interface, on which the trace engine reaches NFS (J3).
    // Not inlined: see `create_file_system`.
    #[inline(never)]
    pub(super) fn create_mount_target(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        file_system_id: &FileSystemId,
        subnet_id: &SubnetId,
        ip_address: Option<&str>,
        security_groups: &[SecurityGroupId],
    ) -> Result<Response, ApiError> {
        let fs = self.file_system_or_not_found(file_system_id)?;
        let subnet = self.subnets.get(subnet_id).ok_or_else(|| {
            ApiError::new(
                "SubnetNotFound",
                format!("The subnet ID '{subnet_id}' does not exist"),
            )
        })?;
        if fs.state != LifeCycleState::Available {
            return Err(ApiError::new(
                "IncorrectFileSystemLifeCycleState",
                format!(
                    "File system '{file_system_id}' is {}: mount targets can be created once it is available.",
                    fs.state
                ),
            ));
        }
        // J3: a One Zone file system is reached only in its own AZ.
        if let Some(zone) = &fs.availability_zone {
            if *zone != subnet.availability_zone {
                return Err(ApiError::new(
                    "AvailabilityZonesMismatch",
                    format!(
                        "File system '{file_system_id}' is a One Zone file system in {zone}; subnet {subnet_id} is in {}. Its mount target must be in a subnet of {zone}.",
                        subnet.availability_zone
                    ),
                ));
            }
        }
        // A file system's mount targets are all in one VPC.
        if let Some(other) = self
            .mount_targets_of(file_system_id)
            .find(|mt| mt.vpc_id != subnet.vpc_id)
        {
            return Err(ApiError::new(
                "MountTargetConflict",
                format!(
                    "requested subnet for new mount target is not in the same VPC as existing mount targets ({} of {file_system_id} is in {}; subnet {subnet_id} is in {})",
                    other.id, other.vpc_id, subnet.vpc_id
                ),
            ));
        }
        // J3: one mount target per Availability Zone.
        if let Some(other) = self
            .mount_targets_of(file_system_id)
            .find(|mt| mt.availability_zone == subnet.availability_zone)
        {
            return Err(ApiError::new(
                "MountTargetConflict",
                format!(
                    "mount target already exists in this AZ ({} of {file_system_id} is in {}, subnet {})",
                    other.id, other.availability_zone, other.subnet_id
                ),
            ));
        }
        let subnet = subnet.clone();
        let groups = self.mount_target_groups(&subnet.vpc_id, security_groups)?;
        let ip = match ip_address {
            Some(text) => {
                let ip: Ipv4Addr = text.parse().map_err(|_| {
                    bad_request(format!("IpAddress '{text}' is not an IPv4 address."))
                })?;
                // C4: an address of the subnet's block, not one AWS reserves.
                if !subnet.cidr_block.contains(&ip) || subnet.is_reserved(ip) {
                    return Err(bad_request(format!(
                        "Address does not fall within the subnet's address range: {ip} is not an assignable address of {subnet_id} ({}; its first four and its last address are reserved).",
                        subnet.cidr_block
                    )));
                }
                if self.address_in_use(subnet_id, ip) {
                    return Err(ApiError::new(
                        "IpAddressInUse",
                        format!("IpAddress {ip} is already in use in subnet {subnet_id}."),
                    ));
                }
                ip
            }
            None => self.free_addresses(&subnet).next().ok_or_else(|| {
                ApiError::new(
                    "NoFreeAddressesInSubnet",
                    format!("Subnet {subnet_id} has no free IP address for the mount target."),
                )
            })?,
        };
        // Checked; from here on nothing fails.
        let id = MountTargetId::new(ids.next(MountTargetId::PREFIX));
        let eni = NetworkInterfaceId::new(ids.next(NetworkInterfaceId::PREFIX));
        self.network_interfaces.insert(
            eni.clone(),
            NetworkInterface {
                id: eni.clone(),
                subnet_id: subnet_id.clone(),
                vpc_id: subnet.vpc_id.clone(),
                availability_zone: subnet.availability_zone.clone(),
                private_ip: ip,
                secondary_private_ips: Vec::new(),
                ipv6_addresses: Vec::new(),
                public_ip: None,
                elastic_ip: None,
                security_groups: groups,
                instance_id: None,
                // How the EC2 console shows a mount target's interface.
                // (The EFS API reference words it "Mount target fsmt-… for
                // file system fs-…"; accounts show this.)
                description: format!("EFS mount target for {file_system_id} ({id})"),
                tags: Tags::new(),
            },
        );
        self.mount_targets.insert(
            id.clone(),
            MountTarget {
                id: id.clone(),
                file_system_id: file_system_id.clone(),
                subnet_id: subnet_id.clone(),
                vpc_id: subnet.vpc_id,
                availability_zone: subnet.availability_zone,
                ip_address: ip,
                network_interface_id: eni,
                creation_time: now,
                state: LifeCycleState::Creating,
            },
        );
        Ok(Response::MountTarget(id))
    }

    /// EFS `DeleteMountTarget`: the mount target goes, and its network
    /// interface with it. (AWS shows it `deleting` for a while; the lab
    /// removes it at once.)
    // Not inlined: see `create_file_system`.
    #[inline(never)]
    pub(super) fn delete_mount_target(&mut self, id: &MountTargetId) -> Result<Response, ApiError> {
        let eni = self
            .mount_target_or_not_found(id)?
            .network_interface_id
            .clone();
        self.mount_targets.remove(id);
        self.network_interfaces.remove(&eni);
        for (_, address) in self.addresses.iter_mut() {
            if address
                .association
                .as_ref()
                .is_some_and(|(_, associated)| *associated == eni)
            {
                address.association = None;
            }
        }
        Ok(Response::Done)
    }

    /// EFS `DeleteFileSystem`: only a file system without mount targets.
    /// (AWS shows it `deleting` for a while; the lab removes it at once.)
    // Not inlined: see `create_file_system`.
    #[inline(never)]
    pub(super) fn delete_file_system(&mut self, id: &FileSystemId) -> Result<Response, ApiError> {
        self.file_system_or_not_found(id)?;
        let mount_targets: Vec<&str> = self.mount_targets_of(id).map(|mt| mt.id.as_str()).collect();
        if !mount_targets.is_empty() {
            return Err(ApiError::new(
                "FileSystemInUse",
                format!(
                    "File system '{id}' has mount targets ({}); delete them first (aws efs delete-mount-target).",
                    mount_targets.join(", ")
                ),
            ));
        }
        self.file_systems.remove(id);
        Ok(Response::Done)
    }

    /// EFS `ModifyMountTargetSecurityGroups`: the groups of the mount
    /// target's interface are replaced; traces see the change at once.
    // Not inlined: see `create_file_system`.
    #[inline(never)]
    pub(super) fn modify_mount_target_security_groups(
        &mut self,
        id: &MountTargetId,
        security_groups: &[SecurityGroupId],
    ) -> Result<Response, ApiError> {
        let mt = self.mount_target_or_not_found(id)?;
        if security_groups.is_empty() {
            return Err(bad_request(
                "A mount target needs at least one security group: give --security-groups.",
            ));
        }
        let (vpc_id, eni) = (mt.vpc_id.clone(), mt.network_interface_id.clone());
        let groups = self.mount_target_groups(&vpc_id, security_groups)?;
        let interface = self.network_interfaces.get_mut(&eni).ok_or_else(|| {
            ApiError::new(
                "InternalServerError",
                format!("The network interface {eni} of mount target {id} is missing."),
            )
        })?;
        interface.security_groups = groups;
        Ok(Response::Done)
    }

    /// Lets time pass to `now`: new file systems and mount targets become
    /// `available`.
    pub(super) fn advance_efs(&mut self, now: u64) {
        for (_, fs) in self.file_systems.iter_mut() {
            if fs.state == LifeCycleState::Creating
                && now >= fs.creation_time + FILE_SYSTEM_CREATE_SECONDS
            {
                fs.state = LifeCycleState::Available;
            }
        }
        for (_, mt) in self.mount_targets.iter_mut() {
            if mt.state == LifeCycleState::Creating
                && now >= mt.creation_time + MOUNT_TARGET_CREATE_SECONDS
            {
                mt.state = LifeCycleState::Available;
            }
        }
    }
}

/// A creation token in the shape the AWS CLI makes one (a version 4 UUID),
/// from the id counter rather than randomness.
fn uuid_token(ids: &mut IdGenerator) -> String {
    let high = ids.next_u64();
    let low = ids.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0x0fff,
        ((low >> 48) & 0x3fff) | 0x8000,
        low & 0xffff_ffff_ffff
    )
}
