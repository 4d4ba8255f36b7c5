//! The diagram's geometry, checked natively: what is drawn where, what a
//! screen reader says for it, and that nothing spills out of its box.

use ec2lab_sim::{default_lab, Command, Tags, World, DEFAULT_REGION};
use ec2lab_ui::layout::{fit, layout, Diagram, Kind, Node};
use expect_test::expect;

fn default_diagram() -> Diagram {
    let world = default_lab();
    layout(world.region(DEFAULT_REGION).expect("default region"))
}

/// One line per node: kind, where it is, and its accessible name.
fn outline(diagram: &Diagram) -> String {
    let mut out = format!("{}×{}\n", diagram.width, diagram.height);
    for node in &diagram.nodes {
        let r = node.rect;
        out += &format!(
            "{:?} ({}, {}) {}×{}: {}\n",
            node.kind, r.x, r.y, r.w, r.h, node.label
        );
    }
    out
}

#[test]
fn the_default_lab_is_drawn_region_vpc_az_subnet_instance() {
    expect![[r#"
        1084×940
        Internet (472, 16) 140×36: The internet
        Region (16, 68) 1052×856: Region US East (N. Virginia) (us-east-1)
        Vpc (36, 138) 1012×442: VPC lab-vpc (vpc-01045a7fb10b3fc77), 10.0.0.0/16
        AvailabilityZone (56, 186) 476×508: Availability Zone us-east-1a
        AvailabilityZone (552, 186) 476×508: Availability Zone us-east-1b
        Shelf (36, 710) 326×194: AMIs shelf, Regional: 3 items
        Shelf (378, 710) 326×194: Snapshots shelf, Regional: 0 items
        Shelf (720, 710) 326×194: Launch templates shelf, Regional: 0 items
        PublicSubnet (70, 220) 448×162: Public subnet public-a (subnet-0dee21ba09fd7951f), 10.0.1.0/24, us-east-1a
        PublicSubnet (566, 220) 448×162: Public subnet public-b (subnet-0e1f35406dcfacc32), 10.0.11.0/24, us-east-1b
        PrivateSubnet (70, 398) 448×162: Private subnet private-a (subnet-0a09258fcf2eafa92), 10.0.2.0/24, us-east-1a
        PrivateSubnet (566, 398) 448×162: Private subnet private-b (subnet-07f25d30fd491ab90), 10.0.12.0/24, us-east-1b
        Instance (82, 270) 212×100: Instance web-1 (i-0e71dd8f9270ae24e), running, subnet public-a
        Volume (310, 270) 196×44: Volume (vol-0903ff3a9df26503a), 8 GiB gp3, not encrypted, attached to web-1 at /dev/xvda
        Instance (578, 270) 212×100: Instance web-2 (i-0781d9316b870d786), running, subnet public-b
        Volume (806, 270) 196×44: Volume (vol-05d99dce3bdff10f4), 8 GiB gp3, not encrypted, attached to web-2 at /dev/xvda
        Instance (82, 448) 212×100: Instance db-1 (i-0b55da2a81bfa3ffd), running, subnet private-a
        Volume (310, 448) 196×44: Volume (vol-0f3a236e52d20a954), 8 GiB gp3, not encrypted, attached to db-1 at /dev/xvda
        InternetGateway (442, 112) 200×52: Internet gateway lab-igw (igw-0bd50aae58026701f), attached to VPC lab-vpc
        Volume (70, 634) 196×44: Volume data-1 (vol-046e27b7f222eca30), 20 GiB gp3, not encrypted, available in us-east-1a
        Image (50, 740) 298×44: Quick Start AMI Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1 (ami-e4644a6da1f2842ce), x86_64
        Image (50, 792) 298×44: Quick Start AMI Canonical, Ubuntu, 24.04, amd64 noble image (ami-4bcc0791c8b13abf4), x86_64
        Image (50, 844) 298×44: Quick Start AMI Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon (ami-8988d79a72e71d8f8), x86_64
    "#]].assert_eq(&outline(&default_diagram()));
}

fn find<'a>(diagram: &'a Diagram, id: &str) -> &'a Node {
    diagram
        .nodes
        .iter()
        .find(|n| n.resource_id.as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no node for {id}"))
}

#[test]
fn every_resource_sits_inside_its_container_and_nothing_overlaps() {
    let world = default_lab();
    let region = world.region(DEFAULT_REGION).expect("default region");
    let diagram = layout(region);
    let region_box = diagram
        .nodes
        .iter()
        .find(|n| n.kind == Kind::Region)
        .expect("region box");
    for node in diagram.nodes.iter().filter(|n| n.kind != Kind::Internet) {
        assert!(
            region_box.rect.contains(&node.rect) || node.kind == Kind::InternetGateway,
            "{} spills out of the Region",
            node.label
        );
    }
    for instance in region.instances.values() {
        let card = find(&diagram, instance.id.as_str()).rect;
        let subnet = find(&diagram, instance.subnet_id.as_str()).rect;
        assert!(
            subnet.contains(&card),
            "{} is outside its subnet",
            instance.id
        );
        for device in &instance.block_devices {
            let volume = find(&diagram, device.volume_id.as_str()).rect;
            assert!(
                subnet.contains(&volume),
                "{} is outside its instance's subnet",
                device.volume_id
            );
        }
    }
    for subnet in region.subnets.values() {
        let rect = find(&diagram, subnet.id.as_str()).rect;
        let vpc = find(&diagram, subnet.vpc_id.as_str()).rect;
        assert!(vpc.contains(&rect), "{} is outside its VPC", subnet.id);
        let zone = diagram
            .nodes
            .iter()
            .find(|n| {
                n.kind == Kind::AvailabilityZone && n.label.ends_with(&subnet.availability_zone)
            })
            .expect("AZ column");
        assert!(
            zone.rect.contains(&rect),
            "{} is outside its AZ column",
            subnet.id
        );
    }
    let leaves: Vec<&Node> = diagram
        .nodes
        .iter()
        .filter(|n| {
            matches!(
                n.kind,
                Kind::Instance | Kind::Volume | Kind::InternetGateway
            )
        })
        .collect();
    for (i, a) in leaves.iter().enumerate() {
        for b in &leaves[i + 1..] {
            assert!(
                !a.rect.overlaps(&b.rect),
                "{} overlaps {}",
                a.label,
                b.label
            );
        }
    }
}

#[test]
fn an_unattached_volume_sits_in_its_az_below_the_vpc() {
    // F1: a volume belongs to an AZ, not to a VPC or a subnet.
    let world = default_lab();
    let region = world.region(DEFAULT_REGION).expect("default region");
    let diagram = layout(region);
    let loose = region.available_volumes_in("us-east-1a");
    let node = find(&diagram, loose[0].id.as_str());
    let vpc = diagram
        .nodes
        .iter()
        .find(|n| n.kind == Kind::Vpc)
        .expect("vpc");
    assert!(
        node.rect.y > vpc.rect.y + vpc.rect.h,
        "the loose volume is drawn inside the VPC"
    );
    let az = diagram
        .nodes
        .iter()
        .find(|n| n.label == "Availability Zone us-east-1a")
        .expect("AZ column");
    assert!(az.rect.contains(&node.rect));
}

#[test]
fn a_subnet_turns_public_on_the_diagram_when_its_route_table_reaches_the_gateway() {
    // C3: public or private is judged from the route table, not from a name.
    let mut world = default_lab();
    let region = world.region(DEFAULT_REGION).expect("default region");
    let private_b = region
        .subnets
        .values()
        .find(|s| s.tags.name() == Some("private-b"))
        .expect("private-b")
        .id
        .clone();
    let public_rt = region
        .route_tables
        .values()
        .find(|t| t.tags.name() == Some("public-rt"))
        .expect("public-rt")
        .id
        .clone();
    let kind = |world: &World| {
        find(
            &layout(world.region(DEFAULT_REGION).expect("region")),
            private_b.as_str(),
        )
        .kind
    };
    assert_eq!(kind(&world), Kind::PrivateSubnet);
    world
        .apply(
            DEFAULT_REGION,
            Command::AssociateRouteTable {
                route_table_id: public_rt,
                subnet_id: private_b.clone(),
            },
        )
        .expect("associate");
    assert_eq!(kind(&world), Kind::PublicSubnet);
}

#[test]
fn an_empty_region_and_a_region_with_only_a_volume_still_draw() {
    let mut world = World::new();
    let empty = layout(world.region("us-west-2").expect("region"));
    assert!(empty.nodes.iter().any(|n| n.kind == Kind::Region));
    world
        .apply(
            "us-west-2",
            Command::CreateVolume(Box::new(ec2lab_sim::CreateVolume {
                availability_zone: "us-west-2c".into(),
                size_gib: Some(5),
                volume_type: None,
                tags: Tags::new(),
                ..Default::default()
            })),
        )
        .expect("create volume");
    let diagram = layout(world.region("us-west-2").expect("region"));
    let volume = diagram
        .nodes
        .iter()
        .find(|n| n.kind == Kind::Volume)
        .expect("volume node");
    expect!["Volume (vol-01045a7fb10b3fc77), 5 GiB gp2, not encrypted, creating in us-west-2c"]
        .assert_eq(&volume.label);
}

#[test]
fn long_names_are_shortened_with_an_ellipsis() {
    assert_eq!(fit("web-1", 18), "web-1");
    assert_eq!(fit("a-very-long-instance-name", 10), "a-very-lo…");
}
