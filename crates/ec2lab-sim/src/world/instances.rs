//! Instances: launch, the lifecycle (G1–G5), Elastic IPs, and `lab write`.

use std::net::Ipv4Addr;

use super::storage::VolumeSpec;
use super::RegionState;
use crate::command::{BlockDeviceRequest, Response, RunInstances, StateChange, Write};
use crate::data::DiskData;
use crate::error::ApiError;
use crate::ids::{
    AllocationId, AssociationId, IdGenerator, InstanceId, NetworkInterfaceId, ReservationId,
    SecurityGroupId, SnapshotId, VolumeId,
};
use crate::image::{public_image, EbsMapping, Image, ImageState, RootDeviceType};
use crate::instance::{
    instance_type, Instance, InstanceBlockDevice, InstanceState, InstanceStoreDisk,
    InstanceTypeInfo, ShutdownBehavior,
};
use crate::network_interface::{Address, NetworkInterface};
use crate::tags::Tags;
use crate::volume::{VolumeAttachment, VolumeState};

/// Seconds an EBS-backed instance spends in `pending` before `running`
/// (D9: EBS-backed instances usually boot in under a minute).
pub const BOOT_SECONDS: u64 = 30;

/// Seconds an instance-store-backed instance spends in `pending` (D9: it
/// boots in under five minutes, its root copied from S3).
pub const INSTANCE_STORE_BOOT_SECONDS: u64 = 120;

/// Seconds in `stopping` before `stopped`.
pub const STOP_SECONDS: u64 = 30;

/// Seconds in `shutting-down` before `terminated`.
pub const TERMINATE_SECONDS: u64 = 30;

/// How long a terminated instance stays visible (G1: "a short while").
pub const TERMINATED_VISIBLE_SECONDS: u64 = 3600;

use super::SECURITY_GROUPS_PER_INTERFACE;

/// A launch's EBS volumes, and its instance-store disks (device, virtual name).
type LaunchDisks = (Vec<PlannedVolume>, Vec<(String, String)>);

/// One EBS volume a launch makes, per instance.
struct PlannedVolume {
    device_name: String,
    delete_on_termination: bool,
    spec: VolumeSpec,
}

impl RegionState {
    /// The instance with this id, or AWS's `InvalidInstanceID.NotFound`.
    pub(super) fn instance(&self, id: &InstanceId) -> Result<&Instance, ApiError> {
        self.instances.get(id).ok_or_else(|| {
            ApiError::new(
                "InvalidInstanceID.NotFound",
                format!("The instance ID '{id}' does not exist"),
            )
        })
    }

    /// Checks that every id names an instance of this Region.
    fn check_instances(&self, ids: &[InstanceId]) -> Result<(), ApiError> {
        let missing: Vec<&str> = ids
            .iter()
            .filter(|id| !self.instances.contains_key(*id))
            .map(InstanceId::as_str)
            .collect();
        match missing.as_slice() {
            [] => Ok(()),
            [one] => Err(ApiError::new(
                "InvalidInstanceID.NotFound",
                format!("The instance ID '{one}' does not exist"),
            )),
            many => Err(ApiError::new(
                "InvalidInstanceID.NotFound",
                format!("The instance IDs '{}' do not exist", many.join(", ")),
            )),
        }
    }

    /// An AMI this Region can launch: the account's own, or a public one.
    pub fn image(&self, id: &crate::ids::ImageId) -> Option<Image> {
        self.images
            .get(id)
            .cloned()
            .or_else(|| public_image(self.name(), id).map(|p| p.image_in(self.name())))
    }

    /// The image or AWS's `InvalidAMIID.NotFound`.
    pub(super) fn image_or_not_found(&self, id: &crate::ids::ImageId) -> Result<Image, ApiError> {
        self.image(id).ok_or_else(|| {
            ApiError::new(
                "InvalidAMIID.NotFound",
                format!("The image id '[{id}]' does not exist"),
            )
        })
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    pub(super) fn run_instances(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        request: &RunInstances,
    ) -> Result<Response, ApiError> {
        // I1, I2: a launch template's parameters under the request's own,
        // and AWS's defaults (world/launch_templates.rs).
        let launch = self.launch_request(request)?;
        let request: &RunInstances = &launch;
        let image = self.image_or_not_found(&request.image_id)?;
        if image.state != ImageState::Available {
            return Err(ApiError::new(
                "InvalidAMIID.Unavailable",
                format!(
                    "The image '{}' is {}: an AMI can launch instances once its snapshots are complete.",
                    image.id, image.state
                ),
            ));
        }
        let itype = instance_type(&request.instance_type).ok_or_else(|| {
            ApiError::invalid_value(
                "InstanceType",
                &request.instance_type,
                "It is not an instance type the lab knows (see describe-instance-types).",
            )
        })?;
        if itype.architecture != image.architecture {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!(
                    "The architecture '{}' of the specified instance type does not match the architecture '{}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.",
                    itype.architecture, image.architecture
                ),
            ));
        }
        let store_backed = image.root_device_type == RootDeviceType::InstanceStore;
        if store_backed && !itype.has_instance_store() {
            return Err(ApiError::new(
                "InvalidParameterCombination",
                format!(
                    "The AMI '{}' has an instance-store root device, and the instance type '{}' has no instance store. Choose a type with instance-store volumes (for example m5d.large or c3.large), or an EBS-backed AMI.",
                    image.id, itype.name
                ),
            ));
        }
        if request.count == 0 {
            return Err(ApiError::invalid_value(
                "MinCount",
                "0",
                "It must be at least 1.",
            ));
        }
        let shutdown_behavior = match request.shutdown_behavior.as_deref() {
            None => {
                if store_backed {
                    ShutdownBehavior::Terminate
                } else {
                    ShutdownBehavior::Stop
                }
            }
            Some("stop") if store_backed => {
                // G4: an instance-store-backed instance can't stop.
                return Err(ApiError::new(
                    "InvalidParameterCombination",
                    "The attribute instanceInitiatedShutdownBehavior can only be used for elastic images.",
                ));
            }
            Some("stop") => ShutdownBehavior::Stop,
            Some("terminate") => ShutdownBehavior::Terminate,
            Some(other) => {
                return Err(ApiError::invalid_value(
                    "InstanceInitiatedShutdownBehavior",
                    other,
                    "It must be stop or terminate.",
                ))
            }
        };
        let subnet = self.subnet(&request.subnet_id)?.clone();
        let vpc = self.vpc(&subnet.vpc_id)?.clone();
        let mut security_group_ids: Vec<SecurityGroupId> = request.security_group_ids.clone();
        // A6: with no group named, the instance gets the VPC's default group.
        if security_group_ids.is_empty() {
            security_group_ids.push(vpc.default_security_group.clone());
        }
        // A11: at most five groups per network interface.
        if security_group_ids.len() > SECURITY_GROUPS_PER_INTERFACE {
            return Err(ApiError::new(
                "SecurityGroupsPerInterfaceLimitExceeded",
                "The maximum number of security groups per interface has been reached.",
            ));
        }
        for group_id in &security_group_ids {
            let group = self.security_groups.get(group_id).ok_or_else(|| {
                ApiError::new(
                    "InvalidGroup.NotFound",
                    format!(
                        "The security group '{group_id}' does not exist in VPC '{}'",
                        vpc.id
                    ),
                )
            })?;
            // A16: a group can be used only in its own VPC.
            if group.vpc_id != vpc.id {
                return Err(ApiError::new(
                    "InvalidParameter",
                    format!(
                        "Security group {group_id} and subnet {} belong to different networks.",
                        request.subnet_id
                    ),
                ));
            }
        }
        let (volumes, ephemeral) = self.plan_block_devices(
            &image,
            itype,
            &request.block_device_mappings,
            &subnet.availability_zone,
            &request.volume_tags,
        )?;
        if !store_backed
            && !volumes
                .iter()
                .any(|v| v.device_name == image.root_device_name)
        {
            return Err(ApiError::new(
                "InvalidBlockDeviceMapping",
                format!(
                    "The root device {} of an EBS-backed AMI can't be left out.",
                    image.root_device_name
                ),
            ));
        }
        if request.hibernation == Some(true) {
            let root_encrypted = volumes
                .iter()
                .find(|v| v.device_name == image.root_device_name)
                .is_some_and(|v| v.spec.encrypted);
            if store_backed || !root_encrypted {
                return Err(ApiError::new(
                    "InvalidParameterCombination",
                    "Hibernation needs an EBS-backed instance whose root volume is encrypted (the contents of RAM are saved to the root volume).",
                ));
            }
        }
        let used: Vec<Ipv4Addr> = self
            .network_interfaces
            .values()
            .filter(|eni| eni.subnet_id == request.subnet_id)
            .flat_map(|eni| {
                std::iter::once(eni.private_ip).chain(eni.secondary_private_ips.iter().copied())
            })
            .collect();
        let free: Vec<Ipv4Addr> = subnet
            .assignable_addresses()
            .filter(|ip| !used.contains(ip))
            .take(request.count as usize)
            .collect();
        if free.len() < request.count as usize {
            return Err(ApiError::new(
                "InsufficientFreeAddressesInSubnet",
                format!(
                    "There are not enough free addresses in subnet '{}' to satisfy the requested number of instances.",
                    request.subnet_id
                ),
            ));
        }
        // Checked; from here on nothing fails.
        let public_ip_on_launch = request
            .associate_public_ip
            .unwrap_or(subnet.map_public_ip_on_launch);
        let root_store_data = public_image(self.name(), &image.id)
            .filter(|_| store_backed)
            .map(|p| p.root_data());
        let reservation = ReservationId::new(ids.next(ReservationId::PREFIX));
        let mut launched = Vec::new();
        for private_ip in free {
            let id = InstanceId::new(ids.next(InstanceId::PREFIX));
            let eni = NetworkInterfaceId::new(ids.next(NetworkInterfaceId::PREFIX));
            let public_ip = public_ip_on_launch.then(|| self.allocate_public_ip(ids));
            self.network_interfaces.insert(
                eni.clone(),
                NetworkInterface {
                    id: eni.clone(),
                    subnet_id: request.subnet_id.clone(),
                    vpc_id: vpc.id.clone(),
                    availability_zone: subnet.availability_zone.clone(),
                    private_ip,
                    secondary_private_ips: Vec::new(),
                    ipv6_addresses: Vec::new(),
                    public_ip,
                    elastic_ip: None,
                    security_groups: security_group_ids.clone(),
                    instance_id: Some(id.clone()),
                    description: String::new(),
                    tags: Tags::new(),
                },
            );
            let mut block_devices = Vec::new();
            for planned in &volumes {
                let volume_id = VolumeId::new(ids.next(VolumeId::PREFIX));
                let mut volume = planned.spec.clone().into_volume(volume_id.clone(), now);
                // Launch volumes come up attached, not `creating`.
                volume.state = VolumeState::InUse;
                volume.attachments.push(VolumeAttachment {
                    instance_id: id.clone(),
                    device: planned.device_name.clone(),
                    delete_on_termination: planned.delete_on_termination,
                    attach_time: now,
                });
                self.volumes.insert(volume_id.clone(), volume);
                block_devices.push(InstanceBlockDevice {
                    device_name: planned.device_name.clone(),
                    volume_id,
                    delete_on_termination: planned.delete_on_termination,
                });
            }
            let mut instance_store: Vec<InstanceStoreDisk> = Vec::new();
            if let Some(data) = &root_store_data {
                instance_store.push(InstanceStoreDisk {
                    device_name: image.root_device_name.clone(),
                    virtual_name: "root".to_owned(),
                    size_gb: 10,
                    data: data.clone(),
                });
            }
            for (device_name, virtual_name) in &ephemeral {
                instance_store.push(InstanceStoreDisk {
                    device_name: device_name.clone(),
                    virtual_name: virtual_name.clone(),
                    size_gb: itype.instance_store.1,
                    data: DiskData::empty(),
                });
            }
            self.instances.insert(
                id.clone(),
                Instance {
                    id: id.clone(),
                    reservation_id: reservation.clone(),
                    image_id: image.id.clone(),
                    instance_type: itype.name.to_owned(),
                    state: InstanceState::Pending,
                    state_since: now,
                    vpc_id: vpc.id.clone(),
                    subnet_id: request.subnet_id.clone(),
                    availability_zone: subnet.availability_zone.clone(),
                    network_interface_id: eni,
                    root_device_name: image.root_device_name.clone(),
                    root_device_type: image.root_device_type,
                    block_devices,
                    instance_store,
                    launch_time: now,
                    billed_seconds: 0,
                    running_since: None,
                    shutdown_behavior,
                    public_ip_on_launch,
                    hibernation_configured: request.hibernation == Some(true),
                    hibernating: false,
                    disable_api_termination: request.disable_api_termination == Some(true),
                    boot_count: 0,
                    user_data: request.user_data.clone().filter(|u| !u.is_empty()),
                    runtime: crate::os::Runtime::default(),
                    os_known: true,
                    console: String::new(),
                    state_reason: String::new(),
                    tags: request.tags.clone(),
                },
            );
            launched.push(id);
        }
        Ok(Response::Instances(reservation, launched))
    }

    /// Whether an AMI's mapping names a snapshot the lab can't see (an
    /// imported AMI of another account, whose snapshots its export does not
    /// hold). AWS restores it all the same; the lab starts such a volume
    /// empty, at the mapping's size.
    fn is_unseen(&self, snapshot_id: Option<&SnapshotId>) -> bool {
        snapshot_id.is_some_and(|id| self.snapshot(id).is_none())
    }

    /// The EBS volumes and instance-store disks a launch makes: the AMI's
    /// mapping with the request's entries applied, every volume checked as
    /// `CreateVolume` checks it, and the type's instance-store disks (which
    /// always come up empty, D4).
    fn plan_block_devices(
        &self,
        image: &Image,
        itype: &InstanceTypeInfo,
        requests: &[BlockDeviceRequest],
        zone: &str,
        volume_tags: &Tags,
    ) -> Result<LaunchDisks, ApiError> {
        let mut entries: Vec<(String, Option<EbsMapping>)> = image
            .block_devices
            .iter()
            .filter(|device| device.ebs.is_some())
            .map(|device| (device.device_name.clone(), device.ebs.clone()))
            .collect();
        let mut planned = Vec::new();
        for request in requests {
            if request.device_name.is_empty() {
                return Err(ApiError::new(
                    "InvalidBlockDeviceMapping",
                    "Each block device mapping needs a DeviceName.",
                ));
            }
            if request.no_device {
                if request.device_name == image.root_device_name {
                    return Err(ApiError::new(
                        "InvalidBlockDeviceMapping",
                        "The root device can't be suppressed with NoDevice.",
                    ));
                }
                entries.retain(|(device, _)| *device != request.device_name);
                continue;
            }
            if request.virtual_name.is_some() {
                // Instance-store entries: the type decides what exists.
                continue;
            }
            let Some(ebs) = &request.ebs else {
                return Err(ApiError::new(
                    "InvalidBlockDeviceMapping",
                    format!(
                        "The block device mapping for {} needs Ebs, VirtualName or NoDevice.",
                        request.device_name
                    ),
                ));
            };
            let base = entries
                .iter()
                .position(|(device, _)| *device == request.device_name);
            let from_image = base.and_then(|i| entries[i].1.clone());
            let snapshot_id = match (&ebs.snapshot_id, &from_image) {
                (Some(id), _) => Some(id.clone()),
                (None, Some(mapping)) => mapping.snapshot_id.clone(),
                (None, None) => None,
            };
            let unseen = ebs.snapshot_id.is_none() && self.is_unseen(snapshot_id.as_ref());
            let is_root = request.device_name == image.root_device_name;
            let mut spec = self.volume_spec(
                zone,
                ebs.volume_size_gib
                    .or(from_image.as_ref().map(|m| m.volume_size_gib)),
                snapshot_id.as_ref().filter(|_| !unseen),
                ebs.volume_type
                    .as_deref()
                    .or(from_image.as_ref().map(|m| m.volume_type.name())),
                ebs.iops.or(if ebs.volume_type.is_none() {
                    from_image.as_ref().and_then(|m| m.iops)
                } else {
                    None
                }),
                ebs.throughput.or(if ebs.volume_type.is_none() {
                    from_image.as_ref().and_then(|m| m.throughput)
                } else {
                    None
                }),
                ebs.encrypted
                    .or(from_image.as_ref().map(|m| m.encrypted).filter(|e| *e)),
                ebs.kms_key_id
                    .as_deref()
                    .or(from_image.as_ref().and_then(|m| m.kms_key_id.as_deref())),
                false,
                volume_tags.clone(),
                Some(&request.device_name),
            )?;
            if unseen {
                spec.snapshot_id = snapshot_id;
            }
            if is_root && !spec.volume_type.can_boot() {
                return Err(ApiError::new(
                    "InvalidBlockDeviceMapping",
                    format!(
                        "{} volumes can't be used as boot volumes (F2); use gp3, gp2, io1, io2 or standard for {}.",
                        spec.volume_type, request.device_name
                    ),
                ));
            }
            // F4: the root volume is deleted on termination by default;
            // added volumes are kept.
            let delete_on_termination = ebs
                .delete_on_termination
                .or(from_image.as_ref().map(|m| m.delete_on_termination))
                .unwrap_or(false);
            if let Some(i) = base {
                entries.remove(i);
            }
            planned.push(PlannedVolume {
                device_name: request.device_name.clone(),
                delete_on_termination,
                spec,
            });
        }
        // The AMI's entries the request did not override.
        let mut volumes = Vec::new();
        for (device_name, mapping) in entries {
            let Some(mapping) = mapping else { continue };
            let unseen = self.is_unseen(mapping.snapshot_id.as_ref());
            let mut spec = self.volume_spec(
                zone,
                Some(mapping.volume_size_gib),
                mapping.snapshot_id.as_ref().filter(|_| !unseen),
                Some(mapping.volume_type.name()),
                mapping.iops,
                mapping.throughput,
                mapping.encrypted.then_some(true),
                mapping.kms_key_id.as_deref(),
                false,
                volume_tags.clone(),
                Some(&device_name),
            )?;
            if unseen {
                spec.snapshot_id = mapping.snapshot_id.clone();
            }
            volumes.push(PlannedVolume {
                device_name,
                delete_on_termination: mapping.delete_on_termination,
                spec,
            });
        }
        volumes.extend(planned);
        let ephemeral = instance_type_disks(itype, requests);
        Ok((volumes, ephemeral))
    }

    // Not inlined: see `run_instances`.
    #[inline(never)]
    pub(super) fn start_instances(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        instance_ids: &[InstanceId],
    ) -> Result<Response, ApiError> {
        self.check_instances(instance_ids)?;
        for id in instance_ids {
            let instance = self.instance(id)?;
            match instance.state {
                InstanceState::Stopped | InstanceState::Pending | InstanceState::Running => {}
                _ => {
                    return Err(ApiError::new(
                        "IncorrectInstanceState",
                        format!(
                            "The instance '{id}' is not in a state from which it can be started."
                        ),
                    ))
                }
            }
            if instance.state == InstanceState::Stopped {
                let root = instance
                    .block_devices
                    .iter()
                    .find(|device| device.device_name == instance.root_device_name);
                match root.and_then(|device| self.volumes.get(&device.volume_id)) {
                    None => {
                        return Err(ApiError::new(
                            "IncorrectInstanceState",
                            format!(
                                "The instance '{id}' has no volume attached at its root device {}; attach one before starting it.",
                                instance.root_device_name
                            ),
                        ))
                    }
                    Some(volume) if volume.multi_attach || !volume.volume_type.can_boot() => {
                        return Err(ApiError::new(
                            "InvalidParameterCombination",
                            format!(
                                "The volume '{}' at the root device can't boot an instance: {} (F2, F3).",
                                volume.id,
                                if volume.multi_attach {
                                    "a Multi-Attach volume can't be a boot volume"
                                } else {
                                    "st1 and sc1 volumes can't be boot volumes"
                                }
                            ),
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
        let mut changes = Vec::new();
        for id in instance_ids {
            let previous = self.instance(id)?.state;
            if previous == InstanceState::Stopped {
                let eni_id = self.instance(id)?.network_interface_id.clone();
                let wants_public = self.instance(id)?.public_ip_on_launch;
                // G3: a new public IPv4 address, unless it has an Elastic IP.
                let needs_ip = self
                    .network_interfaces
                    .get(&eni_id)
                    .is_some_and(|eni| eni.elastic_ip.is_none() && wants_public);
                if needs_ip {
                    let ip = self.allocate_public_ip(ids);
                    if let Some(eni) = self.network_interfaces.get_mut(&eni_id) {
                        eni.public_ip = Some(ip);
                    }
                }
                if let Some(instance) = self.instances.get_mut(id) {
                    instance.enter(InstanceState::Pending, now);
                    instance.launch_time = now;
                    instance.state_reason = String::new();
                }
            }
            let current = self.instance(id)?.state;
            changes.push(StateChange {
                instance_id: id.clone(),
                previous,
                current,
            });
        }
        Ok(Response::StateChanges(changes))
    }

    // Not inlined: see `run_instances`.
    #[inline(never)]
    pub(super) fn stop_instances(
        &mut self,
        now: u64,
        instance_ids: &[InstanceId],
        hibernate: bool,
    ) -> Result<Response, ApiError> {
        self.check_instances(instance_ids)?;
        for id in instance_ids {
            let instance = self.instance(id)?;
            // G4: an instance-store-backed instance is running or terminated.
            if instance.root_device_type == RootDeviceType::InstanceStore {
                return Err(ApiError::new(
                    "UnsupportedOperation",
                    format!("The instance '{id}' does not have an 'ebs' root device type and cannot be stopped."),
                ));
            }
            match instance.state {
                InstanceState::Running | InstanceState::Stopping | InstanceState::Stopped => {}
                _ => {
                    return Err(ApiError::new(
                        "IncorrectInstanceState",
                        format!(
                            "This instance '{id}' is not in a state from which it can be stopped."
                        ),
                    ))
                }
            }
            if hibernate && !instance.hibernation_configured {
                return Err(ApiError::new(
                    "UnsupportedHibernationConfiguration",
                    format!("The instance '{id}' was not launched with hibernation configured (HibernationOptions Configured=true), so it can't hibernate."),
                ));
            }
        }
        let mut changes = Vec::new();
        for id in instance_ids {
            let previous = self.instance(id)?.state;
            if previous == InstanceState::Running {
                let eni_id = self.instance(id)?.network_interface_id.clone();
                // G3: the public IPv4 address goes back to Amazon's pool
                // unless it is an Elastic IP.
                if let Some(eni) = self.network_interfaces.get_mut(&eni_id) {
                    if eni.elastic_ip.is_none() {
                        eni.public_ip = None;
                    }
                }
                if let Some(instance) = self.instances.get_mut(id) {
                    // G3: instance-store data is erased on stop and hibernate.
                    for disk in &mut instance.instance_store {
                        disk.data = DiskData::empty();
                    }
                    instance.hibernating = hibernate;
                    instance.enter(InstanceState::Stopping, now);
                    instance.state_reason = format!("User initiated ({})", crate::clock::gmt(now));
                }
            }
            let current = self.instance(id)?.state;
            changes.push(StateChange {
                instance_id: id.clone(),
                previous,
                current,
            });
        }
        Ok(Response::StateChanges(changes))
    }

    // Not inlined: see `run_instances`.
    #[inline(never)]
    pub(super) fn reboot_instances(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        instance_ids: &[InstanceId],
    ) -> Result<Response, ApiError> {
        self.check_instances(instance_ids)?;
        for id in instance_ids {
            let state = self.instance(id)?.state;
            if !matches!(state, InstanceState::Running | InstanceState::Pending) {
                return Err(ApiError::new(
                    "IncorrectInstanceState",
                    format!("The instance '{id}' is not in a state from which it can be rebooted."),
                ));
            }
        }
        // G3: a reboot keeps the host, the addresses and instance-store
        // data; only RAM is lost. It stays `running` and starts no new
        // billing minimum (G2).
        for id in instance_ids {
            let running = self
                .instances
                .get(id)
                .is_some_and(|i| i.state == InstanceState::Running);
            if running {
                if let Some(instance) = self.instances.get_mut(id) {
                    instance.boot_count += 1;
                }
                // RAM is lost: services and mounts start over (H1: user
                // data does not run again).
                self.boot(ids, id, now);
            }
        }
        Ok(Response::Done)
    }

    // Not inlined: see `run_instances`.
    #[inline(never)]
    pub(super) fn terminate_instances(
        &mut self,
        now: u64,
        instance_ids: &[InstanceId],
    ) -> Result<Response, ApiError> {
        self.check_instances(instance_ids)?;
        for id in instance_ids {
            // G5: termination protection.
            if self.instance(id)?.disable_api_termination {
                return Err(ApiError::new(
                    "OperationNotPermitted",
                    format!("The instance '{id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again."),
                ));
            }
        }
        let mut changes = Vec::new();
        for id in instance_ids {
            let previous = self.instance(id)?.state;
            if !matches!(
                previous,
                InstanceState::ShuttingDown | InstanceState::Terminated
            ) {
                self.release_instance_resources(id);
                if let Some(instance) = self.instances.get_mut(id) {
                    instance.hibernating = false;
                    instance.enter(InstanceState::ShuttingDown, now);
                    instance.state_reason = format!("User initiated ({})", crate::clock::gmt(now));
                }
            }
            let current = self.instance(id)?.state;
            changes.push(StateChange {
                instance_id: id.clone(),
                previous,
                current,
            });
        }
        Ok(Response::StateChanges(changes))
    }

    /// What terminating does to an instance's resources (G3, F4): its
    /// Elastic IP is disassociated, its public address released, volumes
    /// with DeleteOnTermination deleted and the others detached, and its
    /// instance-store data erased.
    fn release_instance_resources(&mut self, id: &InstanceId) {
        let Some(instance) = self.instances.get_mut(id) else {
            return;
        };
        for disk in &mut instance.instance_store {
            disk.data = DiskData::empty();
        }
        let devices = std::mem::take(&mut instance.block_devices);
        let eni_id = instance.network_interface_id.clone();
        for device in devices {
            if device.delete_on_termination {
                self.volumes.remove(&device.volume_id);
            } else if let Some(volume) = self.volumes.get_mut(&device.volume_id) {
                volume.attachments.retain(|a| a.instance_id != *id);
                if volume.attachments.is_empty() {
                    volume.state = VolumeState::Available;
                }
            }
        }
        if let Some(eni) = self.network_interfaces.get_mut(&eni_id) {
            if let Some(allocation) = eni.elastic_ip.take() {
                if let Some(address) = self.addresses.get_mut(&allocation) {
                    address.association = None;
                }
            }
            eni.public_ip = None;
        }
    }

    // Not inlined: see `run_instances`.
    #[inline(never)]
    pub(super) fn modify_instance_attribute(
        &mut self,
        id: &InstanceId,
        type_name: Option<&str>,
        delete_on_termination: &[(String, bool)],
        shutdown_behavior: Option<&str>,
        disable_api_termination: Option<bool>,
        user_data: Option<&str>,
    ) -> Result<Response, ApiError> {
        let instance = self.instance(id)?;
        // H4: user data changes only while the instance is stopped.
        if user_data.is_some() && instance.state != InstanceState::Stopped {
            return Err(ApiError::new(
                "IncorrectInstanceState",
                format!("The instance '{id}' is not in the 'stopped' state: user data can be changed only while the instance is stopped (H4)."),
            ));
        }
        if let Some(name) = type_name {
            let itype = instance_type(name).ok_or_else(|| {
                ApiError::invalid_value(
                    "InstanceType",
                    name,
                    "It is not an instance type the lab knows.",
                )
            })?;
            // G5: the type changes only while the instance is stopped.
            if instance.state != InstanceState::Stopped {
                return Err(ApiError::new(
                    "IncorrectInstanceState",
                    format!("The instance '{id}' is not in the 'stopped' state."),
                ));
            }
            let current = instance_type(&instance.instance_type);
            if current.is_some_and(|c| c.architecture != itype.architecture) {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    format!(
                        "The instance type '{name}' has architecture {}, and the instance's AMI is {}.",
                        itype.architecture,
                        current.map(|c| c.architecture.to_string()).unwrap_or_default()
                    ),
                ));
            }
        }
        for (device, _) in delete_on_termination {
            if !instance
                .block_devices
                .iter()
                .any(|d| d.device_name == *device)
            {
                return Err(ApiError::new(
                    "InvalidInstanceAttributeValue",
                    format!("No device is currently mapped at {device}"),
                ));
            }
        }
        let behavior = match shutdown_behavior {
            None => None,
            Some("stop") if instance.root_device_type == RootDeviceType::InstanceStore => {
                return Err(ApiError::new(
                    "InvalidParameterCombination",
                    "The attribute instanceInitiatedShutdownBehavior can only be used for elastic images.",
                ))
            }
            Some("stop") => Some(ShutdownBehavior::Stop),
            Some("terminate") => Some(ShutdownBehavior::Terminate),
            Some(other) => {
                return Err(ApiError::invalid_value(
                    "InstanceInitiatedShutdownBehavior",
                    other,
                    "It must be stop or terminate.",
                ))
            }
        };
        let mut volume_changes = Vec::new();
        if let Some(instance) = self.instances.get_mut(id) {
            if let Some(name) = type_name {
                name.clone_into(&mut instance.instance_type);
            }
            if let Some(behavior) = behavior {
                instance.shutdown_behavior = behavior;
            }
            if let Some(flag) = disable_api_termination {
                instance.disable_api_termination = flag;
            }
            if let Some(text) = user_data {
                instance.user_data = (!text.is_empty()).then(|| text.to_owned());
            }
            for (device, flag) in delete_on_termination {
                for mapped in &mut instance.block_devices {
                    if mapped.device_name == *device {
                        mapped.delete_on_termination = *flag;
                        volume_changes.push((mapped.volume_id.clone(), *flag));
                    }
                }
            }
        }
        for (volume_id, flag) in volume_changes {
            if let Some(volume) = self.volumes.get_mut(&volume_id) {
                for attachment in &mut volume.attachments {
                    if attachment.instance_id == *id {
                        attachment.delete_on_termination = flag;
                    }
                }
            }
        }
        Ok(Response::Done)
    }

    // Not inlined: see `run_instances`.
    #[inline(never)]
    pub(super) fn allocate_address(
        &mut self,
        ids: &mut IdGenerator,
        tags: Tags,
    ) -> Result<Response, ApiError> {
        let public_ip = self.allocate_public_ip(ids);
        let allocation_id = AllocationId::new(ids.next(AllocationId::PREFIX));
        self.addresses.insert(
            allocation_id.clone(),
            Address {
                allocation_id: allocation_id.clone(),
                public_ip,
                association: None,
                tags,
            },
        );
        Ok(Response::Address(allocation_id, public_ip))
    }

    // Not inlined: see `run_instances`.
    #[inline(never)]
    pub(super) fn associate_address(
        &mut self,
        ids: &mut IdGenerator,
        allocation_id: &AllocationId,
        instance_id: Option<&InstanceId>,
        interface_id: Option<&NetworkInterfaceId>,
        allow_reassociation: bool,
    ) -> Result<Response, ApiError> {
        let address = self.addresses.get(allocation_id).ok_or_else(|| {
            ApiError::new(
                "InvalidAllocationID.NotFound",
                format!("The allocation ID '{allocation_id}' does not exist"),
            )
        })?;
        let eni_id = match (instance_id, interface_id) {
            (Some(id), None) => {
                let instance = self.instance(id)?;
                if !matches!(
                    instance.state,
                    InstanceState::Running | InstanceState::Stopped | InstanceState::Pending
                ) {
                    return Err(ApiError::new(
                        "IncorrectInstanceState",
                        format!("The instance '{id}' is not in a valid state for this operation."),
                    ));
                }
                instance.network_interface_id.clone()
            }
            (None, Some(eni)) => {
                if !self.network_interfaces.contains_key(eni) {
                    return Err(ApiError::new(
                        "InvalidNetworkInterfaceID.NotFound",
                        format!("The networkInterface ID '{eni}' does not exist"),
                    ));
                }
                eni.clone()
            }
            _ => {
                return Err(ApiError::new(
                    "InvalidParameterCombination",
                    "Specify either an instance ID or a network interface ID, not both and not neither.",
                ))
            }
        };
        if let Some((association, current)) = &address.association {
            if *current != eni_id && !allow_reassociation {
                return Err(ApiError::new(
                    "Resource.AlreadyAssociated",
                    format!("resource {allocation_id} is already associated with associate-id {association}"),
                ));
            }
        }
        let target_has_other_eip = self
            .network_interfaces
            .get(&eni_id)
            .and_then(|eni| eni.elastic_ip.clone())
            .filter(|other| other != allocation_id);
        // Checked.
        if let Some(other) = target_has_other_eip {
            if let Some(old) = self.addresses.get_mut(&other) {
                old.association = None;
            }
        }
        let previous = self
            .addresses
            .get(allocation_id)
            .and_then(|a| a.association.clone());
        if let Some((_, old_eni)) = previous {
            if old_eni != eni_id {
                if let Some(eni) = self.network_interfaces.get_mut(&old_eni) {
                    eni.elastic_ip = None;
                    eni.public_ip = None;
                }
            }
        }
        let association_id = AssociationId::new(ids.next(AssociationId::PREFIX));
        let public_ip = address_ip(self, allocation_id);
        if let Some(eni) = self.network_interfaces.get_mut(&eni_id) {
            // The Elastic IP replaces the address from Amazon's pool (G3).
            eni.public_ip = public_ip;
            eni.elastic_ip = Some(allocation_id.clone());
        }
        if let Some(address) = self.addresses.get_mut(allocation_id) {
            address.association = Some((association_id.clone(), eni_id));
        }
        Ok(Response::AddressAssociation(association_id))
    }

    // Not inlined: see `run_instances`.
    #[inline(never)]
    pub(super) fn disassociate_address(
        &mut self,
        ids: &mut IdGenerator,
        association_id: &AssociationId,
    ) -> Result<Response, ApiError> {
        let Some((allocation_id, eni_id)) = self.addresses.values().find_map(|a| {
            a.association
                .as_ref()
                .filter(|(id, _)| id == association_id)
                .map(|(_, eni)| (a.allocation_id.clone(), eni.clone()))
        }) else {
            return Err(ApiError::new(
                "InvalidAssociationID.NotFound",
                format!("The association ID '{association_id}' does not exist"),
            ));
        };
        // An instance launched with a public address gets a new one from
        // the pool when its Elastic IP goes.
        let instance_wants_ip = self
            .network_interfaces
            .get(&eni_id)
            .and_then(|eni| eni.instance_id.as_ref())
            .and_then(|id| self.instances.get(id))
            .is_some_and(|i| i.public_ip_on_launch && i.state == InstanceState::Running);
        let new_ip = instance_wants_ip.then(|| self.allocate_public_ip(ids));
        if let Some(address) = self.addresses.get_mut(&allocation_id) {
            address.association = None;
        }
        if let Some(eni) = self.network_interfaces.get_mut(&eni_id) {
            eni.elastic_ip = None;
            eni.public_ip = new_ip;
        }
        Ok(Response::Done)
    }

    // Not inlined: see `run_instances`.
    #[inline(never)]
    pub(super) fn release_address(
        &mut self,
        allocation_id: &AllocationId,
    ) -> Result<Response, ApiError> {
        let address = self.addresses.get(allocation_id).ok_or_else(|| {
            ApiError::new(
                "InvalidAllocationID.NotFound",
                format!("The allocation ID '{allocation_id}' does not exist"),
            )
        })?;
        if address.association.is_some() {
            return Err(ApiError::new(
                "InvalidIPAddress.InUse",
                format!(
                    "The address {} ({allocation_id}) is associated; disassociate it before releasing it.",
                    address.public_ip
                ),
            ));
        }
        self.addresses.remove(allocation_id);
        Ok(Response::Done)
    }

    // Not inlined: see `run_instances`.
    #[inline(never)]
    pub(super) fn write_data(
        &mut self,
        ids: &mut IdGenerator,
        instance_id: &InstanceId,
        device: Option<&str>,
        write: &Write,
    ) -> Result<Response, ApiError> {
        let instance = self.instance(instance_id)?;
        if instance.state != InstanceState::Running {
            return Err(ApiError::new(
                "IncorrectInstanceState",
                format!(
                    "The instance '{instance_id}' is {}: only a running instance can write to its disks.",
                    instance.state
                ),
            ));
        }
        let device = device.unwrap_or(&instance.root_device_name).to_owned();
        let volume_id = instance
            .block_devices
            .iter()
            .find(|d| d.device_name == device)
            .map(|d| d.volume_id.clone());
        let store_index = instance
            .instance_store
            .iter()
            .position(|d| d.device_name == device || d.virtual_name == device);
        let size_gib =
            match (&volume_id, store_index) {
                (Some(id), _) => self.volumes.get(id).map_or(0, |v| v.size_gib),
                (None, Some(i)) => instance.instance_store[i].size_gb,
                (None, None) => {
                    return Err(ApiError::new(
                        "InvalidParameterValue",
                        format!(
                        "The instance '{instance_id}' has no disk at {device}; its disks are {}.",
                        instance
                            .block_devices
                            .iter()
                            .map(|d| d.device_name.clone())
                            .chain(instance.instance_store.iter().map(|d| format!(
                                "{} ({})",
                                d.device_name, d.virtual_name
                            )))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    ))
                }
            };
        match write {
            Write::File { path, .. } if !path.starts_with('/') => {
                return Err(ApiError::invalid_value(
                    "path",
                    path,
                    "A path starts with '/'.",
                ))
            }
            Write::Gib { offset, gib } if offset.saturating_add(*gib) > size_gib => {
                return Err(ApiError::invalid_value(
                    "gib",
                    &gib.to_string(),
                    &format!(
                        "The disk at {device} holds {size_gib} GiB; GiB {offset} to {} don't fit.",
                        offset.saturating_add(*gib)
                    ),
                ))
            }
            _ => {}
        }
        let stamp = ids.next_u64();
        let data = match (volume_id, store_index) {
            (Some(id), _) => self.volumes.get_mut(&id).map(|v| &mut v.data),
            (None, Some(i)) => self
                .instances
                .get_mut(instance_id)
                .map(|inst| &mut inst.instance_store[i].data),
            (None, None) => None,
        };
        if let Some(data) = data {
            match write {
                Write::File { path, text } => data.write_file(path, text, stamp),
                Write::Gib { offset, gib } => data.write_gib(*offset, *gib, stamp),
            }
        }
        Ok(Response::Done)
    }

    /// Lifecycle transitions whose time has come (G1).
    pub(super) fn advance_instances(&mut self, ids: &mut IdGenerator, now: u64) {
        let mut gone = Vec::new();
        let mut finished = Vec::new();
        let mut booted = Vec::new();
        for instance in self.instances.iter_mut().map(|(_, v)| v) {
            let boot = if instance.root_device_type == RootDeviceType::InstanceStore {
                INSTANCE_STORE_BOOT_SECONDS
            } else {
                BOOT_SECONDS
            };
            let (duration, next) = match instance.state {
                InstanceState::Pending => (boot, InstanceState::Running),
                InstanceState::Stopping => (STOP_SECONDS, InstanceState::Stopped),
                InstanceState::ShuttingDown => (TERMINATE_SECONDS, InstanceState::Terminated),
                InstanceState::Terminated => {
                    if now >= instance.state_since + TERMINATED_VISIBLE_SECONDS {
                        gone.push(instance.id.clone());
                    }
                    continue;
                }
                InstanceState::Running | InstanceState::Stopped => continue,
            };
            let at = instance.state_since + duration;
            if now >= at {
                instance.enter(next, at);
                match next {
                    InstanceState::Running => {
                        instance.boot_count += 1;
                        booted.push((instance.id.clone(), at));
                    }
                    InstanceState::Stopped => instance.hibernating = false,
                    InstanceState::Terminated => {
                        finished.push(instance.network_interface_id.clone());
                    }
                    _ => {}
                }
                if next == InstanceState::Terminated && now >= at + TERMINATED_VISIBLE_SECONDS {
                    gone.push(instance.id.clone());
                }
            }
        }
        for (id, at) in booted {
            self.boot(ids, &id, at);
        }
        // A terminated instance's primary interface is deleted with it.
        for eni in finished {
            self.network_interfaces.remove(&eni);
        }
        for id in gone {
            self.instances.remove(&id);
        }
    }
}

/// The public address of an Elastic IP.
fn address_ip(state: &RegionState, allocation_id: &AllocationId) -> Option<Ipv4Addr> {
    state.addresses.get(allocation_id).map(|a| a.public_ip)
}

/// The instance-store disks a launch exposes: every disk of the type (on
/// Nitro types NVMe instance store is always there; the lab does the same
/// for Xen types), unless the request suppresses it with NoDevice.
fn instance_type_disks(
    itype: &InstanceTypeInfo,
    requests: &[BlockDeviceRequest],
) -> Vec<(String, String)> {
    itype
        .instance_store_devices()
        .into_iter()
        .filter(|(device, virtual_name)| {
            !requests.iter().any(|r| {
                r.no_device && (r.device_name == *device || r.device_name == *virtual_name)
            })
        })
        .collect()
}
