//! Security groups: stateful, allow-only firewalls on network interfaces.
//!
//! A security group holds inbound and outbound rules; a rule can only allow
//! traffic (A1), every rule is evaluated and order does not matter (A2), and
//! replies to allowed traffic always pass (A3). A new group has no inbound
//! rules and one outbound rule allowing everything (A4); a VPC's `default`
//! group also lets its members reach each other on everything (A6).

use std::fmt;

use ipnet::Ipv4Net;

use crate::ids::{SecurityGroupId, VpcId};
use crate::tags::Tags;

/// The IP protocol a rule names (A10): by name for tcp/udp/icmp, `-1` for all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum IpProtocol {
    /// `-1`: every protocol, every port.
    All,
    /// `tcp` (6).
    Tcp,
    /// `udp` (17).
    Udp,
    /// `icmp` (1).
    Icmp,
    /// Any other protocol number.
    Number(u8),
}

impl IpProtocol {
    /// Reads `IpProtocol` as the API takes it: a name, a number or `-1` (A10:
    /// numeric and named forms are equal).
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.to_ascii_lowercase().as_str() {
            "-1" | "all" => Self::All,
            "tcp" | "6" => Self::Tcp,
            "udp" | "17" => Self::Udp,
            "icmp" | "1" => Self::Icmp,
            other => Self::Number(other.parse().ok()?),
        })
    }

    /// Whether rules for this protocol carry a port range (or ICMP type/code).
    pub fn has_ports(self) -> bool {
        matches!(self, Self::Tcp | Self::Udp | Self::Icmp)
    }
}

impl fmt::Display for IpProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str("-1"),
            Self::Tcp => f.write_str("tcp"),
            Self::Udp => f.write_str("udp"),
            Self::Icmp => f.write_str("icmp"),
            Self::Number(n) => write!(f, "{n}"),
        }
    }
}

/// What a rule allows traffic from (inbound) or to (outbound) (A7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RulePeer {
    /// An IPv4 CIDR block.
    Cidr(Ipv4Net),
    /// Another (or the same) security group: matches the private addresses of
    /// the interfaces that carry it (A8).
    SecurityGroup(SecurityGroupId),
}

impl fmt::Display for RulePeer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cidr(cidr) => write!(f, "{cidr}"),
            Self::SecurityGroup(id) => write!(f, "{id}"),
        }
    }
}

/// One security group rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityGroupRule {
    /// The protocol.
    pub protocol: IpProtocol,
    /// The port range, inclusive (ICMP: type and code); `None` for all.
    pub ports: Option<(i32, i32)>,
    /// The source (inbound) or destination (outbound).
    pub peer: RulePeer,
    /// The rule's description.
    pub description: Option<String>,
}

impl fmt::Display for SecurityGroupRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.protocol, self.ports) {
            (IpProtocol::All, _) | (_, None) => write!(f, "{} all", self.protocol)?,
            (_, Some((from, to))) if from == to => write!(f, "{} {from}", self.protocol)?,
            (_, Some((from, to))) => write!(f, "{} {from}-{to}", self.protocol)?,
        }
        write!(f, " {}", self.peer)
    }
}

/// A security group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityGroup {
    /// `sg-…`.
    pub id: SecurityGroupId,
    /// `GroupName`, unique within the VPC (A16).
    pub name: String,
    /// `Description`.
    pub description: String,
    /// The VPC it can be used in (A16).
    pub vpc_id: VpcId,
    /// Inbound rules (`IpPermissions`).
    pub ingress: Vec<SecurityGroupRule>,
    /// Outbound rules (`IpPermissionsEgress`).
    pub egress: Vec<SecurityGroupRule>,
    /// Tags.
    pub tags: Tags,
}

impl SecurityGroup {
    /// The one outbound rule every new group starts with: all traffic to
    /// 0.0.0.0/0 (A4).
    pub fn allow_all_outbound() -> SecurityGroupRule {
        SecurityGroupRule {
            protocol: IpProtocol::All,
            ports: None,
            peer: RulePeer::Cidr(Ipv4Net::default()),
            description: None,
        }
    }
}
