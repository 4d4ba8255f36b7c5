//! The EC2 Lab simulation core: one simulated AWS account.
//!
//! The account holds Regions, each with VPCs, subnets, route tables, internet
//! gateways, security groups, network ACLs, instances, EBS volumes, launch
//! templates and EFS file systems. It changes only through [`Command`]s
//! named after EC2 (and EFS) API actions, applied with [`World::apply`]; a
//! command succeeds whole, or fails with AWS's own error code and changes
//! nothing.
//!
//! The core is deterministic and sans-IO: no clock (time passes only through
//! [`Command::AdvanceTime`]), no randomness (ids come from a counter kept in the
//! world), no files, no network, no web dependencies. It builds for the host
//! and for `wasm32-unknown-unknown` alike.
//!
//! Code comments cite the behaviour they implement by its entry in the lab's
//! AWS behaviour reference (`aws-behaviour.md`), e.g. `C4` for reserved subnet
//! addresses.
//!
//! ```
//! use ec2lab_sim::{default_lab, DEFAULT_REGION};
//!
//! let world = default_lab();
//! let region = world.region(DEFAULT_REGION).unwrap();
//! assert_eq!(region.instances.len(), 3);
//! assert!(world.to_string().contains("Subnet"));
//! ```

#![warn(missing_docs)]

mod clock;
mod cloud_init;
mod command;
mod data;
mod default_lab;
mod display;
mod efs;
mod error;
mod generate;
mod ids;
mod image;
pub mod image_builder;
mod instance;
mod kms;
mod launch_template;
mod matrix;
mod network_acl;
mod network_interface;
mod os;
mod packet;
mod region;
mod security_group;
mod shell;
mod snapshot;
mod tags;
mod trace;
mod volume;
mod vpc;
mod world;

pub use clock::{gmt, iso8601, iso8601_millis, LAB_EPOCH};
pub use command::{
    BlockDeviceRequest, Command, CreateFileSystem, CreateLaunchTemplate,
    CreateLaunchTemplateVersion, CreateVolume, DeletedLaunchTemplateVersions, EbsRequest,
    Permission, Response, RunInstances, StateChange, VersionNotDeleted, Write,
};
pub use data::DiskData;
pub use default_lab::{default_lab, DEFAULT_REGION};
pub use efs::{
    file_system_dns_name, FileSystem, LifeCycleState, MountTarget, PerformanceMode, ThroughputMode,
    NFS_PORT,
};
pub use error::ApiError;
pub use generate::{generated_lab, LabSpec};
pub use ids::{
    AllocationId, AssociationId, FileSystemId, IdGenerator, ImageId, InstanceId, InternetGatewayId,
    LaunchTemplateId, MountTargetId, NetworkAclAssociationId, NetworkAclId, NetworkInterfaceId,
    PrefixListId, ReservationId, RouteTableAssociationId, RouteTableId, SecurityGroupId,
    SnapshotId, SubnetId, VolumeId, VpcId,
};
pub use image::{
    public_image, public_image_of_snapshot, CatalogueKind, EbsMapping, Image, ImageBlockDevice,
    ImageState, PublicImage, RootDeviceType, PUBLIC_IMAGES,
};
pub use instance::{
    instance_type, Architecture, Instance, InstanceBlockDevice, InstanceState, InstanceStoreDisk,
    InstanceTypeInfo, ShutdownBehavior, INSTANCE_TYPES, MINIMUM_BILLED_SECONDS,
};
pub use kms::{KmsKey, DEFAULT_EBS_KEY, DEFAULT_EFS_KEY, KMS_KEYS};
pub use launch_template::{
    check_template_name, LaunchTemplate, LaunchTemplateData, LaunchTemplateNetworkInterface,
    LaunchTemplateRef, LaunchTemplateSpecification, LaunchTemplateTagSpecification,
    LaunchTemplateVersion, VersionSelector, LAUNCH_TEMPLATES_PER_REGION,
    VERSIONS_PER_LAUNCH_TEMPLATE, VERSION_DESCRIPTION_LIMIT,
};
pub use matrix::{reachability_matrix, ReachabilityMatrix};
pub use network_acl::{
    NetworkAcl, NetworkAclEntry, RuleAction, DEFAULT_DENY_RULE_NUMBER,
    DEFAULT_DENY_RULE_NUMBER_IPV6, MAX_RULE_NUMBER,
};
pub use network_interface::{Address, ManagedPrefixList, NetworkInterface, PrefixListEntry};
pub use os::{Distro, Mount, MountSource, RunningService, Runtime, ServiceInfo, SERVICES};
pub use packet::{Packet, Transport};
pub use region::{region, region_of_zone, zone_id, RegionInfo, REGIONS};
pub use security_group::{
    protocol_and_ports_match, IpProtocol, RulePeer, SecurityGroup, SecurityGroupRule,
};
pub use shell::Output;
pub use snapshot::{Snapshot, SnapshotState};
pub use tags::{NameOrDash, Tags};
pub use trace::{
    Answer, BlockedBy, Component, Connection, Decision, Direction, Fix, Flow, Hop, Phase, Source,
    Trace,
};
pub use volume::{Volume, VolumeAttachment, VolumeState, VolumeType};
pub use vpc::{
    InternetGateway, Route, RouteTable, RouteTableAssociation, RouteTarget, Subnet, Vpc,
};
pub use world::{
    RegionState, World, BOOT_SECONDS, FILE_SYSTEM_CREATE_SECONDS, INSTANCE_STORE_BOOT_SECONDS,
    MOUNT_TARGET_CREATE_SECONDS, SNAPSHOT_SECONDS, STOP_SECONDS, TERMINATED_VISIBLE_SECONDS,
    TERMINATE_SECONDS, VOLUME_CREATE_SECONDS,
};

/// The simulated account's id (`OwnerId`).
pub const ACCOUNT_ID: &str = "123456789012";
