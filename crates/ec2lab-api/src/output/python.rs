//! How the AWS CLI, a Python program, turns a JSON value into text. The text
//! and table formats print each cell with Python's `str()`: `None`, `True`
//! and `False`, integers as digits, floats as `repr()` does (`1e+16`), and a
//! list or object that lands in a cell as its Python `repr()`
//! (`{'Key': 'Name'}`).

use serde_json::{Map, Number, Value};

/// Python's `str()` of a value, as the text and table formats print it.
pub fn str_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => repr(other),
    }
}

/// Python's `repr()` of a value.
fn repr(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(number) => number_str(number),
        Value::String(text) => string_repr(text),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => object_repr(map),
    }
}

fn object_repr(map: &Map<String, Value>) -> String {
    let entries: Vec<String> = map
        .iter()
        .map(|(key, value)| format!("{}: {}", string_repr(key), repr(value)))
        .collect();
    format!("{{{}}}", entries.join(", "))
}

/// A JSON number as Python prints it: integers as digits, floats as
/// `repr(float)`.
pub fn number_str(number: &Number) -> String {
    if number.is_i64() || number.is_u64() {
        return number.to_string();
    }
    number
        .as_f64()
        .map_or_else(|| number.to_string(), float_repr)
}

/// Python's `repr(float)`: the shortest digits that read back the same,
/// in positional notation for exponents from -4 to 15 (`0.0001`, `3.0`)
/// and in scientific notation otherwise (`1e-05`, `1.5e+16`).
pub fn float_repr(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    // `{:e}` gives the shortest round-trip digits, e.g. "1.5e16", "-3e0".
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific
        .split_once('e')
        .unwrap_or((scientific.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..16).contains(&exponent) {
        let positional = format!("{value}");
        if positional.contains('.') {
            positional
        } else {
            format!("{positional}.0")
        }
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs())
    }
}

/// Python's `repr(str)`: single quotes unless the text has a single quote
/// and no double quote; backslashes, the quote and unprintable characters
/// escaped.
fn string_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ if ch == quote => {
                out.push('\\');
                out.push(ch);
            }
            _ if ch.is_control() || matches!(ch, '\u{a0}' | '\u{ad}' | '\u{2028}' | '\u{2029}') => {
                let code = u32::from(ch);
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02x}"));
                } else {
                    out.push_str(&format!("\\u{code:04x}"));
                }
            }
            _ => out.push(ch),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_print_as_python_repr() {
        let cases = [
            (3.0, "3.0"),
            (1.5, "1.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (123456789012345.0, "123456789012345.0"),
            (-2.5e-7, "-2.5e-07"),
        ];
        for (value, expected) in cases {
            assert_eq!(float_repr(value), expected, "{value}");
        }
    }

    #[test]
    fn values_print_as_python_str() {
        assert_eq!(str_of(&json!(null)), "None");
        assert_eq!(str_of(&json!(true)), "True");
        assert_eq!(str_of(&json!(8)), "8");
        assert_eq!(str_of(&json!("vpc-1")), "vpc-1");
        assert_eq!(
            str_of(&json!({"Key": "Name", "Value": "it's", "N": [1, null]})),
            "{'Key': 'Name', 'N': [1, None], 'Value': \"it's\"}"
        );
    }
}
