//! `ec2lab`: the EC2 Lab simulation core on the command line.
//!
//! Instructors use it to check exercise packs; anyone can use it to look at a
//! lab as text. This first version prints the built-in default lab.

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ec2lab_sim::default_lab;

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
        /// Print only this Region (e.g. us-east-1).
        #[arg(long)]
        region: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Commands::Show { region } => show(region.as_deref()),
    }
}

fn show(region: Option<&str>) -> ExitCode {
    let world = default_lab();
    let text = match region {
        None => world.to_string(),
        Some(name) => match world.region(name) {
            Some(state) => state.to_string(),
            None => {
                let known: Vec<&str> = world.regions().map(|r| r.name()).collect();
                eprintln!(
                    "ec2lab: unknown Region '{name}'; the lab simulates {}",
                    known.join(", ")
                );
                return ExitCode::from(2);
            }
        },
    };
    write_stdout(&text)
}

/// Writes to standard output; a closed pipe (`ec2lab show | head`) is not an error.
fn write_stdout(text: &str) -> ExitCode {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ec2lab: cannot write to standard output: {error}");
            ExitCode::FAILURE
        }
    }
}
