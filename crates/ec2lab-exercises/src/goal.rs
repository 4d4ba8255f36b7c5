//! Goals: predicates on the simulated account, evaluated on every change.
//!
//! A predicate names what it checks in EC2's vocabulary: a flow that is (or
//! is not) allowed, as the trace engine judges it (C5); an instance, a
//! volume, a snapshot, an AMI, a security group or one of its rules, a
//! subnet's network ACL or one of its entries, with given properties; a
//! file on an instance, as the instance sees it; a billing figure (G2);
//! the Region's encryption-by-default setting (E5); a launch template's
//! versions (I2); an Image Builder build; and `all`, `any` and `not` of
//! others.
//!
//! Every predicate's `Display` is built from the same list of properties
//! that evaluation tests, so the sentence a learner reads in the checklist
//! is exactly what is checked, and any account that meets it passes,
//! however it was reached. Evaluation never fails: a missing instance is an
//! unmet goal with a reason, not an error.

use std::fmt;

use ec2lab_sim::{
    Answer, Component, Connection, Direction, Instance, IpProtocol, RegionState, RulePeer,
    SecurityGroupRule, World,
};
use serde::{Deserialize, Serialize};

/// The account a goal is judged on: the world, the Region goals default
/// to, and the connections opened with `lab connect` (A13).
#[derive(Clone, Copy, Debug)]
pub struct Lab<'a> {
    /// The account.
    pub world: &'a World,
    /// The Region a predicate without `region` looks at.
    pub region: &'a str,
    /// Open connections, with their Region.
    pub connections: &'a [(String, Connection)],
}

impl<'a> Lab<'a> {
    /// A lab with no open connections.
    pub fn new(world: &'a World, region: &'a str) -> Self {
        Self {
            world,
            region,
            connections: &[],
        }
    }
}

/// Whether a goal is met, and why, in a few words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Met or not.
    pub met: bool,
    /// What decided it: the resource that meets it, or what is missing.
    pub reason: String,
}

impl Verdict {
    fn met(reason: impl Into<String>) -> Self {
        Self {
            met: true,
            reason: reason.into(),
        }
    }
    fn unmet(reason: impl Into<String>) -> Self {
        Self {
            met: false,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = if self.met { "met" } else { "unmet" };
        write!(f, "{mark}: {}", self.reason)
    }
}

/// A predicate on the account. In JSON, `{"check": "<kind>", …}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "check", rename_all = "snake_case", deny_unknown_fields)]
pub enum Predicate {
    /// A flow, traced request and reply (C5).
    Flow(FlowCheck),
    /// An instance with given properties.
    Instance(InstanceCheck),
    /// An EBS volume with given properties.
    Volume(VolumeCheck),
    /// An EBS snapshot with given properties.
    Snapshot(SnapshotCheck),
    /// One of the account's AMIs with given properties.
    Image(ImageCheck),
    /// A security group and how many rules it has.
    SecurityGroup(SecurityGroupCheck),
    /// A rule of a security group.
    SecurityGroupRule(RuleCheck),
    /// Which network ACL a subnet uses.
    NetworkAcl(AclCheck),
    /// An entry of the network ACL a subnet uses.
    NetworkAclEntry(AclEntryCheck),
    /// A file on an instance, as the instance sees it.
    File(FileCheck),
    /// An instance's billed seconds (G2).
    Bill(BillCheck),
    /// The Region's EBS encryption-by-default setting (E5).
    EncryptionByDefault(EncryptionByDefaultCheck),
    /// A launch template and its versions (I2).
    LaunchTemplate(LaunchTemplateCheck),
    /// An EC2 Image Builder image build.
    ImageBuild(ImageBuildCheck),
    /// Every one of these.
    All {
        /// The predicates.
        of: Vec<Predicate>,
    },
    /// At least one of these.
    Any {
        /// The predicates.
        of: Vec<Predicate>,
    },
    /// Not this one.
    Not {
        /// The predicate that must not hold.
        goal: Box<Predicate>,
    },
}

/// What a traced flow must do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowExpect {
    /// The request and its reply both get through.
    Delivered,
    /// Something drops the request or the reply.
    Blocked,
    /// Both get through and a service answers.
    Served,
    /// Both get through but nothing listens (connection refused).
    Refused,
}

/// The filter or hop that must have blocked a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockedBy {
    /// A security group.
    SecurityGroup,
    /// A network ACL.
    NetworkAcl,
    /// A route table (no route).
    RouteTable,
    /// The sender has no public IPv4 address (C3).
    NoPublicIpv4,
}

impl BlockedBy {
    fn component(self) -> Component {
        match self {
            Self::SecurityGroup => Component::SecurityGroup,
            Self::NetworkAcl => Component::NetworkAcl,
            Self::RouteTable => Component::RouteTable,
            Self::NoPublicIpv4 => Component::NoPublicIpv4,
        }
    }
    fn words(self) -> &'static str {
        match self {
            Self::SecurityGroup => "a security group",
            Self::NetworkAcl => "a network ACL",
            Self::RouteTable => "a route table",
            Self::NoPublicIpv4 => "the lack of a public IPv4 address",
        }
    }
}

/// `{"check": "flow", "from": "internet:203.0.113.9", "to": "web-1",
/// "protocol": "tcp", "port": 80, "expect": "served"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowCheck {
    /// An instance's Name tag or id, or `internet:<ip>`.
    pub from: String,
    /// An instance's Name tag or id, or an IP address.
    pub to: String,
    /// `tcp`, `udp`, `icmp` or a protocol number.
    pub protocol: String,
    /// The destination port (TCP and UDP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// The client's source port (49152 when absent, B6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src_port: Option<u16>,
    /// What must happen.
    pub expect: FlowExpect,
    /// For `blocked`: what must block it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<BlockedBy>,
    /// For `served`: text the web page must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_contains: Option<String>,
    /// The Region (the exercise's when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// An instance (not terminated, unless `state` says so) with every
/// property given. Without `count`, at least one must match; with it,
/// exactly that many.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceCheck {
    /// Its Name tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `pending`, `running`, `stopping`, `stopped`, `shutting-down`, `terminated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Its instance type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    /// Launched from an AMI the account owns (`true`) or a public one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub own_image: Option<bool>,
    /// Launched from the AMI with this name (one of the account's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// Launched from an AMI that an Image Builder build of the recipe with
    /// this name made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_recipe: Option<String>,
    /// In the subnet with this Name tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet: Option<String>,
    /// In this Availability Zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// Launched from the launch template with this name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_template: Option<String>,
    /// … from this version of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_template_version: Option<u64>,
    /// Has booted at least this many times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boots_at_least: Option<u32>,
    /// Its user data contains this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data_contains: Option<String>,
    /// Has a security group with this name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_group: Option<String>,
    /// Exactly this many must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// The Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// An EBS volume with every property given.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeCheck {
    /// Its Name tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its Availability Zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// Encrypted or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    /// `gp3`, `io2`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_type: Option<String>,
    /// At least this many GiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_size_gib: Option<u32>,
    /// At least this many provisioned IOPS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_iops: Option<u32>,
    /// Attached to the instance with this Name tag or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attached_to: Option<String>,
    /// … as this device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// Attached to exactly this many instances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<usize>,
    /// Multi-Attach enabled (F3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_attach: Option<bool>,
    /// Created from a snapshot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_snapshot: Option<bool>,
    /// Holds a file at this path (on the volume's own file system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_file: Option<String>,
    /// Exactly this many must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// The Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// An EBS snapshot of the account with every property given.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotCheck {
    /// Taken of the volume with this Name tag or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of_volume: Option<String>,
    /// Encrypted or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    /// `pending` or `completed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// A copy (CopySnapshot or CopyImage made it), not taken of a volume here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy: Option<bool>,
    /// Used by one of the account's AMIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_by_image: Option<bool>,
    /// Holds a file at this path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_file: Option<String>,
    /// Exactly this many must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// The Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// One of the account's own AMIs with every property given.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageCheck {
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `pending` or `available`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Made (CreateImage) from the instance with this Name tag or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_instance: Option<String>,
    /// A copy of another AMI (CopyImage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy: Option<bool>,
    /// Has exactly this many EBS snapshots in its block device mapping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshots: Option<usize>,
    /// Every snapshot it uses is encrypted (`true`) or none is (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    /// Its root snapshot holds a file at this path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_file: Option<String>,
    /// Exactly this many must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// The Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// A security group (by name) and how many rules it has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroupCheck {
    /// Its group name.
    pub name: String,
    /// Exactly this many inbound rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_rules: Option<usize>,
    /// Exactly this many outbound rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_rules: Option<usize>,
    /// The Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// Inbound or outbound.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Way {
    /// Inbound (ingress).
    Inbound,
    /// Outbound (egress).
    Outbound,
}

impl fmt::Display for Way {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Inbound => "inbound",
            Self::Outbound => "outbound",
        })
    }
}

/// A rule of a security group that allows the protocol and port from (or
/// to) the peer given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleCheck {
    /// The group's name.
    pub group: String,
    /// Inbound or outbound.
    pub direction: Way,
    /// `tcp`, `udp`, `icmp`, `-1` or a number.
    pub protocol: String,
    /// A port the rule's range must cover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    /// The rule's IPv4 CIDR, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    /// The rule names the security group with this name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_group: Option<String>,
    /// The Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// Which network ACL a subnet uses: the VPC's default or a custom one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AclCheck {
    /// The subnet's Name tag.
    pub subnet: String,
    /// The default network ACL (`true`) or a custom one (`false`).
    pub default: bool,
    /// The Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// Allow or deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// `allow`.
    Allow,
    /// `deny`.
    Deny,
}

/// An entry of the network ACL a subnet uses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AclEntryCheck {
    /// The subnet's Name tag.
    pub subnet: String,
    /// Inbound or outbound.
    pub direction: Way,
    /// Allow or deny.
    pub action: Action,
    /// The rule number, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_number: Option<u16>,
    /// The protocol (`tcp`, `6`, `-1`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// A port the entry's range must cover (an all-protocols entry covers every port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// The entry's CIDR, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    /// The Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// A file on an instance, as the instance sees it (through its mounts).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileCheck {
    /// The instance's Name tag or id.
    pub instance: String,
    /// The absolute path.
    pub path: String,
    /// Text the file must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contains: Option<String>,
    /// The file's whole content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
    /// The Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// An instance's billed seconds so far (G2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillCheck {
    /// The instance's Name tag or id.
    pub instance: String,
    /// At least this many billed seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least_seconds: Option<u64>,
    /// At most this many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most_seconds: Option<u64>,
    /// The Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// The Region's EBS encryption-by-default setting (E5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncryptionByDefaultCheck {
    /// On or off.
    pub enabled: bool,
    /// The Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// A launch template and its versions (I2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaunchTemplateCheck {
    /// Its name.
    pub name: String,
    /// Has at least this many versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions_at_least: Option<usize>,
    /// Its default version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_version: Option<u64>,
    /// The Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// How an Image Builder build ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuildOutcome {
    /// Every phase passed and the AMI was made.
    Available,
    /// A step failed; no AMI.
    Failed,
}

/// An EC2 Image Builder image build of a recipe. `available` is what
/// GetImage calls `AVAILABLE`: every phase passed and the AMI it made
/// exists and is available (while the AMI's snapshots are pending, the
/// build is `DISTRIBUTING`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageBuildCheck {
    /// The recipe's name.
    pub recipe: String,
    /// The recipe's semantic version (`1.0.1`); any version when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// How it ended.
    pub status: BuildOutcome,
    /// At least this many builds ended so (one when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<usize>,
    /// The Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// The test of one property, on the Region and the resource.
type Test<'p, T> = Box<dyn Fn(&RegionState, &T) -> bool + 'p>;

/// One property of a resource: the words the learner reads and the test.
struct Prop<'p, T> {
    text: String,
    test: Test<'p, T>,
}

fn prop<'p, T>(text: String, test: impl Fn(&RegionState, &T) -> bool + 'p) -> Prop<'p, T> {
    Prop {
        text,
        test: Box::new(test),
    }
}

/// "an instance named web-1, running", "exactly 2 volumes …", "no AMI …".
fn phrase<T>(noun: &str, plural: &str, count: Option<usize>, props: &[Prop<'_, T>]) -> String {
    let head = match count {
        None => {
            let article = if noun.starts_with(['A', 'E', 'I', 'O', 'a', 'e', 'i', 'o']) {
                "an"
            } else {
                "a"
            };
            format!("{article} {noun}")
        }
        Some(0) => format!("no {noun}"),
        Some(1) => format!("exactly one {noun}"),
        Some(n) => format!("exactly {n} {plural}"),
    };
    let clauses: Vec<&str> = props.iter().map(|p| p.text.as_str()).collect();
    if clauses.is_empty() {
        head
    } else {
        format!("{head} {}", clauses.join(", "))
    }
}

/// Judges a selection: which items meet every property, against `count`.
fn judge<T>(
    region: &RegionState,
    noun: &str,
    items: Vec<&T>,
    label: impl Fn(&T) -> String,
    count: Option<usize>,
    props: &[Prop<'_, T>],
) -> Verdict {
    let matching: Vec<&&T> = items
        .iter()
        .filter(|item| props.iter().all(|p| (p.test)(region, item)))
        .collect();
    let names =
        |list: &[&&T]| -> String { list.iter().map(|i| label(i)).collect::<Vec<_>>().join(", ") };
    let nearest = || -> String {
        let best = items
            .iter()
            .max_by_key(|item| props.iter().filter(|p| (p.test)(region, item)).count());
        match best {
            None => format!("there is no {noun} in {}", region.name()),
            Some(item) => {
                let missing: Vec<&str> = props
                    .iter()
                    .filter(|p| !(p.test)(region, item))
                    .map(|p| p.text.as_str())
                    .collect();
                format!(
                    "none matches; nearest: {} is not {}",
                    label(item),
                    missing.join(", ")
                )
            }
        }
    };
    match count {
        None if matching.is_empty() => Verdict::unmet(nearest()),
        None => Verdict::met(names(&matching)),
        Some(n) if matching.len() == n => {
            if n == 0 {
                Verdict::met(format!("no {noun} matches"))
            } else {
                Verdict::met(names(&matching))
            }
        }
        Some(n) => Verdict::unmet(format!(
            "{} match{} ({}), not {n}",
            matching.len(),
            if matching.len() == 1 { "es" } else { "" },
            names(&matching)
        )),
    }
}

/// `i-0abc… (web-1)`.
fn instance_label(i: &Instance) -> String {
    match i.tags.name() {
        Some(n) => format!("{} ({n})", i.id),
        None => i.id.to_string(),
    }
}

fn named(id: &str, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("{id} ({n})"),
        None => id.to_owned(),
    }
}

/// A live (not terminated) instance by Name tag or id.
fn instance_by<'r>(region: &'r RegionState, key: &str) -> Option<&'r Instance> {
    ec2lab_api::find_instance(region, key)
}

fn region_suffix(region: &Option<String>) -> String {
    region
        .as_ref()
        .map_or_else(String::new, |r| format!(" in {r}"))
}

impl Predicate {
    /// Judges the predicate on the lab.
    pub fn evaluate(&self, lab: &Lab<'_>) -> Verdict {
        let region_of = |r: &Option<String>| -> Result<&RegionState, Verdict> {
            let name = r.as_deref().unwrap_or(lab.region);
            lab.world.region(name).ok_or_else(|| {
                Verdict::unmet(format!("the lab does not simulate the Region {name}"))
            })
        };
        macro_rules! region {
            ($r:expr) => {
                match region_of($r) {
                    Ok(region) => region,
                    Err(verdict) => return verdict,
                }
            };
        }
        match self {
            Self::Flow(c) => c.evaluate(region!(&c.region), lab),
            Self::Instance(c) => {
                let region = region!(&c.region);
                let props = c.props();
                let items: Vec<&Instance> = region
                    .instances
                    .values()
                    .filter(|i| {
                        c.state.as_deref() == Some("terminated")
                            || i.state != ec2lab_sim::InstanceState::Terminated
                    })
                    .collect();
                judge(region, "instance", items, instance_label, c.count, &props)
            }
            Self::Volume(c) => {
                let region = region!(&c.region);
                let props = c.props();
                let items = region.volumes.values().collect();
                let label = |v: &ec2lab_sim::Volume| named(v.id.as_str(), v.tags.name());
                judge(region, "volume", items, label, c.count, &props)
            }
            Self::Snapshot(c) => {
                let region = region!(&c.region);
                let props = c.props();
                let items = region.snapshots.values().collect();
                let label = |s: &ec2lab_sim::Snapshot| named(s.id.as_str(), s.tags.name());
                judge(region, "snapshot", items, label, c.count, &props)
            }
            Self::Image(c) => {
                let region = region!(&c.region);
                let props = c.props();
                let items = region.images.values().filter(|i| i.is_own()).collect();
                let label = |i: &ec2lab_sim::Image| format!("{} ({})", i.id, i.name);
                judge(region, "AMI", items, label, c.count, &props)
            }
            Self::SecurityGroup(c) => c.evaluate(region!(&c.region)),
            Self::SecurityGroupRule(c) => c.evaluate(region!(&c.region)),
            Self::NetworkAcl(c) => c.evaluate(region!(&c.region)),
            Self::NetworkAclEntry(c) => c.evaluate(region!(&c.region)),
            Self::File(c) => {
                let region = region!(&c.region);
                let Some(instance) = instance_by(region, &c.instance) else {
                    return Verdict::unmet(format!(
                        "there is no instance {} in {}",
                        c.instance,
                        region.name()
                    ));
                };
                match region.instance_file(instance, &c.path) {
                    None => Verdict::unmet(format!(
                        "{} has no file {}",
                        instance_label(instance),
                        c.path
                    )),
                    Some(text) => {
                        let ok = c.equals.as_ref().is_none_or(|e| text == *e)
                            && c.contains
                                .as_ref()
                                .is_none_or(|s| text.contains(s.as_str()));
                        let shown = text.trim_end().replace('\n', "\\n");
                        let shown: String = shown.chars().take(60).collect();
                        let reason = format!("{} holds \"{shown}\"", c.path);
                        if ok {
                            Verdict::met(reason)
                        } else {
                            Verdict::unmet(reason)
                        }
                    }
                }
            }
            Self::Bill(c) => {
                let region = region!(&c.region);
                let Some(instance) = instance_by(region, &c.instance) else {
                    return Verdict::unmet(format!(
                        "there is no instance {} in {}",
                        c.instance,
                        region.name()
                    ));
                };
                let billed = instance.billed_seconds_at(lab.world.clock());
                let ok = c.at_least_seconds.is_none_or(|n| billed >= n)
                    && c.at_most_seconds.is_none_or(|n| billed <= n);
                let reason = format!("{} has {billed} billed seconds", instance_label(instance));
                if ok {
                    Verdict::met(reason)
                } else {
                    Verdict::unmet(reason)
                }
            }
            Self::EncryptionByDefault(c) => {
                let region = region!(&c.region);
                let on = region.ebs_encryption_by_default;
                let reason = format!(
                    "encryption by default is {} in {}",
                    if on { "on" } else { "off" },
                    region.name()
                );
                if on == c.enabled {
                    Verdict::met(reason)
                } else {
                    Verdict::unmet(reason)
                }
            }
            Self::LaunchTemplate(c) => {
                let region = region!(&c.region);
                let Some(template) = region.launch_templates.values().find(|t| t.name == c.name)
                else {
                    return Verdict::unmet(format!("there is no launch template {}", c.name));
                };
                let versions = template.versions.len();
                let ok = c.versions_at_least.is_none_or(|n| versions >= n)
                    && c.default_version
                        .is_none_or(|v| template.default_version == v);
                let reason = format!(
                    "{} has {versions} version{}, default {}",
                    c.name,
                    if versions == 1 { "" } else { "s" },
                    template.default_version
                );
                if ok {
                    Verdict::met(reason)
                } else {
                    Verdict::unmet(reason)
                }
            }
            Self::ImageBuild(c) => c.evaluate(region!(&c.region)),
            Self::All { of } => {
                let verdicts: Vec<Verdict> = of.iter().map(|p| p.evaluate(lab)).collect();
                match verdicts.iter().position(|v| !v.met) {
                    Some(i) => {
                        Verdict::unmet(format!("not yet: {} ({})", of[i], verdicts[i].reason))
                    }
                    None => Verdict::met(
                        verdicts
                            .iter()
                            .map(|v| v.reason.as_str())
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                }
            }
            Self::Any { of } => {
                let verdicts: Vec<Verdict> = of.iter().map(|p| p.evaluate(lab)).collect();
                match verdicts.iter().find(|v| v.met) {
                    Some(v) => Verdict::met(v.reason.clone()),
                    None => Verdict::unmet(
                        verdicts
                            .iter()
                            .map(|v| v.reason.as_str())
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                }
            }
            Self::Not { goal } => {
                let inner = goal.evaluate(lab);
                Verdict {
                    met: !inner.met,
                    reason: inner.reason,
                }
            }
        }
    }
}

impl FlowCheck {
    fn evaluate(&self, region: &RegionState, lab: &Lab<'_>) -> Verdict {
        let port = self.port.map(|p| p.to_string());
        let src_port = self.src_port.map(|p| p.to_string());
        let mut options: Vec<(&str, &str)> = vec![
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
            ("protocol", self.protocol.as_str()),
        ];
        if let Some(p) = &port {
            options.push(("port", p));
        }
        if let Some(p) = &src_port {
            options.push(("src-port", p));
        }
        let flow = match ec2lab_api::flow_from(region, options.as_slice()) {
            Ok(flow) => flow,
            Err(error) => return Verdict::unmet(error.to_string()),
        };
        let open: Vec<Connection> = lab
            .connections
            .iter()
            .filter(|(r, _)| r == region.name())
            .map(|(_, c)| c.clone())
            .collect();
        let trace = region.trace_with(&flow, &open);
        let delivered = trace.request_delivered && trace.reply_delivered == Some(true);
        let what = match &trace.blocked_by {
            Some(b) => {
                let direction = match b.direction {
                    Some(Direction::Ingress) => " inbound",
                    Some(Direction::Egress) => " outbound",
                    None => "",
                };
                let rule = b.rule.map_or_else(String::new, |r| {
                    if r >= ec2lab_sim::DEFAULT_DENY_RULE_NUMBER {
                        " rule *".to_owned()
                    } else {
                        format!(" rule {r}")
                    }
                });
                let phase = if trace.request_delivered {
                    "the reply"
                } else {
                    "the request"
                };
                format!(
                    "{phase} is dropped by {} {}{direction}{rule}",
                    b.component.name(),
                    b.resource
                )
            }
            None if !trace.request_delivered => "the request is not delivered".to_owned(),
            None => match &trace.answer {
                Some(Answer::Service { unit, .. }) => {
                    format!("delivered both ways; {unit} answers")
                }
                Some(Answer::Refused) => {
                    "delivered both ways; connection refused: nothing listens".to_owned()
                }
                None => "delivered both ways".to_owned(),
            },
        };
        let ok = match self.expect {
            FlowExpect::Delivered => delivered,
            FlowExpect::Blocked => {
                !delivered
                    && self.by.is_none_or(|by| {
                        trace
                            .blocked_by
                            .as_ref()
                            .is_some_and(|b| b.component == by.component())
                    })
            }
            FlowExpect::Served => {
                delivered
                    && match &trace.answer {
                        Some(Answer::Service { page, .. }) => {
                            self.page_contains.as_ref().is_none_or(|want| {
                                page.as_ref().is_some_and(|p| p.contains(want.as_str()))
                            })
                        }
                        _ => false,
                    }
            }
            FlowExpect::Refused => delivered && trace.answer == Some(Answer::Refused),
        };
        Verdict {
            met: ok,
            reason: what,
        }
    }
}

impl ImageBuildCheck {
    /// `web-server` or `web-server version 1.0.1`.
    fn recipe_text(&self) -> String {
        match &self.version {
            Some(v) => format!("{} version {v}", self.recipe),
            None => self.recipe.clone(),
        }
    }

    fn evaluate(&self, region: &RegionState) -> Verdict {
        let builds: Vec<&ec2lab_sim::image_builder::ImageBuild> = region
            .image_builder
            .images
            .iter()
            .filter(|b| {
                b.name == self.recipe && self.version.as_ref().is_none_or(|v| b.version == *v)
            })
            .collect();
        if builds.is_empty() {
            return Verdict::unmet(format!("recipe {} has not been built", self.recipe_text()));
        }
        let ended: Vec<(&ec2lab_sim::image_builder::ImageBuild, BuildState)> = builds
            .iter()
            .map(|b| (*b, BuildState::of(region, b)))
            .collect();
        let matching: Vec<&(&ec2lab_sim::image_builder::ImageBuild, BuildState)> = ended
            .iter()
            .filter(|(_, state)| state.outcome() == Some(self.status))
            .collect();
        let word = match self.status {
            BuildOutcome::Available => "available",
            BuildOutcome::Failed => "failed",
        };
        let wanted = self.at_least.unwrap_or(1).max(1);
        if let Some((latest, state)) = matching.last().filter(|_| matching.len() >= wanted) {
            let about = match (state, &latest.reason) {
                (BuildState::Failed, Some(reason)) => format!("{}: {reason}", latest.arn),
                (BuildState::Available(ami), _) => format!("{}, AMI {ami}", latest.arn),
                _ => latest.arn.clone(),
            };
            return Verdict::met(if matching.len() == 1 {
                about
            } else {
                let versions: Vec<String> = matching
                    .iter()
                    .map(|(b, _)| format!("{}/{}", b.version, b.build))
                    .collect();
                format!("{} {word}; the latest: {about}", versions.join(", "))
            });
        }
        let states: Vec<String> = ended
            .iter()
            .map(|(b, state)| format!("{}/{} {state}", b.version, b.build))
            .collect();
        let how_many = match matching.len() {
            0 => "none".to_owned(),
            n => format!("only {n}"),
        };
        Verdict::unmet(format!(
            "{} build{} of {}, {how_many} {word}: {}",
            builds.len(),
            if builds.len() == 1 { "" } else { "s" },
            self.recipe_text(),
            states.join(", ")
        ))
    }
}

/// Where an image build stands, as GetImage's `state.status` says it.
enum BuildState {
    /// `FAILED`: a step failed; no AMI.
    Failed,
    /// `DISTRIBUTING`: passed; its AMI's snapshots are pending (D4).
    Distributing(String),
    /// `AVAILABLE`: passed, and its AMI is available.
    Available(String),
    /// `DEPRECATED`: passed, but its AMI is gone since.
    Deprecated(String),
}

impl BuildState {
    fn of(region: &RegionState, build: &ec2lab_sim::image_builder::ImageBuild) -> Self {
        use ec2lab_sim::image_builder::BuildStatus;
        match (&build.status, &build.ami) {
            (BuildStatus::Failed, _) | (_, None) => Self::Failed,
            // D4: the AMI is pending until its snapshots complete, and
            // GetImage says DISTRIBUTING until then.
            (BuildStatus::Available, Some((id, _))) => {
                match region.images.get(id).map(|i| i.state) {
                    Some(ec2lab_sim::ImageState::Available) => Self::Available(id.to_string()),
                    Some(ec2lab_sim::ImageState::Pending) => Self::Distributing(id.to_string()),
                    _ => Self::Deprecated(id.to_string()),
                }
            }
        }
    }

    /// The outcome a predicate can ask for, once the build has one.
    fn outcome(&self) -> Option<BuildOutcome> {
        match self {
            Self::Failed => Some(BuildOutcome::Failed),
            Self::Available(_) => Some(BuildOutcome::Available),
            Self::Distributing(_) | Self::Deprecated(_) => None,
        }
    }
}

impl fmt::Display for BuildState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Failed => f.write_str("failed"),
            Self::Distributing(ami) => write!(f, "distributing (AMI {ami} pending)"),
            Self::Available(ami) => write!(f, "available (AMI {ami})"),
            Self::Deprecated(ami) => write!(f, "deprecated (AMI {ami} gone)"),
        }
    }
}

impl InstanceCheck {
    fn props(&self) -> Vec<Prop<'_, Instance>> {
        let mut props = Vec::new();
        if let Some(name) = &self.name {
            props.push(prop(format!("named {name}"), move |_, i: &Instance| {
                i.tags.name() == Some(name.as_str())
            }));
        }
        if let Some(state) = &self.state {
            props.push(prop(state.clone(), move |_, i: &Instance| {
                i.state.to_string() == *state
            }));
        }
        if let Some(t) = &self.instance_type {
            props.push(prop(format!("of type {t}"), move |_, i: &Instance| {
                i.instance_type == *t
            }));
        }
        if let Some(own) = self.own_image {
            let text = if own {
                "launched from an AMI you own"
            } else {
                "launched from a public AMI"
            };
            props.push(prop(
                text.to_owned(),
                move |r: &RegionState, i: &Instance| {
                    r.images.get(&i.image_id).is_some_and(|im| im.is_own()) == own
                },
            ));
        }
        if let Some(name) = &self.image_name {
            props.push(prop(
                format!("launched from the AMI {name}"),
                move |r: &RegionState, i: &Instance| {
                    r.images.get(&i.image_id).is_some_and(|im| im.name == *name)
                },
            ));
        }
        if let Some(recipe) = &self.image_recipe {
            props.push(prop(
                format!("launched from an AMI that Image Builder built from recipe {recipe}"),
                move |r: &RegionState, i: &Instance| {
                    r.image_builder.images.iter().any(|b| {
                        b.name == *recipe && b.ami.as_ref().is_some_and(|(id, _)| *id == i.image_id)
                    })
                },
            ));
        }
        if let Some(subnet) = &self.subnet {
            props.push(prop(
                format!("in subnet {subnet}"),
                move |r: &RegionState, i: &Instance| {
                    r.subnets
                        .get(&i.subnet_id)
                        .is_some_and(|s| s.tags.name() == Some(subnet.as_str()))
                },
            ));
        }
        if let Some(az) = &self.availability_zone {
            props.push(prop(format!("in {az}"), move |_, i: &Instance| {
                i.availability_zone == *az
            }));
        }
        if let Some(t) = &self.launch_template {
            props.push(prop(
                format!("launched from launch template {t}"),
                move |r: &RegionState, i: &Instance| {
                    let id = i.tags.get("aws:ec2launchtemplate:id");
                    r.launch_templates
                        .values()
                        .any(|lt| lt.name == *t && Some(lt.id.as_str()) == id)
                },
            ));
        }
        if let Some(v) = self.launch_template_version {
            props.push(prop(format!("version {v}"), move |_, i: &Instance| {
                i.tags.get("aws:ec2launchtemplate:version") == Some(v.to_string().as_str())
            }));
        }
        if let Some(n) = self.boots_at_least {
            props.push(prop(
                format!("booted at least {n} times"),
                move |_, i: &Instance| i.boot_count >= n,
            ));
        }
        if let Some(text) = &self.user_data_contains {
            props.push(prop(
                format!("with user data containing \"{text}\""),
                move |_, i: &Instance| {
                    i.user_data
                        .as_ref()
                        .is_some_and(|u| u.contains(text.as_str()))
                },
            ));
        }
        if let Some(group) = &self.security_group {
            props.push(prop(
                format!("in security group {group}"),
                move |r: &RegionState, i: &Instance| {
                    r.primary_interface(i).is_some_and(|eni| {
                        eni.security_groups
                            .iter()
                            .any(|id| r.security_groups.get(id).is_some_and(|g| g.name == *group))
                    })
                },
            ));
        }
        props
    }
}

impl VolumeCheck {
    fn props(&self) -> Vec<Prop<'_, ec2lab_sim::Volume>> {
        type V = ec2lab_sim::Volume;
        let mut props = Vec::new();
        if let Some(name) = &self.name {
            props.push(prop(format!("named {name}"), move |_, v: &V| {
                v.tags.name() == Some(name.as_str())
            }));
        }
        if let Some(az) = &self.availability_zone {
            props.push(prop(format!("in {az}"), move |_, v: &V| {
                v.availability_zone == *az
            }));
        }
        if let Some(e) = self.encrypted {
            props.push(prop(
                if e { "encrypted" } else { "unencrypted" }.to_owned(),
                move |_, v: &V| v.encrypted == e,
            ));
        }
        if let Some(t) = &self.volume_type {
            props.push(prop(format!("of type {t}"), move |_, v: &V| {
                v.volume_type.name() == t
            }));
        }
        if let Some(n) = self.min_size_gib {
            props.push(prop(format!("of at least {n} GiB"), move |_, v: &V| {
                v.size_gib >= n
            }));
        }
        if let Some(n) = self.min_iops {
            props.push(prop(format!("with at least {n} IOPS"), move |_, v: &V| {
                v.iops.is_some_and(|i| i >= n)
            }));
        }
        if let Some(key) = &self.attached_to {
            props.push(prop(
                format!("attached to {key}"),
                move |r: &RegionState, v: &V| {
                    instance_by(r, key)
                        .is_some_and(|i| v.attachments.iter().any(|a| a.instance_id == i.id))
                },
            ));
        }
        if let Some(device) = &self.device {
            props.push(prop(format!("as {device}"), move |_, v: &V| {
                v.attachments.iter().any(|a| a.device == *device)
            }));
        }
        if let Some(n) = self.attachments {
            let text = match n {
                0 => "not attached".to_owned(),
                1 => "attached to one instance".to_owned(),
                n => format!("attached to {n} instances"),
            };
            props.push(prop(text, move |_, v: &V| v.attachments.len() == n));
        }
        if let Some(m) = self.multi_attach {
            props.push(prop(
                if m {
                    "with Multi-Attach enabled"
                } else {
                    "without Multi-Attach"
                }
                .to_owned(),
                move |_, v: &V| v.multi_attach == m,
            ));
        }
        if let Some(s) = self.from_snapshot {
            props.push(prop(
                if s {
                    "created from a snapshot"
                } else {
                    "not created from a snapshot"
                }
                .to_owned(),
                move |_, v: &V| v.snapshot_id.is_some() == s,
            ));
        }
        if let Some(path) = &self.has_file {
            props.push(prop(format!("holding the file {path}"), move |_, v: &V| {
                v.data.files.contains_key(path)
            }));
        }
        props
    }
}

impl SnapshotCheck {
    fn props(&self) -> Vec<Prop<'_, ec2lab_sim::Snapshot>> {
        type S = ec2lab_sim::Snapshot;
        let mut props = Vec::new();
        if let Some(key) = &self.of_volume {
            props.push(prop(
                format!("of volume {key}"),
                move |r: &RegionState, s: &S| {
                    s.volume_id.as_ref().is_some_and(|id| {
                        id.as_str() == key
                            || r.volumes
                                .get(id)
                                .is_some_and(|v| v.tags.name() == Some(key.as_str()))
                    })
                },
            ));
        }
        if let Some(e) = self.encrypted {
            props.push(prop(
                if e { "encrypted" } else { "unencrypted" }.to_owned(),
                move |_, s: &S| s.encrypted == e,
            ));
        }
        if let Some(state) = &self.state {
            props.push(prop(state.clone(), move |_, s: &S| {
                s.state.to_string() == *state
            }));
        }
        if let Some(c) = self.copy {
            props.push(prop(
                if c {
                    "that is a copy"
                } else {
                    "taken of a volume"
                }
                .to_owned(),
                move |_, s: &S| s.volume_id.is_none() == c,
            ));
        }
        if let Some(u) = self.used_by_image {
            props.push(prop(
                if u {
                    "used by one of your AMIs"
                } else {
                    "used by none of your AMIs"
                }
                .to_owned(),
                move |r: &RegionState, s: &S| {
                    r.images
                        .values()
                        .any(|i| i.snapshot_ids().any(|id| *id == s.id))
                        == u
                },
            ));
        }
        if let Some(path) = &self.has_file {
            props.push(prop(format!("holding the file {path}"), move |_, s: &S| {
                s.data.files.contains_key(path)
            }));
        }
        props
    }
}

impl ImageCheck {
    fn props(&self) -> Vec<Prop<'_, ec2lab_sim::Image>> {
        type I = ec2lab_sim::Image;
        let mut props = Vec::new();
        if let Some(name) = &self.name {
            props.push(prop(format!("named {name}"), move |_, i: &I| {
                i.name == *name
            }));
        }
        if let Some(state) = &self.state {
            props.push(prop(state.clone(), move |_, i: &I| {
                i.state.to_string() == *state
            }));
        }
        if let Some(key) = &self.from_instance {
            props.push(prop(
                format!("made from instance {key}"),
                move |r: &RegionState, i: &I| {
                    i.source_instance_id.as_ref().is_some_and(|id| {
                        id.as_str() == key
                            || r.instances
                                .get(id)
                                .is_some_and(|inst| inst.tags.name() == Some(key.as_str()))
                    })
                },
            ));
        }
        if let Some(c) = self.copy {
            props.push(prop(
                if c {
                    "copied from another AMI"
                } else {
                    "not a copy"
                }
                .to_owned(),
                move |_, i: &I| i.source_instance_id.is_none() == c,
            ));
        }
        if let Some(n) = self.snapshots {
            props.push(prop(
                format!(
                    "with {n} snapshot{} in its block device mapping",
                    if n == 1 { "" } else { "s" }
                ),
                move |_, i: &I| i.snapshot_ids().count() == n,
            ));
        }
        if let Some(e) = self.encrypted {
            props.push(prop(
                if e {
                    "whose snapshots are all encrypted"
                } else {
                    "whose snapshots are unencrypted"
                }
                .to_owned(),
                move |r: &RegionState, i: &I| {
                    i.snapshot_ids().count() > 0
                        && i.snapshot_ids()
                            .all(|id| r.snapshots.get(id).is_some_and(|s| s.encrypted == e))
                },
            ));
        }
        if let Some(path) = &self.has_file {
            props.push(prop(
                format!("whose root snapshot holds {path}"),
                move |r: &RegionState, i: &I| {
                    i.block_devices
                        .iter()
                        .filter(|d| d.device_name == i.root_device_name)
                        .filter_map(|d| d.ebs.as_ref()?.snapshot_id.as_ref())
                        .any(|id| {
                            r.snapshots
                                .get(id)
                                .is_some_and(|s| s.data.files.contains_key(path))
                        })
                },
            ));
        }
        props
    }
}

fn rules_text(n: usize, way: &str) -> String {
    match n {
        0 => format!("no {way} rules"),
        1 => format!("exactly one {way} rule"),
        n => format!("exactly {n} {way} rules"),
    }
}

impl SecurityGroupCheck {
    fn evaluate(&self, region: &RegionState) -> Verdict {
        let Some(group) = region
            .security_groups
            .values()
            .find(|g| g.name == self.name)
        else {
            return Verdict::unmet(format!(
                "there is no security group {} in {}",
                self.name,
                region.name()
            ));
        };
        let ok = self.inbound_rules.is_none_or(|n| group.ingress.len() == n)
            && self.outbound_rules.is_none_or(|n| group.egress.len() == n);
        let reason = format!(
            "{} ({}) has {} inbound and {} outbound rule{}",
            group.id,
            group.name,
            group.ingress.len(),
            group.egress.len(),
            if group.egress.len() == 1 { "" } else { "s" }
        );
        Verdict { met: ok, reason }
    }
}

fn covers(ports: Option<(i32, i32)>, port: i32) -> bool {
    ports.is_none_or(|(from, to)| from == -1 || (from <= port && port <= to))
}

impl RuleCheck {
    fn matches(&self, region: &RegionState, rule: &SecurityGroupRule) -> bool {
        let Some(protocol) = IpProtocol::parse(&self.protocol) else {
            return false;
        };
        let protocol_ok = rule.protocol == protocol || rule.protocol == IpProtocol::All;
        let port_ok = self
            .port
            .is_none_or(|p| rule.protocol == IpProtocol::All || covers(rule.ports, p));
        let peer_ok = match (&self.cidr, &self.source_group) {
            (Some(cidr), _) => match (&rule.peer, cidr.parse::<ipnet::Ipv4Net>()) {
                (RulePeer::Cidr(net), Ok(want)) => net.trunc() == want.trunc(),
                _ => false,
            },
            (None, Some(name)) => match &rule.peer {
                RulePeer::SecurityGroup(id) => region
                    .security_groups
                    .get(id)
                    .is_some_and(|g| g.name == *name),
                _ => false,
            },
            (None, None) => true,
        };
        protocol_ok && port_ok && peer_ok
    }

    fn evaluate(&self, region: &RegionState) -> Verdict {
        let Some(group) = region
            .security_groups
            .values()
            .find(|g| g.name == self.group)
        else {
            return Verdict::unmet(format!(
                "there is no security group {} in {}",
                self.group,
                region.name()
            ));
        };
        let rules = match self.direction {
            Way::Inbound => &group.ingress,
            Way::Outbound => &group.egress,
        };
        match rules.iter().find(|r| self.matches(region, r)) {
            Some(rule) => Verdict::met(format!(
                "{} has {}",
                group.name,
                describe_rule(region, rule)
            )),
            None => Verdict::unmet(format!(
                "{} has {} {} rule{}, none of them this one",
                group.name,
                rules.len(),
                self.direction,
                if rules.len() == 1 { "" } else { "s" }
            )),
        }
    }
}

fn describe_rule(region: &RegionState, rule: &SecurityGroupRule) -> String {
    let ports = match rule.ports {
        None | Some((-1, _)) => "all".to_owned(),
        Some((a, b)) if a == b => a.to_string(),
        Some((a, b)) => format!("{a}-{b}"),
    };
    let peer = match &rule.peer {
        RulePeer::Cidr(net) => net.to_string(),
        RulePeer::Ipv6Cidr(net) => net.to_string(),
        RulePeer::SecurityGroup(id) => region
            .security_groups
            .get(id)
            .map_or_else(|| id.to_string(), |g| g.name.clone()),
        RulePeer::PrefixList(id) => id.to_string(),
    };
    format!("{} {ports} {peer}", rule.protocol)
}

fn subnet_acl<'r>(
    region: &'r RegionState,
    name: &str,
) -> Result<&'r ec2lab_sim::NetworkAcl, Verdict> {
    let subnet = region
        .subnets
        .values()
        .find(|s| s.tags.name() == Some(name))
        .ok_or_else(|| Verdict::unmet(format!("there is no subnet {name} in {}", region.name())))?;
    region
        .network_acl_of(&subnet.id)
        .ok_or_else(|| Verdict::unmet(format!("subnet {name} has no network ACL")))
}

impl AclCheck {
    fn evaluate(&self, region: &RegionState) -> Verdict {
        let acl = match subnet_acl(region, &self.subnet) {
            Ok(acl) => acl,
            Err(v) => return v,
        };
        let kind = if acl.is_default {
            "the default"
        } else {
            "a custom"
        };
        Verdict {
            met: acl.is_default == self.default,
            reason: format!("{} uses {kind} network ACL, {}", self.subnet, acl.id),
        }
    }
}

impl AclEntryCheck {
    fn evaluate(&self, region: &RegionState) -> Verdict {
        let acl = match subnet_acl(region, &self.subnet) {
            Ok(acl) => acl,
            Err(v) => return v,
        };
        let egress = self.direction == Way::Outbound;
        let protocol = self.protocol.as_deref().map(IpProtocol::parse);
        let found = acl
            .entries
            .iter()
            .filter(|e| !e.is_default_deny())
            .find(|e| {
                let action = match self.action {
                    Action::Allow => ec2lab_sim::RuleAction::Allow,
                    Action::Deny => ec2lab_sim::RuleAction::Deny,
                };
                e.egress == egress
                    && e.action == action
                    && self.rule_number.is_none_or(|n| e.rule_number == n)
                    && protocol.is_none_or(|p| p == Some(e.protocol))
                    && self.port.is_none_or(|p| {
                        e.protocol == IpProtocol::All
                            || e.port_range.is_some_and(|(a, b)| a <= p && p <= b)
                    })
                    && self.cidr.as_ref().is_none_or(|c| {
                        c.parse::<ipnet::IpNet>()
                            .is_ok_and(|want| want.trunc() == e.cidr_block.trunc())
                    })
            });
        match found {
            Some(e) => Verdict::met(format!(
                "{} has {} rule {}",
                acl.id, self.direction, e.rule_number
            )),
            None => Verdict::unmet(format!("{} has no such {} entry", acl.id, self.direction)),
        }
    }
}

/// `TCP port 80`, `ping (ICMP echo request)`, `UDP port 53`.
fn traffic(protocol: &str, port: Option<u16>) -> String {
    match (protocol.to_ascii_lowercase().as_str(), port) {
        ("icmp", _) => "a ping (ICMP echo request)".to_owned(),
        (p, Some(port)) => format!("{} port {port}", p.to_ascii_uppercase()),
        (p, None) => format!("protocol {p}"),
    }
}

fn endpoint(text: &str) -> String {
    match text.strip_prefix("internet:") {
        Some(ip) => format!("the internet ({ip})"),
        None => text.to_owned(),
    }
}

impl fmt::Display for Predicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flow(c) => {
                write!(
                    f,
                    "{} from {} to {}",
                    traffic(&c.protocol, c.port),
                    endpoint(&c.from),
                    endpoint(&c.to)
                )?;
                if let Some(p) = c.src_port {
                    write!(f, " (client port {p})")?;
                }
                match c.expect {
                    FlowExpect::Delivered => f.write_str(" gets through, request and reply")?,
                    FlowExpect::Blocked => match c.by {
                        Some(by) => write!(f, " is blocked by {}", by.words())?,
                        None => f.write_str(" is blocked")?,
                    },
                    FlowExpect::Served => f.write_str(" is answered by a service")?,
                    FlowExpect::Refused => {
                        f.write_str(" arrives but is refused: nothing listens")?;
                    }
                }
                if let Some(text) = &c.page_contains {
                    write!(f, " whose page contains \"{text}\"")?;
                }
                f.write_str(&region_suffix(&c.region))
            }
            Self::Instance(c) => {
                let props = c.props();
                write!(
                    f,
                    "{}{}",
                    phrase("instance", "instances", c.count, &props),
                    region_suffix(&c.region)
                )
            }
            Self::Volume(c) => {
                let props = c.props();
                write!(
                    f,
                    "{}{}",
                    phrase("EBS volume", "EBS volumes", c.count, &props),
                    region_suffix(&c.region)
                )
            }
            Self::Snapshot(c) => {
                let props = c.props();
                write!(
                    f,
                    "{}{}",
                    phrase("snapshot", "snapshots", c.count, &props),
                    region_suffix(&c.region)
                )
            }
            Self::Image(c) => {
                let props = c.props();
                write!(
                    f,
                    "{}{}",
                    phrase("AMI of yours", "AMIs of yours", c.count, &props),
                    region_suffix(&c.region)
                )
            }
            Self::SecurityGroup(c) => {
                write!(f, "security group {} exists", c.name)?;
                let mut parts = Vec::new();
                if let Some(n) = c.inbound_rules {
                    parts.push(rules_text(n, "inbound"));
                }
                if let Some(n) = c.outbound_rules {
                    parts.push(rules_text(n, "outbound"));
                }
                if !parts.is_empty() {
                    write!(f, " with {}", parts.join(" and "))?;
                }
                f.write_str(&region_suffix(&c.region))
            }
            Self::SecurityGroupRule(c) => {
                let what = match (c.protocol.as_str(), c.port) {
                    ("-1" | "all", _) => "all traffic".to_owned(),
                    (p, port) => traffic(p, port.and_then(|p| u16::try_from(p).ok())),
                };
                let peer = match (&c.cidr, &c.source_group) {
                    (Some(cidr), _) => cidr.clone(),
                    (None, Some(g)) => format!("security group {g}"),
                    (None, None) => "anywhere".to_owned(),
                };
                let way = match c.direction {
                    Way::Inbound => "from",
                    Way::Outbound => "to",
                };
                write!(
                    f,
                    "security group {} has an {} rule allowing {what} {way} {peer}{}",
                    c.group,
                    c.direction,
                    region_suffix(&c.region)
                )
            }
            Self::NetworkAcl(c) => write!(
                f,
                "subnet {} uses {} network ACL{}",
                c.subnet,
                if c.default {
                    "the VPC's default"
                } else {
                    "a custom"
                },
                region_suffix(&c.region)
            ),
            Self::NetworkAclEntry(c) => {
                write!(
                    f,
                    "the network ACL of subnet {} has an {} ",
                    c.subnet, c.direction
                )?;
                f.write_str(match c.action {
                    Action::Allow => "allow",
                    Action::Deny => "deny",
                })?;
                f.write_str(" entry")?;
                if let Some(n) = c.rule_number {
                    write!(f, " numbered {n}")?;
                }
                if let Some(p) = &c.protocol {
                    write!(f, " for protocol {p}")?;
                }
                if let Some(p) = c.port {
                    write!(f, " covering port {p}")?;
                }
                if let Some(cidr) = &c.cidr {
                    let way = match c.direction {
                        Way::Inbound => "from",
                        Way::Outbound => "to",
                    };
                    write!(f, " {way} {cidr}")?;
                }
                f.write_str(&region_suffix(&c.region))
            }
            Self::File(c) => {
                write!(f, "the file {} on {}", c.path, c.instance)?;
                match (&c.equals, &c.contains) {
                    (Some(e), _) => write!(f, " holds exactly \"{}\"", e.replace('\n', "\\n"))?,
                    (None, Some(s)) => write!(f, " contains \"{s}\"")?,
                    (None, None) => f.write_str(" exists")?,
                }
                f.write_str(&region_suffix(&c.region))
            }
            Self::Bill(c) => {
                write!(f, "{} has been billed", c.instance)?;
                match (c.at_least_seconds, c.at_most_seconds) {
                    (Some(a), Some(b)) => write!(f, " between {a} and {b} seconds")?,
                    (Some(a), None) => write!(f, " at least {a} seconds")?,
                    (None, Some(b)) => write!(f, " at most {b} seconds")?,
                    (None, None) => f.write_str(" something")?,
                }
                f.write_str(&region_suffix(&c.region))
            }
            Self::EncryptionByDefault(c) => write!(
                f,
                "EBS encryption by default is {} in {}",
                if c.enabled { "on" } else { "off" },
                c.region.as_deref().unwrap_or("this Region")
            ),
            Self::LaunchTemplate(c) => {
                write!(f, "launch template {} exists", c.name)?;
                if let Some(n) = c.versions_at_least {
                    write!(f, " with at least {n} versions")?;
                }
                if let Some(v) = c.default_version {
                    write!(
                        f,
                        "{} default version {v}",
                        if c.versions_at_least.is_some() {
                            " and"
                        } else {
                            " with"
                        }
                    )?;
                }
                f.write_str(&region_suffix(&c.region))
            }
            Self::ImageBuild(c) => {
                match c.at_least.filter(|n| *n > 1) {
                    Some(n) => write!(
                        f,
                        "at least {n} Image Builder builds of recipe {} {}",
                        c.recipe_text(),
                        match c.status {
                            BuildOutcome::Available => "are available, and so are their AMIs",
                            BuildOutcome::Failed => "have failed",
                        }
                    )?,
                    None => write!(
                        f,
                        "an Image Builder build of recipe {} {}",
                        c.recipe_text(),
                        match c.status {
                            BuildOutcome::Available => "is available, and so is the AMI it made",
                            BuildOutcome::Failed => "has failed",
                        }
                    )?,
                }
                f.write_str(&region_suffix(&c.region))
            }
            Self::All { of } => {
                f.write_str("all of: ")?;
                let parts: Vec<String> = of.iter().map(ToString::to_string).collect();
                f.write_str(&parts.join("; "))
            }
            Self::Any { of } => {
                f.write_str("any of: ")?;
                let parts: Vec<String> = of.iter().map(ToString::to_string).collect();
                f.write_str(&parts.join("; "))
            }
            Self::Not { goal } => write!(f, "not: {goal}"),
        }
    }
}
