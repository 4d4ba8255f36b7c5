//! Errors the EC2 API returns.
//!
//! A command that AWS would refuse fails with AWS's own error code (for example
//! `InvalidSubnet.Conflict`) and a message in AWS's words, and changes nothing.

use std::fmt;

/// An EC2 API error: AWS's error code and a message a learner can read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// AWS's error code, e.g. `InvalidVpcID.NotFound`.
    pub code: &'static str,
    /// The message, in AWS's words where AWS has them.
    pub message: String,
}

impl ApiError {
    /// An error with AWS's code and a message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// `<Kind>.NotFound`: the id does not exist in this Region (D2).
    pub fn not_found(code: &'static str, what: &str, id: &str) -> Self {
        Self::new(code, format!("The {what} ID '{id}' does not exist"))
    }

    /// `InvalidParameterValue` for one parameter.
    pub fn invalid_value(parameter: &str, value: &str, why: &str) -> Self {
        Self::new(
            "InvalidParameterValue",
            format!("Value ({value}) for parameter {parameter} is invalid. {why}"),
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "An error occurred ({}): {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}
