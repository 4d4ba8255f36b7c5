//! The lab a learner sees first: a small two-AZ web application in us-east-1.
//!
//! It is built the way a learner would build it, through EC2 API commands, so
//! it obeys every rule the commands enforce. One VPC (10.0.0.0/16) has a public
//! and a private subnet in each of two AZs; the public subnets route 0.0.0.0/0
//! to an internet gateway (C3); two web servers run in the public subnets and a
//! database server in a private one; one empty data volume waits, unattached,
//! in us-east-1a.

use crate::command::{Command, Response};
use crate::error::ApiError;
use crate::ids::{ImageId, RouteTableId, SecurityGroupId, SubnetId, VpcId};
use crate::image::PUBLIC_IMAGES;
use crate::security_group::{IpProtocol, RulePeer, SecurityGroupRule};
use crate::tags::Tags;
use crate::world::World;

/// The Region the default lab is built in.
pub const DEFAULT_REGION: &str = "us-east-1";

/// The default lab.
pub fn default_lab() -> World {
    // The commands below are fixed and covered by tests, so they cannot fail.
    build().expect("the default lab's commands are valid")
}

fn build() -> Result<World, ApiError> {
    let mut world = World::new();
    let mut run = |command: Command| world.apply_basic(DEFAULT_REGION, command);

    let Response::Vpc(vpc) = run(Command::CreateVpc {
        cidr_block: "10.0.0.0/16".into(),
        tags: Tags::named("lab-vpc"),
    })?
    else {
        return Err(unexpected());
    };
    let mut subnet =
        |name: &str, cidr: &str, zone: &str, public: bool| -> Result<SubnetId, ApiError> {
            let Response::Subnet(id) = run(Command::CreateSubnet {
                vpc_id: vpc.clone(),
                cidr_block: cidr.into(),
                availability_zone: zone.into(),
                tags: Tags::named(name),
            })?
            else {
                return Err(unexpected());
            };
            if public {
                run(Command::ModifySubnetAttribute {
                    subnet_id: id.clone(),
                    map_public_ip_on_launch: true,
                })?;
            }
            Ok(id)
        };
    let public_a = subnet("public-a", "10.0.1.0/24", "us-east-1a", true)?;
    let private_a = subnet("private-a", "10.0.2.0/24", "us-east-1a", false)?;
    let public_b = subnet("public-b", "10.0.11.0/24", "us-east-1b", true)?;
    let _private_b = subnet("private-b", "10.0.12.0/24", "us-east-1b", false)?;

    let Response::InternetGateway(igw) = run(Command::CreateInternetGateway {
        tags: Tags::named("lab-igw"),
    })?
    else {
        return Err(unexpected());
    };
    run(Command::AttachInternetGateway {
        internet_gateway_id: igw.clone(),
        vpc_id: vpc.clone(),
    })?;
    let Response::RouteTable(public_rt) = run(Command::CreateRouteTable {
        vpc_id: vpc.clone(),
        tags: Tags::named("public-rt"),
    })?
    else {
        return Err(unexpected());
    };
    run(Command::CreateRoute {
        route_table_id: public_rt.clone(),
        destination_cidr_block: "0.0.0.0/0".into(),
        gateway_id: igw,
    })?;
    for subnet_id in [&public_a, &public_b] {
        run(Command::AssociateRouteTable {
            route_table_id: public_rt.clone(),
            subnet_id: subnet_id.clone(),
        })?;
    }
    let main_rt: RouteTableId = world_vpc(&world, &vpc)?.main_route_table;
    let mut run = |command: Command| world.apply_basic(DEFAULT_REGION, command);
    run(Command::CreateTags {
        resource_ids: vec![main_rt.to_string()],
        tags: Tags::named("private-rt"),
    })?;

    let mut group = |name: &str,
                     description: &str,
                     rules: Vec<SecurityGroupRule>|
     -> Result<SecurityGroupId, ApiError> {
        let Response::SecurityGroup(id) = run(Command::CreateSecurityGroup {
            group_name: name.into(),
            description: description.into(),
            vpc_id: vpc.clone(),
            tags: Tags::named(name),
        })?
        else {
            return Err(unexpected());
        };
        run(Command::AuthorizeSecurityGroupIngress {
            group_id: id.clone(),
            rules,
        })?;
        Ok(id)
    };
    let tcp_from = |port: i32, peer: RulePeer| SecurityGroupRule {
        protocol: IpProtocol::Tcp,
        ports: Some((port, port)),
        peer,
        description: None,
    };
    let anywhere = || RulePeer::Cidr(ipnet::Ipv4Net::default());
    let web_sg = group(
        "web-sg",
        "HTTP and HTTPS from anywhere",
        vec![tcp_from(80, anywhere()), tcp_from(443, anywhere())],
    )?;
    let db_sg = group(
        "db-sg",
        "MySQL from the web tier",
        vec![tcp_from(3306, RulePeer::SecurityGroup(web_sg.clone()))],
    )?;

    let amazon_linux: ImageId = PUBLIC_IMAGES[0].id_in(DEFAULT_REGION);
    let mut run = |command: Command| world.apply_basic(DEFAULT_REGION, command);
    // H1: the web servers install and start Apache from user data.
    let web_server = "#!/bin/bash\ndnf install -y httpd\nsystemctl enable --now httpd\necho \"<h1>Hello from $(hostname -f)</h1>\" > /var/www/html/index.html\n";
    for (name, instance_type, subnet_id, group_id, user_data) in [
        ("web-1", "t3.micro", &public_a, &web_sg, Some(web_server)),
        ("web-2", "t3.micro", &public_b, &web_sg, Some(web_server)),
        ("db-1", "t3.small", &private_a, &db_sg, None),
    ] {
        run(Command::RunInstances(Box::new(
            crate::command::RunInstances {
                image_id: amazon_linux.clone(),
                instance_type: instance_type.into(),
                subnet_id: subnet_id.clone(),
                security_group_ids: vec![group_id.clone()],
                count: 1,
                tags: Tags::named(name),
                user_data: user_data.map(str::to_owned),
                ..crate::command::RunInstances::default()
            },
        )))?;
    }
    run(Command::CreateVolume(Box::new(
        crate::command::CreateVolume {
            availability_zone: "us-east-1a".into(),
            size_gib: Some(20),
            volume_type: Some("gp3".into()),
            tags: Tags::named("data-1"),
            ..Default::default()
        },
    )))?;
    // D9: EBS-backed instances boot in under a minute; let them finish.
    run(Command::AdvanceTime { seconds: 60 })?;
    Ok(world)
}

fn world_vpc(world: &World, id: &VpcId) -> Result<crate::vpc::Vpc, ApiError> {
    world
        .region(DEFAULT_REGION)
        .and_then(|region| region.vpcs.get(id))
        .cloned()
        .ok_or_else(unexpected)
}

fn unexpected() -> ApiError {
    ApiError::new(
        "InternalError",
        "the default lab got an unexpected response",
    )
}
