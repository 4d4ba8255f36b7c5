//! `--query`: a JMESPath expression (jmespath.org) that picks from a
//! response before it is printed, e.g. `Reservations[].Instances[].InstanceId`
//! or `Subnets[?MapPublicIpOnLaunch].{ID:SubnetId,AZ:AvailabilityZone}`.
//!
//! The `jmespath` crate parses and evaluates; this module adds what the AWS
//! CLI's Python implementation does differently, so results print the same:
//! `sum`, `abs`, `ceil` and `floor` keep integers integers (`3`, not `3.0`).

use std::sync::LazyLock;

use jmespath::functions::{ArgumentType, CustomFunction, Signature};
use jmespath::{Context, ErrorReason, JmespathError, Rcvar, Runtime, Variable};
use serde_json::{Number, Value};

/// The built-in functions, with Python's number behaviour where it differs.
static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    let mut runtime = Runtime::new();
    runtime.register_builtin_functions();
    runtime.register_function(
        "sum",
        number_function(
            ArgumentType::TypedArray(Box::new(ArgumentType::Number)),
            sum,
        ),
    );
    runtime.register_function("abs", number_function(ArgumentType::Number, abs));
    runtime.register_function(
        "ceil",
        number_function(ArgumentType::Number, |n| round(n, f64::ceil)),
    );
    runtime.register_function(
        "floor",
        number_function(ArgumentType::Number, |n| round(n, f64::floor)),
    );
    runtime
});

/// Applies `expression` to `value`. The error says what is wrong and at
/// which column (counted from 0, as the AWS CLI does).
pub fn apply(expression: &str, value: &Value) -> Result<Value, String> {
    let (expression, rewrites) = quote_legacy_literals(expression);
    let compiled = RUNTIME
        .compile(&expression)
        .map_err(|e| describe(&e, &rewrites))?;
    let result = compiled
        .search(value)
        .map_err(|e| describe(&e, &rewrites))?;
    serde_json::to_value(&*result).map_err(|e| e.to_string())
}

/// Where [`quote_legacy_literals`] changed the expression: the column just
/// after the rewritten literal, and how many characters it added.
type Rewrites = Vec<(usize, usize)>;

/// The AWS CLI still accepts a backtick literal that is not JSON as a
/// string: `` [?State.Name==`running`] `` means `` `"running"` `` (JEP 12's
/// deprecated form, common in older examples). The `jmespath` crate does
/// not, so such literals are quoted here first.
fn quote_legacy_literals(expression: &str) -> (String, Rewrites) {
    let chars: Vec<char> = expression.chars().collect();
    let mut out = String::with_capacity(expression.len());
    let mut rewrites = Rewrites::new();
    let mut column = 0;
    let mut index = 0;
    while index < chars.len() {
        let wrapper = chars[index];
        if !matches!(wrapper, '`' | '\'' | '"') {
            out.push(wrapper);
            column += 1;
            index += 1;
            continue;
        }
        // A literal, raw string or quoted identifier: up to the unescaped
        // closing character.
        let mut end = index + 1;
        while end < chars.len() && chars[end] != wrapper {
            end += if chars[end] == '\\' { 2 } else { 1 };
        }
        let end = end.min(chars.len());
        let body: String = chars[index + 1..end].iter().collect();
        let closed = end < chars.len();
        let original_length = end + usize::from(closed) - index;
        let replacement = if wrapper == '`' && closed {
            legacy_string(&body)
        } else {
            None
        };
        match replacement {
            Some(quoted) => {
                let literal = format!("`{quoted}`");
                let length = literal.chars().count();
                column += length;
                rewrites.push((column, length.saturating_sub(original_length)));
                out.push_str(&literal);
            }
            None => {
                out.extend(&chars[index..end + usize::from(closed)]);
                column += original_length;
            }
        }
        index = end + usize::from(closed);
    }
    (out, rewrites)
}

/// The JSON string a backtick literal's body stands for when it is not
/// JSON itself (`running` → `"running"`, leading blanks dropped), with its
/// backticks escaped again.
fn legacy_string(body: &str) -> Option<String> {
    let unescaped = body.replace("\\`", "`");
    if serde_json::from_str::<Value>(&unescaped).is_ok() {
        return None;
    }
    let quoted = format!("\"{}\"", unescaped.trim_start());
    let text: String = serde_json::from_str(&quoted).ok()?;
    let json = serde_json::to_string(&text).ok()?;
    Some(json.replace('`', "\\`"))
}

/// One line for a student: "Parse error at column 5: expected number, ':',
/// or '*', found the end of the expression".
fn describe(error: &JmespathError, rewrites: &Rewrites) -> String {
    let (kind, detail) = match &error.reason {
        ErrorReason::Parse(detail) => ("Parse error", detail.clone()),
        ErrorReason::Runtime(detail) => ("Error", detail.to_string()),
    };
    let detail = detail
        .strip_prefix("Parse error: ")
        .unwrap_or(&detail)
        .to_owned();
    let detail = match detail.split_once(" -- found ") {
        Some((expected, token)) => format!("{expected}, found {}", token_name(token)),
        None => detail,
    };
    // Columns as the student typed the expression.
    let shift: usize = rewrites
        .iter()
        .filter(|(end, _)| *end <= error.column)
        .map(|(_, added)| added)
        .sum();
    format!(
        "{kind} at column {}: {detail}",
        error.column.saturating_sub(shift)
    )
}

/// The lexer's token names (its `Debug` output) as the characters a
/// student typed.
fn token_name(token: &str) -> String {
    let name = match token {
        "Eof" => "the end of the expression",
        "Dot" => "'.'",
        "Star" => "'*'",
        "Flatten" => "'[]'",
        "And" => "'&&'",
        "Or" => "'||'",
        "Pipe" => "'|'",
        "Filter" => "'[?'",
        "Lbracket" => "'['",
        "Rbracket" => "']'",
        "Comma" => "','",
        "Colon" => "':'",
        "Not" => "'!'",
        "Ne" => "'!='",
        "Eq" => "'=='",
        "Gt" => "'>'",
        "Gte" => "'>='",
        "Lt" => "'<'",
        "Lte" => "'<='",
        "At" => "'@'",
        "Ampersand" => "'&'",
        "Lparen" => "'('",
        "Rparen" => "')'",
        "Lbrace" => "'{'",
        "Rbrace" => "'}'",
        other => {
            // Identifier("bar"), Number(3), Literal(...), QuotedIdentifier("x").
            return match other.split_once('(') {
                Some((_, rest)) => rest.strip_suffix(')').unwrap_or(rest).to_owned(),
                None => other.to_owned(),
            };
        }
    };
    name.to_owned()
}

/// A one-argument function on numbers, with the argument checked by type.
fn number_function(
    argument: ArgumentType,
    f: fn(&Variable) -> Option<Number>,
) -> Box<CustomFunction> {
    Box::new(CustomFunction::new(
        Signature::new(vec![argument], None),
        Box::new(move |args: &[Rcvar], ctx: &mut Context<'_>| {
            let number = args.first().and_then(|arg| f(arg)).ok_or_else(|| {
                JmespathError::from_ctx(ctx, ErrorReason::Parse("not a number".to_owned()))
            })?;
            Ok(Rcvar::new(Variable::Number(number)))
        }),
    ))
}

/// Python's `sum()`: an integer while every element is one.
fn sum(array: &Variable) -> Option<Number> {
    let items = array.as_array()?;
    let mut integer: Option<i64> = Some(0);
    let mut float = 0.0;
    for item in items {
        let Variable::Number(number) = &**item else {
            return None;
        };
        integer = integer.and_then(|total| total.checked_add(number.as_i64()?));
        float += number.as_f64()?;
    }
    integer
        .map(Number::from)
        .or_else(|| Number::from_f64(float))
}

/// Python's `abs()`: integers stay integers.
fn abs(value: &Variable) -> Option<Number> {
    let Variable::Number(number) = value else {
        return None;
    };
    if let Some(integer) = number.as_i64() {
        return Some(Number::from(integer.unsigned_abs()));
    }
    if number.is_u64() {
        return Some(number.clone());
    }
    Number::from_f64(number.as_f64()?.abs())
}

/// Python's `math.ceil` and `math.floor`: the result is an integer.
fn round(value: &Variable, f: fn(f64) -> f64) -> Option<Number> {
    let Variable::Number(number) = value else {
        return None;
    };
    if number.is_i64() || number.is_u64() {
        return Some(number.clone());
    }
    let rounded = f(number.as_f64()?);
    // Within ±2^63 the float converts to an i64 exactly.
    if rounded.abs() < 9.2e18 {
        #[allow(clippy::cast_possible_truncation)]
        return Some(Number::from(rounded as i64));
    }
    Number::from_f64(rounded)
}
