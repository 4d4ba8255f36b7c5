//! Amazon EFS on the default lab (J3): file systems and mount targets, the
//! errors EFS returns, the account's golden text, the queries an instance
//! uses to mount a file system, and NFS traffic to a mount target.

use std::net::IpAddr;

use ec2lab_sim::{
    default_lab, Command, CreateFileSystem, FileSystemId, Flow, IpProtocol, MountTargetId,
    RegionState, Response, RulePeer, SecurityGroupId, SecurityGroupRule, Source, SubnetId, Tags,
    Transport, World, DEFAULT_REGION, FILE_SYSTEM_CREATE_SECONDS, MOUNT_TARGET_CREATE_SECONDS,
    NFS_PORT,
};
use expect_test::{expect, Expect};

const REGION: &str = DEFAULT_REGION;

fn region(world: &World) -> &RegionState {
    world.region(REGION).expect("default region")
}

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

fn apply(world: &mut World, command: Command) -> Response {
    world
        .apply(REGION, command)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn subnet(world: &World, name: &str) -> SubnetId {
    region(world)
        .subnets
        .values()
        .find(|s| s.tags.name() == Some(name))
        .map(|s| s.id.clone())
        .unwrap_or_else(|| panic!("no subnet {name}"))
}

fn group(world: &World, name: &str) -> SecurityGroupId {
    region(world)
        .security_groups
        .values()
        .find(|g| g.name == name)
        .map(|g| g.id.clone())
        .unwrap_or_else(|| panic!("no group {name}"))
}

/// A file system, made and let become available.
fn file_system(world: &mut World, request: CreateFileSystem) -> FileSystemId {
    let Response::FileSystem(id) = apply(world, Command::CreateFileSystem(Box::new(request)))
    else {
        panic!("CreateFileSystem made no file system");
    };
    apply(
        world,
        Command::AdvanceTime {
            seconds: FILE_SYSTEM_CREATE_SECONDS,
        },
    );
    id
}

fn mount_target(world: &mut World, fs: &FileSystemId, subnet_name: &str) -> MountTargetId {
    let command = Command::CreateMountTarget {
        file_system_id: fs.clone(),
        subnet_id: subnet(world, subnet_name),
        ip_address: None,
        security_groups: Vec::new(),
    };
    let Response::MountTarget(id) = apply(world, command) else {
        panic!("CreateMountTarget made no mount target");
    };
    id
}

fn named(name: &str, token: &str) -> CreateFileSystem {
    CreateFileSystem {
        creation_token: Some(token.into()),
        tags: Tags::named(name),
        ..CreateFileSystem::default()
    }
}

#[test]
fn file_systems_and_mount_targets_show_in_the_golden_text() {
    // J3: a Regional file system with a mount target in each of two AZs; a
    // mount target lives in a subnet, the file system in the Region.
    let mut world = default_lab();
    let fs = file_system(&mut world, named("shared", "shared-1"));
    mount_target(&mut world, &fs, "private-a");
    mount_target(&mut world, &fs, "private-b");
    let one_zone = CreateFileSystem {
        availability_zone_name: Some("us-east-1b".into()),
        encrypted: true,
        ..named("scratch", "scratch-1")
    };
    file_system(&mut world, one_zone);
    apply(
        &mut world,
        Command::AdvanceTime {
            seconds: MOUNT_TARGET_CREATE_SECONDS,
        },
    );
    let text = region(&world).to_string();
    let efs: Vec<&str> = text.lines().filter(|l| l.contains("EFS")).collect();
    expect![[r#"
        [
            "        EFS mount target fsmt-0874c7980c34e481f of fs-02df81733515eb05a available private 10.0.2.5 [default]",
            "        EFS mount target fsmt-05bb27523b1519aa5 of fs-02df81733515eb05a available private 10.0.12.4 [default]",
            "  EFS file system fs-02df81733515eb05a shared Regional, available, generalPurpose bursting, unencrypted, 6144 bytes, 2 mount targets",
            "  EFS file system fs-0a7be6ffd797bf784 scratch One Zone us-east-1b (use1-az2), available, generalPurpose bursting, encrypted, 6144 bytes, 0 mount targets",
        ]
    "#]]
    .assert_debug_eq(&efs);
    // Mount targets sit in their subnets, after the instances.
    assert!(text.contains("Subnet subnet-0a09258fcf2eafa92 private-a 10.0.2.0/24, private, network ACL acl-0eaf2359b6e6a290b\n        Instance i-0b55da2a81bfa3ffd db-1 t3.small running private 10.0.2.4 [db-sg]\n          Volume vol-0f3a236e52d20a954 /dev/xvda 8 GiB gp3 unencrypted, deleted on termination\n        EFS mount target"));
}

#[test]
fn a_region_with_only_a_file_system_is_not_empty() {
    let mut world = World::new();
    file_system(&mut world, named("lonely", "lonely-1"));
    expect![[r#"
        Region us-east-1 (US East (N. Virginia))
          EBS encryption by default: off
          EFS file system fs-01045a7fb10b3fc77 lonely Regional, available, generalPurpose bursting, unencrypted, 6144 bytes, 0 mount targets
    "#]]
    .assert_eq(&region(&world).to_string());
}

#[test]
fn create_file_system_checks_its_request_and_is_idempotent_by_token() {
    let mut world = default_lab();
    let create = |request: CreateFileSystem| Command::CreateFileSystem(Box::new(request));
    check(
        &mut world,
        create(named("a", "token-1")),
        expect![[r#"ok FileSystem(FileSystemId("fs-02df81733515eb05a"))"#]],
    );
    check(
        &mut world,
        create(named("b", "token-1")),
        expect!["An error occurred (FileSystemAlreadyExists): File system 'fs-02df81733515eb05a' already exists with creation token 'token-1'"],
    );
    check(
        &mut world,
        create(named("c", &"x".repeat(65))),
        expect!["An error occurred (BadRequest): A creation token has 1 to 64 characters; 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' has 65."],
    );
    check(
        &mut world,
        create(CreateFileSystem {
            performance_mode: Some("turbo".into()),
            ..CreateFileSystem::default()
        }),
        expect!["An error occurred (BadRequest): PerformanceMode 'turbo' is not valid: use generalPurpose (the default) or maxIO."],
    );
    check(
        &mut world,
        create(CreateFileSystem {
            throughput_mode: Some("provisioned".into()),
            ..CreateFileSystem::default()
        }),
        expect!["An error occurred (BadRequest): ThroughputMode provisioned needs ProvisionedThroughputInMibps, which the lab does not simulate: use bursting (the default) or elastic."],
    );
    check(
        &mut world,
        create(CreateFileSystem {
            availability_zone_name: Some("eu-west-1a".into()),
            ..CreateFileSystem::default()
        }),
        expect!["An error occurred (BadRequest): AvailabilityZoneName 'eu-west-1a' is not an Availability Zone of us-east-1: use one of us-east-1a, us-east-1b, us-east-1c."],
    );
    check(
        &mut world,
        create(CreateFileSystem {
            availability_zone_name: Some("us-east-1a".into()),
            performance_mode: Some("maxIO".into()),
            ..CreateFileSystem::default()
        }),
        expect!["An error occurred (BadRequest): Max I/O performance mode is not supported for One Zone file systems."],
    );
    check(
        &mut world,
        create(CreateFileSystem {
            encrypted: true,
            kms_key_id: Some("alias/aws/ebs".into()),
            ..CreateFileSystem::default()
        }),
        expect!["An error occurred (BadRequest): KmsKeyId 'alias/aws/ebs' is not a key EFS can use in us-east-1: use alias/aws/elasticfilesystem (the default) or alias/lab-key."],
    );
    // Without a token the lab makes one, shaped like the AWS CLI's UUIDs.
    let Some(Response::FileSystem(id)) = check(
        &mut world,
        create(CreateFileSystem::default()),
        expect![[r#"ok FileSystem(FileSystemId("fs-0874c7980c34e481f"))"#]],
    ) else {
        panic!("no file system");
    };
    let token = &region(&world)
        .file_system(&id)
        .expect("made")
        .creation_token;
    expect!["36057413-850f-4a31-bdaf-7bd7b0085fd2"].assert_eq(token);
}

#[test]
fn mount_targets_follow_efs_rules() {
    let mut world = default_lab();
    let fs = FileSystemId::from("fs-02df81733515eb05a");
    let (private_a, public_a, private_b) = (
        subnet(&world, "private-a"),
        subnet(&world, "public-a"),
        subnet(&world, "private-b"),
    );
    let create =
        |subnet_id: &SubnetId, ip: Option<&str>, groups: &[&str]| Command::CreateMountTarget {
            file_system_id: fs.clone(),
            subnet_id: subnet_id.clone(),
            ip_address: ip.map(str::to_owned),
            security_groups: groups.iter().map(|g| SecurityGroupId::from(*g)).collect(),
        };
    check(
        &mut world,
        create(&private_a, None, &[]),
        expect!["An error occurred (FileSystemNotFound): File system 'fs-02df81733515eb05a' does not exist."],
    );
    apply(
        &mut world,
        Command::CreateFileSystem(Box::new(named("shared", "shared-1"))),
    );
    check(
        &mut world,
        create(&private_a, None, &[]),
        expect!["An error occurred (IncorrectFileSystemLifeCycleState): File system 'fs-02df81733515eb05a' is creating: mount targets can be created once it is available."],
    );
    apply(&mut world, Command::AdvanceTime { seconds: 5 });
    check(
        &mut world,
        Command::CreateMountTarget {
            file_system_id: fs.clone(),
            subnet_id: SubnetId::from("subnet-0000000000000000a"),
            ip_address: None,
            security_groups: Vec::new(),
        },
        expect!["An error occurred (SubnetNotFound): The subnet ID 'subnet-0000000000000000a' does not exist"],
    );
    check(
        &mut world,
        create(&private_a, Some("10.0.3.7"), &[]),
        expect!["An error occurred (BadRequest): Address does not fall within the subnet's address range: 10.0.3.7 is not an assignable address of subnet-0a09258fcf2eafa92 (10.0.2.0/24; its first four and its last address are reserved)."],
    );
    check(
        &mut world,
        create(&private_a, Some("10.0.2.255"), &[]),
        expect!["An error occurred (BadRequest): Address does not fall within the subnet's address range: 10.0.2.255 is not an assignable address of subnet-0a09258fcf2eafa92 (10.0.2.0/24; its first four and its last address are reserved)."],
    );
    check(
        &mut world,
        create(&private_a, Some("ten"), &[]),
        expect!["An error occurred (BadRequest): IpAddress 'ten' is not an IPv4 address."],
    );
    check(
        &mut world,
        create(&private_a, Some("10.0.2.4"), &[]),
        expect!["An error occurred (IpAddressInUse): IpAddress 10.0.2.4 is already in use in subnet subnet-0a09258fcf2eafa92."],
    );
    let six = ["sg-1", "sg-2", "sg-3", "sg-4", "sg-5", "sg-6"];
    check(
        &mut world,
        create(&private_a, None, &six),
        expect!["An error occurred (SecurityGroupLimitExceeded): A mount target can have at most 5 security groups; 6 were given."],
    );
    check(
        &mut world,
        create(&private_a, None, &["sg-1"]),
        expect![
            "An error occurred (SecurityGroupNotFound): The security group 'sg-1' does not exist."
        ],
    );
    let web_sg = group(&world, "web-sg");
    let twice = create(&private_a, None, &[web_sg.as_str(), web_sg.as_str()]);
    check(
        &mut world,
        twice,
        expect![[r#"ok MountTarget(MountTargetId("fsmt-0874c7980c34e481f"))"#]],
    );
    // Named twice, kept once.
    let mt = MountTargetId::from("fsmt-0874c7980c34e481f");
    assert_eq!(
        region(&world).mount_target_security_groups(&mt),
        Some(&[web_sg][..])
    );
    // J3: one mount target per AZ.
    check(
        &mut world,
        create(&public_a, None, &[]),
        expect!["An error occurred (MountTargetConflict): mount target already exists in this AZ (fsmt-0874c7980c34e481f of fs-02df81733515eb05a is in us-east-1a, subnet subnet-0a09258fcf2eafa92)"],
    );
    // All of a file system's mount targets are in one VPC.
    let Response::Vpc(other_vpc) = apply(
        &mut world,
        Command::CreateVpc {
            cidr_block: "10.9.0.0/16".into(),
            tags: Tags::named("other"),
        },
    ) else {
        panic!("no VPC");
    };
    apply(
        &mut world,
        Command::CreateSubnet {
            vpc_id: other_vpc.clone(),
            cidr_block: "10.9.1.0/24".into(),
            availability_zone: "us-east-1c".into(),
            tags: Tags::named("other-c"),
        },
    );
    let other_c = subnet(&world, "other-c");
    check(
        &mut world,
        create(&other_c, None, &[]),
        expect!["An error occurred (MountTargetConflict): requested subnet for new mount target is not in the same VPC as existing mount targets (fsmt-0874c7980c34e481f of fs-02df81733515eb05a is in vpc-01045a7fb10b3fc77; subnet subnet-04901d7f7e720c21d is in vpc-05bb27523b1519aa5)"],
    );
    let other_default = region(&world)
        .vpcs
        .get(&other_vpc)
        .expect("vpc")
        .default_security_group
        .clone();
    check(
        &mut world,
        create(&private_b, None, &[other_default.as_str()]),
        expect!["An error occurred (SecurityGroupNotFound): The security group 'sg-0959229b6e54cf079' is in vpc-05bb27523b1519aa5, not in the mount target's VPC vpc-01045a7fb10b3fc77: a mount target's groups must be of its own VPC."],
    );
}

#[test]
fn a_one_zone_file_system_is_reached_only_in_its_zone() {
    // J3: One Zone storage classes keep data in a single AZ.
    let mut world = default_lab();
    let one_zone = CreateFileSystem {
        availability_zone_name: Some("us-east-1a".into()),
        ..named("scratch", "scratch-1")
    };
    let fs = file_system(&mut world, one_zone);
    let private_b = subnet(&world, "private-b");
    check(
        &mut world,
        Command::CreateMountTarget {
            file_system_id: fs.clone(),
            subnet_id: private_b,
            ip_address: None,
            security_groups: Vec::new(),
        },
        expect!["An error occurred (AvailabilityZonesMismatch): File system 'fs-02df81733515eb05a' is a One Zone file system in us-east-1a; subnet subnet-07f25d30fd491ab90 is in us-east-1b. Its mount target must be in a subnet of us-east-1a."],
    );
    mount_target(&mut world, &fs, "private-a");
    let region = region(&world);
    assert!(region.mount_target_for(&fs, "us-east-1a").is_some());
    assert!(region.mount_target_for(&fs, "us-east-1b").is_none());
}

#[test]
fn the_queries_a_mount_uses() {
    let mut world = default_lab();
    let fs = file_system(&mut world, named("shared", "shared-1"));
    let mt = mount_target(&mut world, &fs, "private-a");
    let region_state = region(&world);
    // The DNS name resolves to the mount target in the client's own AZ;
    // with none there it does not resolve.
    expect!["fs-02df81733515eb05a.efs.us-east-1.amazonaws.com"]
        .assert_eq(&region_state.file_system_dns_name(&fs).expect("exists"));
    let found = region_state
        .mount_target_for(&fs, "us-east-1a")
        .expect("a mount target in us-east-1a");
    assert_eq!(found.id, mt);
    expect!["us-east-1a.fs-02df81733515eb05a.efs.us-east-1.amazonaws.com"]
        .assert_eq(&found.dns_name(REGION));
    assert!(region_state.mount_target_for(&fs, "us-east-1b").is_none());
    assert!(region_state.is_efs_mount_target_interface(&found.network_interface_id));
    let db = region_state
        .instances
        .values()
        .find(|i| i.tags.name() == Some("db-1"))
        .expect("db-1");
    assert!(!region_state.is_efs_mount_target_interface(&db.network_interface_id));
    let eni = region_state
        .network_interfaces
        .get(&found.network_interface_id)
        .expect("its interface");
    assert_eq!(eni.description, format!("EFS mount target for {fs} ({mt})"));
    assert_eq!(eni.instance_id, None);
    assert_eq!(eni.private_ip, found.ip_address);
    // Every client shares one file tree; the metered size follows it.
    let mut copy = region_state.clone();
    let data = copy.file_system_data_mut(&fs).expect("exists");
    data.files
        .insert("/shared/hello.txt".into(), "hello".into());
    assert_eq!(
        copy.file_system(&fs).expect("exists").size_in_bytes(),
        3 * 6144
    );
}

#[test]
fn nfs_reaches_a_mount_target_only_through_its_security_groups() {
    // J3: the mount target's groups must allow inbound TCP 2049 from the clients.
    let mut world = default_lab();
    let fs = file_system(&mut world, named("shared", "shared-1"));
    let mt = mount_target(&mut world, &fs, "private-a");
    let web_1 = region(&world)
        .instances
        .values()
        .find(|i| i.tags.name() == Some("web-1"))
        .expect("web-1")
        .network_interface_id
        .clone();
    let ip = region(&world)
        .mount_targets
        .get(&mt)
        .expect("made")
        .ip_address;
    let flow = Flow {
        source: Source::Interface(web_1),
        destination: IpAddr::V4(ip),
        transport: Transport::Tcp {
            src_port: 49152,
            dst_port: NFS_PORT,
        },
    };
    let verdict = |world: &World| {
        let trace = region(world).trace(&flow);
        format!(
            "{:?} {:?}",
            trace.request_delivered,
            trace.blocked_by.map(|b| (b.component, b.resource))
        )
    };
    let default_sg = group(&world, "default");
    let web_sg = group(&world, "web-sg");
    let vpc_id = region(&world).vpcs.values().next().expect("vpc").id.clone();
    expect![[r#"false Some((SecurityGroup, "sg-0935cb6af174e8421"))"#]].assert_eq(&verdict(&world));
    let Response::SecurityGroup(efs_sg) = apply(
        &mut world,
        Command::CreateSecurityGroup {
            group_name: "efs-sg".into(),
            description: "NFS from the web tier".into(),
            vpc_id,
            tags: Tags::new(),
        },
    ) else {
        panic!("no group");
    };
    apply(
        &mut world,
        Command::AuthorizeSecurityGroupIngress {
            group_id: efs_sg.clone(),
            rules: vec![SecurityGroupRule {
                protocol: IpProtocol::Tcp,
                ports: Some((2049, 2049)),
                peer: RulePeer::SecurityGroup(web_sg),
                description: None,
            }],
        },
    );
    check(
        &mut world,
        Command::ModifyMountTargetSecurityGroups {
            mount_target_id: mt.clone(),
            security_groups: Vec::new(),
        },
        expect!["An error occurred (BadRequest): A mount target needs at least one security group: give --security-groups."],
    );
    check(
        &mut world,
        Command::ModifyMountTargetSecurityGroups {
            mount_target_id: mt.clone(),
            security_groups: vec![efs_sg, default_sg],
        },
        expect!["ok Done"],
    );
    expect!["true None"].assert_eq(&verdict(&world));
    // Deleting the mount target deletes its interface: nothing answers there.
    check(
        &mut world,
        Command::DeleteFileSystem {
            file_system_id: fs.clone(),
        },
        expect!["An error occurred (FileSystemInUse): File system 'fs-02df81733515eb05a' has mount targets (fsmt-0874c7980c34e481f); delete them first (aws efs delete-mount-target)."],
    );
    check(
        &mut world,
        Command::DeleteMountTarget {
            mount_target_id: mt.clone(),
        },
        expect!["ok Done"],
    );
    expect![[r#"false Some((Destination, "10.0.2.5"))"#]].assert_eq(&verdict(&world));
    assert!(!region(&world)
        .network_interfaces
        .values()
        .any(|eni| eni.private_ip == ip));
    check(
        &mut world,
        Command::DeleteMountTarget {
            mount_target_id: mt,
        },
        expect!["An error occurred (MountTargetNotFound): Mount target 'fsmt-0874c7980c34e481f' does not exist."],
    );
    check(
        &mut world,
        Command::DeleteFileSystem {
            file_system_id: fs.clone(),
        },
        expect!["ok Done"],
    );
    assert!(region(&world).file_system(&fs).is_none());
}

#[test]
fn new_file_systems_and_mount_targets_become_available_with_time() {
    let mut world = default_lab();
    let Response::FileSystem(fs) = apply(
        &mut world,
        Command::CreateFileSystem(Box::new(named("shared", "shared-1"))),
    ) else {
        panic!("no file system");
    };
    let state = |world: &World| region(world).file_system(&fs).expect("exists").state.name();
    assert_eq!(state(&world), "creating");
    apply(
        &mut world,
        Command::AdvanceTime {
            seconds: FILE_SYSTEM_CREATE_SECONDS - 1,
        },
    );
    assert_eq!(state(&world), "creating");
    apply(&mut world, Command::AdvanceTime { seconds: 1 });
    assert_eq!(state(&world), "available");
    let mt = mount_target(&mut world, &fs, "private-b");
    let mt_state = |world: &World| {
        region(world)
            .mount_targets
            .get(&mt)
            .expect("exists")
            .state
            .name()
    };
    assert_eq!(mt_state(&world), "creating");
    apply(
        &mut world,
        Command::AdvanceTime {
            seconds: MOUNT_TARGET_CREATE_SECONDS,
        },
    );
    assert_eq!(mt_state(&world), "available");
}
