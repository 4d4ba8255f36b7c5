//! Reachability matrices: which instances can talk to which, on one port.
//!
//! A learner who asks "can web-1 reach db-1 on TCP 3306?" gets a trace. A
//! [`ReachabilityMatrix`] asks the same question for every ordered pair of
//! running instances at once: cell (i, j) says whether instance i, sending
//! from its primary network interface, reaches instance j's private IPv4
//! address with a given transport, the request delivered and the reply back.
//! It is exactly the verdict of [`RegionState::trace`] for that flow, found
//! without tracing each pair.
//!
//! The trick is that, inside one VPC, each check of the packet path (C5)
//! depends on one side of the pair only. A security group rule judges the
//! peer address (A7, A8); a network ACL entry judges the source on the way
//! in and the destination on the way out (B8); the route lookup depends on
//! the subnet and the destination (C2); connection tracking depends on the
//! interface's own rules (A13). So the matrix evaluates every rule once per
//! instance address, keeps the results as bit sets, and combines them pair
//! by pair with a few word operations. The rare pair whose route leaves the
//! VPC through an internet gateway, where the path depends on public
//! addresses, is traced the ordinary way.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

use ipnet::IpNet;

use crate::ids::{
    InstanceId, NetworkAclId, NetworkInterfaceId, RouteTableId, SecurityGroupId, SubnetId, VpcId,
};
use crate::instance::InstanceState;
use crate::network_acl::{NetworkAcl, RuleAction};
use crate::network_interface::NetworkInterface;
use crate::packet::{Packet, Transport};
use crate::security_group::{protocol_and_ports_match, IpProtocol, RulePeer, SecurityGroupRule};
use crate::trace::{Flow, Source};
use crate::vpc::RouteTarget;
use crate::world::RegionState;

/// The grid is drawn for at most this many instances; beyond, `Display`
/// prints the summary only.
const GRID_LIMIT: usize = 40;

/// Who reaches whom: every ordered pair of a Region's running instances, on
/// one transport (protocol and ports).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReachabilityMatrix {
    /// The running instances, ordered by instance id: row and column `k` is
    /// `instances[k]`.
    pub instances: Vec<InstanceId>,
    /// What the grid calls each instance: its `Name` tag, or its id.
    pub labels: Vec<String>,
    /// The transport every pair was judged on; its source port is the
    /// client's ephemeral port, the destination port of the reply (B5).
    pub transport: Transport,
    /// `u64` words per row.
    words: usize,
    /// Row-major bits: bit `j` of row `i` is cell (i, j).
    cells: Vec<u64>,
}

impl ReachabilityMatrix {
    /// How many instances (rows, and columns).
    pub fn len(&self) -> usize {
        self.instances.len()
    }

    /// Whether there are no running instances.
    pub fn is_empty(&self) -> bool {
        self.instances.is_empty()
    }

    /// Whether instance `from` reaches instance `to`'s private IPv4 address,
    /// request and reply; `false` for indices out of range.
    pub fn allowed(&self, from: usize, to: usize) -> bool {
        let n = self.len();
        from < n && to < n && self.cells[from * self.words + to / 64] & (1 << (to % 64)) != 0
    }

    /// How many ordered pairs (an instance with itself included) are allowed.
    pub fn count_allowed(&self) -> usize {
        self.cells.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The row and column of an instance, if it is running.
    pub fn index_of(&self, id: &InstanceId) -> Option<usize> {
        self.instances.binary_search(id).ok()
    }
}

/// The all-pairs reachability matrix of a Region's running instances on one
/// transport: cell (i, j) is `true` exactly when
/// `region.trace(&flow).blocked_by.is_none()` for the flow from instance i's
/// primary network interface to instance j's private IPv4 address. An
/// instance without a primary interface reaches nothing and cannot be
/// reached.
///
/// ```
/// use ec2lab_sim::{default_lab, reachability_matrix, Transport, DEFAULT_REGION};
///
/// let world = default_lab();
/// let region = world.region(DEFAULT_REGION).expect("the default lab's Region");
/// let mysql = Transport::Tcp { src_port: 40000, dst_port: 3306 };
/// let matrix = reachability_matrix(region, mysql);
/// // A8: db-sg admits MySQL from web-sg, so web-1 and web-2 reach db-1.
/// let db = matrix.labels.iter().position(|l| l == "db-1").expect("db-1");
/// let web = matrix.labels.iter().position(|l| l == "web-1").expect("web-1");
/// assert!(matrix.allowed(web, db));
/// assert!(!matrix.allowed(db, web));
/// assert_eq!(matrix.count_allowed(), 2);
/// ```
pub fn reachability_matrix(region: &RegionState, transport: Transport) -> ReachabilityMatrix {
    let instances: Vec<_> = region
        .instances
        .values()
        .filter(|instance| instance.state == InstanceState::Running)
        .collect();
    let n = instances.len();
    let words = n.div_ceil(64);
    let clients: Vec<Option<&NetworkInterface>> = instances
        .iter()
        .map(|instance| region.primary_interface(instance))
        .collect();
    let addresses: Vec<Option<Ipv4Addr>> = clients
        .iter()
        .map(|eni| eni.map(|e| e.private_ip))
        .collect();
    let mut matrix = ReachabilityMatrix {
        instances: instances.iter().map(|i| i.id.clone()).collect(),
        labels: instances
            .iter()
            .map(|i| {
                i.tags
                    .name()
                    .map_or_else(|| i.id.to_string(), str::to_owned)
            })
            .collect(),
        transport,
        words,
        cells: vec![0; n * words],
    };
    if n == 0 {
        return matrix;
    }
    let plan = Plan::new(region, transport, &clients, &addresses);
    plan.fill(&mut matrix);
    matrix
}

/// A fixed-size set of instance indices.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Bits(Vec<u64>);

impl Bits {
    fn empty(n: usize) -> Self {
        Self(vec![0; n.div_ceil(64)])
    }

    #[inline]
    fn set(&mut self, k: usize) {
        self.0[k / 64] |= 1 << (k % 64);
    }

    #[inline]
    fn has(&self, k: usize) -> bool {
        self.0[k / 64] & (1 << (k % 64)) != 0
    }

    fn or_with(&mut self, other: &Self) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    fn and_with(&mut self, other: &Self) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
}

/// The instance addresses, sorted, to find the instances that hold one.
/// Addresses are kept as `u32`s: comparing those is much cheaper than
/// comparing `Ipv4Addr`s in a build optimised for size.
struct AddressIndex(Vec<(u32, usize)>);

impl AddressIndex {
    fn new(addresses: &[Option<Ipv4Addr>]) -> Self {
        let mut index: Vec<(u32, usize)> = addresses
            .iter()
            .enumerate()
            .filter_map(|(k, ip)| ip.map(|ip| (u32::from(ip), k)))
            .collect();
        index.sort_unstable();
        Self(index)
    }

    /// The instances whose primary private address is `ip`.
    fn lookup(&self, ip: Ipv4Addr) -> impl Iterator<Item = usize> + '_ {
        let ip = u32::from(ip);
        let start = self.0.partition_point(|(a, _)| *a < ip);
        self.0[start..]
            .iter()
            .take_while(move |(a, _)| *a == ip)
            .map(|(_, k)| *k)
    }
}

/// An IPv4 block as (network, mask): `ip` is inside when
/// `ip & mask == network`, as `Ipv4Net::contains` decides.
fn block_bits(net: &ipnet::Ipv4Net) -> (u32, u32) {
    let mask = u32::from(net.netmask());
    (u32::from(net.addr()) & mask, mask)
}

/// What a set of security group rules admits, for the four packets of a
/// pair: the request out of the client and into the server, the reply out
/// of the server and into the client. Each is the set of instance indices
/// whose address, as the peer of the rule (A7), is admitted. The flags say
/// what connection tracking needs to know (A13).
#[derive(Clone)]
struct GroupVerdicts {
    /// Outbound rules, request transport, peer = the destination (a column).
    request_out: Bits,
    /// Inbound rules, request transport, peer = the source (a row).
    request_in: Bits,
    /// Outbound rules, reply transport, peer = the client (a row).
    reply_out: Bits,
    /// Inbound rules, reply transport, peer = the server (a column).
    reply_in: Bits,
    /// An inbound rule for 0.0.0.0/0 allows the request's transport.
    opens_in: bool,
    /// An outbound rule for 0.0.0.0/0 allows the request's transport.
    opens_out: bool,
    /// An inbound rule for 0.0.0.0/0 allows every port of the protocol.
    all_replies_in: bool,
    /// An outbound rule for 0.0.0.0/0 allows every port of the protocol.
    all_replies_out: bool,
}

impl GroupVerdicts {
    fn none(n: usize) -> Self {
        Self {
            request_out: Bits::empty(n),
            request_in: Bits::empty(n),
            reply_out: Bits::empty(n),
            reply_in: Bits::empty(n),
            opens_in: false,
            opens_out: false,
            all_replies_in: false,
            all_replies_out: false,
        }
    }

    /// A9: the groups of an interface are one union of allow rules.
    fn add(&mut self, other: &Self) {
        self.request_out.or_with(&other.request_out);
        self.request_in.or_with(&other.request_in);
        self.reply_out.or_with(&other.reply_out);
        self.reply_in.or_with(&other.reply_in);
        self.opens_in |= other.opens_in;
        self.opens_out |= other.opens_out;
        self.all_replies_in |= other.all_replies_in;
        self.all_replies_out |= other.all_replies_out;
    }
}

/// Everything the pairs are judged with, precomputed per interface, subnet,
/// network ACL and VPC.
struct Plan<'a> {
    region: &'a RegionState,
    transport: Transport,
    n: usize,
    addresses: Vec<Option<Ipv4Addr>>,
    index: AddressIndex,
    /// The client interface of each row.
    clients: Vec<Option<usize>>,
    /// The interface that owns each column's address (what the trace
    /// delivers to: the first interface, by id, holding it).
    servers: Vec<Option<usize>>,
    interfaces: Vec<&'a NetworkInterface>,
    /// Per interface: the union of its groups' verdicts (A9).
    interface_verdicts: Vec<GroupVerdicts>,
    /// Per interface: whether its groups leave the request untracked on the
    /// way in (as a server) and on the way out (as a client) (A13).
    untracked_in: Vec<bool>,
    untracked_out: Vec<bool>,
    /// Per interface: its subnet's plan, and its VPC's.
    interface_subnet: Vec<usize>,
    interface_vpc: Vec<usize>,
    subnets: Vec<SubnetPlan>,
    vpcs: Vec<VpcPlan>,
    /// Whether any subnet routes an instance address to an internet
    /// gateway (then some pairs are traced the ordinary way).
    any_internet_route: bool,
    /// Columns whose address interfaces in several VPCs own (overlapping
    /// VPCs): traced the ordinary way.
    ambiguous: Bits,
}

/// Per subnet: routes and network ACL verdicts, by instance address.
struct SubnetPlan {
    /// Addresses the subnet's route table sends `local` (C2).
    local: Bits,
    /// Addresses it sends to an internet gateway (C3).
    internet: Bits,
    /// Rows whose client lives here, and columns whose server lives here
    /// (B7: the ACL is skipped between them).
    clients_here: Bits,
    servers_here: Bits,
    /// The subnet's network ACL (B1) on the four packets of a pair; empty
    /// sets (all denied) if the subnet has none.
    acl: AclVerdicts,
}

/// Per VPC: the columns whose server lives in it, and the instances whose
/// address is the VPC's DNS server (base + 2, A14).
struct VpcPlan {
    servers_here: Bits,
    dns: Bits,
}

/// One network ACL's verdicts, by instance address (B4, B8).
#[derive(Clone)]
struct AclVerdicts {
    /// Outbound, request transport, by destination address.
    request_out: Bits,
    /// Inbound, request transport, by source address.
    request_in: Bits,
    /// Outbound, reply transport, by destination address.
    reply_out: Bits,
    /// Inbound, reply transport, by source address.
    reply_in: Bits,
}

impl<'a> Plan<'a> {
    fn new(
        region: &'a RegionState,
        transport: Transport,
        clients: &[Option<&'a NetworkInterface>],
        addresses: &[Option<Ipv4Addr>],
    ) -> Self {
        let n = addresses.len();
        let index = AddressIndex::new(addresses);
        let reply = transport.reply();

        // One pass over every interface of the Region: who owns each
        // instance address first (the trace's `interface_with_private_address`),
        // and which groups each address carries (A8: a group reference
        // matches the private addresses of the interfaces that carry it).
        let mut owners: Vec<Option<&NetworkInterface>> = vec![None; n];
        let mut ambiguous = Bits::empty(n);
        let mut members: BTreeMap<&SecurityGroupId, Bits> = BTreeMap::new();
        for eni in region.network_interfaces.values() {
            let own =
                std::iter::once(eni.private_ip).chain(eni.secondary_private_ips.iter().copied());
            for ip in own {
                for k in index.lookup(ip) {
                    // VPCs may overlap: an address owned in two VPCs names a
                    // different interface for each client's VPC; such
                    // columns are traced the ordinary way.
                    if owners[k].is_some_and(|first| first.vpc_id != eni.vpc_id) {
                        ambiguous.set(k);
                    }
                    owners[k].get_or_insert(eni);
                    for group in &eni.security_groups {
                        members
                            .entry(group)
                            .or_insert_with(|| Bits::empty(n))
                            .set(k);
                    }
                }
            }
        }

        let mut interfaces: Vec<&NetworkInterface> = Vec::new();
        let mut interface_index: BTreeMap<&NetworkInterfaceId, usize> = BTreeMap::new();
        let mut intern = |eni: &'a NetworkInterface| -> usize {
            *interface_index.entry(&eni.id).or_insert_with(|| {
                interfaces.push(eni);
                interfaces.len() - 1
            })
        };
        let clients: Vec<Option<usize>> = clients.iter().map(|c| c.map(&mut intern)).collect();
        let servers: Vec<Option<usize>> = owners.iter().map(|s| s.map(&mut intern)).collect();

        // Security groups: every rule's peer judged once per instance
        // address, and shared by the rules that name the same peer.
        let mut peers: BTreeMap<PeerKey<'a>, Bits> = BTreeMap::new();
        let mut group_slots: BTreeMap<&SecurityGroupId, Option<GroupVerdicts>> = BTreeMap::new();
        let mut interface_verdicts = Vec::with_capacity(interfaces.len());
        for eni in &interfaces {
            let mut union = GroupVerdicts::none(n);
            for group_id in &eni.security_groups {
                let slot = group_slots.entry(group_id).or_insert_with(|| {
                    let group = region.security_groups.get(group_id)?;
                    let mut verdicts = GroupVerdicts::none(n);
                    for (egress, rules) in [(false, &group.ingress), (true, &group.egress)] {
                        for rule in rules {
                            // A10: protocol and ports first; A2: any rule will do.
                            let for_request =
                                protocol_and_ports_match(rule.protocol, rule.ports, transport);
                            let for_reply =
                                protocol_and_ports_match(rule.protocol, rule.ports, reply);
                            // A13: what makes a flow untracked.
                            if open_to_everyone(&rule.peer) {
                                let all_ports = allows_every_port(rule, transport);
                                if egress {
                                    verdicts.opens_out |= for_request;
                                    verdicts.all_replies_out |= all_ports;
                                } else {
                                    verdicts.opens_in |= for_request;
                                    verdicts.all_replies_in |= all_ports;
                                }
                            }
                            if !for_request && !for_reply {
                                continue;
                            }
                            let peer = peers.entry(PeerKey::of(&rule.peer)).or_insert_with(|| {
                                peer_set(region, &rule.peer, addresses, &members)
                            });
                            let (request_set, reply_set) = if egress {
                                (&mut verdicts.request_out, &mut verdicts.reply_out)
                            } else {
                                (&mut verdicts.request_in, &mut verdicts.reply_in)
                            };
                            if for_request {
                                request_set.or_with(peer);
                            }
                            if for_reply {
                                reply_set.or_with(peer);
                            }
                        }
                    }
                    Some(verdicts)
                });
                // A missing group allows nothing, as in the trace.
                if let Some(verdicts) = slot {
                    union.add(verdicts);
                }
            }
            interface_verdicts.push(union);
        }
        // A13: TCP or UDP opened to everyone one way, with every reply
        // allowed to everyone the other way; ICMP is always tracked.
        let ports = matches!(transport, Transport::Tcp { .. } | Transport::Udp { .. });
        let untracked_in = interface_verdicts
            .iter()
            .map(|v| ports && v.opens_in && v.all_replies_out)
            .collect();
        let untracked_out = interface_verdicts
            .iter()
            .map(|v| ports && v.opens_out && v.all_replies_in)
            .collect();

        // Subnets and VPCs: routes, network ACLs, who lives where.
        let mut acls: BTreeMap<&NetworkAclId, AclVerdicts> = BTreeMap::new();
        let mut routes: BTreeMap<&RouteTableId, (Bits, Bits)> = BTreeMap::new();
        let mut subnet_index: BTreeMap<&SubnetId, usize> = BTreeMap::new();
        let mut vpc_index: BTreeMap<&VpcId, usize> = BTreeMap::new();
        let mut subnets: Vec<SubnetPlan> = Vec::new();
        let mut vpcs: Vec<VpcPlan> = Vec::new();
        let mut interface_subnet = Vec::with_capacity(interfaces.len());
        let mut interface_vpc = Vec::with_capacity(interfaces.len());
        for eni in &interfaces {
            let vpc = *vpc_index.entry(&eni.vpc_id).or_insert_with(|| {
                let mut dns = Bits::empty(n);
                if let Some(vpc) = region.vpcs.get(&eni.vpc_id) {
                    // A14: the VPC's DNS server at its base address plus two.
                    let base = u32::from(vpc.cidr_block.network());
                    for k in index.lookup(Ipv4Addr::from(base.wrapping_add(2))) {
                        dns.set(k);
                    }
                }
                vpcs.push(VpcPlan {
                    servers_here: Bits::empty(n),
                    dns,
                });
                vpcs.len() - 1
            });
            interface_vpc.push(vpc);
            let subnet = *subnet_index.entry(&eni.subnet_id).or_insert_with(|| {
                let (local, internet) = match region.route_table_of(&eni.subnet_id) {
                    Some(table) => routes
                        .entry(&table.id)
                        .or_insert_with(|| {
                            let mut local = Bits::empty(n);
                            let mut internet = Bits::empty(n);
                            for (k, ip) in addresses.iter().enumerate() {
                                let Some(ip) = ip else { continue };
                                // C2: the longest prefix wins; a blackhole drops.
                                match table.route_for(IpAddr::V4(*ip)) {
                                    Some(route) if !route.blackhole => match route.target {
                                        RouteTarget::Local => local.set(k),
                                        RouteTarget::InternetGateway(_) => internet.set(k),
                                        RouteTarget::Other { .. } => {}
                                    },
                                    _ => {}
                                }
                            }
                            (local, internet)
                        })
                        .clone(),
                    // Without a route table nothing is routed (C2).
                    None => (Bits::empty(n), Bits::empty(n)),
                };
                let acl = match region.network_acl_of(&eni.subnet_id) {
                    Some(acl) => acls
                        .entry(&acl.id)
                        .or_insert_with(|| AclVerdicts {
                            request_out: acl_admits(acl, true, transport, addresses),
                            request_in: acl_admits(acl, false, transport, addresses),
                            reply_out: acl_admits(acl, true, reply, addresses),
                            reply_in: acl_admits(acl, false, reply, addresses),
                        })
                        .clone(),
                    // Without an ACL the trace denies at the subnet boundary.
                    None => AclVerdicts {
                        request_out: Bits::empty(n),
                        request_in: Bits::empty(n),
                        reply_out: Bits::empty(n),
                        reply_in: Bits::empty(n),
                    },
                };
                subnets.push(SubnetPlan {
                    local,
                    internet,
                    clients_here: Bits::empty(n),
                    servers_here: Bits::empty(n),
                    acl,
                });
                subnets.len() - 1
            });
            interface_subnet.push(subnet);
        }
        for (k, client) in clients.iter().enumerate() {
            if let Some(c) = *client {
                subnets[interface_subnet[c]].clients_here.set(k);
            }
        }
        for (k, server) in servers.iter().enumerate() {
            if let Some(s) = *server {
                subnets[interface_subnet[s]].servers_here.set(k);
                vpcs[interface_vpc[s]].servers_here.set(k);
            }
        }
        let any_internet_route = subnets.iter().any(|plan| !plan.internet.is_empty());

        Self {
            region,
            transport,
            n,
            addresses: addresses.to_vec(),
            index,
            clients,
            servers,
            interfaces,
            interface_verdicts,
            untracked_in,
            untracked_out,
            interface_subnet,
            interface_vpc,
            subnets,
            vpcs,
            any_internet_route,
            ambiguous,
        }
    }

    /// Judges every pair into the matrix.
    fn fill(&self, matrix: &mut ReachabilityMatrix) {
        let n = self.n;
        let words = matrix.words;
        // A14: the metadata, DNS and time services are never filtered.
        let mut services = Bits::empty(n);
        for ip in [
            Ipv4Addr::new(169, 254, 169, 254),
            Ipv4Addr::new(169, 254, 169, 253),
            Ipv4Addr::new(169, 254, 169, 123),
        ] {
            for k in self.index.lookup(ip) {
                services.set(k);
            }
        }

        // Per column: the rows its server accepts and answers (request in,
        // reply out, C5 steps 5, 6, 1', 2', 3'), flat: column j's words
        // start at j * words.
        let server_rows: Vec<u64> = self
            .servers
            .iter()
            .flat_map(|server| match *server {
                Some(s) => self.server_rows(s).0,
                None => vec![0; words],
            })
            .collect();

        let mut slow: Vec<(usize, usize)> = Vec::new();
        for (i, client) in self.clients.iter().enumerate() {
            let Some(c) = *client else { continue };
            let row = &mut matrix.cells[i * words..(i + 1) * words];
            let subnet = &self.subnets[self.interface_subnet[c]];
            let vpc = &self.vpcs[self.interface_vpc[c]];
            let verdicts = &self.interface_verdicts[c];
            // C5 step 1: the client's groups, outbound.
            let mut columns = verdicts.request_out.clone();
            // C5 step 2: the local route, to a server in the same VPC.
            columns.and_with(&subnet.local);
            columns.and_with(&vpc.servers_here);
            // C5 steps 3 and 4': the client subnet's ACL, out for the request
            // and in for the reply, unless both ends share the subnet (B7).
            let mut acl = subnet.acl.request_out.clone();
            acl.and_with(&subnet.acl.reply_in);
            acl.or_with(&subnet.servers_here);
            columns.and_with(&acl);
            // C5 step 5': an untracked reply needs an inbound rule (A13).
            if self.untracked_out[c] {
                columns.and_with(&verdicts.reply_in);
            }
            let (row_word, row_bit) = (i / 64, 1u64 << (i % 64));
            for (w, word) in columns.0.iter().enumerate() {
                let mut bits = *word;
                while bits != 0 {
                    let j = w * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    if server_rows[j * words + row_word] & row_bit != 0 {
                        row[w] |= 1 << (j % 64);
                    }
                }
            }
            // A14: the link-local services and the VPC's DNS server are
            // reached whatever the filters say.
            let mut unfiltered = services.clone();
            unfiltered.or_with(&vpc.dns);
            for (w, word) in unfiltered.0.iter().enumerate() {
                row[w] |= word;
            }

            for j in 0..n {
                if self.ambiguous.has(j) && !unfiltered.has(j) {
                    slow.push((i, j));
                }
            }
            // Routes through the internet gateway: the request's (C3) or,
            // after a request delivered inside the VPC, the reply's.
            if !self.any_internet_route {
                continue;
            }
            for j in 0..n {
                if unfiltered.has(j) {
                    continue;
                }
                if subnet.internet.has(j) && verdicts.request_out.has(j) {
                    let owned_publicly = self.addresses[j]
                        .is_some_and(|ip| self.region.interface_with_public_address(ip).is_some());
                    let private = self.addresses[j].is_some_and(|ip| is_private(IpAddr::V4(ip)));
                    // A private address with no public owner is never
                    // reached over the internet; anything else is traced.
                    if owned_publicly || !private {
                        slow.push((i, j));
                    }
                } else if self.reply_needs_internet(i, c, j) {
                    slow.push((i, j));
                }
            }
        }
        for (i, j) in slow {
            let (Some(c), Some(ip)) = (self.clients[i], self.addresses[j]) else {
                continue;
            };
            let flow = Flow {
                source: Source::Interface(self.interfaces[c].id.clone()),
                destination: IpAddr::V4(ip),
                transport: self.transport,
            };
            let bit = 1 << (j % 64);
            let word = &mut matrix.cells[i * words + j / 64];
            if self.region.trace(&flow).blocked_by.is_none() {
                *word |= bit;
            } else {
                *word &= !bit;
            }
        }
    }

    /// The rows whose requests the server interface `s` accepts and whose
    /// replies it sends back, as far as its own side decides.
    fn server_rows(&self, s: usize) -> Bits {
        let subnet = &self.subnets[self.interface_subnet[s]];
        let verdicts = &self.interface_verdicts[s];
        // C5 step 6: the server's groups, inbound.
        let mut rows = verdicts.request_in.clone();
        // C5 step 1': a tracked reply passes the groups (A3); an untracked
        // one needs an outbound rule (A13).
        if self.untracked_in[s] {
            rows.and_with(&verdicts.reply_out);
        }
        // C5 step 2': the reply's route back to the client.
        rows.and_with(&subnet.local);
        // C5 steps 5 and 3': the server subnet's ACL, in for the request and
        // out for the reply, unless both ends share the subnet (B7).
        let mut acl = subnet.acl.request_in.clone();
        acl.and_with(&subnet.acl.reply_out);
        acl.or_with(&subnet.clients_here);
        rows.and_with(&acl);
        rows
    }

    /// Whether the request from row `i` (client interface `c`) to column `j`
    /// is delivered inside the VPC but the reply is routed to the internet
    /// gateway: a path the trace follows through public addresses.
    fn reply_needs_internet(&self, i: usize, c: usize, j: usize) -> bool {
        let Some(s) = self.servers[j] else {
            return false;
        };
        let client_subnet = &self.subnets[self.interface_subnet[c]];
        let server_subnet = &self.subnets[self.interface_subnet[s]];
        if !server_subnet.internet.has(i) {
            return false;
        }
        let same_subnet = self.interface_subnet[c] == self.interface_subnet[s];
        self.interface_vpc[c] == self.interface_vpc[s]
            && self.interface_verdicts[c].request_out.has(j)
            && client_subnet.local.has(j)
            && (same_subnet
                || (client_subnet.acl.request_out.has(j) && server_subnet.acl.request_in.has(i)))
            && self.interface_verdicts[s].request_in.has(i)
    }
}

/// Whether a rule's peer is everyone on IPv4 (0.0.0.0/0), as connection
/// tracking asks for an IPv4 flow (A13).
fn open_to_everyone(peer: &RulePeer) -> bool {
    matches!(peer, RulePeer::Cidr(net) if net.prefix_len() == 0)
}

/// Whether a rule allows every reply of the transport's protocol: all
/// protocols, or the protocol on ports 0-65535 (A13).
fn allows_every_port(rule: &SecurityGroupRule, transport: Transport) -> bool {
    rule.protocol == IpProtocol::All
        || (rule.protocol.number() == Some(transport.protocol())
            && rule.ports.is_none_or(|(from, to)| from <= 0 && to >= 65535))
}

/// A rule's peer, as a key that compares cheaply: blocks as numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PeerKey<'a> {
    Cidr(u32, u32),
    Ipv6Cidr,
    SecurityGroup(&'a SecurityGroupId),
    PrefixList(&'a crate::ids::PrefixListId),
}

impl<'a> PeerKey<'a> {
    fn of(peer: &'a RulePeer) -> Self {
        match peer {
            RulePeer::Cidr(net) => {
                let (network, mask) = block_bits(net);
                Self::Cidr(network, mask)
            }
            RulePeer::Ipv6Cidr(_) => Self::Ipv6Cidr,
            RulePeer::SecurityGroup(id) => Self::SecurityGroup(id),
            RulePeer::PrefixList(id) => Self::PrefixList(id),
        }
    }
}

/// The instance addresses a rule's peer covers (A7, A8).
fn peer_set(
    region: &RegionState,
    peer: &RulePeer,
    addresses: &[Option<Ipv4Addr>],
    members: &BTreeMap<&SecurityGroupId, Bits>,
) -> Bits {
    let n = addresses.len();
    let mut set = Bits::empty(n);
    let mut each = |covers: &dyn Fn(Ipv4Addr) -> bool| {
        for (k, ip) in addresses.iter().enumerate() {
            if ip.is_some_and(covers) {
                set.set(k);
            }
        }
    };
    match peer {
        RulePeer::Cidr(net) => {
            let (network, mask) = block_bits(net);
            each(&|ip| u32::from(ip) & mask == network);
        }
        // An IPv6 block never covers an IPv4 address.
        RulePeer::Ipv6Cidr(_) => {}
        // A8: the private addresses of the interfaces that carry the group.
        RulePeer::SecurityGroup(group) => {
            if let Some(members) = members.get(group) {
                return members.clone();
            }
        }
        RulePeer::PrefixList(id) => {
            if let Some(list) = region.prefix_lists.get(id) {
                each(&|ip| list.entry_for(IpAddr::V4(ip)).is_some());
            }
        }
    }
    set
}

/// The addresses a network ACL lets through in one direction, for one
/// transport: by destination going out, by source coming in (B8).
fn acl_admits(
    acl: &NetworkAcl,
    egress: bool,
    transport: Transport,
    addresses: &[Option<Ipv4Addr>],
) -> Bits {
    // B4: lowest rule number first. Whether an entry matches the transport
    // does not depend on the address, so ask `matches` once per entry, with
    // a packet whose peer is inside the entry's own block.
    let mut entries: Vec<_> = acl.entries.iter().filter(|e| e.egress == egress).collect();
    entries.sort_by_key(|e| e.rule_number);
    let relevant: Vec<((u32, u32), bool)> = entries
        .into_iter()
        .filter_map(|entry| {
            // B8: IPv4 traffic is judged by IPv4 entries only.
            let IpNet::V4(block) = entry.cidr_block else {
                return None;
            };
            let peer = IpAddr::V4(block.network());
            let probe = Packet {
                src: peer,
                dst: peer,
                transport,
            };
            entry
                .matches(&probe)
                .then_some((block_bits(&block), entry.action == RuleAction::Allow))
        })
        .collect();
    let mut set = Bits::empty(addresses.len());
    for (k, ip) in addresses.iter().enumerate() {
        let Some(ip) = ip else { continue };
        let ip = u32::from(*ip);
        // B4: the first match decides; no match is the `*` entry's deny.
        if relevant
            .iter()
            .find(|((network, mask), _)| ip & mask == *network)
            .is_some_and(|(_, allow)| *allow)
        {
            set.set(k);
        }
    }
    set
}

/// Whether an address is never routed on the internet (as the trace decides).
fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private() || v4.is_link_local() || v4.is_loopback(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xfe00) == 0xfc00 || v6.is_loopback(),
    }
}

/// The transport in words, for the grid's title.
fn describe(transport: Transport) -> String {
    match transport {
        Transport::Tcp { src_port, dst_port } => {
            format!("TCP port {dst_port} (client port {src_port})")
        }
        Transport::Udp { src_port, dst_port } => {
            format!("UDP port {dst_port} (client port {src_port})")
        }
        Transport::Icmp {
            v6: false,
            icmp_type: 8,
            icmp_code: 0,
        } => "ICMP echo request (ping)".to_owned(),
        Transport::Icmp {
            v6: true,
            icmp_type: 128,
            icmp_code: 0,
        } => "ICMPv6 echo request (ping6)".to_owned(),
        Transport::Icmp {
            v6,
            icmp_type,
            icmp_code,
        } => format!(
            "{} type {icmp_type} code {icmp_code}",
            if v6 { "ICMPv6" } else { "ICMP" }
        ),
        Transport::Other(n) => format!("IP protocol {n}"),
    }
}

impl fmt::Display for ReachabilityMatrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.len();
        let plural = if n == 1 { "" } else { "s" };
        writeln!(
            f,
            "Reachability on {} between {n} running instance{plural}",
            describe(self.transport)
        )?;
        if n == 0 {
            return Ok(());
        }
        if n <= GRID_LIMIT {
            writeln!(
                f,
                "Each row is a client; each column, numbered as the rows, a server reached at its private IPv4 address."
            )?;
            writeln!(f, "✓ request and reply delivered, · blocked.")?;
            let number_width = n.to_string().len();
            let label_width = self
                .labels
                .iter()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(0);
            let corner = "from \\ to";
            let left = (number_width + 1 + label_width).max(corner.len());
            let mut header = format!("{corner:<left$}");
            for j in 0..n {
                header.push_str(&format!(" {:>number_width$}", j + 1));
            }
            writeln!(f, "{header}")?;
            for (i, label) in self.labels.iter().enumerate() {
                let name = format!("{:>number_width$} {label}", i + 1);
                let mut line = format!("{name:<left$}");
                for j in 0..n {
                    let mark = if self.allowed(i, j) { "✓" } else { "·" };
                    line.push_str(&format!(" {mark:>number_width$}"));
                }
                writeln!(f, "{line}")?;
            }
        } else {
            writeln!(f, "(The grid is drawn for at most {GRID_LIMIT} instances.)")?;
        }
        writeln!(
            f,
            "{} of {} ordered pairs reachable (an instance with itself included).",
            self.count_allowed(),
            n * n
        )
    }
}
