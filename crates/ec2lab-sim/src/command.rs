//! Commands: the only way the simulated account changes.
//!
//! Each command is named after the EC2 API action it models and carries that
//! action's request parameters, as text where the API takes text (so a bad
//! CIDR is reported the way AWS reports it). A command succeeds whole, or
//! fails with AWS's error code and leaves the world exactly as it was.

use crate::ids::{
    ImageId, InstanceId, InternetGatewayId, NetworkAclAssociationId, NetworkAclId, ReservationId,
    RouteTableAssociationId, RouteTableId, SecurityGroupId, SubnetId, VolumeId, VpcId,
};
use crate::network_acl::NetworkAclEntry;
use crate::security_group::SecurityGroupRule;
use crate::tags::Tags;

/// A request to the simulated EC2 API, or a lab command (time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
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
    RunInstances {
        /// `ImageId`.
        image_id: ImageId,
        /// `InstanceType`.
        instance_type: String,
        /// `SubnetId`.
        subnet_id: SubnetId,
        /// `SecurityGroupIds`; empty means the VPC's default group (A6).
        security_group_ids: Vec<SecurityGroupId>,
        /// `MinCount` = `MaxCount`.
        count: u32,
        /// `TagSpecifications` for the instances.
        tags: Tags,
    },
    /// `CreateVolume` (empty, not from a snapshot).
    CreateVolume {
        /// `AvailabilityZone`.
        availability_zone: String,
        /// `Size` in GiB.
        size_gib: u32,
        /// `VolumeType`; `None` means `gp2` (F2).
        volume_type: Option<String>,
        /// `TagSpecifications`.
        tags: Tags,
    },
    /// `CreateTags`: adds or overwrites tags on resources.
    CreateTags {
        /// `Resources`: ids of any kind.
        resource_ids: Vec<String>,
        /// `Tags`.
        tags: Tags,
    },
    /// `lab advance --seconds N`: lets simulated time pass, so launches finish.
    AdvanceTime {
        /// How many seconds pass.
        seconds: u64,
    },
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
    /// A volume was made.
    Volume(VolumeId),
    /// The command succeeded and made nothing new.
    Done,
}
