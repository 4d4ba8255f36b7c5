//! Elastic network interfaces, Elastic IP addresses and managed prefix lists.
//!
//! An instance reaches the network through its network interfaces (ENIs). An
//! interface lives in one subnet, holds a primary private IPv4 address (and
//! maybe secondary ones and IPv6 addresses), may be associated with a public
//! IPv4 address, and carries up to five security groups (A9, A11): security
//! groups attach to interfaces, not to instances. The internet gateway maps a
//! public address to the interface's private one, 1:1 (C3). AWS services
//! make interfaces of their own in a subnet: each EFS mount target is one
//! (J3), requester-managed, with no instance, its security groups the mount
//! target's.
//!
//! A managed prefix list is a named set of CIDR blocks that security group
//! rules can reference (A7); a rule that references one counts as the list's
//! maximum size toward the rule quota (A11).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

use crate::ids::{
    AllocationId, AssociationId, InstanceId, NetworkInterfaceId, PrefixListId, SecurityGroupId,
    SubnetId, VpcId,
};
use crate::tags::Tags;

/// An elastic network interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkInterface {
    /// `eni-…`.
    pub id: NetworkInterfaceId,
    /// The subnet it lives in.
    pub subnet_id: SubnetId,
    /// The subnet's VPC.
    pub vpc_id: VpcId,
    /// The subnet's AZ.
    pub availability_zone: String,
    /// The primary private IPv4 address.
    pub private_ip: Ipv4Addr,
    /// Secondary private IPv4 addresses.
    pub secondary_private_ips: Vec<Ipv4Addr>,
    /// IPv6 addresses.
    pub ipv6_addresses: Vec<Ipv6Addr>,
    /// The public IPv4 address associated with the primary private address.
    pub public_ip: Option<Ipv4Addr>,
    /// The Elastic IP the public address comes from, if it is one.
    pub elastic_ip: Option<AllocationId>,
    /// Security groups: at most five (A11), evaluated as one union (A9).
    pub security_groups: Vec<SecurityGroupId>,
    /// The instance it is attached to, if any; none for an EFS mount
    /// target's interface.
    pub instance_id: Option<InstanceId>,
    /// `Description` (AWS fills it in for interfaces it manages, e.g. a
    /// load balancer's).
    pub description: String,
    /// Tags.
    pub tags: Tags,
}

impl NetworkInterface {
    /// Every private address of the interface, IPv4 then IPv6.
    pub fn private_addresses(&self) -> impl Iterator<Item = IpAddr> + '_ {
        std::iter::once(IpAddr::V4(self.private_ip))
            .chain(self.secondary_private_ips.iter().copied().map(IpAddr::V4))
            .chain(self.ipv6_addresses.iter().copied().map(IpAddr::V6))
    }

    /// Whether `ip` is one of the interface's private addresses.
    pub fn has_private_address(&self, ip: IpAddr) -> bool {
        self.private_addresses().any(|own| own == ip)
    }
}

/// An Elastic IP address: a static public IPv4 address of the account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    /// `eipalloc-…`.
    pub allocation_id: AllocationId,
    /// The public address.
    pub public_ip: Ipv4Addr,
    /// The interface it is associated with, and the association's id.
    pub association: Option<(AssociationId, NetworkInterfaceId)>,
    /// Tags.
    pub tags: Tags,
}

/// One entry of a managed prefix list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrefixListEntry {
    /// The CIDR block.
    pub cidr: IpNet,
    /// The entry's description.
    pub description: Option<String>,
}

/// A managed prefix list: a named set of CIDR blocks (A7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedPrefixList {
    /// `pl-…`.
    pub id: PrefixListId,
    /// `PrefixListName`, e.g. `com.amazonaws.us-east-1.s3` for an AWS-managed list.
    pub name: String,
    /// `MaxEntries`: what a rule that references the list counts toward the
    /// rule quota (A11).
    pub max_entries: u32,
    /// The entries.
    pub entries: Vec<PrefixListEntry>,
    /// Tags.
    pub tags: Tags,
}

impl ManagedPrefixList {
    /// The entry that contains `ip`, if any.
    pub fn entry_for(&self, ip: IpAddr) -> Option<&PrefixListEntry> {
        self.entries.iter().find(|entry| entry.cidr.contains(&ip))
    }
}
