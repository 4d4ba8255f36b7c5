//! Launch templates (I1, I2): versions, the default version, and launches
//! that take a template's parameters under the request's own. Every failed
//! command must leave the world exactly as it was.

use ec2lab_sim::{
    Command, CreateLaunchTemplate, CreateLaunchTemplateVersion, ImageId, Instance,
    LaunchTemplateData, LaunchTemplateNetworkInterface, LaunchTemplateRef,
    LaunchTemplateSpecification, LaunchTemplateTagSpecification, Response, RunInstances,
    SecurityGroupId, SubnetId, Tags, World, PUBLIC_IMAGES,
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

/// The launch templates of the Region, as `ec2lab show` prints them.
fn templates(world: &World) -> String {
    world
        .region(REGION)
        .expect("region")
        .to_string()
        .lines()
        .skip_while(|line| !line.contains("Launch template"))
        .map(|line| format!("{}\n", line.strip_prefix("  ").unwrap_or(line)))
        .collect()
}

/// A VPC with one subnet; returns the subnet and the VPC's default group.
fn network(world: &mut World) -> (SubnetId, SecurityGroupId) {
    let Ok(Response::Vpc(vpc_id)) = world.apply(
        REGION,
        Command::CreateVpc {
            cidr_block: "10.0.0.0/16".into(),
            tags: Tags::new(),
        },
    ) else {
        panic!("CreateVpc");
    };
    let Ok(Response::Subnet(subnet_id)) = world.apply(
        REGION,
        Command::CreateSubnet {
            vpc_id: vpc_id.clone(),
            cidr_block: "10.0.1.0/24".into(),
            availability_zone: "us-east-1a".into(),
            tags: Tags::new(),
        },
    ) else {
        panic!("CreateSubnet");
    };
    let group = world.region(REGION).expect("region").vpcs[&vpc_id]
        .default_security_group
        .clone();
    (subnet_id, group)
}

fn create(name: &str, data: LaunchTemplateData) -> Command {
    Command::CreateLaunchTemplate(Box::new(CreateLaunchTemplate {
        name: name.into(),
        version_description: Some("first".into()),
        data,
        tags: Tags::named("tagged template"),
    }))
}

fn new_version(name: &str, source: Option<&str>, data: LaunchTemplateData) -> Command {
    Command::CreateLaunchTemplateVersion(Box::new(CreateLaunchTemplateVersion {
        template: LaunchTemplateRef::Name(name.into()),
        source_version: source.map(str::to_owned),
        version_description: None,
        data,
    }))
}

fn by_name(name: &str) -> LaunchTemplateRef {
    LaunchTemplateRef::Name(name.into())
}

/// A launch from the template `name` at `version`, giving only what `edit` sets.
fn launch(name: &str, version: Option<&str>, edit: impl FnOnce(&mut RunInstances)) -> Command {
    let mut request = RunInstances {
        count: 1,
        launch_template: Some(LaunchTemplateSpecification {
            template: by_name(name),
            version: version.map(str::to_owned),
        }),
        ..RunInstances::default()
    };
    edit(&mut request);
    Command::RunInstances(Box::new(request))
}

fn launched(world: &World, response: Option<Response>) -> &Instance {
    let Some(Response::Instances(_, ids)) = response else {
        panic!("RunInstances failed");
    };
    &world.region(REGION).expect("region").instances[&ids[0]]
}

/// One line of what a launch made: image, type, subnet, groups, user data, tags.
fn summary(instance: &Instance, world: &World) -> String {
    let state = world.region(REGION).expect("region");
    let groups: Vec<String> = state
        .primary_interface(instance)
        .map(|eni| {
            eni.security_groups
                .iter()
                .map(ToString::to_string)
                .collect()
        })
        .unwrap_or_default();
    let tags: Vec<String> = instance
        .tags
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!(
        "{} {} {} [{}] user data {:?}, protected {}; {}",
        instance.image_id,
        instance.instance_type,
        instance.subnet_id,
        groups.join(" "),
        instance.user_data,
        instance.disable_api_termination,
        tags.join(" ")
    )
}

#[test]
fn versions_are_numbered_in_order_and_the_default_stays_one_until_modified() {
    let mut world = World::new();
    let (subnet_id, _) = network(&mut world);
    let ami = PUBLIC_IMAGES[0].id_in(REGION);
    let v1 = LaunchTemplateData {
        image_id: Some(ami),
        instance_type: Some("t3.micro".into()),
        network_interfaces: Some(vec![LaunchTemplateNetworkInterface {
            device_index: Some(0),
            subnet_id: Some(subnet_id),
            ..LaunchTemplateNetworkInterface::default()
        }]),
        user_data: Some("#!/bin/bash\necho hello\n".into()),
        ..LaunchTemplateData::default()
    };
    check(
        &mut world,
        create("web", v1),
        expect![[r#"ok LaunchTemplate(LaunchTemplateId("lt-0a09258fcf2eafa92"))"#]],
    );
    // I2: a new version from version 1 keeps its parameters and replaces
    // the one it gives; a version without a source holds only its own.
    check(
        &mut world,
        new_version(
            "web",
            Some("1"),
            LaunchTemplateData {
                instance_type: Some("t3.small".into()),
                ..LaunchTemplateData::default()
            },
        ),
        expect![[r#"ok LaunchTemplateVersion(LaunchTemplateId("lt-0a09258fcf2eafa92"), 2)"#]],
    );
    check(
        &mut world,
        new_version(
            "web",
            None,
            LaunchTemplateData {
                instance_type: Some("m5.large".into()),
                ..LaunchTemplateData::default()
            },
        ),
        expect![[r#"ok LaunchTemplateVersion(LaunchTemplateId("lt-0a09258fcf2eafa92"), 3)"#]],
    );
    expect![[r#"
          Launch template lt-0a09258fcf2eafa92 web, default version 1, latest 3
            Version 1 "first" (default): ami-e4644a6da1f2842ce, t3.micro, subnet subnet-0dee21ba09fd7951f, user data 23 bytes
            Version 2: ami-e4644a6da1f2842ce, t3.small, subnet subnet-0dee21ba09fd7951f, user data 23 bytes
            Version 3: m5.large
    "#]]
    .assert_eq(&templates(&world));

    // I2: the default version changes only when asked, to a version that exists.
    check(
        &mut world,
        Command::ModifyLaunchTemplate {
            template: by_name("web"),
            default_version: Some("7".into()),
        },
        expect!["An error occurred (InvalidLaunchTemplateId.VersionNotFound): The specified launch template version does not exist: lt-0a09258fcf2eafa92 (web) has no version 7; its versions are 1, 2, 3."],
    );
    check(
        &mut world,
        Command::ModifyLaunchTemplate {
            template: by_name("web"),
            default_version: Some("2".into()),
        },
        expect![[r#"ok LaunchTemplate(LaunchTemplateId("lt-0a09258fcf2eafa92"))"#]],
    );
    // I2: the default version can't be deleted; the others can, one by one.
    check(
        &mut world,
        Command::DeleteLaunchTemplateVersions {
            template: by_name("web"),
            versions: vec!["2".into(), "3".into(), "9".into()],
        },
        expect![[
            r#"ok LaunchTemplateVersionsDeleted(DeletedLaunchTemplateVersions { template_id: LaunchTemplateId("lt-0a09258fcf2eafa92"), template_name: "web", deleted: [3], failed: [VersionNotDeleted { version: 2, code: "unexpectedError", message: "Cannot delete the default version of a launch template: version 2 is the default of lt-0a09258fcf2eafa92. Make another version the default first (modify-launch-template --default-version), or delete the whole template (delete-launch-template)." }, VersionNotDeleted { version: 9, code: "launchTemplateVersionDoesNotExist", message: "The specified launch template version does not exist: lt-0a09258fcf2eafa92 has versions 1, 2, 3." }] })"#
        ]],
    );
    // I2: numbers go on in creation order; a deleted version's is not reused.
    check(
        &mut world,
        new_version(
            "web",
            Some("$Latest"),
            LaunchTemplateData {
                key_name: Some("lab-key".into()),
                ..LaunchTemplateData::default()
            },
        ),
        expect![[r#"ok LaunchTemplateVersion(LaunchTemplateId("lt-0a09258fcf2eafa92"), 4)"#]],
    );
    expect![[r#"
          Launch template lt-0a09258fcf2eafa92 web, default version 2, latest 4
            Version 1 "first": ami-e4644a6da1f2842ce, t3.micro, subnet subnet-0dee21ba09fd7951f, user data 23 bytes
            Version 2 (default): ami-e4644a6da1f2842ce, t3.small, subnet subnet-0dee21ba09fd7951f, user data 23 bytes
            Version 4: ami-e4644a6da1f2842ce, t3.small, key lab-key, subnet subnet-0dee21ba09fd7951f, user data 23 bytes
    "#]]
    .assert_eq(&templates(&world));
    // Deleting the template deletes every version.
    check(
        &mut world,
        Command::DeleteLaunchTemplate {
            template: by_name("web"),
        },
        expect![[r#"ok LaunchTemplate(LaunchTemplateId("lt-0a09258fcf2eafa92"))"#]],
    );
    expect![""].assert_eq(&templates(&world));
}

#[test]
fn templates_are_named_once_per_region_and_looked_up_by_id_or_name() {
    let mut world = World::new();
    let data = || LaunchTemplateData {
        instance_type: Some("t3.micro".into()),
        ..LaunchTemplateData::default()
    };
    check(
        &mut world,
        create("web", data()),
        expect![[r#"ok LaunchTemplate(LaunchTemplateId("lt-01045a7fb10b3fc77"))"#]],
    );
    check(
        &mut world,
        create("web", data()),
        expect!["An error occurred (InvalidLaunchTemplateName.AlreadyExistsException): Launch template name already in use: us-east-1 already has a launch template named 'web'. To change it, create a new version (create-launch-template-version)."],
    );
    // Names are per Region: the same name is free in another one.
    assert!(world.apply("eu-west-1", create("web", data())).is_ok());
    check(
        &mut world,
        create("my web", data()),
        expect!["An error occurred (InvalidLaunchTemplateName.MalformedException): The launch template name 'my web' is invalid. A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: '-', '_', '.', '/', '(', and ')'."],
    );
    check(
        &mut world,
        create("empty", LaunchTemplateData::default()),
        expect!["An error occurred (MissingParameter): The request must contain the parameter LaunchTemplateData with at least one launch parameter (for example ImageId or InstanceType)."],
    );
    check(
        &mut world,
        create(
            "two-enis",
            LaunchTemplateData {
                network_interfaces: Some(vec![
                    LaunchTemplateNetworkInterface::default(),
                    LaunchTemplateNetworkInterface {
                        device_index: Some(1),
                        ..LaunchTemplateNetworkInterface::default()
                    },
                ]),
                ..LaunchTemplateData::default()
            },
        ),
        expect!["An error occurred (UnsupportedOperation): The lab's instances have one network interface: give NetworkInterfaces one entry, with DeviceIndex 0."],
    );
    check(
        &mut world,
        create(
            "eni-tags",
            LaunchTemplateData {
                tag_specifications: Some(vec![LaunchTemplateTagSpecification {
                    resource_type: "network-interface".into(),
                    tags: Tags::named("x"),
                }]),
                ..LaunchTemplateData::default()
            },
        ),
        expect!["An error occurred (UnsupportedOperation): The lab's launch templates tag the instances and volumes a launch makes (ResourceType instance or volume), not 'network-interface'."],
    );
    let version_of = |template: LaunchTemplateRef, version: &str| {
        Command::CreateLaunchTemplateVersion(Box::new(CreateLaunchTemplateVersion {
            template,
            source_version: Some(version.into()),
            version_description: None,
            data: LaunchTemplateData::default(),
        }))
    };
    check(
        &mut world,
        version_of(LaunchTemplateRef::Name("Web".into()), "1"),
        expect!["An error occurred (InvalidLaunchTemplateName.NotFoundException): The specified launch template, with template name Web, does not exist in us-east-1. Launch template names are case-sensitive."],
    );
    check(
        &mut world,
        version_of(LaunchTemplateRef::Id("lt-0123456789abcdef0".into()), "1"),
        expect!["An error occurred (InvalidLaunchTemplateId.NotFound): The specified launch template, with template ID lt-0123456789abcdef0, does not exist in us-east-1."],
    );
    check(
        &mut world,
        version_of(LaunchTemplateRef::Id("lt-web".into()), "1"),
        expect!["An error occurred (InvalidLaunchTemplateId.Malformed): The launch template ID 'lt-web' is malformed. Ensure that you specify the launch template ID in the form lt-xxxxxxxxxxxxxxxxx (17 hexadecimal digits)."],
    );
    check(
        &mut world,
        version_of(LaunchTemplateRef::Id("lt-01045a7fb10b3fc77".into()), "2"),
        expect!["An error occurred (InvalidLaunchTemplateId.VersionNotFound): The specified launch template version does not exist: lt-01045a7fb10b3fc77 (web) has no version 2; its versions are 1."],
    );
    // A copy of a version, with nothing replaced, is a version too.
    check(
        &mut world,
        version_of(
            LaunchTemplateRef::Id("lt-01045a7fb10b3fc77".into()),
            "$Default",
        ),
        expect![[r#"ok LaunchTemplateVersion(LaunchTemplateId("lt-01045a7fb10b3fc77"), 2)"#]],
    );
    expect![[r#"Err(ApiError { code: "InvalidParameterCombination", message: "Specify either the launch template ID or the launch template name, but not both." })"#]]
        .assert_eq(&format!(
            "{:?}",
            LaunchTemplateRef::from_id_or_name(Some("lt-01045a7fb10b3fc77"), Some("web"))
        ));
}

#[test]
fn a_launch_takes_the_template_under_what_the_request_gives() {
    let mut world = World::new();
    let (subnet_id, default_group) = network(&mut world);
    let ami = PUBLIC_IMAGES[0].id_in(REGION);
    let tags = |resource_type: &str, key: &str, value: &str| {
        let mut tags = Tags::new();
        tags.insert(key, value);
        LaunchTemplateTagSpecification {
            resource_type: resource_type.into(),
            tags,
        }
    };
    check(
        &mut world,
        create(
            "web",
            LaunchTemplateData {
                image_id: Some(ami.clone()),
                instance_type: Some("t3.micro".into()),
                network_interfaces: Some(vec![LaunchTemplateNetworkInterface {
                    subnet_id: Some(subnet_id.clone()),
                    groups: vec![default_group],
                    ..LaunchTemplateNetworkInterface::default()
                }]),
                user_data: Some("#!/bin/bash\necho v1\n".into()),
                disable_api_termination: Some(true),
                tag_specifications: Some(vec![
                    tags("instance", "Name", "web"),
                    tags("instance", "team", "blue"),
                ]),
                ..LaunchTemplateData::default()
            },
        ),
        expect![[r#"ok LaunchTemplate(LaunchTemplateId("lt-0a09258fcf2eafa92"))"#]],
    );
    check(
        &mut world,
        new_version(
            "web",
            Some("1"),
            LaunchTemplateData {
                instance_type: Some("t3.small".into()),
                user_data: Some("#!/bin/bash\necho v2\n".into()),
                ..LaunchTemplateData::default()
            },
        ),
        expect![[r#"ok LaunchTemplateVersion(LaunchTemplateId("lt-0a09258fcf2eafa92"), 2)"#]],
    );
    // I2: no version means the default (still 1); `$Latest` is version 2.
    // The user data, the subnet, the groups and the tags come from the
    // template; AWS adds the two aws:ec2launchtemplate tags.
    let response = check(
        &mut world,
        launch("web", None, |_| {}),
        expect![[
            r#"ok Instances(ReservationId("r-032f4bb3ae6a425c1"), [InstanceId("i-0e1f35406dcfacc32")])"#
        ]],
    );
    expect![[r##"ami-e4644a6da1f2842ce t3.micro subnet-0dee21ba09fd7951f [sg-0935cb6af174e8421] user data Some("#!/bin/bash\necho v1\n"), protected true; Name=web aws:ec2launchtemplate:id=lt-0a09258fcf2eafa92 aws:ec2launchtemplate:version=1 team=blue"##]]
        .assert_eq(&summary(launched(&world, response), &world));
    let response = check(
        &mut world,
        launch("web", Some("$Latest"), |_| {}),
        expect![[
            r#"ok Instances(ReservationId("r-0ee32087912bd2c0d"), [InstanceId("i-0bd50aae58026701f")])"#
        ]],
    );
    expect![[r##"ami-e4644a6da1f2842ce t3.small subnet-0dee21ba09fd7951f [sg-0935cb6af174e8421] user data Some("#!/bin/bash\necho v2\n"), protected true; Name=web aws:ec2launchtemplate:id=lt-0a09258fcf2eafa92 aws:ec2launchtemplate:version=2 team=blue"##]]
        .assert_eq(&summary(launched(&world, response), &world));
    // What the request gives wins, even `false`; a tag it gives replaces
    // the template's tag with the same key, the others stay.
    let response = check(
        &mut world,
        launch("web", Some("$Default"), |request| {
            request.instance_type = "t3.large".into();
            request.disable_api_termination = Some(false);
            request.tags = Tags::named("override");
        }),
        expect![[
            r#"ok Instances(ReservationId("r-06e450b1e05ab6bd1"), [InstanceId("i-0555c95dd130af3af")])"#
        ]],
    );
    expect![[r##"ami-e4644a6da1f2842ce t3.large subnet-0dee21ba09fd7951f [sg-0935cb6af174e8421] user data Some("#!/bin/bash\necho v1\n"), protected false; Name=override aws:ec2launchtemplate:id=lt-0a09258fcf2eafa92 aws:ec2launchtemplate:version=1 team=blue"##]]
        .assert_eq(&summary(launched(&world, response), &world));
    check(
        &mut world,
        launch("web", Some("5"), |_| {}),
        expect!["An error occurred (InvalidLaunchTemplateId.VersionNotFound): The specified launch template version does not exist: lt-0a09258fcf2eafa92 (web) has no version 5; its versions are 1, 2."],
    );
    check(
        &mut world,
        launch("db", None, |_| {}),
        expect!["An error occurred (InvalidLaunchTemplateName.NotFoundException): The specified launch template, with template name db, does not exist in us-east-1. Launch template names are case-sensitive."],
    );

    // I1: a template without an AMI needs one in the launch request.
    check(
        &mut world,
        create(
            "no-ami",
            LaunchTemplateData {
                instance_type: Some("t3.micro".into()),
                network_interfaces: Some(vec![LaunchTemplateNetworkInterface {
                    subnet_id: Some(subnet_id),
                    ..LaunchTemplateNetworkInterface::default()
                }]),
                ..LaunchTemplateData::default()
            },
        ),
        expect![[r#"ok LaunchTemplate(LaunchTemplateId("lt-0e71dd8f9270ae24e"))"#]],
    );
    check(
        &mut world,
        launch("no-ami", None, |_| {}),
        expect!["An error occurred (MissingParameter): The request must contain the parameter ImageId: version 1 of launch template lt-0e71dd8f9270ae24e (no-ami) has no AMI, so the launch must name one (I1)."],
    );
    let response = check(
        &mut world,
        launch("no-ami", None, |request| request.image_id = ami),
        expect![[
            r#"ok Instances(ReservationId("r-0264354ad3467ba79"), [InstanceId("i-0832495e649941376")])"#
        ]],
    );
    expect!["ami-e4644a6da1f2842ce t3.micro subnet-0dee21ba09fd7951f [sg-0935cb6af174e8421] user data None, protected false; aws:ec2launchtemplate:id=lt-0e71dd8f9270ae24e aws:ec2launchtemplate:version=1"]
        .assert_eq(&summary(launched(&world, response), &world));
    // Without a template, an empty ImageId is AWS's MissingParameter too.
    check(
        &mut world,
        Command::RunInstances(Box::new(RunInstances {
            image_id: ImageId::default(),
            ..RunInstances::new(ImageId::default(), "t3.micro", SubnetId::default(), 1)
        })),
        expect![
            "An error occurred (MissingParameter): The request must contain the parameter ImageId"
        ],
    );
}
