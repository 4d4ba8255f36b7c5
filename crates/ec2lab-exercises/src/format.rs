//! The exercise pack format, `ec2lab-exercises/1` (documented with a
//! complete example in `docs/exercise-format.md`).
//!
//! A pack is JSON: `{"format": "ec2lab-exercises/1", "title": …,
//! "exercises": [...]}`. Each exercise is data: a brief, the starting lab as
//! script lines, named goals (predicates on the account, see [`crate::goal`]),
//! progressive hints, a reference solution, known wrong attempts with the
//! feedback a learner should get, and a closing explanation citing entries
//! of `aws-behaviour.md`. Unknown fields are errors, so a typo in a pack is
//! reported rather than silently ignored.
//!
//! Parameters (a CIDR, a port, an attacker's address) are drawn from a seed
//! with a small deterministic hash, so each student can get different
//! numbers and the same seed always gives the same ones. `{{name}}` in any
//! string of the exercise is replaced by the drawn value; a string that is
//! exactly `{{name}}` of an `int` parameter becomes a JSON number, so
//! numeric fields (a port in a goal) can take parameters too.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::goal::Predicate;

/// The format tag every pack carries.
pub const FORMAT: &str = "ec2lab-exercises/1";

/// The four tracks of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Track {
    /// What an AMI is, and how it differs from a snapshot (D, E).
    AmiVsSnapshot,
    /// Configuring at boot with user data versus baking an AMI (H, I).
    UserDataVsAmi,
    /// Security groups versus network ACLs (A, B, C).
    SgVsNacl,
    /// EBS, instance store and EFS (F, G, J).
    Storage,
}

impl Track {
    /// Every track, in the catalogue's order.
    pub const ALL: [Self; 4] = [
        Self::AmiVsSnapshot,
        Self::UserDataVsAmi,
        Self::SgVsNacl,
        Self::Storage,
    ];

    /// The track's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::AmiVsSnapshot => "AMI vs snapshot",
            Self::UserDataVsAmi => "User data vs AMI",
            Self::SgVsNacl => "Security groups vs network ACLs",
            Self::Storage => "Storage",
        }
    }
}

/// One exercise, with its parameters substituted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// A stable id, unique in the pack (`sg-open-web`).
    pub id: String,
    /// The track it belongs to.
    pub track: Track,
    /// A short title.
    pub title: String,
    /// What the learner is asked to do, in a few sentences.
    pub brief: String,
    /// Parameters drawn from the seed, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, Parameter>,
    /// The Region the learner starts in and goals default to
    /// (`us-east-1` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Lines run on the default lab before the learner starts (the script
    /// language of `ec2lab run`, plus `let NAME = <line>` and `=> error
    /// Code`, as in `tests/behaviour/`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setup: Vec<String>,
    /// The goals, all of which the learner must meet.
    pub goals: Vec<Goal>,
    /// Hints, from gentle to explicit.
    pub hints: Vec<String>,
    /// A reference solution: lines run after the setup.
    pub solution: Vec<String>,
    /// Known wrong attempts, each with the feedback it deserves.
    pub wrong_attempts: Vec<WrongAttempt>,
    /// What the learner should take away.
    pub explanation: Explanation,
}

impl Exercise {
    /// The Region goals and lines default to.
    pub fn region(&self) -> &str {
        self.region.as_deref().unwrap_or(ec2lab_sim::DEFAULT_REGION)
    }

    /// The goal with this name.
    pub fn goal(&self, name: &str) -> Option<&Goal> {
        self.goals.iter().find(|g| g.name == name)
    }
}

/// A named goal: the predicate is exactly what is checked, and its
/// `Display` is exactly what the learner reads in the checklist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// A short name, unique in the exercise (`web-open`).
    pub name: String,
    /// The predicate on the account.
    pub check: Predicate,
}

/// A known wrong attempt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrongAttempt {
    /// What the learner tries, run after the setup.
    pub lines: Vec<String>,
    /// What the learner should be told.
    pub feedback: String,
    /// The goals it leaves unmet (by name); at least one.
    pub unmet: Vec<String>,
    /// A predicate that recognises this misconception in the account, if
    /// one can: it holds after the attempt (and not after the solution).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detect: Option<Predicate>,
}

/// The closing explanation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    /// The AWS concept, explained.
    pub text: String,
    /// The entries of `aws-behaviour.md` it rests on (`E6`, `B5`).
    pub behaviour: Vec<String>,
}

/// A parameter, drawn from the seed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Parameter {
    /// One of the strings given.
    Choice {
        /// The choices (at least one).
        choices: Vec<String>,
    },
    /// A whole number from `min` to `max`, inclusive.
    Int {
        /// The smallest value.
        min: i64,
        /// The largest value.
        max: i64,
    },
    /// A host address inside an IPv4 CIDR block (never its first or last
    /// address).
    Ipv4 {
        /// The block, e.g. `198.51.100.0/24`.
        cidr: String,
    },
}

/// A value drawn for a parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drawn {
    /// Text (a choice or an address).
    Text(String),
    /// A number.
    Int(i64),
}

impl fmt::Display for Drawn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(t) => f.write_str(t),
            Self::Int(n) => write!(f, "{n}"),
        }
    }
}

impl Parameter {
    /// What is wrong with the parameter, if anything.
    fn problem(&self) -> Option<String> {
        match self {
            Self::Choice { choices } if choices.is_empty() => {
                Some("a choice parameter needs at least one choice".into())
            }
            Self::Int { min, max } if min > max => {
                Some(format!("min ({min}) is greater than max ({max})"))
            }
            Self::Ipv4 { cidr } => match parse_cidr(cidr) {
                Some((_, len)) if len <= 30 => None,
                Some(_) => Some(format!(
                    "{cidr} has no host addresses to draw from: use /30 or larger"
                )),
                None => Some(format!(
                    "'{cidr}' is not an IPv4 CIDR block such as 198.51.100.0/24"
                )),
            },
            _ => None,
        }
    }

    /// The value for this seed (`key` tells parameters apart).
    pub fn draw(&self, seed: u64, key: &str) -> Drawn {
        let r = mix(seed, key);
        match self {
            Self::Choice { choices } => {
                let n = choices.len().max(1) as u64;
                Drawn::Text(
                    choices
                        .get(usize::try_from(r % n).unwrap_or(0))
                        .cloned()
                        .unwrap_or_default(),
                )
            }
            Self::Int { min, max } => {
                let span = max.abs_diff(*min).saturating_add(1);
                let offset = if span == 0 { r } else { r % span };
                Drawn::Int(min.wrapping_add_unsigned(offset))
            }
            Self::Ipv4 { cidr } => {
                let (base, len) = parse_cidr(cidr).unwrap_or((0, 32));
                let hosts = (1u64 << (32 - u32::from(len.min(32))))
                    .saturating_sub(2)
                    .max(1);
                let host = u32::try_from(1 + r % hosts).unwrap_or(1);
                Drawn::Text(std::net::Ipv4Addr::from(base | host).to_string())
            }
        }
    }
}

/// An IPv4 CIDR as its network address and prefix length.
fn parse_cidr(cidr: &str) -> Option<(u32, u8)> {
    let (ip, len) = cidr.split_once('/')?;
    let ip: std::net::Ipv4Addr = ip.parse().ok()?;
    let len: u8 = len.parse().ok()?;
    if len > 32 {
        return None;
    }
    let mask = if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len))
    };
    Some((u32::from(ip) & mask, len))
}

/// SplitMix64 over the seed and an FNV-1a hash of the key: a tiny,
/// deterministic, well-mixed draw (no randomness, no `rand`).
fn mix(seed: u64, key: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = seed ^ hash;
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Why a pack cannot be used: which exercise, where in the JSON, and what
/// is wrong, in words for an instructor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackError {
    /// The exercise's id, when the error is inside one that has an id.
    pub exercise: Option<String>,
    /// A JSON path such as `$.exercises[2].goals[0].check`.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// Where `path` is in the pack's text, as a line and a column from 1,
    /// when the pack was read from text ([`Pack::from_json`]): the member
    /// or element the path names, or, for a missing field, the object
    /// that lacks it. `Display` leaves it out (the path says where); a
    /// program that has the file's name puts `file:line:column` first.
    pub position: Option<(usize, usize)>,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.exercise {
            Some(id) => write!(f, "exercise '{id}' at {}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for PackError {}

/// An exercise as the pack holds it: its JSON, from which each seed
/// instantiates its own copy, and the copy for seed 0 to show in a list.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    raw: Value,
    index: usize,
    /// Its parameters, read and checked once, when the pack is read.
    parameters: BTreeMap<String, Parameter>,
    /// The exercise with the values of seed 0.
    pub preview: Exercise,
}

impl Template {
    /// The exercise's id.
    pub fn id(&self) -> &str {
        &self.preview.id
    }

    /// The exercise with the parameters drawn from `seed`.
    pub fn instantiate(&self, seed: u64) -> Result<Exercise, PackError> {
        instantiate(&self.raw, self.index, &self.parameters, seed)
    }

    /// Where a parameter is declared: `$.exercises[3].parameters.port`.
    pub fn parameter_path(&self, name: &str) -> String {
        format!("$.exercises[{}].parameters.{name}", self.index)
    }

    /// The parameters that the part of the exercise at `path` (a path an
    /// error of [`Template::instantiate`] names) uses as `{{name}}`, in
    /// name order, each with its declaration.
    pub fn parameters_at(&self, path: &str) -> Vec<(&str, &Parameter)> {
        let at = format!("$.exercises[{}]", self.index);
        let part = path
            .strip_prefix(&at)
            .and_then(|rest| value_at(&self.raw, &segments(rest)?));
        let mut used = Vec::new();
        if let Some(part) = part {
            parameter_names(part, &mut used);
        }
        self.parameters
            .iter()
            .filter(|(name, _)| used.contains(name))
            .map(|(name, p)| (name.as_str(), p))
            .collect()
    }
}

/// A validated pack.
#[derive(Clone, Debug, PartialEq)]
pub struct Pack {
    /// The pack's title.
    pub title: String,
    /// Its exercises, in order.
    pub exercises: Vec<Template>,
}

impl Pack {
    /// Reads and validates a pack.
    pub fn from_json(text: &str) -> Result<Self, PackError> {
        let value: Value = serde_json::from_str(text).map_err(|e| PackError {
            exercise: None,
            path: format!("line {} column {}", e.line(), e.column()),
            message: format!("not JSON: {e}"),
            // The path says it already.
            position: None,
        })?;
        Self::from_value(&value).map_err(|e| PackError {
            position: segments(e.path.strip_prefix('$').unwrap_or_default())
                .and_then(|path| position_in(text, &path)),
            ..e
        })
    }

    /// Validates a pack already read as JSON.
    pub fn from_value(value: &Value) -> Result<Self, PackError> {
        let top = |path: &str, message: String| PackError {
            exercise: None,
            path: path.to_owned(),
            message,
            position: None,
        };
        let Value::Object(object) = value else {
            return Err(top(
                "$",
                "a pack is a JSON object with \"format\" and \"exercises\"".into(),
            ));
        };
        for key in object.keys() {
            if !["format", "title", "exercises"].contains(&key.as_str()) {
                return Err(top(
                    &format!("$.{key}"),
                    format!(
                        "unknown field `{key}`, expected one of `format`, `title`, `exercises`"
                    ),
                ));
            }
        }
        match object.get("format") {
            Some(Value::String(f)) if f == FORMAT => {}
            Some(other) => {
                return Err(top(
                    "$.format",
                    format!("this lab reads format \"{FORMAT}\", not {other}"),
                ))
            }
            None => return Err(top("$", format!("missing field `format` (\"{FORMAT}\")"))),
        }
        let title = match object.get("title") {
            None => String::new(),
            Some(Value::String(t)) => t.clone(),
            Some(_) => return Err(top("$.title", "the title must be a string".into())),
        };
        let Some(Value::Array(list)) = object.get("exercises") else {
            return Err(top(
                "$.exercises",
                "missing or not a list of exercises".into(),
            ));
        };
        let mut exercises: Vec<Template> = Vec::new();
        for (index, raw) in list.iter().enumerate() {
            let parameters = read_parameters(raw, index)?;
            let preview = instantiate(raw, index, &parameters, 0)?;
            if let Some(earlier) = exercises.iter().find(|t| t.id() == preview.id) {
                return Err(PackError {
                    exercise: Some(preview.id.clone()),
                    path: format!("$.exercises[{index}].id"),
                    message: format!("the id is used twice (also $.exercises[{}])", earlier.index),
                    position: None,
                });
            }
            exercises.push(Template {
                raw: raw.clone(),
                index,
                parameters,
                preview,
            });
        }
        Ok(Self { title, exercises })
    }

    /// The exercise with this id.
    pub fn get(&self, id: &str) -> Option<&Template> {
        self.exercises.iter().find(|t| t.id() == id)
    }
}

/// The exercise's id, if it has one that is a string (to name it in errors).
fn id_of(raw: &Value) -> Option<String> {
    raw.get("id").and_then(Value::as_str).map(str::to_owned)
}

/// Reads and checks the parameters of the exercise at `$.exercises[index]`.
/// They do not depend on the seed, so this is done once per exercise, and
/// each problem in a declaration is reported once.
fn read_parameters(raw: &Value, index: usize) -> Result<BTreeMap<String, Parameter>, PackError> {
    let at = format!("$.exercises[{index}].parameters");
    let error = |path: String, message: String| PackError {
        exercise: id_of(raw),
        path,
        message,
        position: None,
    };
    match raw.get("parameters") {
        None => Ok(BTreeMap::new()),
        Some(Value::Object(map)) => {
            let mut out = BTreeMap::new();
            for (name, p) in map {
                let path = format!("{at}.{name}");
                let parameter =
                    Parameter::deserialize(p).map_err(|e| error(path.clone(), e.to_string()))?;
                if let Some(problem) = parameter.problem() {
                    return Err(error(path, problem));
                }
                out.insert(name.clone(), parameter);
            }
            Ok(out)
        }
        Some(_) => Err(error(
            at,
            "parameters are an object of name → parameter".into(),
        )),
    }
}

/// The exercise at `$.exercises[index]` with the values of `seed`.
fn instantiate(
    raw: &Value,
    index: usize,
    parameters: &BTreeMap<String, Parameter>,
    seed: u64,
) -> Result<Exercise, PackError> {
    let at = format!("$.exercises[{index}]");
    let error = |path: String, message: String| PackError {
        exercise: id_of(raw),
        path,
        message,
        position: None,
    };
    if !raw.is_object() {
        return Err(error(at, "an exercise is a JSON object".into()));
    }
    let values: BTreeMap<String, Drawn> = parameters
        .iter()
        .map(|(name, p)| (name.clone(), p.draw(seed, name)))
        .collect();
    let substituted =
        substitute(raw, &values, &at).map_err(|(path, message)| error(path, message))?;
    let exercise = Exercise::deserialize(&substituted).map_err(|e| {
        let message = e.to_string();
        let (path, message) = locate(&substituted, &at)
            .or_else(|| locate_field(&substituted, &at, &message))
            .unwrap_or((at.clone(), message));
        error(path, json_words(&message))
    })?;
    validate(&exercise, &at).map_err(|(path, message)| error(path, message))?;
    Ok(exercise)
}

/// Replaces `{{name}}` in every string; an unknown name is an error.
fn substitute(
    value: &Value,
    values: &BTreeMap<String, Drawn>,
    path: &str,
) -> Result<Value, (String, String)> {
    Ok(match value {
        Value::String(s) => {
            if let Some(name) = s.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")) {
                if let Some(Drawn::Int(n)) = values.get(name.trim()) {
                    return Ok(Value::from(*n));
                }
            }
            let mut out = String::new();
            let mut rest = s.as_str();
            while let Some(start) = rest.find("{{") {
                out.push_str(&rest[..start]);
                let after = &rest[start + 2..];
                let end = after
                    .find("}}")
                    .ok_or_else(|| (path.to_owned(), format!("unclosed {{{{ in \"{s}\"")))?;
                let name = after[..end].trim();
                let drawn = values.get(name).ok_or_else(|| {
                    (
                        path.to_owned(),
                        format!("{{{{{name}}}}} names no parameter of this exercise (declare it under \"parameters\")"),
                    )
                })?;
                out.push_str(&drawn.to_string());
                rest = &after[end + 2..];
            }
            out.push_str(rest);
            Value::String(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| substitute(v, values, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                // The parameters' own declarations are not substituted.
                let v = if k == "parameters" && path.matches('.').count() == 1 {
                    v.clone()
                } else {
                    substitute(v, values, &format!("{path}.{k}"))?
                };
                out.insert(k.clone(), v);
            }
            Value::Object(out)
        }
        other => other.clone(),
    })
}

/// Finds the innermost part of an exercise that does not deserialize, to
/// name its path: a goal, a goal's check (into `all`, `any`, `not`), a
/// wrong attempt, its `detect`, or the explanation.
fn locate(exercise: &Value, at: &str) -> Option<(String, String)> {
    fn check(value: &Value, path: &str) -> Option<(String, String)> {
        let inner = match value.get("check").and_then(Value::as_str) {
            Some("all" | "any") => value.get("of").and_then(Value::as_array).and_then(|items| {
                items
                    .iter()
                    .enumerate()
                    .find_map(|(i, v)| check(v, &format!("{path}.of[{i}]")))
            }),
            Some("not") => value
                .get("goal")
                .and_then(|v| check(v, &format!("{path}.goal"))),
            _ => None,
        };
        inner.or_else(|| {
            Predicate::deserialize(value)
                .err()
                .map(|e| (path.to_owned(), e.to_string()))
        })
    }
    if let Some(goals) = exercise.get("goals").and_then(Value::as_array) {
        for (i, goal) in goals.iter().enumerate() {
            let path = format!("{at}.goals[{i}]");
            if let Some(c) = goal.get("check") {
                if let Some(found) = check(c, &format!("{path}.check")) {
                    return Some(found);
                }
            }
            if let Err(e) = Goal::deserialize(goal) {
                return Some((path, e.to_string()));
            }
        }
    }
    if let Some(attempts) = exercise.get("wrong_attempts").and_then(Value::as_array) {
        for (i, attempt) in attempts.iter().enumerate() {
            let path = format!("{at}.wrong_attempts[{i}]");
            if let Some(d) = attempt.get("detect") {
                if let Some(found) = check(d, &format!("{path}.detect")) {
                    return Some(found);
                }
            }
            if let Err(e) = WrongAttempt::deserialize(attempt) {
                return Some((path, e.to_string()));
            }
        }
    }
    if let Some(explanation) = exercise.get("explanation") {
        if let Err(e) = Explanation::deserialize(explanation) {
            return Some((format!("{at}.explanation"), e.to_string()));
        }
    }
    None
}

/// Finds the member of an exercise that serde refuses, when [`locate`]
/// found nothing deeper: the member a `missing field` error names, or the
/// first member (and, in a list, the first element) from which a prefix
/// of the exercise no longer deserializes. Serde reads an object's members
/// in order and stops at the first bad one, so that member is the one
/// whose inclusion first brings an error other than a missing field.
fn locate_field(exercise: &Value, at: &str, error: &str) -> Option<(String, String)> {
    let map = exercise.as_object()?;
    if let Some(name) = error
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
        .filter(|name| !map.contains_key(*name))
    {
        return Some((format!("{at}.{name}"), error.to_owned()));
    }
    let refused = |prefix: &serde_json::Map<String, Value>| -> Option<String> {
        let value = Value::Object(prefix.clone());
        match Exercise::deserialize(&value) {
            Err(e) if !e.to_string().starts_with("missing field") => Some(e.to_string()),
            _ => None,
        }
    };
    let mut prefix = serde_json::Map::new();
    for (key, value) in map {
        prefix.insert(key.clone(), value.clone());
        let Some(message) = refused(&prefix) else {
            continue;
        };
        if let Value::Array(items) = value {
            for i in 0..items.len() {
                prefix.insert(key.clone(), Value::Array(items[..=i].to_vec()));
                if let Some(message) = refused(&prefix) {
                    return Some((format!("{at}.{key}[{i}]"), message));
                }
            }
        }
        return Some((format!("{at}.{key}"), message));
    }
    None
}

/// Serde's words for JSON's: a sequence is a list, a map an object.
fn json_words(message: &str) -> String {
    message
        .replace("invalid type: sequence", "invalid type: a list")
        .replace("expected a sequence", "expected a list")
        .replace("invalid type: map", "invalid type: an object")
        .replace("expected a map", "expected an object")
}

/// One step of a JSON path: a member or an element.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    /// `.name`
    Member(String),
    /// `[3]`
    Element(usize),
}

/// The steps of a path after its `$` (`.exercises[3].hints`), or `None`
/// if it is not one.
fn segments(path: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            out.push(Segment::Member(after[..end].to_owned()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let (number, tail) = after.split_once(']')?;
            out.push(Segment::Element(number.parse().ok()?));
            rest = tail;
        } else {
            return None;
        }
    }
    Some(out)
}

/// The value at a path in a JSON value.
fn value_at<'v>(value: &'v Value, path: &[Segment]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, step| match step {
        Segment::Member(name) => v.get(name.as_str()),
        Segment::Element(i) => v.get(*i),
    })
}

/// Every `{{name}}` in the strings of a value, into `out` (names trimmed).
fn parameter_names(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => {
            let mut rest = s.as_str();
            while let Some(start) = rest.find("{{") {
                let after = &rest[start + 2..];
                let Some(end) = after.find("}}") else { break };
                let name = after[..end].trim().to_owned();
                if !out.contains(&name) {
                    out.push(name);
                }
                rest = &after[end + 2..];
            }
        }
        Value::Array(items) => items.iter().for_each(|v| parameter_names(v, out)),
        Value::Object(map) => map.values().for_each(|v| parameter_names(v, out)),
        _ => {}
    }
}

/// Where the member or element at `path` starts in a JSON text (already
/// known to parse), as a line and a column from 1: a member's key, an
/// element's first character. When the path goes on where the text has
/// nothing (a missing field), the last step that exists.
fn position_in(text: &str, path: &[Segment]) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut scanner = Scanner { bytes, at: 0 };
    scanner.skip_space();
    let mut found = scanner.at;
    'steps: for step in path {
        match (step, bytes.get(scanner.at)) {
            (Segment::Member(name), Some(b'{')) => {
                scanner.at += 1;
                loop {
                    scanner.skip_space();
                    if bytes.get(scanner.at) != Some(&b'"') {
                        break 'steps;
                    }
                    let key_at = scanner.at;
                    let key = scanner.string()?;
                    scanner.skip_space();
                    scanner.at += 1; // ':'
                    scanner.skip_space();
                    if key == *name {
                        found = key_at;
                        continue 'steps;
                    }
                    scanner.value()?;
                    scanner.skip_space();
                    if bytes.get(scanner.at) != Some(&b',') {
                        break 'steps;
                    }
                    scanner.at += 1;
                }
            }
            (Segment::Element(index), Some(b'[')) => {
                scanner.at += 1;
                for _ in 0..*index {
                    scanner.skip_space();
                    if bytes.get(scanner.at) == Some(&b']') {
                        break 'steps;
                    }
                    scanner.value()?;
                    scanner.skip_space();
                    if bytes.get(scanner.at) != Some(&b',') {
                        break 'steps;
                    }
                    scanner.at += 1;
                }
                scanner.skip_space();
                if bytes.get(scanner.at) == Some(&b']') {
                    break 'steps;
                }
                found = scanner.at;
            }
            _ => break,
        }
    }
    let before = text.get(..found)?;
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}

/// A cursor over JSON text that skips what it does not need.
struct Scanner<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl Scanner<'_> {
    fn skip_space(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    /// Reads a string (the cursor on its `"`), escapes decoded.
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        self.at += 1;
        loop {
            match self.bytes.get(self.at)? {
                b'\\' => self.at += 2,
                b'"' => break,
                _ => self.at += 1,
            }
        }
        self.at += 1;
        let raw = std::str::from_utf8(self.bytes.get(start..self.at)?).ok()?;
        serde_json::from_str(raw).ok()
    }

    /// Skips one value (the cursor on its first character).
    fn value(&mut self) -> Option<()> {
        match self.bytes.get(self.at)? {
            b'"' => {
                self.string()?;
            }
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.bytes.get(self.at)? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.at += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            _ => {
                while self
                    .bytes
                    .get(self.at)
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.at += 1;
                }
            }
        }
        Some(())
    }
}

/// What serde cannot check: non-empty lists, unique goal names, wrong
/// attempts naming real goals, behaviour entries shaped like `E6`.
fn validate(exercise: &Exercise, at: &str) -> Result<(), (String, String)> {
    let fail = |path: String, message: &str| Err((path, message.to_owned()));
    if exercise.id.is_empty()
        || !exercise
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return fail(
            format!("{at}.id"),
            "an id is lower-case letters, digits and '-'",
        );
    }
    if let Some(region) = &exercise.region {
        if ec2lab_sim::region(region).is_none() {
            return fail(
                format!("{at}.region"),
                "the lab does not simulate this Region",
            );
        }
    }
    if exercise.goals.is_empty() {
        return fail(format!("{at}.goals"), "an exercise needs at least one goal");
    }
    for (i, goal) in exercise.goals.iter().enumerate() {
        if exercise.goals[..i].iter().any(|g| g.name == goal.name) {
            return fail(format!("{at}.goals[{i}].name"), "two goals have this name");
        }
    }
    if exercise.hints.len() < 2 {
        return fail(
            format!("{at}.hints"),
            "give at least two hints, from gentle to explicit",
        );
    }
    if exercise.solution.is_empty() {
        return fail(
            format!("{at}.solution"),
            "an exercise needs a reference solution",
        );
    }
    if exercise.wrong_attempts.is_empty() {
        return fail(
            format!("{at}.wrong_attempts"),
            "give at least one known wrong attempt with its feedback",
        );
    }
    for (i, attempt) in exercise.wrong_attempts.iter().enumerate() {
        if attempt.unmet.is_empty() {
            return fail(
                format!("{at}.wrong_attempts[{i}].unmet"),
                "name at least one goal the attempt leaves unmet",
            );
        }
        for (j, name) in attempt.unmet.iter().enumerate() {
            if exercise.goal(name).is_none() {
                return Err((
                    format!("{at}.wrong_attempts[{i}].unmet[{j}]"),
                    format!("'{name}' is not the name of a goal of this exercise"),
                ));
            }
        }
        if attempt.feedback.trim().is_empty() {
            return fail(
                format!("{at}.wrong_attempts[{i}].feedback"),
                "the feedback is empty",
            );
        }
    }
    if exercise.explanation.behaviour.is_empty() {
        return fail(
            format!("{at}.explanation.behaviour"),
            "cite at least one entry of aws-behaviour.md (e.g. \"E6\")",
        );
    }
    for (i, entry) in exercise.explanation.behaviour.iter().enumerate() {
        let mut chars = entry.chars();
        let ok = chars.next().is_some_and(|c| ('A'..='L').contains(&c))
            && !chars.as_str().is_empty()
            && chars.all(|c| c.is_ascii_digit());
        if !ok {
            return Err((
                format!("{at}.explanation.behaviour[{i}]"),
                format!("'{entry}' is not an entry of aws-behaviour.md such as \"E6\""),
            ));
        }
    }
    Ok(())
}
