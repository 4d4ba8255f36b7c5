//! `--output text`: tab-separated lines for `grep`, `cut` and `awk`, as the
//! AWS CLI's text formatter (`awscli/text.py`) writes them.
//!
//! - An object's scalar values go on one line, in the order of their sorted
//!   keys; its lists and objects follow, each under its key.
//! - The objects of a list share one set of columns (every scalar key any of
//!   them has, sorted; a missing one is an empty field), and each line starts
//!   with the list's key in capitals: `RESERVATIONS<TAB>123456789012<TAB>r-…`.
//! - A list of scalars is one tab-separated line at the top, or one
//!   `KEY<TAB>value` line per element under a key.
//! - `null` prints as `None`, booleans as `True` and `False`.

use serde_json::{Map, Value};

use super::python::str_of;

/// The whole text output, each line ending in a newline.
pub fn render(value: &Value) -> String {
    let mut out = String::new();
    format_value(value, None, None, &mut out);
    out
}

fn format_value(
    item: &Value,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut String,
) {
    match item {
        Value::Object(map) => format_object(map, identifier, scalar_keys, out),
        Value::Array(items) => format_list(items, identifier, out),
        scalar => {
            out.push_str(&str_of(scalar));
            out.push('\n');
        }
    }
}

fn format_list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        let keys = all_scalar_keys(items);
        for item in items {
            format_value(item, identifier, Some(&keys), out);
        }
    } else if items.iter().any(Value::is_array) {
        let (scalars, others): (Vec<&Value>, Vec<&Value>) =
            items.iter().partition(|item| is_scalar(item));
        if !scalars.is_empty() {
            format_scalars(&scalars, identifier, out);
        }
        for item in others {
            format_value(item, identifier, None, out);
        }
    } else {
        let scalars: Vec<&Value> = items.iter().collect();
        format_scalars(&scalars, identifier, out);
    }
}

fn format_scalars(items: &[&Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(identifier) => {
            for item in items {
                out.push_str(&identifier.to_uppercase());
                out.push('\t');
                out.push_str(&str_of(item));
                out.push('\n');
            }
        }
        None => {
            let fields: Vec<String> = items.iter().map(|item| str_of(item)).collect();
            out.push_str(&fields.join("\t"));
            out.push('\n');
        }
    }
}

fn format_object(
    map: &Map<String, Value>,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut String,
) {
    let mut fields: Vec<String> = Vec::new();
    let mut nested: Vec<(&str, &Value)> = Vec::new();
    match scalar_keys {
        // Keys are sorted (a BTreeMap), as `sorted(item.items())` sorts them.
        None => {
            for (key, value) in map {
                if is_scalar(value) {
                    fields.push(str_of(value));
                } else {
                    nested.push((key, value));
                }
            }
        }
        Some(keys) => {
            for key in keys {
                fields.push(map.get(key).map(str_of).unwrap_or_default());
            }
            for (key, value) in map {
                if !keys.contains(key) {
                    nested.push((key, value));
                }
            }
        }
    }
    if !fields.is_empty() {
        if let Some(identifier) = identifier {
            fields.insert(0, identifier.to_uppercase());
        }
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
    for (key, value) in nested {
        format_value(value, Some(key), None, out);
    }
}

/// Every key with a scalar value in any of the objects, sorted.
fn all_scalar_keys(items: &[Value]) -> Vec<String> {
    let mut keys: Vec<String> = items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|map| map.iter())
        .filter(|(_, value)| is_scalar(value))
        .map(|(key, _)| key.clone())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}
