//! Security groups: stateful, allow-only firewalls on network interfaces.
//!
//! A security group holds inbound and outbound rules; a rule can only allow
//! traffic (A1), every rule is evaluated and order does not matter (A2), and
//! replies to allowed traffic always pass (A3). A new group has no inbound
//! rules and one outbound rule allowing everything (A4); a VPC's `default`
//! group also lets its members reach each other on everything (A6).

use std::fmt;

use ipnet::{Ipv4Net, Ipv6Net};

use crate::ids::{PrefixListId, SecurityGroupId, VpcId};
use crate::packet::Transport;
use crate::tags::Tags;

/// The IP protocol a rule names (A10, B8): by name for tcp/udp/icmp/icmpv6,
/// `-1` for all, or a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IpProtocol {
    /// `-1`: every protocol, every port.
    All,
    /// `tcp` (6).
    Tcp,
    /// `udp` (17).
    Udp,
    /// `icmp` (1).
    Icmp,
    /// `icmpv6` (58).
    Icmpv6,
    /// Any other protocol number.
    Number(u8),
}

impl IpProtocol {
    /// Reads `IpProtocol` (or a network ACL's `Protocol`) as the API takes
    /// it: a name, a number or `-1` (A10: numeric and named forms are equal).
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "-1" | "all" => Self::All,
            "tcp" => Self::Tcp,
            "udp" => Self::Udp,
            "icmp" => Self::Icmp,
            "icmpv6" => Self::Icmpv6,
            other => Self::from_number(other.parse().ok()?),
        })
    }

    /// The protocol with this number.
    pub fn from_number(number: u8) -> Self {
        match number {
            6 => Self::Tcp,
            17 => Self::Udp,
            1 => Self::Icmp,
            58 => Self::Icmpv6,
            n => Self::Number(n),
        }
    }

    /// The protocol number, or `None` for all protocols.
    pub fn number(self) -> Option<u8> {
        match self {
            Self::All => None,
            Self::Tcp => Some(6),
            Self::Udp => Some(17),
            Self::Icmp => Some(1),
            Self::Icmpv6 => Some(58),
            Self::Number(n) => Some(n),
        }
    }

    /// Whether rules for this protocol take a port range (or ICMP type and
    /// code); for every other protocol all ports are allowed (A10, B8).
    pub fn has_ports(self) -> bool {
        matches!(self, Self::Tcp | Self::Udp | Self::Icmp | Self::Icmpv6)
    }

    /// The protocol as a network ACL shows it: a number string, `-1` for all (B8).
    pub fn as_number_string(self) -> String {
        self.number()
            .map_or_else(|| "-1".to_owned(), |n| n.to_string())
    }
}

impl fmt::Display for IpProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str("-1"),
            Self::Tcp => f.write_str("tcp"),
            Self::Udp => f.write_str("udp"),
            Self::Icmp => f.write_str("icmp"),
            Self::Icmpv6 => f.write_str("icmpv6"),
            Self::Number(n) => write!(f, "{n}"),
        }
    }
}

/// Whether a rule's protocol and port range (ICMP: type and code) admit a
/// packet's transport header (A10). `ports` is `FromPort`/`ToPort`; `None`
/// means all.
pub fn protocol_and_ports_match(
    protocol: IpProtocol,
    ports: Option<(i32, i32)>,
    transport: Transport,
) -> bool {
    match protocol {
        // A10: -1 is every protocol and every port.
        IpProtocol::All => true,
        IpProtocol::Tcp | IpProtocol::Udp => {
            if protocol.number() != Some(transport.protocol()) {
                return false;
            }
            match (ports, transport.dst_port()) {
                (None, _) => true,
                // A10: an inclusive range; a single port is the same number twice.
                (Some((from, to)), Some(port)) => (from..=to).contains(&i32::from(port)),
                (Some(_), None) => false,
            }
        }
        IpProtocol::Icmp | IpProtocol::Icmpv6 => {
            let Transport::Icmp {
                icmp_type,
                icmp_code,
                ..
            } = transport
            else {
                return false;
            };
            if protocol.number() != Some(transport.protocol()) {
                return false;
            }
            match ports {
                None => true,
                // A10: FromPort is the ICMP type, ToPort the code; -1 is all.
                Some((rule_type, rule_code)) => {
                    (rule_type == -1 || rule_type == i32::from(icmp_type))
                        && (rule_code == -1 || rule_code == i32::from(icmp_code))
                }
            }
        }
        // A10: any other protocol allows all ports, whatever range is given.
        IpProtocol::Number(n) => n == transport.protocol(),
    }
}

/// What a rule allows traffic from (inbound) or to (outbound) (A7).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RulePeer {
    /// An IPv4 CIDR block (`IpRanges`).
    Cidr(Ipv4Net),
    /// An IPv6 CIDR block (`Ipv6Ranges`).
    Ipv6Cidr(Ipv6Net),
    /// A security group (`UserIdGroupPairs`): matches the private addresses
    /// of the interfaces that carry it, never their public ones (A8).
    SecurityGroup(SecurityGroupId),
    /// A managed prefix list (`PrefixListIds`).
    PrefixList(PrefixListId),
}

impl fmt::Display for RulePeer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cidr(cidr) => write!(f, "{cidr}"),
            Self::Ipv6Cidr(cidr) => write!(f, "{cidr}"),
            Self::SecurityGroup(id) => write!(f, "{id}"),
            Self::PrefixList(id) => write!(f, "{id}"),
        }
    }
}

/// One security group rule.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

impl SecurityGroupRule {
    /// Whether two rules allow the same thing (descriptions aside): AWS
    /// refuses to add such a rule twice (A7).
    pub fn same_permission(&self, other: &Self) -> bool {
        self.protocol == other.protocol && self.ports == other.ports && self.peer == other.peer
    }
}

impl fmt::Display for SecurityGroupRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.protocol, self.ports) {
            (IpProtocol::All, _) | (_, None) => write!(f, "{} all", self.protocol)?,
            (p, _) if !p.has_ports() => write!(f, "{p} all")?,
            (IpProtocol::Icmp | IpProtocol::Icmpv6, Some((t, c))) => {
                let part = |n: i32| {
                    if n == -1 {
                        "all".to_owned()
                    } else {
                        n.to_string()
                    }
                };
                write!(f, "{} type {} code {}", self.protocol, part(t), part(c))?;
            }
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

    /// A VPC's `default` group as AWS makes it (A6): its members reach each
    /// other on everything, and all outbound traffic is allowed (to ::/0 as
    /// well with an IPv6 block).
    pub fn vpc_default(id: SecurityGroupId, vpc_id: VpcId, ipv6: bool) -> Self {
        let mut egress = vec![Self::allow_all_outbound()];
        if ipv6 {
            egress.push(SecurityGroupRule {
                peer: RulePeer::Ipv6Cidr(Ipv6Net::default()),
                ..Self::allow_all_outbound()
            });
        }
        Self {
            ingress: vec![SecurityGroupRule {
                protocol: IpProtocol::All,
                ports: None,
                peer: RulePeer::SecurityGroup(id.clone()),
                description: None,
            }],
            id,
            name: "default".into(),
            description: "default VPC security group".into(),
            vpc_id,
            egress,
            tags: Tags::new(),
        }
    }

    /// The rules of one direction.
    pub fn rules(&self, egress: bool) -> &[SecurityGroupRule] {
        if egress {
            &self.egress
        } else {
            &self.ingress
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(port: u16) -> Transport {
        Transport::Tcp {
            src_port: 40000,
            dst_port: port,
        }
    }

    #[test]
    fn protocols_and_ports_match_as_a10_says() {
        let icmp = |t, c| Transport::Icmp {
            v6: false,
            icmp_type: t,
            icmp_code: c,
        };
        let cases = [
            (IpProtocol::All, Some((22, 22)), tcp(80), true),
            (IpProtocol::Tcp, Some((22, 22)), tcp(22), true),
            (IpProtocol::Tcp, Some((20, 22)), tcp(23), false),
            (IpProtocol::Tcp, Some((1024, 65535)), tcp(65535), true),
            (IpProtocol::Udp, Some((53, 53)), tcp(53), false),
            (IpProtocol::Icmp, Some((8, -1)), icmp(8, 0), true),
            (IpProtocol::Icmp, Some((8, -1)), icmp(0, 0), false),
            (IpProtocol::Icmp, Some((-1, -1)), icmp(3, 4), true),
            (
                IpProtocol::Icmp,
                None,
                Transport::Icmp {
                    v6: true,
                    icmp_type: 128,
                    icmp_code: 0,
                },
                false,
            ),
            // Any other protocol: all ports, whatever range is given.
            (
                IpProtocol::Number(47),
                Some((1, 1)),
                Transport::Other(47),
                true,
            ),
            (IpProtocol::Number(47), None, tcp(1), false),
        ];
        for (protocol, ports, transport, expected) in cases {
            assert_eq!(
                protocol_and_ports_match(protocol, ports, transport),
                expected,
                "{protocol} {ports:?} {transport:?}"
            );
        }
    }

    #[test]
    fn named_and_numbered_protocols_are_the_same() {
        for (text, protocol) in [
            ("tcp", IpProtocol::Tcp),
            ("6", IpProtocol::Tcp),
            ("17", IpProtocol::Udp),
            ("-1", IpProtocol::All),
            ("58", IpProtocol::Icmpv6),
            ("50", IpProtocol::Number(50)),
        ] {
            assert_eq!(IpProtocol::parse(text), Some(protocol), "{text}");
        }
        assert_eq!(IpProtocol::parse("tcpx"), None);
        assert_eq!(IpProtocol::parse("256"), None);
    }
}
