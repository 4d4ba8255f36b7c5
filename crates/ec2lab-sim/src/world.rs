//! The simulated AWS account: every Region's resources, the lab clock and the
//! id counter.
//!
//! [`World::apply`] is the only way the account changes ([`World::apply_basic`]
//! is the same for the commands the lab's screen makes). Every command
//! handler checks everything that can fail before it changes anything, so a
//! failed command changes nothing. Debug builds (and so every test) verify
//! that on each failure: they keep a copy of the world and compare.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use ipnet::{IpNet, Ipv4Net};

use crate::command::{Command, Response};
use crate::efs::{FileSystem, MountTarget};
use crate::error::ApiError;
use crate::ids::{
    AllocationId, FileSystemId, IdGenerator, ImageId, InstanceId, InternetGatewayId,
    LaunchTemplateId, MountTargetId, NetworkAclAssociationId, NetworkAclId, NetworkInterfaceId,
    PrefixListId, RouteTableAssociationId, RouteTableId, SecurityGroupId, SnapshotId, SubnetId,
    VolumeId, VpcId,
};
use crate::image::Image;
use crate::instance::Instance;
use crate::launch_template::LaunchTemplate;
use crate::network_acl::{NetworkAcl, NetworkAclEntry, MAX_RULE_NUMBER};
use crate::network_interface::{Address, ManagedPrefixList, NetworkInterface};
use crate::region::{self, RegionInfo, REGIONS};
use crate::security_group::{IpProtocol, RulePeer, SecurityGroup, SecurityGroupRule};
use crate::snapshot::Snapshot;
use crate::tags::Tags;
use crate::volume::Volume;
use crate::vpc::{
    InternetGateway, Route, RouteTable, RouteTableAssociation, RouteTarget, Subnet, Vpc,
};

mod boot;
mod efs;
mod image_builder;
mod images;
mod instances;
mod launch_templates;
mod machine;
mod storage;

pub use efs::{FILE_SYSTEM_CREATE_SECONDS, MOUNT_TARGET_CREATE_SECONDS};
pub use instances::{
    BOOT_SECONDS, INSTANCE_STORE_BOOT_SECONDS, STOP_SECONDS, TERMINATED_VISIBLE_SECONDS,
    TERMINATE_SECONDS,
};
pub(crate) use machine::Http;
pub use storage::{SNAPSHOT_SECONDS, VOLUME_CREATE_SECONDS};

/// Security groups per network interface (A11).
pub const SECURITY_GROUPS_PER_INTERFACE: usize = 5;

/// Inbound (or outbound) rules per security group (A11).
pub const RULES_PER_SECURITY_GROUP: usize = 60;

/// Rules per network ACL and direction, the `*` rule included (B9).
pub const NETWORK_ACL_RULES_PER_DIRECTION: usize = 20;

/// A Region's resources of one kind, by id: a vector kept sorted by id.
/// `BTreeMap` would do, but each of its instantiations adds kilobytes of
/// code to the web page, and a Region holds a few hundred resources at most.
pub type IdMap<K, V> = litemap::LiteMap<K, V>;

/// One simulated AWS account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct World {
    regions: BTreeMap<&'static str, RegionState>,
    ids: IdGenerator,
    clock: u64,
}

/// The resources of one Region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionState {
    /// The Region.
    pub info: &'static RegionInfo,
    /// VPCs.
    pub vpcs: IdMap<VpcId, Vpc>,
    /// Subnets.
    pub subnets: IdMap<SubnetId, Subnet>,
    /// Internet gateways.
    pub internet_gateways: IdMap<InternetGatewayId, InternetGateway>,
    /// Route tables.
    pub route_tables: IdMap<RouteTableId, RouteTable>,
    /// Security groups.
    pub security_groups: IdMap<SecurityGroupId, SecurityGroup>,
    /// Network ACLs.
    pub network_acls: IdMap<NetworkAclId, NetworkAcl>,
    /// Instances.
    pub instances: IdMap<InstanceId, Instance>,
    /// EBS volumes.
    pub volumes: IdMap<VolumeId, Volume>,
    /// Elastic network interfaces.
    pub network_interfaces: IdMap<NetworkInterfaceId, NetworkInterface>,
    /// Elastic IP addresses.
    pub addresses: IdMap<AllocationId, Address>,
    /// Managed prefix lists.
    pub prefix_lists: IdMap<PrefixListId, ManagedPrefixList>,
    /// The account's own AMIs ("My AMIs"); public ones come from the
    /// catalogue (`PUBLIC_IMAGES`).
    pub images: IdMap<ImageId, Image>,
    /// EBS snapshots.
    pub snapshots: IdMap<SnapshotId, Snapshot>,
    /// Launch templates (I1, I2).
    pub launch_templates: IdMap<LaunchTemplateId, LaunchTemplate>,
    /// The `sequence` of the latest snapshot (E1 needs the order).
    pub snapshot_sequence: u64,
    /// Whether new volumes are encrypted by default; a per-Region account
    /// setting that starts off (E5).
    pub ebs_encryption_by_default: bool,
    /// EFS file systems (J3).
    pub file_systems: IdMap<FileSystemId, FileSystem>,
    /// EFS mount targets, each with its network interface in
    /// `network_interfaces` (J3).
    pub mount_targets: IdMap<MountTargetId, MountTarget>,
    /// EC2 Image Builder's components, recipes, pipelines and images.
    pub image_builder: crate::image_builder::ImageBuilder,
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

impl World {
    /// An empty account: every Region the lab simulates, with no resources.
    pub fn new() -> Self {
        Self {
            regions: REGIONS
                .iter()
                .map(|info| (info.name, RegionState::new(info)))
                .collect(),
            ids: IdGenerator::default(),
            clock: 0,
        }
    }

    /// An account made from a snapshot of existing resources, such as the
    /// output of `aws ec2 describe-*`: what AWS already had, taken as it is
    /// rather than built by commands. Regions not given are empty.
    pub fn from_snapshot(snapshot: impl IntoIterator<Item = RegionState>) -> Self {
        let mut world = Self::new();
        for state in snapshot {
            world.regions.insert(state.info.name, state);
        }
        world
    }

    /// The Regions, in the order the Region selector lists them.
    pub fn regions(&self) -> impl Iterator<Item = &RegionState> {
        REGIONS
            .iter()
            .filter_map(|info| self.regions.get(info.name))
    }

    /// One Region's resources.
    pub fn region(&self, name: &str) -> Option<&RegionState> {
        self.regions.get(name)
    }

    /// Simulated seconds since the lab began.
    pub fn clock(&self) -> u64 {
        self.clock
    }

    /// Runs one command in `region`. On error nothing changes.
    pub fn apply(&mut self, region: &str, command: Command) -> Result<Response, ApiError> {
        self.apply_with(region, command, RegionState::apply_command)
    }

    /// Applies one of the commands the lab's screen makes (drags, forms,
    /// rule tables, fixes, the default lab) exactly as [`World::apply`]
    /// does; any other command is refused with `UnsupportedOperation` and
    /// changes nothing. Its dispatcher names only those commands' handlers,
    /// so a program that never calls `apply` (the web page before its
    /// console loads) does not carry the others.
    pub fn apply_basic(&mut self, region: &str, command: Command) -> Result<Response, ApiError> {
        self.apply_with(region, command, |state, ids, clock, command| {
            state
                .apply_basic_command(ids, clock, command)
                .unwrap_or_else(|_| {
                    Err(ApiError::new(
                        "UnsupportedOperation",
                        "This action runs at the console only.",
                    ))
                })
        })
    }

    fn apply_with(
        &mut self,
        region: &str,
        command: Command,
        dispatch: Dispatch,
    ) -> Result<Response, ApiError> {
        let Some(info) = region::region(region) else {
            return Err(ApiError::new(
                "InvalidRegion",
                format!(
                    "The Region '{region}' is not one the lab simulates: {}",
                    REGIONS
                        .iter()
                        .map(|r| r.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        // Not a copy-and-swap: copying the world on every command is what
        // made the first page load slow (cold code in wasm). Handlers check
        // first and change after; debug builds prove it on every failure.
        #[cfg(debug_assertions)]
        let before = self.clone();
        let result = self.apply_in(info.name, command, dispatch);
        #[cfg(debug_assertions)]
        if let Err(error) = &result {
            assert!(
                *self == before,
                "a failed command changed the world: {error}"
            );
        }
        result
    }

    fn apply_in(
        &mut self,
        region: &'static str,
        command: Command,
        dispatch: Dispatch,
    ) -> Result<Response, ApiError> {
        if let Command::AdvanceTime { seconds } = command {
            self.clock += seconds;
            let now = self.clock;
            let Self { regions, ids, .. } = self;
            for state in regions.values_mut() {
                state.advance_to(ids, now);
            }
            return Ok(Response::Done);
        }
        let clock = self.clock;
        // Copies read one Region and write another (D3, E2).
        if matches!(
            command,
            Command::CopySnapshot { .. } | Command::CopyImage { .. }
        ) {
            return self.apply_copy(region, command);
        }
        let Self { regions, ids, .. } = self;
        let state = regions
            .get_mut(region)
            .ok_or_else(|| ApiError::new("InvalidRegion", region))?;
        dispatch(state, ids, clock, command)
    }
}

/// A Region's command dispatcher: all commands, or the screen's.
type Dispatch = fn(&mut RegionState, &mut IdGenerator, u64, Command) -> Result<Response, ApiError>;

impl World {
    /// CopySnapshot and CopyImage, run in the destination Region `region`
    /// with what they read from the source Region. Not inlined: it stays
    /// out of `apply`, which every command (and the first page load) runs.
    #[inline(never)]
    fn apply_copy(&mut self, region: &'static str, command: Command) -> Result<Response, ApiError> {
        let clock = self.clock;
        match command {
            Command::CopySnapshot {
                source_region,
                source_snapshot_id,
                description,
                encrypted,
                kms_key_id,
                tags,
            } => {
                let source = self.source_region(&source_region)?;
                let snapshot = source
                    .snapshot_or_not_found(&source_snapshot_id)?
                    .into_owned();
                let Self { regions, ids, .. } = self;
                let state = regions
                    .get_mut(region)
                    .ok_or_else(|| ApiError::new("InvalidRegion", region))?;
                state.copy_snapshot(
                    ids,
                    clock,
                    &source_region,
                    &snapshot,
                    storage::CopyOptions {
                        description,
                        encrypted,
                        kms_key_id,
                        tags,
                    },
                )
            }
            Command::CopyImage {
                source_region,
                source_image_id,
                name,
                description,
                encrypted,
                kms_key_id,
                tags,
            } => {
                let source = self.source_region(&source_region)?;
                let copy = source.image_copy_source(&source_image_id)?;
                let Self { regions, ids, .. } = self;
                let state = regions
                    .get_mut(region)
                    .ok_or_else(|| ApiError::new("InvalidRegion", region))?;
                state.copy_image(
                    ids,
                    clock,
                    &source_region,
                    copy,
                    images::CopyImageOptions {
                        name,
                        description,
                        encrypted,
                        kms_key_id,
                        tags,
                    },
                )
            }
            _ => Err(ApiError::new("InternalError", "not a copy")),
        }
    }

    /// The Region a copy reads from.
    fn source_region(&self, name: &str) -> Result<&RegionState, ApiError> {
        self.regions.get(name).ok_or_else(|| {
            ApiError::invalid_value(
                "SourceRegion",
                name,
                "It is not a Region the lab simulates.",
            )
        })
    }
}

/// Sorts a short list in place, keeping equal items in order. An insertion
/// sort: a Region's lists are short, and this is a fraction of the code of
/// `slice::sort`, which matters for how fast the web page starts (every line
/// of code run at start-up is compiled on the spot).
pub(crate) fn sort_small_by<T>(
    items: &mut [T],
    mut compare: impl FnMut(&T, &T) -> std::cmp::Ordering,
) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && compare(&items[j - 1], &items[j]) == std::cmp::Ordering::Greater {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Reads an IPv4 or IPv6 CIDR block, clearing host bits.
fn parse_any_cidr(parameter: &str, text: &str) -> Result<IpNet, ApiError> {
    text.parse::<IpNet>()
        .map(|net| net.trunc())
        .map_err(|_| ApiError::invalid_value(parameter, text, "This is not a valid CIDR block."))
}

/// Reads a CIDR block the way the API does, naming the parameter when it is
/// not one. Host bits are cleared (`10.0.0.5/16` → `10.0.0.0/16`, A7).
fn parse_cidr(parameter: &str, text: &str) -> Result<Ipv4Net, ApiError> {
    text.parse::<Ipv4Net>()
        .map(|net| net.trunc())
        .map_err(|_| ApiError::invalid_value(parameter, text, "This is not a valid CIDR block."))
}

impl RegionState {
    /// Runs one command in this Region. Handlers check before they change.
    pub(crate) fn apply_command(
        &mut self,
        ids: &mut IdGenerator,
        clock: u64,
        command: Command,
    ) -> Result<Response, ApiError> {
        match self.apply_basic_command(ids, clock, command) {
            Err(command) => self.apply_more_command(ids, clock, *command),
            Ok(result) => result,
        }
    }

    /// The commands the lab's screen makes ([`World::apply_basic`]): runs
    /// one, or gives back any other.
    pub(crate) fn apply_basic_command(
        &mut self,
        ids: &mut IdGenerator,
        clock: u64,
        command: Command,
    ) -> Result<Result<Response, ApiError>, Box<Command>> {
        let state = self;
        Ok(match command {
            Command::CreateVpc { cidr_block, tags } => state.create_vpc(ids, &cidr_block, tags),
            Command::CreateSubnet {
                vpc_id,
                cidr_block,
                availability_zone,
                tags,
            } => state.create_subnet(ids, &vpc_id, &cidr_block, &availability_zone, tags),
            Command::ModifySubnetAttribute {
                subnet_id,
                map_public_ip_on_launch,
            } => state.subnet_mut(&subnet_id).map(|subnet| {
                subnet.map_public_ip_on_launch = map_public_ip_on_launch;
                Response::Done
            }),
            Command::CreateInternetGateway { tags } => {
                let id = InternetGatewayId::new(ids.next(InternetGatewayId::PREFIX));
                state.internet_gateways.insert(
                    id.clone(),
                    InternetGateway {
                        id: id.clone(),
                        attached_vpc: None,
                        tags,
                    },
                );
                Ok(Response::InternetGateway(id))
            }
            Command::AttachInternetGateway {
                internet_gateway_id,
                vpc_id,
            } => state.attach_internet_gateway(&internet_gateway_id, &vpc_id),
            Command::CreateRouteTable { vpc_id, tags } => {
                state.create_route_table(ids, &vpc_id, tags)
            }
            Command::CreateRoute {
                route_table_id,
                destination_cidr_block,
                gateway_id,
            } => state.create_route(&route_table_id, &destination_cidr_block, &gateway_id),
            Command::AssociateRouteTable {
                route_table_id,
                subnet_id,
            } => state.associate_route_table(ids, &route_table_id, &subnet_id),
            Command::CreateSecurityGroup {
                group_name,
                description,
                vpc_id,
                tags,
            } => state.create_security_group(ids, &group_name, &description, &vpc_id, tags),
            Command::AuthorizeSecurityGroupIngress { group_id, rules } => {
                state.authorize(&group_id, false, rules)
            }
            Command::AuthorizeSecurityGroupEgress { group_id, rules } => {
                state.authorize(&group_id, true, rules)
            }
            Command::CreateNetworkAclEntry {
                network_acl_id,
                entry,
            } => state.create_network_acl_entry(&network_acl_id, entry, false),
            Command::DeleteNetworkAclEntry {
                network_acl_id,
                rule_number,
                egress,
            } => state.delete_network_acl_entry(&network_acl_id, rule_number, egress),
            Command::RevokeSecurityGroupRules {
                group_id,
                egress,
                rules,
            } => state.revoke(&group_id, egress, &rules),
            Command::RunInstances(request) => state.run_instances(ids, clock, &request),
            Command::StartInstances { instance_ids } => {
                state.start_instances(ids, clock, &instance_ids)
            }
            Command::StopInstances {
                instance_ids,
                hibernate,
            } => state.stop_instances(clock, &instance_ids, hibernate),
            Command::RebootInstances { instance_ids } => {
                state.reboot_instances(ids, clock, &instance_ids)
            }
            Command::TerminateInstances { instance_ids } => {
                state.terminate_instances(clock, &instance_ids)
            }
            Command::ModifyInstanceAttribute {
                instance_id,
                instance_type,
                delete_on_termination,
                shutdown_behavior,
                disable_api_termination,
                user_data,
            } => state.modify_instance_attribute(
                &instance_id,
                instance_type.as_deref(),
                &delete_on_termination,
                shutdown_behavior.as_deref(),
                disable_api_termination,
                user_data.as_deref(),
            ),
            Command::CreateImage {
                instance_id,
                name,
                description,
                no_reboot,
                tags,
            } => state.create_image(
                ids,
                clock,
                &instance_id,
                &name,
                &description,
                no_reboot,
                tags,
            ),
            Command::CopyImage { .. } | Command::CopySnapshot { .. } => Err(ApiError::new(
                "InternalError",
                "copies are run by the world, which sees both Regions",
            )),
            Command::CreateVolume(request) => state.create_volume(ids, clock, *request),
            Command::AttachVolume {
                volume_id,
                instance_id,
                device,
            } => state.attach_volume(clock, &volume_id, &instance_id, &device),
            Command::DetachVolume {
                volume_id,
                instance_id,
                force,
            } => state.detach_volume(&volume_id, instance_id.as_ref(), force),
            Command::CreateSnapshot {
                volume_id,
                description,
                tags,
            } => state.create_snapshot(ids, clock, &volume_id, description, tags),
            Command::CreateTags { resource_ids, tags } => state
                .create_tags(&resource_ids, &tags)
                .map(|()| Response::Done),
            Command::AdvanceTime { seconds } => {
                state.advance_to(ids, clock + seconds);
                Ok(Response::Done)
            }
            other => return Err(Box::new(other)),
        })
    }

    /// Every other command: only the console makes them. Not inlined, so
    /// a build that never calls [`World::apply`] leaves them out.
    #[inline(never)]
    fn apply_more_command(
        &mut self,
        ids: &mut IdGenerator,
        clock: u64,
        command: Command,
    ) -> Result<Response, ApiError> {
        let state = self;
        match command {
            Command::DeleteRoute {
                route_table_id,
                destination_cidr_block,
            } => state.delete_route(&route_table_id, &destination_cidr_block),
            Command::ReplaceNetworkAclEntry {
                network_acl_id,
                entry,
            } => state.create_network_acl_entry(&network_acl_id, entry, true),
            Command::CreateNetworkAcl { vpc_id, tags } => {
                state.create_network_acl(ids, &vpc_id, tags)
            }
            Command::DeleteNetworkAcl { network_acl_id } => {
                state.delete_network_acl(&network_acl_id)
            }
            Command::ReplaceNetworkAclAssociation {
                association_id,
                network_acl_id,
            } => state.replace_network_acl_association(ids, &association_id, &network_acl_id),
            Command::DeleteSecurityGroup { group_id } => state.delete_security_group(&group_id),
            Command::Exec {
                instance_id,
                command,
            } => state.exec(ids, clock, &instance_id, &command),
            Command::DeregisterImage {
                image_id,
                delete_associated_snapshots,
            } => state.deregister_image(&image_id, delete_associated_snapshots),
            Command::ModifyImageAttribute {
                image_id,
                add,
                remove,
                description,
            } => state.modify_image_attribute(&image_id, &add, &remove, description),
            Command::DeleteVolume { volume_id } => state.delete_volume(&volume_id),
            Command::ModifyVolume {
                volume_id,
                size_gib,
                volume_type,
                iops,
                throughput,
                multi_attach,
            } => state.modify_volume(
                &volume_id,
                size_gib,
                volume_type.as_deref(),
                iops,
                throughput,
                multi_attach,
            ),
            Command::DeleteSnapshot { snapshot_id } => state.delete_snapshot(&snapshot_id),
            Command::ModifySnapshotAttribute {
                snapshot_id,
                add,
                remove,
            } => state.modify_snapshot_attribute(&snapshot_id, &add, &remove),
            Command::SetEbsEncryptionByDefault { enabled } => {
                state.ebs_encryption_by_default = enabled;
                Ok(Response::Done)
            }
            Command::AllocateAddress { tags } => state.allocate_address(ids, tags),
            Command::AssociateAddress {
                allocation_id,
                instance_id,
                network_interface_id,
                allow_reassociation,
            } => state.associate_address(
                ids,
                &allocation_id,
                instance_id.as_ref(),
                network_interface_id.as_ref(),
                allow_reassociation,
            ),
            Command::DisassociateAddress { association_id } => {
                state.disassociate_address(ids, &association_id)
            }
            Command::ReleaseAddress { allocation_id } => state.release_address(&allocation_id),
            Command::WriteData {
                instance_id,
                device,
                write,
            } => state.write_data(ids, &instance_id, device.as_deref(), &write),
            Command::CreateLaunchTemplate(request) => {
                state.create_launch_template(ids, clock, *request)
            }
            Command::CreateLaunchTemplateVersion(request) => {
                state.create_launch_template_version(clock, *request)
            }
            Command::ModifyLaunchTemplate {
                template,
                default_version,
            } => state.modify_launch_template(&template, default_version.as_deref()),
            Command::DeleteLaunchTemplate { template } => state.delete_launch_template(&template),
            Command::DeleteLaunchTemplateVersions { template, versions } => {
                state.delete_launch_template_versions(&template, &versions)
            }
            Command::DeleteTags { resource_ids, tags } => {
                state.delete_tags(&resource_ids, tags.as_deref())?;
                Ok(Response::Done)
            }
            Command::CreateFileSystem(request) => state.create_file_system(ids, clock, *request),
            Command::CreateMountTarget {
                file_system_id,
                subnet_id,
                ip_address,
                security_groups,
            } => state.create_mount_target(
                ids,
                clock,
                &file_system_id,
                &subnet_id,
                ip_address.as_deref(),
                &security_groups,
            ),
            Command::DeleteMountTarget { mount_target_id } => {
                state.delete_mount_target(&mount_target_id)
            }
            Command::DeleteFileSystem { file_system_id } => {
                state.delete_file_system(&file_system_id)
            }
            Command::ModifyMountTargetSecurityGroups {
                mount_target_id,
                security_groups,
            } => state.modify_mount_target_security_groups(&mount_target_id, &security_groups),
            command @ (Command::CreateComponent { .. }
            | Command::CreateImageRecipe { .. }
            | Command::CreateInfrastructureConfiguration { .. }
            | Command::CreateImagePipeline { .. }
            | Command::UpdateImagePipeline { .. }
            | Command::StartImagePipelineExecution { .. }) => {
                state.image_builder_command(ids, clock, command)
            }
            _ => Err(ApiError::new("InternalError", "a command of the screen")),
        }
    }

    /// A Region with no resources, for building a snapshot; `None` if the
    /// lab does not simulate that Region.
    pub fn empty(name: &str) -> Option<Self> {
        region::region(name).map(Self::new)
    }

    fn new(info: &'static RegionInfo) -> Self {
        Self {
            info,
            vpcs: IdMap::new(),
            subnets: IdMap::new(),
            internet_gateways: IdMap::new(),
            route_tables: IdMap::new(),
            security_groups: IdMap::new(),
            network_acls: IdMap::new(),
            instances: IdMap::new(),
            volumes: IdMap::new(),
            network_interfaces: IdMap::new(),
            addresses: IdMap::new(),
            prefix_lists: IdMap::new(),
            images: IdMap::new(),
            snapshots: IdMap::new(),
            launch_templates: IdMap::new(),
            snapshot_sequence: 0,
            ebs_encryption_by_default: false,
            file_systems: IdMap::new(),
            mount_targets: IdMap::new(),
            image_builder: crate::image_builder::ImageBuilder::default(),
        }
    }

    /// A copy of what traffic depends on, without the Region's storage
    /// (volumes with their data, snapshots, AMIs, EFS file systems with
    /// their files) or launch templates: what a fix is verified on, cheaply
    /// (a trace never looks at them). Mount targets stay: their interfaces
    /// answer traffic.
    pub(crate) fn network_copy(&self) -> Self {
        Self {
            info: self.info,
            vpcs: self.vpcs.clone(),
            subnets: self.subnets.clone(),
            internet_gateways: self.internet_gateways.clone(),
            route_tables: self.route_tables.clone(),
            security_groups: self.security_groups.clone(),
            network_acls: self.network_acls.clone(),
            instances: self.instances.clone(),
            volumes: IdMap::new(),
            network_interfaces: self.network_interfaces.clone(),
            addresses: self.addresses.clone(),
            prefix_lists: self.prefix_lists.clone(),
            images: IdMap::new(),
            snapshots: IdMap::new(),
            launch_templates: IdMap::new(),
            snapshot_sequence: self.snapshot_sequence,
            ebs_encryption_by_default: self.ebs_encryption_by_default,
            file_systems: IdMap::new(),
            mount_targets: self.mount_targets.clone(),
            image_builder: crate::image_builder::ImageBuilder::default(),
        }
    }

    /// The Region code.
    pub fn name(&self) -> &'static str {
        self.info.name
    }

    /// The route table a subnet uses: its explicit association, else the
    /// VPC's main table (C2).
    pub fn route_table_of(&self, subnet_id: &SubnetId) -> Option<&RouteTable> {
        let explicit = self.route_tables.values().find(|table| {
            table
                .associations
                .iter()
                .any(|a| a.subnet_id.as_ref() == Some(subnet_id))
        });
        explicit.or_else(|| {
            let subnet = self.subnets.get(subnet_id)?;
            let vpc = self.vpcs.get(&subnet.vpc_id)?;
            self.route_tables.get(&vpc.main_route_table)
        })
    }

    /// Whether a subnet is public: its route table sends traffic to an
    /// internet gateway attached to its VPC (C3).
    pub fn is_public(&self, subnet_id: &SubnetId) -> bool {
        self.route_table_of(subnet_id)
            .and_then(RouteTable::internet_gateway)
            .and_then(|igw| self.internet_gateways.get(igw))
            .is_some_and(|igw| igw.attached_vpc.is_some())
    }

    /// The network ACL a subnet uses (B1).
    pub fn network_acl_of(&self, subnet_id: &SubnetId) -> Option<&NetworkAcl> {
        self.network_acls
            .values()
            .find(|acl| acl.associations.iter().any(|(_, s)| s == subnet_id))
    }

    /// The subnets of a VPC, ordered by AZ then address.
    pub fn subnets_of(&self, vpc_id: &VpcId) -> Vec<&Subnet> {
        let mut subnets: Vec<_> = self
            .subnets
            .values()
            .filter(|s| s.vpc_id == *vpc_id)
            .collect();
        sort_small_by(&mut subnets, |a, b| {
            (&a.availability_zone, a.cidr_block).cmp(&(&b.availability_zone, b.cidr_block))
        });
        subnets
    }

    /// The VPCs, ordered by address block.
    pub fn vpcs_by_cidr(&self) -> Vec<&Vpc> {
        let mut vpcs: Vec<_> = self.vpcs.values().collect();
        sort_small_by(&mut vpcs, |a, b| a.cidr_block.cmp(&b.cidr_block));
        vpcs
    }

    /// The instances in a subnet, ordered by private address.
    pub fn instances_in(&self, subnet_id: &SubnetId) -> Vec<&Instance> {
        let mut instances: Vec<_> = self
            .instances
            .values()
            .filter(|i| i.subnet_id == *subnet_id)
            .collect();
        sort_small_by(&mut instances, |a, b| {
            let ip = |i: &Instance| {
                self.network_interfaces
                    .get(&i.network_interface_id)
                    .map(|eni| eni.private_ip)
            };
            ip(a).cmp(&ip(b))
        });
        instances
    }

    /// An instance's primary network interface (eth0).
    pub fn primary_interface(&self, instance: &Instance) -> Option<&NetworkInterface> {
        self.network_interfaces.get(&instance.network_interface_id)
    }

    /// The interface that owns a private address (IPv4 or IPv6).
    pub fn interface_with_private_address(&self, ip: IpAddr) -> Option<&NetworkInterface> {
        self.network_interfaces
            .values()
            .find(|eni| eni.has_private_address(ip))
    }

    /// The interface in one VPC that owns a private address: VPCs may
    /// overlap, so an address names an interface only within its VPC.
    pub fn interface_in_vpc_with_address(
        &self,
        vpc_id: &VpcId,
        ip: IpAddr,
    ) -> Option<&NetworkInterface> {
        self.network_interfaces
            .values()
            .find(|eni| eni.vpc_id == *vpc_id && eni.has_private_address(ip))
    }

    /// The interface a public IPv4 address (auto-assigned or Elastic) maps to.
    pub fn interface_with_public_address(&self, ip: Ipv4Addr) -> Option<&NetworkInterface> {
        self.network_interfaces
            .values()
            .find(|eni| eni.public_ip == Some(ip))
    }

    /// The subnet's addresses that no network interface holds, lowest
    /// first, never the five AWS reserves (C4): what a new interface gets
    /// when no address is asked for. (`RunInstances` picks the same way.)
    pub fn free_addresses<'a>(&'a self, subnet: &'a Subnet) -> impl Iterator<Item = Ipv4Addr> + 'a {
        subnet
            .assignable_addresses()
            .filter(move |ip| !self.address_in_use(&subnet.id, *ip))
    }

    /// Whether a network interface in the subnet holds `ip` (primary or
    /// secondary).
    pub fn address_in_use(&self, subnet_id: &SubnetId, ip: Ipv4Addr) -> bool {
        self.network_interfaces.values().any(|eni| {
            eni.subnet_id == *subnet_id
                && (eni.private_ip == ip || eni.secondary_private_ips.contains(&ip))
        })
    }

    /// The volumes in an AZ that are attached to nothing.
    pub fn available_volumes_in(&self, zone: &str) -> Vec<&Volume> {
        self.volumes
            .values()
            .filter(|v| v.availability_zone == zone && v.attachments.is_empty())
            .collect()
    }

    /// The internet gateway attached to a VPC, if any.
    pub fn internet_gateway_of(&self, vpc_id: &VpcId) -> Option<&InternetGateway> {
        self.internet_gateways
            .values()
            .find(|igw| igw.attached_vpc.as_ref() == Some(vpc_id))
    }

    fn vpc(&self, id: &VpcId) -> Result<&Vpc, ApiError> {
        self.vpcs
            .get(id)
            .ok_or_else(|| ApiError::not_found("InvalidVpcID.NotFound", "vpc", id.as_str()))
    }

    fn subnet(&self, id: &SubnetId) -> Result<&Subnet, ApiError> {
        self.subnets
            .get(id)
            .ok_or_else(|| ApiError::not_found("InvalidSubnetID.NotFound", "subnet", id.as_str()))
    }

    fn subnet_mut(&mut self, id: &SubnetId) -> Result<&mut Subnet, ApiError> {
        self.subnets
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found("InvalidSubnetID.NotFound", "subnet", id.as_str()))
    }

    fn route_table_mut(&mut self, id: &RouteTableId) -> Result<&mut RouteTable, ApiError> {
        self.route_tables.get_mut(id).ok_or_else(|| {
            ApiError::not_found("InvalidRouteTableID.NotFound", "routeTable", id.as_str())
        })
    }

    fn security_group_mut(&mut self, id: &SecurityGroupId) -> Result<&mut SecurityGroup, ApiError> {
        self.security_groups.get_mut(id).ok_or_else(|| {
            ApiError::new(
                "InvalidGroup.NotFound",
                format!("The security group '{id}' does not exist"),
            )
        })
    }

    fn check_zone(&self, zone: &str) -> Result<(), ApiError> {
        if self.info.zones.iter().any(|(name, _)| *name == zone) {
            return Ok(());
        }
        let zones: Vec<_> = self.info.zones.iter().map(|(name, _)| *name).collect();
        Err(ApiError::invalid_value(
            "availabilityZone",
            zone,
            &format!(
                "It must be one of the Availability Zones of {}: {}.",
                self.info.name,
                zones.join(", ")
            ),
        ))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn create_vpc(
        &mut self,
        ids: &mut IdGenerator,
        cidr_block: &str,
        tags: Tags,
    ) -> Result<Response, ApiError> {
        let cidr = parse_cidr("cidrBlock", cidr_block)?;
        // C4: VPC IPv4 blocks are /16 to /28.
        if !(16..=28).contains(&cidr.prefix_len()) {
            return Err(ApiError::new(
                "InvalidVpc.Range",
                format!("The CIDR '{cidr_block}' is invalid. A VPC's block must be between /16 and /28."),
            ));
        }
        let id = VpcId::new(ids.next(VpcId::PREFIX));
        let main_route_table = RouteTableId::new(ids.next(RouteTableId::PREFIX));
        let default_network_acl = NetworkAclId::new(ids.next(NetworkAclId::PREFIX));
        let default_security_group = SecurityGroupId::new(ids.next(SecurityGroupId::PREFIX));
        // C2: every route table starts with the `local` route for the VPC.
        self.route_tables.insert(
            main_route_table.clone(),
            RouteTable {
                id: main_route_table.clone(),
                vpc_id: id.clone(),
                routes: vec![Route {
                    destination: IpNet::V4(cidr),
                    target: RouteTarget::Local,
                    blackhole: false,
                }],
                associations: vec![RouteTableAssociation {
                    id: RouteTableAssociationId::new(ids.next(RouteTableAssociationId::PREFIX)),
                    subnet_id: None,
                }],
                tags: Tags::new(),
            },
        );
        // B2, A6: the default network ACL and security group.
        self.network_acls.insert(
            default_network_acl.clone(),
            NetworkAcl::vpc_default(default_network_acl.clone(), id.clone(), false),
        );
        self.security_groups.insert(
            default_security_group.clone(),
            SecurityGroup::vpc_default(default_security_group.clone(), id.clone(), false),
        );
        self.vpcs.insert(
            id.clone(),
            Vpc {
                id: id.clone(),
                cidr_block: cidr,
                ipv6_cidr_block: None,
                is_default: false,
                main_route_table,
                default_network_acl,
                default_security_group,
                tags,
            },
        );
        Ok(Response::Vpc(id))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn create_subnet(
        &mut self,
        ids: &mut IdGenerator,
        vpc_id: &VpcId,
        cidr_block: &str,
        zone: &str,
        tags: Tags,
    ) -> Result<Response, ApiError> {
        let vpc = self.vpc(vpc_id)?;
        self.check_zone(zone)?;
        let cidr = parse_cidr("cidrBlock", cidr_block)?;
        // C4: subnet blocks are /16 to /28 and inside the VPC's block.
        if !(16..=28).contains(&cidr.prefix_len()) || !vpc.cidr_block.contains(&cidr) {
            return Err(ApiError::new(
                "InvalidSubnet.Range",
                format!(
                    "The CIDR '{cidr_block}' is invalid. A subnet's block must be between /16 and /28 and inside the VPC's block {}.",
                    vpc.cidr_block
                ),
            ));
        }
        if let Some(other) = self.subnets.values().find(|s| {
            s.vpc_id == *vpc_id && (s.cidr_block.contains(&cidr) || cidr.contains(&s.cidr_block))
        }) {
            return Err(ApiError::new(
                "InvalidSubnet.Conflict",
                format!(
                    "The CIDR '{cidr_block}' conflicts with another subnet ({} {}).",
                    other.id, other.cidr_block
                ),
            ));
        }
        let default_acl = vpc.default_network_acl.clone();
        let id = SubnetId::new(ids.next(SubnetId::PREFIX));
        // B1: a new subnet uses the VPC's default network ACL.
        let association = NetworkAclAssociationId::new(ids.next(NetworkAclAssociationId::PREFIX));
        if let Some(acl) = self.network_acls.get_mut(&default_acl) {
            acl.associations.push((association, id.clone()));
        }
        self.subnets.insert(
            id.clone(),
            Subnet {
                id: id.clone(),
                vpc_id: vpc_id.clone(),
                availability_zone: zone.to_owned(),
                cidr_block: cidr,
                ipv6_cidr_block: None,
                map_public_ip_on_launch: false,
                tags,
            },
        );
        Ok(Response::Subnet(id))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn attach_internet_gateway(
        &mut self,
        igw_id: &InternetGatewayId,
        vpc_id: &VpcId,
    ) -> Result<Response, ApiError> {
        self.vpc(vpc_id)?;
        if let Some(other) = self.internet_gateway_of(vpc_id) {
            return Err(ApiError::new(
                "Resource.AlreadyAssociated",
                format!(
                    "VPC {vpc_id} already has internet gateway {} attached.",
                    other.id
                ),
            ));
        }
        let igw = self.internet_gateways.get_mut(igw_id).ok_or_else(|| {
            ApiError::not_found(
                "InvalidInternetGatewayID.NotFound",
                "internetGateway",
                igw_id.as_str(),
            )
        })?;
        if let Some(attached) = &igw.attached_vpc {
            return Err(ApiError::new(
                "Resource.AlreadyAssociated",
                format!("resource {igw_id} is already attached to network {attached}"),
            ));
        }
        igw.attached_vpc = Some(vpc_id.clone());
        Ok(Response::Done)
    }

    // Not inlined: see `create_vpc`.
    #[inline(never)]
    fn delete_route(
        &mut self,
        route_table_id: &RouteTableId,
        destination_cidr_block: &str,
    ) -> Result<Response, ApiError> {
        let destination = parse_any_cidr("destinationCidrBlock", destination_cidr_block)?;
        let table = self.route_table_mut(route_table_id)?;
        // C2: the local route can't be deleted.
        let index = table
            .routes
            .iter()
            .position(|r| r.destination == destination)
            .ok_or_else(|| {
                ApiError::new(
                    "InvalidRoute.NotFound",
                    format!("no route with destination-cidr-block {destination} in route table {route_table_id}"),
                )
            })?;
        if table.routes[index].target == RouteTarget::Local {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!("cannot remove local route {destination} in route table {route_table_id}"),
            ));
        }
        table.routes.remove(index);
        Ok(Response::Done)
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn create_route_table(
        &mut self,
        ids: &mut IdGenerator,
        vpc_id: &VpcId,
        tags: Tags,
    ) -> Result<Response, ApiError> {
        let cidr = self.vpc(vpc_id)?.cidr_block;
        let id = RouteTableId::new(ids.next(RouteTableId::PREFIX));
        self.route_tables.insert(
            id.clone(),
            RouteTable {
                id: id.clone(),
                vpc_id: vpc_id.clone(),
                // C2: the local route is always there.
                routes: vec![Route {
                    destination: IpNet::V4(cidr),
                    target: RouteTarget::Local,
                    blackhole: false,
                }],
                associations: Vec::new(),
                tags,
            },
        );
        Ok(Response::RouteTable(id))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn create_route(
        &mut self,
        table_id: &RouteTableId,
        destination: &str,
        gateway_id: &InternetGatewayId,
    ) -> Result<Response, ApiError> {
        let destination = parse_any_cidr("destinationCidrBlock", destination)?;
        let igw_vpc = self
            .internet_gateways
            .get(gateway_id)
            .ok_or_else(|| {
                ApiError::not_found(
                    "InvalidInternetGatewayID.NotFound",
                    "internetGateway",
                    gateway_id.as_str(),
                )
            })?
            .attached_vpc
            .clone();
        let table_vpc = self
            .route_tables
            .get(table_id)
            .map(|t| t.vpc_id.clone())
            .ok_or_else(|| {
                ApiError::not_found(
                    "InvalidRouteTableID.NotFound",
                    "routeTable",
                    table_id.as_str(),
                )
            })?;
        // C2: the local route covers the VPC's own block; a gateway route
        // can't be more specific than it.
        if let Some(vpc) = self.vpcs.get(&table_vpc) {
            let inside = match destination {
                IpNet::V4(net) => vpc.cidr_block.contains(&net),
                IpNet::V6(net) => vpc
                    .ipv6_cidr_block
                    .is_some_and(|block| block.contains(&net)),
            };
            if inside {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    format!(
                        "The destination CIDR block {destination} is equal to or more specific than one of this VPC's CIDR blocks. This route can target only an interface or an instance."
                    ),
                ));
            }
        }
        let table = self.route_table_mut(table_id)?;
        if igw_vpc.as_ref() != Some(&table.vpc_id) {
            return Err(ApiError::invalid_value(
                "gatewayId",
                gateway_id.as_str(),
                &format!("route table {table_id} and network gateway {gateway_id} belong to different networks"),
            ));
        }
        if table.routes.iter().any(|r| r.destination == destination) {
            return Err(ApiError::new(
                "RouteAlreadyExists",
                format!("The route identified by {destination} already exists."),
            ));
        }
        table.routes.push(Route {
            destination,
            target: RouteTarget::InternetGateway(gateway_id.clone()),
            blackhole: false,
        });
        Ok(Response::Done)
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn associate_route_table(
        &mut self,
        ids: &mut IdGenerator,
        table_id: &RouteTableId,
        subnet_id: &SubnetId,
    ) -> Result<Response, ApiError> {
        let subnet_vpc = self.subnet(subnet_id)?.vpc_id.clone();
        let explicit = self.route_tables.values().find(|t| {
            t.associations
                .iter()
                .any(|a| a.subnet_id.as_ref() == Some(subnet_id))
        });
        if let Some(other) = explicit {
            return Err(ApiError::new(
                "Resource.AlreadyAssociated",
                format!("the specified association for route table {} conflicts with an existing association", other.id),
            ));
        }
        let association = RouteTableAssociationId::new(ids.next(RouteTableAssociationId::PREFIX));
        let table = self.route_table_mut(table_id)?;
        if table.vpc_id != subnet_vpc {
            return Err(ApiError::invalid_value(
                "subnetId",
                subnet_id.as_str(),
                &format!(
                    "route table {table_id} and subnet {subnet_id} belong to different networks"
                ),
            ));
        }
        table.associations.push(RouteTableAssociation {
            id: association.clone(),
            subnet_id: Some(subnet_id.clone()),
        });
        Ok(Response::RouteTableAssociation(association))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn create_security_group(
        &mut self,
        ids: &mut IdGenerator,
        name: &str,
        description: &str,
        vpc_id: &VpcId,
        tags: Tags,
    ) -> Result<Response, ApiError> {
        self.vpc(vpc_id)?;
        // A16: up to 255 characters, not starting with `sg-`, trailing spaces trimmed.
        let name = name.trim_end();
        if name.is_empty() || name.len() > 255 || name.starts_with("sg-") {
            return Err(ApiError::invalid_value(
                "GroupName",
                name,
                "A group name has 1 to 255 characters and cannot start with 'sg-'.",
            ));
        }
        // A16: the name is unique within the VPC.
        if self
            .security_groups
            .values()
            .any(|g| g.vpc_id == *vpc_id && g.name == name)
        {
            return Err(ApiError::new(
                "InvalidGroup.Duplicate",
                format!("The security group '{name}' already exists for VPC '{vpc_id}'"),
            ));
        }
        let mut allow_all_out = vec![SecurityGroup::allow_all_outbound()];
        if self.vpc(vpc_id)?.ipv6_cidr_block.is_some() {
            allow_all_out.push(SecurityGroupRule {
                peer: RulePeer::Ipv6Cidr(ipnet::Ipv6Net::default()),
                ..SecurityGroup::allow_all_outbound()
            });
        }
        let id = SecurityGroupId::new(ids.next(SecurityGroupId::PREFIX));
        self.security_groups.insert(
            id.clone(),
            SecurityGroup {
                id: id.clone(),
                name: name.to_owned(),
                description: description.to_owned(),
                vpc_id: vpc_id.clone(),
                // A4: no inbound rules, one outbound rule allowing everything
                // (to ::/0 as well when the VPC has an IPv6 block).
                ingress: Vec::new(),
                egress: allow_all_out,
                tags,
            },
        );
        Ok(Response::SecurityGroup(id))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn authorize(
        &mut self,
        group_id: &SecurityGroupId,
        egress: bool,
        rules: Vec<SecurityGroupRule>,
    ) -> Result<Response, ApiError> {
        // A7: a referenced group or prefix list must exist.
        for rule in &rules {
            match &rule.peer {
                RulePeer::SecurityGroup(id) if !self.security_groups.contains_key(id) => {
                    return Err(ApiError::new(
                        "InvalidGroup.NotFound",
                        format!("The security group '{id}' does not exist"),
                    ));
                }
                RulePeer::PrefixList(id) if !self.prefix_lists.contains_key(id) => {
                    return Err(ApiError::new(
                        "InvalidPrefixListId.NotFound",
                        format!("The prefix list ID '{id}' does not exist"),
                    ));
                }
                _ => {}
            }
        }
        let prefix_sizes: BTreeMap<PrefixListId, usize> = self
            .prefix_lists
            .values()
            .map(|list| (list.id.clone(), list.max_entries as usize))
            .collect();
        let group = self.security_group_mut(group_id)?;
        let existing = if egress {
            &group.egress
        } else {
            &group.ingress
        };
        // Check every rule before adding any: the request succeeds whole or not at all.
        for (i, rule) in rules.iter().enumerate() {
            if existing
                .iter()
                .chain(&rules[..i])
                .any(|r| r.same_permission(rule))
            {
                return Err(ApiError::new(
                    "InvalidPermission.Duplicate",
                    format!(
                        "the specified rule \"peer: {}, {}\" already exists",
                        rule.peer, rule
                    ),
                ));
            }
        }
        // A11: 60 inbound and 60 outbound rules per group, counted apart for
        // IPv4 and IPv6; a prefix list counts as its maximum size.
        let weight = |rule: &SecurityGroupRule, v6: bool| -> usize {
            match &rule.peer {
                RulePeer::Cidr(_) | RulePeer::SecurityGroup(_) => usize::from(!v6),
                RulePeer::Ipv6Cidr(_) => usize::from(v6),
                RulePeer::PrefixList(id) => prefix_sizes.get(id).copied().unwrap_or(1),
            }
        };
        for v6 in [false, true] {
            let total: usize = existing.iter().chain(&rules).map(|r| weight(r, v6)).sum();
            if total > RULES_PER_SECURITY_GROUP {
                return Err(ApiError::new(
                    "RulesPerSecurityGroupLimitExceeded",
                    "The maximum number of rules per security group has been reached.",
                ));
            }
        }
        if egress {
            group.egress.extend(rules);
        } else {
            group.ingress.extend(rules);
        }
        Ok(Response::Done)
    }

    fn network_acl_mut(&mut self, id: &NetworkAclId) -> Result<&mut NetworkAcl, ApiError> {
        self.network_acls.get_mut(id).ok_or_else(|| {
            ApiError::new(
                "InvalidNetworkAclID.NotFound",
                format!("The networkAcl ID '{id}' does not exist"),
            )
        })
    }

    /// `CreateNetworkAclEntry`, or with `replace` `ReplaceNetworkAclEntry`.
    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn create_network_acl_entry(
        &mut self,
        acl_id: &NetworkAclId,
        entry: NetworkAclEntry,
        replace: bool,
    ) -> Result<Response, ApiError> {
        let acl = self.network_acl_mut(acl_id)?;
        // B4: rule numbers 1 to 32766; 32767 and up are AWS's.
        if entry.rule_number == 0 || entry.rule_number > MAX_RULE_NUMBER {
            return Err(ApiError::invalid_value(
                "RuleNumber",
                &entry.rule_number.to_string(),
                "It must be from 1 to 32766; 32767 to 65535 are reserved for internal use.",
            ));
        }
        // B8: TCP and UDP entries need a port range.
        if matches!(entry.protocol, IpProtocol::Tcp | IpProtocol::Udp) && entry.port_range.is_none()
        {
            return Err(ApiError::new(
                "InvalidParameterValue",
                "A network ACL entry for TCP (6) or UDP (17) needs a port range (PortRange From and To).",
            ));
        }
        if let Some((from, to)) = entry.port_range {
            if from > to {
                return Err(ApiError::invalid_value(
                    "PortRange",
                    &format!("{from}-{to}"),
                    "The first port must not be greater than the last.",
                ));
            }
        }
        let existing = acl
            .entries
            .iter()
            .position(|e| e.egress == entry.egress && e.rule_number == entry.rule_number);
        // B9: 20 rules per direction, IPv4 and IPv6 apart, the * rule included.
        let same_family = |e: &NetworkAclEntry| {
            e.egress == entry.egress
                && e.cidr_block.addr().is_ipv4() == entry.cidr_block.addr().is_ipv4()
        };
        if existing.is_none()
            && acl.entries.iter().filter(|e| same_family(e)).count()
                >= NETWORK_ACL_RULES_PER_DIRECTION
        {
            return Err(ApiError::new(
                "NetworkAclEntryLimitExceeded",
                format!(
                    "The maximum number of network ACL entries ({NETWORK_ACL_RULES_PER_DIRECTION} per direction, including the default deny) has been reached."
                ),
            ));
        }
        match (existing, replace) {
            // B8: one entry per rule number and direction.
            (Some(_), false) => Err(ApiError::new(
                "NetworkAclEntryAlreadyExists",
                format!(
                    "The network acl entry identified by {} already exists.",
                    entry.rule_number
                ),
            )),
            (None, true) => Err(ApiError::new(
                "InvalidNetworkAclEntry.NotFound",
                format!(
                    "The network acl entry identified by {} ({}) does not exist.",
                    entry.rule_number,
                    if entry.egress { "egress" } else { "ingress" }
                ),
            )),
            (Some(index), true) => {
                acl.entries[index] = entry;
                Ok(Response::Done)
            }
            (None, false) => {
                acl.entries.push(entry);
                Ok(Response::Done)
            }
        }
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn delete_network_acl_entry(
        &mut self,
        acl_id: &NetworkAclId,
        rule_number: u16,
        egress: bool,
    ) -> Result<Response, ApiError> {
        let acl = self.network_acl_mut(acl_id)?;
        let index = acl
            .entries
            .iter()
            .position(|e| {
                e.egress == egress && e.rule_number == rule_number && !e.is_default_deny()
            })
            .ok_or_else(|| {
                ApiError::new(
                    "InvalidNetworkAclEntry.NotFound",
                    format!(
                        "The network acl entry identified by {rule_number} ({}) does not exist.",
                        if egress { "egress" } else { "ingress" }
                    ),
                )
            })?;
        acl.entries.remove(index);
        Ok(Response::Done)
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn create_network_acl(
        &mut self,
        ids: &mut IdGenerator,
        vpc_id: &VpcId,
        tags: Tags,
    ) -> Result<Response, ApiError> {
        let vpc = self.vpc(vpc_id)?;
        // B3: a new custom ACL denies everything, in and out, until rules are added.
        let mut entries = vec![
            NetworkAclEntry::default_deny(false),
            NetworkAclEntry::default_deny(true),
        ];
        if vpc.ipv6_cidr_block.is_some() {
            entries.push(NetworkAclEntry::default_deny_ipv6(false));
            entries.push(NetworkAclEntry::default_deny_ipv6(true));
        }
        let id = NetworkAclId::new(ids.next(NetworkAclId::PREFIX));
        self.network_acls.insert(
            id.clone(),
            NetworkAcl {
                id: id.clone(),
                vpc_id: vpc_id.clone(),
                is_default: false,
                entries,
                associations: Vec::new(),
                tags,
            },
        );
        Ok(Response::NetworkAcl(id))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn delete_network_acl(&mut self, acl_id: &NetworkAclId) -> Result<Response, ApiError> {
        let acl = self.network_acl_mut(acl_id)?;
        // B1: the default ACL can't be deleted, nor one that subnets use.
        if acl.is_default {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!("cannot delete default network ACL {acl_id}"),
            ));
        }
        if !acl.associations.is_empty() {
            return Err(ApiError::new(
                "DependencyViolation",
                format!("The networkAcl '{acl_id}' has dependencies and cannot be deleted."),
            ));
        }
        self.network_acls.remove(acl_id);
        Ok(Response::Done)
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn replace_network_acl_association(
        &mut self,
        ids: &mut IdGenerator,
        association_id: &NetworkAclAssociationId,
        acl_id: &NetworkAclId,
    ) -> Result<Response, ApiError> {
        let target_vpc = self.network_acl_mut(acl_id)?.vpc_id.clone();
        let Some((from, subnet)) = self.network_acls.values().find_map(|acl| {
            acl.associations
                .iter()
                .find(|(id, _)| id == association_id)
                .map(|(_, subnet)| (acl.id.clone(), subnet.clone()))
        }) else {
            return Err(ApiError::new(
                "InvalidAssociationID.NotFound",
                format!("The association ID '{association_id}' does not exist"),
            ));
        };
        if self.subnet(&subnet)?.vpc_id != target_vpc {
            return Err(ApiError::invalid_value(
                "networkAclId",
                acl_id.as_str(),
                &format!("network ACL {acl_id} and subnet {subnet} belong to different networks"),
            ));
        }
        // B1: a subnet has exactly one ACL; the new association replaces the old.
        let new_id = NetworkAclAssociationId::new(ids.next(NetworkAclAssociationId::PREFIX));
        if let Some(acl) = self.network_acls.get_mut(&from) {
            acl.associations.retain(|(id, _)| id != association_id);
        }
        if let Some(acl) = self.network_acls.get_mut(acl_id) {
            acl.associations.push((new_id.clone(), subnet));
        }
        Ok(Response::NetworkAclAssociation(new_id))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn revoke(
        &mut self,
        group_id: &SecurityGroupId,
        egress: bool,
        rules: &[SecurityGroupRule],
    ) -> Result<Response, ApiError> {
        let group = self.security_group_mut(group_id)?;
        let list = if egress {
            &mut group.egress
        } else {
            &mut group.ingress
        };
        if let Some(missing) = rules
            .iter()
            .find(|rule| !list.iter().any(|r| r.same_permission(rule)))
        {
            return Err(ApiError::new(
                "InvalidPermission.NotFound",
                format!("The specified rule does not exist in this security group: {missing}"),
            ));
        }
        list.retain(|r| !rules.iter().any(|rule| r.same_permission(rule)));
        Ok(Response::Done)
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn delete_security_group(&mut self, group_id: &SecurityGroupId) -> Result<Response, ApiError> {
        let group = self.security_group_mut(group_id)?;
        // A6: a VPC's default group can't be deleted (`Client.CannotDelete`).
        if group.name == "default" {
            return Err(ApiError::new(
                "Client.CannotDelete",
                format!("the specified group: \"{group_id}\" name: \"default\" cannot be deleted by a user"),
            ));
        }
        // A16: a group can be deleted only when nothing uses it.
        let in_use = self
            .network_interfaces
            .values()
            .any(|eni| eni.security_groups.contains(group_id));
        let referenced = self.security_groups.values().any(|g| {
            g.id != *group_id
                && g.ingress
                    .iter()
                    .chain(&g.egress)
                    .any(|r| r.peer == RulePeer::SecurityGroup(group_id.clone()))
        });
        if in_use || referenced {
            return Err(ApiError::new(
                "DependencyViolation",
                format!("resource {group_id} has a dependent object"),
            ));
        }
        self.security_groups.remove(group_id);
        Ok(Response::Done)
    }

    /// A public IPv4 address from Amazon's pool for this Region, not in use.
    fn allocate_public_ip(&self, ids: &mut IdGenerator) -> Ipv4Addr {
        // Addresses from a /12 that Amazon really uses in the Region.
        let pool: Ipv4Net = match self.name() {
            "us-west-2" => Ipv4Net::new(Ipv4Addr::new(35, 80, 0, 0), 12),
            "eu-west-1" => Ipv4Net::new(Ipv4Addr::new(54, 64, 0, 0), 12),
            _ => Ipv4Net::new(Ipv4Addr::new(3, 80, 0, 0), 12),
        }
        .unwrap_or_default();
        let base = u32::from(pool.network());
        let span = (1u32 << (32 - u32::from(pool.prefix_len()))) - 2;
        loop {
            let offset = (ids.next_u64() % u64::from(span)) as u32 + 1;
            let ip = Ipv4Addr::from(base + offset);
            let octet = ip.octets()[3];
            let taken = self
                .network_interfaces
                .values()
                .any(|eni| eni.public_ip == Some(ip))
                || self
                    .addresses
                    .values()
                    .any(|address| address.public_ip == ip);
            if octet != 0 && octet != 255 && !taken {
                return ip;
            }
        }
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    fn create_tags(&mut self, resource_ids: &[String], tags: &Tags) -> Result<(), ApiError> {
        let region = self.info.name;
        // Check every id before tagging any.
        if let Some(missing) = resource_ids.iter().find(|id| self.tags_mut(id).is_none()) {
            return Err(ApiError::new(
                "InvalidID",
                format!("The ID '{missing}' is not valid or does not exist in {region}"),
            ));
        }
        for id in resource_ids {
            if let Some(target) = self.tags_mut(id) {
                for (key, value) in tags.iter() {
                    target.insert(key, value);
                }
            }
        }
        Ok(())
    }

    #[inline(never)]
    fn delete_tags(
        &mut self,
        resource_ids: &[String],
        tags: Option<&[(String, Option<String>)]>,
    ) -> Result<(), ApiError> {
        let region = self.info.name;
        if let Some(missing) = resource_ids.iter().find(|id| self.tags_mut(id).is_none()) {
            return Err(ApiError::new(
                "InvalidID",
                format!("The ID '{missing}' is not valid or does not exist in {region}"),
            ));
        }
        for id in resource_ids {
            let Some(target) = self.tags_mut(id) else {
                continue;
            };
            match tags {
                // AWS-generated tags (`aws:` keys) stay.
                None => target.retain(|key, _| key.starts_with("aws:")),
                Some(tags) => {
                    for (key, value) in tags {
                        if value.as_deref().is_none_or(|v| target.get(key) == Some(v)) {
                            target.remove(key);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Every tagged resource of the Region with its `describe-tags`
    /// resource type, ordered by kind then id.
    pub fn tagged_resources(&self) -> Vec<(&str, &'static str, &Tags)> {
        let mut out = Vec::new();
        macro_rules! tagged {
            ($($kind:literal: $items:ident by $id:ident),* $(,)?) => {$(
                out.extend(
                    self.$items
                        .values()
                        .filter(|r| !r.tags.is_empty())
                        .map(|r| (r.$id.as_str(), $kind, &r.tags)),
                );
            )*};
        }
        tagged! {
            "vpc": vpcs by id,
            "subnet": subnets by id,
            "internet-gateway": internet_gateways by id,
            "route-table": route_tables by id,
            "security-group": security_groups by id,
            "network-acl": network_acls by id,
            "instance": instances by id,
            "volume": volumes by id,
            "snapshot": snapshots by id,
            "image": images by id,
            "elastic-ip": addresses by allocation_id,
            "launch-template": launch_templates by id,
        }
        out
    }

    /// The tags of the resource with this id, whatever its kind.
    fn tags_mut(&mut self, id: &str) -> Option<&mut Tags> {
        let prefix = id.split_once('-').map_or(id, |(kind, _)| kind);
        match prefix {
            "vpc" => self.vpcs.get_mut(&VpcId::from(id)).map(|r| &mut r.tags),
            "subnet" => self
                .subnets
                .get_mut(&SubnetId::from(id))
                .map(|r| &mut r.tags),
            "igw" => self
                .internet_gateways
                .get_mut(&InternetGatewayId::from(id))
                .map(|r| &mut r.tags),
            "rtb" => self
                .route_tables
                .get_mut(&RouteTableId::from(id))
                .map(|r| &mut r.tags),
            "sg" => self
                .security_groups
                .get_mut(&SecurityGroupId::from(id))
                .map(|r| &mut r.tags),
            "acl" => self
                .network_acls
                .get_mut(&NetworkAclId::from(id))
                .map(|r| &mut r.tags),
            "i" => self
                .instances
                .get_mut(&InstanceId::from(id))
                .map(|r| &mut r.tags),
            "vol" => self
                .volumes
                .get_mut(&VolumeId::from(id))
                .map(|r| &mut r.tags),
            "snap" => self
                .snapshots
                .get_mut(&SnapshotId::from(id))
                .map(|r| &mut r.tags),
            "ami" => self.images.get_mut(&ImageId::from(id)).map(|r| &mut r.tags),
            "eipalloc" => self
                .addresses
                .get_mut(&AllocationId::from(id))
                .map(|r| &mut r.tags),
            // I2: a launch template can be tagged; its versions can't.
            "lt" => self
                .launch_templates
                .get_mut(&LaunchTemplateId::from(id))
                .map(|r| &mut r.tags),
            _ => None,
        }
    }

    /// Lets time pass to `now`: launches, stops and terminations finish,
    /// volumes and snapshots complete, EFS file systems and mount targets
    /// become available.
    fn advance_to(&mut self, ids: &mut IdGenerator, now: u64) {
        self.advance_instances(ids, now);
        self.advance_services(now);
        self.advance_storage(now);
        self.advance_efs(now);
    }
}

/// An EFS file system's files, if the Region has it.
pub(crate) fn efs_data<'a>(region: &'a RegionState, id: &str) -> Option<&'a crate::data::DiskData> {
    region
        .file_system(&crate::ids::FileSystemId::new(id))
        .map(|fs| &fs.data)
}

/// An EFS file system's files, to change.
pub(crate) fn efs_data_mut<'a>(
    region: &'a mut RegionState,
    id: &str,
) -> Option<&'a mut crate::data::DiskData> {
    region.file_system_data_mut(&crate::ids::FileSystemId::new(id))
}

impl RegionState {
    /// The DNS name of an EFS file system.
    pub(crate) fn efs_dns_name(&self, id: &str) -> String {
        crate::efs::file_system_dns_name(&crate::ids::FileSystemId::new(id), self.name())
    }

    /// The address of the mount target an instance in `az` reaches when it
    /// mounts a file system by id or DNS name: the one in its own AZ (J3).
    pub(crate) fn efs_mount_target_ip(&self, id: &str, az: &str) -> Result<Ipv4Addr, String> {
        let fs_id = crate::ids::FileSystemId::new(id);
        if self.file_system(&fs_id).is_none() {
            return Err(format!(
                "Failed to resolve \"{}\": there is no file system {id} in {}",
                self.efs_dns_name(id),
                self.name()
            ));
        }
        match self.mount_target_for(&fs_id, az) {
            Some(mt) if mt.state == crate::efs::LifeCycleState::Available => Ok(mt.ip_address),
            Some(mt) => Err(format!(
                "Connection refused: the mount target {} is still {}",
                mt.id,
                mt.state.name()
            )),
            None => Err(format!(
                "Failed to resolve \"{}\": the file system has no mount target in {az}, the instance's Availability Zone (J3: one mount target per AZ; create one there)",
                self.efs_dns_name(id)
            )),
        }
    }
}
