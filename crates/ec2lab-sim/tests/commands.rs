//! Commands against a fresh account: what they make, and the errors AWS
//! returns when they are wrong. Every failed command must leave the world
//! exactly as it was.

use ec2lab_sim::{
    Command, ImageId, InstanceState, IpProtocol, Response, RulePeer, SecurityGroupId,
    SecurityGroupRule, SubnetId, Tags, VpcId, World, BOOT_SECONDS, PUBLIC_IMAGES,
};
use expect_test::{expect, Expect};

const REGION: &str = "us-east-1";

/// Applies `command` and checks the one-line outcome; a failure must change nothing.
fn check(world: &mut World, command: Command, expected: Expect) -> Option<Response> {
    let before = world.clone();
    let (line, response) = match world.apply(REGION, command) {
        Ok(response) => (format!("ok {response:?}"), Some(response)),
        Err(error) => {
            assert_eq!(*world, before, "a failed command changed the world");
            (error.to_string(), None)
        }
    };
    expected.assert_eq(&line);
    response
}

fn vpc(world: &mut World, cidr: &str) -> VpcId {
    match world.apply(
        REGION,
        Command::CreateVpc {
            cidr_block: cidr.into(),
            tags: Tags::named("v"),
        },
    ) {
        Ok(Response::Vpc(id)) => id,
        other => panic!("CreateVpc: {other:?}"),
    }
}

fn subnet(world: &mut World, vpc_id: &VpcId, cidr: &str, zone: &str) -> SubnetId {
    let command = Command::CreateSubnet {
        vpc_id: vpc_id.clone(),
        cidr_block: cidr.into(),
        availability_zone: zone.into(),
        tags: Tags::named(cidr),
    };
    match world.apply(REGION, command) {
        Ok(Response::Subnet(id)) => id,
        other => panic!("CreateSubnet: {other:?}"),
    }
}

fn run(
    image_id: ImageId,
    instance_type: &str,
    subnet_id: &SubnetId,
    groups: Vec<SecurityGroupId>,
) -> Command {
    Command::RunInstances(Box::new(ec2lab_sim::RunInstances {
        image_id,
        instance_type: instance_type.into(),
        subnet_id: subnet_id.clone(),
        security_group_ids: groups,
        count: 1,
        tags: Tags::named("test"),
        ..ec2lab_sim::RunInstances::default()
    }))
}

#[test]
fn a_new_vpc_comes_with_a_main_route_table_default_acl_and_default_group() {
    // C2, B2, A6: what CreateVpc makes besides the VPC.
    let mut world = World::new();
    let id = vpc(&mut world, "10.1.0.0/16");
    subnet(&mut world, &id, "10.1.0.0/24", "us-east-1c");
    expect![[r#"
        Region us-east-1 (US East (N. Virginia))
          EBS encryption by default: off
          VPC vpc-01045a7fb10b3fc77 v 10.1.0.0/16
            Route table rtb-022894ba151e5e1a9 - (main): 10.1.0.0/16 → local
            Network ACL acl-0eaf2359b6e6a290b - (default)
              inbound: 100 allow -1 all 0.0.0.0/0; * deny -1 all 0.0.0.0/0
              outbound: 100 allow -1 all 0.0.0.0/0; * deny -1 all 0.0.0.0/0
            Security group sg-0935cb6af174e8421 default
              inbound: -1 all sg-0935cb6af174e8421
              outbound: -1 all 0.0.0.0/0
            Availability Zone us-east-1c (use1-az4)
              Subnet subnet-0dee21ba09fd7951f 10.1.0.0/24 10.1.0.0/24, private, network ACL acl-0eaf2359b6e6a290b
    "#]]
    .assert_eq(&world.region(REGION).expect("region").to_string());
}

#[test]
fn vpc_and_subnet_blocks_are_checked() {
    let mut world = World::new();
    // C4: a VPC's block is /16 to /28.
    check(
        &mut world,
        Command::CreateVpc { cidr_block: "10.0.0.0/8".into(), tags: Tags::new() },
        expect!["An error occurred (InvalidVpc.Range): The CIDR '10.0.0.0/8' is invalid. A VPC's block must be between /16 and /28."],
    );
    check(
        &mut world,
        Command::CreateVpc { cidr_block: "10.0.0.0/33".into(), tags: Tags::new() },
        expect!["An error occurred (InvalidParameterValue): Value (10.0.0.0/33) for parameter cidrBlock is invalid. This is not a valid CIDR block."],
    );
    let id = vpc(&mut world, "10.0.0.0/16");
    let create = |cidr: &str, zone: &str| Command::CreateSubnet {
        vpc_id: id.clone(),
        cidr_block: cidr.into(),
        availability_zone: zone.into(),
        tags: Tags::new(),
    };
    check(
        &mut world,
        create("10.1.0.0/24", "us-east-1a"),
        expect!["An error occurred (InvalidSubnet.Range): The CIDR '10.1.0.0/24' is invalid. A subnet's block must be between /16 and /28 and inside the VPC's block 10.0.0.0/16."],
    );
    check(
        &mut world,
        create("10.0.0.0/29", "us-east-1a"),
        expect!["An error occurred (InvalidSubnet.Range): The CIDR '10.0.0.0/29' is invalid. A subnet's block must be between /16 and /28 and inside the VPC's block 10.0.0.0/16."],
    );
    check(
        &mut world,
        create("10.0.0.0/24", "us-east-1a"),
        expect![[r#"ok Subnet(SubnetId("subnet-0dee21ba09fd7951f"))"#]],
    );
    check(
        &mut world,
        create("10.0.0.128/25", "us-east-1b"),
        expect!["An error occurred (InvalidSubnet.Conflict): The CIDR '10.0.0.128/25' conflicts with another subnet (subnet-0dee21ba09fd7951f 10.0.0.0/24)."],
    );
    check(
        &mut world,
        create("10.0.1.0/24", "eu-west-1a"),
        expect!["An error occurred (InvalidParameterValue): Value (eu-west-1a) for parameter availabilityZone is invalid. It must be one of the Availability Zones of us-east-1: us-east-1a, us-east-1b, us-east-1c."],
    );
    check(
        &mut world,
        Command::CreateSubnet {
            vpc_id: VpcId::from("vpc-0123456789abcdef0"),
            cidr_block: "10.0.1.0/24".into(),
            availability_zone: "us-east-1a".into(),
            tags: Tags::new(),
        },
        expect!["An error occurred (InvalidVpcID.NotFound): The vpc ID 'vpc-0123456789abcdef0' does not exist"],
    );
}

#[test]
fn ids_are_regional() {
    // D2: an id made in one Region does not exist in another.
    let mut world = World::new();
    let id = vpc(&mut world, "10.0.0.0/16");
    let result = world.apply(
        "eu-west-1",
        Command::CreateSubnet {
            vpc_id: id,
            cidr_block: "10.0.0.0/24".into(),
            availability_zone: "eu-west-1a".into(),
            tags: Tags::new(),
        },
    );
    expect![[r#"Err(ApiError { code: "InvalidVpcID.NotFound", message: "The vpc ID 'vpc-01045a7fb10b3fc77' does not exist" })"#]]
        .assert_eq(&format!("{result:?}"));
    let result = world.apply("mars-1", Command::AdvanceTime { seconds: 1 });
    expect!["Err(ApiError { code: \"InvalidRegion\", message: \"The Region 'mars-1' is not one the lab simulates: us-east-1, us-west-2, eu-west-1\" })"]
        .assert_eq(&format!("{result:?}"));
}

#[test]
fn a_subnet_is_public_only_when_its_route_table_points_at_an_attached_internet_gateway() {
    // C3: an internet gateway and a route to it; without the route the subnet stays private.
    let mut world = World::new();
    let vpc_id = vpc(&mut world, "10.0.0.0/16");
    let subnet_id = subnet(&mut world, &vpc_id, "10.0.0.0/24", "us-east-1a");
    let public = |world: &World| world.region(REGION).expect("region").is_public(&subnet_id);
    let Ok(Response::InternetGateway(igw)) =
        world.apply(REGION, Command::CreateInternetGateway { tags: Tags::new() })
    else {
        panic!("CreateInternetGateway failed");
    };
    let Ok(Response::RouteTable(table)) = world.apply(
        REGION,
        Command::CreateRouteTable {
            vpc_id: vpc_id.clone(),
            tags: Tags::new(),
        },
    ) else {
        panic!("CreateRouteTable failed");
    };
    let route = Command::CreateRoute {
        route_table_id: table.clone(),
        destination_cidr_block: "0.0.0.0/0".into(),
        gateway_id: igw.clone(),
    };
    check(
        &mut world,
        route.clone(),
        expect!["An error occurred (InvalidParameterValue): Value (igw-0a09258fcf2eafa92) for parameter gatewayId is invalid. route table rtb-032f4bb3ae6a425c1 and network gateway igw-0a09258fcf2eafa92 belong to different networks"],
    );
    let attach = Command::AttachInternetGateway {
        internet_gateway_id: igw,
        vpc_id: vpc_id.clone(),
    };
    check(&mut world, attach.clone(), expect!["ok Done"]);
    check(
        &mut world,
        attach,
        expect!["An error occurred (Resource.AlreadyAssociated): VPC vpc-01045a7fb10b3fc77 already has internet gateway igw-0a09258fcf2eafa92 attached."],
    );
    check(&mut world, route.clone(), expect!["ok Done"]);
    check(
        &mut world,
        route,
        expect!["An error occurred (RouteAlreadyExists): The route identified by 0.0.0.0/0 already exists."],
    );
    assert!(
        !public(&world),
        "the table is not associated with the subnet yet"
    );
    let associate = Command::AssociateRouteTable {
        route_table_id: table,
        subnet_id: subnet_id.clone(),
    };
    check(
        &mut world,
        associate.clone(),
        expect![[
            r#"ok RouteTableAssociation(RouteTableAssociationId("rtbassoc-0e1f35406dcfacc32"))"#
        ]],
    );
    assert!(public(&world));
    check(
        &mut world,
        associate,
        expect!["An error occurred (Resource.AlreadyAssociated): the specified association for route table rtb-032f4bb3ae6a425c1 conflicts with an existing association"],
    );
}

#[test]
fn security_groups_start_as_aws_makes_them_and_names_are_unique_per_vpc() {
    let mut world = World::new();
    let vpc_id = vpc(&mut world, "10.0.0.0/16");
    let create = |name: &str| Command::CreateSecurityGroup {
        group_name: name.into(),
        description: "test".into(),
        vpc_id: vpc_id.clone(),
        tags: Tags::new(),
    };
    let Some(Response::SecurityGroup(id)) = check(
        &mut world,
        create("web"),
        expect![[r#"ok SecurityGroup(SecurityGroupId("sg-0dee21ba09fd7951f"))"#]],
    ) else {
        panic!("CreateSecurityGroup failed");
    };
    // A4: no inbound rules, one outbound rule allowing all traffic.
    let group = &world.region(REGION).expect("region").security_groups[&id];
    expect!["inbound [] outbound [\"-1 all 0.0.0.0/0\"]"].assert_eq(&format!(
        "inbound {:?} outbound {:?}",
        group
            .ingress
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        group
            .egress
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    ));
    // A16: names are unique within a VPC and can't start with `sg-`.
    check(
        &mut world,
        create("web"),
        expect!["An error occurred (InvalidGroup.Duplicate): The security group 'web' already exists for VPC 'vpc-01045a7fb10b3fc77'"],
    );
    check(
        &mut world,
        create("default"),
        expect!["An error occurred (InvalidGroup.Duplicate): The security group 'default' already exists for VPC 'vpc-01045a7fb10b3fc77'"],
    );
    check(
        &mut world,
        create("sg-web"),
        expect!["An error occurred (InvalidParameterValue): Value (sg-web) for parameter GroupName is invalid. A group name has 1 to 255 characters and cannot start with 'sg-'."],
    );
    let ssh = SecurityGroupRule {
        protocol: IpProtocol::Tcp,
        ports: Some((22, 22)),
        peer: RulePeer::Cidr("203.0.113.0/24".parse().expect("cidr")),
        description: None,
    };
    let authorize = Command::AuthorizeSecurityGroupIngress {
        group_id: id,
        rules: vec![ssh],
    };
    check(&mut world, authorize.clone(), expect!["ok Done"]);
    check(
        &mut world,
        authorize,
        expect!["An error occurred (InvalidPermission.Duplicate): the specified rule \"peer: 203.0.113.0/24, tcp 22 203.0.113.0/24\" already exists"],
    );
}

#[test]
fn run_instances_checks_the_ami_type_and_groups_then_boots_the_instance() {
    let mut world = World::new();
    let vpc_id = vpc(&mut world, "10.0.0.0/16");
    let subnet_id = subnet(&mut world, &vpc_id, "10.0.0.0/28", "us-east-1a");
    let x86 = PUBLIC_IMAGES[0].id_in(REGION);
    check(
        &mut world,
        run(ImageId::from("ami-0123456789abcdef0"), "t3.micro", &subnet_id, vec![]),
        expect!["An error occurred (InvalidAMIID.NotFound): The image id '[ami-0123456789abcdef0]' does not exist"],
    );
    // D2: the image exists, but its id belongs to another Region.
    check(
        &mut world,
        run(PUBLIC_IMAGES[0].id_in("eu-west-1"), "t3.micro", &subnet_id, vec![]),
        expect!["An error occurred (InvalidAMIID.NotFound): The image id '[ami-a7a8506a896886b0a]' does not exist"],
    );
    check(
        &mut world,
        run(x86.clone(), "t4g.micro", &subnet_id, vec![]),
        expect!["An error occurred (InvalidParameterValue): The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI."],
    );
    check(
        &mut world,
        run(x86.clone(), "t3.micro", &subnet_id, vec![SecurityGroupId::from("sg-0123456789abcdef0")]),
        expect!["An error occurred (InvalidGroup.NotFound): The security group 'sg-0123456789abcdef0' does not exist in VPC 'vpc-01045a7fb10b3fc77'"],
    );
    let Some(Response::Instances(_, ids)) = check(
        &mut world,
        run(x86.clone(), "t3.micro", &subnet_id, vec![]),
        expect![[
            r#"ok Instances(ReservationId("r-0a09258fcf2eafa92"), [InstanceId("i-032f4bb3ae6a425c1")])"#
        ]],
    ) else {
        panic!("RunInstances failed");
    };
    let state = |world: &World| world.region(REGION).expect("region").instances[&ids[0]].state;
    // G1: an instance starts `pending` and becomes `running` once it has booted.
    assert_eq!(state(&world), InstanceState::Pending);
    world
        .apply(
            REGION,
            Command::AdvanceTime {
                seconds: BOOT_SECONDS - 1,
            },
        )
        .expect("advance");
    assert_eq!(state(&world), InstanceState::Pending);
    world
        .apply(REGION, Command::AdvanceTime { seconds: 1 })
        .expect("advance");
    assert_eq!(state(&world), InstanceState::Running);
    // C4 and A6: the first assignable address (.4), and the VPC's default group.
    expect![[r#"
        Subnet subnet-0dee21ba09fd7951f 10.0.0.0/28 10.0.0.0/28, private, network ACL acl-0eaf2359b6e6a290b
          Instance i-032f4bb3ae6a425c1 test t3.micro running private 10.0.0.4 [default]
            Volume vol-09de866c5cc163ba4 /dev/xvda 8 GiB gp3 unencrypted, deleted on termination
    "#]]
    .assert_eq(
        &world
            .region(REGION)
            .expect("region")
            .to_string()
            .lines()
            .skip_while(|line| !line.contains("Subnet"))
            .map(|line| format!("{}\n", line.trim_start_matches("      ")))
            .collect::<String>(),
    );
    // C4: a /28 has 16 - 5 = 11 assignable addresses; one is taken.
    let mut many = run(x86, "t3.micro", &subnet_id, vec![]);
    if let Command::RunInstances(request) = &mut many {
        request.count = 11;
    }
    check(
        &mut world,
        many,
        expect!["An error occurred (InsufficientFreeAddressesInSubnet): There are not enough free addresses in subnet 'subnet-0dee21ba09fd7951f' to satisfy the requested number of instances."],
    );
}

#[test]
fn new_volumes_are_gp2_and_unencrypted_unless_asked_otherwise() {
    // F2: CreateVolume defaults to gp2. E5: encryption by default starts off,
    // so a new volume is not encrypted (the seed note "snapshots are encrypted
    // by default" is wrong).
    let mut world = World::new();
    let create = |size_gib: u32, volume_type: Option<&str>| {
        Command::CreateVolume(Box::new(ec2lab_sim::CreateVolume {
            availability_zone: "us-east-1a".into(),
            size_gib: Some(size_gib),
            volume_type: volume_type.map(str::to_owned),
            tags: Tags::named("data"),
            ..Default::default()
        }))
    };
    check(
        &mut world,
        create(10, None),
        expect![[r#"ok Volume(VolumeId("vol-01045a7fb10b3fc77"))"#]],
    );
    expect![[r#"
        Region us-east-1 (US East (N. Virginia))
          EBS encryption by default: off
          Unattached volumes in us-east-1a (use1-az1)
            Volume vol-01045a7fb10b3fc77 data 10 GiB gp2 creating, unencrypted
    "#]]
    .assert_eq(&world.region(REGION).expect("region").to_string());
    check(
        &mut world,
        create(100, Some("st1")),
        expect!["An error occurred (InvalidParameterValue): Value (100) for parameter Size is invalid. A st1 volume must be 125 to 16384 GiB."],
    );
    check(
        &mut world,
        create(10, Some("gp4")),
        expect!["An error occurred (InvalidParameterValue): Value (gp4) for parameter VolumeType is invalid. Valid types are standard, io1, io2, gp2, sc1, st1 and gp3."],
    );
    let volume = world
        .region(REGION)
        .expect("region")
        .volumes
        .values()
        .next()
        .expect("one volume");
    assert_eq!(
        (volume.volume_type.name(), volume.encrypted),
        ("gp2", false)
    );
}

#[test]
fn a_request_with_one_bad_part_changes_nothing() {
    // A command succeeds whole or fails whole: the first rule of a batch is
    // not added when the second is a duplicate, and no resource is tagged
    // when one of the ids does not exist. (`check` asserts the world is unchanged.)
    let mut world = World::new();
    let vpc_id = vpc(&mut world, "10.0.0.0/16");
    let Ok(Response::SecurityGroup(group_id)) = world.apply(
        REGION,
        Command::CreateSecurityGroup {
            group_name: "web".into(),
            description: "web".into(),
            vpc_id: vpc_id.clone(),
            tags: Tags::new(),
        },
    ) else {
        panic!("CreateSecurityGroup failed");
    };
    let http = SecurityGroupRule {
        protocol: IpProtocol::Tcp,
        ports: Some((80, 80)),
        peer: RulePeer::Cidr("0.0.0.0/0".parse().expect("cidr")),
        description: None,
    };
    check(
        &mut world,
        Command::AuthorizeSecurityGroupIngress {
            group_id,
            rules: vec![http.clone(), http],
        },
        expect![[
            r#"An error occurred (InvalidPermission.Duplicate): the specified rule "peer: 0.0.0.0/0, tcp 80 0.0.0.0/0" already exists"#
        ]],
    );
    check(
        &mut world,
        Command::CreateTags {
            resource_ids: vec![vpc_id.to_string(), "subnet-0123456789abcdef0".into()],
            tags: Tags::named("renamed"),
        },
        expect!["An error occurred (InvalidID): The ID 'subnet-0123456789abcdef0' is not valid or does not exist in us-east-1"],
    );
}

#[test]
fn network_acls_hold_twenty_rules_per_direction_including_the_star() {
    // B9: 20 per direction, IPv4 and IPv6 counted apart, the * rule included.
    let mut world = World::new();
    let vpc_id = vpc(&mut world, "10.0.0.0/16");
    let Ok(Response::NetworkAcl(acl)) = world.apply(
        REGION,
        Command::CreateNetworkAcl {
            vpc_id,
            tags: Tags::new(),
        },
    ) else {
        panic!("CreateNetworkAcl failed");
    };
    let entry = |rule_number: u16| Command::CreateNetworkAclEntry {
        network_acl_id: acl.clone(),
        entry: ec2lab_sim::NetworkAclEntry {
            rule_number,
            egress: false,
            protocol: IpProtocol::Tcp,
            action: ec2lab_sim::RuleAction::Allow,
            cidr_block: "10.0.0.0/8".parse().expect("cidr"),
            port_range: Some((rule_number, rule_number)),
            icmp_type_code: None,
        },
    };
    for n in 1..=19 {
        world.apply(REGION, entry(n)).expect("within the quota");
    }
    check(
        &mut world,
        entry(20),
        expect!["An error occurred (NetworkAclEntryLimitExceeded): The maximum number of network ACL entries (20 per direction, including the default deny) has been reached."],
    );
    check(
        &mut world,
        entry(0),
        expect!["An error occurred (InvalidParameterValue): Value (0) for parameter RuleNumber is invalid. It must be from 1 to 32766; 32767 to 65535 are reserved for internal use."],
    );
}

#[test]
fn a_rule_can_only_reference_a_group_that_exists() {
    // A7.
    let mut world = World::new();
    let vpc_id = vpc(&mut world, "10.0.0.0/16");
    let default_group = world.region(REGION).expect("region").vpcs[&vpc_id]
        .default_security_group
        .clone();
    let rule = SecurityGroupRule {
        protocol: IpProtocol::Tcp,
        ports: Some((5432, 5432)),
        peer: RulePeer::SecurityGroup(SecurityGroupId::from("sg-0123456789abcdef0")),
        description: None,
    };
    check(
        &mut world,
        Command::AuthorizeSecurityGroupIngress { group_id: default_group.clone(), rules: vec![rule] },
        expect!["An error occurred (InvalidGroup.NotFound): The security group 'sg-0123456789abcdef0' does not exist"],
    );
    check(
        &mut world,
        Command::DeleteSecurityGroup {
            group_id: default_group,
        },
        expect![[
            r#"An error occurred (Client.CannotDelete): the specified group: "sg-0935cb6af174e8421" name: "default" cannot be deleted by a user"#
        ]],
    );
}

#[test]
fn the_screens_dispatcher_runs_the_screens_commands_as_apply_does_and_refuses_the_rest() {
    let mut basic = World::new();
    let mut full = World::new();
    let create = || Command::CreateVpc {
        cidr_block: "10.9.0.0/16".into(),
        tags: Tags::named("same"),
    };
    assert_eq!(
        basic.apply_basic(REGION, create()),
        full.apply(REGION, create())
    );
    assert_eq!(basic, full);
    // An Elastic IP is only ever made at the console.
    let before = basic.clone();
    let refused = basic
        .apply_basic(REGION, Command::AllocateAddress { tags: Tags::new() })
        .map(|_| ());
    expect!["Err(ApiError { code: \"UnsupportedOperation\", message: \"This action runs at the console only.\" })"]
        .assert_eq(&format!("{refused:?}"));
    assert_eq!(basic, before);
    assert!(full
        .apply(REGION, Command::AllocateAddress { tags: Tags::new() })
        .is_ok());
}
