//! `ec2lab`: the EC2 Lab simulation core on the command line.
//!
//! Instructors use it to check labs; engineers point it at the JSON that
//! `aws ec2 describe-*` prints and ask why traffic is or is not allowed.
//!
//! - `ec2lab show [--scenario F] [--region R]` prints an account as text.
//! - `ec2lab run [--scenario F] [--script F|-] [--json]` runs a script of
//!   `aws ec2 …`, `aws efs …` and `lab …` lines, one result per line.
//! - `ec2lab trace [--scenario F] --from … --to … --protocol … [--json]` traces one flow.
//! - `ec2lab check-pack <file> | --builtin` proves an exercise pack sound
//!   (exit status 1 when it is not).
//!
//! The exit status is 2 only for unusable input (a scenario that can't be
//! read, a script line that does not parse); a command AWS would refuse is
//! an error result, not a failure of `ec2lab`.

use std::io::{IsTerminal as _, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use ec2lab_api::{flow_from, import, parse_document, Document, Outcome, Session};
use ec2lab_sim::{default_lab, World, DEFAULT_REGION};

/// The EC2 Lab simulator on the command line.
#[derive(Debug, Parser)]
#[command(name = "ec2lab", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Commands,
}

#[derive(Debug, Subcommand)]
enum Commands {
    /// Prints a lab as text: Region › VPC › Availability Zone › subnet › instance.
    Show {
        #[command(flatten)]
        scenario: ScenarioArg,
        /// Print only this Region (e.g. us-east-1).
        #[arg(long)]
        region: Option<String>,
    },
    /// Runs a script of `aws ec2 …`, `aws efs …` and `lab …` lines against a lab.
    Run {
        #[command(flatten)]
        scenario: ScenarioArg,
        /// The script: a file, or `-` for standard input (read by default
        /// when it is not a terminal). One command per line; `#` starts a
        /// comment.
        #[arg(long)]
        script: Option<String>,
        /// Print one JSON object per executed line (JSON Lines).
        #[arg(long)]
        json: bool,
    },
    /// Traces one flow, request and reply, hop by hop.
    Trace {
        #[command(flatten)]
        scenario: ScenarioArg,
        #[command(flatten)]
        flow: FlowArgs,
        /// Print the trace as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Proves an exercise pack sound: every setup applies, no goal is met at
    /// the start, every solution meets all goals, and no known wrong attempt
    /// does. The exit status is 1 when the pack is unsound.
    CheckPack {
        /// The pack (JSON, format `ec2lab-exercises/1`).
        #[arg(required_unless_present = "builtin", conflicts_with = "builtin")]
        file: Option<PathBuf>,
        /// Check the built-in catalogue instead of a file.
        #[arg(long)]
        builtin: bool,
    },
}

#[derive(Debug, Args)]
struct ScenarioArg {
    /// A JSON file of `aws ec2 describe-*` output, or a directory of such
    /// files. Without it, the built-in default lab.
    #[arg(long)]
    scenario: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct FlowArgs {
    /// An instance id, a Name tag, or internet:<ip>.
    #[arg(long)]
    from: String,
    /// An IP address (private or public), an instance id or a Name tag.
    #[arg(long)]
    to: String,
    /// tcp, udp, icmp, icmpv6 or a protocol number.
    #[arg(long)]
    protocol: String,
    /// The destination port (TCP and UDP).
    #[arg(long)]
    port: Option<u16>,
    /// The client's source port (default 49152).
    #[arg(long)]
    src_port: Option<u16>,
    /// The ICMP type (default 8, echo request).
    #[arg(long)]
    icmp_type: Option<u8>,
    /// The ICMP code (default 0).
    #[arg(long)]
    icmp_code: Option<u8>,
    /// The Region (default: the scenario's).
    #[arg(long)]
    region: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("ec2lab: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Commands::Show { scenario, region } => {
            let (world, _) = load(scenario.scenario.as_deref())?;
            let text = match region {
                None => world.to_string(),
                Some(name) => match world.region(&name) {
                    Some(state) => state.to_string(),
                    None => {
                        let known: Vec<&str> = world.regions().map(|r| r.name()).collect();
                        return Err(format!(
                            "unknown Region '{name}'; the lab simulates {}",
                            known.join(", ")
                        ));
                    }
                },
            };
            write_stdout(&text)
        }
        Commands::Run {
            scenario,
            script,
            json,
        } => {
            let (world, region) = load(scenario.scenario.as_deref())?;
            // Without --script, a script piped to standard input is read;
            // at a terminal there is nothing to run.
            let script =
                script.or_else(|| (!std::io::stdin().is_terminal()).then(|| "-".to_owned()));
            let (name, text) = match script.as_deref() {
                None => return Ok(ExitCode::SUCCESS),
                Some("-") => {
                    let mut text = String::new();
                    std::io::stdin()
                        .read_to_string(&mut text)
                        .map_err(|e| format!("cannot read the script from standard input: {e}"))?;
                    ("<stdin>".to_owned(), text)
                }
                Some(path) => (
                    path.to_owned(),
                    std::fs::read_to_string(path)
                        .map_err(|e| format!("cannot read the script {path}: {e}"))?,
                ),
            };
            let mut session = Session::new(world, &region);
            session.read_file = read_file;
            let mut out = String::new();
            for (number, line) in ec2lab_api::script_lines(&text) {
                match session.run_line(&line) {
                    Ok(outcome) => append(&mut out, &outcome, json),
                    Err(error) => {
                        // Show what ran before the line that does not parse.
                        write_stdout(&out)?;
                        return Err(format!("{name}:{}: {error}", number));
                    }
                }
            }
            write_stdout(&out)
        }
        Commands::Trace {
            scenario,
            flow,
            json,
        } => {
            let (world, region) = load(scenario.scenario.as_deref())?;
            let region = flow.region.clone().unwrap_or(region);
            let state = world
                .region(&region)
                .ok_or_else(|| format!("the lab does not simulate the Region {region}"))?;
            let numbers: Vec<(&str, String)> = [
                ("port", flow.port.map(|p| p.to_string())),
                ("src-port", flow.src_port.map(|p| p.to_string())),
                ("icmp-type", flow.icmp_type.map(|p| p.to_string())),
                ("icmp-code", flow.icmp_code.map(|p| p.to_string())),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
            let mut options: Vec<(&str, &str)> = vec![
                ("from", &flow.from),
                ("to", &flow.to),
                ("protocol", &flow.protocol),
            ];
            options.extend(numbers.iter().map(|(k, v)| (*k, v.as_str())));
            let parsed = flow_from(state, options.as_slice()).map_err(|e| e.to_string())?;
            let trace = state.trace(&parsed);
            let mut out = String::new();
            append(&mut out, &Outcome::Trace(Box::new(trace)), json);
            write_stdout(&out)
        }
        Commands::CheckPack { file, builtin } => check_pack(file.as_deref(), builtin),
    }
}

/// `ec2lab check-pack`: reads and validates a pack, then proves each
/// exercise; 1 when any is unsound, 2 when the pack can't be read.
fn check_pack(file: Option<&Path>, builtin: bool) -> Result<ExitCode, String> {
    let pack = match file {
        Some(path) if !builtin => {
            let name = path.display();
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read the pack {name}: {e}"))?;
            // `file:line:column: …`, as compilers say it, where the text
            // has the place the error's path names.
            ec2lab_exercises::Pack::from_json(&text).map_err(|e| match e.position {
                Some((line, column)) => format!("{name}:{line}:{column}: {e}"),
                None => format!("{name}: {e}"),
            })?
        }
        _ => ec2lab_exercises::try_builtin().map_err(|e| format!("the built-in catalogue: {e}"))?,
    };
    let report = ec2lab_exercises::check_pack(&pack);
    write_stdout(&report.to_string())?;
    Ok(if report.is_sound() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Loads a scenario (file or directory), or the default lab.
fn load(path: Option<&Path>) -> Result<(World, String), String> {
    let Some(path) = path else {
        return Ok((default_lab(), DEFAULT_REGION.to_owned()));
    };
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read the scenario directory {}: {e}", path.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(format!(
                "the scenario directory {} holds no .json files",
                path.display()
            ));
        }
        files
    } else {
        vec![path.to_owned()]
    };
    let mut documents: Vec<Document> = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read the scenario {name}: {e}"))?;
        documents.push(parse_document(&name, &text).map_err(|e| e.to_string())?);
    }
    let world = import(&documents).map_err(|e| e.to_string())?;
    let region = world
        .regions()
        .find(|r| !r.vpcs.is_empty())
        .map_or(DEFAULT_REGION, |r| r.name())
        .to_owned();
    Ok((world, region))
}

/// Appends one line's result, as text or as a JSON line.
fn append(out: &mut String, outcome: &Outcome, json: bool) {
    if *outcome == Outcome::Nothing {
        return;
    }
    if json {
        out.push_str(&outcome.to_json().to_string());
        out.push('\n');
        return;
    }
    out.push_str(&outcome.to_text());
}

/// Writes to standard output; a closed pipe (`ec2lab show | head`) is not an error.
fn write_stdout(text: &str) -> Result<ExitCode, String> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(error) => Err(format!("cannot write to standard output: {error}")),
    }
}

/// Reads a `file://` parameter's file, as the AWS CLI does: relative paths
/// from the current directory.
fn read_file(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| {
        format!("Error parsing parameter: unable to load paramfile file://{path}: {e}")
    })
}
