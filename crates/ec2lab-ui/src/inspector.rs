//! The inspector: the selected resource's details, its instance controls,
//! and its filters as editable tables — an instance's security group rules
//! and a subnet's network ACL entries. Input is checked before anything is
//! done; a bad CIDR, a rule number out of range or a backwards port range is
//! refused beside the field with the reason, and nothing is half-applied.

use ec2lab_sim::{
    InstanceId, IpProtocol, NetworkAclEntry, NetworkAclId, RegionState, RuleAction, RulePeer,
    SecurityGroupId, SecurityGroupRule, MAX_RULE_NUMBER,
};
use yew::prelude::*;

use crate::model::{Action, LabView, Lifecycle};

/// A protocol from a form's select.
fn protocol(text: &str) -> Result<IpProtocol, String> {
    match text {
        "tcp" => Ok(IpProtocol::Tcp),
        "udp" => Ok(IpProtocol::Udp),
        "icmp" => Ok(IpProtocol::Icmp),
        "all" | "-1" => Ok(IpProtocol::All),
        other => Err(format!(
            "'{other}' is not a protocol: choose TCP, UDP, ICMP or All"
        )),
    }
}

/// A port or range, `80` or `1024-65535`.
pub fn port_range(text: &str) -> Result<(u16, u16), String> {
    let text = text.trim();
    let (from, to) = text.split_once('-').unwrap_or((text, text));
    let parse = |p: &str| {
        p.trim()
            .parse::<u16>()
            .map_err(|_| format!("'{}' is not a port (0 to 65535)", p.trim()))
    };
    let (from, to) = (parse(from)?, parse(to)?);
    if from > to {
        return Err(format!("The port range is backwards: {from}-{to}"));
    }
    Ok((from, to))
}

/// A security group rule from the add-rule form (A10).
pub fn parse_rule_form(
    proto: &str,
    ports: &str,
    source: &str,
) -> Result<SecurityGroupRule, String> {
    let protocol = protocol(proto)?;
    let ports = match protocol {
        IpProtocol::Tcp | IpProtocol::Udp => {
            let (a, b) = port_range(ports)?;
            Some((i32::from(a), i32::from(b)))
        }
        IpProtocol::Icmp => Some((-1, -1)),
        _ => None,
    };
    let source = source.trim();
    let peer = if source.starts_with("sg-") {
        RulePeer::SecurityGroup(SecurityGroupId::new(source))
    } else {
        RulePeer::Cidr(source.parse().map_err(|_| {
            format!("'{source}' is not a CIDR block (like 203.0.113.0/24) or a security group id")
        })?)
    };
    Ok(SecurityGroupRule {
        protocol,
        ports,
        peer,
        description: None,
    })
}

/// A network ACL entry from the add-entry form (B2, B8).
pub fn parse_acl_form(
    number: &str,
    egress: bool,
    proto: &str,
    ports: &str,
    cidr: &str,
    allow: bool,
) -> Result<NetworkAclEntry, String> {
    let rule_number = number
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|n| (1..=MAX_RULE_NUMBER).contains(n))
        .ok_or_else(|| {
            format!(
                "Rule numbers are 1 to {MAX_RULE_NUMBER} (B2): '{}' is not one",
                number.trim()
            )
        })?;
    let protocol = protocol(proto)?;
    let port_range = match protocol {
        IpProtocol::Tcp | IpProtocol::Udp => Some(port_range(ports)?),
        _ => None,
    };
    let cidr_block = cidr.trim().parse().map_err(|_| {
        format!(
            "'{}' is not a CIDR block (like 198.51.100.7/32)",
            cidr.trim()
        )
    })?;
    Ok(NetworkAclEntry {
        rule_number,
        egress,
        protocol,
        action: if allow {
            RuleAction::Allow
        } else {
            RuleAction::Deny
        },
        cidr_block,
        port_range,
        icmp_type_code: (protocol == IpProtocol::Icmp).then_some((-1, -1)),
    })
}

/// Properties of [`Inspector`].
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The lab.
    pub lab: LabView,
    /// The selected resource.
    pub selected: Option<AttrValue>,
    /// Performs an action.
    pub on_action: Callback<Action>,
}

/// The selected resource's details and controls.
#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let Some(region) = props.lab.world.region(&props.lab.region) else {
        return Html::default();
    };
    let Some(id) = props.selected.as_deref() else {
        return html! { <p class="hint">{ "Select a resource to see its details. Drag an AMI onto a subnet to launch an instance, a volume onto an instance to attach it." }</p> };
    };
    if let Some(instance) = region.instances.get(&InstanceId::new(id)) {
        let eni = region.primary_interface(instance);
        let row = |k: &str, v: String| html! { <><dt>{ k.to_owned() }</dt><dd>{ v }</dd></> };
        let control = |label: &'static str, verb: Lifecycle| {
            let on_action = props.on_action.clone();
            let instance_id = instance.id.clone();
            html! {
                <button type="button" class="tool" onclick={Callback::from(move |_| on_action.emit(Action::Lifecycle { instance_id: instance_id.clone(), verb }))}>
                    { label }
                </button>
            }
        };
        let groups = eni.map(|e| e.security_groups.clone()).unwrap_or_default();
        return html! {
            <div class="details">
                <h2>{ format!("Instance {}", instance.tags.get("Name").unwrap_or("")) }</h2>
                <dl>
                    { row("InstanceId", instance.id.to_string()) }
                    { row("State", instance.state.to_string()) }
                    { row("InstanceType", instance.instance_type.clone()) }
                    { row("AvailabilityZone", instance.availability_zone.clone()) }
                    { row("SubnetId", instance.subnet_id.to_string()) }
                    { row("PrivateIpAddress", eni.map(|e| e.private_ip.to_string()).unwrap_or_default()) }
                    { row("PublicIpAddress", eni.and_then(|e| e.public_ip).map(|ip| ip.to_string()).unwrap_or_else(|| "—".into())) }
                    { row("Billed", format!("{} s", instance.billed_seconds_at(props.lab.world.clock()))) }
                    { row("UserData", instance.user_data.clone().map_or_else(|| "none".into(), |u| u.lines().next().unwrap_or("").to_owned() + " …")) }
                </dl>
                <div class="controls" role="group" aria-label="Instance state">
                    { control("Start", Lifecycle::Start) }
                    { control("Stop", Lifecycle::Stop) }
                    { control("Reboot", Lifecycle::Reboot) }
                    { control("Terminate", Lifecycle::Terminate) }
                </div>
                { for groups.iter().map(|g| group_table(region, g, &props.on_action)) }
            </div>
        };
    }
    if let Some(subnet) = region.subnets.get(&ec2lab_sim::SubnetId::new(id)) {
        let acl = region.network_acl_of(&subnet.id);
        return html! {
            <div class="details">
                <h2>{ format!("Subnet {}", subnet.tags.get("Name").unwrap_or("")) }</h2>
                <dl>
                    <dt>{ "SubnetId" }</dt><dd>{ subnet.id.to_string() }</dd>
                    <dt>{ "CidrBlock" }</dt><dd>{ subnet.cidr_block.to_string() }</dd>
                    <dt>{ "AvailabilityZone" }</dt><dd>{ subnet.availability_zone.clone() }</dd>
                    <dt>{ "Kind" }</dt><dd>{ if region.is_public(&subnet.id) { "public (routes to an internet gateway)" } else { "private" } }</dd>
                </dl>
                if let Some(acl) = acl {
                    { acl_tables(region, &acl.id, &props.on_action) }
                }
            </div>
        };
    }
    html! { <div class="details"><h2>{ id.to_owned() }</h2></div> }
}

fn group_table(
    region: &RegionState,
    group_id: &SecurityGroupId,
    on_action: &Callback<Action>,
) -> Html {
    let Some(group) = region.security_groups.get(group_id) else {
        return Html::default();
    };
    let rows = |egress: bool| {
        let rules = if egress {
            &group.egress
        } else {
            &group.ingress
        };
        rules
            .iter()
            .map(|rule| {
                let on_action = on_action.clone();
                let action = Action::RevokeRule { group_id: group.id.clone(), egress, rule: rule.clone() };
                let what = format!("{} {} rule \"{rule}\"", if egress { "outbound" } else { "inbound" }, group.name);
                html! {
                    <tr>
                        <td>{ rule.protocol.to_string() }</td>
                        <td>{ rule.ports.map_or_else(|| "all".to_owned(), |(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }) }</td>
                        <td>{ match &rule.peer { RulePeer::Cidr(n) => n.to_string(), RulePeer::Ipv6Cidr(n) => n.to_string(), RulePeer::SecurityGroup(g) => g.to_string(), RulePeer::PrefixList(p) => p.to_string() } }</td>
                        <td><button type="button" class="tool small" aria-label={format!("Remove {what}")}
                            onclick={Callback::from(move |_| on_action.emit(action.clone()))}>{ "Remove" }</button></td>
                    </tr>
                }
            })
            .collect::<Html>()
    };
    html! {
        <div class="rules">
            <table class="rule-table">
                <caption>{ format!("Inbound rules of {} ({})", group.name, group.id) }</caption>
                <thead><tr><th scope="col">{ "Protocol" }</th><th scope="col">{ "Ports" }</th><th scope="col">{ "Source" }</th><th scope="col"><span class="visually-hidden">{ "Actions" }</span></th></tr></thead>
                <tbody>{ rows(false) }</tbody>
            </table>
            <table class="rule-table">
                <caption>{ format!("Outbound rules of {}", group.name) }</caption>
                <thead><tr><th scope="col">{ "Protocol" }</th><th scope="col">{ "Ports" }</th><th scope="col">{ "Destination" }</th><th scope="col"><span class="visually-hidden">{ "Actions" }</span></th></tr></thead>
                <tbody>{ rows(true) }</tbody>
            </table>
            <AddRule group_id={group.id.to_string()} group_name={group.name.clone()} on_action={on_action.clone()} />
        </div>
    }
}

fn acl_tables(region: &RegionState, acl_id: &NetworkAclId, on_action: &Callback<Action>) -> Html {
    let Some(acl) = region.network_acls.get(acl_id) else {
        return Html::default();
    };
    let table = |egress: bool| {
        let mut entries: Vec<&NetworkAclEntry> =
            acl.entries.iter().filter(|e| e.egress == egress).collect();
        entries.sort_by_key(|e| e.rule_number);
        let rows = entries.into_iter().map(|e| {
            let star = e.rule_number > MAX_RULE_NUMBER;
            let on_action = on_action.clone();
            let action = Action::DeleteAclEntry { network_acl_id: acl.id.clone(), rule_number: e.rule_number, egress };
            html! {
                <tr class={classes!((e.action == RuleAction::Deny).then_some("deny"))}>
                    <th scope="row">{ if star { "*".to_owned() } else { e.rule_number.to_string() } }</th>
                    <td>{ e.protocol.to_string() }</td>
                    <td>{ e.port_range.map_or_else(|| "all".to_owned(), |(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }) }</td>
                    <td>{ e.cidr_block.to_string() }</td>
                    <td>{ if e.action == RuleAction::Allow { "Allow" } else { "Deny" } }</td>
                    <td>
                        if !star {
                            <button type="button" class="tool small"
                                aria-label={format!("Remove {} network ACL rule {}", if egress { "outbound" } else { "inbound" }, e.rule_number)}
                                onclick={Callback::from(move |_| on_action.emit(action.clone()))}>{ "Remove" }</button>
                        }
                    </td>
                </tr>
            }
        });
        html! {
            <table class="rule-table">
                <caption>{ format!("{} rules of network ACL {}", if egress { "Outbound" } else { "Inbound" }, acl.id) }</caption>
                <thead><tr><th scope="col">{ "Rule #" }</th><th scope="col">{ "Protocol" }</th><th scope="col">{ "Ports" }</th>
                    <th scope="col">{ if egress { "Destination" } else { "Source" } }</th><th scope="col">{ "Allow/Deny" }</th>
                    <th scope="col"><span class="visually-hidden">{ "Actions" }</span></th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        }
    };
    html! {
        <div class="rules">
            { table(false) }
            { table(true) }
            <AddAclEntry acl_id={acl.id.to_string()} on_action={on_action.clone()} />
        </div>
    }
}

/// Properties of [`AddRule`].
#[derive(Properties, PartialEq)]
pub struct AddRuleProps {
    /// The group.
    pub group_id: AttrValue,
    /// Its name.
    pub group_name: AttrValue,
    /// Performs the action.
    pub on_action: Callback<Action>,
}

fn input_value(event: &Event) -> String {
    event
        .target_dyn_into::<web_sys::HtmlInputElement>()
        .map(|i| i.value())
        .or_else(|| {
            event
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
        })
        .unwrap_or_default()
}

/// Adds an inbound rule to a security group.
#[function_component(AddRule)]
pub fn add_rule(props: &AddRuleProps) -> Html {
    let fields = use_mut_ref(|| {
        (
            "tcp".to_owned(),
            "22".to_owned(),
            "203.0.113.0/24".to_owned(),
        )
    });
    let error = use_state(|| None::<String>);
    let set = |k: usize| {
        let fields = fields.clone();
        Callback::from(move |event: Event| {
            let v = input_value(&event);
            let mut f = fields.borrow_mut();
            match k {
                0 => f.0 = v,
                1 => f.1 = v,
                _ => f.2 = v,
            }
        })
    };
    let onclick = {
        let fields = fields.clone();
        let error = error.clone();
        let on_action = props.on_action.clone();
        let group_id = SecurityGroupId::new(props.group_id.as_str());
        Callback::from(move |_| {
            let f = fields.borrow().clone();
            match parse_rule_form(&f.0, &f.1, &f.2) {
                Ok(rule) => {
                    error.set(None);
                    on_action.emit(Action::AuthorizeRule {
                        group_id: group_id.clone(),
                        egress: false,
                        rule,
                    });
                }
                Err(why) => error.set(Some(why)),
            }
        })
    };
    let id = format!("add-rule-{}", props.group_id);
    html! {
        <fieldset class="add-form">
            <legend>{ format!("Add an inbound rule to {}", props.group_name) }</legend>
            <label>{ "Protocol" }
                <select onchange={set(0)}>
                    <option value="tcp" selected=true>{ "TCP" }</option><option value="udp">{ "UDP" }</option>
                    <option value="icmp">{ "ICMP" }</option><option value="all">{ "All" }</option>
                </select></label>
            <label>{ "Ports" }<input value={fields.borrow().1.clone()} onchange={set(1)} aria-describedby={format!("{id}-error")} /></label>
            <label>{ "Source" }<input value={fields.borrow().2.clone()} onchange={set(2)} aria-describedby={format!("{id}-error")} /></label>
            <button type="button" class="tool primary" {onclick}>{ "Add rule" }</button>
            <p id={format!("{id}-error")} class="field-error" role="alert">{ (*error).clone().unwrap_or_default() }</p>
        </fieldset>
    }
}

/// Properties of [`AddAclEntry`].
#[derive(Properties, PartialEq)]
pub struct AddAclProps {
    /// The ACL.
    pub acl_id: AttrValue,
    /// Performs the action.
    pub on_action: Callback<Action>,
}

/// Adds a network ACL entry.
#[function_component(AddAclEntry)]
pub fn add_acl_entry(props: &AddAclProps) -> Html {
    let fields = use_mut_ref(|| {
        [
            "90".to_owned(),
            "in".to_owned(),
            "tcp".to_owned(),
            "80".to_owned(),
            "0.0.0.0/0".to_owned(),
            "deny".to_owned(),
        ]
    });
    let error = use_state(|| None::<String>);
    let set = |k: usize| {
        let fields = fields.clone();
        Callback::from(move |event: Event| {
            fields.borrow_mut()[k] = input_value(&event);
        })
    };
    let onclick = {
        let fields = fields.clone();
        let error = error.clone();
        let on_action = props.on_action.clone();
        let acl = NetworkAclId::new(props.acl_id.as_str());
        Callback::from(move |_| {
            let f = fields.borrow().clone();
            match parse_acl_form(&f[0], f[1] == "out", &f[2], &f[3], &f[4], f[5] == "allow") {
                Ok(entry) => {
                    error.set(None);
                    on_action.emit(Action::CreateAclEntry {
                        network_acl_id: acl.clone(),
                        entry,
                    });
                }
                Err(why) => error.set(Some(why)),
            }
        })
    };
    html! {
        <fieldset class="add-form">
            <legend>{ format!("Add a rule to network ACL {}", props.acl_id) }</legend>
            <label>{ "Rule number" }<input value={fields.borrow()[0].clone()} onchange={set(0)} /></label>
            <label>{ "Direction" }
                <select onchange={set(1)}><option value="in" selected=true>{ "Inbound" }</option><option value="out">{ "Outbound" }</option></select></label>
            <label>{ "Protocol" }
                <select onchange={set(2)}>
                    <option value="tcp" selected=true>{ "TCP" }</option><option value="udp">{ "UDP" }</option>
                    <option value="icmp">{ "ICMP" }</option><option value="all">{ "All" }</option>
                </select></label>
            <label>{ "Ports" }<input value={fields.borrow()[3].clone()} onchange={set(3)} /></label>
            <label>{ "CIDR block" }<input value={fields.borrow()[4].clone()} onchange={set(4)} /></label>
            <label>{ "Allow/Deny" }
                <select onchange={set(5)}><option value="deny" selected=true>{ "Deny" }</option><option value="allow">{ "Allow" }</option></select></label>
            <button type="button" class="tool primary" {onclick}>{ "Add ACL rule" }</button>
            <p class="field-error" role="alert">{ (*error).clone().unwrap_or_default() }</p>
        </fieldset>
    }
}
