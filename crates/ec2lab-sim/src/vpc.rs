//! VPCs, subnets, internet gateways and route tables.
//!
//! A VPC is a private network in one Region with an IPv4 CIDR block of /16 to
//! /28 (C4). Each subnet sits in one Availability Zone and takes a slice of the
//! VPC's block; AWS keeps the first four and the last address of every subnet
//! (C4). Every subnet uses exactly one route table: the one explicitly
//! associated with it, else the VPC's main table; every table has a `local`
//! route for the VPC's block (C2). A subnet whose table sends traffic to an
//! attached internet gateway is *public*; otherwise it is *private* (C3).

use std::net::{IpAddr, Ipv4Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use crate::ids::{
    InternetGatewayId, NetworkAclId, RouteTableAssociationId, RouteTableId, SecurityGroupId,
    SubnetId, VpcId,
};
use crate::tags::Tags;
use std::fmt;

/// A VPC: a private network in one Region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vpc {
    /// `vpc-…`.
    pub id: VpcId,
    /// The primary IPv4 CIDR block.
    pub cidr_block: Ipv4Net,
    /// The IPv6 CIDR block, if one is associated.
    pub ipv6_cidr_block: Option<Ipv6Net>,
    /// Whether this is the Region's default VPC (172.31.0.0/16, C3).
    pub is_default: bool,
    /// The main route table, made with the VPC (C2).
    pub main_route_table: RouteTableId,
    /// The default network ACL, made with the VPC (B2).
    pub default_network_acl: NetworkAclId,
    /// The default security group, made with the VPC (A6).
    pub default_security_group: SecurityGroupId,
    /// Tags.
    pub tags: Tags,
}

/// A subnet: a range of a VPC's addresses in one Availability Zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subnet {
    /// `subnet-…`.
    pub id: SubnetId,
    /// The VPC the subnet belongs to.
    pub vpc_id: VpcId,
    /// The AZ, e.g. `us-east-1a`.
    pub availability_zone: String,
    /// The subnet's IPv4 block, inside the VPC's.
    pub cidr_block: Ipv4Net,
    /// The subnet's IPv6 block, if any.
    pub ipv6_cidr_block: Option<Ipv6Net>,
    /// Whether instances launched here get a public IPv4 address by default.
    pub map_public_ip_on_launch: bool,
    /// Tags.
    pub tags: Tags,
}

impl Subnet {
    /// Whether AWS reserves this address: the network address, the VPC router
    /// (+1), the DNS server (+2), one for future use (+3) and the last address
    /// (C4).
    pub fn is_reserved(&self, ip: Ipv4Addr) -> bool {
        let offset = u32::from(ip).wrapping_sub(u32::from(self.cidr_block.network()));
        offset <= 3 || ip == self.cidr_block.broadcast()
    }

    /// The addresses an instance may be given, lowest first.
    pub fn assignable_addresses(&self) -> impl Iterator<Item = Ipv4Addr> + '_ {
        self.cidr_block
            .hosts()
            .filter(move |ip| !self.is_reserved(*ip))
    }

    /// How many addresses the subnet has for instances, before any are used:
    /// the block's size less the five reserved ones (C4).
    pub fn usable_address_count(&self) -> u32 {
        let size = 1u32 << (32 - u32::from(self.cidr_block.prefix_len()));
        size.saturating_sub(5)
    }
}

/// An internet gateway: the VPC's door to the internet, doing 1:1 NAT between
/// an instance's private and public addresses (C3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InternetGateway {
    /// `igw-…`.
    pub id: InternetGatewayId,
    /// The VPC it is attached to, if any.
    pub attached_vpc: Option<VpcId>,
    /// Tags.
    pub tags: Tags,
}

/// Where a route sends matching traffic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteTarget {
    /// Within the VPC (`GatewayId: local`).
    Local,
    /// To an internet gateway.
    InternetGateway(InternetGatewayId),
    /// To something the lab does not simulate (a NAT gateway, a peering
    /// connection, a transit gateway…): the `Route` field and the target's id.
    Other {
        /// The `Route` member that names it, e.g. `NatGatewayId`.
        field: String,
        /// The target's id.
        id: String,
    },
}

impl fmt::Display for RouteTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Local => f.write_str("local"),
            Self::InternetGateway(id) => write!(f, "{id}"),
            Self::Other { id, .. } => f.write_str(id),
        }
    }
}

/// One route: a destination block and where matching traffic goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// `DestinationCidrBlock` or `DestinationIpv6CidrBlock`.
    pub destination: IpNet,
    /// The target.
    pub target: RouteTarget,
    /// `State: blackhole`: the target is gone, and matching traffic is dropped.
    pub blackhole: bool,
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} → {}", self.destination, self.target)?;
        if self.blackhole {
            f.write_str(" (blackhole)")?;
        }
        Ok(())
    }
}

/// One association of a route table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteTableAssociation {
    /// `rtbassoc-…`.
    pub id: RouteTableAssociationId,
    /// The subnet, or `None` for the main association (C2: implicit
    /// associations carry no `SubnetId`).
    pub subnet_id: Option<SubnetId>,
}

/// A route table: the routes a subnet's traffic follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteTable {
    /// `rtb-…`.
    pub id: RouteTableId,
    /// The VPC.
    pub vpc_id: VpcId,
    /// Routes, in the order they were added; the `local` route first.
    pub routes: Vec<Route>,
    /// Explicit subnet associations, and the main association if this is the
    /// VPC's main table.
    pub associations: Vec<RouteTableAssociation>,
    /// Tags.
    pub tags: Tags,
}

impl RouteTable {
    /// Whether this is its VPC's main route table.
    pub fn is_main(&self) -> bool {
        self.associations.iter().any(|a| a.subnet_id.is_none())
    }

    /// The route that carries traffic to `destination`: the most specific
    /// matching route wins (C2, longest prefix match).
    pub fn route_for(&self, destination: IpAddr) -> Option<&Route> {
        self.routes
            .iter()
            .filter(|route| route.destination.contains(&destination))
            .max_by_key(|route| route.destination.prefix_len())
    }

    /// The internet gateway this table routes to, if any (what makes its
    /// subnets public, C3).
    pub fn internet_gateway(&self) -> Option<&InternetGatewayId> {
        self.routes.iter().find_map(|route| match &route.target {
            RouteTarget::InternetGateway(id) if !route.blackhole => Some(id),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subnet(cidr: &str) -> Subnet {
        Subnet {
            id: SubnetId::from("subnet-1"),
            vpc_id: VpcId::from("vpc-1"),
            availability_zone: "us-east-1a".into(),
            cidr_block: cidr.parse().expect("test CIDR"),
            ipv6_cidr_block: None,
            map_public_ip_on_launch: false,
            tags: Tags::new(),
        }
    }

    #[test]
    fn five_addresses_of_every_subnet_are_reserved() {
        // C4: for 10.0.0.0/24, .0 .1 .2 .3 and .255 can't be assigned.
        let s = subnet("10.0.0.0/24");
        let first = u32::from(s.cidr_block.network());
        let last = u32::from(s.cidr_block.broadcast());
        let reserved: Vec<Ipv4Addr> = (first..=last)
            .map(Ipv4Addr::from)
            .filter(|ip| s.is_reserved(*ip))
            .collect();
        assert_eq!(
            format!("{reserved:?}"),
            "[10.0.0.0, 10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.255]"
        );
        assert_eq!(
            s.assignable_addresses().next(),
            Some(Ipv4Addr::new(10, 0, 0, 4))
        );
        assert_eq!(s.usable_address_count(), 251);
        assert_eq!(subnet("10.0.0.0/28").usable_address_count(), 11);
    }

    #[test]
    fn the_most_specific_route_wins() {
        // C2: longest prefix match.
        let table = RouteTable {
            id: RouteTableId::from("rtb-1"),
            vpc_id: VpcId::from("vpc-1"),
            routes: vec![
                Route {
                    destination: "10.0.0.0/16".parse().expect("cidr"),
                    target: RouteTarget::Local,
                    blackhole: false,
                },
                Route {
                    destination: "0.0.0.0/0".parse().expect("cidr"),
                    target: RouteTarget::InternetGateway(InternetGatewayId::from("igw-1")),
                    blackhole: false,
                },
            ],
            associations: vec![],
            tags: Tags::new(),
        };
        let to = |ip: &str| {
            table
                .route_for(ip.parse().expect("ip"))
                .map(|r| r.target.clone())
        };
        assert_eq!(to("10.0.3.7"), Some(RouteTarget::Local));
        assert_eq!(
            to("8.8.8.8"),
            Some(RouteTarget::InternetGateway(InternetGatewayId::from(
                "igw-1"
            )))
        );
    }
}
