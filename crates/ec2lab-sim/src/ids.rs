//! Resource identifiers: `vpc-`, `subnet-`, `i-`, `vol-`, EFS's `fs-` and
//! `fsmt-`, and the rest.
//!
//! AWS ids are Regional and, since 2018, carry 17 lowercase hex digits after
//! the prefix (D2). The lab makes them deterministically from a counter kept in
//! the world, so the same commands always produce the same ids.

use std::fmt;

macro_rules! resource_ids {
    ($($(#[$doc:meta])* $name:ident => $prefix:literal,)*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
            pub struct $name(String);

            impl $name {
                /// The prefix every id of this kind starts with, e.g. `vpc-`.
                pub const PREFIX: &'static str = $prefix;

                /// Wraps an id string as it appears in the EC2 API.
                pub fn new(id: impl Into<String>) -> Self {
                    Self(id.into())
                }

                /// The id as AWS prints it.
                pub fn as_str(&self) -> &str {
                    &self.0
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(&self.0)
                }
            }

            impl From<&str> for $name {
                fn from(id: &str) -> Self {
                    Self(id.to_owned())
                }
            }
        )*
    };
}

resource_ids! {
    /// A VPC id, `vpc-…`.
    VpcId => "vpc-",
    /// A subnet id, `subnet-…`.
    SubnetId => "subnet-",
    /// An internet gateway id, `igw-…`.
    InternetGatewayId => "igw-",
    /// A route table id, `rtb-…`.
    RouteTableId => "rtb-",
    /// A route table association id, `rtbassoc-…`.
    RouteTableAssociationId => "rtbassoc-",
    /// A security group id, `sg-…`.
    SecurityGroupId => "sg-",
    /// A network ACL id, `acl-…`.
    NetworkAclId => "acl-",
    /// A network ACL association id, `aclassoc-…`.
    NetworkAclAssociationId => "aclassoc-",
    /// An instance id, `i-…`.
    InstanceId => "i-",
    /// An elastic network interface id, `eni-…`.
    NetworkInterfaceId => "eni-",
    /// An EBS volume id, `vol-…`.
    VolumeId => "vol-",
    /// An AMI id, `ami-…`.
    ImageId => "ami-",
    /// An EBS snapshot id, `snap-…`.
    SnapshotId => "snap-",
    /// A reservation id, `r-…` (one per RunInstances call).
    ReservationId => "r-",
    /// An Elastic IP allocation id, `eipalloc-…`.
    AllocationId => "eipalloc-",
    /// An Elastic IP association id, `eipassoc-…`.
    AssociationId => "eipassoc-",
    /// A managed prefix list id, `pl-…`.
    PrefixListId => "pl-",
    /// An EFS file system id, `fs-…` (J3).
    FileSystemId => "fs-",
    /// An EFS mount target id, `fsmt-…` (J3).
    MountTargetId => "fsmt-",
    /// A launch template id, `lt-…` (I1).
    LaunchTemplateId => "lt-",
}

/// Makes ids that look like AWS's (17 hex digits) from a counter.
///
/// The digits come from a fixed mixing function of the counter, so they look
/// as varied as real ids while staying reproducible. The counter lives in the
/// world, which keeps the core free of randomness.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdGenerator {
    issued: u64,
}

impl IdGenerator {
    /// The next 17 hex digits, after `prefix`.
    pub fn next(&mut self, prefix: &str) -> String {
        self.issued += 1;
        format!("{prefix}{:017x}", Self::digits(self.issued))
    }

    /// The counter mixed to 64 bits, printed as 17 hex digits: like AWS's
    /// current ids, the first digit is `0` (e.g. `i-0abcd…`).
    fn digits(n: u64) -> u64 {
        splitmix64(n ^ 0x5bd1_e995)
    }

    /// A deterministic 64-bit value derived from the counter, for anything else
    /// that should look varied (for example public IPv4 addresses).
    pub fn next_u64(&mut self) -> u64 {
        self.issued += 1;
        splitmix64(self.issued)
    }
}

/// The SplitMix64 finaliser: a bijective mix of a 64-bit value.
fn splitmix64(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_seventeen_lowercase_hex_digits_and_do_not_repeat() {
        // D2: `ami-` + 17 characters, lowercase hex as in AWS's examples.
        let mut ids = IdGenerator::default();
        let made: Vec<String> = (0..1000).map(|_| ids.next("vol-")).collect();
        for id in &made {
            let digits = id.strip_prefix("vol-").expect("prefix kept");
            assert_eq!(digits.len(), 17, "{id}");
            assert!(
                digits.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')),
                "{id}"
            );
        }
        let unique: std::collections::BTreeSet<_> = made.iter().collect();
        assert_eq!(unique.len(), made.len());
    }

    #[test]
    fn the_same_sequence_gives_the_same_ids() {
        let mut a = IdGenerator::default();
        let mut b = IdGenerator::default();
        assert_eq!(a.next("i-"), b.next("i-"));
        assert_eq!(a.next("vpc-"), b.next("vpc-"));
    }
}
