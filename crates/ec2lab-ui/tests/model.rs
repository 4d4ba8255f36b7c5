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
    let actions = vec![
        Action::Launch {
            image_id: image,
            subnet_id: subnet,
            name: "new web".into(),
            instance_type: "t3.micro".into(),
            security_group_ids: vec![web_sg.clone()],
            user_data: Some("#!/bin/bash\necho 'hi'\n".into()),
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
