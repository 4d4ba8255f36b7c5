//! The lab as tables: the same resources the diagram draws, for screen
//! readers and for anyone who prefers text.

use ec2lab_sim::{NameOrDash, RegionState};
use yew::prelude::*;

fn table(caption: String, head: &[&str], rows: Vec<Vec<String>>) -> Html {
    html! {
        <table class="text-table">
            <caption>{ caption }</caption>
            <thead><tr>{ for head.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr></thead>
            <tbody>
                { for rows.into_iter().map(|row| html! {
                    <tr>{ for row.into_iter().map(|cell| html! { <td>{ cell }</td> }) }</tr>
                }) }
            </tbody>
        </table>
    }
}

/// Every resource of a Region, as tables.
pub fn text_view(region: &RegionState) -> Html {
    let subnets = region
        .subnets
        .values()
        .map(|s| {
            vec![
                NameOrDash(&s.tags).to_string(),
                s.id.to_string(),
                s.cidr_block.to_string(),
                s.availability_zone.clone(),
                if region.is_public(&s.id) {
                    "public"
                } else {
                    "private"
                }
                .to_owned(),
            ]
        })
        .collect();
    let instances = region
        .instances
        .values()
        .map(|i| {
            let eni = region.primary_interface(i);
            vec![
                NameOrDash(&i.tags).to_string(),
                i.id.to_string(),
                i.state.to_string(),
                i.instance_type.clone(),
                i.subnet_id.to_string(),
                eni.map(|e| e.private_ip.to_string()).unwrap_or_default(),
                eni.and_then(|e| e.public_ip)
                    .map(|ip| ip.to_string())
                    .unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    let volumes = region
        .volumes
        .values()
        .map(|v| {
            vec![
                NameOrDash(&v.tags).to_string(),
                v.id.to_string(),
                format!("{} GiB {}", v.size_gib, v.volume_type),
                v.availability_zone.clone(),
                v.state.to_string(),
                if v.encrypted {
                    "encrypted"
                } else {
                    "not encrypted"
                }
                .to_owned(),
                v.attachments
                    .iter()
                    .map(|a| format!("{} at {}", a.instance_id, a.device))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    let groups = region
        .security_groups
        .values()
        .map(|g| {
            vec![
                g.name.clone(),
                g.id.to_string(),
                g.ingress.len().to_string(),
                g.egress.len().to_string(),
            ]
        })
        .collect();
    html! {
        <div class="text-view" role="region" aria-label={format!("The lab in {} as tables", region.name())}>
            { table(format!("Subnets in {}", region.name()), &["Name", "Id", "CIDR", "AZ", "Kind"], subnets) }
            { table("Instances".into(), &["Name", "Id", "State", "Type", "Subnet", "Private IP", "Public IP"], instances) }
            { table("EBS volumes".into(), &["Name", "Id", "Size", "AZ", "State", "Encryption", "Attached to"], volumes) }
            { table("Security groups".into(), &["Name", "Id", "Inbound rules", "Outbound rules"], groups) }
        </div>
    }
}
