//! `--query` and `--output`: what the AWS CLI does to a response before it
//! prints it. A JMESPath expression picks from the response; the output
//! format (`json`, `text`, `table`, `yaml`, `yaml-stream`) decides how it
//! is printed, byte for byte as AWS CLI v2 prints it to a pipe or a file.
//!
//! ```
//! use ec2lab_api::{apply_query, render, OutputFormat};
//! use serde_json::json;
//!
//! let response = json!({"Vpcs": [
//!     {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"},
//!     {"VpcId": "vpc-2", "CidrBlock": "172.31.0.0/16"},
//! ]});
//! let cidrs = apply_query("Vpcs[].CidrBlock", &response).unwrap();
//! assert_eq!(render(&cidrs, OutputFormat::Text, "DescribeVpcs"), "10.0.0.0/16\t172.31.0.0/16\n");
//! let first = apply_query("Vpcs[0].VpcId", &response).unwrap();
//! assert_eq!(render(&first, OutputFormat::Json, "DescribeVpcs"), "\"vpc-1\"\n");
//! ```
//!
//! What differs from the AWS CLI: keys print in sorted order in `json`
//! output (the lab keeps objects sorted, while the AWS CLI keeps the API's
//! order and, for a multiselect hash like `{ID:SubnetId,AZ:AvailabilityZone}`,
//! the expression's order). The `text`, `table` and `yaml` formats sort keys
//! anyway, so they match.

mod python;
mod query;
mod table;
mod text;
mod width;
mod yaml;

use serde_json::Value;

/// An `--output` format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// `json` (the default): indented by four spaces.
    #[default]
    Json,
    /// `text`: tab-separated values, one line per record.
    Text,
    /// `table`: boxed tables titled with the operation's name.
    Table,
    /// `yaml`.
    Yaml,
    /// `yaml-stream`: the response as the one element of a YAML list.
    YamlStream,
}

impl OutputFormat {
    /// Reads an `--output` value.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "json" => Self::Json,
            "text" => Self::Text,
            "table" => Self::Table,
            "yaml" => Self::Yaml,
            "yaml-stream" => Self::YamlStream,
            _ => return None,
        })
    }
}

/// Applies a `--query` expression (JMESPath, as at jmespath.org) to a
/// response. The error names what is wrong with the expression and where,
/// e.g. `Parse error at column 5: expected number, ':', or '*', found the
/// end of the expression`.
pub fn apply_query(expression: &str, value: &Value) -> Result<Value, String> {
    query::apply(expression, value)
}

/// Prints a (queried) response as the AWS CLI does in `format`; `operation`
/// is the API operation's name (the title of a table). The text is complete,
/// each line ending in a newline; it is empty where the AWS CLI prints
/// nothing (an empty response such as `CreateNetworkAclEntry`'s `{}` in
/// `json`, `text`, `table` and `yaml`).
pub fn render(value: &Value, format: OutputFormat, operation: &str) -> String {
    let empty_response = value.as_object().is_some_and(serde_json::Map::is_empty);
    match format {
        OutputFormat::Json if empty_response => String::new(),
        OutputFormat::Json => format!("{}\n", crate::pretty(value)),
        OutputFormat::Text => text::render(value),
        OutputFormat::Table => table::render(value, operation),
        OutputFormat::Yaml if empty_response => String::new(),
        OutputFormat::Yaml => yaml::document(value),
        OutputFormat::YamlStream => yaml::document(&Value::Array(vec![value.clone()])),
    }
}
