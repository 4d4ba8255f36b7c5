//! Importing describe-* output: a real-looking account becomes a world that
//! traces the way AWS would, and bad input is named by file and JSON path.

use std::fmt::Write as _;

use ec2lab_api::{import, parse_document, Document};
use ec2lab_sim::{
    Command, Flow, ImageId, InstanceId, RegionState, Response, RunInstances, Source, SubnetId,
    Tags, Transport, VolumeId, World,
};
use expect_test::{expect, Expect};

fn scenario(name: &str) -> String {
    let path = format!(
        "{}/../../tests/scenarios/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn check_error(text: &str, expected: Expect) {
    check_files_error(&[("bad.json", text)], expected);
}

fn check_files_error(files: &[(&str, &str)], expected: Expect) {
    let result = files
        .iter()
        .map(|(file, text)| parse_document(file, text))
        .collect::<Result<Vec<Document>, _>>()
        .and_then(|docs| import(&docs));
    expected.assert_eq(
        &result
            .map(|_| "imported".to_owned())
            .unwrap_or_else(|e| e.to_string()),
    );
}

fn import_text(text: &str) -> World {
    let doc = parse_document("scenario.json", text).expect("valid JSON");
    import(&[doc]).unwrap_or_else(|e| panic!("{e}"))
}

/// What the Region's text leaves out about storage: attachments, times,
/// snapshot order and owners, and instance-store disks.
fn storage_details(region: &RegionState) -> String {
    let mut out = String::new();
    for instance in region.instances.values() {
        let disks: Vec<String> = instance
            .instance_store
            .iter()
            .map(|d| format!("{} {} {} GB", d.device_name, d.virtual_name, d.size_gb))
            .collect();
        let _ = writeln!(
            out,
            "{} instance store: [{}]",
            instance.id,
            disks.join(", ")
        );
    }
    for volume in region.volumes.values() {
        let attachments: Vec<String> = volume
            .attachments
            .iter()
            .map(|a| {
                format!(
                    "{} at {}{} t={}",
                    a.instance_id,
                    a.device,
                    if a.delete_on_termination {
                        " (deleted on termination)"
                    } else {
                        ""
                    },
                    a.attach_time
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "{} {} created t={} iops {:?} throughput {:?} snapshot {} key {}: [{}]",
            volume.id,
            volume.availability_zone,
            volume.create_time,
            volume.iops,
            volume.throughput,
            volume.snapshot_id.as_ref().map_or("-", |s| s.as_str()),
            volume.kms_key_id.as_deref().unwrap_or("-"),
            attachments.join(", ")
        );
    }
    for snapshot in region.snapshots.values() {
        let _ = writeln!(
            out,
            "{} #{} lineage {} owner {} full {} started t={} completes t={} \"{}\"",
            snapshot.id,
            snapshot.sequence,
            snapshot.lineage.as_ref().map_or("-", |v| v.as_str()),
            snapshot.owner_id,
            snapshot.full,
            snapshot.start_time,
            snapshot.completes_at,
            snapshot.description
        );
    }
    let _ = writeln!(out, "snapshot_sequence {}", region.snapshot_sequence);
    for image in region.images.values() {
        let _ = writeln!(
            out,
            "{} own {} owner {} alias {:?} platform {} created t={} from {}",
            image.id,
            image.is_own(),
            image.owner_id,
            image.owner_alias,
            image.platform,
            image.creation_time,
            image
                .source_instance_id
                .as_ref()
                .map_or("-", |i| i.as_str()),
        );
    }
    out
}

#[test]
fn the_guide_scenario_imports_and_fills_in_what_aws_always_has() {
    let doc = parse_document("guide-custom-acl.json", &scenario("guide-custom-acl.json"))
        .expect("valid JSON");
    let world = import(&[doc]).expect("imports");
    expect![[r#"
        Account at t=0s
        Region us-east-1 (US East (N. Virginia))
          EBS encryption by default: off
          VPC vpc-0a1b2c3d4e5f60001 guide-vpc 10.0.0.0/16
            Internet gateway igw-0a1b2c3d4e5f60001 -, attached
            Route table rtb-0a1b2c3d4e5f60001 - (main): 10.0.0.0/16 → local, 0.0.0.0/0 → igw-0a1b2c3d4e5f60001
            Network ACL acl-0a1b2c3d4e5f60001 - (default)
              inbound: 100 allow -1 all 0.0.0.0/0; * deny -1 all 0.0.0.0/0
              outbound: 100 allow -1 all 0.0.0.0/0; * deny -1 all 0.0.0.0/0
            Network ACL acl-0c4d5e6f7a8b90002 -
              inbound: 100 allow tcp 80 0.0.0.0/0; 110 allow tcp 443 0.0.0.0/0; 120 allow tcp 22 192.0.2.0/24; 130 allow tcp 3389 192.0.2.0/24; 140 allow tcp 32768-65535 0.0.0.0/0; * deny -1 all 0.0.0.0/0
              outbound: 100 allow tcp 80 0.0.0.0/0; 110 allow tcp 443 0.0.0.0/0; 120 allow tcp 1024-65535 192.0.2.0/24; 140 allow tcp 32768-65535 0.0.0.0/0; * deny -1 all 0.0.0.0/0
            Security group sg-0a1b2c3d4e5f60001 default
              inbound: -1 all sg-0a1b2c3d4e5f60001
              outbound: -1 all 0.0.0.0/0
            Security group sg-0f9e8d7c6b5a40001 web
              inbound: tcp 443 0.0.0.0/0; tcp 22 192.0.2.0/24
              outbound: -1 all 0.0.0.0/0
            Availability Zone us-east-1a (use1-az1)
              Subnet subnet-0a1b2c3d4e5f60001 web 10.0.1.0/24, public, network ACL acl-0c4d5e6f7a8b90002
                Instance i-0a1b2c3d4e5f60001 web-1 t3.micro running private 10.0.1.10 public 54.210.1.10 [web]
        Region us-west-2 (US West (Oregon)): no resources
        Region eu-west-1 (Europe (Ireland)): no resources
    "#]].assert_eq(&world.to_string());
}

#[test]
fn an_imported_account_traces_like_aws() {
    // B10 again, this time from describe output: HTTPS in, reply on 50000 out.
    let doc = parse_document("guide-custom-acl.json", &scenario("guide-custom-acl.json"))
        .expect("valid JSON");
    let world = import(&[doc]).expect("imports");
    let region = world.region("us-east-1").expect("region");
    let flow = Flow {
        source: Source::Internet("198.51.100.7".parse().expect("ip")),
        destination: "54.210.1.10".parse().expect("ip"),
        transport: Transport::Tcp {
            src_port: 50000,
            dst_port: 443,
        },
    };
    let trace = region.trace(&flow);
    assert!(trace.blocked_by.is_none(), "{trace}");
}

#[test]
fn bad_input_is_named_by_file_and_path() {
    check_error("{", expect!["bad.json: line 1, column 1: this is not valid JSON: EOF while parsing an object at line 1 column 1"]);
    check_error("[]", expect!["bad.json: $: a scenario file must hold one JSON object, such as the output of aws ec2 describe-vpcs"]);
    check_error(
        r#"{"Vpcs": {}}"#,
        expect!["bad.json: $.Vpcs: expected a list, found an object"],
    );
    check_error(
        r#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/33"}]}"#,
        expect!["bad.json: $.Vpcs[0].CidrBlock: '10.0.0.0/33' is not an IPv4 CIDR block"],
    );
    check_error(
        r#"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-9", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-east-1a"}]}"#,
        expect!["bad.json: $.Subnets[0].VpcId: vpc-9 is not in the scenario (add the output of aws ec2 describe-vpcs)"],
    );
    check_error(
        r#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}], "NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "Entries": [{"RuleNumber": 100, "Protocol": "6", "RuleAction": "permit", "Egress": false, "CidrBlock": "0.0.0.0/0"}]}]}"#,
        expect!["bad.json: $.NetworkAcls[0].Entries[0].RuleAction: 'permit' is not allow or deny"],
    );
    check_error(
        r#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}], "SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "UserIdGroupPairs": [{"GroupId": "sg-404"}]}]}]}"#,
        expect!["bad.json: $.SecurityGroups[0].IpPermissions[0].UserIdGroupPairs[0].GroupId: sg-404 is not in the scenario (add the output of aws ec2 describe-security-groups)"],
    );
    check_error(
        r#"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "ap-south-1a"}]}"#,
        expect!["bad.json: $: the lab does not simulate the Region ap-south-1"],
    );
}

#[test]
fn a_storage_scenario_imports_volumes_snapshots_and_images() {
    let world = import_text(&scenario("storage.json"));
    let region = world.region("us-east-1").expect("region");
    expect![[r#"
        Region us-east-1 (US East (N. Virginia))
          EBS encryption by default: off
          VPC vpc-0b7e2d4c6a8f10001 storage-vpc 10.30.0.0/16
            Route table rtb-0b7e2d4c6a8f10001 - (main): 10.30.0.0/16 → local
            Network ACL acl-0b7e2d4c6a8f10001 - (default)
              inbound: 100 allow -1 all 0.0.0.0/0; * deny -1 all 0.0.0.0/0
              outbound: 100 allow -1 all 0.0.0.0/0; * deny -1 all 0.0.0.0/0
            Security group sg-0b7e2d4c6a8f10001 default
              inbound: -1 all sg-0b7e2d4c6a8f10001
              outbound: -1 all 0.0.0.0/0
            Security group sg-0b7e2d4c6a8f10021 cluster
              inbound: tcp 22 10.30.0.0/16; -1 all sg-0b7e2d4c6a8f10021
              outbound: -1 all 0.0.0.0/0
            Availability Zone us-east-1a (use1-az1)
              Subnet subnet-0b7e2d4c6a8f10011 cluster-a 10.30.1.0/24, private, network ACL acl-0b7e2d4c6a8f10001
                Instance i-0b7e2d4c6a8f10101 cluster-1 m5d.large running private 10.30.1.11 [cluster]
                  Volume vol-0b7e2d4c6a8f10201 /dev/sda1 8 GiB gp3 unencrypted, deleted on termination
                  Volume vol-0b7e2d4c6a8f10203 /dev/sdf 100 GiB io2 unencrypted, Multi-Attach
                Instance i-0b7e2d4c6a8f10102 cluster-2 m5.large running private 10.30.1.12 [cluster]
                  Volume vol-0b7e2d4c6a8f10202 /dev/sda1 8 GiB gp3 unencrypted, deleted on termination
                  Volume vol-0b7e2d4c6a8f10203 /dev/sdf 100 GiB io2 unencrypted, Multi-Attach
            Availability Zone us-east-1b (use1-az2)
              Subnet subnet-0b7e2d4c6a8f10012 restore-b 10.30.2.0/24, private, network ACL acl-0b7e2d4c6a8f10001
          Unattached volumes in us-east-1b (use1-az2)
            Volume vol-0b7e2d4c6a8f10204 restore-test 50 GiB gp2 available, encrypted
          Snapshot snap-0b7e2d4c6a8f10301 shared-data-nightly 100 GiB completed, unencrypted, of vol-0b7e2d4c6a8f10203
          Snapshot snap-0b7e2d4c6a8f10302 - 50 GiB completed, encrypted, of vol-0b7e2d4c6a8f10299
          Snapshot snap-0b7e2d4c6a8f10303 - 100 GiB pending, unencrypted, a copy
          Snapshot snap-0b7e2d4c6a8f10401 - 8 GiB completed, unencrypted, of vol-0b7e2d4c6a8f10298
          AMI ami-04b70fa74e45c3917 ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115 x86_64 ebs-backed available, public, owner 099720109477
            /dev/sda1 snap-0f3a1c5e7b9d24680 8 GiB gp3 unencrypted, deleted on termination
            /dev/sdb ephemeral0, instance store
            /dev/sdc ephemeral1, instance store
          AMI ami-0b7e2d4c6a8f10501 cluster-node-2025-11-20 x86_64 ebs-backed available, private
            /dev/sda1 snap-0b7e2d4c6a8f10401 8 GiB gp3 unencrypted, deleted on termination
            /dev/sdg snap-0b7e2d4c6a8f10402 20 GiB gp3 unencrypted
            /dev/sdb ephemeral0, instance store
    "#]].assert_eq(&region.to_string());
    expect![[r#"
        i-0b7e2d4c6a8f10101 instance store: [/dev/nvme1n1 ephemeral0 75 GB]
        i-0b7e2d4c6a8f10102 instance store: []
        vol-0b7e2d4c6a8f10201 us-east-1a created t=0 iops Some(3000) throughput Some(125) snapshot snap-0f3a1c5e7b9d24680 key -: [i-0b7e2d4c6a8f10101 at /dev/sda1 (deleted on termination) t=0]
        vol-0b7e2d4c6a8f10202 us-east-1a created t=0 iops Some(3000) throughput Some(125) snapshot snap-0f3a1c5e7b9d24680 key -: [i-0b7e2d4c6a8f10102 at /dev/sda1 (deleted on termination) t=0]
        vol-0b7e2d4c6a8f10203 us-east-1a created t=0 iops Some(4000) throughput None snapshot - key -: [i-0b7e2d4c6a8f10101 at /dev/sdf t=0, i-0b7e2d4c6a8f10102 at /dev/sdf t=0]
        vol-0b7e2d4c6a8f10204 us-east-1b created t=0 iops Some(150) throughput None snapshot snap-0b7e2d4c6a8f10302 key arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d: []
        snap-0b7e2d4c6a8f10301 #1 lineage vol-0b7e2d4c6a8f10203 owner 123456789012 full true started t=0 completes t=0 "nightly backup of shared-data"
        snap-0b7e2d4c6a8f10302 #2 lineage vol-0b7e2d4c6a8f10299 owner 123456789012 full true started t=0 completes t=0 "database before the 16.4 upgrade"
        snap-0b7e2d4c6a8f10303 #3 lineage - owner 123456789012 full true started t=0 completes t=60 "[Copied snap-0a9b8c7d6e5f43210 from us-west-2] nightly backup"
        snap-0b7e2d4c6a8f10401 #4 lineage vol-0b7e2d4c6a8f10298 owner 123456789012 full true started t=0 completes t=0 "Created by CreateImage(i-0b7e2d4c6a8f10199) for ami-0b7e2d4c6a8f10501"
        snapshot_sequence 4
        ami-04b70fa74e45c3917 own false owner 099720109477 alias None platform Linux/UNIX created t=0 from -
        ami-0b7e2d4c6a8f10501 own true owner 123456789012 alias None platform Linux/UNIX created t=0 from i-0b7e2d4c6a8f10199
    "#]].assert_eq(&storage_details(region));
}

#[test]
fn imported_volumes_take_commands() {
    // Detaching one side of the Multi-Attach volume (F3) and snapshotting
    // an imported root volume (E1) work like on volumes made by commands.
    let mut world = import_text(&scenario("storage.json"));
    let detach = Command::DetachVolume {
        volume_id: VolumeId::new("vol-0b7e2d4c6a8f10203"),
        instance_id: Some(InstanceId::new("i-0b7e2d4c6a8f10102")),
        force: false,
    };
    world.apply("us-east-1", detach).expect("detaches");
    let snapshot = Command::CreateSnapshot {
        volume_id: VolumeId::new("vol-0b7e2d4c6a8f10201"),
        description: "after import".into(),
        tags: Tags::new(),
    };
    let Ok(Response::Snapshot(id)) = world.apply("us-east-1", snapshot) else {
        panic!("CreateSnapshot answers with the snapshot");
    };
    let region = world.region("us-east-1").expect("region");
    // E1: it comes after the four imported snapshots.
    assert_eq!(region.snapshots[&id].sequence, 5);
    let text = region.to_string();
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("10203") || line.contains(id.as_str()))
        .map(str::trim)
        .collect();
    expect![[r#"
        Volume vol-0b7e2d4c6a8f10203 /dev/sdf 100 GiB io2 unencrypted, Multi-Attach
        Snapshot snap-01045a7fb10b3fc77 - 8 GiB pending, unencrypted, of vol-0b7e2d4c6a8f10201
        Snapshot snap-0b7e2d4c6a8f10301 shared-data-nightly 100 GiB completed, unencrypted, of vol-0b7e2d4c6a8f10203"#]].assert_eq(&lines.join("\n"));
}

#[test]
fn an_imported_ami_whose_snapshots_the_export_lacks_still_launches() {
    // describe-images shows another account's AMI, but describe-snapshots
    // can't show its snapshots: AWS launches from it all the same, and so
    // does the lab, with the volume at the mapping's size.
    let mut world = import_text(&scenario("storage.json"));
    let mut launch = RunInstances::new(
        ImageId::new("ami-04b70fa74e45c3917"),
        "t3.micro",
        SubnetId::new("subnet-0b7e2d4c6a8f10011"),
        1,
    );
    launch.tags = Tags::named("from-ubuntu");
    let Ok(Response::Instances(_, ids)) =
        world.apply("us-east-1", Command::RunInstances(Box::new(launch)))
    else {
        panic!("RunInstances launches from the imported AMI");
    };
    let region = world.region("us-east-1").expect("region");
    let root = &region.instances[&ids[0]].block_devices[0];
    let volume = &region.volumes[&root.volume_id];
    assert_eq!(
        (
            root.device_name.as_str(),
            volume.size_gib,
            volume.snapshot_id.as_ref().map(ToString::to_string)
        ),
        ("/dev/sda1", 8, Some("snap-0f3a1c5e7b9d24680".to_owned()))
    );
}

/// A scenario's start, for the cases below: one instance with a root
/// volume in its mapping, and whatever `rest` adds.
fn one_instance(rest: &str) -> String {
    format!(
        r#"{{"Vpcs": [{{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}}],
 "Subnets": [{{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a"}}],
 "Reservations": [{{"Instances": [{{"InstanceId": "i-1", "State": {{"Name": "running"}}, "SubnetId": "subnet-1",
   "PrivateIpAddress": "10.0.1.10", "InstanceType": "c3.large", "ImageId": "ami-1",
   "BlockDeviceMappings": [{{"DeviceName": "/dev/xvda", "Ebs": {{"VolumeId": "vol-1", "DeleteOnTermination": true, "AttachTime": "2025-06-01T10:00:00.000Z"}}}}]}}]}}]{rest}}}"#
    )
}

#[test]
fn without_volumes_an_instances_volumes_are_made_as_aws_made_them() {
    // No Volumes key and an AMI the lab does not know: 8 GiB of gp3.
    let world = import_text(&one_instance(""));
    let region = world.region("us-east-1").expect("region");
    expect![[r#"
        Region us-east-1 (US East (N. Virginia))
          EBS encryption by default: off
          VPC vpc-1 - 10.0.0.0/16
            Route table rtb-1 - (main): 10.0.0.0/16 → local
            Network ACL acl-1 - (default)
              inbound: 100 allow -1 all 0.0.0.0/0; * deny -1 all 0.0.0.0/0
              outbound: 100 allow -1 all 0.0.0.0/0; * deny -1 all 0.0.0.0/0
            Security group sg-1 default
              inbound: -1 all sg-1
              outbound: -1 all 0.0.0.0/0
            Availability Zone us-east-1a (use1-az1)
              Subnet subnet-1 - 10.0.1.0/24, private, network ACL acl-1
                Instance i-1 - c3.large running private 10.0.1.10 []
                  Volume vol-1 /dev/xvda 8 GiB gp3 unencrypted, deleted on termination
    "#]]
    .assert_eq(&region.to_string());
    expect![[r#"
        i-1 instance store: [/dev/sdb ephemeral0 16 GB, /dev/sdc ephemeral1 16 GB]
        vol-1 us-east-1a created t=0 iops Some(3000) throughput Some(125) snapshot - key -: [i-1 at /dev/xvda (deleted on termination) t=0]
        snapshot_sequence 0
    "#]].assert_eq(&storage_details(region));
    // With the AMI in the scenario, the volume is what its mapping says.
    let world = import_text(&one_instance(
        r#", "Images": [{"ImageId": "ami-1", "Name": "windows-base", "RootDeviceName": "/dev/xvda", "PlatformDetails": "Windows",
             "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": "snap-1", "VolumeSize": 30, "VolumeType": "gp2", "DeleteOnTermination": true}}]}]"#,
    ));
    let region = world.region("us-east-1").expect("region");
    expect![[r#"
        Region us-east-1 (US East (N. Virginia))
          EBS encryption by default: off
          VPC vpc-1 - 10.0.0.0/16
            Route table rtb-1 - (main): 10.0.0.0/16 → local
            Network ACL acl-1 - (default)
              inbound: 100 allow -1 all 0.0.0.0/0; * deny -1 all 0.0.0.0/0
              outbound: 100 allow -1 all 0.0.0.0/0; * deny -1 all 0.0.0.0/0
            Security group sg-1 default
              inbound: -1 all sg-1
              outbound: -1 all 0.0.0.0/0
            Availability Zone us-east-1a (use1-az1)
              Subnet subnet-1 - 10.0.1.0/24, private, network ACL acl-1
                Instance i-1 - c3.large running private 10.0.1.10 []
                  Volume vol-1 /dev/xvda 30 GiB gp2 unencrypted, deleted on termination
          AMI ami-1 windows-base x86_64 ebs-backed available, private
            /dev/xvda snap-1 30 GiB gp2 unencrypted, deleted on termination
    "#]]
    .assert_eq(&region.to_string());
}

#[test]
fn timestamps_count_from_the_labs_start() {
    // LAB_EPOCH is 2026-01-05T09:00:00Z: a minute later is t=60, and
    // anything before the lab's start is t=0.
    let world = import_text(&one_instance(
        r#", "Volumes": [{"VolumeId": "vol-1", "Size": 8, "VolumeType": "gp3", "AvailabilityZone": "us-east-1a", "CreateTime": "2026-01-05T10:01:00+01:00",
              "Attachments": [{"InstanceId": "i-1", "Device": "/dev/xvda", "AttachTime": "2026-01-05T09:02:00.500Z"}]}],
            "Snapshots": [{"SnapshotId": "snap-1", "VolumeId": "vol-1", "VolumeSize": 8, "State": "pending", "StartTime": "2025-12-31T23:59:59Z"}]"#,
    ));
    let region = world.region("us-east-1").expect("region");
    expect![[r#"
        i-1 instance store: [/dev/sdb ephemeral0 16 GB, /dev/sdc ephemeral1 16 GB]
        vol-1 us-east-1a created t=60 iops Some(3000) throughput Some(125) snapshot - key -: [i-1 at /dev/xvda (deleted on termination) t=120]
        snap-1 #1 lineage vol-1 owner 123456789012 full true started t=0 completes t=60 ""
        snapshot_sequence 1
    "#]].assert_eq(&storage_details(region));
}

#[test]
fn bad_storage_input_is_named_by_file_and_path() {
    check_error(
        &one_instance(
            r#", "Volumes": [{"VolumeId": "vol-1", "Size": 8, "AvailabilityZone": "us-east-1a",
                  "Attachments": [{"InstanceId": "i-404", "Device": "/dev/xvda"}]}]"#,
        ),
        expect!["bad.json: $.Volumes[0].Attachments[0].InstanceId: i-404 is not in the scenario (add the output of aws ec2 describe-instances)"],
    );
    check_error(
        &one_instance(r#", "Volumes": [{"VolumeId": "vol-1", "Size": 8, "AvailabilityZone": "us-east-1z"}]"#),
        expect!["bad.json: $.Volumes[0].AvailabilityZone: us-east-1z is not an Availability Zone of us-east-1 that the lab simulates (us-east-1a, us-east-1b, us-east-1c)"],
    );
    check_error(
        &one_instance(r#", "Volumes": [{"VolumeId": "vol-1", "Size": 8, "AvailabilityZone": "us-west-2a"}]"#),
        expect!["bad.json: $.Volumes[0].AvailabilityZone: this AZ is in us-west-2, but the scenario is in us-east-1: one scenario holds one Region"],
    );
    check_error(
        &one_instance(
            r#", "Volumes": [{"VolumeId": "vol-1", "Size": 8, "AvailabilityZone": "us-east-1a", "CreateTime": "2025-02-30T10:00:00Z"}]"#,
        ),
        expect!["bad.json: $.Volumes[0].CreateTime: '2025-02-30T10:00:00Z' is not an ISO 8601 timestamp such as 2024-01-01T12:00:00.000Z"],
    );
    check_error(
        &one_instance(r#", "Snapshots": [{"SnapshotId": "snap-1", "VolumeSize": 8, "StartTime": "last Tuesday"}]"#),
        expect!["bad.json: $.Snapshots[0].StartTime: 'last Tuesday' is not an ISO 8601 timestamp such as 2024-01-01T12:00:00.000Z"],
    );
    // The mapping names vol-1, but the scenario's volumes do not hold it.
    check_error(
        &one_instance(r#", "Volumes": [{"VolumeId": "vol-2", "Size": 8, "AvailabilityZone": "us-east-1a"}]"#),
        expect!["bad.json: $.Reservations[0].Instances[0].BlockDeviceMappings[0].Ebs.VolumeId: vol-1 is not in the scenario (add the output of aws ec2 describe-volumes)"],
    );
    check_error(
        &one_instance(r#", "Volumes": [{"VolumeId": "vol-1", "Size": 8, "AvailabilityZone": "us-east-1a"}]"#),
        expect!["bad.json: $.Reservations[0].Instances[0].BlockDeviceMappings[0].Ebs.VolumeId: describe-volumes does not show vol-1 attached to i-1: the two outputs disagree (take them at the same time)"],
    );
    check_error(
        &one_instance(
            r#", "Volumes": [{"VolumeId": "vol-1", "Size": 8, "AvailabilityZone": "us-east-1a",
                  "Attachments": [{"InstanceId": "i-1", "Device": "/dev/sdf"}]}]"#,
        ),
        expect!["bad.json: $.Volumes[0].Attachments[0].Device: vol-1 is at /dev/sdf here, but describe-instances lists it on i-1 at /dev/xvda"],
    );
    check_error(
        &one_instance(
            r#", "Volumes": [{"VolumeId": "vol-1", "Size": "8", "AvailabilityZone": "us-east-1a"}]"#,
        ),
        expect!["bad.json: $.Volumes[0].Size: expected an integer, found a string"],
    );
    check_error(
        &one_instance(
            r#", "Volumes": [{"VolumeId": "vol-1", "Size": 8, "VolumeType": "gp3", "MultiAttachEnabled": true, "AvailabilityZone": "us-east-1a"}]"#,
        ),
        expect!["bad.json: $.Volumes[0].MultiAttachEnabled: only io1 and io2 volumes can have Multi-Attach enabled (F3); vol-1 is gp3"],
    );
    check_error(
        &one_instance(
            r#", "Images": [{"ImageId": "ami-1", "Architecture": "i386"}]"#,
        ),
        expect!["bad.json: $.Images[0].Architecture: 'i386' is not an architecture the lab simulates (x86_64 or arm64)"],
    );
    check_error(
        &one_instance(
            r#", "Images": [{"ImageId": "ami-1", "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": "snap-404"}}]}]"#,
        ),
        expect![
            "bad.json: $.Images[0].BlockDeviceMappings[0].Ebs: the member VolumeSize is missing"
        ],
    );
}

#[test]
fn a_volume_attached_to_an_instance_in_another_zone_is_refused() {
    // F1, across two files: the error names the file the volume is in.
    let instances = one_instance("");
    check_files_error(
        &[
            ("instances.json", &instances),
            (
                "volumes.json",
                r#"{"Volumes": [{"VolumeId": "vol-1", "Size": 8, "AvailabilityZone": "us-east-1b",
                    "Attachments": [{"InstanceId": "i-1", "Device": "/dev/xvda"}]}]}"#,
            ),
        ],
        expect!["volumes.json: $.Volumes[0].Attachments[0].InstanceId: i-1 is in us-east-1a, but vol-1 is in us-east-1b: a volume can be attached only to instances in its own Availability Zone (F1)"],
    );
}

#[test]
fn without_volumes_a_shared_volume_needs_describe_volumes() {
    let mut text = scenario("storage.json");
    let start = text.find("\"Volumes\"").expect("Volumes");
    let end = text.find("\"Snapshots\"").expect("Snapshots");
    text.replace_range(start..end, "");
    check_files_error(&[("storage.json", &text)], expect!["storage.json: $.Reservations[1].Instances[0].BlockDeviceMappings[1].Ebs.VolumeId: vol-0b7e2d4c6a8f10203 is attached more than once, which only a Multi-Attach volume can be (F3): add the output of aws ec2 describe-volumes so the lab knows its type"]);
}
