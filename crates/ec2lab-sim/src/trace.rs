//! Traces: how one flow of packets fares, hop by hop, request and reply.
//!
//! A trace follows the order AWS documents (C5). The request leaves the
//! source's network interface through its security groups' outbound rules,
//! follows the subnet's route table, leaves the subnet through its network
//! ACL, perhaps crosses the internet gateway (which swaps private and public
//! addresses, C3), enters the destination's subnet through its network ACL
//! and reaches the interface through its security groups' inbound rules. The
//! reply goes back the same way. Security groups are stateful: a reply to an
//! allowed request passes whatever their rules say (A3). Network ACLs are
//! stateless: the reply is judged on its own, on the client's ephemeral port
//! (B5), and they do not look at traffic that stays inside one subnet (B7).
//!
//! A trace never fails: "blocked" is a verdict. Each hop names the component,
//! the resource, the direction and the rule that decided; a blocked trace
//! says which hop blocked it, why, and proposes the smallest single change
//! that would let it through, checked by tracing again.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use crate::command::Command;
use crate::ids::{NetworkInterfaceId, SecurityGroupId, SubnetId};
use crate::network_acl::{NetworkAclEntry, RuleAction, MAX_RULE_NUMBER};
use crate::network_interface::NetworkInterface;
use crate::packet::{Packet, Transport};
use crate::security_group::{protocol_and_ports_match, IpProtocol, RulePeer, SecurityGroupRule};
use crate::vpc::RouteTarget;
use crate::world::RegionState;

/// Where a flow starts.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// A network interface in the account (an instance's eth0, say).
    Interface(NetworkInterfaceId),
    /// A host on the internet.
    Internet(IpAddr),
}

/// A flow to trace: who sends what to which address.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Flow {
    /// The sender.
    pub source: Source,
    /// The address the sender sends to (private, public or on the internet).
    pub destination: IpAddr,
    /// Protocol and ports: the source port is the client's ephemeral port.
    pub transport: Transport,
}

/// The kind of component a hop passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Component {
    /// A security group (the union of an interface's groups, A9).
    SecurityGroup,
    /// A subnet's network ACL.
    NetworkAcl,
    /// A subnet's route table.
    RouteTable,
    /// The VPC's internet gateway.
    InternetGateway,
    /// The sender has no public IPv4 address, so the internet gateway
    /// cannot carry its traffic (C3).
    NoPublicIpv4,
    /// EC2's own block on outbound TCP port 25 (A15).
    Ec2Port25Restriction,
    /// Nothing in the account has the destination address.
    Destination,
    /// Traffic AWS never filters (A14): DNS, metadata, time sync.
    Unfiltered,
}

impl Component {
    /// The name used in JSON output and in the CLI contract.
    pub fn name(self) -> &'static str {
        match self {
            Self::SecurityGroup => "SecurityGroup",
            Self::NetworkAcl => "NetworkAcl",
            Self::RouteTable => "RouteTable",
            Self::InternetGateway => "InternetGateway",
            Self::NoPublicIpv4 => "NoPublicIpv4",
            Self::Ec2Port25Restriction => "Ec2Port25Restriction",
            Self::Destination => "Destination",
            Self::Unfiltered => "Unfiltered",
        }
    }

    /// The Reachability Analyzer explanation code for a block here, where
    /// one fits.
    pub fn explanation_code(self) -> Option<&'static str> {
        match self {
            Self::SecurityGroup => Some("ENI_SG_RULES_MISMATCH"),
            Self::NetworkAcl => Some("SUBNET_ACL_RESTRICTION"),
            Self::RouteTable => Some("NO_ROUTE_TO_DESTINATION"),
            _ => None,
        }
    }
}

/// Which way a packet crosses a filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Into the subnet or interface.
    Ingress,
    /// Out of the interface or subnet.
    Egress,
}

impl Direction {
    /// `ingress` or `egress`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ingress => "ingress",
            Self::Egress => "egress",
        }
    }

    fn is_egress(self) -> bool {
        self == Self::Egress
    }
}

/// The leg of a trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// From the client to the server.
    Request,
    /// From the server back to the client.
    Reply,
}

impl Phase {
    /// `request` or `reply`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Reply => "reply",
        }
    }
}

/// What decided at a hop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// A security group rule: the group and the rule.
    SecurityGroupRule(SecurityGroupId, SecurityGroupRule),
    /// No rule of any of the interface's groups matched (A1: dropped).
    NoSecurityGroupRule,
    /// Connection tracking let a reply (or an existing connection) through (A3, A13).
    Tracked,
    /// A network ACL entry (possibly the `*` entry).
    NetworkAclEntry(NetworkAclEntry),
    /// A route.
    Route(IpNet, RouteTarget),
    /// No route matched.
    NoRoute,
    /// Something else, said in words.
    Other(String),
}

/// One step of a packet's path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    /// The component.
    pub component: Component,
    /// The resource's id (a group list is shown joined by `+`).
    pub resource: String,
    /// The direction, for filters.
    pub direction: Option<Direction>,
    /// The packet as it looks at this hop.
    pub packet: Packet,
    /// What decided.
    pub decision: Decision,
    /// Whether the packet goes on.
    pub allowed: bool,
}

/// Where a blocked trace was stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockedBy {
    /// Request or reply.
    pub phase: Phase,
    /// The component.
    pub component: Component,
    /// The resource's id.
    pub resource: String,
    /// The direction, for filters.
    pub direction: Option<Direction>,
    /// The network ACL rule number that denied, if a network ACL did.
    pub rule: Option<u16>,
}

/// A suggested change that lets a blocked flow through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What to do, in words.
    pub description: String,
    /// The same as an AWS CLI command.
    pub cli: String,
    /// The same as a lab command, to apply it.
    pub command: Command,
}

/// The result of tracing a flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// The flow.
    pub flow: Flow,
    /// The request as the client sends it.
    pub packet: Packet,
    /// The request's hops.
    pub request: Vec<Hop>,
    /// The reply's hops (empty if the request was not delivered).
    pub reply: Vec<Hop>,
    /// Whether the request reached the destination.
    pub request_delivered: bool,
    /// Whether the reply reached the client; `None` if there was no reply.
    pub reply_delivered: Option<bool>,
    /// Where it was stopped.
    pub blocked_by: Option<BlockedBy>,
    /// Whether the security groups track the connection (A13); `None` when
    /// no security group saw the request.
    pub tracked: Option<bool>,
    /// What happened and why, for a learner.
    pub explanation: String,
    /// The smallest change that would let the flow through, if one would.
    pub fix: Option<Fix>,
    /// What answered a TCP request delivered both ways to an instance the
    /// lab knows: a service, or a reset because nothing listens. `None`
    /// for other traffic and for imported instances.
    pub answer: Option<Answer>,
}

/// What answered a delivered TCP request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A service listens on the port.
    Service {
        /// Its systemd unit (`httpd`, `sshd`, `nfs` for an EFS mount target).
        unit: String,
        /// For a web server, what `GET /` returns.
        page: Option<String>,
    },
    /// Nothing listens: the instance answers with a TCP reset, and the
    /// client sees "connection refused".
    Refused,
}

/// An established connection, recorded by `lab connect` (A13).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    /// The flow that opened it.
    pub flow: Flow,
    /// Whether the security groups track it.
    pub tracked: bool,
}

/// The party at either end of a leg.
#[derive(Clone, Debug)]
enum End<'a> {
    Interface(&'a NetworkInterface),
    Internet,
}

/// The addresses of the A14 services that no filter ever sees.
fn unfiltered_service(
    region: &RegionState,
    eni: &NetworkInterface,
    ip: IpAddr,
) -> Option<&'static str> {
    let IpAddr::V4(v4) = ip else { return None };
    match v4.octets() {
        [169, 254, 169, 254] => return Some("the instance metadata service"),
        [169, 254, 169, 253] => return Some("the Amazon DNS server"),
        [169, 254, 169, 123] => return Some("the Amazon Time Sync Service"),
        _ => {}
    }
    let vpc = region.vpcs.get(&eni.vpc_id)?;
    let base = u32::from(vpc.cidr_block.network());
    // A14: the VPC's DNS resolver at the base address plus two, and the
    // router's reserved addresses.
    if u32::from(v4) == base + 2 {
        return Some("the Amazon DNS server (VPC base + 2)");
    }
    None
}

impl RegionState {
    /// Traces a flow, request and reply. Never fails.
    pub fn trace(&self, flow: &Flow) -> Trace {
        self.trace_with(flow, &[])
    }

    /// Traces a flow, judging it as an existing connection if `connections`
    /// holds one with the same five-tuple (A13).
    pub fn trace_with(&self, flow: &Flow, connections: &[Connection]) -> Trace {
        let existing = connections.iter().find(|c| c.flow == *flow);
        let mut trace = Tracer {
            region: self,
            existing,
        }
        .run(flow);
        let (fix, note) = self.find_fix(flow, &trace, connections);
        trace.fix = fix;
        if let Some(note) = note {
            trace.explanation.push_str(&note);
        }
        trace
    }
}

struct Tracer<'a> {
    region: &'a RegionState,
    existing: Option<&'a Connection>,
}

/// Whether each end's security groups track the connection (A13).
#[derive(Clone, Copy)]
struct Tracking {
    server: bool,
    client: bool,
}

/// The outcome of one leg.
struct Leg {
    hops: Vec<Hop>,
    blocked: Option<usize>,
    tracked: Option<bool>,
}

impl Leg {
    fn new() -> Self {
        Self {
            hops: Vec::new(),
            blocked: None,
            tracked: None,
        }
    }

    /// Records a hop; returns whether the packet goes on.
    fn push(&mut self, hop: Hop) -> bool {
        let allowed = hop.allowed;
        self.hops.push(hop);
        if !allowed && self.blocked.is_none() {
            self.blocked = Some(self.hops.len() - 1);
        }
        allowed
    }
}

impl<'a> Tracer<'a> {
    /// The instance behind an interface, if it is not running (G1).
    fn not_running(
        &self,
        eni: &NetworkInterface,
    ) -> Option<(&'a crate::ids::InstanceId, crate::instance::InstanceState)> {
        let id = eni.instance_id.as_ref()?;
        let instance = self.region.instances.get(id)?;
        (instance.state != crate::instance::InstanceState::Running)
            .then_some((&instance.id, instance.state))
    }

    fn run(&self, flow: &Flow) -> Trace {
        let region = self.region;
        let (client, src_ip) = match &flow.source {
            Source::Internet(ip) => (End::Internet, *ip),
            Source::Interface(id) => match region.network_interfaces.get(id) {
                Some(eni) => {
                    let ip = match flow.destination {
                        IpAddr::V4(_) => Some(IpAddr::V4(eni.private_ip)),
                        IpAddr::V6(_) => eni.ipv6_addresses.first().copied().map(IpAddr::V6),
                    };
                    match ip {
                        Some(ip) => (End::Interface(eni), ip),
                        None => {
                            return self.stopped_early(flow, Component::Destination, id.as_str(), "the source has no IPv6 address, so it cannot send to an IPv6 destination");
                        }
                    }
                }
                None => {
                    return self.stopped_early(
                        flow,
                        Component::Destination,
                        id.as_str(),
                        "the source network interface does not exist",
                    );
                }
            },
        };
        let request = Packet {
            src: src_ip,
            dst: flow.destination,
            transport: flow.transport,
        };

        // A14: some destinations are never filtered.
        if let End::Interface(eni) = &client {
            if let Some(service) = unfiltered_service(region, eni, flow.destination) {
                let hop = Hop {
                    component: Component::Unfiltered,
                    resource: eni.id.to_string(),
                    direction: None,
                    packet: request,
                    decision: Decision::Other(format!("{service}: security groups and network ACLs never filter this traffic (A14)")),
                    allowed: true,
                };
                return Trace {
                    flow: flow.clone(),
                    packet: request,
                    request: vec![hop.clone()],
                    reply: vec![Hop { packet: request.reply(), ..hop }],
                    request_delivered: true,
                    reply_delivered: Some(true),
                    blocked_by: None,
                    tracked: None,
                    explanation: format!("Traffic to {service} ({}) is never filtered by security groups or network ACLs (A14).", flow.destination),
                    fix: None,
            answer: None,
                };
            }
        }

        // G1: only a running instance sends or answers traffic.
        if let End::Interface(eni) = &client {
            if let Some((id, state)) = self.not_running(eni) {
                let why = format!("the source instance {id} is {state}: only a running instance sends traffic (G1)");
                return self.stopped_early(flow, Component::Destination, id.as_str(), &why);
            }
        }

        let mut leg = Leg::new();
        let mut server = self.deliver(&client, request, &mut leg);
        if let Some((End::Interface(eni), arrived)) = &server {
            if let Some((id, state)) = self.not_running(eni) {
                leg.push(Hop {
                    component: Component::Destination,
                    resource: id.to_string(),
                    direction: None,
                    packet: *arrived,
                    decision: Decision::Other(format!(
                        "the instance {id} is {state}: only a running instance answers (G1)"
                    )),
                    allowed: false,
                });
                server = None;
            }
        }
        let request_blocked = leg.blocked.map(|i| (Phase::Request, leg.hops[i].clone()));
        // A13: whether the connection is tracked, judged where it is filtered
        // last: at the server's groups, or at the client's for the internet.
        let tracked = match (&server, &request_blocked) {
            (Some((End::Interface(eni), arrived)), None) => {
                Some(!self.is_untracked(eni, Direction::Ingress, *arrived))
            }
            (Some((End::Internet, _)), None) => leg.tracked,
            _ => None,
        };
        let request_hops = leg.hops;
        // Each side's groups track the connection on their own terms (A13).
        let client_tracked = match &client {
            End::Interface(eni) => !self.is_untracked(eni, Direction::Egress, request),
            End::Internet => true,
        };
        let (reply_hops, reply_blocked, reply_delivered) = match (&server, &request_blocked) {
            (Some((server_end, arrived)), None) => {
                let mut reply_leg = Leg::new();
                // The reply leaves the server addressed to where the request came from.
                let reply = arrived.reply();
                let sides = Tracking {
                    server: tracked.unwrap_or(true),
                    client: client_tracked,
                };
                self.send_reply(server_end, &client, reply, sides, &mut reply_leg);
                let blocked = reply_leg
                    .blocked
                    .map(|i| (Phase::Reply, reply_leg.hops[i].clone()));
                let delivered = blocked.is_none();
                (reply_leg.hops, blocked, Some(delivered))
            }
            _ => (Vec::new(), None, None),
        };
        let blocked = request_blocked.or(reply_blocked);
        let blocked_by = blocked.as_ref().map(|(phase, hop)| BlockedBy {
            phase: *phase,
            component: hop.component,
            resource: hop.resource.clone(),
            direction: hop.direction,
            rule: match &hop.decision {
                Decision::NetworkAclEntry(entry) => Some(entry.rule_number),
                _ => None,
            },
        });
        let mut trace = Trace {
            flow: flow.clone(),
            packet: request,
            request: request_hops,
            reply: reply_hops,
            request_delivered: server.is_some()
                && blocked_by.as_ref().is_none_or(|b| b.phase == Phase::Reply),
            reply_delivered,
            blocked_by,
            tracked,
            explanation: String::new(),
            fix: None,
            answer: None,
        };
        trace.explanation = explain(region, &trace, blocked.as_ref().map(|(_, hop)| hop));
        if trace.blocked_by.is_none() {
            if let Some((End::Interface(eni), arrived)) = &server {
                trace.answer = self.answer(eni, arrived.transport);
            }
        }
        if let (Some(Answer::Refused), Transport::Tcp { dst_port, .. }) =
            (&trace.answer, flow.transport)
        {
            trace.explanation.push_str(&format!(
                " But nothing listens on TCP {dst_port} at {}: it answers with a reset, and the client sees \"connection refused\". The security groups and network ACLs are not the problem; a service must listen on that port (for example `sudo systemctl start httpd`).",
                server_name(&server)
            ));
        }
        trace
    }

    /// What answers a TCP packet that reached an interface.
    fn answer(&self, eni: &NetworkInterface, transport: Transport) -> Option<Answer> {
        let Transport::Tcp { dst_port, .. } = transport else {
            return None;
        };
        let Some(id) = &eni.instance_id else {
            // An EFS mount target answers NFS (J3).
            return self.region.is_efs_mount_target_interface(&eni.id).then(|| {
                if dst_port == 2049 {
                    Answer::Service {
                        unit: "nfs".into(),
                        page: None,
                    }
                } else {
                    Answer::Refused
                }
            });
        };
        let instance = self.region.instances.get(id)?;
        if !instance.os_known {
            return None;
        }
        Some(match self.region.answer_on(instance, dst_port) {
            Some(service) => Answer::Service {
                unit: service.unit.to_owned(),
                page: match self.region.http_get_instance(instance, dst_port, "/") {
                    crate::world::Http::Page(_, body) => Some(body),
                    crate::world::Http::NotHttp => None,
                },
            },
            None => Answer::Refused,
        })
    }

    fn stopped_early(&self, flow: &Flow, component: Component, resource: &str, why: &str) -> Trace {
        let src = match &flow.source {
            Source::Internet(ip) => *ip,
            Source::Interface(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        };
        let packet = Packet {
            src,
            dst: flow.destination,
            transport: flow.transport,
        };
        let hop = Hop {
            component,
            resource: resource.to_owned(),
            direction: None,
            packet,
            decision: Decision::Other(why.to_owned()),
            allowed: false,
        };
        Trace {
            flow: flow.clone(),
            packet,
            request: vec![hop],
            reply: Vec::new(),
            request_delivered: false,
            reply_delivered: None,
            blocked_by: Some(BlockedBy {
                phase: Phase::Request,
                component,
                resource: resource.to_owned(),
                direction: None,
                rule: None,
            }),
            tracked: None,
            explanation: format!("The request cannot be sent: {why}."),
            fix: None,
            answer: None,
        }
    }

    /// Carries the request from the client to the server, recording hops.
    /// Returns the server's end and the packet as it arrived, if it arrived.
    fn deliver(
        &self,
        client: &End<'a>,
        packet: Packet,
        leg: &mut Leg,
    ) -> Option<(End<'a>, Packet)> {
        let region = self.region;
        match client {
            End::Interface(eni) => {
                // C5 step 1: the source interface's security groups, outbound.
                if !leg.push(self.security_group_hop(eni, Direction::Egress, packet, false)) {
                    return None;
                }
                leg.tracked = Some(!self.is_untracked(eni, Direction::Egress, packet));
                // C5 step 2: the route table of the source subnet.
                let route_hop = self.route_hop(&eni.subnet_id, packet);
                let target = match &route_hop.decision {
                    Decision::Route(_, target) if route_hop.allowed => Some(target.clone()),
                    _ => None,
                };
                if !leg.push(route_hop) {
                    return None;
                }
                match target {
                    Some(RouteTarget::Local) => {
                        // Inside the VPC: the destination must be a private address here.
                        // Addresses are unique only within a VPC: look in the client's.
                        let Some(server) =
                            region.interface_in_vpc_with_address(&eni.vpc_id, packet.dst)
                        else {
                            leg.push(Hop {
                                component: Component::Destination,
                                resource: packet.dst.to_string(),
                                direction: None,
                                packet,
                                decision: Decision::Other(
                                    "no network interface in the VPC has this address".into(),
                                ),
                                allowed: false,
                            });
                            return None;
                        };
                        if !self.cross_subnets(&eni.subnet_id, &server.subnet_id, packet, leg) {
                            return None;
                        }
                        if !leg.push(self.security_group_hop(
                            server,
                            Direction::Ingress,
                            packet,
                            false,
                        )) {
                            return None;
                        }
                        Some((End::Interface(server), packet))
                    }
                    Some(RouteTarget::InternetGateway(igw)) => {
                        // A15: EC2 blocks outbound TCP 25 to the internet by default.
                        if matches!(packet.transport, Transport::Tcp { dst_port: 25, .. }) {
                            leg.push(Hop {
                                component: Component::Ec2Port25Restriction,
                                resource: eni.id.to_string(),
                                direction: Some(Direction::Egress),
                                packet,
                                decision: Decision::Other(
                                    "EC2 blocks outbound traffic on TCP port 25 by default (A15)"
                                        .into(),
                                ),
                                allowed: false,
                            });
                            return None;
                        }
                        if !leg.push(self.network_acl_hop(
                            &eni.subnet_id,
                            Direction::Egress,
                            packet,
                        )) {
                            return None;
                        }
                        // C3: the internet gateway swaps the private source for the public address.
                        let public_src = match packet.src {
                            IpAddr::V4(_) => eni.public_ip.map(IpAddr::V4),
                            v6 @ IpAddr::V6(_) => Some(v6),
                        };
                        let Some(public_src) = public_src else {
                            leg.push(Hop {
                                component: Component::NoPublicIpv4,
                                resource: igw.to_string(),
                                direction: None,
                                packet,
                                decision: Decision::Other(format!("{} has no public IPv4 address, so the internet gateway cannot carry its traffic (C3)", eni.id)),
                                allowed: false,
                            });
                            return None;
                        };
                        let outside = Packet {
                            src: public_src,
                            ..packet
                        };
                        leg.push(Hop {
                            component: Component::InternetGateway,
                            resource: igw.to_string(),
                            direction: Some(Direction::Egress),
                            packet: outside,
                            decision: Decision::Other(gateway_note(packet.src, public_src)),
                            allowed: true,
                        });
                        self.arrive_from_internet(outside, leg)
                    }
                    _ => None,
                }
            }
            End::Internet => self.arrive_from_internet(packet, leg),
        }
    }

    /// A packet on the internet addressed to `packet.dst`: delivered to the
    /// internet, or through an internet gateway to the interface that owns
    /// that public address.
    fn arrive_from_internet(&self, packet: Packet, leg: &mut Leg) -> Option<(End<'a>, Packet)> {
        let region = self.region;
        let owner = match packet.dst {
            IpAddr::V4(v4) => region.interface_with_public_address(v4),
            v6 @ IpAddr::V6(_) => region.interface_with_private_address(v6),
        };
        let Some(server) = owner else {
            // C3: an interface with no public address can't be reached from the internet.
            if let Some(eni) = region.interface_with_private_address(packet.dst) {
                leg.push(Hop {
                    component: Component::NoPublicIpv4,
                    resource: eni.id.to_string(),
                    direction: None,
                    packet,
                    decision: Decision::Other(format!(
                        "{} is the private address of {}, which the internet cannot reach: only a public IPv4 address (auto-assigned or Elastic) is reachable through the internet gateway (C3)",
                        packet.dst, eni.id
                    )),
                    allowed: false,
                });
                return None;
            }
            if is_private(packet.dst) {
                leg.push(Hop {
                    component: Component::Destination,
                    resource: packet.dst.to_string(),
                    direction: None,
                    packet,
                    decision: Decision::Other(
                        "a private address cannot be reached from the internet".into(),
                    ),
                    allowed: false,
                });
                return None;
            }
            // Somewhere on the internet: delivered.
            return Some((End::Internet, packet));
        };
        let Some(igw) = region.internet_gateway_of(&server.vpc_id) else {
            leg.push(Hop {
                component: Component::InternetGateway,
                resource: server.vpc_id.to_string(),
                direction: Some(Direction::Ingress),
                packet,
                decision: Decision::Other("the VPC has no internet gateway attached (C3)".into()),
                allowed: false,
            });
            return None;
        };
        // C3: 1:1 NAT of the public address to the private one.
        let inside_dst = match packet.dst {
            IpAddr::V4(_) => IpAddr::V4(server.private_ip),
            v6 => v6,
        };
        let inside = Packet {
            dst: inside_dst,
            ..packet
        };
        leg.push(Hop {
            component: Component::InternetGateway,
            resource: igw.id.to_string(),
            direction: Some(Direction::Ingress),
            packet: inside,
            decision: Decision::Other(gateway_note(packet.dst, inside_dst)),
            allowed: true,
        });
        if !leg.push(self.network_acl_hop(&server.subnet_id, Direction::Ingress, inside)) {
            return None;
        }
        if !leg.push(self.security_group_hop(server, Direction::Ingress, inside, false)) {
            return None;
        }
        if leg.tracked.is_none() {
            leg.tracked = Some(!self.is_untracked(server, Direction::Ingress, inside));
        }
        Some((End::Interface(server), inside))
    }

    /// Carries the reply from the server back to the client.
    fn send_reply(
        &self,
        server: &End<'a>,
        client: &End<'a>,
        reply: Packet,
        tracked: Tracking,
        leg: &mut Leg,
    ) {
        match server {
            End::Internet => {
                // An internet host answers; the reply arrives at the client's public address.
                let _ = self.arrive_from_internet_reply(client, reply, tracked, leg);
            }
            End::Interface(eni) => {
                // C5 step 1': stateful: a tracked reply passes the groups whatever the rules.
                if !leg.push(self.security_group_hop(eni, Direction::Egress, reply, tracked.server))
                {
                    return;
                }
                let route_hop = self.route_hop(&eni.subnet_id, reply);
                let target = match &route_hop.decision {
                    Decision::Route(_, target) if route_hop.allowed => Some(target.clone()),
                    _ => None,
                };
                if !leg.push(route_hop) {
                    return;
                }
                match (target, client) {
                    (Some(RouteTarget::Local), End::Interface(client_eni))
                        if client_eni.has_private_address(reply.dst) =>
                    {
                        if !self.cross_subnets(&eni.subnet_id, &client_eni.subnet_id, reply, leg) {
                            return;
                        }
                        leg.push(self.security_group_hop(
                            client_eni,
                            Direction::Ingress,
                            reply,
                            tracked.client,
                        ));
                    }
                    (Some(RouteTarget::InternetGateway(igw)), _) => {
                        if !leg.push(self.network_acl_hop(&eni.subnet_id, Direction::Egress, reply))
                        {
                            return;
                        }
                        let public_src = match reply.src {
                            IpAddr::V4(_) => eni.public_ip.map(IpAddr::V4),
                            v6 => Some(v6),
                        };
                        let Some(public_src) = public_src else {
                            leg.push(Hop {
                                component: Component::NoPublicIpv4,
                                resource: igw.to_string(),
                                direction: None,
                                packet: reply,
                                decision: Decision::Other(format!(
                                    "{} has no public IPv4 address to answer from (C3)",
                                    eni.id
                                )),
                                allowed: false,
                            });
                            return;
                        };
                        let outside = Packet {
                            src: public_src,
                            ..reply
                        };
                        leg.push(Hop {
                            component: Component::InternetGateway,
                            resource: igw.to_string(),
                            direction: Some(Direction::Egress),
                            packet: outside,
                            decision: Decision::Other(gateway_note(reply.src, public_src)),
                            allowed: true,
                        });
                        let _ = self.arrive_from_internet_reply(client, outside, tracked, leg);
                    }
                    (_, _) => {
                        leg.push(Hop {
                            component: Component::Destination,
                            resource: reply.dst.to_string(),
                            direction: None,
                            packet: reply,
                            decision: Decision::Other(
                                "the reply's route does not lead back to the client".into(),
                            ),
                            allowed: false,
                        });
                    }
                }
            }
        }
    }

    /// A reply travelling over the internet back to the client.
    fn arrive_from_internet_reply(
        &self,
        client: &End<'a>,
        reply: Packet,
        tracked: Tracking,
        leg: &mut Leg,
    ) -> Option<()> {
        match client {
            End::Internet => Some(()),
            End::Interface(client_eni) => {
                let igw = self.region.internet_gateway_of(&client_eni.vpc_id)?;
                let inside_dst = match reply.dst {
                    IpAddr::V4(_) => IpAddr::V4(client_eni.private_ip),
                    v6 => v6,
                };
                let inside = Packet {
                    dst: inside_dst,
                    ..reply
                };
                leg.push(Hop {
                    component: Component::InternetGateway,
                    resource: igw.id.to_string(),
                    direction: Some(Direction::Ingress),
                    packet: inside,
                    decision: Decision::Other(gateway_note(reply.dst, inside_dst)),
                    allowed: true,
                });
                if !leg.push(self.network_acl_hop(
                    &client_eni.subnet_id,
                    Direction::Ingress,
                    inside,
                )) {
                    return None;
                }
                leg.push(self.security_group_hop(
                    client_eni,
                    Direction::Ingress,
                    inside,
                    tracked.client,
                ))
                .then_some(())
            }
        }
    }

    /// The security groups of an interface judge a packet (A1, A2, A9).
    /// `reply_tracked`: this is a reply the groups track, which passes (A3).
    fn security_group_hop(
        &self,
        eni: &NetworkInterface,
        direction: Direction,
        packet: Packet,
        reply_tracked: bool,
    ) -> Hop {
        let resource = eni
            .security_groups
            .iter()
            .map(SecurityGroupId::as_str)
            .collect::<Vec<_>>()
            .join("+");
        let base = Hop {
            component: Component::SecurityGroup,
            resource,
            direction: Some(direction),
            packet,
            decision: Decision::Tracked,
            allowed: true,
        };
        // A3: replies to allowed traffic are allowed whatever the rules say.
        if reply_tracked {
            return base;
        }
        // A13: an existing tracked connection survives rule changes.
        if self.existing.is_some_and(|c| c.tracked) {
            return base;
        }
        match self.matching_rule(eni, direction, packet) {
            Some((group, rule)) => Hop {
                decision: Decision::SecurityGroupRule(group, rule),
                ..base
            },
            None => Hop {
                decision: Decision::NoSecurityGroupRule,
                allowed: false,
                ..base
            },
        }
    }

    /// The first rule (in group order, then rule order) of any of the
    /// interface's groups that allows the packet. Order does not change the
    /// verdict (A2); it only picks which rule the trace names.
    fn matching_rule(
        &self,
        eni: &NetworkInterface,
        direction: Direction,
        packet: Packet,
    ) -> Option<(SecurityGroupId, SecurityGroupRule)> {
        let peer = if direction.is_egress() {
            packet.dst
        } else {
            packet.src
        };
        eni.security_groups.iter().find_map(|group_id| {
            let group = self.region.security_groups.get(group_id)?;
            group
                .rules(direction.is_egress())
                .iter()
                .find(|rule| {
                    protocol_and_ports_match(rule.protocol, rule.ports, packet.transport)
                        && self.peer_matches(&rule.peer, peer)
                })
                .map(|rule| (group_id.clone(), rule.clone()))
        })
    }

    /// Whether a rule's source or destination covers an address.
    fn peer_matches(&self, peer: &RulePeer, ip: IpAddr) -> bool {
        match (peer, ip) {
            (RulePeer::Cidr(net), IpAddr::V4(v4)) => net.contains(&v4),
            (RulePeer::Ipv6Cidr(net), IpAddr::V6(v6)) => net.contains(&v6),
            (RulePeer::Cidr(_) | RulePeer::Ipv6Cidr(_), _) => false,
            // A8: a group reference matches the private addresses of the
            // interfaces that carry the group, never public ones.
            (RulePeer::SecurityGroup(group), ip) => self
                .region
                .network_interfaces
                .values()
                .any(|eni| eni.security_groups.contains(group) && eni.has_private_address(ip)),
            (RulePeer::PrefixList(id), ip) => self
                .region
                .prefix_lists
                .get(id)
                .is_some_and(|list| list.entry_for(ip).is_some()),
        }
    }

    /// A13: whether a flow is untracked: TCP or UDP allowed by a rule for
    /// all addresses (0.0.0.0/0 or ::/0), with the other direction allowing
    /// all replies to all addresses on all ports. ICMP is always tracked.
    fn is_untracked(&self, eni: &NetworkInterface, direction: Direction, packet: Packet) -> bool {
        if !matches!(
            packet.transport,
            Transport::Tcp { .. } | Transport::Udp { .. }
        ) {
            return false;
        }
        let everyone = |peer: &RulePeer| match (peer, packet.src) {
            (RulePeer::Cidr(net), IpAddr::V4(_)) => net.prefix_len() == 0,
            (RulePeer::Ipv6Cidr(net), IpAddr::V6(_)) => net.prefix_len() == 0,
            _ => false,
        };
        let groups = || {
            eni.security_groups
                .iter()
                .filter_map(|id| self.region.security_groups.get(id))
        };
        let opens_to_all = groups().any(|group| {
            group.rules(direction.is_egress()).iter().any(|rule| {
                everyone(&rule.peer)
                    && protocol_and_ports_match(rule.protocol, rule.ports, packet.transport)
            })
        });
        let replies_to_all = groups().any(|group| {
            group.rules(!direction.is_egress()).iter().any(|rule| {
                everyone(&rule.peer)
                    && (rule.protocol == IpProtocol::All
                        || (rule.protocol.number() == Some(packet.transport.protocol())
                            && rule.ports.is_none_or(|(from, to)| from <= 0 && to >= 65535)))
            })
        });
        opens_to_all && replies_to_all
    }

    /// A subnet's network ACL judges a packet crossing its boundary (B4).
    fn network_acl_hop(&self, subnet: &SubnetId, direction: Direction, packet: Packet) -> Hop {
        let acl = self.region.network_acl_of(subnet);
        let entry = acl
            .and_then(|acl| acl.deciding_entry(direction.is_egress(), &packet))
            .cloned();
        let allowed = entry
            .as_ref()
            .is_some_and(|e| e.action == RuleAction::Allow);
        Hop {
            component: Component::NetworkAcl,
            resource: acl.map_or_else(|| subnet.to_string(), |acl| acl.id.to_string()),
            direction: Some(direction),
            packet,
            decision: entry.map_or_else(
                || Decision::Other("the subnet has no network ACL".into()),
                Decision::NetworkAclEntry,
            ),
            allowed,
        }
    }

    /// A packet going from one subnet to another inside the VPC: out
    /// through the first subnet's network ACL, in through the second's; or,
    /// inside one subnet, past neither (B7). Returns whether it goes on.
    fn cross_subnets(&self, from: &SubnetId, to: &SubnetId, packet: Packet, leg: &mut Leg) -> bool {
        if from == to {
            return leg.push(self.same_subnet_hop(from, packet));
        }
        leg.push(self.network_acl_hop(from, Direction::Egress, packet))
            && leg.push(self.network_acl_hop(to, Direction::Ingress, packet))
    }

    /// B7: inside one subnet the network ACL is not evaluated.
    fn same_subnet_hop(&self, subnet: &SubnetId, packet: Packet) -> Hop {
        let acl = self.region.network_acl_of(subnet);
        Hop {
            component: Component::NetworkAcl,
            resource: acl.map_or_else(|| subnet.to_string(), |acl| acl.id.to_string()),
            direction: None,
            packet,
            decision: Decision::Other(format!(
                "not evaluated: the traffic stays inside subnet {subnet} (B7)"
            )),
            allowed: true,
        }
    }

    /// A subnet's route table picks the route for a packet (C2).
    fn route_hop(&self, subnet: &SubnetId, packet: Packet) -> Hop {
        let table = self.region.route_table_of(subnet);
        let resource = table.map_or_else(|| subnet.to_string(), |t| t.id.to_string());
        let route = table.and_then(|t| t.route_for(packet.dst));
        let (decision, allowed) = match route {
            None => (Decision::NoRoute, false),
            Some(route) if route.blackhole => (
                Decision::Route(route.destination, route.target.clone()),
                false,
            ),
            Some(route) => match &route.target {
                RouteTarget::Other { field, id } => (
                    Decision::Other(format!(
                        "the route {} sends it to {id} ({field}), which the lab does not simulate",
                        route.destination
                    )),
                    false,
                ),
                target => (Decision::Route(route.destination, target.clone()), true),
            },
        };
        Hop {
            component: Component::RouteTable,
            resource,
            direction: None,
            packet,
            decision,
            allowed,
        }
    }
}

/// What the internet gateway does to an address: 1:1 NAT for IPv4, nothing
/// for IPv6, whose addresses are public already (C3).
fn gateway_note(from: IpAddr, to: IpAddr) -> String {
    if from.is_ipv6() {
        format!("passes {from} unchanged: IPv6 addresses are globally unique, no NAT (C3)")
    } else {
        format!("translates {from} to {to} (1:1 NAT, C3)")
    }
}

/// Whether an address is private (RFC 1918, link-local, unique local) and
/// so never routed on the internet.
fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private() || v4.is_link_local() || v4.is_loopback(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xfe00) == 0xfc00 || v6.is_loopback(),
    }
}

/// The learner-facing explanation of a trace.
fn explain(region: &RegionState, trace: &Trace, blocking: Option<&Hop>) -> String {
    let Some(hop) = blocking else {
        let mut text = String::from("Delivered both ways.");
        if let Some(rule) = trace
            .request
            .iter()
            .find_map(|h| match (&h.decision, h.direction) {
                (Decision::SecurityGroupRule(group, rule), Some(Direction::Ingress)) => {
                    Some(format!(
                        " The request is allowed in by security group {group}{} rule \"{rule}\".",
                        group_name(region, group)
                    ))
                }
                _ => None,
            })
        {
            text.push_str(&rule);
        }
        if let Some(hop) = trace
            .reply
            .iter()
            .find(|h| h.component == Component::SecurityGroup && h.decision == Decision::Tracked)
        {
            text.push_str(&format!(
                " The reply passes security groups {} without any rule: security groups are stateful and track the connection (A3).",
                hop.resource
            ));
        }
        if let Some(entry) = trace.reply.iter().find_map(|h| match &h.decision {
            Decision::NetworkAclEntry(entry) if h.component == Component::NetworkAcl => {
                Some((h.resource.clone(), entry.clone()))
            }
            _ => None,
        }) {
            text.push_str(&format!(
                " Network ACLs are stateless (B5): the reply needed its own rule, and {} rule {} allows it.",
                entry.0,
                rule_label(&entry.1)
            ));
        }
        if trace.tracked == Some(false) {
            text.push_str(" The destination's security groups do not track this flow (A13): removing the rule that allows it would cut it at once, not only for new connections.");
        }
        return text;
    };
    let phase = if trace
        .blocked_by
        .as_ref()
        .is_some_and(|b| b.phase == Phase::Reply)
    {
        "reply"
    } else {
        "request"
    };
    match (&hop.decision, hop.component) {
        (Decision::NoSecurityGroupRule, _) => {
            let direction = hop.direction.map_or("", Direction::name);
            let way = if direction == "egress" { "outbound" } else { "inbound" };
            format!(
                "The {phase} ({}) is dropped by the security groups {} ({way}): no rule allows it, and security groups only allow (A1). Add an {way} rule for it.",
                hop.packet, hop.resource
            )
        }
        (Decision::NetworkAclEntry(entry), _) => {
            let way = if hop.direction == Some(Direction::Egress) { "outbound" } else { "inbound" };
            let why = if entry.is_default_deny() {
                "no numbered rule matches, so the * rule denies it (B4)".to_owned()
            } else {
                format!("rule {} denies it, and the lowest matching rule number wins (B4)", entry.rule_number)
            };
            let mut text = format!("The {phase} ({}) is dropped by network ACL {} ({way}): {why}.", hop.packet, hop.resource);
            if phase == "reply" {
                if let Some(port) = hop.packet.transport.dst_port() {
                    text.push_str(&format!(
                        " Network ACLs are stateless (B5): the reply is judged by the {way} rules on the client's ephemeral port {port}, not the service port; allow the ephemeral range (1024-65535 covers every client, B6)."
                    ));
                }
            }
            text
        }
        (Decision::NoRoute, _) => format!("The {phase} ({}) has no route in {}: nothing matches {} (C2).", hop.packet, hop.resource, hop.packet.dst),
        (Decision::Route(destination, target), _) => format!("The {phase} is dropped: the route {destination} → {target} in {} is a blackhole (its target is gone).", hop.resource),
        (Decision::Other(why), component) => format!("The {phase} ({}) is stopped at {} {}: {why}.", hop.packet, component.name(), hop.resource),
        (Decision::SecurityGroupRule(..) | Decision::Tracked, _) => String::from("Blocked."),
    }
}

fn group_name(region: &RegionState, id: &SecurityGroupId) -> String {
    region
        .security_groups
        .get(id)
        .map_or_else(String::new, |g| format!(" ({})", g.name))
}

fn rule_label(entry: &NetworkAclEntry) -> String {
    if entry.is_default_deny() {
        "*".to_owned()
    } else {
        entry.rule_number.to_string()
    }
}

impl RegionState {
    /// The smallest single change that lets a blocked flow through, if one
    /// exists, checked by tracing again with the change applied; otherwise a
    /// sentence saying why one change is not enough.
    fn find_fix(
        &self,
        flow: &Flow,
        trace: &Trace,
        connections: &[Connection],
    ) -> (Option<Fix>, Option<String>) {
        let Some(blocked) = trace.blocked_by.as_ref() else {
            return (None, None);
        };
        let hops = if blocked.phase == Phase::Request {
            &trace.request
        } else {
            &trace.reply
        };
        let Some(fix) = hops
            .iter()
            .find(|h| !h.allowed)
            .and_then(|hop| self.candidate_fix(blocked, hop))
        else {
            return (None, None);
        };
        // Check it: apply it to a copy and trace again.
        let mut copy = self.network_copy();
        if copy.apply_fix(&fix.command).is_err() {
            return (None, None);
        }
        let again = Tracer {
            region: &copy,
            existing: connections.iter().find(|c| c.flow == *flow),
        }
        .run(flow);
        match again.blocked_by {
            None => (Some(fix), None),
            Some(next) => (
                None,
                Some(format!(
                    " One change is not enough: after \"{}\", {} {} would still stop the {}.",
                    fix.description.trim_end_matches('.'),
                    next.component.name(),
                    next.resource,
                    next.phase.name()
                )),
            ),
        }
    }

    fn candidate_fix(&self, blocked: &BlockedBy, hop: &Hop) -> Option<Fix> {
        match (&hop.decision, hop.component) {
            (Decision::NoSecurityGroupRule, _) => {
                let group = SecurityGroupId::new(hop.resource.split('+').next()?);
                let egress = hop.direction == Some(Direction::Egress);
                let peer_ip = if egress {
                    hop.packet.dst
                } else {
                    hop.packet.src
                };
                let (protocol, ports) = rule_shape(hop.packet.transport);
                let peer = host_peer(peer_ip);
                let rule = SecurityGroupRule {
                    protocol,
                    ports,
                    peer,
                    description: None,
                };
                let (verb, way) = if egress {
                    ("egress", "outbound")
                } else {
                    ("ingress", "inbound")
                };
                Some(Fix {
                    description: format!("Add an {way} rule \"{rule}\" to security group {group}{}.", group_name(self, &group)),
                    cli: format!("aws ec2 authorize-security-group-{verb} --group-id {group} --ip-permissions {}", shorthand(&rule)),
                    command: if egress {
                        Command::AuthorizeSecurityGroupEgress { group_id: group, rules: vec![rule] }
                    } else {
                        Command::AuthorizeSecurityGroupIngress { group_id: group, rules: vec![rule] }
                    },
                })
            }
            (Decision::NetworkAclEntry(decided), _) => {
                let acl = self
                    .network_acls
                    .get(&crate::ids::NetworkAclId::new(hop.resource.as_str()))?;
                let egress = decided.egress;
                // The new rule must come before the rule that denied: below
                // its number, or anywhere if the * rule denied.
                let limit = if decided.is_default_deny() {
                    MAX_RULE_NUMBER + 1
                } else {
                    decided.rule_number
                };
                let used: Vec<u16> = acl
                    .entries
                    .iter()
                    .filter(|e| e.egress == egress)
                    .map(|e| e.rule_number)
                    .collect();
                let rule_number = if decided.is_default_deny() {
                    // A round number after the existing rules, as people number them.
                    let highest = used
                        .iter()
                        .copied()
                        .filter(|n| *n <= MAX_RULE_NUMBER)
                        .max()
                        .unwrap_or(0);
                    let next = (highest / 10 + 1) * 10;
                    if next <= MAX_RULE_NUMBER && !used.contains(&next) {
                        next
                    } else {
                        (1..limit).rev().find(|n| !used.contains(n))?
                    }
                } else {
                    (1..limit).rev().find(|n| !used.contains(n))?
                };
                let peer_ip = if egress {
                    hop.packet.dst
                } else {
                    hop.packet.src
                };
                let (protocol, port_range, icmp_type_code) = match hop.packet.transport {
                    // B6: for a reply, allow the whole ephemeral range, not one port.
                    Transport::Tcp { dst_port, .. } | Transport::Udp { dst_port, .. } => {
                        let range = if blocked.phase == Phase::Reply {
                            (1024, 65535)
                        } else {
                            (dst_port, dst_port)
                        };
                        (
                            IpProtocol::from_number(hop.packet.transport.protocol()),
                            Some(range),
                            None,
                        )
                    }
                    Transport::Icmp {
                        icmp_type,
                        icmp_code,
                        ..
                    } => (
                        IpProtocol::from_number(hop.packet.transport.protocol()),
                        None,
                        Some((i32::from(icmp_type), i32::from(icmp_code))),
                    ),
                    Transport::Other(n) => (IpProtocol::from_number(n), None, None),
                };
                let cidr = host_net(peer_ip);
                let entry = NetworkAclEntry {
                    rule_number,
                    egress,
                    protocol,
                    action: RuleAction::Allow,
                    cidr_block: cidr,
                    port_range,
                    icmp_type_code,
                };
                let way = if egress { "outbound" } else { "inbound" };
                let mut cli = format!(
                    "aws ec2 create-network-acl-entry --network-acl-id {} --{} --rule-number {rule_number} --protocol {} --rule-action allow",
                    acl.id,
                    if egress { "egress" } else { "ingress" },
                    protocol.as_number_string()
                );
                match cidr {
                    IpNet::V4(net) => cli.push_str(&format!(" --cidr-block {net}")),
                    IpNet::V6(net) => cli.push_str(&format!(" --ipv6-cidr-block {net}")),
                }
                if let Some((from, to)) = port_range {
                    cli.push_str(&format!(" --port-range From={from},To={to}"));
                }
                if let Some((t, c)) = icmp_type_code {
                    cli.push_str(&format!(" --icmp-type-code Type={t},Code={c}"));
                }
                Some(Fix {
                    description: format!(
                        "Add {way} rule {entry} to network ACL {}, before the rule that denies it.",
                        acl.id
                    ),
                    cli,
                    command: Command::CreateNetworkAclEntry {
                        network_acl_id: acl.id.clone(),
                        entry,
                    },
                })
            }
            (Decision::NoRoute, Component::RouteTable) => {
                let table = self
                    .route_tables
                    .get(&crate::ids::RouteTableId::new(hop.resource.as_str()))?;
                let igw = self.internet_gateway_of(&table.vpc_id)?;
                let (destination, flag) = match hop.packet.dst {
                    IpAddr::V4(_) => (IpNet::V4(Ipv4Net::default()), "--destination-cidr-block"),
                    IpAddr::V6(_) => (
                        IpNet::V6(Ipv6Net::default()),
                        "--destination-ipv6-cidr-block",
                    ),
                };
                Some(Fix {
                    description: format!("Add a route {destination} → {} to route table {} (C3).", igw.id, table.id),
                    cli: format!("aws ec2 create-route --route-table-id {} {flag} {destination} --gateway-id {}", table.id, igw.id),
                    command: Command::CreateRoute { route_table_id: table.id.clone(), destination_cidr_block: destination.to_string(), gateway_id: igw.id.clone() },
                })
            }
            _ => None,
        }
    }

    fn apply_fix(&mut self, command: &Command) -> Result<(), crate::error::ApiError> {
        let mut ids = crate::ids::IdGenerator::default();
        // A fix is one of the screen's commands (an SG rule, an ACL entry,
        // a route): the screen's dispatcher, which the page carries.
        match self.apply_basic_command(&mut ids, 0, command.clone()) {
            Ok(result) => result.map(|_| ()),
            Err(_) => Err(crate::error::ApiError::new(
                "InternalError",
                "a fix is a command of the screen",
            )),
        }
    }
}

/// The rule protocol and ports that admit exactly this transport.
fn rule_shape(transport: Transport) -> (IpProtocol, Option<(i32, i32)>) {
    match transport {
        Transport::Tcp { dst_port, .. } => (
            IpProtocol::Tcp,
            Some((i32::from(dst_port), i32::from(dst_port))),
        ),
        Transport::Udp { dst_port, .. } => (
            IpProtocol::Udp,
            Some((i32::from(dst_port), i32::from(dst_port))),
        ),
        Transport::Icmp {
            v6,
            icmp_type,
            icmp_code,
        } => (
            if v6 {
                IpProtocol::Icmpv6
            } else {
                IpProtocol::Icmp
            },
            Some((i32::from(icmp_type), i32::from(icmp_code))),
        ),
        Transport::Other(n) => (IpProtocol::Number(n), None),
    }
}

fn host_net(ip: IpAddr) -> IpNet {
    match ip {
        IpAddr::V4(v4) => IpNet::V4(Ipv4Net::from(v4)),
        IpAddr::V6(v6) => IpNet::V6(Ipv6Net::from(v6)),
    }
}

fn host_peer(ip: IpAddr) -> RulePeer {
    match ip {
        IpAddr::V4(v4) => RulePeer::Cidr(Ipv4Net::from(v4)),
        IpAddr::V6(v6) => RulePeer::Ipv6Cidr(Ipv6Net::from(v6)),
    }
}

/// A rule in the AWS CLI's shorthand for `--ip-permissions`.
fn shorthand(rule: &SecurityGroupRule) -> String {
    let mut out = format!("IpProtocol={}", rule.protocol);
    if let Some((from, to)) = rule.ports {
        out.push_str(&format!(",FromPort={from},ToPort={to}"));
    }
    match &rule.peer {
        RulePeer::Cidr(net) => out.push_str(&format!(",IpRanges=[{{CidrIp={net}}}]")),
        RulePeer::Ipv6Cidr(net) => out.push_str(&format!(",Ipv6Ranges=[{{CidrIpv6={net}}}]")),
        RulePeer::SecurityGroup(id) => {
            out.push_str(&format!(",UserIdGroupPairs=[{{GroupId={id}}}]"));
        }
        RulePeer::PrefixList(id) => {
            out.push_str(&format!(",PrefixListIds=[{{PrefixListId={id}}}]"));
        }
    }
    out
}

/// The instance (or interface) a request reached, for explanations.
fn server_name(server: &Option<(End<'_>, Packet)>) -> String {
    match server {
        Some((End::Interface(eni), _)) => eni
            .instance_id
            .as_ref()
            .map_or_else(|| eni.id.to_string(), ToString::to_string),
        _ => "the destination".into(),
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = match (&self.blocked_by, self.request_delivered) {
            (None, _) if self.answer == Some(Answer::Refused) => "CONNECTION REFUSED",
            (None, _) => "ALLOWED",
            (Some(_), true) => "BLOCKED (reply)",
            (Some(_), false) => "BLOCKED (request)",
        };
        writeln!(f, "Trace {}: {verdict}", self.packet)?;
        for (label, hops) in [("Request", &self.request), ("Reply", &self.reply)] {
            if hops.is_empty() {
                continue;
            }
            writeln!(f, "  {label}:")?;
            for hop in hops {
                writeln!(f, "    {hop}")?;
            }
        }
        if let Some(tracked) = self.tracked {
            writeln!(
                f,
                "  Connection tracking: {}",
                if tracked {
                    "tracked"
                } else {
                    "untracked (A13)"
                }
            )?;
        }
        match &self.answer {
            Some(Answer::Service { unit, page }) => {
                writeln!(f, "  Service: {unit} answers")?;
                if let Some(page) = page {
                    let line: String = page.split_whitespace().collect::<Vec<_>>().join(" ");
                    let shown: String = line.chars().take(72).collect();
                    let more = if shown.len() < line.len() { "…" } else { "" };
                    writeln!(f, "  Page: {shown}{more}")?;
                }
            }
            Some(Answer::Refused) => writeln!(f, "  Service: nothing listens: connection refused")?,
            None => {}
        }
        writeln!(f, "  Why: {}", self.explanation)?;
        if let Some(fix) = &self.fix {
            writeln!(f, "  Fix: {}", fix.description)?;
            writeln!(f, "       {}", fix.cli)?;
        }
        Ok(())
    }
}

impl fmt::Display for Hop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = if self.allowed { "✓" } else { "✗" };
        let direction = self
            .direction
            .map_or(String::new(), |d| format!(" {}", d.name()));
        write!(
            f,
            "{mark} {}{direction} {}: ",
            self.component.name(),
            self.resource
        )?;
        match &self.decision {
            Decision::SecurityGroupRule(group, rule) => {
                write!(f, "allowed by {group} rule \"{rule}\"")
            }
            Decision::NoSecurityGroupRule => write!(f, "no rule allows {}", self.packet),
            Decision::Tracked => f.write_str("allowed: connection tracking (stateful)"),
            Decision::NetworkAclEntry(entry) => {
                let verb = if entry.action == RuleAction::Allow {
                    "allowed"
                } else {
                    "denied"
                };
                write!(
                    f,
                    "{verb} by rule {} ({entry}) for {}",
                    rule_label(entry),
                    self.packet
                )
            }
            Decision::Route(destination, target) => {
                write!(f, "route {destination} → {target} for {}", self.packet.dst)
            }
            Decision::NoRoute => write!(f, "no route for {}", self.packet.dst),
            Decision::Other(text) => f.write_str(text),
        }
    }
}
