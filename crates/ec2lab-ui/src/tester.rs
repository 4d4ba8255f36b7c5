//! The traffic tester: pick a source, a destination, a protocol and a port,
//! and see the flow traced hop by hop, request and reply, with the rule that
//! decided, the explanation, and a button that applies the suggested fix.
//! The trace is redone whenever the lab changes, so a rule edit shows its
//! effect at once. The rule that decided is handed on for the inspector to
//! mark, and a flow stopped by a security group or network ACL offers to
//! show it there.

use std::net::{IpAddr, Ipv4Addr};

use ec2lab_sim::{Answer, Flow, InstanceId, InstanceState, RegionState, Source, Trace, Transport};
use yew::prelude::*;

use crate::model::{Action, LabView};

/// An end of a tested flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// An instance.
    Instance(InstanceId),
    /// A host on the internet (203.0.113.10).
    Internet,
}

/// What the tester's Source and Destination offer: the internet first, then
/// every instance that still has a network interface (a terminated one has
/// none), by name, with its state when it is not running.
pub fn endpoints(region: &RegionState) -> Vec<(Endpoint, String)> {
    let mut ends = vec![(Endpoint::Internet, "The internet".to_owned())];
    for instance in region.instances.values() {
        if instance.state == InstanceState::Terminated {
            continue;
        }
        let name = instance.tags.get("Name").unwrap_or("(no name)");
        let mut label = format!("{name} ({})", instance.id);
        if instance.state != InstanceState::Running {
            label.push_str(&format!(" · {}", instance.state));
        }
        ends.push((Endpoint::Instance(instance.id.clone()), label));
    }
    ends
}

/// The destination the tester starts with: the first running instance,
/// else the first instance, else the internet.
pub fn default_destination(region: &RegionState) -> Endpoint {
    region
        .instances
        .values()
        .filter(|i| i.state != InstanceState::Terminated)
        .min_by_key(|i| i.state != InstanceState::Running)
        .map_or(Endpoint::Internet, |i| Endpoint::Instance(i.id.clone()))
}

/// The address a host on the internet uses.
pub const INTERNET_HOST: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 10);

/// The flow from `source` to `destination`: an instance is reached at its
/// private address from inside its VPC, else at its public one (as
/// `lab trace` does).
pub fn flow_for(
    region: &RegionState,
    source: &Endpoint,
    destination: &Endpoint,
    protocol: &str,
    port: u16,
) -> Result<Flow, String> {
    let eni_of = |id: &InstanceId| {
        region
            .instances
            .get(id)
            .and_then(|i| region.primary_interface(i))
            .ok_or_else(|| format!("{id} has no network interface"))
    };
    let (src, src_vpc) = match source {
        Endpoint::Internet => (Source::Internet(IpAddr::V4(INTERNET_HOST)), None),
        Endpoint::Instance(id) => {
            let eni = eni_of(id)?;
            (Source::Interface(eni.id.clone()), Some(eni.vpc_id.clone()))
        }
    };
    let destination = match destination {
        Endpoint::Internet => IpAddr::V4(Ipv4Addr::new(93, 184, 215, 14)),
        Endpoint::Instance(id) => {
            let eni = eni_of(id)?;
            if src_vpc.as_ref() == Some(&eni.vpc_id) {
                IpAddr::V4(eni.private_ip)
            } else {
                eni.public_ip
                    .map(IpAddr::V4)
                    .unwrap_or(IpAddr::V4(eni.private_ip))
            }
        }
    };
    let transport = match protocol {
        "tcp" => Transport::Tcp {
            src_port: 49152,
            dst_port: port,
        },
        "udp" => Transport::Udp {
            src_port: 49152,
            dst_port: port,
        },
        _ => Transport::Icmp {
            v6: false,
            icmp_type: 8,
            icmp_code: 0,
        },
    };
    Ok(Flow {
        source: src,
        destination,
        transport,
    })
}

/// The verdict in words (never colour alone).
pub fn verdict(trace: &Trace) -> &'static str {
    match (&trace.blocked_by, trace.request_delivered, &trace.answer) {
        (None, _, Some(Answer::Refused)) => "CONNECTION REFUSED",
        (None, _, _) => "ALLOWED",
        (Some(_), true, _) => "BLOCKED (reply)",
        (Some(_), false, _) => "BLOCKED (request)",
    }
}

/// The diagram nodes a trace passes, in order, each with whether the packet
/// went on there: the instances at either end, their subnets (route table
/// and network ACL), the internet gateway. The last one that said no is
/// where the flow stopped.
pub fn path_nodes(
    region: &RegionState,
    trace: &Trace,
    source: &Endpoint,
    destination: &Endpoint,
) -> Vec<(String, bool)> {
    use ec2lab_sim::{Component, Direction};
    let instance = |e: &Endpoint| match e {
        Endpoint::Instance(id) => Some(id.to_string()),
        Endpoint::Internet => None,
    };
    let subnet = |e: &Endpoint| match e {
        Endpoint::Instance(id) => region.instances.get(id).map(|i| i.subnet_id.to_string()),
        Endpoint::Internet => None,
    };
    let mut nodes: Vec<(String, bool)> = Vec::new();
    let mut push = |id: Option<String>, allowed: bool| {
        if let Some(id) = id {
            match nodes.iter_mut().find(|(n, _)| *n == id) {
                Some(existing) => existing.1 &= allowed,
                None => nodes.push((id, allowed)),
            }
        }
    };
    for (reply, hop) in trace
        .request
        .iter()
        .map(|h| (false, h))
        .chain(trace.reply.iter().map(|h| (true, h)))
    {
        // The request goes source → destination; the reply comes back.
        let (near, far) = if reply {
            (destination, source)
        } else {
            (source, destination)
        };
        let outbound = hop.direction == Some(Direction::Egress);
        let side = if outbound { near } else { far };
        match hop.component {
            Component::SecurityGroup => push(instance(side), hop.allowed),
            Component::NetworkAcl => push(subnet(side), hop.allowed),
            Component::RouteTable => push(subnet(near), hop.allowed),
            Component::InternetGateway => push(Some(hop.resource.clone()), hop.allowed),
            Component::Destination => push(instance(far).or_else(|| instance(near)), hop.allowed),
            _ => push(instance(near), hop.allowed),
        }
    }
    nodes
}

/// The filter rule that decided a traced flow, for the inspector to mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decided {
    /// The security group or network ACL (when no security group rule
    /// matched, the interface's groups joined by `+`, as the hop names them).
    pub resource: String,
    /// Whether it is an outbound rule.
    pub egress: bool,
    /// The rule: a security group rule as the core writes it (`tcp 80
    /// 0.0.0.0/0`) or a network ACL rule number (`32767` for `*`); `None`
    /// when no security group rule allowed the flow (A1).
    pub rule: Option<String>,
    /// Whether the flow was stopped there.
    pub blocked: bool,
}

/// The rule that decided a flow, if a security group or a network ACL
/// did: where a blocked flow stopped; for a flow that got through, the last
/// security group rule its request passed (the destination's inbound rule
/// that let it in, C5 step 6). `None` when something else decided (a route,
/// the internet gateway, A14's unfiltered services).
pub fn deciding_rule(trace: &Trace) -> Option<Decided> {
    use ec2lab_sim::{Decision, Direction};
    let hop = if trace.blocked_by.is_some() {
        trace
            .request
            .iter()
            .chain(&trace.reply)
            .find(|h| !h.allowed)?
    } else {
        trace
            .request
            .iter()
            .rev()
            .find(|h| matches!(h.decision, Decision::SecurityGroupRule(..)))?
    };
    let egress = hop.direction == Some(Direction::Egress);
    let (resource, rule) = match &hop.decision {
        Decision::SecurityGroupRule(group, rule) => (group.to_string(), Some(rule.to_string())),
        Decision::NoSecurityGroupRule => (hop.resource.clone(), None),
        Decision::NetworkAclEntry(entry) => {
            (hop.resource.clone(), Some(entry.rule_number.to_string()))
        }
        _ => return None,
    };
    Some(Decided {
        resource,
        egress,
        rule,
        blocked: !hop.allowed,
    })
}

/// The security groups or network ACL a blocked flow stopped at, to offer
/// them in the inspector; empty if it was not stopped by one.
pub fn stop_resources(trace: &Trace) -> Vec<String> {
    use ec2lab_sim::Component;
    match &trace.blocked_by {
        Some(b)
            if matches!(
                b.component,
                Component::SecurityGroup | Component::NetworkAcl
            ) =>
        {
            b.resource.split('+').map(str::to_owned).collect()
        }
        _ => Vec::new(),
    }
}

/// Properties of [`TrafficTester`].
#[derive(Properties, PartialEq)]
pub struct TesterProps {
    /// The lab.
    pub lab: LabView,
    /// Performs an action (the suggested fix).
    pub on_action: Callback<Action>,
    /// The diagram nodes of the last trace, to light up (empty: none).
    #[prop_or_default]
    pub on_path: Callback<Vec<(String, bool)>>,
    /// The rule that decided the last trace ([`deciding_rule`]), for the
    /// inspector to mark.
    #[prop_or_default]
    pub on_decided: Callback<Option<Decided>>,
    /// Selects a resource the trace stopped at (a security group or network ACL).
    #[prop_or_default]
    pub on_select: Callback<String>,
}

#[derive(Clone, PartialEq)]
struct Request {
    source: Endpoint,
    /// `None` until the learner picks one: [`default_destination`].
    destination: Option<Endpoint>,
    protocol: String,
    port: u16,
}

/// The traffic tester.
#[function_component(TrafficTester)]
pub fn traffic_tester(props: &TesterProps) -> Html {
    // The form's values live outside the render state, so successive edits
    // never read a stale copy; a change re-renders (the port field follows
    // the protocol). Ends are kept as what they are, not as positions in
    // the list, so a launch or a termination never changes the learner's
    // choice behind their back.
    let form = use_mut_ref(|| Request {
        source: Endpoint::Internet,
        destination: None,
        protocol: "tcp".into(),
        port: 80,
    });
    let asked = use_state(|| None::<Request>);
    let redraw = use_force_update();
    let Some(region) = props.lab.world.region(&props.lab.region) else {
        return Html::default();
    };
    let ends = std::rc::Rc::new(endpoints(region));
    {
        // An end that is gone (terminated, or in another Region) falls
        // back to the default.
        let mut form = form.borrow_mut();
        if !ends.iter().any(|(e, _)| *e == form.source) {
            form.source = Endpoint::Internet;
        }
        if form
            .destination
            .as_ref()
            .is_some_and(|d| !ends.iter().any(|(e, _)| e == d))
        {
            form.destination = None;
        }
    }
    let destination_of = |request: &Request| {
        request
            .destination
            .clone()
            .unwrap_or_else(|| default_destination(region))
    };
    let select = |label: &str, value: &Endpoint, set: fn(&mut Request, Endpoint)| {
        let form = form.clone();
        let options = ends.clone();
        let onchange = Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let picked = usize::try_from(select.selected_index()).ok();
                if let Some((end, _)) = picked.and_then(|i| options.get(i)) {
                    set(&mut form.borrow_mut(), end.clone());
                }
            }
        });
        html! {
            <label>{ label }
                <select {onchange}>
                    { for ends.iter().map(|(end, name)| html! {
                        <option selected={end == value}>{ name.clone() }</option>
                    }) }
                </select>
            </label>
        }
    };
    let on_protocol = {
        let form = form.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                form.borrow_mut().protocol = select.value();
                redraw.force_update();
            }
        })
    };
    let on_port = {
        let form = form.clone();
        Callback::from(move |event: Event| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                let mut form = form.borrow_mut();
                form.port = input.value().parse().unwrap_or(form.port);
            }
        })
    };
    let on_test = {
        let form = form.clone();
        let asked = asked.clone();
        // What was asked is kept whole: the destination on screen, even if
        // it was the default and a later launch would change the default.
        let shown = destination_of(&form.borrow());
        Callback::from(move |_| {
            let mut request = form.borrow().clone();
            request.destination.get_or_insert_with(|| shown.clone());
            asked.set(Some(request));
        })
    };
    let form = form.borrow().clone();
    // The asked flow, traced once per render (the lab may have changed).
    let traced = asked.as_ref().map(|request| {
        let (source, destination) = (request.source.clone(), destination_of(request));
        flow_for(
            region,
            &source,
            &destination,
            &request.protocol,
            request.port,
        )
        .map(|flow| (source, destination, region.trace(&flow)))
    });
    let result = traced.as_ref().map(|traced| {
        match traced {
            Err(why) => html! { <p role="alert">{ why }</p> },
            Ok((_, _, trace)) => {
                let verdict = verdict(trace);
                let hops = trace.request.iter().map(|h| ("request", h)).chain(trace.reply.iter().map(|h| ("reply", h)));
                let fix = trace.fix.as_ref().map(|fix| {
                    let action = Action::Fix { command: fix.command.clone(), cli: fix.cli.clone() };
                    let on_action = props.on_action.clone();
                    html! {
                        <div class="fix">
                            <p>{ format!("Fix: {}", fix.description) }</p>
                            <code>{ fix.cli.clone() }</code>
                            <button type="button" class="tool primary"
                                onclick={Callback::from(move |_| on_action.emit(action.clone()))}>{ "Apply fix" }</button>
                        </div>
                    }
                });
                let stops = stop_resources(trace).into_iter().map(|id| {
                    let on_select = props.on_select.clone();
                    let what = if id.starts_with("acl-") { "network ACL" } else { "security group" };
                    let label = format!("Show {what} {id} in the inspector");
                    html! {
                        <button type="button" class="tool"
                            onclick={Callback::from(move |_| on_select.emit(id.clone()))}>{ label }</button>
                    }
                });
                html! {
                    <div class="trace">
                        <p class={classes!("verdict", if verdict == "ALLOWED" { "allowed" } else { "blocked" })}>
                            <span aria-hidden="true">{ if verdict == "ALLOWED" { "✓ " } else { "✗ " } }</span>
                            { format!("{verdict}: {}", trace.packet) }
                        </p>
                        <ol class="hops">
                            { for hops.map(|(phase, hop)| html! {
                                <li class={classes!((!hop.allowed).then_some("denied"))}>
                                    { format!("{phase}: {hop}") }
                                </li>
                            }) }
                        </ol>
                        <p class="why">{ trace.explanation.clone() }</p>
                        { for stops }
                        { for fix }
                    </div>
                }
            }
        }
    });
    // Light the path on the diagram whenever the trace may have changed.
    {
        let path =
            traced
                .as_ref()
                .and_then(|t| t.as_ref().ok())
                .map(|(source, destination, trace)| {
                    (
                        path_nodes(region, trace, source, destination),
                        deciding_rule(trace),
                    )
                });
        let (on_path, on_decided) = (props.on_path.clone(), props.on_decided.clone());
        use_effect_with(path, move |path| {
            let (nodes, decided) = path.clone().unwrap_or_default();
            on_path.emit(nodes);
            on_decided.emit(decided);
        });
    }
    let announce = traced
        .as_ref()
        .and_then(|t| t.as_ref().ok())
        .map(|(_, _, trace)| format!("Traffic test: {}", verdict(trace)));
    html! {
        <section class="tester" aria-label="Traffic tester">
            <h2>{ "Traffic tester" }</h2>
            <div class="tester-form">
                { select("Source", &form.source, |r, e| r.source = e) }
                { select("Destination", &destination_of(&form), |r, e| r.destination = Some(e)) }
                <label>{ "Protocol" }
                    <select onchange={on_protocol}>
                        { for ["tcp", "udp", "icmp"].iter().map(|p| html! {
                            <option value={*p} selected={form.protocol == *p}>{ p.to_ascii_uppercase() }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Port" }
                    <input type="number" min="0" max="65535" value={form.port.to_string()}
                        disabled={form.protocol == "icmp"} onchange={on_port} />
                </label>
                <button type="button" class="tool primary" onclick={on_test}>{ "Test traffic" }</button>
            </div>
            <p class="visually-hidden" role="status" aria-live="polite">{ announce.unwrap_or_default() }</p>
            { for result }
        </section>
    }
}
