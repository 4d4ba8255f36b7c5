//! Network ACLs: stateless, numbered allow/deny lists at subnet boundaries.
//!
//! Every subnet is associated with exactly one network ACL (B1). Entries are
//! numbered 1–32766 and evaluated lowest first; the first match decides, and
//! the `*` entry (shown as 32767) denies what nothing matched (B4). The VPC's
//! default ACL allows everything (B2); a new custom ACL denies everything
//! until rules are added (B3).

use std::fmt;

use ipnet::Ipv4Net;

use crate::ids::{NetworkAclAssociationId, NetworkAclId, SubnetId, VpcId};
use crate::security_group::IpProtocol;
use crate::tags::Tags;

/// The rule number AWS shows for the IPv4 `*` entry (B4).
pub const DEFAULT_DENY_RULE_NUMBER: u16 = 32767;

/// `allow` or `deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkAclEntry {
    /// 1–32766, or 32767 for the `*` entry.
    pub rule_number: u16,
    /// `true` for an outbound rule.
    pub egress: bool,
    /// The protocol.
    pub protocol: IpProtocol,
    /// `allow` or `deny`.
    pub action: RuleAction,
    /// Source (inbound) or destination (outbound) block.
    pub cidr_block: Ipv4Net,
    /// `PortRange`, for TCP and UDP.
    pub port_range: Option<(u16, u16)>,
}

impl NetworkAclEntry {
    /// Whether this is the unmodifiable `*` entry.
    pub fn is_default_deny(&self) -> bool {
        self.rule_number == DEFAULT_DENY_RULE_NUMBER
    }

    /// The `*` entry for one direction (B2, B3).
    pub fn default_deny(egress: bool) -> Self {
        Self {
            rule_number: DEFAULT_DENY_RULE_NUMBER,
            egress,
            protocol: IpProtocol::All,
            action: RuleAction::Deny,
            cidr_block: Ipv4Net::default(),
            port_range: None,
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
        match self.port_range {
            Some((from, to)) if from == to => write!(f, " {from}")?,
            Some((from, to)) => write!(f, " {from}-{to}")?,
            None => f.write_str(" all")?,
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
    /// Entries, both directions, ordered by direction then rule number.
    pub entries: Vec<NetworkAclEntry>,
    /// The subnets that use this ACL.
    pub associations: Vec<(NetworkAclAssociationId, SubnetId)>,
    /// Tags.
    pub tags: Tags,
}

impl NetworkAcl {
    /// The entries of one direction, lowest rule number first (B4).
    pub fn entries(&self, egress: bool) -> impl Iterator<Item = &NetworkAclEntry> {
        let mut entries: Vec<_> = self.entries.iter().filter(|e| e.egress == egress).collect();
        crate::world::sort_small_by(&mut entries, |a, b| a.rule_number.cmp(&b.rule_number));
        entries.into_iter()
    }
}
