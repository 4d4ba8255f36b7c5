//! Reads one AWS CLI v2 command line, as a learner types it, into a
//! structured EC2 API request.
//!
//! The native CLI and the browser console share this crate. The steps are:
//!
//! 1. [`split_words`] splits the line into words the way a POSIX shell does;
//! 2. [`parse_call`] groups the words into `aws <service> <operation>` and the
//!    options with their values;
//! 3. [`build_request`] matches the options to the members of an
//!    [`Operation`], reads structured values written as shorthand or JSON
//!    ([`parse_shorthand`], [`parse_value`]) and types them with [`coerce`].
//!
//! Every step reports bad input with a message that names what is wrong and
//! where: a column for text that cannot be read ([`SyntaxError`]), an option
//! or a parameter path for input that does not fit ([`InputError`]). No input
//! makes it panic. The crate is pure code without IO, so it builds for
//! `wasm32-unknown-unknown` too.
//!
//! ```
//! use ec2lab_awscli::{build_request, parse_call, split_words, Operation, Shape};
//!
//! let op = Operation {
//!     name: "delete-security-group",
//!     input: vec![("GroupId", Shape::String), ("DryRun", Shape::Boolean)],
//!     required: &["GroupId"],
//! };
//! let words = split_words("aws ec2 delete-security-group --group-id sg-1 --dry-run")?;
//! let call = parse_call(&words)?;
//! let request = build_request(&call, &op)?;
//! assert_eq!(request.body.to_string(), r#"{"DryRun":true,"GroupId":"sg-1"}"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod call;
mod error;
mod request;
mod shape;
mod shorthand;
mod words;

pub use call::{member_name, option_name, parse_call, CliCall};
pub use error::{InputError, SyntaxError};
pub use request::{build_request, Operation, Request};
pub use shape::{coerce, Shape};
pub use shorthand::{parse_shorthand, parse_value};
pub use words::{is_unfinished, split_words};
