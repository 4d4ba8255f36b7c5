//! A trace as JSON: the shape `ec2lab run --json` prints for `lab trace`
//! and `lab connect` (see the README's CLI contract).

use ec2lab_sim::{Decision, Hop, Phase, Trace};
use serde_json::{json, Value};

/// The trace as one JSON object.
pub fn trace_json(trace: &Trace) -> Value {
    let blocked_by = trace.blocked_by.as_ref().map(|b| {
        json!({
            "phase": b.phase.name(),
            "component": b.component.name(),
            "resource": b.resource,
            "direction": b.direction.map(|d| d.name()),
            "rule": b.rule,
        })
    });
    let mut hops: Vec<Value> = trace
        .request
        .iter()
        .map(|h| hop_json(Phase::Request, h))
        .collect();
    hops.extend(trace.reply.iter().map(|h| hop_json(Phase::Reply, h)));
    let (refused, service, page) = match &trace.answer {
        Some(ec2lab_sim::Answer::Refused) => (json!(true), Value::Null, Value::Null),
        Some(ec2lab_sim::Answer::Service { unit, page }) => {
            (json!(false), json!(unit), json!(page))
        }
        None => (Value::Null, Value::Null, Value::Null),
    };
    json!({
        "request_delivered": trace.request_delivered,
        "connection_refused": refused,
        "service": service,
        "page": page,
        "reply_delivered": trace.reply_delivered,
        "blocked_by": blocked_by,
        "explanation_code": trace.blocked_by.as_ref().and_then(|b| b.component.explanation_code()),
        "tracked": trace.tracked,
        "hops": hops,
        "explanation": trace.explanation,
        "fix": trace.fix.as_ref().map(|fix| json!({"description": fix.description, "command": fix.cli})),
    })
}

fn hop_json(phase: Phase, hop: &Hop) -> Value {
    let (rule, detail) = match &hop.decision {
        Decision::SecurityGroupRule(group, rule) => (Value::Null, format!("{group}: {rule}")),
        Decision::NoSecurityGroupRule => (Value::Null, "no rule matches".to_owned()),
        Decision::Tracked => (Value::Null, "connection tracking".to_owned()),
        Decision::NetworkAclEntry(entry) => (json!(entry.rule_number), entry.to_string()),
        Decision::Route(destination, target) => (Value::Null, format!("{destination} → {target}")),
        Decision::NoRoute => (Value::Null, "no route".to_owned()),
        Decision::Other(text) => (Value::Null, text.clone()),
    };
    json!({
        "phase": phase.name(),
        "component": hop.component.name(),
        "resource": hop.resource,
        "direction": hop.direction.map(|d| d.name()),
        "verdict": if hop.allowed { "allow" } else { "deny" },
        "rule": rule,
        "packet": hop.packet.to_string(),
        "detail": detail,
    })
}
