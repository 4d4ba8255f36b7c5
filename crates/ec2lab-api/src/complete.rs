//! Completion for a line being typed at the console: the words that may
//! come next, as the AWS CLI's own completer offers them (services,
//! operations, an operation's options) and, where a value goes, the ids of
//! the account's resources and the Region's names.

use ec2lab_sim::{RegionState, World, PUBLIC_IMAGES, REGIONS};

use crate::operations::SERVICES;

/// What `lab` takes after it.
const LAB_VERBS: &[&str] = &[
    "trace",
    "connect",
    "advance",
    "exec",
    "write",
    "files",
    "snapshots",
    "storage",
    "bill",
];

/// The candidates for the last word of `line` (the word the cursor is on at
/// the end of the line), sorted, each a whole word. An empty last word
/// offers everything that fits there.
pub fn completions(world: &World, region: &str, line: &str) -> Vec<String> {
    let (done, last) = match line.rfind(char::is_whitespace) {
        Some(i) => (&line[..i], &line[i + 1..]),
        None => ("", line),
    };
    let words: Vec<&str> = done.split_whitespace().collect();
    let mut out: Vec<String> = match words.as_slice() {
        [] => vec!["aws".into(), "lab".into()],
        ["aws"] => SERVICES.iter().map(|s| s.name.to_owned()).collect(),
        ["aws", service] => operations_of(service),
        ["lab"] => LAB_VERBS.iter().map(|v| (*v).to_owned()).collect(),
        [.., option] if option.starts_with("--") && !last.starts_with("--") => {
            values_for(world, region, option)
        }
        ["aws", service, operation, ..] => {
            if last.starts_with('-') {
                options_of(service, operation)
            } else {
                resource_ids(world, region)
            }
        }
        ["lab", ..] if last.starts_with('-') => crate::session::KNOWN_LAB_OPTIONS
            .iter()
            .map(|o| format!("--{o}"))
            .collect(),
        _ => resource_ids(world, region),
    };
    out.retain(|c| c.starts_with(last));
    out.sort();
    out.dedup();
    out
}

fn operations_of(service: &str) -> Vec<String> {
    let Some(service) = SERVICES.iter().find(|s| s.name == service) else {
        return Vec::new();
    };
    let mut names: Vec<String> = (service.operations)()
        .into_iter()
        .map(|o| o.name.to_owned())
        .collect();
    if service.name == "ec2" {
        names.push("wait".into());
    }
    names
}

fn options_of(service: &str, operation: &str) -> Vec<String> {
    let Some(service) = SERVICES.iter().find(|s| s.name == service) else {
        return Vec::new();
    };
    let Some(operation) = (service.operations)()
        .into_iter()
        .find(|o| o.name == operation)
    else {
        return Vec::new();
    };
    let mut options: Vec<String> = operation
        .input
        .iter()
        .map(|(member, _)| format!("--{}", ec2lab_awscli::option_name(member)))
        .collect();
    // The AWS CLI's global options.
    for global in [
        "--region",
        "--output",
        "--query",
        "--cli-input-json",
        "--dry-run",
    ] {
        options.push(global.to_owned());
    }
    options
}

/// Values an option takes where the lab knows them.
fn values_for(world: &World, region: &str, option: &str) -> Vec<String> {
    match option {
        "--region" => REGIONS.iter().map(|r| r.name.to_owned()).collect(),
        "--output" => ["json", "text", "table", "yaml"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        "--availability-zone" => world
            .region(region)
            .map(|r| r.info.zones.iter().map(|(z, _)| (*z).to_owned()).collect())
            .unwrap_or_default(),
        "--protocol" => ["tcp", "udp", "icmp", "-1"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        _ => resource_ids(world, region),
    }
}

/// Every resource id of the Region, and the Name tags of its instances
/// (which `lab` lines accept in their place).
fn resource_ids(world: &World, region: &str) -> Vec<String> {
    let Some(r) = world.region(region) else {
        return Vec::new();
    };
    ids_in(r)
}

fn ids_in(r: &RegionState) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    ids.extend(r.vpcs.keys().map(ToString::to_string));
    ids.extend(r.subnets.keys().map(ToString::to_string));
    ids.extend(r.internet_gateways.keys().map(ToString::to_string));
    ids.extend(r.route_tables.keys().map(ToString::to_string));
    ids.extend(r.security_groups.keys().map(ToString::to_string));
    ids.extend(r.network_acls.keys().map(ToString::to_string));
    ids.extend(r.instances.keys().map(ToString::to_string));
    ids.extend(r.volumes.keys().map(ToString::to_string));
    ids.extend(r.network_interfaces.keys().map(ToString::to_string));
    ids.extend(r.addresses.keys().map(ToString::to_string));
    ids.extend(r.images.keys().map(ToString::to_string));
    ids.extend(r.snapshots.keys().map(ToString::to_string));
    ids.extend(r.launch_templates.keys().map(ToString::to_string));
    ids.extend(r.file_systems.keys().map(ToString::to_string));
    ids.extend(r.mount_targets.keys().map(ToString::to_string));
    ids.extend(PUBLIC_IMAGES.iter().map(|p| p.id_in(r.name()).to_string()));
    ids.extend(
        r.instances
            .values()
            .filter_map(|i| i.tags.get("Name").map(str::to_owned)),
    );
    ids
}
