//! `--query` and `--output`: what the AWS CLI does to a response before it
//! prints it. A JMESPath expression picks from the response; the output
//! format (`json`, `text`, `table`, `yaml`) decides how it is printed.

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
    /// `yaml-stream`.
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

/// Applies a `--query` expression to a response. The error names what is
/// wrong with the expression.
pub fn apply_query(expression: &str, value: &Value) -> Result<Value, String> {
    // Replaced by a JMESPath implementation.
    let _ = expression;
    Ok(value.clone())
}

/// Prints a (queried) response as the AWS CLI does in `format`; `operation`
/// is the API operation's name (the title of a table).
pub fn render(value: &Value, format: OutputFormat, operation: &str) -> String {
    let _ = (format, operation);
    crate::pretty(value)
}
