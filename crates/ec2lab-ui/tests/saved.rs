//! Saved labs: what autosave, export and share links carry, and what a
//! corrupt or hostile one gets (a clear refusal, never a half-loaded lab).

use ec2lab_sim::VolumeType;
use ec2lab_sim::{
    default_lab, IpProtocol, NetworkAclEntry, RuleAction, RulePeer, SecurityGroupRule,
    DEFAULT_REGION,
};
use ec2lab_ui::model::{Action, Lab, Lifecycle, RootVolume};
use ec2lab_ui::saved::{decode, encode, load, save};
use expect_test::expect;

fn worked_lab() -> Lab {
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    let region = lab.world.region(DEFAULT_REGION).expect("region");
    let named = |n: &str| {
        region
            .instances
            .values()
            .find(|i| i.tags.get("Name") == Some(n))
            .map(|i| i.id.clone())
            .expect("instance")
    };
    let data = region
        .volumes
        .values()
        .find(|v| v.tags.get("Name") == Some("data-1"))
        .map(|v| v.id.clone())
        .expect("data-1");
    let web_sg = region
        .security_groups
        .values()
        .find(|g| g.name == "web-sg")
        .map(|g| g.id.clone())
        .expect("sg");
    let acl = region.network_acls.keys().next().cloned().expect("acl");
    let subnet = region
        .instances
        .values()
        .next()
        .map(|i| i.subnet_id.clone())
        .expect("subnet");
    let image = region
        .instances
        .values()
        .next()
        .map(|i| i.image_id.clone())
        .expect("image");
    let (web1, db1) = (named("web-1"), named("db-1"));
    let actions = [
        Action::Launch {
            image_id: image.clone(),
            subnet_id: subnet.clone(),
            name: "tab\there, new\nline".into(),
            instance_type: "t3.micro".into(),
            security_group_ids: vec![web_sg.clone()],
            user_data: Some("#!/bin/bash\necho 'hi' \\ there\n".into()),
            root_volume: None,
        },
        // The launch form's root volume (D1): size, type, IOPS, encryption.
        Action::Launch {
            image_id: image,
            subnet_id: subnet,
            name: "big root".into(),
            instance_type: "t3.micro".into(),
            security_group_ids: Vec::new(),
            user_data: None,
            root_volume: Some(RootVolume {
                device_name: "/dev/xvda".into(),
                size_gib: 20,
                volume_type: VolumeType::Io1,
                iops: Some(400),
                encrypted: true,
            }),
        },
        Action::AttachVolume {
            volume_id: data.clone(),
            instance_id: web1.clone(),
            device: "/dev/sdf".into(),
        },
        Action::CreateSnapshot { volume_id: data },
        Action::AuthorizeRule {
            group_id: web_sg,
            egress: false,
            rule: SecurityGroupRule {
                protocol: IpProtocol::Tcp,
                ports: Some((22, 22)),
                peer: RulePeer::Cidr("203.0.113.0/24".parse().expect("cidr")),
                description: Some("office".into()),
            },
        },
        Action::CreateAclEntry {
            network_acl_id: acl,
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
        Action::Lifecycle {
            instance_id: db1.clone(),
            verb: Lifecycle::Stop,
        },
        Action::Advance { seconds: 30 },
        // db-1 is stopped now: its user data can change (H4).
        Action::ModifyUserData {
            instance_id: db1,
            user_data: "#!/bin/bash\necho\tdb\n".into(),
        },
        Action::CreateImage {
            instance_id: web1,
            name: "web image".into(),
        },
    ];
    for action in &actions {
        lab.perform(action).expect("works");
    }
    // A line typed at the console, and one in another Region: replayed
    // there, not in the Region on screen.
    let vpc = region_vpc(&lab);
    lab.perform(&Action::Console {
        line: format!("aws ec2 create-security-group --group-name console-sg --description 'typed in' --vpc-id {vpc}"),
    })
    .expect("works");
    lab.set_region("eu-west-1");
    lab.perform(&Action::Console {
        line: "aws ec2 create-vpc --cidr-block 10.9.0.0/16".into(),
    })
    .expect("works");
    // Reading is not an action: it is not saved.
    lab.perform(&Action::Console {
        line: "aws ec2 describe-vpcs".into(),
    })
    .expect("works");
    lab.set_region(DEFAULT_REGION);
    // An undone action is not part of the saved lab.
    lab.perform(&Action::Advance { seconds: 5 }).expect("works");
    lab.undo();
    lab
}

fn region_vpc(lab: &Lab) -> String {
    let region = lab.world.region(DEFAULT_REGION).expect("region");
    region.vpcs.keys().next().expect("vpc").to_string()
}

#[test]
fn a_saved_lab_loads_as_the_same_account() {
    let lab = worked_lab();
    let text = save(&lab);
    expect![[r#"
        ec2lab-lab 2
        region us-east-1
        launch	ami-e4644a6da1f2842ce	subnet-0e1f35406dcfacc32	tab\there, new\nline	t3.micro	sg-0555c95dd130af3af	=#!/bin/bash\necho 'hi' \\ there\n
        launch	ami-e4644a6da1f2842ce	subnet-0e1f35406dcfacc32	big root	t3.micro		-	root=20,io1,encrypted,400,/dev/xvda
        attach-volume	vol-046e27b7f222eca30	i-0e71dd8f9270ae24e	/dev/sdf
        create-snapshot	vol-046e27b7f222eca30
        authorize	sg-0555c95dd130af3af	in	tcp	22:22	203.0.113.0/24	office
        acl-entry	acl-0eaf2359b6e6a290b	90	in	6	deny	198.51.100.7/32	80:80
        stop	i-0b55da2a81bfa3ffd
        advance	30
        user-data	i-0b55da2a81bfa3ffd	#!/bin/bash\necho\tdb\n
        create-image	i-0e71dd8f9270ae24e	web image
        console	aws ec2 create-security-group --group-name console-sg --description 'typed in' --vpc-id vpc-01045a7fb10b3fc77
        region eu-west-1
        console	aws ec2 create-vpc --cidr-block 10.9.0.0/16
        view us-east-1
    "#]].assert_eq(&text);
    assert!(ec2lab_ui::saved::needs_console(&text));
    let loaded = load(&text).expect("loads");
    assert!(loaded.world == lab.world);
    assert_eq!(loaded.history(), lab.history());
}

#[test]
fn a_loaded_lab_undoes_every_action_back_to_the_account_before_it() {
    // Opening a lab keeps no copy of the account per action (a 100-resource
    // lab would copy it a hundred times before drawing); undo recomputes
    // the account before the action by replaying the ones before it, and
    // must find exactly what the learner had, console lines included.
    let mut lab = worked_lab();
    let mut loaded = load(&save(&lab)).expect("loads");
    let mut steps = 0;
    while let Some(line) = lab.undo() {
        assert_eq!(loaded.undo().as_deref(), Some(line.as_str()));
        assert!(loaded.world == lab.world, "after undoing {line}");
        steps += 1;
    }
    assert_eq!(steps, 12);
    assert!(!loaded.can_undo());
    assert!(loaded.world == default_lab());
    // Redo walks forward again, to the lab that was saved (whose own
    // undone `lab advance` was not saved, so it has one more to redo).
    while let Some(line) = loaded.redo() {
        assert_eq!(lab.redo().as_deref(), Some(line.as_str()));
        assert!(loaded.world == lab.world, "after redoing {line}");
    }
    assert_eq!(lab.redo().as_deref(), Some("lab advance --seconds 5"));
    assert_eq!(save(&loaded), save(&worked_lab()));
}

#[test]
fn corrupt_or_hostile_text_is_refused_with_the_line_and_why() {
    let cases = [
        "",
        "<script>alert(1)</script>",
        "ec2lab-lab 3\nregion us-east-1",
        "ec2lab-lab 2\nconsole\taws ec2 attach-volume --volume-id vol-1 --instance-id i-1 --device /dev/sdf",
        "ec2lab-lab 2\nconsole\taws ec2 frobnicate-instances",
        "ec2lab-lab 1\nregion mars-east-1",
        "ec2lab-lab 1\nformat-disk\tvol-1",
        "ec2lab-lab 1\nattach-volume\tvol-1",
        "ec2lab-lab 1\nauthorize\tsg-1\tin\ttcp\t22:22\t10.0.0.0/33\t",
        "ec2lab-lab 1\nadvance\tforever",
        "ec2lab-lab 1\nattach-volume\tvol-0123456789abcdef0\ti-0123456789abcdef0\t/dev/sdf",
    ];
    let out: String = cases
        .iter()
        .map(|text| match load(text) {
            Ok(_) => "loaded\n".to_owned(),
            Err(e) => format!("{e}\n"),
        })
        .collect();
    expect![[r#"
        line 1: this is not a saved EC2 Lab (it does not start with 'ec2lab-lab 2')
        line 1: this is not a saved EC2 Lab (it does not start with 'ec2lab-lab 2')
        line 1: this lab was saved by a newer version (ec2lab-lab 3); this one reads ec2lab-lab 2
        line 2: InvalidVolume.NotFound: The volume 'vol-1' does not exist.
        line 2: UnsupportedOperation: the lab does not simulate aws ec2 frobnicate-instances
        line 2: 'mars-east-1' is not a Region the lab simulates
        line 2: 'format-disk' is not an action this version knows
        line 2: attach-volume is missing its instance
        line 2: '10.0.0.0/33' is not a CIDR block, a security group or a prefix list
        line 2: the seconds are not a number
        line 2: InvalidVolume.NotFound: The volume 'vol-0123456789abcdef0' does not exist.
    "#]]
    .assert_eq(&out);
}

/// A launch saved before the launch form had storage (seven fields) still
/// loads, as the AMI's own root volume; one with a root volume round-trips.
#[test]
fn launch_lines_without_a_root_volume_still_load() {
    let old = "launch\tami-e4644a6da1f2842ce\tsubnet-0e1f35406dcfacc32\tweb\tt3.micro\t\t-";
    let action = decode(old).expect("an old line loads");
    assert!(matches!(
        &action,
        Action::Launch {
            root_volume: None,
            ..
        }
    ));
    assert_eq!(encode(&action).as_deref(), Some(old));
    let cases = [
        "launch\tami-1\tsubnet-1\tweb\tt3.micro\t\t-\troot=30,gp2,plain,-,/dev/sda1",
        "launch\tami-1\tsubnet-1\tweb\tt3.micro\t\t-\troot=thirty,gp2,plain,-,/dev/sda1",
        "launch\tami-1\tsubnet-1\tweb\tt3.micro\t\t-\troot=30,gp9,plain,-,/dev/sda1",
        "launch\tami-1\tsubnet-1\tweb\tt3.micro\t\t-\troot=30,gp2",
        "user-data\ti-1",
    ];
    let out: String = cases
        .iter()
        .map(|line| match decode(line) {
            Ok(action) => format!("{:?}\n", encode(&action)),
            Err(why) => format!("{why}\n"),
        })
        .collect();
    expect![[r#"
        Some("launch\tami-1\tsubnet-1\tweb\tt3.micro\t\t-\troot=30,gp2,plain,-,/dev/sda1")
        'thirty' is not a volume size in GiB
        'gp9' is not a volume type
        'root=30,gp2' is not a root volume like root=20,gp3,plain,-,/dev/xvda
        user-data is missing its user data
    "#]]
    .assert_eq(&out);
}
