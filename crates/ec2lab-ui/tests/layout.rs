//! The diagram's geometry, checked natively: what is drawn where, what a
//! screen reader says for it, and that nothing spills out of its box.

use ec2lab_sim::{default_lab, Command, Tags, World, DEFAULT_REGION};
use ec2lab_ui::drag::{drop_at, drop_choices};
use ec2lab_ui::layout::{fit, layout, Diagram, Kind, Node};
use ec2lab_ui::moves;
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
        1100×980
        Internet (480, 16) 140×36: The internet
        Region (16, 68) 1068×896: Region US East (N. Virginia) (us-east-1)
        Vpc (36, 138) 1028×482: VPC lab-vpc (vpc-01045a7fb10b3fc77), 10.0.0.0/16
        AvailabilityZone (56, 186) 484×548: Availability Zone us-east-1a
        AvailabilityZone (560, 186) 484×548: Availability Zone us-east-1b
        Shelf (36, 750) 332×194: AMIs shelf, Regional: 3 items
        Shelf (384, 750) 332×194: Snapshots shelf, Regional: 0 items
        Shelf (732, 750) 332×194: Launch templates shelf, Regional: 0 items
        PublicSubnet (70, 220) 456×182: Public subnet public-a (subnet-0dee21ba09fd7951f), 10.0.1.0/24, us-east-1a
        PublicSubnet (574, 220) 456×182: Public subnet public-b (subnet-0e1f35406dcfacc32), 10.0.11.0/24, us-east-1b
        PrivateSubnet (70, 418) 456×182: Private subnet private-a (subnet-0a09258fcf2eafa92), 10.0.2.0/24, us-east-1a
        PrivateSubnet (574, 418) 456×182: Private subnet private-b (subnet-07f25d30fd491ab90), 10.0.12.0/24, us-east-1b
        NetworkAcl (346, 206) 168×22: Network ACL acl-0eaf2359b6e6a290b (default) at the edge of subnet public-a
        SecurityGroup (76, 270) 224×126: Security group web-sg (sg-0555c95dd130af3af), around web-1
        Instance (82, 290) 212×100: Instance web-1 (i-0e71dd8f9270ae24e), running, subnet public-a
        Volume (318, 290) 196×44: Volume (vol-0903ff3a9df26503a), 8 GiB gp3, not encrypted, attached to web-1 at /dev/xvda
        NetworkAcl (850, 206) 168×22: Network ACL acl-0eaf2359b6e6a290b (default) at the edge of subnet public-b
        SecurityGroup (580, 270) 224×126: Security group web-sg (sg-0555c95dd130af3af), around web-2
        Instance (586, 290) 212×100: Instance web-2 (i-0781d9316b870d786), running, subnet public-b
        Volume (822, 290) 196×44: Volume (vol-05d99dce3bdff10f4), 8 GiB gp3, not encrypted, attached to web-2 at /dev/xvda
        NetworkAcl (346, 404) 168×22: Network ACL acl-0eaf2359b6e6a290b (default) at the edge of subnet private-a
        SecurityGroup (76, 468) 224×126: Security group db-sg (sg-0345940bbf6128d02), around db-1
        Instance (82, 488) 212×100: Instance db-1 (i-0b55da2a81bfa3ffd), running, subnet private-a
        Volume (318, 488) 196×44: Volume (vol-0f3a236e52d20a954), 8 GiB gp3, not encrypted, attached to db-1 at /dev/xvda
        NetworkAcl (850, 404) 168×22: Network ACL acl-0eaf2359b6e6a290b (default) at the edge of subnet private-b
        InternetGateway (450, 112) 200×52: Internet gateway lab-igw (igw-0bd50aae58026701f), attached to VPC lab-vpc
        Volume (70, 674) 196×44: Volume data-1 (vol-046e27b7f222eca30), 20 GiB gp3, not encrypted, available in us-east-1a
        Image (50, 780) 304×44: Quick Start AMI Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1 (ami-e4644a6da1f2842ce), x86_64
        Image (50, 832) 304×44: Quick Start AMI Canonical, Ubuntu, 24.04, amd64 noble image (ami-4bcc0791c8b13abf4), x86_64
        Image (50, 884) 304×44: Quick Start AMI Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon (ami-8988d79a72e71d8f8), x86_64
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
    for world in [default_lab(), filters_lab()] {
        check_containment(&world);
    }
}

fn check_containment(world: &World) {
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
    for mt in region.mount_targets.values() {
        let card = find(&diagram, mt.id.as_str()).rect;
        let subnet = find(&diagram, mt.subnet_id.as_str()).rect;
        assert!(subnet.contains(&card), "{} is outside its subnet", mt.id);
        let vpc = find(&diagram, mt.vpc_id.as_str()).rect;
        let band = find(&diagram, mt.file_system_id.as_str()).rect;
        assert!(
            vpc.contains(&band),
            "{} is outside its VPC",
            mt.file_system_id
        );
    }
    // A boundary surrounds its card and stays in the card's subnet.
    for boundary in diagram
        .nodes
        .iter()
        .filter(|n| n.kind == Kind::SecurityGroup)
    {
        let card = diagram
            .nodes
            .iter()
            .find(|n| {
                matches!(n.kind, Kind::Instance | Kind::MountTarget)
                    && boundary.rect.contains(&n.rect)
            })
            .unwrap_or_else(|| panic!("{} surrounds nothing", boundary.label));
        let around = match card.kind {
            Kind::Instance => card.label.split(' ').nth(1).expect("name").to_owned(),
            _ => format!("mount target {}", card.resource_id.as_deref().expect("id")),
        };
        assert!(
            boundary.label.contains(&format!("), around {around}")),
            "{} is drawn around {}",
            boundary.label,
            card.label
        );
        assert!(diagram.nodes.iter().any(|n| {
            matches!(n.kind, Kind::PublicSubnet | Kind::PrivateSubnet)
                && n.rect.contains(&boundary.rect)
        }));
    }
    let leaves: Vec<&Node> = diagram
        .nodes
        .iter()
        .filter(|n| {
            matches!(
                n.kind,
                Kind::Instance
                    | Kind::Volume
                    | Kind::InternetGateway
                    | Kind::MountTarget
                    | Kind::FileSystem
                    | Kind::NetworkAcl
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
    // A file system in a Region with no VPC: reached from nowhere yet, and
    // still drawn (J3).
    world
        .apply("us-west-2", Command::CreateFileSystem(Box::default()))
        .expect("create file system");
    let diagram = layout(world.region("us-west-2").expect("region"));
    let fs = diagram
        .nodes
        .iter()
        .find(|n| n.kind == Kind::FileSystem)
        .expect("file system node");
    expect!["EFS file system (fs-022894ba151e5e1a9), Regional, across Availability Zones, creating, no mount targets"]
        .assert_eq(&fs.label);
}

#[test]
fn long_names_are_shortened_with_an_ellipsis() {
    assert_eq!(fit("web-1", 18), "web-1");
    assert_eq!(fit("a-very-long-instance-name", 10), "a-very-lo…");
}

/// Applies a command to the default Region, or fails the test with AWS's
/// error.
fn apply(world: &mut World, command: Command) -> ec2lab_sim::Response {
    world
        .apply(DEFAULT_REGION, command)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The default lab with every filter the diagram draws: an EFS file system
/// with mount targets in both private subnets behind their own security
/// group, a One Zone file system no mount target serves yet, a custom
/// network ACL on public-b, and web-3 in public-b with two security groups.
fn filters_lab() -> World {
    let mut world = default_lab();
    let region = world.region(DEFAULT_REGION).expect("default region");
    let subnet = |name: &str| {
        region
            .subnets
            .values()
            .find(|s| s.tags.name() == Some(name))
            .map(|s| s.id.clone())
            .expect("subnet")
    };
    let (private_a, private_b, public_b) =
        (subnet("private-a"), subnet("private-b"), subnet("public-b"));
    let group = |name: &str| {
        region
            .security_groups
            .values()
            .find(|g| g.name == name)
            .map(|g| g.id.clone())
            .expect("group")
    };
    let (web_sg, default_sg) = (group("web-sg"), group("default"));
    let vpc = region.vpcs.values().next().expect("vpc").id.clone();
    let public_b_association = region
        .network_acl_of(&public_b)
        .and_then(|acl| acl.associations.iter().find(|(_, s)| *s == public_b))
        .map(|(a, _)| a.clone())
        .expect("association");
    let image = region
        .instances
        .values()
        .next()
        .expect("instance")
        .image_id
        .clone();

    let ec2lab_sim::Response::SecurityGroup(efs_sg) = apply(
        &mut world,
        Command::CreateSecurityGroup {
            group_name: "efs-sg".into(),
            description: "NFS from the instances (J3)".into(),
            vpc_id: vpc.clone(),
            tags: Tags::new(),
        },
    ) else {
        panic!("no security group");
    };
    let ec2lab_sim::Response::FileSystem(shared) = apply(
        &mut world,
        Command::CreateFileSystem(Box::new(ec2lab_sim::CreateFileSystem {
            tags: Tags::named("shared-data"),
            ..Default::default()
        })),
    ) else {
        panic!("no file system");
    };
    apply(
        &mut world,
        Command::CreateFileSystem(Box::new(ec2lab_sim::CreateFileSystem {
            availability_zone_name: Some("us-east-1a".into()),
            tags: Tags::named("scratch-1z"),
            ..Default::default()
        })),
    );
    apply(
        &mut world,
        Command::AdvanceTime {
            seconds: ec2lab_sim::FILE_SYSTEM_CREATE_SECONDS,
        },
    );
    for subnet_id in [private_a, private_b] {
        apply(
            &mut world,
            Command::CreateMountTarget {
                file_system_id: shared.clone(),
                subnet_id,
                ip_address: None,
                security_groups: vec![efs_sg.clone()],
            },
        );
    }
    apply(
        &mut world,
        Command::AdvanceTime {
            seconds: ec2lab_sim::MOUNT_TARGET_CREATE_SECONDS,
        },
    );
    let ec2lab_sim::Response::NetworkAcl(web_acl) = apply(
        &mut world,
        Command::CreateNetworkAcl {
            vpc_id: vpc,
            tags: Tags::named("web-acl"),
        },
    ) else {
        panic!("no network ACL");
    };
    apply(
        &mut world,
        Command::ReplaceNetworkAclAssociation {
            association_id: public_b_association,
            network_acl_id: web_acl,
        },
    );
    let mut launch = ec2lab_sim::RunInstances::new(image, "t3.micro", public_b, 1);
    launch.security_group_ids = vec![web_sg, default_sg];
    launch.tags = Tags::named("web-3");
    apply(&mut world, Command::RunInstances(Box::new(launch)));
    world
}

fn filters_diagram(world: &World) -> Diagram {
    layout(world.region(DEFAULT_REGION).expect("default region"))
}

#[test]
fn efs_security_groups_and_network_acls_are_drawn_where_they_filter() {
    // J3: the Regional file system's band crosses both AZ columns inside the
    // VPC, with a mount target in each private subnet; the One Zone one,
    // with no mount target yet, sits in its AZ below the VPC. A9: web-3's
    // two groups share one boundary. B1: each subnet's ACL is on its edge,
    // default or custom in words.
    expect![[r#"
        1992×1238
        Internet (926, 16) 140×36: The internet
        Region (16, 68) 1960×1154: Region US East (N. Virginia) (us-east-1)
        Vpc (36, 138) 1920×674: VPC lab-vpc (vpc-01045a7fb10b3fc77), 10.0.0.0/16
        AvailabilityZone (56, 186) 930×806: Availability Zone us-east-1a
        AvailabilityZone (1006, 186) 930×806: Availability Zone us-east-1b
        Shelf (36, 1008) 629×194: AMIs shelf, Regional: 3 items
        Shelf (681, 1008) 629×194: Snapshots shelf, Regional: 0 items
        Shelf (1326, 1008) 629×194: Launch templates shelf, Regional: 0 items
        PublicSubnet (70, 220) 902×182: Public subnet public-a (subnet-0dee21ba09fd7951f), 10.0.1.0/24, us-east-1a
        PublicSubnet (1020, 220) 902×182: Public subnet public-b (subnet-0e1f35406dcfacc32), 10.0.11.0/24, us-east-1b
        PrivateSubnet (70, 418) 902×300: Private subnet private-a (subnet-0a09258fcf2eafa92), 10.0.2.0/24, us-east-1a
        PrivateSubnet (1020, 418) 902×300: Private subnet private-b (subnet-07f25d30fd491ab90), 10.0.12.0/24, us-east-1b
        NetworkAcl (792, 206) 168×22: Network ACL acl-0eaf2359b6e6a290b (default) at the edge of subnet public-a
        SecurityGroup (76, 270) 224×126: Security group web-sg (sg-0555c95dd130af3af), around web-1
        Instance (82, 290) 212×100: Instance web-1 (i-0e71dd8f9270ae24e), running, subnet public-a
        Volume (318, 290) 196×44: Volume (vol-0903ff3a9df26503a), 8 GiB gp3, not encrypted, attached to web-1 at /dev/xvda
        NetworkAcl (1742, 206) 168×22: Network ACL web-acl acl-0a90e0643c3bea16d (custom) at the edge of subnet public-b
        SecurityGroup (1026, 270) 224×126: Security group web-sg (sg-0555c95dd130af3af), around web-2
        Instance (1032, 290) 212×100: Instance web-2 (i-0781d9316b870d786), running, subnet public-b
        Volume (1268, 290) 196×44: Volume (vol-05d99dce3bdff10f4), 8 GiB gp3, not encrypted, attached to web-2 at /dev/xvda
        SecurityGroup (1472, 270) 224×126: Security group web-sg (sg-0555c95dd130af3af), around web-3, one of 2 groups
        SecurityGroup (1472, 270) 224×126: Security group default (sg-0935cb6af174e8421), around web-3, one of 2 groups
        Instance (1478, 290) 212×100: Instance web-3 (i-031a45853cbcfe20f), pending, subnet public-b
        Volume (1714, 290) 196×44: Volume (vol-030683cc0238cf9d6), 8 GiB gp3, not encrypted, attached to web-3 at /dev/xvda
        NetworkAcl (792, 404) 168×22: Network ACL acl-0eaf2359b6e6a290b (default) at the edge of subnet private-a
        SecurityGroup (76, 468) 224×126: Security group db-sg (sg-0345940bbf6128d02), around db-1
        Instance (82, 488) 212×100: Instance db-1 (i-0b55da2a81bfa3ffd), running, subnet private-a
        Volume (318, 488) 196×44: Volume (vol-0f3a236e52d20a954), 8 GiB gp3, not encrypted, attached to db-1 at /dev/xvda
        SecurityGroup (76, 602) 224×110: Security group efs-sg (sg-02df81733515eb05a), around mount target fsmt-0f61475db02a246c0
        MountTarget (82, 622) 212×84: EFS mount target fsmt-0f61475db02a246c0 of shared-data (fs-0874c7980c34e481f), 10.0.2.5, available, subnet private-a in us-east-1a
        NetworkAcl (1742, 404) 168×22: Network ACL acl-0eaf2359b6e6a290b (default) at the edge of subnet private-b
        SecurityGroup (1026, 468) 224×110: Security group efs-sg (sg-02df81733515eb05a), around mount target fsmt-0d090058aa4a936ab
        MountTarget (1032, 488) 212×84: EFS mount target fsmt-0d090058aa4a936ab of shared-data (fs-0874c7980c34e481f), 10.0.12.4, available, subnet private-b in us-east-1b
        FileSystem (70, 734) 1852×58: EFS file system shared-data (fs-0874c7980c34e481f), Regional, across Availability Zones, available, mount targets in subnets private-a, private-b
        InternetGateway (896, 112) 200×52: Internet gateway lab-igw (igw-0bd50aae58026701f), attached to VPC lab-vpc
        FileSystem (70, 836) 902×58: EFS file system scratch-1z (fs-073536337291bacc4), One Zone in us-east-1a, available, no mount targets
        Volume (70, 932) 196×44: Volume data-1 (vol-046e27b7f222eca30), 20 GiB gp3, not encrypted, available in us-east-1a
        Image (50, 1038) 601×44: Quick Start AMI Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1 (ami-e4644a6da1f2842ce), x86_64
        Image (50, 1090) 601×44: Quick Start AMI Canonical, Ubuntu, 24.04, amd64 noble image (ami-4bcc0791c8b13abf4), x86_64
        Image (50, 1142) 601×44: Quick Start AMI Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon (ami-8988d79a72e71d8f8), x86_64
    "#]]
    .assert_eq(&outline(&filters_diagram(&filters_lab())));
}

fn node<'a>(diagram: &'a Diagram, label_start: &str) -> &'a Node {
    diagram
        .nodes
        .iter()
        .find(|n| n.label.starts_with(label_start))
        .unwrap_or_else(|| panic!("no node named {label_start}"))
}

#[test]
fn a_security_group_surrounds_its_instance_and_a_network_acl_sits_on_its_subnets_edge() {
    let diagram = default_diagram();
    let web1 = node(&diagram, "Instance web-1 ");
    let boundary = node(&diagram, "Security group web-sg ");
    let subnet = node(&diagram, "Public subnet public-a ");
    let acl = node(
        &diagram,
        "Network ACL acl-0eaf2359b6e6a290b (default) at the edge of subnet public-a",
    );
    assert!(boundary.rect.contains(&web1.rect));
    assert!(subnet.rect.contains(&boundary.rect));
    // Half in, half out: across the subnet's top edge, inside its width.
    assert!(acl.rect.y < subnet.rect.y && acl.rect.y + acl.rect.h > subnet.rect.y);
    assert!(acl.rect.x > subnet.rect.x && acl.rect.x + acl.rect.w < subnet.rect.x + subnet.rect.w);
    // Colour never carries meaning alone: the words say what each is.
    let words = |n: &Node| n.texts.iter().map(|t| t.text.clone()).collect::<Vec<_>>();
    assert_eq!(words(boundary), ["Security group web-sg"]);
    assert_eq!(words(acl), ["Network ACL · default"]);
    // New names never answer to the e2e tests' /^Instance / or /^Volume /.
    for n in diagram.nodes.iter().filter(|n| {
        matches!(
            n.kind,
            Kind::SecurityGroup | Kind::NetworkAcl | Kind::FileSystem | Kind::MountTarget
        )
    }) {
        assert!(!n.label.starts_with("Instance ") && !n.label.starts_with("Volume "));
    }
}

#[test]
fn the_instance_is_drawn_over_its_security_group_so_a_pointer_on_it_finds_the_instance() {
    // The view's nodes are sibling <g>s: the later one is on top and takes
    // the pointer. The boundary comes first, and its frame is not filled.
    let diagram = default_diagram();
    let markup = ec2lab_ui::diagram::diagram_markup(&diagram);
    let at = |id: &str| {
        markup
            .find(&format!(r#"data-resource-id="{id}""#))
            .unwrap_or_else(|| panic!("{id} is not drawn"))
    };
    let web1 = node(&diagram, "Instance web-1 ");
    let sg = node(&diagram, "Security group web-sg ");
    let sg_id = sg.resource_id.as_deref().expect("sg id");
    assert!(at(sg_id) < at(web1.resource_id.as_deref().expect("id")));
    assert!(markup.contains(&format!(
        r#"<g class="node sg" transform="translate(76,270)" role="img" aria-label="Security group web-sg ({sg_id}), around web-1" tabindex="0" data-resource-id="{sg_id}">"#
    )));
    let css = include_str!("../../../web/style.css");
    assert!(css.contains(".diagram .sg .frame { fill: none;"));
}

#[test]
fn drops_meant_for_an_instance_or_a_subnet_are_not_taken_by_their_filters() {
    let world = default_lab();
    let region = world.region(DEFAULT_REGION).expect("default region");
    let diagram = layout(region);
    let web1 = node(&diagram, "Instance web-1 ");
    let boundary = node(&diagram, "Security group web-sg ");
    let acl = node(
        &diagram,
        "Network ACL acl-0eaf2359b6e6a290b (default) at the edge of subnet public-a",
    );
    let ami = region
        .instances
        .values()
        .next()
        .expect("instance")
        .image_id
        .to_string();
    let data = region
        .volumes
        .values()
        .find(|v| v.tags.name() == Some("data-1"))
        .expect("data-1")
        .id
        .to_string();
    let drop = |(x, y): (i32, i32), what: &str| match drop_at(region, &diagram, x, y, what) {
        Some(Ok(action)) => ec2lab_ui::model::cli_line(&action, DEFAULT_REGION),
        Some(Err(why)) => why,
        None => "nothing".into(),
    };
    // On the boundary's label, above the card: the subnet's drop.
    let label = (boundary.rect.x + 20, boundary.rect.y + 8);
    assert!(!web1.rect.contains(&ec2lab_ui::layout::Rect {
        x: label.0,
        y: label.1,
        w: 1,
        h: 1
    }));
    let public_a = "subnet-0dee21ba09fd7951f";
    assert!(drop(label, &ami).contains(&format!("--subnet-id {public_a}")));
    // On the card, inside the boundary: the instance's.
    let card = (web1.rect.x + 100, web1.rect.y + 50);
    assert!(drop(card, &data).starts_with(&format!(
        "aws ec2 attach-volume --volume-id {data} --instance-id {}",
        web1.resource_id.as_deref().expect("id")
    )));
    // On the ACL marker's lower half, inside the subnet: the subnet's.
    let marker = (acl.rect.x + 40, acl.rect.y + acl.rect.h - 3);
    assert!(drop(marker, &ami).contains(&format!("--subnet-id {public_a}")));
    // Neither filter is ever offered as a place to drop something.
    for source in [ami.as_str(), data.as_str()] {
        for (key, _, _) in drop_choices(region, &diagram, source) {
            assert!(!key.starts_with("sg-") && !key.starts_with("acl-"), "{key}");
        }
    }
}

#[test]
fn a_moved_instance_takes_its_security_group_boundary_and_filters_never_move_alone() {
    let diagram = default_diagram();
    let web1 = node(&diagram, "Instance web-1 ").clone();
    let web1_id = web1.resource_id.clone().expect("id");
    let boundary = node(&diagram, "Security group web-sg ").clone();
    let moved = moves::settle(&diagram, &[], &web1_id, (10, 4));
    let mut after = diagram.clone();
    moves::apply(&mut after, &moved);
    let now = node(&after, "Instance web-1 ").rect;
    let around = node(&after, "Security group web-sg ").rect;
    assert_eq!((now.x - web1.rect.x, now.y - web1.rect.y), (10, 4));
    assert_eq!(
        (around.x - boundary.rect.x, around.y - boundary.rect.y),
        (10, 4)
    );
    // Only web-1's boundary moves: web-2's, of the same group, stays.
    assert_eq!(
        node(
            &after,
            "Security group web-sg (sg-0555c95dd130af3af), around web-2"
        )
        .rect,
        node(
            &diagram,
            "Security group web-sg (sg-0555c95dd130af3af), around web-2"
        )
        .rect
    );
    let acl = node(&diagram, "Network ACL ")
        .resource_id
        .clone()
        .expect("id");
    let sg = boundary.resource_id.expect("id");
    assert_eq!(moves::settle(&diagram, &[], &sg, (10, 4)), vec![]);
    assert_eq!(moves::settle(&diagram, &[], &acl, (10, 4)), vec![]);
}

#[test]
fn names_of_groups_acls_and_file_systems_are_escaped_in_the_drawing() {
    let mut world = default_lab();
    let region = world.region(DEFAULT_REGION).expect("default region");
    let vpc = region.vpcs.values().next().expect("vpc").id.clone();
    let public_a = region
        .subnets
        .values()
        .find(|s| s.tags.name() == Some("public-a"))
        .expect("public-a")
        .id
        .clone();
    let image = region
        .instances
        .values()
        .next()
        .expect("instance")
        .image_id
        .clone();
    let ec2lab_sim::Response::SecurityGroup(hostile) = apply(
        &mut world,
        Command::CreateSecurityGroup {
            group_name: "<img src=x onerror=alert(1)>".into(),
            description: "x".into(),
            vpc_id: vpc,
            tags: Tags::new(),
        },
    ) else {
        panic!("no group");
    };
    let mut launch = ec2lab_sim::RunInstances::new(image, "t3.micro", public_a, 1);
    launch.security_group_ids = vec![hostile];
    apply(&mut world, Command::RunInstances(Box::new(launch)));
    apply(
        &mut world,
        Command::CreateFileSystem(Box::new(ec2lab_sim::CreateFileSystem {
            tags: Tags::named("\"><script>alert(2)</script>"),
            ..Default::default()
        })),
    );
    let markup = ec2lab_ui::diagram::diagram_markup(&filters_diagram(&world));
    assert!(!markup.contains("<img") && !markup.contains("<script"));
    assert!(markup.contains("Security group &lt;img src=x onerror=alert(1)&gt;"));
    assert!(markup.contains("EFS file system &quot;&gt;&lt;script&gt;"));
}

#[test]
fn the_text_view_lists_security_groups_network_acls_and_efs_in_words() {
    let world = filters_lab();
    let tables = ec2lab_ui::text_view::tables(world.region(DEFAULT_REGION).expect("region"));
    let mut out = String::new();
    for table in tables.iter().filter(|t| t.caption != "EBS volumes") {
        out += &format!("{}\n  {}\n", table.caption, table.head.join(" | "));
        for row in &table.rows {
            out += &format!("  {}\n", row.join(" | "));
        }
    }
    expect![[r#"
        Subnets in us-east-1
          Name | Id | CIDR | AZ | Kind | Network ACL
          private-b | subnet-07f25d30fd491ab90 | 10.0.12.0/24 | us-east-1b | private | acl-0eaf2359b6e6a290b (default)
          private-a | subnet-0a09258fcf2eafa92 | 10.0.2.0/24 | us-east-1a | private | acl-0eaf2359b6e6a290b (default)
          public-a | subnet-0dee21ba09fd7951f | 10.0.1.0/24 | us-east-1a | public | acl-0eaf2359b6e6a290b (default)
          public-b | subnet-0e1f35406dcfacc32 | 10.0.11.0/24 | us-east-1b | public | acl-0a90e0643c3bea16d (custom)
        Instances
          Name | Id | State | Type | Subnet | Private IP | Public IP | Security groups
          web-3 | i-031a45853cbcfe20f | pending | t3.micro | subnet-0e1f35406dcfacc32 | 10.0.11.5 | 3.95.94.104 | web-sg (sg-0555c95dd130af3af), default (sg-0935cb6af174e8421)
          web-2 | i-0781d9316b870d786 | running | t3.micro | subnet-0e1f35406dcfacc32 | 10.0.11.4 | 3.81.225.35 | web-sg (sg-0555c95dd130af3af)
          db-1 | i-0b55da2a81bfa3ffd | running | t3.small | subnet-0a09258fcf2eafa92 | 10.0.2.4 | — | db-sg (sg-0345940bbf6128d02)
          web-1 | i-0e71dd8f9270ae24e | running | t3.micro | subnet-0dee21ba09fd7951f | 10.0.1.4 | 3.84.229.19 | web-sg (sg-0555c95dd130af3af)
        Security groups
          Name | Id | Inbound rules | Outbound rules | Used by
          efs-sg | sg-02df81733515eb05a | 0 | 1 | mount target fsmt-0d090058aa4a936ab, mount target fsmt-0f61475db02a246c0
          db-sg | sg-0345940bbf6128d02 | 1 | 1 | db-1
          web-sg | sg-0555c95dd130af3af | 2 | 1 | web-1, web-3, web-2
          default | sg-0935cb6af174e8421 | 1 | 1 | web-3
        Network ACLs
          Name | Id | Kind | Subnets | Inbound entries | Outbound entries
          web-acl | acl-0a90e0643c3bea16d | custom | public-b | 1 | 1
          - | acl-0eaf2359b6e6a290b | default | public-a, private-a, private-b | 2 | 2
        EFS file systems
          Name | Id | State | Storage | Size | Mount targets in
          scratch-1z | fs-073536337291bacc4 | available | One Zone (us-east-1a) | 6 KiB | —
          shared-data | fs-0874c7980c34e481f | available | Regional (across AZs) | 6 KiB | private-a, private-b
        EFS mount targets
          Id | File system | Subnet | AZ | IP address | State | Security groups
          fsmt-0d090058aa4a936ab | shared-data (fs-0874c7980c34e481f) | private-b | us-east-1b | 10.0.12.4 | available | efs-sg (sg-02df81733515eb05a)
          fsmt-0f61475db02a246c0 | shared-data (fs-0874c7980c34e481f) | private-a | us-east-1a | 10.0.2.5 | available | efs-sg (sg-02df81733515eb05a)
    "#]]
    .assert_eq(&out);
}

#[test]
fn an_untagged_snapshot_on_the_shelf_reads_as_what_it_is_of_and_its_state() {
    let mut world = default_lab();
    let region = world.region(DEFAULT_REGION).expect("default region");
    let data = region
        .volumes
        .values()
        .find(|v| v.tags.get("Name") == Some("data-1"))
        .expect("data-1")
        .id
        .clone();
    apply(
        &mut world,
        Command::CreateSnapshot {
            volume_id: data,
            description: String::new(),
            tags: Tags::default(),
        },
    );
    let diagram = layout(world.region(DEFAULT_REGION).expect("default region"));
    let node = diagram
        .nodes
        .iter()
        .find(|n| n.kind == Kind::Snapshot)
        .expect("the snapshot is on its shelf");
    let texts: Vec<&str> = node.texts.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(texts[0], "of data-1 · pending");
    assert!(texts[1].starts_with("snap-"), "{texts:?}");
}
