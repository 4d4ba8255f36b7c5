//! Building an EC2 API request from a parsed command and an operation's
//! description.
//!
//! This is where the AWS CLI's rules for options live: option names map to
//! member names, flags set booleans, lists take several values, structures
//! take shorthand or JSON, and `--cli-input-json` supplies members in bulk.

use serde_json::{Map, Value};

use crate::call::{option_name, CliCall};
use crate::error::{InputError, SyntaxError};
use crate::shape::{coerce, describe_value, Shape};
use crate::shorthand::{parse_json, parse_value};

/// The output formats the AWS CLI accepts for `--output`.
const OUTPUT_FORMATS: [&str; 5] = ["json", "text", "table", "yaml", "yaml-stream"];

/// What one operation accepts: its name and its request members.
///
/// Options map to members by name: the option for a member is the member's
/// name in kebab-case (see [`option_name`]), so `--group-id` sets `GroupId`.
/// The crate has no special cases for particular operations. For example, the
/// AWS CLI's `create-network-acl-entry` accepts both `--egress` and
/// `--ingress`; a caller that wants `--ingress` gives its `Operation` an
/// `Ingress` Boolean member too, and turns `"Ingress": true` into
/// `"Egress": false` itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The operation's name in kebab-case, e.g. `authorize-security-group-ingress`.
    pub name: &'static str,
    /// The request members with their shapes, named as the service's JSON
    /// names them: PascalCase for EC2 (`GroupId`), camelCase for services
    /// such as Image Builder (`semanticVersion`); both map to the same
    /// kebab-case option (`--group-id`, `--semantic-version`).
    pub input: Vec<(&'static str, Shape)>,
    /// The members the request must have, named as in `input`.
    pub required: &'static [&'static str],
}

/// A request ready for the EC2 API, and the AWS CLI's global options that
/// shape how the command runs but are not part of the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The request members, typed, as a JSON object.
    pub body: Value,
    /// The `--region` option, if given.
    pub region: Option<String>,
    /// The `--output` option (`json`, `text`, `table`, `yaml` or
    /// `yaml-stream`), if given.
    pub output: Option<String>,
    /// The `--query` option (a JMESPath expression), if given.
    pub query: Option<String>,
}

/// Builds the request for a command, following the AWS CLI v2's rules.
///
/// - Each `--option` sets the member whose kebab-case name it is; an option
///   the operation does not have is an error that lists the valid ones.
/// - A Boolean member given as a flag without a value is `true`, and
///   `--no-<option>` makes it `false`; it may also be given `true` or `false`.
/// - A List member takes all the option's values. For a list of structures,
///   lists or maps, each value is read with [`parse_value`], and a single
///   value that reads as a list is the whole list. For a list of scalars, each
///   value is one item taken as it is, unless a single value starts with `[`,
///   as in `--group-ids sg-1 sg-2` or `--group-ids '["sg-1","sg-2"]'`; as in
///   the AWS CLI, `sg-1,sg-2` is one item.
/// - A Structure or Map member takes exactly one value, read with
///   [`parse_value`].
/// - A String, Integer or Long member takes exactly one value, as it is, so
///   `--user-data` or `--description` text needs no escaping beyond the
///   shell's.
/// - `--cli-input-json '<JSON object>'` supplies members first; options given
///   explicitly override them.
/// - The global options `--region`, `--output` and `--query` go into the
///   [`Request`]'s own fields; `--profile` and `--no-cli-pager` are accepted
///   and ignored.
///
/// Every value is then checked and typed with [`coerce`], and the required
/// members must all be present.
///
/// # Errors
///
/// An [`InputError`]. Its path is the member path (e.g.
/// `IpPermissions[0].FromPort`) for a value that does not fit its shape, the
/// option (e.g. `--ip-permissions`) for a value that cannot be read or the
/// wrong number of values, and empty for problems with the command as a whole:
/// an unknown option, an option that is set twice, or a missing required
/// option.
pub fn build_request(call: &CliCall, op: &Operation) -> Result<Request, InputError> {
    if call.operation != op.name {
        return Err(InputError::command(format!(
            "this command is 'aws {} {}', but it was checked against the operation '{}'",
            call.service, call.operation, op.name
        )));
    }
    let mut request = Request {
        body: Value::Null,
        region: None,
        output: None,
        query: None,
    };
    let mut body = match call
        .options
        .iter()
        .find(|(name, _)| name == "cli-input-json")
    {
        Some((name, values)) => input_json(name, values, op)?,
        None => Map::new(),
    };
    // The option that set each member, to catch `--egress --no-egress`.
    let mut set_by: Vec<(&str, &str)> = Vec::new();
    for (name, values) in &call.options {
        match name.as_str() {
            "cli-input-json" => {}
            "region" => request.region = Some(one_value(name, values)?.clone()),
            "query" => request.query = Some(one_value(name, values)?.clone()),
            "profile" => {
                one_value(name, values)?;
            }
            "no-cli-pager" => no_value(name, values)?,
            "output" => {
                let format = one_value(name, values)?;
                if !OUTPUT_FORMATS.contains(&format.as_str()) {
                    return Err(InputError::new(
                        format!("--{name}"),
                        format!(
                            "expected one of {}, but got '{format}'",
                            OUTPUT_FORMATS.join(", ")
                        ),
                    ));
                }
                request.output = Some(format.clone());
            }
            _ => {
                let (member, shape, value) = option_value(call, op, name, values)?;
                if let Some((_, earlier)) = set_by.iter().find(|(set, _)| *set == member) {
                    return Err(InputError::command(format!(
                        "the options --{earlier} and --{name} both set {member}; give only one"
                    )));
                }
                set_by.push((member, name));
                body.insert(member.to_string(), coerce(&value, shape, member)?);
            }
        }
    }
    let missing: Vec<String> = op
        .required
        .iter()
        .filter(|member| !body.contains_key(**member))
        .map(|member| format!("--{}", option_name(member)))
        .collect();
    match missing.as_slice() {
        [] => {}
        [one] => {
            return Err(InputError::command(format!(
                "missing required option {one}"
            )));
        }
        many => {
            return Err(InputError::command(format!(
                "missing required options {}",
                many.join(", ")
            )));
        }
    }
    request.body = Value::Object(body);
    Ok(request)
}

/// Reads `--cli-input-json` into typed request members.
fn input_json(
    name: &str,
    values: &[String],
    op: &Operation,
) -> Result<Map<String, Value>, InputError> {
    let text = one_value(name, values)?;
    let json = parse_json(text).map_err(|error| syntax(name, None, 1, &error))?;
    if !json.is_object() {
        return Err(InputError::new(
            format!("--{name}"),
            format!(
                r#"expected a JSON object like {{"GroupId": "sg-1"}}, got {}"#,
                describe_value(&json)
            ),
        ));
    }
    match coerce(&json, &Shape::Structure(op.input.clone()), "")? {
        Value::Object(members) => Ok(members),
        // Coercing an object as a structure always gives an object.
        _ => Ok(Map::new()),
    }
}

/// Finds the member an option sets and reads the option's values for it.
/// Returns the member's name, its shape, and the untyped value.
fn option_value<'op>(
    call: &CliCall,
    op: &'op Operation,
    name: &str,
    values: &[String],
) -> Result<(&'static str, &'op Shape, Value), InputError> {
    let find = |option: &str| {
        op.input
            .iter()
            .find(|(member, _)| option_name(member) == option)
    };
    if let Some((member, shape)) = find(name) {
        return Ok((member, shape, read_values(name, values, shape)?));
    }
    if let Some(positive) = name.strip_prefix("no-") {
        if let Some((member, shape @ Shape::Boolean)) = find(positive) {
            no_value(name, values)?;
            return Ok((member, shape, Value::Bool(false)));
        }
    }
    let mut valid: Vec<String> = op
        .input
        .iter()
        .map(|(member, _)| format!("--{}", option_name(member)))
        .collect();
    valid.sort_unstable();
    Err(InputError::command(format!(
        "unknown option --{name} for aws {} {}; valid options: {}",
        call.service,
        call.operation,
        valid.join(", ")
    )))
}

/// Reads an option's values for a member of the given shape, untyped.
fn read_values(name: &str, values: &[String], shape: &Shape) -> Result<Value, InputError> {
    match shape {
        Shape::Boolean => match values {
            [] => Ok(Value::Bool(true)),
            [one] => Ok(Value::String(one.clone())),
            many => Err(InputError::new(
                format!("--{name}"),
                format!(
                    "expected no value or one of true/false, but got {} values: {}",
                    many.len(),
                    quoted_list(many)
                ),
            )),
        },
        Shape::List(item) => {
            let scalar_items = matches!(
                **item,
                Shape::String | Shape::Integer | Shape::Long | Shape::Boolean
            );
            match values {
                [] => Err(InputError::new(
                    format!("--{name}"),
                    "expected at least one value",
                )),
                [one] if !scalar_items || one.trim_start().starts_with('[') => {
                    parse_value(one).map_err(|error| syntax(name, None, 1, &error))
                }
                many if scalar_items => Ok(Value::Array(
                    many.iter()
                        .map(|value| Value::String(value.clone()))
                        .collect(),
                )),
                many => many
                    .iter()
                    .enumerate()
                    .map(|(index, value)| {
                        parse_value(value)
                            .map_err(|error| syntax(name, Some(index), many.len(), &error))
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array),
            }
        }
        Shape::Structure(_) | Shape::Map(_) => {
            let value = one_value(name, values)?;
            parse_value(value).map_err(|error| syntax(name, None, 1, &error))
        }
        Shape::String | Shape::Integer | Shape::Long => {
            Ok(Value::String(one_value(name, values)?.clone()))
        }
    }
}

/// The single value of an option that takes exactly one.
fn one_value<'v>(name: &str, values: &'v [String]) -> Result<&'v String, InputError> {
    match values {
        [one] => Ok(one),
        [] => Err(InputError::new(format!("--{name}"), "expected a value")),
        many => Err(InputError::new(
            format!("--{name}"),
            format!(
                "expected one value, but got {}: {}; to put spaces in a value, quote the value",
                many.len(),
                quoted_list(many)
            ),
        )),
    }
}

/// Checks that a flag has no value.
fn no_value(name: &str, values: &[String]) -> Result<(), InputError> {
    if values.is_empty() {
        Ok(())
    } else {
        Err(InputError::new(
            format!("--{name}"),
            format!("expected no value, but got {}", quoted_list(values)),
        ))
    }
}

/// Values quoted for an error message: `'a', 'b'`.
fn quoted_list(values: &[String]) -> String {
    values
        .iter()
        .map(|value| format!("'{value}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The error for an option value that cannot be read; `index` numbers the
/// value when the option has several, and `count` is how many it has.
fn syntax(name: &str, index: Option<usize>, count: usize, error: &SyntaxError) -> InputError {
    let message = match index {
        // An unclosed bracket or quote in one of several values usually means
        // the shell split one value at its spaces.
        Some(index) if index + 1 < count && error.message.ends_with("is never closed") => format!(
            "value {}, {error}; the shell splits an unquoted value at its spaces, \
             so quote a value that contains spaces",
            index + 1
        ),
        Some(index) => format!("value {}, {error}", index + 1),
        None => error.to_string(),
    };
    InputError::new(format!("--{name}"), message)
}
