//! User data as cloud-init reads it (H2): a shell script (`#!`), cloud-config
//! directives (`#cloud-config`), or a MIME multi-part document mixing them.
//!
//! cloud-config is YAML; the lab reads the part of it user data uses —
//! `packages`, `package_update`, `package_upgrade`, `runcmd`, `bootcmd`,
//! `write_files` and `cloud_final_modules` (to run scripts on every boot,
//! H5) — and reports every other key as not simulated. It is a small reader
//! for that documented subset rather than a YAML library: a general YAML
//! parser would weigh more in the page than the rest of the boot code.

/// One part of user data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// A script: `#!…` (`text/x-shellscript`), run once per instance (H1).
    Script(String),
    /// A script to run on every boot (`text/x-shellscript-per-boot`, H5).
    PerBootScript(String),
    /// cloud-config directives (`text/cloud-config`).
    Config(CloudConfig),
    /// Something cloud-init does not run, with what it logs.
    Unhandled(String),
}

/// The cloud-config directives the lab simulates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CloudConfig {
    /// `package_update`.
    pub package_update: bool,
    /// `package_upgrade`.
    pub package_upgrade: bool,
    /// `packages`.
    pub packages: Vec<String>,
    /// `runcmd`: run once per instance, after packages.
    pub runcmd: Vec<String>,
    /// `bootcmd`: run on every boot, early (H5).
    pub bootcmd: Vec<String>,
    /// `write_files`: (path, content, append).
    pub write_files: Vec<(String, String, bool)>,
    /// `cloud_final_modules` sets `scripts-user` to `always` (H5).
    pub scripts_user_always: bool,
    /// Keys the lab does not simulate.
    pub unsupported: Vec<String>,
    /// Lines it could not read.
    pub errors: Vec<String>,
}

/// Splits user data into its parts.
pub(crate) fn parts(user_data: &str) -> Vec<Part> {
    let text = user_data.strip_prefix('\u{feff}').unwrap_or(user_data);
    if text.starts_with("Content-Type:") || text.starts_with("MIME-Version:") {
        return multipart(text);
    }
    vec![single(text, None)]
}

fn single(text: &str, content_type: Option<&str>) -> Part {
    match content_type {
        Some("text/x-shellscript") => return Part::Script(text.to_owned()),
        Some("text/x-shellscript-per-boot") => return Part::PerBootScript(text.to_owned()),
        Some("text/cloud-config") => return Part::Config(cloud_config(text)),
        Some(other) if other != "text/plain" && other != "text/x-not-multipart" => {
            return Part::Unhandled(format!("Unhandled unknown content-type ({other}) userdata"));
        }
        _ => {}
    }
    if text.starts_with("#!") {
        Part::Script(text.to_owned())
    } else if text.starts_with("#cloud-config") {
        Part::Config(cloud_config(text))
    } else if text.trim_start().starts_with("<powershell>")
        || text.trim_start().starts_with("<script>")
    {
        Part::Unhandled("Windows user data (<powershell>) is run by EC2Launch on Windows instances, not by cloud-init".into())
    } else {
        let shown: String = text.chars().take(40).collect();
        Part::Unhandled(format!(
            "Unhandled non-multipart (text/x-not-multipart) userdata: '{}...'\n(user data must start with #! for a script or #cloud-config for directives, H2)",
            shown.replace('\n', "\\n")
        ))
    }
}

fn multipart(text: &str) -> Vec<Part> {
    let Some(boundary) = text.lines().find_map(|line| {
        let at = line.find("boundary=")?;
        Some(line[at + 9..].trim().trim_matches('"').to_owned())
    }) else {
        return vec![Part::Unhandled(
            "MIME user data without a boundary: cloud-init can't split it".into(),
        )];
    };
    let marker = format!("--{boundary}");
    let mut parts = Vec::new();
    for chunk in text.split(&marker).skip(1) {
        if chunk.starts_with("--") {
            break;
        }
        let chunk = chunk.trim_start_matches(['\r', '\n']);
        let (headers, body) = chunk
            .split_once("\n\n")
            .or_else(|| chunk.split_once("\r\n\r\n"))
            .unwrap_or((chunk, ""));
        let content_type = headers.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-type")
                .then(|| value.split(';').next().unwrap_or("").trim().to_owned())
        });
        parts.push(single(
            body.trim_end_matches(['\r', '\n']).trim_end(),
            content_type.as_deref(),
        ));
        if let Some(Part::Script(s) | Part::PerBootScript(s)) = parts.last_mut() {
            s.push('\n');
        }
    }
    parts
}

/// Reads the cloud-config subset.
fn cloud_config(text: &str) -> CloudConfig {
    let mut config = CloudConfig::default();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let trimmed = line.trim_end();
        if trimmed.trim_start().starts_with('#') || trimmed.trim().is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t', '-']) {
            config
                .errors
                .push(format!("line {i}: unexpected indentation: {trimmed}"));
            continue;
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            config
                .errors
                .push(format!("line {i}: expected `key: value`: {trimmed}"));
            continue;
        };
        let key = key.trim();
        let value = value.trim();
        // The block under the key: indented lines and `- ` items.
        let start = i;
        while i < lines.len()
            && (lines[i].starts_with([' ', '\t', '-']) || lines[i].trim().is_empty())
        {
            i += 1;
        }
        let block = &lines[start..i];
        match key {
            "package_update" | "apt_update" | "repo_update" => {
                config.package_update = truthy(value);
            }
            "package_upgrade" | "apt_upgrade" | "repo_upgrade" => {
                config.package_upgrade = truthy(value) || value == "all";
            }
            "packages" => {
                config.packages = items(value, block)
                    .into_iter()
                    .map(|i| i.join(" "))
                    .collect();
            }
            "runcmd" => {
                config.runcmd = items(value, block)
                    .into_iter()
                    .map(|i| command(&i))
                    .collect();
            }
            "bootcmd" => {
                config.bootcmd = items(value, block)
                    .into_iter()
                    .map(|i| command(&i))
                    .collect();
            }
            "cloud_final_modules" => {
                config.scripts_user_always = items(value, block).iter().any(|item| {
                    item.first()
                        .is_some_and(|m| m == "scripts-user" || m == "scripts_user")
                        && item.get(1).is_some_and(|f| f == "always")
                });
            }
            "write_files" => config.write_files = write_files(block),
            other => config.unsupported.push(other.to_owned()),
        }
    }
    config
}

fn truthy(value: &str) -> bool {
    matches!(
        value.trim_matches(['"', '\'']),
        "true" | "True" | "yes" | "on"
    )
}

fn unquote(text: &str) -> String {
    let t = text.trim();
    if t.len() >= 2
        && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\'')))
    {
        t[1..t.len() - 1].to_owned()
    } else {
        t.to_owned()
    }
}

/// `[a, b, "c d"]` as its items.
fn flow_list(text: &str) -> Vec<String> {
    let inner = text.trim().trim_start_matches('[').trim_end_matches(']');
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in inner.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, ',') => out.push(std::mem::take(&mut current).trim().to_owned()),
            (None, c) => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_owned());
    }
    out
}

/// The items of a list, each a scalar (one element) or a flow list.
fn items(value: &str, block: &[&str]) -> Vec<Vec<String>> {
    if value.starts_with('[') {
        return flow_list(value).into_iter().map(|v| vec![v]).collect();
    }
    block
        .iter()
        .filter_map(|line| line.trim().strip_prefix('-'))
        .map(|item| {
            let item = item.trim();
            if item.starts_with('[') {
                flow_list(item)
            } else {
                vec![unquote(item)]
            }
        })
        .collect()
}

/// A runcmd item: a string runs in a shell; a list is argv (quoted here).
fn command(item: &[String]) -> String {
    match item {
        [one] => one.clone(),
        argv => argv
            .iter()
            .map(|a| {
                if a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:".contains(c))
                {
                    a.clone()
                } else {
                    format!("'{}'", a.replace('\'', "'\\''"))
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// `write_files` entries: `- path: …`, `content: |` block, `append: true`.
fn write_files(block: &[&str]) -> Vec<(String, String, bool)> {
    let mut files = Vec::new();
    let mut current: Option<(String, String, bool)> = None;
    let mut i = 0;
    while i < block.len() {
        let line = block[i];
        i += 1;
        let trimmed = line.trim();
        let (is_item, field) = match trimmed.strip_prefix("- ") {
            Some(rest) => (true, rest.trim()),
            None => (false, trimmed),
        };
        if is_item {
            files.extend(current.take());
            current = Some((String::new(), String::new(), false));
        }
        let Some((key, value)) = field.split_once(':') else {
            continue;
        };
        let Some(entry) = current.as_mut() else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "path" => entry.0 = unquote(value),
            "append" => entry.2 = truthy(value),
            "content" if value.starts_with('|') || value.starts_with('>') => {
                let indent_of = |l: &str| l.len() - l.trim_start().len();
                let base = indent_of(line) + if is_item { 2 } else { 0 };
                let mut text = String::new();
                let mut block_indent = None;
                while i < block.len() {
                    let l = block[i];
                    if !l.trim().is_empty() && indent_of(l) <= base {
                        break;
                    }
                    let ind = *block_indent.get_or_insert(indent_of(l));
                    text.push_str(l.get(ind..).unwrap_or("").trim_end_matches('\r'));
                    text.push('\n');
                    i += 1;
                }
                entry.1 = text.trim_end_matches('\n').to_owned() + "\n";
            }
            "content" => entry.1 = unquote(value),
            _ => {}
        }
    }
    files.extend(current);
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_configs_and_unhandled_data() {
        assert_eq!(
            parts("#!/bin/bash\necho hi\n"),
            vec![Part::Script("#!/bin/bash\necho hi\n".into())]
        );
        let parsed = parts("IyEvYmluL2Jhc2gK");
        let [Part::Unhandled(text)] = parsed.as_slice() else {
            panic!("not unhandled: {parsed:?}");
        };
        assert!(text.starts_with("Unhandled non-multipart"), "{text}");
    }

    #[test]
    fn cloud_config_subset() {
        let config = cloud_config(
            "#cloud-config\npackage_update: true\npackages:\n  - httpd\n  - [php]\nruncmd:\n  - systemctl enable --now httpd\n  - [ sh, -c, \"echo hi > /tmp/x\" ]\nwrite_files:\n  - path: /var/www/html/index.html\n    content: |\n      <h1>Hello</h1>\n      <p>there</p>\n  - path: /etc/motd\n    content: \"hi\"\n    append: true\nusers:\n  - default\n",
        );
        assert!(config.package_update);
        assert_eq!(config.packages, ["httpd", "php"]);
        assert_eq!(
            config.runcmd,
            ["systemctl enable --now httpd", "sh -c 'echo hi > /tmp/x'"]
        );
        assert_eq!(
            config.write_files,
            [
                (
                    "/var/www/html/index.html".into(),
                    "<h1>Hello</h1>\n<p>there</p>\n".into(),
                    false
                ),
                ("/etc/motd".into(), "hi".into(), true)
            ]
        );
        assert_eq!(config.unsupported, ["users"]);
    }

    #[test]
    fn multipart_with_per_boot_configuration() {
        // H5: the Knowledge Center's way to run a script on every boot.
        let text = "Content-Type: multipart/mixed; boundary=\"//\"\nMIME-Version: 1.0\n\n--//\nContent-Type: text/cloud-config; charset=\"us-ascii\"\n\n#cloud-config\ncloud_final_modules:\n- [scripts-user, always]\n\n--//\nContent-Type: text/x-shellscript; charset=\"us-ascii\"\n\n#!/bin/bash\necho booted >> /tmp/boots\n--//--\n";
        let parts = parts(text);
        assert_eq!(parts.len(), 2);
        assert!(matches!(&parts[0], Part::Config(c) if c.scripts_user_always));
        assert_eq!(
            parts[1],
            Part::Script("#!/bin/bash\necho booted >> /tmp/boots\n".into())
        );
    }
}
