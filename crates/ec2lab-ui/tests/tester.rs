//! The traffic tester's flows and the path a trace lights on the diagram.

use ec2lab_sim::{
    default_lab, InstanceId, IpProtocol, NetworkAclEntry, RuleAction, DEFAULT_REGION,
};
use ec2lab_ui::model::{Action, Lab, Lifecycle};
use ec2lab_ui::tester::{default_destination, endpoints, flow_for, path_nodes, verdict, Endpoint};
use expect_test::expect;

/// The instance with this Name tag.
fn named(lab: &Lab, name: &str) -> InstanceId {
    let region = lab.world.region(DEFAULT_REGION).expect("region");
    region
        .instances
        .values()
        .find(|i| i.tags.get("Name") == Some(name))
        .map(|i| i.id.clone())
        .expect("instance")
}

fn show(lab: &Lab, port: u16) -> String {
    let region = lab.world.region(DEFAULT_REGION).expect("region");
    let name = |id: &str| -> String {
        region
            .instances
            .values()
            .find(|i| i.id.as_str() == id)
            .and_then(|i| i.tags.get("Name").map(str::to_owned))
            .or_else(|| {
                region
                    .subnets
                    .values()
                    .find(|s| s.id.as_str() == id)
                    .and_then(|s| s.tags.get("Name").map(str::to_owned))
            })
            .unwrap_or_else(|| id.split('-').next().unwrap_or("").to_owned())
    };
    let web1 = Endpoint::Instance(named(lab, "web-1"));
    let flow = flow_for(region, &Endpoint::Internet, &web1, "tcp", port).expect("flow");
    let trace = region.trace(&flow);
    let path: Vec<String> = path_nodes(region, &trace, &Endpoint::Internet, &web1)
        .into_iter()
        .map(|(id, ok)| format!("{}{}", name(&id), if ok { "" } else { " ✗" }))
        .collect();
    format!("{}: {}\n", verdict(&trace), path.join(" → "))
}

#[test]
fn the_path_lights_up_and_stops_where_the_flow_stops() {
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    let mut out = show(&lab, 80) + &show(&lab, 22);
    let region = lab.world.region(DEFAULT_REGION).expect("region");
    let acl = region
        .subnets
        .values()
        .find(|s| s.tags.get("Name") == Some("public-a"))
        .and_then(|s| region.network_acl_of(&s.id))
        .map(|a| a.id.clone())
        .expect("acl");
    lab.perform(&Action::CreateAclEntry {
        network_acl_id: acl,
        entry: NetworkAclEntry {
            rule_number: 90,
            egress: false,
            protocol: IpProtocol::Tcp,
            action: RuleAction::Deny,
            cidr_block: "0.0.0.0/0".parse().expect("cidr"),
            port_range: Some((80, 80)),
            icmp_type_code: None,
        },
    })
    .expect("added");
    out += &show(&lab, 80);
    expect![[r#"
        ALLOWED: igw → public-a → web-1
        BLOCKED (request): igw → public-a → web-1 ✗
        BLOCKED (request): igw → public-a ✗
    "#]]
    .assert_eq(&out);
}

/// The rule that decided a flow, for the inspector to mark: the rule that
/// let it in, or where it stopped (a rule, or no security group rule at
/// all, A1); a flow stopped by a filter offers that filter.
#[test]
fn the_deciding_rule_is_named_for_the_inspector() {
    use ec2lab_ui::tester::{deciding_rule, stop_resources};
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    let decide = |lab: &Lab, port: u16| {
        let region = lab.world.region(DEFAULT_REGION).expect("region");
        let web1 = region
            .instances
            .values()
            .find(|i| i.tags.get("Name") == Some("web-1"))
            .map(|i| Endpoint::Instance(i.id.clone()))
            .expect("web-1");
        let trace =
            region.trace(&flow_for(region, &Endpoint::Internet, &web1, "tcp", port).expect("flow"));
        format!(
            "tcp {port}: {} {:?} offers {:?}\n",
            verdict(&trace),
            deciding_rule(&trace),
            stop_resources(&trace)
        )
    };
    let mut out = decide(&lab, 80) + &decide(&lab, 22);
    let region = lab.world.region(DEFAULT_REGION).expect("region");
    let acl = region
        .subnets
        .values()
        .find(|s| s.tags.get("Name") == Some("public-a"))
        .and_then(|s| region.network_acl_of(&s.id))
        .map(|a| a.id.clone())
        .expect("acl");
    lab.perform(&Action::CreateAclEntry {
        network_acl_id: acl,
        entry: NetworkAclEntry {
            rule_number: 90,
            egress: false,
            protocol: IpProtocol::Tcp,
            action: RuleAction::Deny,
            cidr_block: "0.0.0.0/0".parse().expect("cidr"),
            port_range: Some((80, 80)),
            icmp_type_code: None,
        },
    })
    .expect("added");
    out += &decide(&lab, 80);
    expect![[r#"
        tcp 80: ALLOWED Some(Decided { resource: "sg-0555c95dd130af3af", egress: false, rule: Some("tcp 80 0.0.0.0/0"), blocked: false }) offers []
        tcp 22: BLOCKED (request) Some(Decided { resource: "sg-0555c95dd130af3af", egress: false, rule: None, blocked: true }) offers ["sg-0555c95dd130af3af"]
        tcp 80: BLOCKED (request) Some(Decided { resource: "acl-0eaf2359b6e6a290b", egress: false, rule: Some("90"), blocked: true }) offers ["acl-0eaf2359b6e6a290b"]
    "#]]
    .assert_eq(&out);
}

#[test]
fn the_tester_offers_instances_that_can_carry_traffic_and_starts_at_a_running_one() {
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    let offered = |lab: &Lab| {
        let region = lab.world.region(DEFAULT_REGION).expect("region");
        let ends: Vec<String> = endpoints(region)
            .into_iter()
            .map(|(_, label)| label)
            .collect();
        let first = match default_destination(region) {
            Endpoint::Internet => "the internet".to_owned(),
            Endpoint::Instance(id) => id.to_string(),
        };
        format!("{}\ndefault: {first}\n", ends.join("\n"))
    };
    expect![[r#"
        The internet
        web-2 (i-0781d9316b870d786)
        db-1 (i-0b55da2a81bfa3ffd)
        web-1 (i-0e71dd8f9270ae24e)
        default: i-0781d9316b870d786
    "#]]
    .assert_eq(&offered(&lab));
    // A terminated instance has no network interface: it is not offered,
    // and the default moves on to a running one (a stopped one is offered,
    // with its state, since its addresses and rules still exist).
    let (web2, db1) = (named(&lab, "web-2"), named(&lab, "db-1"));
    for action in [
        Action::Lifecycle {
            instance_id: web2,
            verb: Lifecycle::Terminate,
        },
        Action::Lifecycle {
            instance_id: db1,
            verb: Lifecycle::Stop,
        },
        Action::Advance { seconds: 120 },
    ] {
        lab.perform(&action).expect("works");
    }
    expect![[r#"
        The internet
        db-1 (i-0b55da2a81bfa3ffd) · stopped
        web-1 (i-0e71dd8f9270ae24e)
        default: i-0e71dd8f9270ae24e
    "#]]
    .assert_eq(&offered(&lab));
}
