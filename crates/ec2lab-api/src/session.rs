//! A session: an account and the lines a learner or a script runs against
//! it, one at a time: `aws ec2 …` and `aws efs …` commands and `lab …`
//! commands. The native CLI runs scripts through it, and the browser
//! console will too.

use std::net::{IpAddr, Ipv4Addr};

use ec2lab_sim::{
    Connection, FileSystemId, Flow, InstanceState, MountTargetId, RegionState, Source, Transport,
    World,
};
use serde_json::{json, Value};

use crate::output::OutputFormat;
use crate::trace_json::trace_json;

/// What one line did.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Nothing to run (a blank line or a comment).
    Nothing,
    /// An `aws` command succeeded: its response, with AWS's field names
    /// (after `--query`, if given), and how to print it.
    Response {
        /// The response, or what `--query` picked from it.
        value: Value,
        /// The `--output` format.
        output: OutputFormat,
        /// The API operation, e.g. `DescribeInstances` (a table's title).
        operation: String,
    },
    /// An `aws` command failed as AWS would fail it.
    ApiError {
        /// AWS's error code.
        code: String,
        /// The message.
        message: String,
        /// The API operation, e.g. `AuthorizeSecurityGroupIngress`.
        operation: String,
    },
    /// A `lab trace` or `lab connect`.
    Trace(Box<ec2lab_sim::Trace>),
    /// A `lab exec`: what the shell printed and its exit status.
    Shell(ec2lab_sim::Output),
}

impl Outcome {
    /// The outcome as one JSON object (one line of `--json` output).
    pub fn to_json(&self) -> Value {
        match self {
            Self::Nothing => Value::Null,
            Self::Response { value, .. } => value.clone(),
            Self::ApiError { code, message, .. } => {
                json!({"Error": {"Code": code, "Message": message}})
            }
            Self::Trace(trace) => trace_json(trace),
            Self::Shell(output) => json!({
                "stdout": output.stdout,
                "stderr": output.stderr,
                "exit_code": output.code,
            }),
        }
    }
}

impl Outcome {
    /// The outcome as the AWS CLI (or the lab) prints it: complete lines, or
    /// nothing where the AWS CLI prints nothing.
    pub fn to_text(&self) -> String {
        match self {
            Self::Nothing => String::new(),
            Self::Response {
                value,
                output,
                operation,
            } => crate::render(value, *output, operation),
            Self::ApiError {
                code,
                message,
                operation,
            } => format!(
                "An error occurred ({code}) when calling the {operation} operation: {message}\n"
            ),
            Self::Trace(trace) => trace.to_string(),
            Self::Shell(output) => output.combined.clone(),
        }
    }

    /// Whether AWS refused the command (nothing changed).
    pub fn is_error(&self) -> bool {
        matches!(self, Self::ApiError { .. })
    }
}

/// Whether a line only looks at the account: `describe-*`, `get-*` and
/// `list-*` operations, `--dry-run`, and the lab's `trace`, `files`,
/// `snapshots`, `storage` and `bill`. Anything else may change it.
pub fn reads_only(line: &str) -> bool {
    let Ok(words) = ec2lab_awscli::split_words(line) else {
        return true;
    };
    match words.first().map(String::as_str) {
        None => true,
        Some("aws") => {
            let operation = words.get(2).map_or("", String::as_str);
            ["describe-", "get-", "list-"]
                .iter()
                .any(|p| operation.starts_with(p))
                || words.iter().any(|w| w == "--dry-run")
        }
        Some("lab") => matches!(
            words.get(1).map(String::as_str),
            Some("trace" | "files" | "snapshots" | "storage" | "bill")
        ),
        Some(_) => true,
    }
}

/// A line that cannot be run at all: it does not parse. (A command AWS
/// would refuse is an [`Outcome::ApiError`], not this.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError(pub String);

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LineError {}

/// An account, the Region commands default to, and open connections.
#[derive(Clone, Debug)]
pub struct Session {
    /// The account.
    pub world: World,
    /// The Region used when a command names none.
    pub region: String,
    /// Connections opened with `lab connect` (A13).
    pub connections: Vec<(String, Connection)>,
    /// Reads the file a `file://` parameter names, as the AWS CLI does. The
    /// native CLI reads the disk; by default (the browser) there are no files.
    pub read_file: fn(&str) -> Result<String, String>,
}

/// The `read_file` of a session without files.
fn no_files(path: &str) -> Result<String, String> {
    Err(format!(
        "the lab cannot read {path} here: give the text itself instead of file://"
    ))
}

impl Session {
    /// A session on an account.
    pub fn new(world: World, region: &str) -> Self {
        Self {
            world,
            region: region.to_owned(),
            connections: Vec::new(),
            read_file: no_files,
        }
    }

    /// Runs one line.
    pub fn run_line(&mut self, line: &str) -> Result<Outcome, LineError> {
        let words = ec2lab_awscli::split_words(line).map_err(|e| LineError(e.to_string()))?;
        let Some(first) = words.first() else {
            return Ok(Outcome::Nothing);
        };
        if first == "lab" && words.get(1).is_some_and(|w| w == "exec") {
            return self.exec(line, &words[2..]);
        }
        match first.as_str() {
            "aws" => crate::operations::run_aws(self, &words),
            "lab" => self.run_lab(&words[1..]),
            other => Err(LineError(format!("'{other}' is not a command: a line starts with 'aws' or 'lab' ('#' starts a comment)"))),
        }
    }

    /// `lab exec <instance> [--region R] -- <command>`: the command is the
    /// raw text after `--`, so the instance's shell sees its quotes.
    fn exec(&mut self, line: &str, words: &[String]) -> Result<Outcome, LineError> {
        let usage = || {
            LineError(
                "lab exec needs an instance and a command: lab exec <id or Name> -- <command>"
                    .into(),
            )
        };
        let command = line.split_once(" -- ").map(|(_, c)| c).ok_or_else(usage)?;
        let before: Vec<&String> = words.iter().take_while(|w| *w != "--").collect();
        let mut instance = None;
        let mut region = self.region.clone();
        let mut iter = before.into_iter();
        while let Some(word) = iter.next() {
            match word.as_str() {
                "--region" => region = iter.next().cloned().ok_or_else(usage)?,
                "--instance" => instance = iter.next().cloned(),
                other if !other.starts_with("--") => instance = Some(other.to_owned()),
                other => return Err(LineError(format!("lab exec: unknown option {other}"))),
            }
        }
        let key = instance.ok_or_else(usage)?;
        let state = self
            .world
            .region(&region)
            .ok_or_else(|| LineError(format!("the lab does not simulate the Region {region}")))?;
        let id = find_instance(state, &key)
            .map(|i| i.id.clone())
            .ok_or_else(|| LineError(format!("no instance '{key}' in {region}")))?;
        match self.world.apply(
            &region,
            ec2lab_sim::Command::Exec {
                instance_id: id,
                command: command.to_owned(),
            },
        ) {
            Ok(ec2lab_sim::Response::Exec(output)) => Ok(Outcome::Shell(output)),
            Ok(_) => Ok(Outcome::Nothing),
            Err(e) => Ok(Outcome::ApiError {
                code: e.code.to_owned(),
                message: e.message,
                operation: "Exec".into(),
            }),
        }
    }

    fn run_lab(&mut self, words: &[String]) -> Result<Outcome, LineError> {
        let Some(verb) = words.first() else {
            return Err(LineError(
                "'lab' needs a command: trace, connect, advance, exec, write, files, snapshots, storage or bill"
                    .into(),
            ));
        };
        let options = LabOptions::parse(&words[1..])?;
        match verb.as_str() {
            "trace" | "connect" => {
                let region_name = options.get("region").unwrap_or(&self.region).to_owned();
                let region = self.world.region(&region_name).ok_or_else(|| {
                    LineError(format!(
                        "the lab does not simulate the Region {region_name}"
                    ))
                })?;
                let flow = flow_from(region, &options)?;
                let open: Vec<Connection> = self
                    .connections
                    .iter()
                    .filter(|(r, _)| *r == region_name)
                    .map(|(_, c)| c.clone())
                    .collect();
                let trace = region.trace_with(&flow, &open);
                if verb == "connect"
                    && trace.blocked_by.is_none()
                    && !open.iter().any(|c| c.flow == flow)
                {
                    let tracked = trace.tracked.unwrap_or(true);
                    self.connections
                        .push((region_name, Connection { flow, tracked }));
                }
                Ok(Outcome::Trace(Box::new(trace)))
            }
            "advance" => {
                let seconds = options
                    .number("seconds")?
                    .ok_or_else(|| LineError("lab advance needs --seconds N".into()))?;
                let region = self.region.clone();
                self.world
                    .apply(
                        &region,
                        ec2lab_sim::Command::AdvanceTime {
                            seconds: u64::from(seconds),
                        },
                    )
                    .map_err(|e| LineError(e.to_string()))?;
                Ok(Outcome::Response {
                    value: json!({"Clock": self.world.clock()}),
                    output: OutputFormat::Json,
                    operation: String::new(),
                })
            }
            "write" | "files" | "snapshots" | "bill" | "storage" => {
                let region_name = options.get("region").unwrap_or(&self.region).to_owned();
                crate::lab_data::run(self, verb, &region_name, &options)
            }
            other => Err(LineError(format!(
                "'lab {other}' is not a lab command: use lab trace, connect, advance, exec, write, files, snapshots, storage or bill"
            ))),
        }
    }
}

/// `--name value` options of a `lab` line.
pub(crate) struct LabOptions(Vec<(String, String)>);

impl LabOptions {
    fn parse(words: &[String]) -> Result<Self, LineError> {
        let mut options = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let Some(name) = words[i].strip_prefix("--") else {
                return Err(LineError(format!(
                    "expected an option such as --from, found '{}'",
                    words[i]
                )));
            };
            let value = words
                .get(i + 1)
                .filter(|v| !v.starts_with("--"))
                .ok_or_else(|| LineError(format!("--{name} needs a value")))?;
            if !KNOWN_LAB_OPTIONS.contains(&name) {
                return Err(LineError(format!(
                    "unknown option --{name}; lab trace takes {}",
                    KNOWN_LAB_OPTIONS
                        .iter()
                        .map(|o| format!("--{o}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            if options.iter().any(|(n, _)| n == name) {
                return Err(LineError(format!("the option --{name} is given twice")));
            }
            options.push((name.to_owned(), value.clone()));
            i += 2;
        }
        Ok(Self(options))
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn number(&self, name: &str) -> Result<Option<u32>, LineError> {
        self.get(name)
            .map(|v| {
                v.parse::<u32>()
                    .map_err(|_| LineError(format!("--{name} must be a whole number, not '{v}'")))
            })
            .transpose()
    }
}

pub(crate) const KNOWN_LAB_OPTIONS: &[&str] = &[
    "from",
    "to",
    "protocol",
    "port",
    "src-port",
    "icmp-type",
    "icmp-code",
    "region",
    "seconds",
    "instance",
    "device",
    "path",
    "text",
    "gib",
    "offset-gib",
];

/// The client's port when none is given: inside both the Linux (32768-60999)
/// and the Windows Server 2008+ (49152-65535) ephemeral ranges (B6).
pub const DEFAULT_SOURCE_PORT: u16 = 49152;

/// Builds the flow a `lab trace` line describes.
pub fn flow_from<O: FlowOptions + ?Sized>(
    region: &RegionState,
    options: &O,
) -> Result<Flow, LineError> {
    let from = options.option("from").ok_or_else(|| {
        LineError("--from is required: an instance id, a Name tag or internet:<ip>".into())
    })?;
    let to = options.option("to").ok_or_else(|| {
        LineError(
            "--to is required: an IP address, an instance id, a Name tag or an EFS mount target"
                .into(),
        )
    })?;
    let protocol = options.option("protocol").ok_or_else(|| {
        LineError("--protocol is required: tcp, udp, icmp, -1 or a number".into())
    })?;
    let source =
        if let Some(ip) = from.strip_prefix("internet:") {
            Source::Internet(ip.parse().map_err(|_| {
                LineError(format!("--from internet:{ip}: '{ip}' is not an IP address"))
            })?)
        } else {
            let instance = find_instance(region, from).ok_or_else(|| {
                LineError(format!(
                    "--from {from}: no instance has this id or Name tag in {}",
                    region.name()
                ))
            })?;
            Source::Interface(instance.network_interface_id.clone())
        };
    let destination: IpAddr = match to.parse::<IpAddr>() {
        Ok(ip) => ip,
        Err(_) if to.starts_with("fsmt-") || to.ends_with(".amazonaws.com") => {
            IpAddr::V4(efs_destination(region, &source, to)?)
        }
        Err(_) => {
            let instance = find_instance(region, to).ok_or_else(|| {
                LineError(format!(
                    "--to {to}: not an IP address, and no instance has this id or Name tag in {}",
                    region.name()
                ))
            })?;
            let eni = region.primary_interface(instance).ok_or_else(|| {
                LineError(format!("--to {to}: the instance has no network interface"))
            })?;
            // From inside its VPC an instance is reached at its private
            // address; from the internet (or another VPC) at its public one.
            let same_vpc = match &source {
                Source::Interface(id) => region
                    .network_interfaces
                    .get(id)
                    .is_some_and(|src| src.vpc_id == eni.vpc_id),
                Source::Internet(_) => false,
            };
            match (same_vpc, eni.public_ip) {
                (false, Some(public)) => IpAddr::V4(public),
                _ => IpAddr::V4(eni.private_ip),
            }
        }
    };
    let port = |name: &str| -> Result<Option<u16>, LineError> {
        options
            .option(name)
            .map(|v| {
                v.parse::<u16>().map_err(|_| {
                    LineError(format!("--{name} must be a port number 0-65535, not '{v}'"))
                })
            })
            .transpose()
    };
    let icmp = |name: &str| -> Result<u8, LineError> {
        options.option(name).map_or(Ok(0), |v| {
            v.parse::<u8>()
                .map_err(|_| LineError(format!("--{name} must be 0-255, not '{v}'")))
        })
    };
    let src_port = port("src-port")?.unwrap_or(DEFAULT_SOURCE_PORT);
    let number = match protocol.to_ascii_lowercase().as_str() {
        "tcp" => 6,
        "udp" => 17,
        "icmp" => 1,
        "icmpv6" => 58,
        "-1" | "all" => return Err(LineError("--protocol -1 means every protocol, which a single packet can't be: pick tcp, udp, icmp or a number".into())),
        other => other.parse::<u8>().map_err(|_| LineError(format!("--protocol '{other}' is not tcp, udp, icmp or a protocol number")))?,
    };
    let transport = match number {
        6 | 17 => {
            let dst_port = port("port")?
                .ok_or_else(|| LineError(format!("--port is required for {protocol}")))?;
            if number == 6 {
                Transport::Tcp { src_port, dst_port }
            } else {
                Transport::Udp { src_port, dst_port }
            }
        }
        // Without a type, an ICMP trace is a ping: echo request (8, or 128 for ICMPv6).
        1 => Transport::Icmp {
            v6: false,
            icmp_type: options
                .option("icmp-type")
                .map_or(Ok(8), |_| icmp("icmp-type"))?,
            icmp_code: icmp("icmp-code")?,
        },
        58 => Transport::Icmp {
            v6: true,
            icmp_type: options
                .option("icmp-type")
                .map_or(Ok(128), |_| icmp("icmp-type"))?,
            icmp_code: icmp("icmp-code")?,
        },
        n => Transport::Other(n),
    };
    Ok(Flow {
        source,
        destination,
        transport,
    })
}

/// The address of an EFS mount target that `--to` names: by its id
/// (`fsmt-…`), or by a DNS name as a client mounts it. The file system's
/// name (`fs-….efs.<region>.amazonaws.com`) resolves, inside the mount
/// targets' VPC, to the mount target in the client's own Availability Zone;
/// `<az>.fs-….efs.<region>.amazonaws.com` to the one in that zone (J3).
fn efs_destination(region: &RegionState, source: &Source, to: &str) -> Result<Ipv4Addr, LineError> {
    if to.starts_with("fsmt-") {
        return region
            .mount_targets
            .get(&MountTargetId::new(to))
            .map(|mt| mt.ip_address)
            .ok_or_else(|| {
                LineError(format!(
                    "--to {to}: no EFS mount target has this id in {}",
                    region.name()
                ))
            });
    }
    let suffix = format!(".efs.{}.amazonaws.com", region.name());
    let unknown = || {
        LineError(format!(
            "--to {to}: not an IP address, an instance or an EFS DNS name of {} (fs-….efs.{}.amazonaws.com)",
            region.name(),
            region.name()
        ))
    };
    let name = to.strip_suffix(&suffix).ok_or_else(unknown)?;
    let (zone, fs) = match name.rsplit_once('.') {
        Some((zone, fs)) => (Some(zone), fs),
        None => (None, name),
    };
    let fs = FileSystemId::new(fs);
    if !fs.as_str().starts_with(FileSystemId::PREFIX) {
        return Err(unknown());
    }
    if region.file_system(&fs).is_none() {
        return Err(LineError(format!(
            "--to {to} does not resolve: there is no file system {fs} in {}",
            region.name()
        )));
    }
    let Source::Interface(eni) = source else {
        return Err(LineError(format!(
            "--to {to} does not resolve from the internet: EFS DNS names resolve only inside the VPC of the file system's mount targets"
        )));
    };
    let client = region.network_interfaces.get(eni).ok_or_else(|| {
        LineError(format!(
            "--from: the network interface {eni} does not exist"
        ))
    })?;
    // J3: the file system's name resolves to the mount target in the
    // client's own Availability Zone.
    let zone = zone.unwrap_or(&client.availability_zone);
    let mt = region.mount_target_for(&fs, zone).ok_or_else(|| {
        LineError(format!(
            "--to {to} does not resolve from {}: {fs} has no mount target in {zone} (its DNS name resolves to the mount target in the client's own Availability Zone; create one there, or use a mount target's IP address)",
            client.availability_zone
        ))
    })?;
    if mt.vpc_id != client.vpc_id {
        return Err(LineError(format!(
            "--to {to} does not resolve from {}: the file system's mount targets are in {}, and its DNS name resolves only inside that VPC",
            client.vpc_id, mt.vpc_id
        )));
    }
    Ok(mt.ip_address)
}

/// Where trace options come from (a `lab` line, or the CLI's arguments).
pub trait FlowOptions {
    /// The value of `--name`, if given.
    fn option(&self, name: &str) -> Option<&str>;
}

impl FlowOptions for LabOptions {
    fn option(&self, name: &str) -> Option<&str> {
        self.get(name)
    }
}

impl FlowOptions for [(&str, &str)] {
    fn option(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }
}

/// The instance with this id or Name tag (not terminated).
pub fn find_instance<'a>(region: &'a RegionState, key: &str) -> Option<&'a ec2lab_sim::Instance> {
    region
        .instances
        .values()
        .filter(|i| i.state != InstanceState::Terminated)
        .find(|i| i.id.as_str() == key || i.tags.name() == Some(key))
}

/// A script's lines as commands, each with the number of its first line: a
/// line that ends inside a quote (a multi-line `--user-data '…'`, say)
/// continues on the next, as in a shell.
pub fn script_lines(text: &str) -> Vec<(usize, String)> {
    let mut commands = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (index, line) in text.lines().enumerate() {
        let (start, joined) = match open.take() {
            Some((start, mut pending)) => {
                pending.push('\n');
                pending.push_str(line);
                (start, pending)
            }
            None => (index + 1, line.to_owned()),
        };
        if ec2lab_awscli::is_unfinished(&joined) {
            open = Some((start, joined));
        } else {
            commands.push((start, joined));
        }
    }
    // An unclosed quote at the end is the last line's error to report.
    commands.extend(open);
    commands
}
