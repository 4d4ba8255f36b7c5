//! The console's engine: `aws …` and `lab …` lines run against the lab's
//! account exactly as the `ec2lab` command runs them ([`ec2lab_api::Session`]),
//! printed as the AWS CLI prints them, and completed word by word.
//!
//! Only [`crate::engine`] names this module, so the site build puts it, and
//! all of `ec2lab_api`, in the chunk fetched on demand.

use ec2lab_sim::{Connection, World};

use crate::engine::{Engine, Ran};

/// The engine's entry points.
pub static ENGINE: Engine = Engine { run, complete };

/// Runs one line.
pub fn run(
    world: &mut World,
    region: &str,
    connections: &mut Vec<(String, Connection)>,
    line: &str,
) -> Ran {
    let mut session = ec2lab_api::Session::new(std::mem::take(world), region);
    session.connections = std::mem::take(connections);
    let result = session.run_line(line);
    *world = session.world;
    *connections = session.connections;
    match result {
        Ok(outcome) => {
            let refused = match &outcome {
                ec2lab_api::Outcome::ApiError { code, message, .. } => {
                    Some((code.clone(), message.clone()))
                }
                _ => None,
            };
            Ran {
                text: outcome.to_text(),
                changed: refused.is_none() && !ec2lab_api::reads_only(line),
                refused,
            }
        }
        Err(error) => Ran {
            text: format!("{error}\n"),
            refused: Some(("InvalidCommandLine".into(), error.to_string())),
            changed: false,
        },
    }
}

/// The candidates for the line's last word.
pub fn complete(world: &World, region: &str, line: &str) -> Vec<String> {
    ec2lab_api::completions(world, region, line)
}
