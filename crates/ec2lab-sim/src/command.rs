//! Commands: the only way the simulated account changes.
//!
//! Each command is named after the EC2 (or EFS) API action it models and
//! carries that action's request parameters, as text where the API takes
//! text (so a bad CIDR is reported the way AWS reports it). A command
//! succeeds whole, or fails with AWS's error code and leaves the world
//! exactly as it was.

use std::net::Ipv4Addr;

use crate::ids::{
    AllocationId, AssociationId, FileSystemId, ImageId, InstanceId, InternetGatewayId,
    LaunchTemplateId, MountTargetId, NetworkAclAssociationId, NetworkAclId, NetworkInterfaceId,
    ReservationId, RouteTableAssociationId, RouteTableId, SecurityGroupId, SnapshotId, SubnetId,
    VolumeId, VpcId,
};
use crate::instance::InstanceState;
use crate::launch_template::{LaunchTemplateData, LaunchTemplateRef, LaunchTemplateSpecification};
use crate::network_acl::NetworkAclEntry;
use crate::security_group::SecurityGroupRule;
use crate::tags::Tags;

/// A request to the simulated EC2 API, or a lab command (time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Image Builder `CreateComponent`.
    CreateComponent {
        /// `name`.
        name: String,
        /// `semanticVersion`.
        semantic_version: String,
        /// `platform`.
        platform: String,
        /// `description`.
        description: String,
        /// `data`: an AWSTOE document or a bash script.
        data: String,
    },
    /// Image Builder `CreateImageRecipe`.
    CreateImageRecipe {
        /// `name`.
        name: String,
        /// `semanticVersion`.
        semantic_version: String,
        /// `description`.
        description: String,
        /// `parentImage`: an AMI id.
        parent_image: String,
        /// `components[].componentArn`.
        components: Vec<String>,
    },
    /// Image Builder `CreateInfrastructureConfiguration`.
    CreateInfrastructureConfiguration {
        /// `name`.
        name: String,
        /// `subnetId`.
        subnet_id: Option<SubnetId>,
        /// `securityGroupIds`.
        security_group_ids: Vec<SecurityGroupId>,
        /// `instanceTypes`.
        instance_types: Vec<String>,
    },
    /// Image Builder `CreateImagePipeline`.
    CreateImagePipeline {
        /// `name`.
        name: String,
        /// `imageRecipeArn`.
        image_recipe_arn: String,
        /// `infrastructureConfigurationArn` (the lab has a default).
        infrastructure_configuration_arn: Option<String>,
    },
    /// Image Builder `UpdateImagePipeline`: points a pipeline at another
    /// recipe and infrastructure configuration. As in AWS, every setting is
    /// given again, not only those that change.
    UpdateImagePipeline {
        /// `imagePipelineArn`.
        image_pipeline_arn: String,
        /// `imageRecipeArn`.
        image_recipe_arn: String,
        /// `infrastructureConfigurationArn`.
        infrastructure_configuration_arn: String,
    },
    /// Image Builder `StartImagePipelineExecution`: the whole build, at once.
    StartImagePipelineExecution {
        /// `imagePipelineArn`.
        image_pipeline_arn: String,
    },
    /// `CreateVpc`: a VPC with its main route table, default network ACL and
    /// default security group.
    CreateVpc {
        /// `CidrBlock`, /16 to /28.
        cidr_block: String,
        /// `TagSpecifications`.
        tags: Tags,
    },
    /// `CreateSubnet`.
    CreateSubnet {
        /// `VpcId`.
        vpc_id: VpcId,
        /// `CidrBlock`, inside the VPC's block.
        cidr_block: String,
        /// `AvailabilityZone`.
        availability_zone: String,
        /// `TagSpecifications`.
        tags: Tags,
    },
    /// `ModifySubnetAttribute --map-public-ip-on-launch`.
    ModifySubnetAttribute {
        /// `SubnetId`.
        subnet_id: SubnetId,
        /// `MapPublicIpOnLaunch`.
        map_public_ip_on_launch: bool,
    },
    /// `CreateInternetGateway`.
    CreateInternetGateway {
        /// `TagSpecifications`.
        tags: Tags,
    },
    /// `AttachInternetGateway`.
    AttachInternetGateway {
        /// `InternetGatewayId`.
        internet_gateway_id: InternetGatewayId,
        /// `VpcId`.
        vpc_id: VpcId,
    },
    /// `CreateRouteTable`.
    CreateRouteTable {
        /// `VpcId`.
        vpc_id: VpcId,
        /// `TagSpecifications`.
        tags: Tags,
    },
    /// `CreateRoute` to an internet gateway.
    CreateRoute {
        /// `RouteTableId`.
        route_table_id: RouteTableId,
        /// `DestinationCidrBlock`.
        destination_cidr_block: String,
        /// `GatewayId`.
        gateway_id: InternetGatewayId,
    },
    /// `DeleteRoute`.
    DeleteRoute {
        /// `RouteTableId`.
        route_table_id: RouteTableId,
        /// `DestinationCidrBlock` or `DestinationIpv6CidrBlock`.
        destination_cidr_block: String,
    },
    /// `AssociateRouteTable`.
    AssociateRouteTable {
        /// `RouteTableId`.
        route_table_id: RouteTableId,
        /// `SubnetId`.
        subnet_id: SubnetId,
    },
    /// `CreateSecurityGroup`.
    CreateSecurityGroup {
        /// `GroupName`.
        group_name: String,
        /// `Description`.
        description: String,
        /// `VpcId`.
        vpc_id: VpcId,
        /// `TagSpecifications`.
        tags: Tags,
    },
    /// `AuthorizeSecurityGroupIngress`.
    AuthorizeSecurityGroupIngress {
        /// `GroupId`.
        group_id: SecurityGroupId,
        /// The rules to add (`IpPermissions`, one peer each).
        rules: Vec<SecurityGroupRule>,
    },
    /// `AuthorizeSecurityGroupEgress`.
    AuthorizeSecurityGroupEgress {
        /// `GroupId`.
        group_id: SecurityGroupId,
        /// The rules to add (`IpPermissions`, one peer each).
        rules: Vec<SecurityGroupRule>,
    },
    /// `CreateNetworkAclEntry`.
    CreateNetworkAclEntry {
        /// `NetworkAclId`.
        network_acl_id: NetworkAclId,
        /// The entry (`RuleNumber`, `Egress`, `Protocol`, `RuleAction`,
        /// `CidrBlock`/`Ipv6CidrBlock`, `PortRange`, `IcmpTypeCode`).
        entry: NetworkAclEntry,
    },
    /// `RevokeSecurityGroupIngress` (or `...Egress` with `egress`).
    RevokeSecurityGroupRules {
        /// `GroupId`.
        group_id: SecurityGroupId,
        /// Outbound rules rather than inbound ones.
        egress: bool,
        /// The rules to remove.
        rules: Vec<SecurityGroupRule>,
    },
    /// `DeleteSecurityGroup`.
    DeleteSecurityGroup {
        /// `GroupId`.
        group_id: SecurityGroupId,
    },
    /// `CreateNetworkAcl`: a custom ACL that denies everything (B3).
    CreateNetworkAcl {
        /// `VpcId`.
        vpc_id: VpcId,
        /// `TagSpecifications`.
        tags: Tags,
    },
    /// `DeleteNetworkAcl`.
    DeleteNetworkAcl {
        /// `NetworkAclId`.
        network_acl_id: NetworkAclId,
    },
    /// `ReplaceNetworkAclEntry`.
    ReplaceNetworkAclEntry {
        /// `NetworkAclId`.
        network_acl_id: NetworkAclId,
        /// The entry that replaces the one with the same number and direction.
        entry: NetworkAclEntry,
    },
    /// `DeleteNetworkAclEntry`.
    DeleteNetworkAclEntry {
        /// `NetworkAclId`.
        network_acl_id: NetworkAclId,
        /// `RuleNumber`.
        rule_number: u16,
        /// `Egress`.
        egress: bool,
    },
    /// `ReplaceNetworkAclAssociation`: moves a subnet to another ACL (B1).
    ReplaceNetworkAclAssociation {
        /// `AssociationId`: the subnet's current association.
        association_id: NetworkAclAssociationId,
        /// `NetworkAclId`: the ACL the subnet moves to.
        network_acl_id: NetworkAclId,
    },
    /// `RunInstances`.
    RunInstances(Box<RunInstances>),
    /// `StartInstances`.
    StartInstances {
        /// `InstanceIds`.
        instance_ids: Vec<InstanceId>,
    },
    /// `StopInstances` (G3, G4).
    StopInstances {
        /// `InstanceIds`.
        instance_ids: Vec<InstanceId>,
        /// `Hibernate`.
        hibernate: bool,
    },
    /// `RebootInstances`.
    RebootInstances {
        /// `InstanceIds`.
        instance_ids: Vec<InstanceId>,
    },
    /// `TerminateInstances`.
    TerminateInstances {
        /// `InstanceIds`.
        instance_ids: Vec<InstanceId>,
    },
    /// `ModifyInstanceAttribute` (G5, F4).
    ModifyInstanceAttribute {
        /// `InstanceId`.
        instance_id: InstanceId,
        /// `InstanceType`: only while stopped (G5).
        instance_type: Option<String>,
        /// `BlockDeviceMappings[].Ebs.DeleteOnTermination`, by device name.
        delete_on_termination: Vec<(String, bool)>,
        /// `InstanceInitiatedShutdownBehavior`.
        shutdown_behavior: Option<String>,
        /// `DisableApiTermination` (G5).
        disable_api_termination: Option<bool>,
        /// `UserData`, decoded; `Some("")` removes it. Only while stopped (H4).
        user_data: Option<String>,
    },
    /// `CreateImage` (D4).
    CreateImage {
        /// `InstanceId`.
        instance_id: InstanceId,
        /// `Name`.
        name: String,
        /// `Description`.
        description: String,
        /// `NoReboot`.
        no_reboot: bool,
        /// `TagSpecifications`.
        tags: Tags,
    },
    /// `CopyImage`, run in the destination Region (D3).
    CopyImage {
        /// `SourceRegion`.
        source_region: String,
        /// `SourceImageId`.
        source_image_id: ImageId,
        /// `Name`.
        name: String,
        /// `Description`.
        description: Option<String>,
        /// `Encrypted`.
        encrypted: bool,
        /// `KmsKeyId`.
        kms_key_id: Option<String>,
        /// `TagSpecifications`.
        tags: Tags,
    },
    /// `DeregisterImage` (D5).
    DeregisterImage {
        /// `ImageId`.
        image_id: ImageId,
        /// `DeleteAssociatedSnapshots`.
        delete_associated_snapshots: bool,
    },
    /// `ModifyImageAttribute` for launch permissions or the description (D7, D8).
    ModifyImageAttribute {
        /// `ImageId`.
        image_id: ImageId,
        /// Launch permissions to add.
        add: Vec<Permission>,
        /// Launch permissions to remove.
        remove: Vec<Permission>,
        /// A new `Description`.
        description: Option<String>,
    },
    /// `CreateVolume`.
    CreateVolume(Box<CreateVolume>),
    /// `AttachVolume` (F1, F3).
    AttachVolume {
        /// `VolumeId`.
        volume_id: VolumeId,
        /// `InstanceId`.
        instance_id: InstanceId,
        /// `Device`.
        device: String,
    },
    /// `DetachVolume`.
    DetachVolume {
        /// `VolumeId`.
        volume_id: VolumeId,
        /// `InstanceId` (required for a Multi-Attach volume).
        instance_id: Option<InstanceId>,
        /// `Force`.
        force: bool,
    },
    /// `DeleteVolume`.
    DeleteVolume {
        /// `VolumeId`.
        volume_id: VolumeId,
    },
    /// `ModifyVolume` (Elastic Volumes: size up, type, IOPS, throughput).
    ModifyVolume {
        /// `VolumeId`.
        volume_id: VolumeId,
        /// `Size`.
        size_gib: Option<u32>,
        /// `VolumeType`.
        volume_type: Option<String>,
        /// `Iops`.
        iops: Option<u32>,
        /// `Throughput`.
        throughput: Option<u32>,
        /// `MultiAttachEnabled`.
        multi_attach: Option<bool>,
    },
    /// `CreateSnapshot` (E1, E3).
    CreateSnapshot {
        /// `VolumeId`.
        volume_id: VolumeId,
        /// `Description`.
        description: String,
        /// `TagSpecifications`.
        tags: Tags,
    },
    /// `CopySnapshot`, run in the destination Region (E2, E4).
    CopySnapshot {
        /// `SourceRegion`.
        source_region: String,
        /// `SourceSnapshotId`.
        source_snapshot_id: SnapshotId,
        /// `Description`.
        description: Option<String>,
        /// `Encrypted`: `Some(false)` is refused for an encrypted source.
        encrypted: Option<bool>,
        /// `KmsKeyId`.
        kms_key_id: Option<String>,
        /// `TagSpecifications`.
        tags: Tags,
    },
    /// `DeleteSnapshot` (D6).
    DeleteSnapshot {
        /// `SnapshotId`.
        snapshot_id: SnapshotId,
    },
    /// `ModifySnapshotAttribute` for `createVolumePermission` (E8).
    ModifySnapshotAttribute {
        /// `SnapshotId`.
        snapshot_id: SnapshotId,
        /// Permissions to add.
        add: Vec<Permission>,
        /// Permissions to remove.
        remove: Vec<Permission>,
    },
    /// `EnableEbsEncryptionByDefault` / `DisableEbsEncryptionByDefault` (E5).
    SetEbsEncryptionByDefault {
        /// On or off.
        enabled: bool,
    },
    /// `AllocateAddress`: a new Elastic IP.
    AllocateAddress {
        /// `TagSpecifications`.
        tags: Tags,
    },
    /// `AssociateAddress`.
    AssociateAddress {
        /// `AllocationId`.
        allocation_id: AllocationId,
        /// `InstanceId` (its primary interface) …
        instance_id: Option<InstanceId>,
        /// … or `NetworkInterfaceId`.
        network_interface_id: Option<NetworkInterfaceId>,
        /// `AllowReassociation`.
        allow_reassociation: bool,
    },
    /// `DisassociateAddress`.
    DisassociateAddress {
        /// `AssociationId`.
        association_id: AssociationId,
    },
    /// `ReleaseAddress`.
    ReleaseAddress {
        /// `AllocationId`.
        allocation_id: AllocationId,
    },
    /// `lab write`: writes to a disk of a running instance, so the learner
    /// can see later which data survived.
    WriteData {
        /// The instance.
        instance_id: InstanceId,
        /// The device (`/dev/sdf`, `ephemeral0`…); `None` for the root.
        device: Option<String>,
        /// What to write.
        write: Write,
    },
    /// `lab exec`: runs a shell line on a running instance, as its default
    /// user (the lab's shell: `crate::shell`).
    Exec {
        /// The instance.
        instance_id: InstanceId,
        /// The line (or script) to run.
        command: String,
    },
    /// `CreateLaunchTemplate` (I1, I2): a template with its version 1.
    CreateLaunchTemplate(Box<CreateLaunchTemplate>),
    /// `CreateLaunchTemplateVersion` (I2): the next version of a template.
    CreateLaunchTemplateVersion(Box<CreateLaunchTemplateVersion>),
    /// `ModifyLaunchTemplate`: which version is the default (I2).
    ModifyLaunchTemplate {
        /// `LaunchTemplateId` or `LaunchTemplateName`.
        template: LaunchTemplateRef,
        /// `DefaultVersion`; `None` changes nothing.
        default_version: Option<String>,
    },
    /// `DeleteLaunchTemplate`: the template and all its versions.
    DeleteLaunchTemplate {
        /// `LaunchTemplateId` or `LaunchTemplateName`.
        template: LaunchTemplateRef,
    },
    /// `DeleteLaunchTemplateVersions`: each version goes, or is reported as
    /// not deleted (the default version can't be, I2).
    DeleteLaunchTemplateVersions {
        /// `LaunchTemplateId` or `LaunchTemplateName`.
        template: LaunchTemplateRef,
        /// `LaunchTemplateVersion`s, as text.
        versions: Vec<String>,
    },
    /// `CreateTags`: adds or overwrites tags on resources.
    CreateTags {
        /// `Resources`: ids of any kind.
        resource_ids: Vec<String>,
        /// `Tags`.
        tags: Tags,
    },
    /// `DeleteTags`: removes tags from resources. `None` deletes every tag
    /// but AWS's own (`aws:` keys); a tag given with a value goes only if
    /// its value matches, one without a value whatever its value.
    DeleteTags {
        /// `Resources`: ids of any kind.
        resource_ids: Vec<String>,
        /// `Tags`: keys, each with the value it must have to go.
        tags: Option<Vec<(String, Option<String>)>>,
    },
    /// EFS `CreateFileSystem` (J3).
    CreateFileSystem(Box<CreateFileSystem>),
    /// EFS `CreateMountTarget`: a mount target, and its network interface,
    /// in a subnet (J3: one per Availability Zone).
    CreateMountTarget {
        /// `FileSystemId`.
        file_system_id: FileSystemId,
        /// `SubnetId`.
        subnet_id: SubnetId,
        /// `IpAddress`, as given; `None` takes a free address of the subnet.
        ip_address: Option<String>,
        /// `SecurityGroups`; empty means the VPC's default group.
        security_groups: Vec<SecurityGroupId>,
    },
    /// EFS `DeleteMountTarget`: the mount target and its network interface.
    DeleteMountTarget {
        /// `MountTargetId`.
        mount_target_id: MountTargetId,
    },
    /// EFS `DeleteFileSystem`: only once it has no mount targets.
    DeleteFileSystem {
        /// `FileSystemId`.
        file_system_id: FileSystemId,
    },
    /// EFS `ModifyMountTargetSecurityGroups`: replaces the security groups
    /// of the mount target's network interface.
    ModifyMountTargetSecurityGroups {
        /// `MountTargetId`.
        mount_target_id: MountTargetId,
        /// `SecurityGroups`: one to five groups of the mount target's VPC.
        security_groups: Vec<SecurityGroupId>,
    },
    /// `lab advance --seconds N`: lets simulated time pass, so launches finish.
    AdvanceTime {
        /// How many seconds pass.
        seconds: u64,
    },
}

/// `RunInstances`'s request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunInstances {
    /// `ImageId`.
    pub image_id: ImageId,
    /// `InstanceType`.
    pub instance_type: String,
    /// `SubnetId`.
    pub subnet_id: SubnetId,
    /// `LaunchTemplate` (I1, I2): its version's parameters apply where this
    /// request gives none. With a template, an empty `image_id`,
    /// `instance_type` or `subnet_id` means the request leaves it out.
    pub launch_template: Option<LaunchTemplateSpecification>,
    /// `SecurityGroupIds`; empty means the VPC's default group (A6).
    pub security_group_ids: Vec<SecurityGroupId>,
    /// `MinCount` = `MaxCount`.
    pub count: u32,
    /// `BlockDeviceMappings`: overrides of the AMI's mapping, and new volumes.
    pub block_device_mappings: Vec<BlockDeviceRequest>,
    /// `InstanceInitiatedShutdownBehavior`.
    pub shutdown_behavior: Option<String>,
    /// `HibernationOptions.Configured`; `None` if not given (off).
    pub hibernation: Option<bool>,
    /// `DisableApiTermination` (G5); `None` if not given (off).
    pub disable_api_termination: Option<bool>,
    /// `UserData`, decoded: what cloud-init runs at the first boot (H1–H3).
    pub user_data: Option<String>,
    /// `NetworkInterfaces[0].AssociatePublicIpAddress`: overrides the
    /// subnet's setting.
    pub associate_public_ip: Option<bool>,
    /// `TagSpecifications` for the instances.
    pub tags: Tags,
    /// `TagSpecifications` for the volumes.
    pub volume_tags: Tags,
}

impl RunInstances {
    /// A launch of `count` instances with defaults for the rest.
    pub fn new(image_id: ImageId, instance_type: &str, subnet_id: SubnetId, count: u32) -> Self {
        Self {
            image_id,
            instance_type: instance_type.to_owned(),
            subnet_id,
            launch_template: None,
            security_group_ids: Vec::new(),
            count,
            block_device_mappings: Vec::new(),
            shutdown_behavior: None,
            hibernation: None,
            disable_api_termination: None,
            user_data: None,
            associate_public_ip: None,
            tags: Tags::new(),
            volume_tags: Tags::new(),
        }
    }
}

/// `CreateLaunchTemplate`'s request (I1, I2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateLaunchTemplate {
    /// `LaunchTemplateName`, unique in the Region.
    pub name: String,
    /// `VersionDescription` of version 1.
    pub version_description: Option<String>,
    /// `LaunchTemplateData`: at least one parameter.
    pub data: LaunchTemplateData,
    /// `TagSpecifications` for the template (`ResourceType=launch-template`).
    pub tags: Tags,
}

/// `CreateLaunchTemplateVersion`'s request (I2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateLaunchTemplateVersion {
    /// `LaunchTemplateId` or `LaunchTemplateName`.
    pub template: LaunchTemplateRef,
    /// `SourceVersion`: the version whose parameters the new one starts from.
    pub source_version: Option<String>,
    /// `VersionDescription`.
    pub version_description: Option<String>,
    /// `LaunchTemplateData`: parameters that replace the source's.
    pub data: LaunchTemplateData,
}

/// What `DeleteLaunchTemplateVersions` did: like AWS, it answers per
/// version, and a version it could not delete is not an error of the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeletedLaunchTemplateVersions {
    /// The template.
    pub template_id: LaunchTemplateId,
    /// Its name.
    pub template_name: String,
    /// `SuccessfullyDeletedLaunchTemplateVersions`.
    pub deleted: Vec<u64>,
    /// `UnsuccessfullyDeletedLaunchTemplateVersions`.
    pub failed: Vec<VersionNotDeleted>,
}

/// A version `DeleteLaunchTemplateVersions` could not delete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionNotDeleted {
    /// `VersionNumber`.
    pub version: u64,
    /// `ResponseError.Code` (a `LaunchTemplateErrorCode`).
    pub code: &'static str,
    /// `ResponseError.Message`.
    pub message: String,
}

/// One `BlockDeviceMappings` entry of a launch request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockDeviceRequest {
    /// `DeviceName`.
    pub device_name: String,
    /// `VirtualName` (`ephemeralN`).
    pub virtual_name: Option<String>,
    /// `NoDevice`: leave out the AMI's entry for this device.
    pub no_device: bool,
    /// `Ebs`, if given.
    pub ebs: Option<EbsRequest>,
}

/// `Ebs` of a launch mapping entry: every field optional (the AMI's value,
/// or AWS's default, applies).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EbsRequest {
    /// `SnapshotId`.
    pub snapshot_id: Option<SnapshotId>,
    /// `VolumeSize`.
    pub volume_size_gib: Option<u32>,
    /// `VolumeType`.
    pub volume_type: Option<String>,
    /// `DeleteOnTermination`.
    pub delete_on_termination: Option<bool>,
    /// `Encrypted`.
    pub encrypted: Option<bool>,
    /// `KmsKeyId`.
    pub kms_key_id: Option<String>,
    /// `Iops`.
    pub iops: Option<u32>,
    /// `Throughput`.
    pub throughput: Option<u32>,
}

/// `CreateVolume`'s request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateVolume {
    /// `AvailabilityZone`.
    pub availability_zone: String,
    /// `Size` in GiB; required unless from a snapshot.
    pub size_gib: Option<u32>,
    /// `SnapshotId`.
    pub snapshot_id: Option<SnapshotId>,
    /// `VolumeType`; `None` means `gp2` (F2).
    pub volume_type: Option<String>,
    /// `Iops`.
    pub iops: Option<u32>,
    /// `Throughput`.
    pub throughput: Option<u32>,
    /// `Encrypted`.
    pub encrypted: Option<bool>,
    /// `KmsKeyId`.
    pub kms_key_id: Option<String>,
    /// `MultiAttachEnabled`.
    pub multi_attach: bool,
    /// `TagSpecifications`.
    pub tags: Tags,
}

/// EFS `CreateFileSystem`'s request (J3).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateFileSystem {
    /// `CreationToken`, 1 to 64 characters; `None` when the caller gave
    /// none: the AWS CLI then makes one (a UUID), and so does the lab, from
    /// its id counter.
    pub creation_token: Option<String>,
    /// `PerformanceMode`; `None` means `generalPurpose`.
    pub performance_mode: Option<String>,
    /// `ThroughputMode`; `None` means `bursting`.
    pub throughput_mode: Option<String>,
    /// `Encrypted`.
    pub encrypted: bool,
    /// `KmsKeyId`; only with `encrypted`. `None` means the AWS managed key
    /// `alias/aws/elasticfilesystem`.
    pub kms_key_id: Option<String>,
    /// `AvailabilityZoneName`: a One Zone file system in this AZ; `None`
    /// for a Regional one (J3).
    pub availability_zone_name: Option<String>,
    /// `Tags`.
    pub tags: Tags,
}

/// A launch permission (D7) or create-volume permission (E8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Permission {
    /// `Group=all`: public.
    All,
    /// `UserId=…`: one account.
    Account(String),
}

/// What `lab write` writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Write {
    /// A file.
    File {
        /// Absolute path.
        path: String,
        /// Contents.
        text: String,
    },
    /// Bulk data: `gib` GiB from GiB `offset` (to see snapshot sizes, E1).
    Gib {
        /// First GiB.
        offset: u32,
        /// How many GiB.
        gib: u32,
    },
}

/// One instance's state change (`StartingInstances` and friends).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateChange {
    /// The instance.
    pub instance_id: InstanceId,
    /// `PreviousState`.
    pub previous: InstanceState,
    /// `CurrentState`.
    pub current: InstanceState,
}

/// What a successful command returns: the ids it made, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Response {
    /// A VPC was made.
    Vpc(VpcId),
    /// A subnet was made.
    Subnet(SubnetId),
    /// An internet gateway was made.
    InternetGateway(InternetGatewayId),
    /// A route table was made.
    RouteTable(RouteTableId),
    /// A route table was associated.
    RouteTableAssociation(RouteTableAssociationId),
    /// A network ACL was made.
    NetworkAcl(NetworkAclId),
    /// A subnet moved to another network ACL: the new association.
    NetworkAclAssociation(NetworkAclAssociationId),
    /// A security group was made.
    SecurityGroup(SecurityGroupId),
    /// Instances were launched in one reservation.
    Instances(ReservationId, Vec<InstanceId>),
    /// A volume was made (or attached, detached, modified).
    Volume(VolumeId),
    /// Instances changed state.
    StateChanges(Vec<StateChange>),
    /// An AMI was made.
    Image(ImageId),
    /// A snapshot was made.
    Snapshot(SnapshotId),
    /// An Elastic IP was allocated.
    Address(AllocationId, Ipv4Addr),
    /// An Elastic IP was associated.
    AddressAssociation(AssociationId),
    /// What `lab exec` printed.
    Exec(crate::shell::Output),
    /// An EFS file system was made.
    FileSystem(FileSystemId),
    /// An EFS mount target was made.
    MountTarget(MountTargetId),
    /// A launch template was made, changed or deleted.
    LaunchTemplate(LaunchTemplateId),
    /// A launch template version was made: the template and its number.
    LaunchTemplateVersion(LaunchTemplateId, u64),
    /// Launch template versions were deleted, or reported as not deleted.
    LaunchTemplateVersionsDeleted(Box<DeletedLaunchTemplateVersions>),
    /// An Image Builder resource was made: its ARN.
    Arn(String),
    /// The command succeeded and made nothing new.
    Done,
}
