//! Properties of the network engine, checked on random inputs.
//!
//! - A network ACL decides like the rules of `aws-behaviour.md` say, read
//!   literally (B4: lowest rule number first, first match wins, the `*`
//!   entry denies; B8: inbound entries match the source, outbound the
//!   destination, IPv4 and IPv6 apart, ports only for TCP and UDP, ICMP by
//!   type and code), written here from scratch as a reference model.
//! - Security group verdicts do not depend on the order of rules or of the
//!   groups on an interface (A2, A9).
//! - The reachability matrix agrees with the trace on random generated labs.

#![cfg(not(target_arch = "wasm32"))]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ec2lab_sim::{
    generated_lab, reachability_matrix, Command, Flow, IpProtocol, LabSpec, NetworkAcl,
    NetworkAclEntry, NetworkAclId, Packet, RegionState, Response, RuleAction, RulePeer,
    SecurityGroupId, SecurityGroupRule, Source, Tags, Transport, VpcId, World, DEFAULT_REGION,
    PUBLIC_IMAGES,
};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use proptest::prelude::*;

/// A modest number of cases keeps the suite fast; a failure prints its
/// minimal input and writes no file into the source tree.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// (a) Network ACLs against a reference model.

/// Addresses come from a small pool, so that blocks and packets often meet.
fn ipv4() -> impl Strategy<Value = Ipv4Addr> {
    (0u8..3, 0u8..3, 0u8..6).prop_map(|(a, b, c)| Ipv4Addr::new(10, a, b, c))
}

fn ipv6() -> impl Strategy<Value = Ipv6Addr> {
    (0u16..3, 0u16..6).prop_map(|(a, b)| Ipv6Addr::new(0x2001, 0xdb8, a, 0, 0, 0, 0, b))
}

fn block() -> impl Strategy<Value = IpNet> {
    prop_oneof![
        (
            ipv4(),
            prop::sample::select(vec![0u8, 8, 16, 24, 30, 31, 32])
        )
            .prop_map(|(ip, len)| IpNet::V4(Ipv4Net::new(ip, len).expect("len").trunc())),
        (
            ipv6(),
            prop::sample::select(vec![0u8, 32, 48, 64, 126, 128])
        )
            .prop_map(|(ip, len)| IpNet::V6(Ipv6Net::new(ip, len).expect("len").trunc())),
    ]
}

fn port() -> impl Strategy<Value = u16> {
    prop::sample::select(vec![0u16, 1, 22, 53, 80, 443, 1024, 32768, 40000, 65535])
}

fn icmp_part() -> impl Strategy<Value = i32> {
    prop::sample::select(vec![-1i32, 0, 3, 4, 8, 128, 129])
}

/// The protocols an entry may name (B8): all, TCP, UDP, ICMP, ICMPv6, others.
fn protocol() -> impl Strategy<Value = IpProtocol> {
    prop::sample::select(vec![-1i16, 6, 17, 1, 58, 47, 50, 132])
        .prop_map(|n| u8::try_from(n).map_or(IpProtocol::All, IpProtocol::from_number))
}

fn entry() -> impl Strategy<Value = NetworkAclEntry> {
    (
        1u16..=32766,
        any::<bool>(),
        protocol(),
        any::<bool>(),
        block(),
        (port(), port()),
        proptest::option::of((icmp_part(), icmp_part())),
    )
        .prop_map(
            |(rule_number, egress, protocol, allow, cidr_block, (a, b), icmp)| {
                // B8: TCP and UDP entries always have a port range (the API
                // requires one); other protocols may carry any, unused.
                let port_range = Some((a.min(b), a.max(b)));
                NetworkAclEntry {
                    rule_number,
                    egress,
                    protocol,
                    action: if allow {
                        RuleAction::Allow
                    } else {
                        RuleAction::Deny
                    },
                    cidr_block,
                    port_range,
                    icmp_type_code: icmp,
                }
            },
        )
}

/// An ACL with unique rule numbers per direction, perhaps with its `*`
/// entries (an IPv4-only ACL has no IPv6 `*` entry, B3).
fn acl() -> impl Strategy<Value = NetworkAcl> {
    (
        prop::collection::vec(entry(), 0..14),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(drafts, star4, star6)| {
            let mut entries: Vec<NetworkAclEntry> = Vec::new();
            for draft in drafts {
                if !entries
                    .iter()
                    .any(|e| e.egress == draft.egress && e.rule_number == draft.rule_number)
                {
                    entries.push(draft);
                }
            }
            for egress in [false, true] {
                if star4 {
                    entries.push(NetworkAclEntry::default_deny(egress));
                }
                if star6 {
                    entries.push(NetworkAclEntry::default_deny_ipv6(egress));
                }
            }
            NetworkAcl {
                id: NetworkAclId::from("acl-0123456789abcdef0"),
                vpc_id: VpcId::from("vpc-0123456789abcdef0"),
                is_default: false,
                entries,
                associations: Vec::new(),
                tags: Tags::new(),
            }
        })
}

/// A packet whose transport fits its address family.
fn packet() -> impl Strategy<Value = Packet> {
    let transport = |v6: bool| {
        prop_oneof![
            (port(), port()).prop_map(|(src_port, dst_port)| Transport::Tcp { src_port, dst_port }),
            (port(), port()).prop_map(|(src_port, dst_port)| Transport::Udp { src_port, dst_port }),
            (
                prop::sample::select(vec![0u8, 3, 8, 11, 128, 129]),
                prop::sample::select(vec![0u8, 1, 4])
            )
                .prop_map(move |(icmp_type, icmp_code)| Transport::Icmp {
                    v6,
                    icmp_type,
                    icmp_code,
                }),
            prop::sample::select(vec![47u8, 50, 132]).prop_map(Transport::Other),
        ]
    };
    prop_oneof![
        (ipv4(), ipv4(), transport(false)).prop_map(|(src, dst, transport)| Packet {
            src: IpAddr::V4(src),
            dst: IpAddr::V4(dst),
            transport,
        }),
        (ipv6(), ipv6(), transport(true)).prop_map(|(src, dst, transport)| Packet {
            src: IpAddr::V6(src),
            dst: IpAddr::V6(dst),
            transport,
        }),
    ]
}

/// B8: whether a block holds an address, by masking; a block of one family
/// never holds an address of the other.
fn model_contains(block: IpNet, ip: IpAddr) -> bool {
    match (block, ip) {
        (IpNet::V4(net), IpAddr::V4(ip)) => {
            let len = u32::from(net.prefix_len());
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            u32::from(net.addr()) & mask == u32::from(ip) & mask
        }
        (IpNet::V6(net), IpAddr::V6(ip)) => {
            let len = u32::from(net.prefix_len());
            let mask = if len == 0 {
                0
            } else {
                u128::MAX << (128 - len)
            };
            u128::from(net.addr()) & mask == u128::from(ip) & mask
        }
        _ => false,
    }
}

/// B8: whether an entry's protocol, ports and ICMP type/code fit a packet.
fn model_protocol(entry: &NetworkAclEntry, transport: Transport) -> bool {
    let icmp_fits = |want: Option<(i32, i32)>, icmp_type: u8, icmp_code: u8| match want {
        None => true,
        Some((t, c)) => {
            (t == -1 || t == i32::from(icmp_type)) && (c == -1 || c == i32::from(icmp_code))
        }
    };
    match (entry.protocol, transport) {
        // "-1": every protocol, every port.
        (IpProtocol::All, _) => true,
        (IpProtocol::Tcp, Transport::Tcp { dst_port, .. })
        | (IpProtocol::Udp, Transport::Udp { dst_port, .. }) => entry
            .port_range
            .is_none_or(|(from, to)| from <= dst_port && dst_port <= to),
        (
            IpProtocol::Icmp,
            Transport::Icmp {
                v6: false,
                icmp_type,
                icmp_code,
            },
        ) => icmp_fits(entry.icmp_type_code, icmp_type, icmp_code),
        (
            IpProtocol::Icmpv6,
            Transport::Icmp {
                v6: true,
                icmp_type,
                icmp_code,
            },
        ) => {
            // "58" with an IPv4 block: every type and code.
            matches!(entry.cidr_block, IpNet::V4(_))
                || icmp_fits(entry.icmp_type_code, icmp_type, icmp_code)
        }
        // Any other number: that protocol, whatever ports are given.
        (IpProtocol::Number(n), transport) => {
            matches!(transport, Transport::Other(m) if m == n)
        }
        _ => false,
    }
}

/// B4: sort by rule number, take the first entry that matches; none
/// matching means the `*` entry's deny.
fn model_decide(acl: &NetworkAcl, egress: bool, packet: &Packet) -> Option<(u16, RuleAction)> {
    let mut entries: Vec<&NetworkAclEntry> =
        acl.entries.iter().filter(|e| e.egress == egress).collect();
    entries.sort_by_key(|e| e.rule_number);
    let peer = if egress { packet.dst } else { packet.src };
    entries
        .into_iter()
        .find(|e| model_contains(e.cidr_block, peer) && model_protocol(e, packet.transport))
        .map(|e| (e.rule_number, e.action))
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn network_acls_decide_as_b4_and_b8_say(
        acl in acl(),
        packets in prop::collection::vec(packet(), 1..12),
    ) {
        for packet in &packets {
            for egress in [false, true] {
                let decided = acl
                    .deciding_entry(egress, packet)
                    .map(|e| (e.rule_number, e.action));
                let expected = model_decide(&acl, egress, packet);
                prop_assert_eq!(decided, expected, "{} egress={}", packet, egress);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// (b) Security group rule order does not matter (A2, A9).

/// A rule before it knows the group ids: a protocol shape and a peer, a
/// CIDR block or one of the lab's groups by index.
#[derive(Clone, Debug)]
struct RuleDraft {
    protocol: IpProtocol,
    ports: Option<(i32, i32)>,
    peer: PeerDraft,
}

#[derive(Clone, Debug)]
enum PeerDraft {
    Cidr(&'static str),
    Group(usize),
}

#[derive(Clone, Debug)]
struct GroupDraft {
    inbound: Vec<RuleDraft>,
    /// `None` keeps the default allow-all outbound rule (A4).
    outbound: Option<Vec<RuleDraft>>,
}

#[derive(Clone, Debug)]
struct InstanceDraft {
    public_subnet: bool,
    groups: Vec<usize>,
}

#[derive(Clone, Debug)]
struct SmallLab {
    groups: Vec<GroupDraft>,
    instances: Vec<InstanceDraft>,
}

const GROUPS: usize = 3;

fn rule_draft() -> impl Strategy<Value = RuleDraft> {
    let shape = prop_oneof![
        (port(), port()).prop_map(|(a, b)| (
            IpProtocol::Tcp,
            Some((i32::from(a.min(b)), i32::from(a.max(b))))
        )),
        port().prop_map(|p| (IpProtocol::Tcp, Some((i32::from(p), i32::from(p))))),
        Just((IpProtocol::Tcp, Some((0, 65535)))),
        port().prop_map(|p| (IpProtocol::Udp, Some((i32::from(p), i32::from(p))))),
        Just((IpProtocol::Udp, Some((0, 65535)))),
        (icmp_part(), icmp_part()).prop_map(|(t, c)| (IpProtocol::Icmp, Some((t, c)))),
        Just((IpProtocol::All, None)),
        Just((IpProtocol::Number(47), None)),
    ];
    let peer = prop_oneof![
        prop::sample::select(vec![
            "0.0.0.0/0",
            "10.0.0.0/16",
            "10.0.1.0/24",
            "10.0.2.0/24",
            "10.0.1.4/32",
            "10.0.2.5/32",
            "203.0.113.0/24",
        ])
        .prop_map(PeerDraft::Cidr),
        (0..GROUPS).prop_map(PeerDraft::Group),
    ];
    (shape, peer).prop_map(|((protocol, ports), peer)| RuleDraft {
        protocol,
        ports,
        peer,
    })
}

fn small_lab() -> impl Strategy<Value = SmallLab> {
    let group = (
        prop::collection::vec(rule_draft(), 0..6),
        proptest::option::of(prop::collection::vec(rule_draft(), 0..4)),
    )
        .prop_map(|(inbound, outbound)| GroupDraft { inbound, outbound });
    let instance = (
        any::<bool>(),
        prop::collection::btree_set(0..GROUPS, 1..=GROUPS),
    )
        .prop_map(|(public_subnet, groups)| InstanceDraft {
            public_subnet,
            groups: groups.into_iter().collect(),
        });
    (
        prop::collection::vec(group, GROUPS),
        prop::collection::vec(instance, 2..5),
    )
        .prop_map(|(groups, instances)| SmallLab { groups, instances })
}

/// A seeded shuffle (Fisher-Yates over SplitMix64), so a case is replayable.
fn shuffle<T>(items: &mut [T], seed: &mut u64) {
    for i in (1..items.len()).rev() {
        *seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        items.swap(i, (z % (i as u64 + 1)) as usize);
    }
}

fn run(world: &mut World, command: Command) -> Response {
    world
        .apply(DEFAULT_REGION, command)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Builds the lab through commands; with a seed, every rule list and every
/// instance's group list is shuffled first. Both builds issue the same
/// commands in the same order, so they get the same ids.
fn build(lab: &SmallLab, shuffle_seed: Option<u64>) -> World {
    let mut seed = shuffle_seed.unwrap_or(0);
    let mut world = World::new();
    let Response::Vpc(vpc) = run(
        &mut world,
        Command::CreateVpc {
            cidr_block: "10.0.0.0/16".into(),
            tags: Tags::new(),
        },
    ) else {
        panic!("CreateVpc");
    };
    let Response::InternetGateway(igw) = run(
        &mut world,
        Command::CreateInternetGateway { tags: Tags::new() },
    ) else {
        panic!("CreateInternetGateway");
    };
    run(
        &mut world,
        Command::AttachInternetGateway {
            internet_gateway_id: igw.clone(),
            vpc_id: vpc.clone(),
        },
    );
    let Response::RouteTable(public_rt) = run(
        &mut world,
        Command::CreateRouteTable {
            vpc_id: vpc.clone(),
            tags: Tags::new(),
        },
    ) else {
        panic!("CreateRouteTable");
    };
    run(
        &mut world,
        Command::CreateRoute {
            route_table_id: public_rt.clone(),
            destination_cidr_block: "0.0.0.0/0".into(),
            gateway_id: igw,
        },
    );
    let mut subnets = Vec::new();
    for (cidr, public) in [("10.0.1.0/24", true), ("10.0.2.0/24", false)] {
        let Response::Subnet(subnet) = run(
            &mut world,
            Command::CreateSubnet {
                vpc_id: vpc.clone(),
                cidr_block: cidr.into(),
                availability_zone: "us-east-1a".into(),
                tags: Tags::new(),
            },
        ) else {
            panic!("CreateSubnet");
        };
        if public {
            run(
                &mut world,
                Command::ModifySubnetAttribute {
                    subnet_id: subnet.clone(),
                    map_public_ip_on_launch: true,
                },
            );
            run(
                &mut world,
                Command::AssociateRouteTable {
                    route_table_id: public_rt.clone(),
                    subnet_id: subnet.clone(),
                },
            );
        }
        subnets.push(subnet);
    }
    let mut groups: Vec<SecurityGroupId> = Vec::new();
    for index in 0..GROUPS {
        let Response::SecurityGroup(id) = run(
            &mut world,
            Command::CreateSecurityGroup {
                group_name: format!("group-{index}"),
                description: String::new(),
                vpc_id: vpc.clone(),
                tags: Tags::new(),
            },
        ) else {
            panic!("CreateSecurityGroup");
        };
        groups.push(id);
    }
    let rules = |drafts: &[RuleDraft], seed: &mut u64| {
        let mut rules: Vec<SecurityGroupRule> = Vec::new();
        for draft in drafts {
            let rule = SecurityGroupRule {
                protocol: draft.protocol,
                ports: draft.ports,
                peer: match draft.peer {
                    PeerDraft::Cidr(text) => RulePeer::Cidr(text.parse().expect("cidr")),
                    PeerDraft::Group(g) => RulePeer::SecurityGroup(groups[g].clone()),
                },
                description: None,
            };
            // A7: the same permission twice is refused.
            if !rules.iter().any(|r| r.same_permission(&rule)) {
                rules.push(rule);
            }
        }
        if shuffle_seed.is_some() {
            shuffle(&mut rules, seed);
        }
        rules
    };
    for (draft, group) in lab.groups.iter().zip(&groups) {
        let inbound = rules(&draft.inbound, &mut seed);
        if !inbound.is_empty() {
            run(
                &mut world,
                Command::AuthorizeSecurityGroupIngress {
                    group_id: group.clone(),
                    rules: inbound,
                },
            );
        }
        if let Some(outbound) = &draft.outbound {
            run(
                &mut world,
                Command::RevokeSecurityGroupRules {
                    group_id: group.clone(),
                    egress: true,
                    rules: vec![ec2lab_sim::SecurityGroup::allow_all_outbound()],
                },
            );
            let outbound = rules(outbound, &mut seed);
            if !outbound.is_empty() {
                run(
                    &mut world,
                    Command::AuthorizeSecurityGroupEgress {
                        group_id: group.clone(),
                        rules: outbound,
                    },
                );
            }
        }
    }
    for instance in &lab.instances {
        let mut on: Vec<SecurityGroupId> =
            instance.groups.iter().map(|g| groups[*g].clone()).collect();
        if shuffle_seed.is_some() {
            shuffle(&mut on, &mut seed);
        }
        run(
            &mut world,
            Command::RunInstances(Box::new(ec2lab_sim::RunInstances {
                image_id: PUBLIC_IMAGES[0].id_in(DEFAULT_REGION),
                instance_type: "t3.micro".into(),
                subnet_id: subnets[usize::from(!instance.public_subnet)].clone(),
                security_group_ids: on,
                count: 1,
                tags: Tags::new(),
                ..ec2lab_sim::RunInstances::default()
            })),
        );
    }
    run(&mut world, Command::AdvanceTime { seconds: 60 });
    world
}

/// Every flow worth asking about in a small lab: instance to instance on
/// several transports, the internet to each public address, and each
/// instance to the internet.
fn flows(region: &RegionState) -> Vec<Flow> {
    let transports = [
        Transport::Tcp {
            src_port: 40000,
            dst_port: 80,
        },
        Transport::Tcp {
            src_port: 1500,
            dst_port: 22,
        },
        Transport::Udp {
            src_port: 50000,
            dst_port: 53,
        },
        Transport::Icmp {
            v6: false,
            icmp_type: 8,
            icmp_code: 0,
        },
        Transport::Other(47),
    ];
    let enis: Vec<_> = region.network_interfaces.values().collect();
    let mut flows = Vec::new();
    for transport in transports {
        for client in &enis {
            for server in &enis {
                flows.push(Flow {
                    source: Source::Interface(client.id.clone()),
                    destination: IpAddr::V4(server.private_ip),
                    transport,
                });
            }
            flows.push(Flow {
                source: Source::Interface(client.id.clone()),
                destination: "198.51.100.7".parse().expect("ip"),
                transport,
            });
        }
        for server in enis.iter().filter_map(|e| e.public_ip) {
            flows.push(Flow {
                source: Source::Internet("203.0.113.9".parse().expect("ip")),
                destination: IpAddr::V4(server),
                transport,
            });
        }
    }
    flows
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn security_group_rule_order_never_changes_a_verdict(
        lab in small_lab(),
        shuffle_seed in any::<u64>(),
    ) {
        let ordered = build(&lab, None);
        let shuffled = build(&lab, Some(shuffle_seed));
        let (a, b) = (
            ordered.region(DEFAULT_REGION).expect("region"),
            shuffled.region(DEFAULT_REGION).expect("region"),
        );
        for flow in flows(a) {
            let (x, y) = (a.trace(&flow), b.trace(&flow));
            prop_assert_eq!(x.blocked_by.is_none(), y.blocked_by.is_none(), "{}\n{}", x, y);
            prop_assert_eq!(x.request_delivered, y.request_delivered, "{}\n{}", x, y);
        }
        let transport = Transport::Tcp { src_port: 40000, dst_port: 80 };
        prop_assert_eq!(reachability_matrix(a, transport), reachability_matrix(b, transport));
    }
}

// ---------------------------------------------------------------------------
// (c) The matrix is the trace, pair by pair, on random generated labs.

fn transport() -> impl Strategy<Value = Transport> {
    prop_oneof![
        (port(), port()).prop_map(|(src_port, dst_port)| Transport::Tcp { src_port, dst_port }),
        (port(), port()).prop_map(|(src_port, dst_port)| Transport::Udp { src_port, dst_port }),
        (
            prop::sample::select(vec![0u8, 3, 8]),
            prop::sample::select(vec![0u8, 4])
        )
            .prop_map(|(icmp_type, icmp_code)| Transport::Icmp {
                v6: false,
                icmp_type,
                icmp_code,
            }),
        Just(Transport::Other(47)),
    ]
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn the_matrix_is_the_trace_on_random_labs(
        seed in any::<u64>(),
        subnets in 1usize..5,
        acls in 0usize..4,
        acl_entries in 0usize..16,
        groups in 0usize..6,
        group_rules in 0usize..8,
        instances in 1usize..10,
        transport in transport(),
    ) {
        let spec = LabSpec { seed, subnets, acls, acl_entries, groups, group_rules, instances };
        let world = generated_lab(&spec);
        let region = world.region(DEFAULT_REGION).expect("region");
        let matrix = reachability_matrix(region, transport);
        prop_assert_eq!(matrix.len(), instances);
        for (i, client) in matrix.instances.iter().enumerate() {
            for (j, server) in matrix.instances.iter().enumerate() {
                let client = &region.instances[client];
                let server = region.primary_interface(&region.instances[server]).expect("eni");
                let flow = Flow {
                    source: Source::Interface(client.network_interface_id.clone()),
                    destination: IpAddr::V4(server.private_ip),
                    transport,
                };
                let trace = region.trace(&flow);
                prop_assert_eq!(matrix.allowed(i, j), trace.blocked_by.is_none(), "{}", trace);
            }
        }
    }
}
