//! Network ACLs: stateless, numbered allow/deny lists at subnet boundaries.
//!
//! Every subnet is associated with exactly one network ACL (B1). Entries are
//! numbered 1–32766 and evaluated lowest first; the first match decides, and
//! the `*` entry (shown as 32767 for IPv4, 32768 for IPv6) denies what nothing
//! matched (B4). IPv4 entries never match IPv6 traffic (B8). The VPC's
//! default ACL allows everything (B2); a new custom ACL denies everything
//! until rules are added (B3).

use std::fmt;
use std::net::IpAddr;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use crate::ids::{NetworkAclAssociationId, NetworkAclId, SubnetId, VpcId};
use crate::packet::Packet;
use crate::security_group::{protocol_and_ports_match, IpProtocol};
use crate::tags::Tags;

/// The rule number AWS shows for the IPv4 `*` entry (B4).
pub const DEFAULT_DENY_RULE_NUMBER: u16 = 32767;

/// The rule number AWS shows for the IPv6 `*` entry (B4).
pub const DEFAULT_DENY_RULE_NUMBER_IPV6: u16 = 32768;

/// The highest rule number a learner may use (B4).
pub const MAX_RULE_NUMBER: u16 = 32766;

/// `allow` or `deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleAction {
    /// `allow`.
    Allow,
    /// `deny`.
    Deny,
}

impl fmt::Display for RuleAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Allow => "allow",
            Self::Deny => "deny",
        })
    }
}

/// One network ACL entry.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NetworkAclEntry {
    /// 1–32766, or 32767/32768 for the `*` entries.
    pub rule_number: u16,
    /// `true` for an outbound rule.
    pub egress: bool,
    /// The protocol.
    pub protocol: IpProtocol,
    /// `allow` or `deny`.
    pub action: RuleAction,
    /// Source (inbound) or destination (outbound) block, IPv4 or IPv6.
    pub cidr_block: IpNet,
    /// `PortRange`, for TCP and UDP.
    pub port_range: Option<(u16, u16)>,
    /// `IcmpTypeCode` (type, code; -1 is all), for ICMP and ICMPv6.
    pub icmp_type_code: Option<(i32, i32)>,
}

impl NetworkAclEntry {
    /// Whether this is one of the unmodifiable `*` entries.
    pub fn is_default_deny(&self) -> bool {
        self.rule_number > MAX_RULE_NUMBER
    }

    /// The IPv4 `*` entry for one direction (B2, B3).
    pub fn default_deny(egress: bool) -> Self {
        Self {
            rule_number: DEFAULT_DENY_RULE_NUMBER,
            egress,
            protocol: IpProtocol::All,
            action: RuleAction::Deny,
            cidr_block: IpNet::V4(Ipv4Net::default()),
            port_range: None,
            icmp_type_code: None,
        }
    }

    /// The IPv6 `*` entry for one direction (B2).
    pub fn default_deny_ipv6(egress: bool) -> Self {
        Self {
            rule_number: DEFAULT_DENY_RULE_NUMBER_IPV6,
            cidr_block: IpNet::V6(Ipv6Net::default()),
            ..Self::default_deny(egress)
        }
    }

    /// Whether this entry matches a packet crossing the subnet boundary in
    /// its direction. Inbound entries match the source, outbound entries the
    /// destination (B8); IPv4 entries never match IPv6 packets.
    pub fn matches(&self, packet: &Packet) -> bool {
        let peer: IpAddr = if self.egress { packet.dst } else { packet.src };
        if !self.cidr_block.contains(&peer) {
            return false;
        }
        match self.protocol {
            IpProtocol::Tcp | IpProtocol::Udp => {
                let ports = self
                    .port_range
                    .map(|(from, to)| (i32::from(from), i32::from(to)));
                protocol_and_ports_match(self.protocol, ports, packet.transport)
            }
            // B8: ICMPv6 in an IPv4 entry allows every ICMP type and code.
            IpProtocol::Icmpv6 if matches!(self.cidr_block, IpNet::V4(_)) => {
                protocol_and_ports_match(self.protocol, None, packet.transport)
            }
            IpProtocol::Icmp | IpProtocol::Icmpv6 => {
                protocol_and_ports_match(self.protocol, self.icmp_type_code, packet.transport)
            }
            // B8: -1 and every other protocol: all ports.
            IpProtocol::All | IpProtocol::Number(_) => {
                protocol_and_ports_match(self.protocol, None, packet.transport)
            }
        }
    }
}

impl fmt::Display for NetworkAclEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_default_deny() {
            f.write_str("*")?;
        } else {
            write!(f, "{}", self.rule_number)?;
        }
        write!(f, " {} {}", self.action, self.protocol)?;
        match (self.protocol, self.port_range, self.icmp_type_code) {
            (IpProtocol::Tcp | IpProtocol::Udp, Some((from, to)), _) if from == to => {
                write!(f, " {from}")?;
            }
            (IpProtocol::Tcp | IpProtocol::Udp, Some((from, to)), _) => write!(f, " {from}-{to}")?,
            (IpProtocol::Icmp | IpProtocol::Icmpv6, _, Some((t, c))) => {
                write!(f, " type {t} code {c}")?;
            }
            _ => f.write_str(" all")?,
        }
        write!(f, " {}", self.cidr_block)
    }
}

/// A network ACL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkAcl {
    /// `acl-…`.
    pub id: NetworkAclId,
    /// The VPC.
    pub vpc_id: VpcId,
    /// Whether this is the VPC's default ACL.
    pub is_default: bool,
    /// Entries, both directions, in no particular order.
    pub entries: Vec<NetworkAclEntry>,
    /// The subnets that use this ACL.
    pub associations: Vec<(NetworkAclAssociationId, SubnetId)>,
    /// Tags.
    pub tags: Tags,
}

impl NetworkAcl {
    /// A VPC's default network ACL as AWS makes it (B2): rule 100 allows all
    /// IPv4 traffic in and out, then `*`; with an IPv6 block, rule 101 and
    /// a second `*` for ::/0.
    pub fn vpc_default(id: NetworkAclId, vpc_id: VpcId, ipv6: bool) -> Self {
        let allow = |deny: NetworkAclEntry, rule_number| NetworkAclEntry {
            rule_number,
            action: RuleAction::Allow,
            ..deny
        };
        let mut entries = Vec::new();
        for egress in [false, true] {
            entries.push(allow(NetworkAclEntry::default_deny(egress), 100));
            entries.push(NetworkAclEntry::default_deny(egress));
            if ipv6 {
                entries.push(allow(NetworkAclEntry::default_deny_ipv6(egress), 101));
                entries.push(NetworkAclEntry::default_deny_ipv6(egress));
            }
        }
        Self {
            id,
            vpc_id,
            is_default: true,
            entries,
            associations: Vec::new(),
            tags: Tags::new(),
        }
    }

    /// The entries of one direction, lowest rule number first (B4).
    pub fn entries(&self, egress: bool) -> impl Iterator<Item = &NetworkAclEntry> {
        let mut entries: Vec<_> = self.entries.iter().filter(|e| e.egress == egress).collect();
        crate::world::sort_small_by(&mut entries, |a, b| a.rule_number.cmp(&b.rule_number));
        entries.into_iter()
    }

    /// The entry that decides a packet in one direction: the lowest-numbered
    /// entry that matches (B4); `None` only if even the `*` entry is missing
    /// (which would then deny, as `*` does).
    pub fn deciding_entry(&self, egress: bool, packet: &Packet) -> Option<&NetworkAclEntry> {
        // B4: lowest rule number first; the first match wins.
        self.entries(egress).find(|entry| entry.matches(packet))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::Transport;

    fn entry(
        rule_number: u16,
        action: RuleAction,
        protocol: IpProtocol,
        ports: Option<(u16, u16)>,
        cidr: &str,
    ) -> NetworkAclEntry {
        NetworkAclEntry {
            rule_number,
            egress: false,
            protocol,
            action,
            cidr_block: cidr.parse().expect("cidr"),
            port_range: ports,
            icmp_type_code: None,
        }
    }

    #[test]
    fn ipv4_entries_never_match_ipv6_packets() {
        // B8: IPv4 and IPv6 rules are separate.
        let all = entry(100, RuleAction::Allow, IpProtocol::All, None, "0.0.0.0/0");
        let v6 = Packet {
            src: "2001:db8::1".parse().expect("ip"),
            dst: "2001:db8::2".parse().expect("ip"),
            transport: Transport::Tcp {
                src_port: 40000,
                dst_port: 80,
            },
        };
        assert!(!all.matches(&v6));
        assert!(NetworkAclEntry::default_deny_ipv6(false).matches(&v6));
    }

    #[test]
    fn a_lower_deny_inside_a_wider_allow_wins() {
        // B4: put the DENY at a lower number than the wide ALLOW.
        let acl = NetworkAcl {
            id: NetworkAclId::from("acl-1"),
            vpc_id: VpcId::from("vpc-1"),
            is_default: false,
            entries: vec![
                entry(
                    200,
                    RuleAction::Allow,
                    IpProtocol::Tcp,
                    Some((1024, 65535)),
                    "0.0.0.0/0",
                ),
                entry(
                    100,
                    RuleAction::Deny,
                    IpProtocol::Tcp,
                    Some((8080, 8080)),
                    "0.0.0.0/0",
                ),
                NetworkAclEntry::default_deny(false),
            ],
            associations: vec![],
            tags: Tags::new(),
        };
        let to = |port| Packet {
            src: "198.51.100.7".parse().expect("ip"),
            dst: "10.0.0.5".parse().expect("ip"),
            transport: Transport::Tcp {
                src_port: 50000,
                dst_port: port,
            },
        };
        let decide = |port| {
            acl.deciding_entry(false, &to(port))
                .map(ToString::to_string)
        };
        assert_eq!(decide(8080).as_deref(), Some("100 deny tcp 8080 0.0.0.0/0"));
        assert_eq!(
            decide(9000).as_deref(),
            Some("200 allow tcp 1024-65535 0.0.0.0/0")
        );
        assert_eq!(decide(22).as_deref(), Some("* deny -1 all 0.0.0.0/0"));
    }
}
