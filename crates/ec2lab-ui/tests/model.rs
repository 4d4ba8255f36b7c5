//! The lab model: each action is one EC2 command, logged as its CLI line;
//! a refused action changes nothing and logs AWS's error; undo and redo.

use ec2lab_sim::{default_lab, InstanceId, VolumeId, DEFAULT_REGION};
use ec2lab_ui::model::{Action, Lab, Lifecycle};
use expect_test::expect;

fn named(lab: &Lab, name: &str) -> InstanceId {
    let region = lab.world.region(DEFAULT_REGION).expect("region");
    region
        .instances
        .values()
        .find(|i| i.tags.get("Name") == Some(name))
        .map(|i| i.id.clone())
        .expect("instance")
}

fn volume(lab: &Lab, name: &str) -> VolumeId {
    let region = lab.world.region(DEFAULT_REGION).expect("region");
    region
        .volumes
        .values()
        .find(|v| v.tags.get("Name") == Some(name))
        .map(|v| v.id.clone())
        .expect("volume")
}

fn log(lab: &Lab) -> String {
    lab.log
        .iter()
        .map(|e| match &e.error {
            None => format!("{}\n", e.cli),
            Some((code, message)) => format!("{}\n  ✗ {code}: {message}\n", e.cli),
        })
        .collect()
}

#[test]
fn a_refused_drop_changes_nothing_and_says_why() {
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    let before = lab.world.clone();
    // data-1 is in us-east-1a; web-2 in us-east-1b (F1).
    let attach = Action::AttachVolume {
        volume_id: volume(&lab, "data-1"),
        instance_id: named(&lab, "web-2"),
        device: "/dev/sdf".into(),
    };
    assert!(lab.perform(&attach).is_err());
    assert!(lab.world == before);
    assert!(!lab.can_undo());
    expect![[r#"
        aws ec2 attach-volume --volume-id vol-046e27b7f222eca30 --instance-id i-0781d9316b870d786 --device /dev/sdf --region us-east-1
          ✗ InvalidVolume.ZoneMismatch: The volume 'vol-046e27b7f222eca30' is not in the same availability zone as instance 'i-0781d9316b870d786'
    "#]]
    .assert_eq(&log(&lab));
}

#[test]
fn actions_undo_and_redo() {
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    let start = lab.world.clone();
    let attach = Action::AttachVolume {
        volume_id: volume(&lab, "data-1"),
        instance_id: named(&lab, "web-1"),
        device: "/dev/sdf".into(),
    };
    lab.perform(&attach).expect("same AZ");
    let attached = lab.world.clone();
    lab.perform(&Action::Lifecycle {
        instance_id: named(&lab, "db-1"),
        verb: Lifecycle::Stop,
    })
    .expect("running");
    assert_eq!(
        lab.undo().as_deref(),
        Some("aws ec2 stop-instances --instance-ids i-0b55da2a81bfa3ffd --region us-east-1")
    );
    assert!(lab.world == attached);
    lab.undo();
    assert!(lab.world == start);
    assert!(!lab.can_undo() && lab.can_redo());
    lab.redo();
    assert!(lab.world == attached);
    expect![[r#"
        aws ec2 attach-volume --volume-id vol-046e27b7f222eca30 --instance-id i-0e71dd8f9270ae24e --device /dev/sdf --region us-east-1
        aws ec2 stop-instances --instance-ids i-0b55da2a81bfa3ffd --region us-east-1
        # undo: aws ec2 stop-instances --instance-ids i-0b55da2a81bfa3ffd --region us-east-1
        # undo: aws ec2 attach-volume --volume-id vol-046e27b7f222eca30 --instance-id i-0e71dd8f9270ae24e --device /dev/sdf --region us-east-1
        # redo: aws ec2 attach-volume --volume-id vol-046e27b7f222eca30 --instance-id i-0e71dd8f9270ae24e --device /dev/sdf --region us-east-1
    "#]]
    .assert_eq(&log(&lab));
}

/// The event log's line does exactly what the action did: run through the
/// lab's AWS CLI on the same account, it gives the same account.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_logged_line_does_what_the_action_did() {
    use ec2lab_sim::{IpProtocol, NetworkAclEntry, RuleAction, RulePeer, SecurityGroupRule};
    let lab = Lab::new(default_lab(), DEFAULT_REGION);
    let region = lab.world.region(DEFAULT_REGION).expect("region");
    let web_sg = region
        .security_groups
        .values()
        .find(|g| g.name == "web-sg")
        .map(|g| g.id.clone())
        .expect("web-sg");
    let acl = region.network_acls.keys().next().cloned().expect("an acl");
    let subnet = region
        .subnets
        .values()
        .find(|s| s.tags.get("Name") == Some("public-a"))
        .map(|s| s.id.clone())
        .expect("subnet");
    let image = region
        .instances
        .values()
        .next()
        .map(|i| i.image_id.clone())
        .expect("image");
    let copied_image = image.clone();
    let actions = vec![
        Action::Launch {
            image_id: image,
            subnet_id: subnet,
            name: "new web".into(),
            instance_type: "t3.micro".into(),
            security_group_ids: vec![web_sg.clone()],
            user_data: Some("#!/bin/bash\necho 'hi'\n".into()),
            root_volume: None,
        },
        Action::AttachVolume {
            volume_id: volume(&lab, "data-1"),
            instance_id: named(&lab, "web-1"),
            device: "/dev/sdf".into(),
        },
        Action::CreateSnapshot {
            volume_id: volume(&lab, "data-1"),
        },
        Action::CreateImage {
            instance_id: named(&lab, "web-1"),
            name: "web image".into(),
        },
        Action::AuthorizeRule {
            group_id: web_sg.clone(),
            egress: false,
            rule: SecurityGroupRule {
                protocol: IpProtocol::Tcp,
                ports: Some((22, 22)),
                peer: RulePeer::Cidr("203.0.113.0/24".parse().expect("cidr")),
                description: None,
            },
        },
        Action::RevokeRule {
            group_id: web_sg,
            egress: false,
            rule: SecurityGroupRule {
                protocol: IpProtocol::Tcp,
                ports: Some((80, 80)),
                peer: RulePeer::Cidr("0.0.0.0/0".parse().expect("cidr")),
                description: None,
            },
        },
        Action::CreateAclEntry {
            network_acl_id: acl.clone(),
            entry: NetworkAclEntry {
                rule_number: 90,
                egress: false,
                protocol: IpProtocol::Tcp,
                action: RuleAction::Deny,
                cidr_block: "198.51.100.7/32".parse().expect("cidr"),
                port_range: Some((80, 80)),
                icmp_type_code: None,
            },
        },
        Action::DeleteAclEntry {
            network_acl_id: acl,
            rule_number: 90,
            egress: false,
        },
        Action::Lifecycle {
            instance_id: named(&lab, "db-1"),
            verb: Lifecycle::Stop,
        },
        Action::Advance { seconds: 30 },
        // Run in the destination Region (D3): the line says both.
        Action::CopyImage {
            image_id: copied_image,
            name: "web copy".into(),
            source_region: DEFAULT_REGION.into(),
            region: "eu-west-1".into(),
        },
    ];
    let mut by_action = lab.clone();
    let mut session = ec2lab_api::Session::new(lab.world.clone(), DEFAULT_REGION);
    for action in &actions {
        by_action.perform(action).expect("the action works");
        let line = &by_action.log.last().expect("logged").cli;
        let outcome = session.run_line(line).expect("the line parses");
        assert!(
            !matches!(outcome, ec2lab_api::Outcome::ApiError { .. }),
            "{line}: {outcome:?}"
        );
        assert!(
            session.world == by_action.world,
            "{line} did something else"
        );
    }
}

/// A launch template dropped on a subnet: its logged line launches the same
/// instance through the CLI (I1).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_launch_from_a_template_logs_the_line_that_does_it() {
    let mut session = ec2lab_api::Session::new(default_lab(), DEFAULT_REGION);
    let region = session.world.region(DEFAULT_REGION).expect("region");
    let image = region
        .instances
        .values()
        .next()
        .map(|i| i.image_id.clone())
        .expect("image");
    let subnet = region
        .instances
        .values()
        .next()
        .map(|i| i.subnet_id.clone())
        .expect("subnet");
    let made = session
        .run_line(&format!(
            r#"aws ec2 create-launch-template --launch-template-name web --launch-template-data '{{"ImageId":"{image}","InstanceType":"t3.micro"}}'"#
        ))
        .expect("parses");
    assert!(
        !matches!(made, ec2lab_api::Outcome::ApiError { .. }),
        "{made:?}"
    );
    let template = session
        .world
        .region(DEFAULT_REGION)
        .and_then(|r| r.launch_templates.values().next())
        .map(|t| t.id.clone())
        .expect("template");
    let mut lab = Lab::new(session.world.clone(), DEFAULT_REGION);
    lab.perform(&Action::LaunchFromTemplate {
        template_id: template,
        subnet_id: subnet,
        name: "from template".into(),
    })
    .expect("launches");
    let line = lab.log.last().expect("logged").cli.clone();
    let outcome = session.run_line(&line).expect("parses");
    assert!(
        !matches!(outcome, ec2lab_api::Outcome::ApiError { .. }),
        "{line}: {outcome:?}"
    );
    assert!(session.world == lab.world, "{line} did something else");
}

/// The inspector's and the launch form's actions log lines that do the
/// same through the CLI: a root volume as `--block-device-mappings` (D1),
/// user data base64-encoded for modify-instance-attribute (H3, H4), and
/// outbound rules to a group and an IPv6 block (A7).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn form_actions_log_lines_that_do_the_same() {
    use ec2lab_sim::{IpProtocol, RulePeer, SecurityGroupRule, VolumeType};
    use ec2lab_ui::model::RootVolume;
    let lab = Lab::new(default_lab(), DEFAULT_REGION);
    let region = lab.world.region(DEFAULT_REGION).expect("region");
    let group = |name: &str| {
        region
            .security_groups
            .values()
            .find(|g| g.name == name)
            .map(|g| g.id.clone())
            .expect("group")
    };
    let (web_sg, db_sg) = (group("web-sg"), group("db-sg"));
    let web1 = region
        .instances
        .values()
        .find(|i| i.tags.get("Name") == Some("web-1"))
        .expect("web-1");
    let (image, subnet) = (web1.image_id.clone(), web1.subnet_id.clone());
    let db1 = named(&lab, "db-1");
    let rule = |protocol, ports, peer| SecurityGroupRule {
        protocol,
        ports,
        peer,
        description: None,
    };
    let actions = vec![
        Action::Launch {
            image_id: image.clone(),
            subnet_id: subnet.clone(),
            name: "encrypted root".into(),
            instance_type: "t3.micro".into(),
            security_group_ids: Vec::new(),
            user_data: None,
            root_volume: Some(RootVolume {
                device_name: "/dev/xvda".into(),
                size_gib: 16,
                volume_type: VolumeType::Gp3,
                iops: None,
                encrypted: true,
            }),
        },
        Action::Launch {
            image_id: image,
            subnet_id: subnet,
            name: "io2 root".into(),
            instance_type: "t3.micro".into(),
            security_group_ids: vec![web_sg.clone()],
            user_data: Some("#!/bin/bash\necho hi\n".into()),
            root_volume: Some(RootVolume {
                device_name: "/dev/xvda".into(),
                size_gib: 10,
                volume_type: VolumeType::Io2,
                iops: Some(1000),
                encrypted: false,
            }),
        },
        Action::Lifecycle {
            instance_id: db1.clone(),
            verb: Lifecycle::Stop,
        },
        Action::Advance { seconds: 30 },
        Action::ModifyUserData {
            instance_id: db1.clone(),
            user_data: "#!/bin/bash\necho 'db' > /tmp/x\n".into(),
        },
        Action::ModifyUserData {
            instance_id: db1,
            user_data: String::new(),
        },
        Action::AuthorizeRule {
            group_id: web_sg.clone(),
            egress: true,
            rule: rule(
                IpProtocol::Tcp,
                Some((3306, 3306)),
                RulePeer::SecurityGroup(db_sg),
            ),
        },
        Action::AuthorizeRule {
            group_id: web_sg.clone(),
            egress: true,
            rule: rule(
                IpProtocol::Udp,
                Some((53, 53)),
                RulePeer::Ipv6Cidr("2001:db8::/32".parse().expect("cidr")),
            ),
        },
        Action::RevokeRule {
            group_id: web_sg,
            egress: true,
            rule: rule(
                IpProtocol::All,
                None,
                RulePeer::Cidr("0.0.0.0/0".parse().expect("cidr")),
            ),
        },
    ];
    let out = run_through_the_cli(&lab, &actions);
    expect![[r#"
        aws ec2 run-instances --image-id ami-e4644a6da1f2842ce --instance-type t3.micro --subnet-id subnet-0dee21ba09fd7951f --count 1 --block-device-mappings 'DeviceName=/dev/xvda,Ebs={VolumeSize=16,VolumeType=gp3,Encrypted=true}' --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=encrypted root}]' --region us-east-1
        aws ec2 run-instances --image-id ami-e4644a6da1f2842ce --instance-type t3.micro --subnet-id subnet-0dee21ba09fd7951f --count 1 --block-device-mappings 'DeviceName=/dev/xvda,Ebs={VolumeSize=10,VolumeType=io2,Iops=1000}' --security-group-ids sg-0555c95dd130af3af --user-data '#!/bin/bash
        echo hi
        ' --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=io2 root}]' --region us-east-1
        aws ec2 stop-instances --instance-ids i-0b55da2a81bfa3ffd --region us-east-1
        lab advance --seconds 30
        aws ec2 modify-instance-attribute --instance-id i-0b55da2a81bfa3ffd --attribute userData --value IyEvYmluL2Jhc2gKZWNobyAnZGInID4gL3RtcC94Cg== --region us-east-1
        aws ec2 modify-instance-attribute --instance-id i-0b55da2a81bfa3ffd --attribute userData --value '' --region us-east-1
        aws ec2 authorize-security-group-egress --group-id sg-0555c95dd130af3af --ip-permissions 'IpProtocol=tcp,FromPort=3306,ToPort=3306,UserIdGroupPairs=[{GroupId=sg-0345940bbf6128d02}]' --region us-east-1
        aws ec2 authorize-security-group-egress --group-id sg-0555c95dd130af3af --ip-permissions 'IpProtocol=udp,FromPort=53,ToPort=53,Ipv6Ranges=[{CidrIpv6=2001:db8::/32}]' --region us-east-1
        aws ec2 revoke-security-group-egress --group-id sg-0555c95dd130af3af --ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]' --region us-east-1
    "#]].assert_eq(&out);
}

/// An outbound rule to a managed prefix list (A7) logs a line that does the
/// same. The lab makes no prefix lists (imported accounts have them), so
/// this account is the default lab's Region with one added.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_rule_to_a_prefix_list_logs_the_line_that_adds_it() {
    use ec2lab_sim::{
        IpProtocol, ManagedPrefixList, PrefixListId, RulePeer, SecurityGroupRule, Tags, World,
    };
    let mut region = default_lab()
        .region(DEFAULT_REGION)
        .cloned()
        .expect("region");
    let list = PrefixListId::new("pl-0123456789abcdef0");
    region.prefix_lists.insert(
        list.clone(),
        ManagedPrefixList {
            id: list.clone(),
            name: "office-ranges".into(),
            max_entries: 5,
            entries: Vec::new(),
            tags: Tags::new(),
        },
    );
    let group_id = region
        .security_groups
        .values()
        .find(|g| g.name == "web-sg")
        .map(|g| g.id.clone())
        .expect("web-sg");
    let lab = Lab::new(World::from_snapshot([region]), DEFAULT_REGION);
    let add = Action::AuthorizeRule {
        group_id,
        egress: true,
        rule: SecurityGroupRule {
            protocol: IpProtocol::Tcp,
            ports: Some((443, 443)),
            peer: RulePeer::PrefixList(list),
            description: None,
        },
    };
    let out = run_through_the_cli(&lab, &[add]);
    expect![[r#"
        aws ec2 authorize-security-group-egress --group-id sg-0555c95dd130af3af --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,PrefixListIds=[{PrefixListId=pl-0123456789abcdef0}]' --region us-east-1
    "#]].assert_eq(&out);
}

/// Performs each action and runs its logged line through the lab's CLI on
/// a copy of the same account: both must agree. Returns the log.
#[cfg(not(target_arch = "wasm32"))]
fn run_through_the_cli(lab: &Lab, actions: &[Action]) -> String {
    let mut by_action = lab.clone();
    let mut session = ec2lab_api::Session::new(lab.world.clone(), DEFAULT_REGION);
    for action in actions {
        by_action.perform(action).expect("the action works");
        let line = &by_action.log.last().expect("logged").cli;
        let outcome = session.run_line(line).expect("the line parses");
        assert!(
            !matches!(outcome, ec2lab_api::Outcome::ApiError { .. }),
            "{line}: {outcome:?}"
        );
        assert!(
            session.world == by_action.world,
            "{line} did something else"
        );
    }
    log(&by_action)
}
