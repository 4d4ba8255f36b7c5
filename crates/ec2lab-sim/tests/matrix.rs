//! The reachability matrix says, for every pair of running instances, what
//! the trace says for that one flow. These tests hold it to that on
//! generated labs (many seeds, several transports), on labs with unusual
//! routing (a route more specific than `local`, a second VPC, a VPC outside
//! the private ranges, overlapping VPCs), and show its grid for the default
//! lab as golden text.

use std::net::IpAddr;

use ec2lab_sim::{
    default_lab, generated_lab, reachability_matrix, Command, Flow, InstanceState, LabSpec,
    RegionState, Response, Source, Tags, Transport, World, DEFAULT_REGION, PUBLIC_IMAGES,
};
use expect_test::{expect, Expect};

fn region(world: &World) -> &RegionState {
    world.region(DEFAULT_REGION).expect("the lab's Region")
}

fn tcp(src_port: u16, dst_port: u16) -> Transport {
    Transport::Tcp { src_port, dst_port }
}

fn udp(src_port: u16, dst_port: u16) -> Transport {
    Transport::Udp { src_port, dst_port }
}

fn ping() -> Transport {
    Transport::Icmp {
        v6: false,
        icmp_type: 8,
        icmp_code: 0,
    }
}

/// The transports every lab is checked on: web, SSH, a database port from a
/// client port below 32768 (B6), DNS over UDP, ping and GRE.
fn transports() -> [Transport; 6] {
    [
        tcp(40000, 80),
        tcp(40000, 22),
        tcp(1500, 3306),
        udp(50000, 53),
        ping(),
        Transport::Other(47),
    ]
}

/// Counts of allowed and blocked cells seen by [`check_against_trace`].
#[derive(Default, Debug)]
struct Tally {
    allowed: usize,
    blocked: usize,
}

/// Asserts that every cell of the matrix is the trace's verdict for its flow.
fn check_against_trace(world: &World, transport: Transport, tally: &mut Tally) {
    let region = region(world);
    let matrix = reachability_matrix(region, transport);
    let running: Vec<_> = region
        .instances
        .values()
        .filter(|i| i.state == InstanceState::Running)
        .collect();
    assert_eq!(
        matrix.instances,
        running.iter().map(|i| i.id.clone()).collect::<Vec<_>>(),
        "the rows are the running instances, by id"
    );
    let mut count = 0;
    for (i, client) in running.iter().enumerate() {
        for (j, server) in running.iter().enumerate() {
            let address = region
                .primary_interface(server)
                .expect("a primary interface")
                .private_ip;
            let flow = Flow {
                source: Source::Interface(client.network_interface_id.clone()),
                destination: IpAddr::V4(address),
                transport,
            };
            let trace = region.trace(&flow);
            let expected = trace.blocked_by.is_none();
            assert_eq!(
                matrix.allowed(i, j),
                expected,
                "cell ({i}, {j}) disagrees with the trace:\n{trace}"
            );
            count += usize::from(expected);
            if expected {
                tally.allowed += 1;
            } else {
                tally.blocked += 1;
            }
        }
    }
    assert_eq!(matrix.count_allowed(), count);
}

#[test]
fn the_matrix_agrees_with_the_trace_on_generated_labs() {
    let mut tally = Tally::default();
    let specs = [
        LabSpec::small(1, 8),
        LabSpec::small(2, 12),
        LabSpec::small(3, 15),
        LabSpec {
            subnets: 2,
            acls: 2,
            acl_entries: 14,
            ..LabSpec::small(4, 10)
        },
        LabSpec {
            subnets: 3,
            acls: 1,
            acl_entries: 6,
            groups: 3,
            group_rules: 10,
            ..LabSpec::small(5, 14)
        },
        LabSpec {
            // Every subnet on a custom ACL, and many small groups.
            subnets: 3,
            acls: 3,
            acl_entries: 20,
            groups: 8,
            group_rules: 4,
            ..LabSpec::small(6, 12)
        },
        LabSpec {
            // Only the default ACL and the default group: everyone talks (A6, B2).
            acls: 0,
            groups: 0,
            ..LabSpec::small(7, 9)
        },
    ];
    for spec in &specs {
        let world = generated_lab(spec);
        for transport in transports() {
            check_against_trace(&world, transport, &mut tally);
        }
    }
    // The labs are varied enough to say both things, many times.
    assert!(tally.allowed > 200, "{tally:?}");
    assert!(tally.blocked > 200, "{tally:?}");
}

fn apply(world: &mut World, command: Command) -> Response {
    world
        .apply(DEFAULT_REGION, command)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A VPC with one public subnet, an internet gateway and one instance with
/// the VPC's default group, added to `world`.
fn add_vpc_with_an_instance(world: &mut World, vpc_cidr: &str, subnet_cidr: &str, name: &str) {
    let Response::Vpc(vpc) = apply(
        world,
        Command::CreateVpc {
            cidr_block: vpc_cidr.into(),
            tags: Tags::named(name),
        },
    ) else {
        panic!("CreateVpc");
    };
    let Response::Subnet(subnet) = apply(
        world,
        Command::CreateSubnet {
            vpc_id: vpc.clone(),
            cidr_block: subnet_cidr.into(),
            availability_zone: "us-east-1a".into(),
            tags: Tags::named(name),
        },
    ) else {
        panic!("CreateSubnet");
    };
    apply(
        world,
        Command::ModifySubnetAttribute {
            subnet_id: subnet.clone(),
            map_public_ip_on_launch: true,
        },
    );
    let Response::InternetGateway(igw) = apply(
        world,
        Command::CreateInternetGateway {
            tags: Tags::named(name),
        },
    ) else {
        panic!("CreateInternetGateway");
    };
    apply(
        world,
        Command::AttachInternetGateway {
            internet_gateway_id: igw.clone(),
            vpc_id: vpc.clone(),
        },
    );
    let main = region(world).vpcs[&vpc].main_route_table.clone();
    apply(
        world,
        Command::CreateRoute {
            route_table_id: main,
            destination_cidr_block: "0.0.0.0/0".into(),
            gateway_id: igw,
        },
    );
    apply(
        world,
        Command::RunInstances(Box::new(ec2lab_sim::RunInstances {
            image_id: PUBLIC_IMAGES[0].id_in(DEFAULT_REGION),
            instance_type: "t3.micro".into(),
            subnet_id: subnet,
            security_group_ids: vec![],
            count: 2,
            tags: Tags::named(name),
            ..ec2lab_sim::RunInstances::default()
        })),
    );
}

#[test]
fn the_matrix_agrees_with_the_trace_when_routes_lead_out_of_the_vpc() {
    let mut world = default_lab();
    // C2: a gateway route can't be more specific than `local`: AWS refuses it.
    let public_rt = region(&world)
        .route_tables
        .values()
        .find(|t| t.tags.name() == Some("public-rt"))
        .expect("public-rt")
        .id
        .clone();
    let igw = region(&world)
        .internet_gateways
        .keys()
        .next()
        .expect("igw")
        .clone();
    let refused = world.apply(
        DEFAULT_REGION,
        Command::CreateRoute {
            route_table_id: public_rt,
            destination_cidr_block: "10.0.2.0/24".into(),
            gateway_id: igw,
        },
    );
    assert_eq!(refused.map_err(|e| e.code), Err("InvalidParameterValue"));
    // Another private VPC, a VPC outside the private ranges, and a VPC that
    // overlaps the lab's (its instances get the addresses of web-1's subnet).
    add_vpc_with_an_instance(&mut world, "10.1.0.0/16", "10.1.1.0/24", "other");
    add_vpc_with_an_instance(&mut world, "100.64.0.0/16", "100.64.1.0/24", "shared");
    add_vpc_with_an_instance(&mut world, "10.0.0.0/16", "10.0.1.0/24", "overlap");
    apply(&mut world, Command::AdvanceTime { seconds: 60 });
    let mut tally = Tally::default();
    for transport in transports() {
        check_against_trace(&world, transport, &mut tally);
    }
    assert!(tally.allowed > 10 && tally.blocked > 10, "{tally:?}");
}

#[test]
fn only_running_instances_count() {
    let mut world = generated_lab(&LabSpec::small(9, 6));
    let subnet = region(&world)
        .subnets
        .keys()
        .next()
        .expect("a subnet")
        .clone();
    apply(
        &mut world,
        Command::RunInstances(Box::new(ec2lab_sim::RunInstances {
            image_id: PUBLIC_IMAGES[0].id_in(DEFAULT_REGION),
            instance_type: "t3.micro".into(),
            subnet_id: subnet,
            security_group_ids: vec![],
            count: 1,
            tags: Tags::named("still-pending"),
            ..ec2lab_sim::RunInstances::default()
        })),
    );
    let region = region(&world);
    let matrix = reachability_matrix(region, tcp(40000, 80));
    assert_eq!(region.instances.len(), 7);
    assert_eq!(matrix.len(), 6);
    assert!(!matrix.labels.iter().any(|l| l == "still-pending"));
    let pending = region
        .instances
        .values()
        .find(|i| i.state == InstanceState::Pending)
        .expect("a pending instance");
    assert_eq!(matrix.index_of(&pending.id), None);
    assert!(!matrix.allowed(0, 6) && !matrix.allowed(6, 0));
    check_against_trace(&world, tcp(40000, 80), &mut Tally::default());
}

#[test]
fn an_empty_region_has_an_empty_matrix() {
    let world = World::new();
    let matrix = reachability_matrix(region(&world), tcp(40000, 80));
    assert!(matrix.is_empty());
    assert_eq!(matrix.count_allowed(), 0);
    expect![[r#"
        Reachability on TCP port 80 (client port 40000) between 0 running instances
    "#]]
    .assert_eq(&matrix.to_string());
}

#[test]
fn a_large_matrix_prints_its_summary_only() {
    let world = generated_lab(&LabSpec::small(3, 45));
    let matrix = reachability_matrix(region(&world), udp(50000, 53));
    assert_eq!(matrix.len(), 45);
    let text = matrix.to_string();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.contains("(The grid is drawn for at most 40 instances.)"));
    assert!(text.ends_with(&format!(
        "{} of 2025 ordered pairs reachable (an instance with itself included).\n",
        matrix.count_allowed()
    )));
}

#[test]
fn the_generator_is_deterministic() {
    let spec = LabSpec::small(11, 10);
    assert_eq!(generated_lab(&spec), generated_lab(&spec));
    assert_ne!(
        generated_lab(&spec),
        generated_lab(&LabSpec { seed: 12, ..spec })
    );
}

#[test]
fn the_generated_lab_has_the_shape_asked_for() {
    let spec = LabSpec {
        seed: 3,
        subnets: 6,
        acls: 3,
        acl_entries: 12,
        groups: 7,
        group_rules: 9,
        instances: 20,
    };
    let world = generated_lab(&spec);
    let region = region(&world);
    assert_eq!(region.vpcs.len(), 1);
    assert_eq!(region.subnets.len(), 6);
    assert_eq!(region.internet_gateways.len(), 1);
    assert!(region.subnets.keys().any(|s| region.is_public(s)));
    let custom: Vec<_> = region
        .network_acls
        .values()
        .filter(|a| !a.is_default)
        .collect();
    assert_eq!(custom.len(), 3);
    for acl in &custom {
        // 12 entries plus the two `*` entries; each ACL has a subnet (B1).
        assert_eq!(acl.entries.len(), 14, "{}", acl.id);
        assert!(!acl.associations.is_empty(), "{}", acl.id);
        for egress in [false, true] {
            let numbers: Vec<u16> = acl.entries(egress).map(|e| e.rule_number).collect();
            let mut unique = numbers.clone();
            unique.dedup();
            assert_eq!(
                numbers, unique,
                "rule numbers are unique per direction (B8)"
            );
        }
    }
    let groups: Vec<_> = region
        .security_groups
        .values()
        .filter(|g| g.name != "default")
        .collect();
    assert_eq!(groups.len(), 7);
    assert!(groups.iter().all(|g| g.ingress.len() == 9));
    assert_eq!(region.instances.len(), 20);
    for instance in region.instances.values() {
        assert_eq!(instance.state, InstanceState::Running);
        let eni = region.primary_interface(instance).expect("eni");
        assert!((1..=5).contains(&eni.security_groups.len()), "A11");
    }
}

fn check_grid(transport: Transport, expected: Expect) {
    let world = default_lab();
    expected.assert_eq(&reachability_matrix(region(&world), transport).to_string());
}

#[test]
fn the_default_lab_on_mysql() {
    // A8: db-sg admits 3306 from the web tier's group, so both web servers
    // reach db-1; nothing else listens on 3306.
    check_grid(
        tcp(40000, 3306),
        expect![[r#"
            Reachability on TCP port 3306 (client port 40000) between 3 running instances
            Each row is a client; each column, numbered as the rows, a server reached at its private IPv4 address.
            ✓ request and reply delivered, · blocked.
            from \ to 1 2 3
            1 web-2   · ✓ ·
            2 db-1    · · ·
            3 web-1   · ✓ ·
            2 of 9 ordered pairs reachable (an instance with itself included).
        "#]],
    );
}

#[test]
fn the_default_lab_on_http() {
    // web-sg admits 80 from 0.0.0.0/0: every instance reaches both web
    // servers, and nothing reaches db-1.
    check_grid(
        tcp(40000, 80),
        expect![[r#"
            Reachability on TCP port 80 (client port 40000) between 3 running instances
            Each row is a client; each column, numbered as the rows, a server reached at its private IPv4 address.
            ✓ request and reply delivered, · blocked.
            from \ to 1 2 3
            1 web-2   ✓ · ✓
            2 db-1    ✓ · ✓
            3 web-1   ✓ · ✓
            6 of 9 ordered pairs reachable (an instance with itself included).
        "#]],
    );
}
