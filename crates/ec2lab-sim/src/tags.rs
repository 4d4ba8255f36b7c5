//! Tags: the key/value labels every EC2 resource can carry.
//!
//! The console shows a resource by its `Name` tag; the lab does the same, and
//! lets commands and traces name a resource by it.

use std::collections::BTreeMap;
use std::fmt;

/// A resource's tags, ordered by key as `describe-tags` prints them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tags(BTreeMap<String, String>);

impl Tags {
    /// No tags.
    pub fn new() -> Self {
        Self::default()
    }

    /// Tags holding just `Name = name`.
    pub fn named(name: &str) -> Self {
        let mut tags = Self::new();
        tags.insert("Name", name);
        tags
    }

    /// Sets one tag, replacing an existing value (as `CreateTags` does).
    pub fn insert(&mut self, key: &str, value: &str) {
        self.0.insert(key.to_owned(), value.to_owned());
    }

    /// Removes one tag; whether it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        self.0.remove(key).is_some()
    }

    /// Keeps only the tags for which `keep` says so.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &str) -> bool) {
        self.0.retain(|k, v| keep(k, v));
    }

    /// The value of one tag.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// The `Name` tag, if the resource has one.
    pub fn name(&self) -> Option<&str> {
        self.get("Name")
    }

    /// Every tag, ordered by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Whether there are no tags.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Shows a resource the way the console does: its `Name` tag, or `-`.
pub struct NameOrDash<'a>(pub &'a Tags);

impl fmt::Display for NameOrDash<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name().unwrap_or("-"))
    }
}
