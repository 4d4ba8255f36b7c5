//! The two errors this crate reports.
//!
//! A [`SyntaxError`] says that a piece of text cannot be read at all and points
//! at the column where the problem starts. An [`InputError`] says that a command
//! was read but does not fit what the operation expects, and names the option
//! or the parameter path that is wrong.

use std::fmt;

/// Text that cannot be read, with the place where the problem starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// The 1-based column, counted in characters, where the problem starts.
    pub column: usize,
    /// What is wrong, in words a learner can read.
    pub message: String,
}

impl SyntaxError {
    /// An error at a 1-based column.
    pub fn new(column: usize, message: impl Into<String>) -> Self {
        Self {
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for SyntaxError {}

/// A command or parameter value that does not fit what the operation expects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// Where the problem is: a parameter path such as
    /// `IpPermissions[0].FromPort`, an option such as `--group-id`, or empty
    /// when the problem concerns the command as a whole.
    pub path: String,
    /// What is wrong, in words a learner can read.
    pub message: String,
}

impl InputError {
    /// An error at a parameter path or option.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }

    /// An error about the command as a whole, with an empty path.
    pub fn command(message: impl Into<String>) -> Self {
        Self::new(String::new(), message)
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for InputError {}
