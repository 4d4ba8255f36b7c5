//! Generated labs: large, varied, reproducible accounts for tests and benchmarks.
//!
//! [`generated_lab`] builds one VPC (10.0.0.0/16 in us-east-1) with an
//! internet gateway, `/24` subnets spread over three Availability Zones (some
//! public, routing 0.0.0.0/0 to the gateway, C3; the rest private), custom
//! network ACLs with a mix of allow and deny entries (B4, B8) on some of the
//! subnets while the others keep the default ACL (B1, B2), security groups
//! whose inbound rules name CIDR blocks inside and outside the VPC, the group
//! itself and other groups (A7, A8), and instances with one to three groups
//! each (A11). It goes through [`World::apply`] like a learner would, so the
//! lab obeys every rule the commands enforce.
//!
//! The same [`LabSpec`] always gives the same account: choices come from a
//! small SplitMix64 generator seeded with [`LabSpec::seed`], never from the
//! system, so the core stays deterministic.

use ipnet::Ipv4Net;

use crate::command::{Command, Response};
use crate::default_lab::DEFAULT_REGION;
use crate::error::ApiError;
use crate::ids::{NetworkAclId, SecurityGroupId, SubnetId};
use crate::image::PUBLIC_IMAGES;
use crate::network_acl::{NetworkAclEntry, RuleAction, MAX_RULE_NUMBER};
use crate::security_group::{IpProtocol, RulePeer, SecurityGroup, SecurityGroupRule};
use crate::tags::Tags;
use crate::world::{World, RULES_PER_SECURITY_GROUP, SECURITY_GROUPS_PER_INTERFACE};

/// What to generate. Counts beyond what one /16 VPC can hold are clamped:
/// at most 256 `/24` subnets, 251 instances per subnet (C4: five addresses
/// of each subnet are reserved) and 60 inbound rules per group (A11).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LabSpec {
    /// Seeds every random choice: the same spec always gives the same lab.
    pub seed: u64,
    /// How many `/24` subnets (1 to 256), spread over three AZs.
    pub subnets: usize,
    /// How many custom network ACLs. Each is associated with at least one
    /// subnet while there are subnets enough; the other subnets keep the
    /// VPC's default ACL.
    pub acls: usize,
    /// Entries per custom network ACL, inbound and outbound together (the
    /// `*` entries not counted).
    pub acl_entries: usize,
    /// How many security groups, besides the VPC's `default` group.
    pub groups: usize,
    /// Inbound rules per security group (at most 60, A11).
    pub group_rules: usize,
    /// How many instances; all of them end up `running`.
    pub instances: usize,
}

impl LabSpec {
    /// The lab the network benchmark measures: 500 instances, 100 security
    /// groups of 20 inbound rules, 20 custom network ACLs of 20 entries, on
    /// 40 `/24` subnets over three AZs.
    pub fn benchmark() -> Self {
        Self {
            seed: 2024,
            subnets: 40,
            acls: 20,
            acl_entries: 20,
            groups: 100,
            group_rules: 20,
            instances: 500,
        }
    }

    /// A small lab for tests: a handful of everything.
    pub fn small(seed: u64, instances: usize) -> Self {
        Self {
            seed,
            subnets: 4,
            acls: 2,
            acl_entries: 10,
            groups: 5,
            group_rules: 6,
            instances,
        }
    }
}

/// Builds the lab a [`LabSpec`] describes, in us-east-1 ([`DEFAULT_REGION`]).
pub fn generated_lab(spec: &LabSpec) -> World {
    // Every command below is built valid by construction (the counts are
    // clamped to what the VPC can hold) and the tests build many specs, so a
    // failure here is a bug in this generator, not bad input.
    build(spec).expect("the generator only issues valid commands")
}

/// SplitMix64 (Steele, Lea and Flood, 2014): tiny, fast and good enough to
/// vary a lab; seeded, so the lab is reproducible.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0). The modulo bias is far too small
    /// to matter for a lab.
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// `true` with the given percentage.
    fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// The subnets of the generated VPC: `10.0.k.0/24`.
fn subnet_block(index: usize) -> Ipv4Net {
    Ipv4Net::new(std::net::Ipv4Addr::new(10, 0, index as u8, 0), 24).unwrap_or_default()
}

fn cidr(text: &str) -> Ipv4Net {
    text.parse().unwrap_or_default()
}

fn build(spec: &LabSpec) -> Result<World, ApiError> {
    let mut rng = SplitMix64(spec.seed);
    let subnet_count = spec.subnets.clamp(1, 256);
    let instance_count = spec.instances.min(subnet_count * 251);
    let rules_per_group = spec.group_rules.min(RULES_PER_SECURITY_GROUP);
    let entries_per_acl = spec.acl_entries.min(2 * 1000);

    let mut world = World::new();
    let run = |world: &mut World, command: Command| world.apply(DEFAULT_REGION, command);

    let Response::Vpc(vpc) = run(
        &mut world,
        Command::CreateVpc {
            cidr_block: "10.0.0.0/16".into(),
            tags: Tags::named("generated-vpc"),
        },
    )?
    else {
        return Err(unexpected());
    };
    let Response::InternetGateway(igw) = run(
        &mut world,
        Command::CreateInternetGateway {
            tags: Tags::named("generated-igw"),
        },
    )?
    else {
        return Err(unexpected());
    };
    run(
        &mut world,
        Command::AttachInternetGateway {
            internet_gateway_id: igw.clone(),
            vpc_id: vpc.clone(),
        },
    )?;
    let Response::RouteTable(public_rt) = run(
        &mut world,
        Command::CreateRouteTable {
            vpc_id: vpc.clone(),
            tags: Tags::named("public-rt"),
        },
    )?
    else {
        return Err(unexpected());
    };
    // C3: a public subnet's route table sends 0.0.0.0/0 to the internet gateway.
    run(
        &mut world,
        Command::CreateRoute {
            route_table_id: public_rt.clone(),
            destination_cidr_block: "0.0.0.0/0".into(),
            gateway_id: igw,
        },
    )?;

    // Subnets: the first is public, then about two in five; three AZs in turn.
    let zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let mut subnets: Vec<SubnetId> = Vec::with_capacity(subnet_count);
    for index in 0..subnet_count {
        let public = index == 0 || rng.chance(40);
        let name = format!(
            "{}-{:02}",
            if public { "public" } else { "private" },
            index + 1
        );
        let Response::Subnet(id) = run(
            &mut world,
            Command::CreateSubnet {
                vpc_id: vpc.clone(),
                cidr_block: subnet_block(index).to_string(),
                availability_zone: zones[index % zones.len()].into(),
                tags: Tags::named(&name),
            },
        )?
        else {
            return Err(unexpected());
        };
        if public {
            run(
                &mut world,
                Command::ModifySubnetAttribute {
                    subnet_id: id.clone(),
                    map_public_ip_on_launch: true,
                },
            )?;
            run(
                &mut world,
                Command::AssociateRouteTable {
                    route_table_id: public_rt.clone(),
                    subnet_id: id.clone(),
                },
            )?;
        }
        subnets.push(id);
    }

    // Custom network ACLs (B3: each starts denying everything).
    let mut acls: Vec<NetworkAclId> = Vec::with_capacity(spec.acls);
    for index in 0..spec.acls {
        let Response::NetworkAcl(acl) = run(
            &mut world,
            Command::CreateNetworkAcl {
                vpc_id: vpc.clone(),
                tags: Tags::named(&format!("nacl-{:02}", index + 1)),
            },
        )?
        else {
            return Err(unexpected());
        };
        let inbound = entries_per_acl.div_ceil(2);
        for egress in [false, true] {
            let count = if egress {
                entries_per_acl - inbound
            } else {
                inbound
            };
            for entry in acl_entries(&mut rng, egress, count, subnet_count) {
                run(
                    &mut world,
                    Command::CreateNetworkAclEntry {
                        network_acl_id: acl.clone(),
                        entry,
                    },
                )?;
            }
        }
        acls.push(acl);
    }
    // B1: each custom ACL takes one subnet while subnets last (in a shuffled
    // order); a third of the remaining subnets take a random custom ACL too,
    // and the rest keep the default ACL.
    if !acls.is_empty() {
        let mut order: Vec<usize> = (0..subnet_count).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for (position, subnet_index) in order.into_iter().enumerate() {
            let acl = if position < acls.len() {
                acls[position].clone()
            } else if rng.chance(33) {
                acls[rng.below(acls.len())].clone()
            } else {
                continue;
            };
            let subnet = &subnets[subnet_index];
            let association = world
                .region(DEFAULT_REGION)
                .and_then(|region| region.network_acl_of(subnet))
                .and_then(|current| {
                    current
                        .associations
                        .iter()
                        .find(|(_, s)| s == subnet)
                        .map(|(id, _)| id.clone())
                })
                .ok_or_else(unexpected)?;
            run(
                &mut world,
                Command::ReplaceNetworkAclAssociation {
                    association_id: association,
                    network_acl_id: acl,
                },
            )?;
        }
    }

    // Security groups: created first, so that rules can reference any of them.
    let mut groups: Vec<SecurityGroupId> = Vec::with_capacity(spec.groups);
    for index in 0..spec.groups {
        let name = format!("group-{:02}", index + 1);
        let Response::SecurityGroup(id) = run(
            &mut world,
            Command::CreateSecurityGroup {
                group_name: name.clone(),
                description: format!("Generated group {}", index + 1),
                vpc_id: vpc.clone(),
                tags: Tags::named(&name),
            },
        )?
        else {
            return Err(unexpected());
        };
        groups.push(id);
    }
    for (index, group) in groups.iter().enumerate() {
        let rules = inbound_rules(&mut rng, index, &groups, rules_per_group, subnet_count);
        if !rules.is_empty() {
            run(
                &mut world,
                Command::AuthorizeSecurityGroupIngress {
                    group_id: group.clone(),
                    rules,
                },
            )?;
        }
        // One group in five trades the default allow-all outbound rule (A4)
        // for a few narrower ones, so replies and tracking (A3, A13) vary.
        if rng.chance(20) {
            run(
                &mut world,
                Command::RevokeSecurityGroupRules {
                    group_id: group.clone(),
                    egress: true,
                    rules: vec![SecurityGroup::allow_all_outbound()],
                },
            )?;
            let rules = outbound_rules(&mut rng, index, &groups);
            run(
                &mut world,
                Command::AuthorizeSecurityGroupEgress {
                    group_id: group.clone(),
                    rules,
                },
            )?;
        }
    }

    // Instances: a random subnet with room, one to three groups each (A11
    // allows five), sometimes with the VPC's default group among them (A6).
    let default_group = world
        .region(DEFAULT_REGION)
        .and_then(|region| region.vpcs.get(&vpc))
        .map(|v| v.default_security_group.clone())
        .ok_or_else(unexpected)?;
    let image = PUBLIC_IMAGES[0].id_in(DEFAULT_REGION);
    let mut used = vec![0usize; subnet_count];
    let width = instance_count.to_string().len().max(2);
    for index in 0..instance_count {
        let mut subnet_index = rng.below(subnet_count);
        while used[subnet_index] >= 251 {
            subnet_index = (subnet_index + 1) % subnet_count;
        }
        used[subnet_index] += 1;
        let mut chosen: Vec<SecurityGroupId> = Vec::new();
        if !groups.is_empty() {
            let wanted = 1 + rng.below(3);
            for _ in 0..wanted {
                let group = &groups[rng.below(groups.len())];
                if !chosen.contains(group) {
                    chosen.push(group.clone());
                }
            }
        }
        if groups.is_empty() || rng.chance(10) {
            chosen.push(default_group.clone());
        }
        chosen.truncate(SECURITY_GROUPS_PER_INTERFACE);
        run(
            &mut world,
            Command::RunInstances(Box::new(crate::command::RunInstances {
                image_id: image.clone(),
                instance_type: "t3.micro".into(),
                subnet_id: subnets[subnet_index].clone(),
                security_group_ids: chosen,
                count: 1,
                tags: Tags::named(&format!("host-{:0width$}", index + 1)),
                ..crate::command::RunInstances::default()
            })),
        )?;
    }
    // D9: EBS-backed instances boot in under a minute; let them finish.
    run(&mut world, Command::AdvanceTime { seconds: 60 })?;
    Ok(world)
}

/// Ports people open, for rules and ACL entries.
const SERVICE_PORTS: [u16; 10] = [22, 25, 53, 80, 443, 3306, 5432, 6379, 8080, 9200];

/// A CIDR block a rule may name: inside the VPC (a subnet, a /20, the whole
/// VPC, one host) or outside it (documentation ranges, or everyone).
fn some_cidr(rng: &mut SplitMix64, subnet_count: usize) -> Ipv4Net {
    let subnet = rng.below(subnet_count) as u8;
    match rng.below(8) {
        0 | 1 => subnet_block(subnet as usize),
        2 => Ipv4Net::new(std::net::Ipv4Addr::new(10, 0, subnet & 0xF0, 0), 20).unwrap_or_default(),
        3 => cidr("10.0.0.0/16"),
        4 => Ipv4Net::new(
            std::net::Ipv4Addr::new(10, 0, subnet, 4 + rng.below(8) as u8),
            32,
        )
        .unwrap_or_default(),
        5 => cidr("203.0.113.0/24"),
        6 => cidr("198.51.100.0/24"),
        _ => cidr("0.0.0.0/0"),
    }
}

/// An ACL entry before it has a number: action, protocol, block, ports,
/// ICMP type and code.
type DraftEntry = (
    RuleAction,
    IpProtocol,
    Ipv4Net,
    Option<(u16, u16)>,
    Option<(i32, i32)>,
);

/// `count` entries of one direction of a custom ACL, numbered upwards so
/// that the order they are made in is the order they are evaluated in (B4).
fn acl_entries(
    rng: &mut SplitMix64,
    egress: bool,
    count: usize,
    subnet_count: usize,
) -> Vec<NetworkAclEntry> {
    let mut entries: Vec<NetworkAclEntry> = Vec::with_capacity(count);
    let mut number: u16 = 1 + rng.below(20) as u16;
    let entry = |rule_number: u16,
                 action: RuleAction,
                 protocol: IpProtocol,
                 cidr_block: Ipv4Net,
                 port_range: Option<(u16, u16)>,
                 icmp_type_code: Option<(i32, i32)>| NetworkAclEntry {
        rule_number,
        egress,
        protocol,
        action,
        cidr_block: cidr_block.into(),
        port_range,
        icmp_type_code,
    };
    while entries.len() < count {
        let port = rng.pick(&SERVICE_PORTS);
        let block = some_cidr(rng, subnet_count);
        let tcp_or_udp = if rng.chance(75) {
            IpProtocol::Tcp
        } else {
            IpProtocol::Udp
        };
        let mut batch: Vec<DraftEntry> = Vec::new();
        match rng.below(12) {
            // B4: a deny for one port inside a wider allow comes first.
            0 | 1 => {
                let wide = rng.pick(&[(0, 65535), (0, 1023), (1, 10000)]);
                let everyone = cidr(rng.pick(&["10.0.0.0/16", "0.0.0.0/0"]));
                batch.push((
                    RuleAction::Deny,
                    tcp_or_udp,
                    block,
                    Some((port, port)),
                    None,
                ));
                batch.push((RuleAction::Allow, tcp_or_udp, everyone, Some(wide), None));
            }
            // B5, B6: replies come back on ephemeral ports.
            2 => batch.push((
                RuleAction::Allow,
                IpProtocol::Tcp,
                cidr("0.0.0.0/0"),
                Some((1024, 65535)),
                None,
            )),
            3 => batch.push((
                RuleAction::Allow,
                tcp_or_udp,
                cidr("0.0.0.0/0"),
                Some((32768, 65535)),
                None,
            )),
            // A service port from some block.
            4 | 5 => batch.push((
                RuleAction::Allow,
                tcp_or_udp,
                block,
                Some((port, port)),
                None,
            )),
            // Everything inside the VPC, or from one part of it.
            6 => batch.push((
                RuleAction::Allow,
                IpProtocol::All,
                cidr("10.0.0.0/16"),
                None,
                None,
            )),
            7 => batch.push((RuleAction::Allow, IpProtocol::All, block, None, None)),
            // A block denied outright.
            8 => batch.push((RuleAction::Deny, IpProtocol::All, block, None, None)),
            // Ping: echo request (8) or echo reply (0), or every ICMP type.
            9 => {
                let icmp_type = rng.pick(&[-1, 0, 8]);
                batch.push((
                    RuleAction::Allow,
                    IpProtocol::Icmp,
                    block,
                    None,
                    Some((icmp_type, -1)),
                ));
            }
            // A range of ports, allowed or denied.
            10 => {
                let from = rng.pick(&[0u16, 1024, 3000, 8000, 40000]);
                let to = from.saturating_add(rng.pick(&[0u16, 100, 1000, 20000]));
                let action = if rng.chance(30) {
                    RuleAction::Deny
                } else {
                    RuleAction::Allow
                };
                batch.push((action, tcp_or_udp, block, Some((from, to)), None));
            }
            // Another protocol (GRE, 47): it has no ports to name (B8).
            _ => batch.push((
                RuleAction::Allow,
                IpProtocol::Number(47),
                block,
                Some((1, 1)),
                None,
            )),
        }
        for (action, protocol, block, ports, icmp) in batch {
            if entries.len() >= count || number > MAX_RULE_NUMBER {
                break;
            }
            // B8: a port range only means something for TCP and UDP.
            let ports = if matches!(protocol, IpProtocol::Tcp | IpProtocol::Udp) {
                ports
            } else {
                None
            };
            entries.push(entry(number, action, protocol, block, ports, icmp));
            number = number.saturating_add(1 + rng.below(15) as u16);
        }
        if number > MAX_RULE_NUMBER {
            break;
        }
    }
    entries
}

/// The inbound rules of group `index`: CIDR rules, references to the group
/// itself and to other groups, and now and then a rule open to 0.0.0.0/0 (so
/// some flows are untracked, A13). No two rules allow the same thing (A7).
fn inbound_rules(
    rng: &mut SplitMix64,
    index: usize,
    groups: &[SecurityGroupId],
    count: usize,
    subnet_count: usize,
) -> Vec<SecurityGroupRule> {
    let mut rules: Vec<SecurityGroupRule> = Vec::with_capacity(count);
    let mut attempts = 0;
    while rules.len() < count && attempts < 50 * count + 50 {
        attempts += 1;
        let port = i32::from(rng.pick(&SERVICE_PORTS));
        let (protocol, ports) = match rng.below(10) {
            0..=5 => (IpProtocol::Tcp, Some((port, port))),
            6 => (IpProtocol::Tcp, Some((8000, 8999))),
            7 => (IpProtocol::Udp, Some((port, port))),
            8 => (IpProtocol::Icmp, Some((rng.pick(&[-1, 8]), -1))),
            _ => (IpProtocol::All, None),
        };
        let peer = match rng.below(10) {
            // A8: the group itself, or another group.
            0 | 1 => RulePeer::SecurityGroup(groups[index].clone()),
            2..=4 => RulePeer::SecurityGroup(groups[rng.below(groups.len())].clone()),
            // A13: open to everyone, mostly on web ports.
            5 => RulePeer::Cidr(Ipv4Net::default()),
            _ => RulePeer::Cidr(some_cidr(rng, subnet_count)),
        };
        let (protocol, ports) = match (&peer, protocol) {
            (RulePeer::Cidr(net), IpProtocol::All) if net.prefix_len() == 0 => {
                let web = rng.pick(&[80, 443]);
                (IpProtocol::Tcp, Some((web, web)))
            }
            _ => (protocol, ports),
        };
        let rule = SecurityGroupRule {
            protocol,
            ports,
            peer,
            description: None,
        };
        if !rules.iter().any(|r| r.same_permission(&rule)) {
            rules.push(rule);
        }
    }
    rules
}

/// A few narrower outbound rules for a group that gave up allow-all (A4).
fn outbound_rules(
    rng: &mut SplitMix64,
    index: usize,
    groups: &[SecurityGroupId],
) -> Vec<SecurityGroupRule> {
    let rule = |protocol, ports, peer| SecurityGroupRule {
        protocol,
        ports,
        peer,
        description: None,
    };
    let everyone = || RulePeer::Cidr(Ipv4Net::default());
    let mut rules = vec![
        rule(IpProtocol::Tcp, Some((443, 443)), everyone()),
        rule(IpProtocol::Udp, Some((53, 53)), everyone()),
    ];
    let extra = [
        rule(IpProtocol::Tcp, Some((80, 80)), everyone()),
        rule(
            IpProtocol::Tcp,
            Some((1024, 65535)),
            RulePeer::Cidr(cidr("10.0.0.0/16")),
        ),
        rule(
            IpProtocol::All,
            None,
            RulePeer::SecurityGroup(groups[index].clone()),
        ),
        rule(
            IpProtocol::Tcp,
            Some((3306, 3306)),
            RulePeer::SecurityGroup(groups[rng.below(groups.len())].clone()),
        ),
        rule(
            IpProtocol::Icmp,
            Some((8, -1)),
            RulePeer::Cidr(cidr("10.0.0.0/16")),
        ),
    ];
    for candidate in extra {
        if rng.chance(50) && !rules.iter().any(|r| r.same_permission(&candidate)) {
            rules.push(candidate);
        }
    }
    rules
}

fn unexpected() -> ApiError {
    ApiError::new(
        "InternalError",
        "the lab generator got an unexpected response",
    )
}
