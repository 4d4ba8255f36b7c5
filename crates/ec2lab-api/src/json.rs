//! Reading AWS's JSON with the path to every value, so that an error can say
//! exactly where it is: `subnets.json: $.Subnets[2].VpcId`.

use std::fmt;

use serde_json::Value;

/// Input that cannot be used: which file, where in it, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// The file (or `<input>`).
    pub file: String,
    /// The JSON path, e.g. `$.Subnets[2].VpcId`.
    pub path: String,
    /// What is wrong, for a person.
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.path, self.message)
    }
}

impl std::error::Error for ImportError {}

/// A JSON value, the file it is in and its path there.
#[derive(Clone, Debug)]
pub struct Node<'a> {
    /// The value.
    pub value: &'a Value,
    file: &'a str,
    path: String,
}

impl<'a> Node<'a> {
    /// The root of a document read from `file`.
    pub fn root(value: &'a Value, file: &'a str) -> Self {
        Node {
            value,
            file,
            path: "$".to_owned(),
        }
    }

    /// An error at this node.
    pub fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError {
            file: self.file.to_owned(),
            path: self.path.clone(),
            message: message.into(),
        }
    }

    /// The member `key`, if present and not null.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        let value = self.value.get(key).filter(|v| !v.is_null())?;
        Some(Node {
            value,
            file: self.file,
            path: format!("{}.{key}", self.path),
        })
    }

    /// The member `key`, which must be present.
    pub fn required(&self, key: &str) -> Result<Node<'a>, ImportError> {
        self.get(key)
            .ok_or_else(|| self.error(format!("the member {key} is missing")))
    }

    /// This node as a string.
    pub fn str(&self) -> Result<&'a str, ImportError> {
        self.value
            .as_str()
            .ok_or_else(|| self.error(format!("expected a string, found {}", kind(self.value))))
    }

    /// This node as a boolean.
    pub fn bool(&self) -> Result<bool, ImportError> {
        self.value.as_bool().ok_or_else(|| {
            self.error(format!(
                "expected true or false, found {}",
                kind(self.value)
            ))
        })
    }

    /// This node as an integer.
    pub fn i64(&self) -> Result<i64, ImportError> {
        self.value
            .as_i64()
            .ok_or_else(|| self.error(format!("expected an integer, found {}", kind(self.value))))
    }

    /// This node as a whole number that fits AWS's `Integer` (sizes, IOPS,
    /// throughput): 0 to 4294967295.
    pub fn u32(&self) -> Result<u32, ImportError> {
        let number = self.i64()?;
        u32::try_from(number).map_err(|_| {
            self.error(format!(
                "{number} is out of range: expected 0 to {}",
                u32::MAX
            ))
        })
    }

    /// The items of this node, which must be a list.
    pub fn items(&self) -> Result<Vec<Node<'a>>, ImportError> {
        let list = self
            .value
            .as_array()
            .ok_or_else(|| self.error(format!("expected a list, found {}", kind(self.value))))?;
        Ok(list
            .iter()
            .enumerate()
            .map(|(i, value)| Node {
                value,
                file: self.file,
                path: format!("{}[{i}]", self.path),
            })
            .collect())
    }

    /// The items of the member `key`, or none if it is absent.
    pub fn list(&self, key: &str) -> Result<Vec<Node<'a>>, ImportError> {
        self.get(key)
            .map_or_else(|| Ok(Vec::new()), |node| node.items())
    }

    /// The string member `key`, if present.
    pub fn opt_str(&self, key: &str) -> Result<Option<&'a str>, ImportError> {
        self.get(key).map(|n| n.str()).transpose()
    }

    /// The string member `key`, which must be present.
    pub fn req_str(&self, key: &str) -> Result<&'a str, ImportError> {
        self.required(key)?.str()
    }

    /// The whole-number member `key` (see [`Node::u32`]), if present.
    pub fn opt_u32(&self, key: &str) -> Result<Option<u32>, ImportError> {
        self.get(key).map(|n| n.u32()).transpose()
    }

    /// The boolean member `key`, or `default` if absent.
    pub fn bool_or(&self, key: &str, default: bool) -> Result<bool, ImportError> {
        self.get(key).map_or(Ok(default), |n| n.bool())
    }

    /// Parses this string node with `parse`, naming what it should be.
    pub fn parse<T>(
        &self,
        what: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, ImportError> {
        let text = self.str()?;
        parse(text).ok_or_else(|| self.error(format!("'{text}' is not {what}")))
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
