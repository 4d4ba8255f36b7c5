//! EC2 Lab's boundary with AWS's JSON.
//!
//! [`import`] builds an account from the output of `aws ec2 describe-*`;
//! [`Session`] runs `aws ec2 …`, `aws efs …` and `lab …` lines against an
//! account and answers in AWS's shapes. Everything here turns AWS's JSON into the
//! simulation core's types and back; the core itself knows nothing of JSON.

#![warn(missing_docs)]

mod autoscaling;
mod complete;
mod compute;
mod describe;
mod efs;
mod imagebuilder;
mod import;
mod json;
mod lab_data;
mod launch_templates;
mod operations;
mod output;
mod session;
mod storage;
mod trace_json;
mod waiters;

pub use complete::completions;
pub use describe::ACCOUNT_ID;
pub use import::{import, parse_document, Document, KNOWN_KEYS};
pub use json::{ImportError, Node};
pub use operations::operations;
pub use output::{apply_query, render, OutputFormat};
pub use session::{
    find_instance, flow_from, reads_only, script_lines, FlowOptions, LineError, Outcome, Session,
    DEFAULT_SOURCE_PORT,
};
pub use trace_json::trace_json;

/// JSON indented by four spaces, as the AWS CLI prints it.
pub fn pretty(value: &serde_json::Value) -> String {
    let mut buffer = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut buffer, formatter);
    if serde::Serialize::serialize(value, &mut serializer).is_err() {
        return value.to_string();
    }
    String::from_utf8(buffer).unwrap_or_else(|_| value.to_string())
}
