//! Shapes of request members, and turning untyped values into typed ones.
//!
//! Shorthand has no types: `FromPort=22` gives the string `"22"`. The EC2 API
//! wants the number 22. [`coerce`] walks a value along the [`Shape`] the
//! operation expects, converts strings to numbers and booleans where the shape
//! asks for them, and names the exact place of anything that does not fit.

use serde_json::{Map, Value};

use crate::error::InputError;

/// The shape of one request member, as the EC2 API describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Text.
    String,
    /// A 32-bit signed integer.
    Integer,
    /// A 64-bit signed integer.
    Long,
    /// `true` or `false`.
    Boolean,
    /// A list whose items all have the inner shape.
    List(Box<Shape>),
    /// A structure with these named members, in the API's PascalCase.
    Structure(Vec<(&'static str, Shape)>),
    /// A free-form object whose values all have the inner shape.
    Map(Box<Shape>),
}

impl Shape {
    /// A short description for error messages, e.g. `an integer`.
    fn describe(&self) -> String {
        match self {
            Shape::String => "a string".to_string(),
            Shape::Integer | Shape::Long => "an integer".to_string(),
            Shape::Boolean => "true or false".to_string(),
            Shape::List(_) => "a list".to_string(),
            Shape::Structure(members) => {
                format!("a structure with members {}", member_list(members))
            }
            Shape::Map(_) => "a structure like Key=value".to_string(),
        }
    }
}

/// Converts a value, as shorthand or JSON gives it, to the typed value the
/// request uses for this shape.
///
/// - `Integer` and `Long` accept a JSON integer or a string such as `"22"`.
/// - `Boolean` accepts a JSON boolean or `"true"` / `"false"` in any case.
/// - `List` accepts a list, and takes any single value as a one-item list.
/// - `Structure` accepts an object, keeps its known members and refuses any
///   other member.
/// - `Map` accepts an object and coerces each of its values.
/// - `String` accepts only a string.
///
/// `path` names the value in error messages; start it with the parameter's
/// PascalCase name, e.g. `IpPermissions`.
///
/// ```
/// use ec2lab_awscli::{coerce, Shape};
/// use serde_json::json;
///
/// let shape = Shape::List(Box::new(Shape::Integer));
/// let typed = coerce(&json!("22"), &shape, "Ports").ok();
/// assert_eq!(typed, Some(json!([22])));
/// ```
///
/// # Errors
///
/// An [`InputError`] whose path points at the first value that does not fit,
/// e.g. `IpPermissions[0].FromPort: expected an integer, got "abc"`.
pub fn coerce(value: &Value, shape: &Shape, path: &str) -> Result<Value, InputError> {
    match shape {
        Shape::String => match value {
            Value::String(_) => Ok(value.clone()),
            _ => Err(mismatch(value, shape, path)),
        },
        Shape::Integer => integer(value, path, i64::from(i32::MIN), i64::from(i32::MAX)),
        Shape::Long => integer(value, path, i64::MIN, i64::MAX),
        Shape::Boolean => match value {
            Value::Bool(_) => Ok(value.clone()),
            Value::String(text) if text.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
            Value::String(text) if text.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
            _ => Err(mismatch(value, shape, path)),
        },
        Shape::List(item) => match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, value)| coerce(value, item, &format!("{path}[{index}]")))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            Value::Null => Err(mismatch(value, shape, path)),
            _ => Ok(Value::Array(vec![coerce(
                value,
                item,
                &format!("{path}[0]"),
            )?])),
        },
        Shape::Structure(members) => {
            let Value::Object(object) = value else {
                return Err(mismatch(value, shape, path));
            };
            let mut typed = Map::new();
            for (key, value) in object {
                let member_path = join(path, key);
                let Some((_, member_shape)) = members.iter().find(|(name, _)| name == key) else {
                    return Err(InputError::new(
                        member_path,
                        format!(
                            "unknown parameter '{key}'; expected one of: {}",
                            member_list(members)
                        ),
                    ));
                };
                typed.insert(key.clone(), coerce(value, member_shape, &member_path)?);
            }
            Ok(Value::Object(typed))
        }
        Shape::Map(item) => {
            let Value::Object(object) = value else {
                return Err(mismatch(value, shape, path));
            };
            let mut typed = Map::new();
            for (key, value) in object {
                typed.insert(key.clone(), coerce(value, item, &join(path, key))?);
            }
            Ok(Value::Object(typed))
        }
    }
}

/// Coerces an integer that must lie between `min` and `max`.
fn integer(value: &Value, path: &str, min: i64, max: i64) -> Result<Value, InputError> {
    let number = match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse::<i64>().ok(),
        _ => None,
    };
    match number {
        Some(number) if (min..=max).contains(&number) => Ok(Value::from(number)),
        Some(_) => Err(InputError::new(
            path,
            format!(
                "expected an integer from {min} to {max}, got {}",
                describe_value(value)
            ),
        )),
        None => Err(InputError::new(
            path,
            format!("expected an integer, got {}", describe_value(value)),
        )),
    }
}

/// The error for a value that does not have the expected shape.
fn mismatch(value: &Value, shape: &Shape, path: &str) -> InputError {
    InputError::new(
        path,
        format!(
            "expected {}, got {}",
            shape.describe(),
            describe_value(value)
        ),
    )
}

/// A value as an error message shows it: scalars as JSON, containers by kind.
pub(crate) fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(_) | Value::Number(_) | Value::String(_) => value.to_string(),
        Value::Array(items) if items.len() == 1 => "a list of 1 item".to_string(),
        Value::Array(items) => format!("a list of {} items", items.len()),
        Value::Object(_) => "a structure".to_string(),
    }
}

/// The member names of a structure, sorted and separated by commas.
fn member_list(members: &[(&'static str, Shape)]) -> String {
    let mut names: Vec<&str> = members.iter().map(|(name, _)| *name).collect();
    names.sort_unstable();
    names.join(", ")
}

/// A member's path below a parent path.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};
    use serde_json::Value;

    use super::{coerce, Shape};
    use crate::parse_value;

    /// The shape of EC2's `IpPermissions` member.
    fn ip_permissions() -> Shape {
        Shape::List(Box::new(Shape::Structure(vec![
            ("IpProtocol", Shape::String),
            ("FromPort", Shape::Integer),
            ("ToPort", Shape::Integer),
            (
                "IpRanges",
                Shape::List(Box::new(Shape::Structure(vec![
                    ("CidrIp", Shape::String),
                    ("Description", Shape::String),
                ]))),
            ),
            (
                "Ipv6Ranges",
                Shape::List(Box::new(Shape::Structure(vec![
                    ("CidrIpv6", Shape::String),
                    ("Description", Shape::String),
                ]))),
            ),
        ])))
    }

    /// Parses the text with `parse_value`, coerces it, and prints the result
    /// as compact JSON or the error.
    fn check(text: &str, shape: &Shape, path: &str, expected: Expect) {
        let actual = match parse_value(text) {
            Ok(value) => match coerce(&value, shape, path) {
                Ok(typed) => typed.to_string(),
                Err(error) => format!("error: {error}"),
            },
            Err(error) => format!("syntax error: {error}"),
        };
        expected.assert_eq(&actual);
    }

    /// Coerces a value given directly, for values shorthand cannot produce.
    fn check_json(value: Value, shape: &Shape, expected: Expect) {
        let actual = match coerce(&value, shape, "Value") {
            Ok(typed) => typed.to_string(),
            Err(error) => format!("error: {error}"),
        };
        expected.assert_eq(&actual);
    }

    #[test]
    fn scalars() {
        let int = Shape::Integer;
        check("22", &int, "FromPort", expect![["22"]]);
        check("-1", &int, "FromPort", expect![["-1"]]);
        check("' 8080 '", &int, "FromPort", expect![["8080"]]);
        check(
            "abc",
            &int,
            "FromPort",
            expect![[r#"error: FromPort: expected an integer, got "abc""#]],
        );
        check(
            "",
            &int,
            "FromPort",
            expect![[r#"error: FromPort: expected an integer, got """#]],
        );
        check(
            "2.5",
            &int,
            "FromPort",
            expect![[r#"error: FromPort: expected an integer, got "2.5""#]],
        );
        check(
            "2147483648",
            &int,
            "FromPort",
            expect![[
                r#"error: FromPort: expected an integer from -2147483648 to 2147483647, got "2147483648""#
            ]],
        );
        check("2147483648", &Shape::Long, "Size", expect![["2147483648"]]);
        check(
            "99999999999999999999",
            &Shape::Long,
            "Size",
            expect![[r#"error: Size: expected an integer, got "99999999999999999999""#]],
        );
        check("true", &Shape::Boolean, "DryRun", expect![["true"]]);
        check("FALSE", &Shape::Boolean, "DryRun", expect![["false"]]);
        check(
            "yes",
            &Shape::Boolean,
            "DryRun",
            expect![[r#"error: DryRun: expected true or false, got "yes""#]],
        );
        check("vpc-1", &Shape::String, "VpcId", expect![[r#""vpc-1""#]]);
        check(
            "a,b",
            &Shape::String,
            "VpcId",
            expect![["error: VpcId: expected a string, got a list of 2 items"]],
        );
        check(
            "A=1",
            &Shape::String,
            "VpcId",
            expect![["error: VpcId: expected a string, got a structure"]],
        );
    }

    #[test]
    fn typed_json_passes_through() {
        check_json(serde_json::json!(22), &Shape::Integer, expect![["22"]]);
        check_json(
            serde_json::json!(22.5),
            &Shape::Integer,
            expect![["error: Value: expected an integer, got 22.5"]],
        );
        check_json(serde_json::json!(true), &Shape::Boolean, expect![["true"]]);
        check_json(
            serde_json::json!(1),
            &Shape::Boolean,
            expect![["error: Value: expected true or false, got 1"]],
        );
        check_json(
            serde_json::json!(5),
            &Shape::String,
            expect![["error: Value: expected a string, got 5"]],
        );
        check_json(
            Value::Null,
            &Shape::String,
            expect![["error: Value: expected a string, got null"]],
        );
        check_json(
            Value::Null,
            &Shape::List(Box::new(Shape::String)),
            expect![["error: Value: expected a list, got null"]],
        );
        check_json(
            serde_json::json!([]),
            &Shape::List(Box::new(Shape::Integer)),
            expect![["[]"]],
        );
    }

    #[test]
    fn lists() {
        let ids = Shape::List(Box::new(Shape::String));
        check("sg-1", &ids, "GroupIds", expect![[r#"["sg-1"]"#]]);
        check(
            "sg-1,sg-2",
            &ids,
            "GroupIds",
            expect![[r#"["sg-1","sg-2"]"#]],
        );
        check("[]", &ids, "GroupIds", expect![["[]"]]);
        check(
            "[sg-1,[sg-2]]",
            &ids,
            "GroupIds",
            expect![["error: GroupIds[1]: expected a string, got a list of 1 item"]],
        );
        let ports = Shape::List(Box::new(Shape::Integer));
        check(
            "22,80,x",
            &ports,
            "Ports",
            expect![[r#"error: Ports[2]: expected an integer, got "x""#]],
        );
    }

    #[test]
    fn structures() {
        let shape = ip_permissions();
        check(
            "IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=203.0.113.0/24,Description='SSH from office'}]",
            &shape,
            "IpPermissions",
            expect![[
                r#"[{"FromPort":22,"IpProtocol":"tcp","IpRanges":[{"CidrIp":"203.0.113.0/24","Description":"SSH from office"}],"ToPort":22}]"#
            ]],
        );
        check(
            "IpProtocol=-1,Ipv6Ranges=[{CidrIpv6=::/0}]",
            &shape,
            "IpPermissions",
            expect![[r#"[{"IpProtocol":"-1","Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]"#]],
        );
        check(
            r#"[{"IpProtocol":"tcp","FromPort":443,"ToPort":"443","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]"#,
            &shape,
            "IpPermissions",
            expect![[
                r#"[{"FromPort":443,"IpProtocol":"tcp","IpRanges":[{"CidrIp":"0.0.0.0/0"}],"ToPort":443}]"#
            ]],
        );
        check(
            "IpProtocol=tcp,FromPort=abc",
            &shape,
            "IpPermissions",
            expect![[r#"error: IpPermissions[0].FromPort: expected an integer, got "abc""#]],
        );
        check(
            "IpProtocol=tcp,IpRanges=[{Cidr=10.0.0.0/8}]",
            &shape,
            "IpPermissions",
            expect![[
                "error: IpPermissions[0].IpRanges[0].Cidr: unknown parameter 'Cidr'; expected one of: CidrIp, Description"
            ]],
        );
        check(
            "[{IpProtocol=tcp},{IpProtocol=udp,Port=53}]",
            &shape,
            "IpPermissions",
            expect![[
                "error: IpPermissions[1].Port: unknown parameter 'Port'; expected one of: FromPort, IpProtocol, IpRanges, Ipv6Ranges, ToPort"
            ]],
        );
        check(
            "IpProtocol=tcp,IpRanges=10.0.0.0/8",
            &shape,
            "IpPermissions",
            expect![[
                r#"error: IpPermissions[0].IpRanges[0]: expected a structure with members CidrIp, Description, got "10.0.0.0/8""#
            ]],
        );
        check(
            "IpProtocol=tcp,IpRanges={CidrIp=10.0.0.0/8}",
            &shape,
            "IpPermissions",
            expect![[r#"[{"IpProtocol":"tcp","IpRanges":[{"CidrIp":"10.0.0.0/8"}]}]"#]],
        );
        let range = Shape::Structure(vec![("From", Shape::Integer), ("To", Shape::Integer)]);
        check(
            "80",
            &range,
            "PortRange",
            expect![[r#"error: PortRange: expected a structure with members From, To, got "80""#]],
        );
        check(
            "From=80,To=90",
            &range,
            "PortRange",
            expect![[r#"{"From":80,"To":90}"#]],
        );
        check(
            "From=80,To=90",
            &range,
            "",
            expect![[r#"{"From":80,"To":90}"#]],
        );
        check(
            "From=80,Too=90",
            &range,
            "",
            expect![["error: Too: unknown parameter 'Too'; expected one of: From, To"]],
        );
    }

    #[test]
    fn maps() {
        let tags = Shape::Map(Box::new(Shape::String));
        check(
            "Name=web,Team=blue",
            &tags,
            "Tags",
            expect![[r#"{"Name":"web","Team":"blue"}"#]],
        );
        check("{}", &tags, "Tags", expect![["{}"]]);
        check(
            "Name=[a]",
            &tags,
            "Tags",
            expect![[r#"error: Tags.Name: expected a string, got a list of 1 item"#]],
        );
        check(
            "web",
            &tags,
            "Tags",
            expect![[r#"error: Tags: expected a structure like Key=value, got "web""#]],
        );
    }
}
