//! EC2 Image Builder, simplified: components (AWSTOE documents or bash
//! scripts), image recipes, infrastructure configurations, pipelines, and
//! the images (build versions) a pipeline execution makes.
//!
//! A build launches an instance from the recipe's parent AMI, runs every
//! component's `build`, `validate` and `test` phases on it as root, and on
//! success makes an AMI of it exactly as CreateImage does (D4): the AMI
//! carries what the components installed, so an instance launched from it
//! serves at once, without user data (H6). See `world/image_builder.rs`.
//!
//! The component document reader understands the subset of YAML that
//! AWSTOE documents use (block maps and lists, `- key: value` items, quoted
//! and plain scalars, `[a, b]` flow lists, `|` block text, `#` comments).
//! It is hand-written: a YAML crate would weigh on the web page.

use crate::ids::{ImageId, InstanceId, SecurityGroupId, SubnetId};

/// The phases a build runs, in order.
pub const PHASES: [&str; 3] = ["build", "validate", "test"];

/// One step of a component: the commands of an `ExecuteBash` action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The step's `name`.
    pub name: String,
    /// `inputs.commands`, run as one bash script.
    pub commands: Vec<String>,
}

/// A component's steps by phase (`build`, `validate`, `test`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ComponentDocument {
    /// (phase, its steps), in the document's order.
    pub phases: Vec<(String, Vec<Step>)>,
}

impl ComponentDocument {
    /// The steps of one phase.
    pub fn steps(&self, phase: &str) -> &[Step] {
        self.phases
            .iter()
            .find(|(p, _)| p == phase)
            .map_or(&[][..], |(_, steps)| steps.as_slice())
    }
}

/// A component (`CreateComponent`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Component {
    /// Its build version ARN, `…:component/<name>/<version>/1`.
    pub arn: String,
    /// `name`.
    pub name: String,
    /// `semanticVersion`.
    pub version: String,
    /// `description`.
    pub description: String,
    /// `platform` (`Linux`).
    pub platform: String,
    /// `data`, as given.
    pub data: String,
    /// What the lab read from `data`.
    pub document: ComponentDocument,
    /// Lab seconds when it was made.
    pub created: u64,
}

/// An image recipe (`CreateImageRecipe`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRecipe {
    /// `…:image-recipe/<name>/<version>`.
    pub arn: String,
    /// `name`.
    pub name: String,
    /// `semanticVersion`.
    pub version: String,
    /// `description`.
    pub description: String,
    /// `parentImage`: an AMI id.
    pub parent_image: ImageId,
    /// `components[].componentArn`, in order.
    pub components: Vec<String>,
    /// Lab seconds when it was made.
    pub created: u64,
}

/// An infrastructure configuration: where build instances run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InfrastructureConfiguration {
    /// `…:infrastructure-configuration/<name>`.
    pub arn: String,
    /// `name`.
    pub name: String,
    /// `subnetId`; `None`: the lab's default (see [`ImagePipeline`]).
    pub subnet_id: Option<SubnetId>,
    /// `securityGroupIds`; empty: the VPC's default group.
    pub security_group_ids: Vec<SecurityGroupId>,
    /// `instanceTypes`; the first is used. Empty: `t3.micro` (`t4g.micro`
    /// for an Arm parent image).
    pub instance_types: Vec<String>,
    /// Lab seconds when it was made.
    pub created: u64,
}

/// An image pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImagePipeline {
    /// `…:image-pipeline/<name>`.
    pub arn: String,
    /// `name`.
    pub name: String,
    /// `imageRecipeArn`.
    pub recipe_arn: String,
    /// `infrastructureConfigurationArn`. AWS requires one; the lab allows
    /// none, and then builds in the first public subnet of the first VPC
    /// (by address) with that VPC's default security group.
    pub infrastructure_arn: Option<String>,
    /// Lab seconds when it was made.
    pub created: u64,
}

/// Where a build ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildStatus {
    /// Every phase passed; the AMI was made.
    Available,
    /// A step failed (or the AMI could not be made); no AMI.
    Failed,
}

/// One step as it ran, for the build log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// `build`, `validate` or `test`.
    pub phase: String,
    /// The component's name.
    pub component: String,
    /// The step's name.
    pub step: String,
    /// The exit code of its script.
    pub exit_code: i32,
    /// stdout and stderr, interleaved.
    pub output: String,
}

/// An image build version (what StartImagePipelineExecution makes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageBuild {
    /// `…:image/<recipe>/<version>/<n>`.
    pub arn: String,
    /// The recipe's name.
    pub name: String,
    /// The recipe's version.
    pub version: String,
    /// `n`, counting builds of this recipe version from 1.
    pub build: u32,
    /// The recipe.
    pub recipe_arn: String,
    /// The pipeline.
    pub pipeline_arn: String,
    /// The infrastructure configuration, if the pipeline has one.
    pub infrastructure_arn: Option<String>,
    /// Where it ended.
    pub status: BuildStatus,
    /// Why it failed.
    pub reason: Option<String>,
    /// The AMI made, and its name.
    pub ami: Option<(ImageId, String)>,
    /// The instance it was built on (terminated after the build).
    pub build_instance: Option<InstanceId>,
    /// The test instance launched from the new AMI for the test phase
    /// (terminated when the tests have run); `None` if no component has a
    /// test step or the build failed before it.
    pub test_instance: Option<InstanceId>,
    /// Every step as it ran.
    pub log: Vec<LogEntry>,
    /// Lab seconds when it ran.
    pub created: u64,
}

/// A Region's Image Builder resources, each list in the order made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageBuilder {
    /// Components.
    pub components: Vec<Component>,
    /// Image recipes.
    pub recipes: Vec<ImageRecipe>,
    /// Infrastructure configurations.
    pub infrastructure: Vec<InfrastructureConfiguration>,
    /// Image pipelines.
    pub pipelines: Vec<ImagePipeline>,
    /// Image build versions.
    pub images: Vec<ImageBuild>,
}

/// Image Builder's ARN of a resource in `region`.
pub fn arn(region: &str, kind: &str, path: &str) -> String {
    format!(
        "arn:aws:imagebuilder:{region}:{}:{kind}/{path}",
        crate::ACCOUNT_ID
    )
}

/// Checks a resource name: 1 to 128 characters, letters, digits, `-`, `_`
/// and inner spaces (Image Builder's `ResourceName` pattern).
pub fn check_name(parameter: &str, name: &str) -> Result<(), crate::ApiError> {
    let ok = (1..=128).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_ ".contains(c))
        && !name.starts_with(' ')
        && !name.ends_with(' ');
    if ok {
        Ok(())
    } else {
        Err(crate::ApiError::new(
            "InvalidParameterValueException",
            format!("The value supplied for parameter '{parameter}' is not valid: '{name}'. A name has 1 to 128 characters: letters, digits, hyphens, underscores and inner spaces."),
        ))
    }
}

/// Checks a semantic version `<major>.<minor>.<patch>`, each a number.
pub fn check_version(version: &str) -> Result<(), crate::ApiError> {
    let parts: Vec<&str> = version.split('.').collect();
    let ok = parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 9
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        });
    if ok {
        Ok(())
    } else {
        Err(crate::ApiError::new(
            "InvalidVersionNumberException",
            format!("The semantic version '{version}' is not valid: it must be <major>.<minor>.<patch>, three non-negative whole numbers such as 1.0.0."),
        ))
    }
}

fn invalid(message: String) -> crate::ApiError {
    crate::ApiError::new("InvalidParameterValueException", message)
}

/// Reads a component's `data`: an AWSTOE document (it has `phases:`), or
/// a plain bash script, which becomes one build step named `script`.
pub fn read_component(data: &str) -> Result<ComponentDocument, crate::ApiError> {
    if data.trim().is_empty() {
        return Err(invalid(
            "The component data is empty: give an AWSTOE document (with phases:) or a bash script."
                .into(),
        ));
    }
    let has_phases = data
        .lines()
        .any(|l| l.trim_end() == "phases:" || l.starts_with("phases:"));
    if !has_phases {
        return Ok(ComponentDocument {
            phases: vec![(
                "build".into(),
                vec![Step {
                    name: "script".into(),
                    commands: vec![data.to_owned()],
                }],
            )],
        });
    }
    let tree = parse_yaml(data)
        .map_err(|e| invalid(format!("The component document could not be read: {e}.")))?;
    document_of(&tree).map_err(|e| invalid(format!("The component document is not valid: {e}.")))
}

fn document_of(tree: &Node) -> Result<ComponentDocument, String> {
    let phases = tree
        .get("phases")
        .ok_or("it has no 'phases' list")?
        .as_list()
        .ok_or("'phases' must be a list")?;
    let mut document = ComponentDocument::default();
    for (i, phase) in phases.iter().enumerate() {
        let name = phase
            .get("name")
            .and_then(Node::as_str)
            .ok_or(format!("phases[{i}] has no name"))?;
        if !PHASES.contains(&name) {
            return Err(format!(
                "phases[{i}]: the phase '{name}' is not one of build, validate, test"
            ));
        }
        if document.phases.iter().any(|(p, _)| p == name) {
            return Err(format!("the phase '{name}' appears twice"));
        }
        let steps = phase
            .get("steps")
            .and_then(Node::as_list)
            .ok_or(format!("the phase '{name}' has no 'steps' list"))?;
        let mut read = Vec::new();
        for (j, step) in steps.iter().enumerate() {
            let where_ = format!("phase '{name}', steps[{j}]");
            let step_name = step
                .get("name")
                .and_then(Node::as_str)
                .ok_or(format!("{where_} has no name"))?;
            let action = step
                .get("action")
                .and_then(Node::as_str)
                .ok_or(format!("{where_} ('{step_name}') has no action"))?;
            if action != "ExecuteBash" {
                return Err(format!(
                    "{where_} ('{step_name}'): the action '{action}' is not simulated (the lab runs ExecuteBash steps)"
                ));
            }
            let commands = step
                .get("inputs")
                .and_then(|i| i.get("commands"))
                .and_then(Node::as_list)
                .ok_or(format!(
                    "{where_} ('{step_name}') has no inputs.commands list"
                ))?;
            let commands = commands
                .iter()
                .map(|c| c.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or(format!(
                    "{where_} ('{step_name}'): every command must be text"
                ))?;
            read.push(Step {
                name: step_name.to_owned(),
                commands,
            });
        }
        document.phases.push((name.to_owned(), read));
    }
    Ok(document)
}

/// A YAML value of the subset the reader knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Node {
    Text(String),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    fn as_list(&self) -> Option<&[Node]> {
        match self {
            Node::List(items) => Some(items),
            _ => None,
        }
    }
    fn as_str(&self) -> Option<&str> {
        match self {
            Node::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// One line: its indentation and the text after it.
struct Line {
    indent: usize,
    text: String,
    number: usize,
}

struct Reader {
    lines: Vec<Line>,
    raw: Vec<String>,
    at: usize,
}

/// Reads the YAML subset of AWSTOE documents.
pub(crate) fn parse_yaml(text: &str) -> Result<Node, String> {
    let raw: Vec<String> = text.lines().map(str::to_owned).collect();
    let lines = raw
        .iter()
        .enumerate()
        .map(|(n, l)| {
            if l.starts_with('\t') {
                return Err(format!(
                    "line {}: YAML indents with spaces, not tabs",
                    n + 1
                ));
            }
            let trimmed = l.trim_start_matches(' ');
            Ok(Line {
                indent: l.len() - trimmed.len(),
                text: trimmed.trim_end().to_owned(),
                number: n,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut reader = Reader { lines, raw, at: 0 };
    reader.skip_blank();
    let Some(first) = reader.lines.get(reader.at) else {
        return Err("the document is empty".into());
    };
    let indent = first.indent;
    let node = reader.block(indent)?;
    reader.skip_blank();
    if let Some(line) = reader.lines.get(reader.at) {
        return Err(format!(
            "line {}: unexpected indentation of '{}'",
            line.number + 1,
            line.text
        ));
    }
    Ok(node)
}

fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// Splits `key: value` (the colon followed by a space or the end).
fn split_key(text: &str) -> Option<(String, &str)> {
    if text.starts_with('"') || text.starts_with('\'') {
        let quote = text.chars().next()?;
        let end = text[1..].find(quote)? + 1;
        let rest = text[end + 1..].strip_prefix(':')?;
        if !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        return Some((text[1..end].to_owned(), rest.trim()));
    }
    if text.starts_with('[') || text.starts_with('{') {
        return None;
    }
    let mut from = 0;
    while let Some(i) = text[from..].find(':') {
        let i = from + i;
        let rest = &text[i + 1..];
        if rest.is_empty() || rest.starts_with(' ') {
            return Some((text[..i].trim().to_owned(), rest.trim()));
        }
        from = i + 1;
    }
    None
}

impl Reader {
    fn skip_blank(&mut self) {
        while self
            .lines
            .get(self.at)
            .is_some_and(|l| l.text.is_empty() || l.text.starts_with('#'))
        {
            self.at += 1;
        }
    }

    fn block(&mut self, indent: usize) -> Result<Node, String> {
        self.skip_blank();
        match self.lines.get(self.at) {
            Some(line) if is_item(&line.text) => self.list(indent),
            Some(_) => self.map(indent),
            None => Ok(Node::Text(String::new())),
        }
    }

    fn list(&mut self, indent: usize) -> Result<Node, String> {
        let mut items = Vec::new();
        loop {
            self.skip_blank();
            let Some(line) = self.lines.get(self.at) else {
                break;
            };
            if line.indent != indent || !is_item(&line.text) {
                break;
            }
            let rest = line.text[1..].trim_start().to_owned();
            let offset = line.text.len() - rest.len();
            if rest.is_empty() || rest.starts_with('#') {
                self.at += 1;
                self.skip_blank();
                match self.lines.get(self.at) {
                    Some(next) if next.indent > indent => {
                        let child = next.indent;
                        items.push(self.block(child)?);
                    }
                    _ => items.push(Node::Text(String::new())),
                }
            } else if split_key(&rest).is_some() {
                // `- key: value`: a map whose keys line up with `key`.
                let line = &mut self.lines[self.at];
                line.indent = indent + offset;
                line.text = rest;
                items.push(self.map(indent + offset)?);
            } else {
                let number = line.number;
                self.at += 1;
                items.push(self.scalar(&rest, indent, number)?);
            }
        }
        Ok(Node::List(items))
    }

    fn map(&mut self, indent: usize) -> Result<Node, String> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        loop {
            self.skip_blank();
            let Some(line) = self.lines.get(self.at) else {
                break;
            };
            if line.indent < indent || (line.indent == indent && is_item(&line.text)) {
                break;
            }
            let number = line.number;
            if line.indent > indent {
                return Err(format!(
                    "line {}: unexpected indentation of '{}'",
                    number + 1,
                    line.text
                ));
            }
            let Some((key, value)) = split_key(&line.text) else {
                return Err(format!(
                    "line {}: expected 'key: value', found '{}'",
                    number + 1,
                    line.text
                ));
            };
            let value = value.to_owned();
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(format!(
                    "line {}: the key '{key}' appears twice",
                    number + 1
                ));
            }
            self.at += 1;
            let node = if value.is_empty() || value.starts_with('#') {
                self.skip_blank();
                match self.lines.get(self.at) {
                    Some(next) if next.indent > indent => {
                        let child = next.indent;
                        self.block(child)?
                    }
                    // A list may sit at its key's own indentation.
                    Some(next) if next.indent == indent && is_item(&next.text) => {
                        self.list(indent)?
                    }
                    _ => Node::Text(String::new()),
                }
            } else {
                self.scalar(&value, indent, number)?
            };
            entries.push((key, node));
        }
        Ok(Node::Map(entries))
    }

    /// A scalar on one line, a flow list, or `|`/`>` block text that
    /// follows on lines indented more than `indent`.
    fn scalar(&mut self, text: &str, indent: usize, number: usize) -> Result<Node, String> {
        if matches!(text, "|" | "|-" | "|+" | ">" | ">-") {
            let mut block: Vec<&str> = Vec::new();
            let mut block_indent = None;
            while let Some(line) = self.lines.get(self.at) {
                let raw = &self.raw[line.number];
                if line.text.is_empty() {
                    block.push("");
                    self.at += 1;
                    continue;
                }
                if line.indent <= indent {
                    break;
                }
                let at = *block_indent.get_or_insert(line.indent);
                if line.indent < at {
                    break;
                }
                block.push(&raw[at..]);
                self.at += 1;
            }
            while block.last().is_some_and(|l| l.is_empty()) {
                block.pop();
            }
            let joined = if text.starts_with('>') {
                block.join(" ")
            } else {
                block.join("\n")
            };
            let keep_newline = !text.ends_with('-');
            return Ok(Node::Text(if keep_newline {
                format!("{joined}\n")
            } else {
                joined
            }));
        }
        if let Some(inner) = text.strip_prefix('[') {
            let inner = inner
                .trim_end()
                .strip_suffix(']')
                .ok_or(format!("line {}: the list '[' is never closed", number + 1))?;
            let mut items = Vec::new();
            for part in split_flow(inner, number)? {
                if !part.trim().is_empty() {
                    items.push(Node::Text(unquote(part.trim(), number)?));
                }
            }
            return Ok(Node::List(items));
        }
        Ok(Node::Text(unquote(text, number)?))
    }
}

/// Splits a flow list's items at commas outside quotes.
fn split_flow(text: &str, number: usize) -> Result<Vec<&str>, String> {
    let mut parts = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == ',' => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            None => {}
        }
    }
    if quote.is_some() {
        return Err(format!("line {}: a quote is never closed", number + 1));
    }
    parts.push(&text[start..]);
    Ok(parts)
}

/// A plain or quoted scalar's text (a plain one loses a ` #` comment).
fn unquote(text: &str, number: usize) -> Result<String, String> {
    let unclosed = || format!("line {}: the quote in {text} is never closed", number + 1);
    if let Some(body) = text.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => {
                    let rest: String = chars.collect();
                    let rest = rest.trim();
                    if !rest.is_empty() && !rest.starts_with('#') {
                        return Err(format!(
                            "line {}: text after the closing quote: {rest}",
                            number + 1
                        ));
                    }
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(other) => out.push(other),
                    None => return Err(unclosed()),
                },
                c => out.push(c),
            }
        }
        return Err(unclosed());
    }
    if let Some(body) = text.strip_prefix('\'') {
        let mut out = String::new();
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    out.push('\'');
                } else {
                    return Ok(out);
                }
            } else {
                out.push(c);
            }
        }
        return Err(unclosed());
    }
    let plain = match text.find(" #") {
        Some(i) => &text[..i],
        None => text,
    };
    Ok(plain.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENT: &str = r#"name: HelloWorld
description: Installs Apache # a comment
schemaVersion: 1.0

phases:
  - name: build
    steps:
      - name: InstallHttpd
        action: ExecuteBash
        inputs:
          commands:
            - dnf install -y httpd
            - "systemctl enable --now httpd"
            - echo '<h1>Hello, baked</h1>' > /var/www/html/index.html
  - name: test
    steps:
      - name: Serves
        action: ExecuteBash
        inputs:
          commands: ["curl -s localhost | grep Hello", 'it''s true']
      - name: Block
        action: ExecuteBash
        inputs:
          commands:
          - |
            # a bash comment, kept
            echo one
              echo two
"#;

    #[test]
    fn reads_an_awstoe_document() {
        let doc = read_component(DOCUMENT).expect("valid");
        let build = doc.steps("build");
        assert_eq!(build.len(), 1);
        assert_eq!(build[0].name, "InstallHttpd");
        assert_eq!(
            build[0].commands,
            vec![
                "dnf install -y httpd",
                "systemctl enable --now httpd",
                "echo '<h1>Hello, baked</h1>' > /var/www/html/index.html",
            ]
        );
        let test = doc.steps("test");
        assert_eq!(
            test[0].commands,
            vec!["curl -s localhost | grep Hello", "it's true"]
        );
        assert_eq!(
            test[1].commands,
            vec!["# a bash comment, kept\necho one\n  echo two\n"]
        );
        assert!(doc.steps("validate").is_empty());
    }

    #[test]
    fn a_bash_script_is_one_build_step() {
        let doc = read_component("#!/bin/bash\necho hi\n").expect("valid");
        assert_eq!(
            doc.steps("build")[0].commands,
            vec!["#!/bin/bash\necho hi\n"]
        );
    }

    #[test]
    fn bad_documents_say_what_is_wrong() {
        let cases = [
            ("phases:\n  - name: deploy\n    steps: []\n", "'deploy' is not one of"),
            (
                "phases:\n  - name: build\n    steps:\n      - name: S\n        action: S3Download\n",
                "'S3Download' is not simulated",
            ),
            (
                "phases:\n  - name: build\n    steps:\n      - name: S\n        action: ExecuteBash\n",
                "no inputs.commands list",
            ),
            ("phases:\n  - name: \"build\n", "never closed"),
            ("phases:\n\t- name: build\n", "tabs"),
            ("phases:\n  - name: build\n      steps: x\n", "unexpected indentation"),
            ("", "empty"),
        ];
        for (text, expected) in cases {
            let error = read_component(text).expect_err(text);
            assert_eq!(error.code, "InvalidParameterValueException");
            assert!(
                error.message.contains(expected),
                "{text:?}: {}",
                error.message
            );
        }
    }

    #[test]
    fn versions_and_names() {
        assert!(check_version("1.0.0").is_ok());
        assert!(check_version("10.2.33").is_ok());
        for bad in ["1.0", "1.0.0.0", "1.a.0", "01.0.0", "", "1..0"] {
            assert_eq!(
                check_version(bad).map_err(|e| e.code),
                Err("InvalidVersionNumberException"),
                "{bad}"
            );
        }
        assert!(check_name("name", "web-server_1").is_ok());
        assert!(check_name("name", "web/server").is_err());
        assert!(check_name("name", "").is_err());
    }
}
