//! Traces on the default lab and on the VPC guide's examples: every verdict
//! a learner sees, as golden text. Each case names the entries of
//! `aws-behaviour.md` it checks.

use std::net::IpAddr;

use ec2lab_sim::{
    default_lab, Command, Connection, Flow, IpProtocol, NetworkAclEntry, RegionState, Response,
    RuleAction, RulePeer, SecurityGroupRule, Source, Tags, Transport, World, DEFAULT_REGION,
};
use expect_test::{expect, Expect};

const REGION: &str = DEFAULT_REGION;

fn region(world: &World) -> &RegionState {
    world.region(REGION).expect("default region")
}

/// The primary interface of the instance with this Name tag.
fn eni(world: &World, name: &str) -> Source {
    let region = region(world);
    let instance = region
        .instances
        .values()
        .find(|i| i.tags.name() == Some(name))
        .unwrap_or_else(|| panic!("no instance {name}"));
    Source::Interface(instance.network_interface_id.clone())
}

/// An address of the instance with this Name tag: `private` or `public`.
fn address(world: &World, name: &str, which: &str) -> IpAddr {
    let region = region(world);
    let instance = region
        .instances
        .values()
        .find(|i| i.tags.name() == Some(name))
        .expect("instance");
    let eni = region.primary_interface(instance).expect("eni");
    match which {
        "private" => IpAddr::V4(eni.private_ip),
        _ => IpAddr::V4(eni.public_ip.expect("a public address")),
    }
}

fn tcp(src_port: u16, dst_port: u16) -> Transport {
    Transport::Tcp { src_port, dst_port }
}

fn check(
    world: &World,
    source: Source,
    destination: IpAddr,
    transport: Transport,
    expected: Expect,
) {
    let flow = Flow {
        source,
        destination,
        transport,
    };
    expected.assert_eq(&region(world).trace(&flow).to_string());
}

fn internet(ip: &str) -> Source {
    Source::Internet(ip.parse().expect("ip"))
}

fn apply(world: &mut World, command: Command) -> Response {
    world
        .apply(REGION, command)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn find_id<'a>(names: impl Iterator<Item = (&'a str, Option<&'a str>)>, name: &str) -> String {
    names
        .into_iter()
        .find(|(_, n)| *n == Some(name))
        .map(|(id, _)| id.to_owned())
        .unwrap_or_else(|| panic!("no {name}"))
}

fn group_id(world: &World, name: &str) -> ec2lab_sim::SecurityGroupId {
    region(world)
        .security_groups
        .values()
        .find(|g| g.name == name)
        .expect("group")
        .id
        .clone()
}

fn subnet_id(world: &World, name: &str) -> ec2lab_sim::SubnetId {
    let id = find_id(
        region(world)
            .subnets
            .values()
            .map(|s| (s.id.as_str(), s.tags.name())),
        name,
    );
    ec2lab_sim::SubnetId::new(id)
}

fn rule(protocol: IpProtocol, ports: Option<(i32, i32)>, peer: RulePeer) -> SecurityGroupRule {
    SecurityGroupRule {
        protocol,
        ports,
        peer,
        description: None,
    }
}

fn cidr(text: &str) -> RulePeer {
    RulePeer::Cidr(text.parse().expect("cidr"))
}

#[test]
fn the_internet_reaches_a_web_server_on_port_80() {
    // A3, A13: web-sg allows TCP 80 from 0.0.0.0/0 and all traffic out, so the
    // flow is untracked; the default network ACL allows everything (B2).
    let world = default_lab();
    let web1 = address(&world, "web-1", "public");
    check(
        &world,
        internet("203.0.113.5"),
        web1,
        tcp(50123, 80),
        expect![[r#"
            Trace TCP 203.0.113.5:50123 → 3.84.229.19:80: ALLOWED
              Request:
                ✓ InternetGateway ingress igw-0bd50aae58026701f: translates 3.84.229.19 to 10.0.1.4 (1:1 NAT, C3)
                ✓ NetworkAcl ingress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 203.0.113.5:50123 → 10.0.1.4:80
                ✓ SecurityGroup ingress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "tcp 80 0.0.0.0/0"
              Reply:
                ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "-1 all 0.0.0.0/0"
                ✓ RouteTable rtb-0c3d400a3b428cbc1: route 0.0.0.0/0 → igw-0bd50aae58026701f for 203.0.113.5
                ✓ NetworkAcl egress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.1.4:80 → 203.0.113.5:50123
                ✓ InternetGateway egress igw-0bd50aae58026701f: translates 10.0.1.4 to 3.84.229.19 (1:1 NAT, C3)
              Connection tracking: untracked (A13)
              Service: httpd answers
              Page: <h1>Hello from ip-10-0-1-4.ec2.internal</h1>
              Why: Delivered both ways. The request is allowed in by security group sg-0555c95dd130af3af (web-sg) rule "tcp 80 0.0.0.0/0". Network ACLs are stateless (B5): the reply needed its own rule, and acl-0eaf2359b6e6a290b rule 100 allows it. The destination's security groups do not track this flow (A13): removing the rule that allows it would cut it at once, not only for new connections.
        "#]],
    );
}

#[test]
fn ssh_from_the_internet_is_dropped_by_the_security_group_and_a_rule_is_proposed() {
    // A1: no rule allows it, so it is dropped.
    let world = default_lab();
    let web1 = address(&world, "web-1", "public");
    check(
        &world,
        internet("203.0.113.5"),
        web1,
        tcp(50123, 22),
        expect![[r#"
            Trace TCP 203.0.113.5:50123 → 3.84.229.19:22: BLOCKED (request)
              Request:
                ✓ InternetGateway ingress igw-0bd50aae58026701f: translates 3.84.229.19 to 10.0.1.4 (1:1 NAT, C3)
                ✓ NetworkAcl ingress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 203.0.113.5:50123 → 10.0.1.4:22
                ✗ SecurityGroup ingress sg-0555c95dd130af3af: no rule allows TCP 203.0.113.5:50123 → 10.0.1.4:22
              Why: The request (TCP 203.0.113.5:50123 → 10.0.1.4:22) is dropped by the security groups sg-0555c95dd130af3af (inbound): no rule allows it, and security groups only allow (A1). Add an inbound rule for it.
              Fix: Add an inbound rule "tcp 22 203.0.113.5/32" to security group sg-0555c95dd130af3af (web-sg).
                   aws ec2 authorize-security-group-ingress --group-id sg-0555c95dd130af3af --ip-permissions IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=203.0.113.5/32}]
        "#]],
    );
}

#[test]
fn a_private_address_cannot_be_reached_from_the_internet() {
    let world = default_lab();
    let db1 = address(&world, "db-1", "private");
    check(
        &world,
        internet("203.0.113.5"),
        db1,
        tcp(50123, 3306),
        expect![[r#"
            Trace TCP 203.0.113.5:50123 → 10.0.2.4:3306: BLOCKED (request)
              Request:
                ✗ NoPublicIpv4 eni-03d58efef648fce9f: 10.0.2.4 is the private address of eni-03d58efef648fce9f, which the internet cannot reach: only a public IPv4 address (auto-assigned or Elastic) is reachable through the internet gateway (C3)
              Why: The request (TCP 203.0.113.5:50123 → 10.0.2.4:3306) is stopped at NoPublicIpv4 eni-03d58efef648fce9f: 10.0.2.4 is the private address of eni-03d58efef648fce9f, which the internet cannot reach: only a public IPv4 address (auto-assigned or Elastic) is reachable through the internet gateway (C3).
        "#]],
    );
}

#[test]
fn the_web_tier_reaches_the_database_through_a_group_reference() {
    // A8: db-sg allows 3306 from web-sg, which matches web-1's private address.
    // B7 does not apply: the two are in different subnets, so both ACLs look.
    let world = default_lab();
    let db1 = address(&world, "db-1", "private");
    check(
        &world,
        eni(&world, "web-1"),
        db1,
        tcp(40000, 3306),
        expect![[r#"
            Trace TCP 10.0.1.4:40000 → 10.0.2.4:3306: CONNECTION REFUSED
              Request:
                ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "-1 all 0.0.0.0/0"
                ✓ RouteTable rtb-0c3d400a3b428cbc1: route 10.0.0.0/16 → local for 10.0.2.4
                ✓ NetworkAcl egress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.1.4:40000 → 10.0.2.4:3306
                ✓ NetworkAcl ingress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.1.4:40000 → 10.0.2.4:3306
                ✓ SecurityGroup ingress sg-0345940bbf6128d02: allowed by sg-0345940bbf6128d02 rule "tcp 3306 sg-0555c95dd130af3af"
              Reply:
                ✓ SecurityGroup egress sg-0345940bbf6128d02: allowed: connection tracking (stateful)
                ✓ RouteTable rtb-022894ba151e5e1a9: route 10.0.0.0/16 → local for 10.0.1.4
                ✓ NetworkAcl egress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.2.4:3306 → 10.0.1.4:40000
                ✓ NetworkAcl ingress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.2.4:3306 → 10.0.1.4:40000
                ✓ SecurityGroup ingress sg-0555c95dd130af3af: allowed: connection tracking (stateful)
              Connection tracking: tracked
              Service: nothing listens: connection refused
              Why: Delivered both ways. The request is allowed in by security group sg-0345940bbf6128d02 (db-sg) rule "tcp 3306 sg-0555c95dd130af3af". The reply passes security groups sg-0345940bbf6128d02 without any rule: security groups are stateful and track the connection (A3). Network ACLs are stateless (B5): the reply needed its own rule, and acl-0eaf2359b6e6a290b rule 100 allows it. But nothing listens on TCP 3306 at i-0b55da2a81bfa3ffd: it answers with a reset, and the client sees "connection refused". The security groups and network ACLs are not the problem; a service must listen on that port (for example `sudo systemctl start httpd`).
        "#]],
    );
    check(
        &world,
        eni(&world, "web-1"),
        db1,
        tcp(40000, 22),
        expect![[r#"
        Trace TCP 10.0.1.4:40000 → 10.0.2.4:22: BLOCKED (request)
          Request:
            ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "-1 all 0.0.0.0/0"
            ✓ RouteTable rtb-0c3d400a3b428cbc1: route 10.0.0.0/16 → local for 10.0.2.4
            ✓ NetworkAcl egress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.1.4:40000 → 10.0.2.4:22
            ✓ NetworkAcl ingress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.1.4:40000 → 10.0.2.4:22
            ✗ SecurityGroup ingress sg-0345940bbf6128d02: no rule allows TCP 10.0.1.4:40000 → 10.0.2.4:22
          Why: The request (TCP 10.0.1.4:40000 → 10.0.2.4:22) is dropped by the security groups sg-0345940bbf6128d02 (inbound): no rule allows it, and security groups only allow (A1). Add an inbound rule for it.
          Fix: Add an inbound rule "tcp 22 10.0.1.4/32" to security group sg-0345940bbf6128d02 (db-sg).
               aws ec2 authorize-security-group-ingress --group-id sg-0345940bbf6128d02 --ip-permissions IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=10.0.1.4/32}]
    "#]],
    );
}

#[test]
fn a_group_reference_never_matches_a_public_address() {
    // A8: through the public address the traffic hairpins through the
    // internet gateway and arrives from web-1's public address.
    let mut world = default_lab();
    let web_sg = group_id(&world, "web-sg");
    apply(
        &mut world,
        Command::AuthorizeSecurityGroupIngress {
            group_id: web_sg.clone(),
            rules: vec![rule(
                IpProtocol::Tcp,
                Some((8080, 8080)),
                RulePeer::SecurityGroup(web_sg),
            )],
        },
    );
    let private = address(&world, "web-2", "private");
    let public = address(&world, "web-2", "public");
    check(
        &world,
        eni(&world, "web-1"),
        private,
        tcp(40000, 8080),
        expect![[r#"
            Trace TCP 10.0.1.4:40000 → 10.0.11.4:8080: CONNECTION REFUSED
              Request:
                ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "-1 all 0.0.0.0/0"
                ✓ RouteTable rtb-0c3d400a3b428cbc1: route 10.0.0.0/16 → local for 10.0.11.4
                ✓ NetworkAcl egress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.1.4:40000 → 10.0.11.4:8080
                ✓ NetworkAcl ingress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.1.4:40000 → 10.0.11.4:8080
                ✓ SecurityGroup ingress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "tcp 8080 sg-0555c95dd130af3af"
              Reply:
                ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed: connection tracking (stateful)
                ✓ RouteTable rtb-0c3d400a3b428cbc1: route 10.0.0.0/16 → local for 10.0.1.4
                ✓ NetworkAcl egress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.11.4:8080 → 10.0.1.4:40000
                ✓ NetworkAcl ingress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.11.4:8080 → 10.0.1.4:40000
                ✓ SecurityGroup ingress sg-0555c95dd130af3af: allowed: connection tracking (stateful)
              Connection tracking: tracked
              Service: nothing listens: connection refused
              Why: Delivered both ways. The request is allowed in by security group sg-0555c95dd130af3af (web-sg) rule "tcp 8080 sg-0555c95dd130af3af". The reply passes security groups sg-0555c95dd130af3af without any rule: security groups are stateful and track the connection (A3). Network ACLs are stateless (B5): the reply needed its own rule, and acl-0eaf2359b6e6a290b rule 100 allows it. But nothing listens on TCP 8080 at i-0781d9316b870d786: it answers with a reset, and the client sees "connection refused". The security groups and network ACLs are not the problem; a service must listen on that port (for example `sudo systemctl start httpd`).
        "#]],
    );
    check(
        &world,
        eni(&world, "web-1"),
        public,
        tcp(40000, 8080),
        expect![[r#"
            Trace TCP 10.0.1.4:40000 → 3.81.225.35:8080: BLOCKED (request)
              Request:
                ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "-1 all 0.0.0.0/0"
                ✓ RouteTable rtb-0c3d400a3b428cbc1: route 0.0.0.0/0 → igw-0bd50aae58026701f for 3.81.225.35
                ✓ NetworkAcl egress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.1.4:40000 → 3.81.225.35:8080
                ✓ InternetGateway egress igw-0bd50aae58026701f: translates 10.0.1.4 to 3.84.229.19 (1:1 NAT, C3)
                ✓ InternetGateway ingress igw-0bd50aae58026701f: translates 3.81.225.35 to 10.0.11.4 (1:1 NAT, C3)
                ✓ NetworkAcl ingress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 3.84.229.19:40000 → 10.0.11.4:8080
                ✗ SecurityGroup ingress sg-0555c95dd130af3af: no rule allows TCP 3.84.229.19:40000 → 10.0.11.4:8080
              Why: The request (TCP 3.84.229.19:40000 → 10.0.11.4:8080) is dropped by the security groups sg-0555c95dd130af3af (inbound): no rule allows it, and security groups only allow (A1). Add an inbound rule for it.
              Fix: Add an inbound rule "tcp 8080 3.84.229.19/32" to security group sg-0555c95dd130af3af (web-sg).
                   aws ec2 authorize-security-group-ingress --group-id sg-0555c95dd130af3af --ip-permissions IpProtocol=tcp,FromPort=8080,ToPort=8080,IpRanges=[{CidrIp=3.84.229.19/32}]
        "#]],
    );
}

#[test]
fn a_private_subnet_has_no_way_out_and_no_single_change_fixes_it() {
    // C3: the private subnet's route table has no internet gateway route, and
    // db-1 has no public address either: two changes are needed.
    let world = default_lab();
    check(
        &world,
        eni(&world, "db-1"),
        "8.8.8.8".parse().expect("ip"),
        tcp(40000, 443),
        expect![[r#"
        Trace TCP 10.0.2.4:40000 → 8.8.8.8:443: BLOCKED (request)
          Request:
            ✓ SecurityGroup egress sg-0345940bbf6128d02: allowed by sg-0345940bbf6128d02 rule "-1 all 0.0.0.0/0"
            ✗ RouteTable rtb-022894ba151e5e1a9: no route for 8.8.8.8
          Why: The request (TCP 10.0.2.4:40000 → 8.8.8.8:443) has no route in rtb-022894ba151e5e1a9: nothing matches 8.8.8.8 (C2). One change is not enough: after "Add a route 0.0.0.0/0 → igw-0bd50aae58026701f to route table rtb-022894ba151e5e1a9 (C3)", NoPublicIpv4 igw-0bd50aae58026701f would still stop the request.
    "#]],
    );
}

#[test]
fn ec2_blocks_outbound_smtp() {
    // A15: whatever the security groups and ACLs say.
    let world = default_lab();
    check(
        &world,
        eni(&world, "web-1"),
        "198.51.100.25".parse().expect("ip"),
        tcp(40000, 25),
        expect![[r#"
            Trace TCP 10.0.1.4:40000 → 198.51.100.25:25: BLOCKED (request)
              Request:
                ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "-1 all 0.0.0.0/0"
                ✓ RouteTable rtb-0c3d400a3b428cbc1: route 0.0.0.0/0 → igw-0bd50aae58026701f for 198.51.100.25
                ✗ Ec2Port25Restriction egress eni-0264354ad3467ba79: EC2 blocks outbound traffic on TCP port 25 by default (A15)
              Why: The request (TCP 10.0.1.4:40000 → 198.51.100.25:25) is stopped at Ec2Port25Restriction eni-0264354ad3467ba79: EC2 blocks outbound traffic on TCP port 25 by default (A15).
        "#]],
    );
}

#[test]
fn instance_metadata_is_never_filtered() {
    // A14.
    let world = default_lab();
    check(
        &world,
        eni(&world, "db-1"),
        "169.254.169.254".parse().expect("ip"),
        tcp(40000, 80),
        expect![[r#"
            Trace TCP 10.0.2.4:40000 → 169.254.169.254:80: ALLOWED
              Request:
                ✓ Unfiltered eni-03d58efef648fce9f: the instance metadata service: security groups and network ACLs never filter this traffic (A14)
              Reply:
                ✓ Unfiltered eni-03d58efef648fce9f: the instance metadata service: security groups and network ACLs never filter this traffic (A14)
              Why: Traffic to the instance metadata service (169.254.169.254) is never filtered by security groups or network ACLs (A14).
        "#]],
    );
}

/// The VPC guide's custom network ACL (B10), on the subnet public-a.
fn with_guide_acl() -> World {
    let mut world = default_lab();
    let vpc = region(&world).vpcs.keys().next().expect("vpc").clone();
    let Response::NetworkAcl(acl) = apply(
        &mut world,
        Command::CreateNetworkAcl {
            vpc_id: vpc,
            tags: Tags::named("guide-acl"),
        },
    ) else {
        panic!("CreateNetworkAcl");
    };
    let entry =
        |rule_number, egress, ports: (u16, u16), cidr: &str| Command::CreateNetworkAclEntry {
            network_acl_id: acl.clone(),
            entry: NetworkAclEntry {
                rule_number,
                egress,
                protocol: IpProtocol::Tcp,
                action: RuleAction::Allow,
                cidr_block: cidr.parse().expect("cidr"),
                port_range: Some(ports),
                icmp_type_code: None,
            },
        };
    for command in [
        entry(100, false, (80, 80), "0.0.0.0/0"),
        entry(110, false, (443, 443), "0.0.0.0/0"),
        entry(120, false, (22, 22), "192.0.2.0/24"),
        entry(130, false, (3389, 3389), "192.0.2.0/24"),
        entry(140, false, (32768, 65535), "0.0.0.0/0"),
        entry(100, true, (80, 80), "0.0.0.0/0"),
        entry(110, true, (443, 443), "0.0.0.0/0"),
        entry(120, true, (1024, 65535), "192.0.2.0/24"),
        entry(140, true, (32768, 65535), "0.0.0.0/0"),
    ] {
        apply(&mut world, command);
    }
    let public_a = subnet_id(&world, "public-a");
    let association = region(&world)
        .network_acls
        .values()
        .flat_map(|acl| acl.associations.iter())
        .find(|(_, subnet)| *subnet == public_a)
        .expect("association")
        .0
        .clone();
    apply(
        &mut world,
        Command::ReplaceNetworkAclAssociation {
            association_id: association,
            network_acl_id: acl,
        },
    );
    // The guide's example also lets SSH and HTTPS in at the security group.
    let web_sg = group_id(&world, "web-sg");
    apply(
        &mut world,
        Command::AuthorizeSecurityGroupIngress {
            group_id: web_sg,
            rules: vec![rule(IpProtocol::Tcp, Some((22, 22)), cidr("0.0.0.0/0"))],
        },
    );
    world
}

#[test]
fn the_guide_acl_lets_https_in_and_replies_out_on_linux_ephemeral_ports() {
    // B10: in 110 allows 443; the reply to port 50123 matches out 140.
    let world = with_guide_acl();
    let web1 = address(&world, "web-1", "public");
    check(
        &world,
        internet("198.51.100.7"),
        web1,
        tcp(50123, 443),
        expect![[r#"
            Trace TCP 198.51.100.7:50123 → 3.84.229.19:443: CONNECTION REFUSED
              Request:
                ✓ InternetGateway ingress igw-0bd50aae58026701f: translates 3.84.229.19 to 10.0.1.4 (1:1 NAT, C3)
                ✓ NetworkAcl ingress acl-02df81733515eb05a: allowed by rule 110 (110 allow tcp 443 0.0.0.0/0) for TCP 198.51.100.7:50123 → 10.0.1.4:443
                ✓ SecurityGroup ingress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "tcp 443 0.0.0.0/0"
              Reply:
                ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "-1 all 0.0.0.0/0"
                ✓ RouteTable rtb-0c3d400a3b428cbc1: route 0.0.0.0/0 → igw-0bd50aae58026701f for 198.51.100.7
                ✓ NetworkAcl egress acl-02df81733515eb05a: allowed by rule 140 (140 allow tcp 32768-65535 0.0.0.0/0) for TCP 10.0.1.4:443 → 198.51.100.7:50123
                ✓ InternetGateway egress igw-0bd50aae58026701f: translates 10.0.1.4 to 3.84.229.19 (1:1 NAT, C3)
              Connection tracking: untracked (A13)
              Service: nothing listens: connection refused
              Why: Delivered both ways. The request is allowed in by security group sg-0555c95dd130af3af (web-sg) rule "tcp 443 0.0.0.0/0". Network ACLs are stateless (B5): the reply needed its own rule, and acl-02df81733515eb05a rule 140 allows it. The destination's security groups do not track this flow (A13): removing the rule that allows it would cut it at once, not only for new connections. But nothing listens on TCP 443 at i-0e71dd8f9270ae24e: it answers with a reset, and the client sees "connection refused". The security groups and network ACLs are not the problem; a service must listen on that port (for example `sudo systemctl start httpd`).
        "#]],
    );
}

#[test]
fn the_guide_acl_drops_replies_to_an_old_windows_client() {
    // B5, B6, B10: a Windows Server 2003 client uses ports 1025-5000, which
    // no outbound rule allows, so the * rule denies the reply.
    let world = with_guide_acl();
    let web1 = address(&world, "web-1", "public");
    check(
        &world,
        internet("198.51.100.7"),
        web1,
        tcp(1030, 443),
        expect![[r#"
            Trace TCP 198.51.100.7:1030 → 3.84.229.19:443: BLOCKED (reply)
              Request:
                ✓ InternetGateway ingress igw-0bd50aae58026701f: translates 3.84.229.19 to 10.0.1.4 (1:1 NAT, C3)
                ✓ NetworkAcl ingress acl-02df81733515eb05a: allowed by rule 110 (110 allow tcp 443 0.0.0.0/0) for TCP 198.51.100.7:1030 → 10.0.1.4:443
                ✓ SecurityGroup ingress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "tcp 443 0.0.0.0/0"
              Reply:
                ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "-1 all 0.0.0.0/0"
                ✓ RouteTable rtb-0c3d400a3b428cbc1: route 0.0.0.0/0 → igw-0bd50aae58026701f for 198.51.100.7
                ✗ NetworkAcl egress acl-02df81733515eb05a: denied by rule * (* deny -1 all 0.0.0.0/0) for TCP 10.0.1.4:443 → 198.51.100.7:1030
              Connection tracking: untracked (A13)
              Why: The reply (TCP 10.0.1.4:443 → 198.51.100.7:1030) is dropped by network ACL acl-02df81733515eb05a (outbound): no numbered rule matches, so the * rule denies it (B4). Network ACLs are stateless (B5): the reply is judged by the outbound rules on the client's ephemeral port 1030, not the service port; allow the ephemeral range (1024-65535 covers every client, B6).
              Fix: Add outbound rule 150 allow tcp 1024-65535 198.51.100.7/32 to network ACL acl-02df81733515eb05a, before the rule that denies it.
                   aws ec2 create-network-acl-entry --network-acl-id acl-02df81733515eb05a --egress --rule-number 150 --protocol 6 --rule-action allow --cidr-block 198.51.100.7/32 --port-range From=1024,To=65535
        "#]],
    );
}

#[test]
fn the_guide_acl_admits_ssh_only_from_the_home_network() {
    // B10: in 120 allows 22 from 192.0.2.0/24 only; everyone else meets *.
    let world = with_guide_acl();
    let web1 = address(&world, "web-1", "public");
    check(
        &world,
        internet("192.0.2.10"),
        web1,
        tcp(50000, 22),
        expect![[r#"
            Trace TCP 192.0.2.10:50000 → 3.84.229.19:22: ALLOWED
              Request:
                ✓ InternetGateway ingress igw-0bd50aae58026701f: translates 3.84.229.19 to 10.0.1.4 (1:1 NAT, C3)
                ✓ NetworkAcl ingress acl-02df81733515eb05a: allowed by rule 120 (120 allow tcp 22 192.0.2.0/24) for TCP 192.0.2.10:50000 → 10.0.1.4:22
                ✓ SecurityGroup ingress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "tcp 22 0.0.0.0/0"
              Reply:
                ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "-1 all 0.0.0.0/0"
                ✓ RouteTable rtb-0c3d400a3b428cbc1: route 0.0.0.0/0 → igw-0bd50aae58026701f for 192.0.2.10
                ✓ NetworkAcl egress acl-02df81733515eb05a: allowed by rule 120 (120 allow tcp 1024-65535 192.0.2.0/24) for TCP 10.0.1.4:22 → 192.0.2.10:50000
                ✓ InternetGateway egress igw-0bd50aae58026701f: translates 10.0.1.4 to 3.84.229.19 (1:1 NAT, C3)
              Connection tracking: untracked (A13)
              Service: sshd answers
              Why: Delivered both ways. The request is allowed in by security group sg-0555c95dd130af3af (web-sg) rule "tcp 22 0.0.0.0/0". Network ACLs are stateless (B5): the reply needed its own rule, and acl-02df81733515eb05a rule 120 allows it. The destination's security groups do not track this flow (A13): removing the rule that allows it would cut it at once, not only for new connections.
        "#]],
    );
    check(
        &world,
        internet("198.51.100.7"),
        web1,
        tcp(50000, 22),
        expect![[r#"
            Trace TCP 198.51.100.7:50000 → 3.84.229.19:22: BLOCKED (request)
              Request:
                ✓ InternetGateway ingress igw-0bd50aae58026701f: translates 3.84.229.19 to 10.0.1.4 (1:1 NAT, C3)
                ✗ NetworkAcl ingress acl-02df81733515eb05a: denied by rule * (* deny -1 all 0.0.0.0/0) for TCP 198.51.100.7:50000 → 10.0.1.4:22
              Why: The request (TCP 198.51.100.7:50000 → 10.0.1.4:22) is dropped by network ACL acl-02df81733515eb05a (inbound): no numbered rule matches, so the * rule denies it (B4).
              Fix: Add inbound rule 150 allow tcp 22 198.51.100.7/32 to network ACL acl-02df81733515eb05a, before the rule that denies it.
                   aws ec2 create-network-acl-entry --network-acl-id acl-02df81733515eb05a --ingress --rule-number 150 --protocol 6 --rule-action allow --cidr-block 198.51.100.7/32 --port-range From=22,To=22
        "#]],
    );
}

#[test]
fn the_guide_acl_denies_netbios_with_the_star_rule() {
    // B4, B10: a packet to 139 matches no numbered rule.
    let world = with_guide_acl();
    let web1 = address(&world, "web-1", "public");
    check(
        &world,
        internet("198.51.100.7"),
        web1,
        tcp(50000, 139),
        expect![[r#"
            Trace TCP 198.51.100.7:50000 → 3.84.229.19:139: BLOCKED (request)
              Request:
                ✓ InternetGateway ingress igw-0bd50aae58026701f: translates 3.84.229.19 to 10.0.1.4 (1:1 NAT, C3)
                ✗ NetworkAcl ingress acl-02df81733515eb05a: denied by rule * (* deny -1 all 0.0.0.0/0) for TCP 198.51.100.7:50000 → 10.0.1.4:139
              Why: The request (TCP 198.51.100.7:50000 → 10.0.1.4:139) is dropped by network ACL acl-02df81733515eb05a (inbound): no numbered rule matches, so the * rule denies it (B4). One change is not enough: after "Add inbound rule 150 allow tcp 139 198.51.100.7/32 to network ACL acl-02df81733515eb05a, before the rule that denies it", SecurityGroup sg-0555c95dd130af3af would still stop the request.
        "#]],
    );
}

#[test]
fn a_ping_passes_the_stateful_group_but_its_reply_dies_at_the_stateless_acl() {
    // C6: the security group allows ICMP in and tracks the reply; the network
    // ACL allows ICMP in but nothing out, so the echo reply is rejected.
    let mut world = with_guide_acl();
    let web_sg = group_id(&world, "web-sg");
    apply(
        &mut world,
        Command::AuthorizeSecurityGroupIngress {
            group_id: web_sg,
            rules: vec![rule(IpProtocol::Icmp, Some((-1, -1)), cidr("0.0.0.0/0"))],
        },
    );
    let acl = region(&world)
        .network_acls
        .values()
        .find(|a| a.tags.name() == Some("guide-acl"))
        .expect("acl")
        .id
        .clone();
    apply(
        &mut world,
        Command::CreateNetworkAclEntry {
            network_acl_id: acl,
            entry: NetworkAclEntry {
                rule_number: 150,
                egress: false,
                protocol: IpProtocol::Icmp,
                action: RuleAction::Allow,
                cidr_block: "0.0.0.0/0".parse().expect("cidr"),
                port_range: None,
                icmp_type_code: Some((-1, -1)),
            },
        },
    );
    let web1 = address(&world, "web-1", "public");
    let echo = Transport::Icmp {
        v6: false,
        icmp_type: 8,
        icmp_code: 0,
    };
    check(
        &world,
        internet("203.0.113.12"),
        web1,
        echo,
        expect![[r#"
            Trace ICMP type 8 code 0 203.0.113.12 → 3.84.229.19: BLOCKED (reply)
              Request:
                ✓ InternetGateway ingress igw-0bd50aae58026701f: translates 3.84.229.19 to 10.0.1.4 (1:1 NAT, C3)
                ✓ NetworkAcl ingress acl-02df81733515eb05a: allowed by rule 150 (150 allow icmp type -1 code -1 0.0.0.0/0) for ICMP type 8 code 0 203.0.113.12 → 10.0.1.4
                ✓ SecurityGroup ingress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "icmp type all code all 0.0.0.0/0"
              Reply:
                ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed: connection tracking (stateful)
                ✓ RouteTable rtb-0c3d400a3b428cbc1: route 0.0.0.0/0 → igw-0bd50aae58026701f for 203.0.113.12
                ✗ NetworkAcl egress acl-02df81733515eb05a: denied by rule * (* deny -1 all 0.0.0.0/0) for ICMP type 0 code 0 10.0.1.4 → 203.0.113.12
              Connection tracking: tracked
              Why: The reply (ICMP type 0 code 0 10.0.1.4 → 203.0.113.12) is dropped by network ACL acl-02df81733515eb05a (outbound): no numbered rule matches, so the * rule denies it (B4).
              Fix: Add outbound rule 150 allow icmp type 0 code 0 203.0.113.12/32 to network ACL acl-02df81733515eb05a, before the rule that denies it.
                   aws ec2 create-network-acl-entry --network-acl-id acl-02df81733515eb05a --egress --rule-number 150 --protocol 1 --rule-action allow --cidr-block 203.0.113.12/32 --icmp-type-code Type=0,Code=0
        "#]],
    );
}

#[test]
fn traffic_inside_one_subnet_skips_the_network_acl() {
    // B7: a deny-everything ACL on the subnet does not stop two instances in it.
    let mut world = default_lab();
    let public_a = subnet_id(&world, "public-a");
    let web_sg = group_id(&world, "web-sg");
    let image = ec2lab_sim::PUBLIC_IMAGES[0].id_in(REGION);
    apply(
        &mut world,
        Command::RunInstances(Box::new(ec2lab_sim::RunInstances {
            image_id: image,
            instance_type: "t3.micro".into(),
            subnet_id: public_a.clone(),
            security_group_ids: vec![web_sg],
            count: 1,
            tags: Tags::named("web-3"),
            ..ec2lab_sim::RunInstances::default()
        })),
    );
    // G1: let the launch finish; a pending instance neither sends nor answers.
    apply(
        &mut world,
        Command::AdvanceTime {
            seconds: ec2lab_sim::BOOT_SECONDS,
        },
    );
    let vpc = region(&world).vpcs.keys().next().expect("vpc").clone();
    let Response::NetworkAcl(acl) = apply(
        &mut world,
        Command::CreateNetworkAcl {
            vpc_id: vpc,
            tags: Tags::named("deny-all"),
        },
    ) else {
        panic!("CreateNetworkAcl");
    };
    let association = region(&world)
        .network_acls
        .values()
        .flat_map(|acl| acl.associations.iter())
        .find(|(_, subnet)| *subnet == public_a)
        .expect("association")
        .0
        .clone();
    apply(
        &mut world,
        Command::ReplaceNetworkAclAssociation {
            association_id: association,
            network_acl_id: acl,
        },
    );
    let web3 = address(&world, "web-3", "private");
    check(
        &world,
        eni(&world, "web-1"),
        web3,
        tcp(40000, 80),
        expect![[r#"
            Trace TCP 10.0.1.4:40000 → 10.0.1.5:80: CONNECTION REFUSED
              Request:
                ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "-1 all 0.0.0.0/0"
                ✓ RouteTable rtb-0c3d400a3b428cbc1: route 10.0.0.0/16 → local for 10.0.1.5
                ✓ NetworkAcl acl-0f61475db02a246c0: not evaluated: the traffic stays inside subnet subnet-0dee21ba09fd7951f (B7)
                ✓ SecurityGroup ingress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "tcp 80 0.0.0.0/0"
              Reply:
                ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "-1 all 0.0.0.0/0"
                ✓ RouteTable rtb-0c3d400a3b428cbc1: route 10.0.0.0/16 → local for 10.0.1.4
                ✓ NetworkAcl acl-0f61475db02a246c0: not evaluated: the traffic stays inside subnet subnet-0dee21ba09fd7951f (B7)
                ✓ SecurityGroup ingress sg-0555c95dd130af3af: allowed: connection tracking (stateful)
              Connection tracking: untracked (A13)
              Service: nothing listens: connection refused
              Why: Delivered both ways. The request is allowed in by security group sg-0555c95dd130af3af (web-sg) rule "tcp 80 0.0.0.0/0". The reply passes security groups sg-0555c95dd130af3af without any rule: security groups are stateful and track the connection (A3). The destination's security groups do not track this flow (A13): removing the rule that allows it would cut it at once, not only for new connections. But nothing listens on TCP 80 at i-0874c7980c34e481f: it answers with a reset, and the client sees "connection refused". The security groups and network ACLs are not the problem; a service must listen on that port (for example `sudo systemctl start httpd`).
        "#]],
    );
}

#[test]
fn removing_a_rule_keeps_tracked_connections_and_cuts_untracked_ones() {
    // A13: port 80 is open to 0.0.0.0/0 with all outbound allowed, so it is
    // untracked and cut at once; SSH from one address is tracked and survives.
    let mut world = default_lab();
    let web_sg = group_id(&world, "web-sg");
    let ssh = rule(IpProtocol::Tcp, Some((22, 22)), cidr("203.0.113.1/32"));
    apply(
        &mut world,
        Command::AuthorizeSecurityGroupIngress {
            group_id: web_sg.clone(),
            rules: vec![ssh.clone()],
        },
    );
    let web1 = address(&world, "web-1", "public");
    let flows = [
        Flow {
            source: internet("203.0.113.1"),
            destination: web1,
            transport: tcp(50000, 22),
        },
        Flow {
            source: internet("203.0.113.1"),
            destination: web1,
            transport: tcp(50001, 80),
        },
    ];
    let connections: Vec<Connection> = flows
        .iter()
        .map(|flow| {
            let trace = region(&world).trace(flow);
            assert!(trace.blocked_by.is_none(), "{trace}");
            Connection {
                flow: flow.clone(),
                tracked: trace.tracked == Some(true),
            }
        })
        .collect();
    let http = rule(IpProtocol::Tcp, Some((80, 80)), cidr("0.0.0.0/0"));
    apply(
        &mut world,
        Command::RevokeSecurityGroupRules {
            group_id: web_sg,
            egress: false,
            rules: vec![ssh, http],
        },
    );
    let verdicts: Vec<String> = flows
        .iter()
        .map(|flow| {
            let trace = region(&world).trace_with(flow, &connections);
            format!(
                "port {:?}: {}",
                flow.transport.dst_port(),
                trace.blocked_by.map_or("open".to_owned(), |b| format!(
                    "cut by {}",
                    b.component.name()
                ))
            )
        })
        .collect();
    expect![[r#"
        port Some(22): open
        port Some(80): cut by SecurityGroup"#]]
    .assert_eq(&verdicts.join("\n"));
}

#[test]
fn a_new_network_acl_deny_cuts_even_a_tracked_connection() {
    // A13: "Adding a network ACL that blocks traffic in either direction
    // breaks existing connections."
    let mut world = default_lab();
    let web1 = address(&world, "web-1", "public");
    let web_sg = group_id(&world, "web-sg");
    apply(
        &mut world,
        Command::AuthorizeSecurityGroupIngress {
            group_id: web_sg,
            rules: vec![rule(
                IpProtocol::Tcp,
                Some((22, 22)),
                cidr("203.0.113.1/32"),
            )],
        },
    );
    let flow = Flow {
        source: internet("203.0.113.1"),
        destination: web1,
        transport: tcp(50000, 22),
    };
    let connection = Connection {
        flow: flow.clone(),
        tracked: true,
    };
    let default_acl = region(&world)
        .network_acls
        .values()
        .find(|a| a.is_default)
        .expect("default acl")
        .id
        .clone();
    apply(
        &mut world,
        Command::CreateNetworkAclEntry {
            network_acl_id: default_acl,
            entry: NetworkAclEntry {
                rule_number: 50,
                egress: false,
                protocol: IpProtocol::Tcp,
                action: RuleAction::Deny,
                cidr_block: "203.0.113.1/32".parse().expect("cidr"),
                port_range: Some((22, 22)),
                icmp_type_code: None,
            },
        },
    );
    let trace = region(&world).trace_with(&flow, &[connection]);
    expect![[r#"
        Trace TCP 203.0.113.1:50000 → 3.84.229.19:22: BLOCKED (request)
          Request:
            ✓ InternetGateway ingress igw-0bd50aae58026701f: translates 3.84.229.19 to 10.0.1.4 (1:1 NAT, C3)
            ✗ NetworkAcl ingress acl-0eaf2359b6e6a290b: denied by rule 50 (50 deny tcp 22 203.0.113.1/32) for TCP 203.0.113.1:50000 → 10.0.1.4:22
          Why: The request (TCP 203.0.113.1:50000 → 10.0.1.4:22) is dropped by network ACL acl-0eaf2359b6e6a290b (inbound): rule 50 denies it, and the lowest matching rule number wins (B4).
          Fix: Add inbound rule 49 allow tcp 22 203.0.113.1/32 to network ACL acl-0eaf2359b6e6a290b, before the rule that denies it.
               aws ec2 create-network-acl-entry --network-acl-id acl-0eaf2359b6e6a290b --ingress --rule-number 49 --protocol 6 --rule-action allow --cidr-block 203.0.113.1/32 --port-range From=22,To=22
    "#]].assert_eq(&trace.to_string());
}

#[test]
fn every_proposed_fix_really_lets_the_flow_through() {
    // The fix is checked by tracing again; here, by applying it for real.
    // (Port 139 has no single fix: the ACL and the security group both block it.)
    let world = with_guide_acl();
    let web1 = address(&world, "web-1", "public");
    for flow in [
        Flow {
            source: internet("198.51.100.7"),
            destination: web1,
            transport: tcp(1030, 443),
        },
        Flow {
            source: internet("198.51.100.7"),
            destination: web1,
            transport: tcp(50000, 22),
        },
        Flow {
            source: internet("198.51.100.7"),
            destination: web1,
            transport: tcp(1030, 80),
        },
    ] {
        let trace = region(&world).trace(&flow);
        let fix = trace
            .fix
            .clone()
            .unwrap_or_else(|| panic!("no fix for {trace}"));
        let mut fixed = world.clone();
        apply(&mut fixed, fix.command);
        let again = region(&fixed).trace(&flow);
        assert!(again.blocked_by.is_none(), "{again}");
    }
}

/// One line per flow: where it goes and how it ends.
fn verdicts(world: &World, flows: &[(&str, Flow)]) -> String {
    flows
        .iter()
        .map(|(label, flow)| {
            let trace = region(world).trace(flow);
            let verdict = match &trace.blocked_by {
                None => "allowed".to_owned(),
                Some(b) => format!(
                    "blocked by {} {} ({})",
                    b.component.name(),
                    b.resource,
                    b.phase.name()
                ),
            };
            format!("{label}: {verdict}\n")
        })
        .collect()
}

#[test]
fn security_group_traps_a2_a5_a9() {
    let mut world = default_lab();
    let vpc = region(&world).vpcs.keys().next().expect("vpc").clone();
    let group = |world: &mut World, name: &str| {
        let Response::SecurityGroup(id) = apply(
            world,
            Command::CreateSecurityGroup {
                group_name: name.into(),
                description: name.into(),
                vpc_id: vpc.clone(),
                tags: Tags::new(),
            },
        ) else {
            panic!("CreateSecurityGroup");
        };
        id
    };
    let app = group(&mut world, "app");
    let ssh = group(&mut world, "ssh");
    let web = group(&mut world, "web");
    // A2: two rules for port 22; the most permissive wins.
    apply(
        &mut world,
        Command::AuthorizeSecurityGroupIngress {
            group_id: ssh.clone(),
            rules: vec![rule(IpProtocol::Tcp, Some((22, 22)), cidr("192.0.2.0/24"))],
        },
    );
    apply(
        &mut world,
        Command::AuthorizeSecurityGroupIngress {
            group_id: web.clone(),
            rules: vec![rule(IpProtocol::Tcp, Some((443, 443)), cidr("0.0.0.0/0"))],
        },
    );
    let private_a = subnet_id(&world, "private-a");
    let public_b = subnet_id(&world, "public-b");
    let image = ec2lab_sim::PUBLIC_IMAGES[0].id_in(REGION);
    let launch = |world: &mut World,
                  name: &str,
                  subnet: &ec2lab_sim::SubnetId,
                  groups: Vec<ec2lab_sim::SecurityGroupId>| {
        apply(
            world,
            Command::RunInstances(Box::new(ec2lab_sim::RunInstances {
                image_id: image.clone(),
                instance_type: "t3.micro".into(),
                subnet_id: subnet.clone(),
                security_group_ids: groups,
                count: 1,
                tags: Tags::named(name),
                ..ec2lab_sim::RunInstances::default()
            })),
        );
    };
    launch(&mut world, "app-1", &private_a, vec![app.clone()]);
    launch(&mut world, "app-2", &private_a, vec![app.clone()]);
    // A9: two groups on one interface are one set of rules.
    launch(&mut world, "edge", &public_b, vec![ssh, web]);
    // G1: let the launches finish.
    apply(
        &mut world,
        Command::AdvanceTime {
            seconds: ec2lab_sim::BOOT_SECONDS,
        },
    );
    let app2 = address(&world, "app-2", "private");
    let edge = address(&world, "edge", "public");
    let flows = |world: &World| {
        vec![
            (
                "A5 app-1 -> app-2 tcp 8080, same custom group, no self rule",
                Flow {
                    source: eni(world, "app-1"),
                    destination: app2,
                    transport: tcp(40000, 8080),
                },
            ),
            (
                "A9 192.0.2.50 -> edge tcp 22 (group ssh)",
                Flow {
                    source: internet("192.0.2.50"),
                    destination: edge,
                    transport: tcp(40000, 22),
                },
            ),
            (
                "A9 anywhere -> edge tcp 443 (group web)",
                Flow {
                    source: internet("198.51.100.7"),
                    destination: edge,
                    transport: tcp(40000, 443),
                },
            ),
            (
                "A9 198.51.100.7 -> edge tcp 22",
                Flow {
                    source: internet("198.51.100.7"),
                    destination: edge,
                    transport: tcp(40000, 22),
                },
            ),
            (
                "A9 anywhere -> edge tcp 80",
                Flow {
                    source: internet("198.51.100.7"),
                    destination: edge,
                    transport: tcp(40000, 80),
                },
            ),
        ]
    };
    expect![[r#"
        A5 app-1 -> app-2 tcp 8080, same custom group, no self rule: blocked by SecurityGroup sg-02df81733515eb05a (request)
        A9 192.0.2.50 -> edge tcp 22 (group ssh): allowed
        A9 anywhere -> edge tcp 443 (group web): allowed
        A9 198.51.100.7 -> edge tcp 22: blocked by SecurityGroup sg-0874c7980c34e481f+sg-05fc6a192871a3e5a (request)
        A9 anywhere -> edge tcp 80: blocked by SecurityGroup sg-0874c7980c34e481f+sg-05fc6a192871a3e5a (request)
    "#]].assert_eq(&verdicts(&world, &flows(&world)));
    // A5: the group must name itself to let its members talk.
    apply(
        &mut world,
        Command::AuthorizeSecurityGroupIngress {
            group_id: app.clone(),
            rules: vec![rule(IpProtocol::All, None, RulePeer::SecurityGroup(app))],
        },
    );
    // A2: adding 0.0.0.0/0 for 22 opens it to everyone, whatever the narrower rule says.
    let ssh_group = region(&world)
        .security_groups
        .values()
        .find(|g| g.name == "ssh")
        .expect("ssh")
        .id
        .clone();
    apply(
        &mut world,
        Command::AuthorizeSecurityGroupIngress {
            group_id: ssh_group,
            rules: vec![rule(IpProtocol::Tcp, Some((22, 22)), cidr("0.0.0.0/0"))],
        },
    );
    expect![[r#"
        A5 app-1 -> app-2 tcp 8080, same custom group, no self rule: allowed
        A9 192.0.2.50 -> edge tcp 22 (group ssh): allowed
        A9 anywhere -> edge tcp 443 (group web): allowed
        A9 198.51.100.7 -> edge tcp 22: allowed
        A9 anywhere -> edge tcp 80: blocked by SecurityGroup sg-0874c7980c34e481f+sg-05fc6a192871a3e5a (request)
    "#]].assert_eq(&verdicts(&world, &flows(&world)));
}

#[test]
fn an_ipv4_only_instance_cannot_send_to_ipv6_and_a_more_specific_route_still_carries_traffic() {
    // C2: the longest prefix wins (here it leads to the same gateway); an
    // interface with no IPv6 address cannot send IPv6 traffic.
    let mut world = default_lab();
    let public_rt = region(&world)
        .route_tables
        .values()
        .find(|t| t.tags.name() == Some("public-rt"))
        .expect("rt")
        .id
        .clone();
    let igw = region(&world)
        .internet_gateways
        .keys()
        .next()
        .expect("igw")
        .clone();
    apply(
        &mut world,
        Command::CreateRoute {
            route_table_id: public_rt,
            destination_cidr_block: "198.51.100.0/24".into(),
            gateway_id: igw,
        },
    );
    let web1 = address(&world, "web-1", "public");
    let flows = [
        (
            "internet -> web-1 tcp 80 via the new /24 route",
            Flow {
                source: internet("198.51.100.7"),
                destination: web1,
                transport: tcp(40000, 80),
            },
        ),
        (
            "web-1 -> 2001:db8::1 tcp 443 (web-1 has no IPv6 address)",
            Flow {
                source: eni(&world, "web-1"),
                destination: "2001:db8::1".parse().expect("ip"),
                transport: tcp(40000, 443),
            },
        ),
    ];
    expect![[r#"
        internet -> web-1 tcp 80 via the new /24 route: allowed
        web-1 -> 2001:db8::1 tcp 443 (web-1 has no IPv6 address): blocked by Destination eni-0264354ad3467ba79 (request)
    "#]].assert_eq(&verdicts(&world, &flows));
}

#[test]
fn regression_overlapping_vpcs_deliver_inside_the_clients_own_vpc() {
    // Two VPCs may use the same block; an address names an interface only
    // within one VPC. (The trace once delivered to the first interface in
    // the Region with the address, and so failed in the second VPC.)
    let mut world = default_lab();
    let Response::Vpc(vpc) = apply(
        &mut world,
        Command::CreateVpc {
            cidr_block: "10.0.0.0/16".into(),
            tags: Tags::named("twin"),
        },
    ) else {
        panic!("CreateVpc");
    };
    let Response::Subnet(subnet) = apply(
        &mut world,
        Command::CreateSubnet {
            vpc_id: vpc,
            cidr_block: "10.0.1.0/24".into(),
            availability_zone: "us-east-1a".into(),
            tags: Tags::named("twin-a"),
        },
    ) else {
        panic!("CreateSubnet");
    };
    let image = ec2lab_sim::PUBLIC_IMAGES[0].id_in(REGION);
    apply(
        &mut world,
        Command::RunInstances(Box::new(ec2lab_sim::RunInstances {
            image_id: image,
            instance_type: "t3.micro".into(),
            subnet_id: subnet,
            security_group_ids: vec![],
            count: 2,
            tags: Tags::named("twin"),
            ..ec2lab_sim::RunInstances::default()
        })),
    );
    // G1: let the launch finish; a pending instance neither sends nor answers.
    apply(
        &mut world,
        Command::AdvanceTime {
            seconds: ec2lab_sim::BOOT_SECONDS,
        },
    );
    let twins: Vec<_> = region(&world)
        .instances
        .values()
        .filter(|i| i.tags.name() == Some("twin"))
        .map(|i| region(&world).primary_interface(i).expect("eni").clone())
        .collect();
    // web-1 in the lab's VPC also has 10.0.1.4.
    assert_eq!(twins[0].private_ip.to_string(), "10.0.1.4");
    let flow = Flow {
        source: Source::Interface(twins[1].id.clone()),
        destination: IpAddr::V4(twins[0].private_ip),
        transport: tcp(40000, 22),
    };
    let trace = region(&world).trace(&flow);
    // A6: the default group lets its members reach each other on every port.
    assert!(trace.blocked_by.is_none(), "{trace}");
}
