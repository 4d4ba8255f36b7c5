//! The inspector: its forms refuse bad input with the reason before
//! anything is done (nothing half-applied), and what it shows of each
//! resource — route tables, the billing meter, user data, volumes and
//! snapshots with their encryption — is what the account says.

use ec2lab_sim::{default_lab, Command, CreateVolume, RegionState, Tags, DEFAULT_REGION};
use ec2lab_ui::inspector::{
    billing_rows, parse_acl_form, parse_root_volume_form, parse_rule_form, parse_user_data_form,
    port_range, snapshot_rows, subnet_route_table, user_data_lock, volume_rows, vpc_route_tables,
    RouteTableView, Row,
};
use ec2lab_ui::model::{Action, Lab, Lifecycle};
use expect_test::expect;

fn rows(rows: &[Row]) -> String {
    rows.iter().map(|(k, v)| format!("{k}: {v}\n")).collect()
}

fn table(view: &RouteTableView) -> String {
    let mut out = format!("Route table {}: {}\n", view.table, view.how);
    for r in &view.routes {
        out += &format!(
            "  {} → {} [{}] {}\n",
            r.destination, r.target, r.state, r.meaning
        );
    }
    out
}

fn region(lab: &Lab) -> &RegionState {
    lab.world.region(DEFAULT_REGION).expect("region")
}

fn subnet(lab: &Lab, name: &str) -> ec2lab_sim::SubnetId {
    region(lab)
        .subnets
        .values()
        .find(|s| s.tags.get("Name") == Some(name))
        .map(|s| s.id.clone())
        .expect("subnet")
}

fn instance(lab: &Lab, name: &str) -> ec2lab_sim::InstanceId {
    region(lab)
        .instances
        .values()
        .find(|i| i.tags.get("Name") == Some(name))
        .map(|i| i.id.clone())
        .expect("instance")
}

#[test]
fn bad_input_is_refused_with_the_reason() {
    let rule = |p: &str, ports: &str, peer: &str| {
        format!(
            "{:?}",
            parse_rule_form(p, ports, peer).map(|r| r.to_string())
        )
    };
    let cases: Vec<String> = vec![
        format!("{:?}", port_range("80")),
        format!("{:?}", port_range("1024-65535")),
        format!("{:?}", port_range("80-22")),
        format!("{:?}", port_range("70000")),
        rule("tcp", "22", "10.0.0.0/33"),
        rule("tcp", "22", "203.0.113.0/24"),
        // A7: stored canonical; IPv6, groups and prefix lists are sources too.
        rule("tcp", "22", "203.0.113.77/24"),
        rule("udp", "53", "2001:db8::1/32"),
        rule("all", "", "sg-0123456789abcdef0"),
        rule("tcp", "443", "pl-0123456789abcdef0"),
        rule("icmp", "", "0.0.0.0/0"),
        rule("gre", "", "0.0.0.0/0"),
        format!(
            "{:?}",
            parse_acl_form("0", false, "tcp", "80", "0.0.0.0/0", false).map(|e| e.to_string())
        ),
        format!(
            "{:?}",
            parse_acl_form("40000", false, "tcp", "80", "0.0.0.0/0", false).map(|e| e.to_string())
        ),
        format!(
            "{:?}",
            parse_acl_form("90", false, "tcp", "80", "198.51.100.7/32", false)
                .map(|e| e.to_string())
        ),
        format!(
            "{:?}",
            parse_acl_form("90", true, "tcp", "80", "198.51.100.7/16", true).map(|e| e.to_string())
        ),
        // H3: 16 KB of user data at most.
        format!("{:?}", parse_user_data_form("#!/bin/bash\necho hi\n")),
        format!("{:?}", parse_user_data_form(&"x".repeat(16 * 1024 + 1))),
    ];
    expect![[r##"
        Ok((80, 80))
        Ok((1024, 65535))
        Err("The port range is backwards: 80-22")
        Err("'70000' is not a port (0 to 65535)")
        Err("'10.0.0.0/33' is not a CIDR block (like 203.0.113.0/24 or 2001:db8::/32), a security group id (sg-…) or a prefix list id (pl-…)")
        Ok("tcp 22 203.0.113.0/24")
        Ok("tcp 22 203.0.113.0/24")
        Ok("udp 53 2001:db8::/32")
        Ok("-1 all sg-0123456789abcdef0")
        Ok("tcp 443 pl-0123456789abcdef0")
        Ok("icmp type all code all 0.0.0.0/0")
        Err("'gre' is not a protocol: choose TCP, UDP, ICMP or All")
        Err("Rule numbers are 1 to 32766 (B2): '0' is not one")
        Err("Rule numbers are 1 to 32766 (B2): '40000' is not one")
        Ok("90 deny tcp 80 198.51.100.7/32")
        Ok("90 allow tcp 80 198.51.0.0/16")
        Ok("#!/bin/bash\necho hi\n")
        Err("User data is limited to 16 KB (16384 bytes) before base64 encoding; this is 16385 bytes (H3)")"##]]
    .assert_eq(&cases.join("\n"));
}

/// The launch form's storage fields: the AMI's mapping is the default, and
/// only a change makes a `BlockDeviceMappings` entry (D1, F2, E3).
#[test]
fn the_launch_form_asks_for_a_root_volume_only_when_it_differs() {
    let lab = Lab::new(default_lab(), DEFAULT_REGION);
    let image = region(&lab)
        .image(
            &region(&lab)
                .instances
                .values()
                .next()
                .expect("one")
                .image_id,
        )
        .expect("the AMI");
    let cases: Vec<String> = [
        ("8", "gp3", "", false),
        ("20", "gp3", "", false),
        ("8", "gp3", "", true),
        ("30", "io2", "5000", false),
        ("8", "gp2", "3000", false),
        ("eight", "gp3", "", false),
        ("8", "st9", "", false),
        ("8", "io1", "lots", false),
    ]
    .iter()
    .map(|(size, kind, iops, encrypted)| {
        format!(
            "{size} {kind} {iops:?} {encrypted}: {:?}",
            parse_root_volume_form(&image, size, kind, iops, *encrypted)
        )
    })
    .collect();
    expect![[r#"
        8 gp3 "" false: Ok(None)
        20 gp3 "" false: Ok(Some(RootVolume { device_name: "/dev/xvda", size_gib: 20, volume_type: Gp3, iops: None, encrypted: false }))
        8 gp3 "" true: Ok(Some(RootVolume { device_name: "/dev/xvda", size_gib: 8, volume_type: Gp3, iops: None, encrypted: true }))
        30 io2 "5000" false: Ok(Some(RootVolume { device_name: "/dev/xvda", size_gib: 30, volume_type: Io2, iops: Some(5000), encrypted: false }))
        8 gp2 "3000" false: Err("gp2 volumes don't take IOPS (F2): leave IOPS empty, or choose io1, io2 or gp3")
        eight gp3 "" false: Err("'eight' is not a size in GiB (a whole number)")
        8 st9 "" false: Err("'st9' is not a volume type")
        8 io1 "lots" false: Err("'lots' is not a number of IOPS")"#]]
    .assert_eq(&cases.join("\n"));
}

/// A subnet shows the route table that applies and why (explicit or the
/// main table), its routes as describe-route-tables has them, and what
/// makes it public (C2, C3); a VPC shows all its tables.
#[test]
fn route_tables_say_which_applies_and_why_a_subnet_is_public() {
    let lab = Lab::new(default_lab(), DEFAULT_REGION);
    let region = region(&lab);
    let mut out = String::new();
    for name in ["public-a", "private-a"] {
        out += &format!("{name}:\n");
        out += &subnet_route_table(region, &subnet(&lab, name))
            .as_ref()
            .map(table)
            .unwrap_or_default();
    }
    out += "lab-vpc:\n";
    let vpc = region.vpcs.keys().next().expect("vpc");
    for view in vpc_route_tables(region, vpc) {
        out += &table(&view);
    }
    expect![[r#"
        public-a:
        Route table public-rt (rtb-0c3d400a3b428cbc1): explicitly associated with this subnet (rtbassoc-06e4c95aa797efcf3)
          10.0.0.0/16 → local [active] inside the VPC: every route table has this route (C2)
          0.0.0.0/0 → igw-0bd50aae58026701f [active] to the internet through igw-0bd50aae58026701f: this is why the subnet is public (C3)
        private-a:
        Route table private-rt (rtb-022894ba151e5e1a9): the VPC's main route table: this subnet has no explicit association (C2)
          10.0.0.0/16 → local [active] inside the VPC: every route table has this route (C2)
        lab-vpc:
        Route table private-rt (rtb-022894ba151e5e1a9): main route table (every subnet without an explicit association, C2); used by private-a (subnet-0a09258fcf2eafa92), private-b (subnet-07f25d30fd491ab90)
          10.0.0.0/16 → local [active] inside the VPC: every route table has this route (C2)
        Route table public-rt (rtb-0c3d400a3b428cbc1): used by public-a (subnet-0dee21ba09fd7951f), public-b (subnet-0e1f35406dcfacc32)
          10.0.0.0/16 → local [active] inside the VPC: every route table has this route (C2)
          0.0.0.0/0 → igw-0bd50aae58026701f [active] to the internet through igw-0bd50aae58026701f: this is why its subnets are public (C3)
    "#]]
    .assert_eq(&out);
}

/// User data is editable only while the instance is stopped (H4): while
/// it runs the editor says why, and the account refuses with AWS's code;
/// stopped, the change is made. The billing meter follows the states (G2).
#[test]
fn user_data_changes_only_while_stopped_and_the_meter_follows_the_state() {
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    let web1 = instance(&lab, "web-1");
    let show = |lab: &Lab, when: &str| {
        let i = &region(lab).instances[&web1];
        format!(
            "{when} (lab time {} s):\n{}Editor: {}\n",
            lab.world.clock(),
            rows(&billing_rows(i, lab.world.clock())),
            user_data_lock(i).unwrap_or_else(|| "editable".into())
        )
    };
    let mut out = show(&lab, "running");
    let change = Action::ModifyUserData {
        instance_id: web1.clone(),
        user_data: "#!/bin/bash\necho changed\n".into(),
    };
    let before = lab.world.clone();
    out += &format!("Save while running: {:?}\n", lab.perform(&change));
    assert!(lab.world == before, "a refused change changes nothing");
    lab.perform(&Action::Lifecycle {
        instance_id: web1.clone(),
        verb: Lifecycle::Stop,
    })
    .expect("stops");
    out += &show(&lab, "stopping");
    lab.perform(&Action::Advance { seconds: 30 }).expect("time");
    out += &show(&lab, "stopped");
    out += &format!("Save while stopped: {:?}\n", lab.perform(&change));
    out += &format!(
        "User data now: {:?}\n",
        region(&lab).instances[&web1].user_data
    );
    lab.perform(&Action::Lifecycle {
        instance_id: web1.clone(),
        verb: Lifecycle::Start,
    })
    .expect("starts");
    lab.perform(&Action::Advance { seconds: 45 }).expect("time");
    out += &show(&lab, "running again");
    // The boot log is the serial console, as get-console-output returns it:
    // the changed user data did not run at this boot (H1, H4).
    out += "Boot log:\n";
    out += &region(&lab).instances[&web1].console;
    expect![[r##"
        running (lab time 60 s):
        Billed so far: 1 min 0 s (60 s of instance time)
        Billing now: yes: running is billed per second, with a one-minute minimum each time it enters running (G2)
        This run: 30 s so far, billed as 1 min 0 s (G2)
        Editor: User data can be changed only while the instance is stopped (H4); it is running: stop it first.
        Save while running: Err(Refusal { code: "IncorrectInstanceState", message: "The instance 'i-0e71dd8f9270ae24e' is not in the 'stopped' state: user data can be changed only while the instance is stopped (H4)." })
        stopping (lab time 60 s):
        Billed so far: 1 min 0 s (60 s of instance time)
        Billing now: no: stopping is not billed (G2)
        Editor: User data can be changed only while the instance is stopped (H4); it is stopping: wait until it is stopped.
        stopped (lab time 90 s):
        Billed so far: 1 min 0 s (60 s of instance time)
        Billing now: no: a stopped instance is not billed; its EBS volumes still are (G2)
        Editor: editable
        Save while stopped: Ok(())
        User data now: Some("#!/bin/bash\necho changed\n")
        running again (lab time 135 s):
        Billed so far: 2 min 0 s (120 s of instance time)
        Billing now: yes: running is billed per second, with a one-minute minimum each time it enters running (G2)
        This run: 15 s so far, billed as 1 min 0 s (G2)
        Editor: User data can be changed only while the instance is stopped (H4); it is running: stop it first.
        Boot log:
        [    0.000000] Linux version 6.1 (lab) booting Amazon Linux 2023 on i-0e71dd8f9270ae24e
        [  OK  ] Started sshd.service.
        [  OK  ] Started httpd.service.
        Cloud-init v. 22.2.2 running 'modules:final' at 2026-01-05 09:02:05 GMT. Up 15 seconds.
        lab: user data not run: cloud-init already ran it for i-0e71dd8f9270ae24e (it runs once per instance, H1, H4; set scripts-user to always to run it on every boot, H5)
        Cloud-init v. 22.2.2 finished at 2026-01-05 09:02:05 GMT. Datasource DataSourceEc2Local.  Up 15 seconds
    "##]]
    .assert_eq(&out);
}

/// Volumes and snapshots show size, type, IOPS, state, attachments and
/// encryption: yes or no, the KMS key and where it came from (E3, E5, F2).
#[test]
fn volumes_and_snapshots_say_how_they_are_encrypted() {
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    let name = |lab: &Lab, n: &str| {
        region(lab)
            .volumes
            .values()
            .find(|v| v.tags.get("Name") == Some(n))
            .cloned()
            .expect("volume")
    };
    let mut out = String::from("data-1:\n");
    out += &rows(&volume_rows(region(&lab), &name(&lab, "data-1")));
    let root = region(&lab).instances[&instance(&lab, "web-1")]
        .block_devices
        .first()
        .map(|d| d.volume_id.clone())
        .expect("root");
    out += "web-1's root:\n";
    out += &rows(&volume_rows(region(&lab), &region(&lab).volumes[&root]));
    // An encrypted volume with the lab's own key, its snapshot, and a
    // volume restored from that snapshot.
    lab.world
        .apply(
            DEFAULT_REGION,
            Command::CreateVolume(Box::new(CreateVolume {
                availability_zone: "us-east-1b".into(),
                size_gib: Some(100),
                volume_type: Some("io2".into()),
                iops: Some(4000),
                encrypted: Some(true),
                kms_key_id: Some("alias/lab-key".into()),
                tags: Tags::named("secret"),
                ..Default::default()
            })),
        )
        .expect("created");
    let secret = name(&lab, "secret");
    lab.perform(&Action::Advance { seconds: 10 }).expect("time");
    lab.perform(&Action::CreateSnapshot {
        volume_id: secret.id,
    })
    .expect("snapshot");
    let snapshot = region(&lab)
        .snapshots
        .values()
        .next()
        .cloned()
        .expect("snapshot");
    out += "secret:\n";
    out += &rows(&volume_rows(region(&lab), &name(&lab, "secret")));
    out += "its snapshot, just taken:\n";
    out += &rows(&snapshot_rows(region(&lab), &snapshot, lab.world.clock()));
    lab.perform(&Action::Advance { seconds: 600 })
        .expect("time");
    lab.perform(&Action::CreateVolumeFromSnapshot {
        snapshot_id: snapshot.id.clone(),
        availability_zone: "us-east-1a".into(),
    })
    .expect("restored");
    let restored = region(&lab)
        .volumes
        .values()
        .find(|v| v.snapshot_id.as_ref() == Some(&snapshot.id))
        .cloned()
        .expect("restored");
    out += "restored from it:\n";
    out += &rows(&volume_rows(region(&lab), &restored));
    expect![[r#"
        data-1:
        VolumeId: data-1 (vol-046e27b7f222eca30)
        State: available
        Size: 20 GiB
        VolumeType: gp3
        Iops: 3000
        Throughput: 125 MiB/s
        Encrypted: no
        KmsKeyId: —
        Encryption: not encrypted: it was not asked for, no encrypted snapshot and no encryption by default applied when it was created (E3, E5); it can't be encrypted in place (E6)
        AvailabilityZone: us-east-1a
        SnapshotId: —
        MultiAttachEnabled: no
        CreateTime: 2026-01-05T09:00:00+00:00
        Attachments: none: it can be attached only to an instance in us-east-1a (F1)
        web-1's root:
        VolumeId: vol-0903ff3a9df26503a
        State: in-use
        Size: 8 GiB
        VolumeType: gp3
        Iops: 3000
        Throughput: 125 MiB/s
        Encrypted: no
        KmsKeyId: —
        Encryption: not encrypted: it was not asked for, no encrypted snapshot and no encryption by default applied when it was created (E3, E5); it can't be encrypted in place (E6)
        AvailabilityZone: us-east-1a
        SnapshotId: snap-9e34305420ef09e09
        MultiAttachEnabled: no
        CreateTime: 2026-01-05T09:00:00+00:00
        Attachment: web-1 (i-0e71dd8f9270ae24e) as /dev/xvda, attached; deleted when the instance terminates (F4)
        secret:
        VolumeId: secret (vol-02df81733515eb05a)
        State: available
        Size: 100 GiB
        VolumeType: io2
        Iops: 4000
        Encrypted: yes
        KmsKeyId: alias/lab-key (customer managed key) arn:aws:kms:us-east-1:123456789012:key/0b9d6f3e-8a27-4c51-b4e0-7f1a2c9d5e38
        Encryption: asked for when it was created (Encrypted), or the Region's encryption by default (now off) (E5); the lab does not record which
        AvailabilityZone: us-east-1b
        SnapshotId: —
        MultiAttachEnabled: no
        CreateTime: 2026-01-05T09:01:00+00:00
        Attachments: none: it can be attached only to an instance in us-east-1b (F1)
        its snapshot, just taken:
        SnapshotId: snap-0874c7980c34e481f
        Description: —
        State: pending: completes in 1 min 0 s
        VolumeId: vol-02df81733515eb05a
        VolumeSize: 100 GiB
        Encrypted: yes
        KmsKeyId: alias/lab-key (customer managed key) arn:aws:kms:us-east-1:123456789012:key/0b9d6f3e-8a27-4c51-b4e0-7f1a2c9d5e38
        Encryption: as its volume vol-02df81733515eb05a was (E3)
        StartTime: 2026-01-05T09:01:10+00:00
        OwnerId: 123456789012
        Stored: incrementally: only the blocks changed since the volume's previous snapshot; the first holds every block written (E1)
        restored from it:
        VolumeId: vol-05fc6a192871a3e5a
        State: creating
        Size: 100 GiB
        VolumeType: gp2
        Iops: 300
        Encrypted: yes
        KmsKeyId: alias/lab-key (customer managed key) arn:aws:kms:us-east-1:123456789012:key/0b9d6f3e-8a27-4c51-b4e0-7f1a2c9d5e38
        Encryption: inherited from its encrypted snapshot snap-0874c7980c34e481f (E3)
        AvailabilityZone: us-east-1a
        SnapshotId: snap-0874c7980c34e481f
        MultiAttachEnabled: no
        CreateTime: 2026-01-05T09:11:10+00:00
        Attachments: none: it can be attached only to an instance in us-east-1a (F1)
    "#]]
    .assert_eq(&out);
}
