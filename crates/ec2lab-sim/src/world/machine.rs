//! Inside an instance: its files as the operating system sees them (the
//! root disk and whatever is mounted), and the commands of the lab's shell.
//!
//! A [`Machine`] is the [`Host`] the shell runs commands on. The same
//! machine runs user data at boot (as root, H2) and `lab exec` lines (as the
//! AMI's default user, with `sudo`). Commands act on the simulated disks and
//! services; `curl` goes through the network engine, so security groups and
//! network ACLs apply; anything the lab does not model says so.

use std::net::{IpAddr, Ipv4Addr};

use super::RegionState;
use crate::data::DiskData;
use crate::ids::{IdGenerator, InstanceId, VolumeId};
use crate::instance::Instance;
use crate::os::{
    self, package, package_record, service, unit_enabled, unit_file, unit_installed, wants_link,
    Distro, Mount, MountSource, Packaging, Protocol, RunningService,
};
use crate::packet::Transport;
use crate::shell::{Env, Host, Output};
use crate::trace::{Flow, Source};

/// Seconds a package manager spends per transaction and per package.
const PACKAGE_TRANSACTION_SECONDS: u64 = 10;
const PACKAGE_SECONDS: u64 = 8;
/// Seconds `update`/`upgrade` of the whole system takes.
const UPDATE_SECONDS: u64 = 30;
/// Seconds a blocked TCP connection waits before curl gives up (Linux's SYN
/// retries), unless `--connect-timeout`/`-m` says less.
const CONNECT_TIMEOUT_SECONDS: u64 = 130;

/// The source port the lab's clients use.
const CLIENT_PORT: u16 = 49152;

/// A disk as the operating system sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DiskRef {
    /// An EBS volume.
    Volume(VolumeId),
    /// An instance-store disk, by index.
    Store(usize),
    /// An EFS file system.
    Efs(String),
}

/// One instance, for the shell.
pub(crate) struct Machine<'a> {
    pub region: &'a mut RegionState,
    pub ids: &'a mut IdGenerator,
    pub instance: InstanceId,
    /// Lab time when the script started.
    pub now: u64,
    /// Seconds the commands so far took (boot time grows with them, H6).
    pub elapsed: u64,
    pub distro: Distro,
    /// Units started by this run: (seconds into the run, unit).
    pub started: Vec<(u64, String)>,
}

/// Joins `path` to the working directory and removes `.`/`..`.
fn absolute(env: &Env, path: &str) -> String {
    let home = env.vars.get("HOME").cloned().unwrap_or_else(|| "/".into());
    let joined = if let Some(rest) = path.strip_prefix('~') {
        format!("{home}{rest}")
    } else if path.starts_with('/') {
        path.to_owned()
    } else {
        let cwd = env.vars.get("PWD").cloned().unwrap_or(home);
        format!("{}/{path}", cwd.trim_end_matches('/'))
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Directories every Linux root has.
const STANDARD_DIRS: &[&str] = &[
    "/",
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/home",
    "/media",
    "/mnt",
    "/opt",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/srv",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/lib",
    "/usr/share",
    "/var",
    "/var/lib",
    "/var/log",
    "/var/tmp",
    "/etc/systemd",
    "/etc/systemd/system",
    "/var/lib/cloud",
];

fn dir_in(disk: &DiskData, path: &str) -> bool {
    if path == "/" || disk.dirs.contains(path) {
        return true;
    }
    let prefix = format!("{path}/");
    disk.files.keys().any(|f| f.starts_with(&prefix))
        || disk.dirs.iter().any(|d| d.starts_with(&prefix))
}

impl Machine<'_> {
    fn inst(&self) -> Option<&Instance> {
        self.region.instances.get(&self.instance)
    }

    /// The root disk.
    pub(crate) fn root(&self) -> Option<DiskRef> {
        let instance = self.inst()?;
        if let Some(device) = instance
            .block_devices
            .iter()
            .find(|d| d.device_name == instance.root_device_name)
        {
            return Some(DiskRef::Volume(device.volume_id.clone()));
        }
        instance
            .instance_store
            .iter()
            .position(|d| d.virtual_name == "root")
            .map(DiskRef::Store)
    }

    pub(crate) fn disk(&self, disk: &DiskRef) -> Option<&DiskData> {
        match disk {
            DiskRef::Volume(id) => self.region.volumes.get(id).map(|v| &v.data),
            DiskRef::Store(i) => self.inst()?.instance_store.get(*i).map(|d| &d.data),
            DiskRef::Efs(id) => super::efs_data(self.region, id),
        }
    }

    pub(crate) fn disk_mut(&mut self, disk: &DiskRef) -> Option<&mut DiskData> {
        match disk {
            DiskRef::Volume(id) => self.region.volumes.get_mut(id).map(|v| &mut v.data),
            DiskRef::Store(i) => self
                .region
                .instances
                .get_mut(&self.instance)?
                .instance_store
                .get_mut(*i)
                .map(|d| &mut d.data),
            DiskRef::Efs(id) => super::efs_data_mut(self.region, id),
        }
    }

    /// The disk a path is on and the path inside it.
    fn locate(&self, path: &str) -> Option<(DiskRef, String)> {
        let instance = self.inst()?;
        let mut best: Option<(&Mount, usize)> = None;
        for mount in &instance.runtime.mounts {
            let point = mount.point.trim_end_matches('/');
            if (path == point || path.starts_with(&format!("{point}/")))
                && best.is_none_or(|(_, len)| point.len() > len)
            {
                best = Some((mount, point.len()));
            }
        }
        match best {
            Some((mount, len)) => {
                let inner = &path[len..];
                let inner = if inner.is_empty() { "/" } else { inner };
                let disk = match &mount.source {
                    MountSource::Volume(id) => DiskRef::Volume(id.clone()),
                    MountSource::InstanceStore(device) => DiskRef::Store(
                        instance
                            .instance_store
                            .iter()
                            .position(|d| d.device_name == *device)?,
                    ),
                    MountSource::Efs(id) => DiskRef::Efs(id.clone()),
                };
                Some((disk, inner.to_owned()))
            }
            None => Some((self.root()?, path.to_owned())),
        }
    }

    fn is_dir(&self, path: &str) -> bool {
        if self
            .inst()
            .is_some_and(|i| i.runtime.mounts.iter().any(|m| m.point == path))
        {
            return true;
        }
        let Some((disk, inner)) = self.locate(path) else {
            return false;
        };
        let on_root = Some(&disk) == self.root().as_ref();
        (on_root && (STANDARD_DIRS.contains(&inner.as_str()) || inner == self.home()))
            || self.disk(&disk).is_some_and(|d| dir_in(d, &inner))
    }

    fn home(&self) -> String {
        format!("/home/{}", self.distro.default_user())
    }

    fn read_file(&self, path: &str) -> Result<String, String> {
        let (disk, inner) = self
            .locate(path)
            .ok_or_else(|| "No such file or directory".to_owned())?;
        if let Some(text) = self.disk(&disk).and_then(|d| d.files.get(&inner)) {
            return Ok(text.clone());
        }
        if self.is_dir(path) {
            return Err("Is a directory".into());
        }
        Err("No such file or directory".into())
    }

    fn parent_exists(&self, path: &str) -> bool {
        let parent = match path.rfind('/') {
            Some(0) | None => "/",
            Some(i) => &path[..i],
        };
        self.is_dir(parent)
    }

    fn writable(&self, path: &str, env: &Env) -> Result<(), String> {
        if env.root {
            return Ok(());
        }
        let home = self.home();
        if path.starts_with("/tmp/") || path == home || path.starts_with(&format!("{home}/")) {
            return Ok(());
        }
        // A mounted volume's root belongs to root until chown'd: the lab
        // lets the learner write there only with sudo, as on a real system.
        Err("Permission denied".into())
    }

    pub(crate) fn write_file(
        &mut self,
        path: &str,
        text: &str,
        append: bool,
    ) -> Result<(), String> {
        if self.is_dir(path) {
            return Err("Is a directory".into());
        }
        if !self.parent_exists(path) {
            return Err("No such file or directory".into());
        }
        let (disk, inner) = self
            .locate(path)
            .ok_or_else(|| "No such file or directory".to_owned())?;
        let stamp = self.ids.next_u64();
        let data = self
            .disk_mut(&disk)
            .ok_or_else(|| "Input/output error".to_owned())?;
        let mut content = if append {
            data.files.get(&inner).cloned().unwrap_or_default()
        } else {
            String::new()
        };
        content.push_str(text);
        data.write_file(&inner, &content, stamp);
        Ok(())
    }

    fn make_dir(&mut self, path: &str) -> Result<(), String> {
        let Some((disk, inner)) = self.locate(path) else {
            return Err("No such file or directory".into());
        };
        if let Some(data) = self.disk_mut(&disk) {
            data.dirs.insert(inner);
        }
        Ok(())
    }

    fn remove(&mut self, path: &str, recursive: bool) -> Result<(), String> {
        let Some((disk, inner)) = self.locate(path) else {
            return Err("No such file or directory".into());
        };
        let is_dir = self.is_dir(path);
        if is_dir && !recursive {
            return Err("Is a directory".into());
        }
        let Some(data) = self.disk_mut(&disk) else {
            return Err("No such file or directory".into());
        };
        let prefix = format!("{}/", inner.trim_end_matches('/'));
        let before = data.files.len() + data.dirs.len();
        data.files.remove(&inner);
        if recursive {
            data.files.retain(|f, _| !f.starts_with(&prefix));
            data.dirs.retain(|d| *d != inner && !d.starts_with(&prefix));
        }
        if data.files.len() + data.dirs.len() == before && !is_dir {
            return Err("No such file or directory".into());
        }
        Ok(())
    }

    fn list(&self, path: &str) -> Result<Vec<String>, String> {
        if !self.is_dir(path) {
            return self
                .read_file(path)
                .map(|_| vec![path.rsplit('/').next().unwrap_or("").to_owned()]);
        }
        let mut names = std::collections::BTreeSet::new();
        if let Some((disk, inner)) = self.locate(path) {
            let prefix = if inner == "/" {
                "/".to_owned()
            } else {
                format!("{inner}/")
            };
            if let Some(data) = self.disk(&disk) {
                for p in data.files.keys().chain(data.dirs.iter()) {
                    if let Some(rest) = p.strip_prefix(&prefix) {
                        if let Some(first) = rest.split('/').next().filter(|f| !f.is_empty()) {
                            names.insert(first.to_owned());
                        }
                    }
                }
            }
        }
        if let Some(instance) = self.inst() {
            let prefix = if path == "/" {
                "/".to_owned()
            } else {
                format!("{path}/")
            };
            for mount in &instance.runtime.mounts {
                if let Some(rest) = mount.point.strip_prefix(&prefix) {
                    if let Some(first) = rest.split('/').next().filter(|f| !f.is_empty()) {
                        names.insert(first.to_owned());
                    }
                }
            }
        }
        Ok(names.into_iter().collect())
    }

    /// The root disk's data.
    fn root_data(&self) -> Option<&DiskData> {
        self.root().and_then(|r| self.disk(&r))
    }

    /// Writes a file on the root disk as root, making parents.
    pub(crate) fn install_file(&mut self, path: &str, text: &str) {
        let Some(root) = self.root() else { return };
        let stamp = self.ids.next_u64();
        if let Some(data) = self.disk_mut(&root) {
            data.write_file(path, text, stamp);
        }
    }

    fn hostname(&self) -> String {
        self.inst()
            .and_then(|i| self.region.network_interfaces.get(&i.network_interface_id))
            .map(|eni| self.region.private_dns_name(eni.private_ip))
            .unwrap_or_else(|| "localhost".into())
    }

    // ---- commands ----

    fn package_manager(&mut self, argv: &[String], env: &Env) -> Output {
        let tool = argv[0].as_str();
        let Some(packaging) = self.distro.packaging() else {
            return Output::fail(127, format!("bash: {tool}: command not found\n"));
        };
        if !env.root {
            return Output::fail(
                1,
                match packaging {
                    Packaging::Rpm => "Error: This command has to be run with superuser privileges (under the root user on most systems).\n".to_owned(),
                    Packaging::Deb => "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n".to_owned(),
                },
            );
        }
        let args: Vec<&str> = argv[1..]
            .iter()
            .map(String::as_str)
            .filter(|a| !a.starts_with('-'))
            .collect();
        let Some((&verb, names)) = args.split_first() else {
            return Output::fail(
                1,
                format!("{tool}: a command is required (install, update, remove)\n"),
            );
        };
        // Packages come from the distribution's repositories over the
        // network: a subnet without a way to the internet can't reach them.
        if let Err(message) = self.reach_repository() {
            self.elapsed += CONNECT_TIMEOUT_SECONDS;
            return Output::fail(1, message);
        }
        match verb {
            "update" | "upgrade" | "makecache" | "check-update" if names.is_empty() || verb != "install" => {
                self.elapsed += UPDATE_SECONDS;
                Output::ok(match packaging {
                    Packaging::Rpm => "Last metadata expiration check: 0:00:01 ago.\nDependencies resolved.\nNothing to do.\nComplete!\n".to_owned(),
                    Packaging::Deb => "Reading package lists... Done\nBuilding dependency tree... Done\nAll packages are up to date.\n".to_owned(),
                })
            }
            "install" => self.install(packaging, names),
            "remove" | "erase" | "purge" => {
                let mut out = String::new();
                for name in names {
                    let record = package_record(name, packaging);
                    if self.root_data().is_some_and(|d| d.files.contains_key(&record)) {
                        if let Some(root) = self.root() {
                            if let Some(data) = self.disk_mut(&root) {
                                data.files.remove(&record);
                                if let Ok(Some(info)) = package(name, packaging) {
                                    data.files.remove(info.file);
                                    if let Some(unit) = info.unit {
                                        data.files.remove(&unit_file(unit, packaging));
                                        data.files.remove(&wants_link(unit));
                                    }
                                }
                            }
                        }
                        out.push_str(&format!("Removed: {name}\n"));
                    } else {
                        out.push_str(&format!("No match for argument: {name}\n"));
                    }
                }
                Output::ok(out)
            }
            other => Output::fail(1, format!("lab: not simulated: {tool} {other} (the lab simulates install, update, upgrade and remove)\n")),
        }
    }

    fn reach_repository(&mut self) -> Result<(), String> {
        let (host, ip) = match self.distro {
            Distro::AmazonLinux2023 | Distro::AmazonLinux1 => (
                format!(
                    "al2023-repos-{}-de612dc2.s3.dualstack.{}.amazonaws.com",
                    self.region.name(),
                    self.region.name()
                ),
                Ipv4Addr::new(52, 217, 0, 10),
            ),
            _ => (
                format!("{}.ec2.archive.ubuntu.com", self.region.name()),
                Ipv4Addr::new(91, 189, 91, 81),
            ),
        };
        let verdict = self.connect(IpAddr::V4(ip), 443);
        match verdict {
            Connect::Open | Connect::Refused => Ok(()),
            Connect::Blocked(why) => Err(match self.distro.packaging() {
                Some(Packaging::Rpm) => format!(
                    "Amazon Linux 2023 repository\nCurl error (28): Timeout was reached for https://{host}/core/mirrors/latest/x86_64/mirror.list [Failed to connect to {host} port 443 after {}000 ms: Timeout was reached]\nError: Failed to download metadata for repo 'amazonlinux': Cannot download repomd.xml\nlab: the repository is on the internet and {why}\n",
                    CONNECT_TIMEOUT_SECONDS
                ),
                _ => format!(
                    "Err:1 http://{host}/ubuntu noble InRelease\n  Could not connect to {host}:443 (91.189.91.81), connection timed out\nE: Unable to locate package\nlab: the repository is on the internet and {why}\n"
                ),
            }),
        }
    }

    fn install(&mut self, packaging: Packaging, names: &[&str]) -> Output {
        if names.is_empty() {
            return Output::fail(1, "Error: Need to pass a list of pkgs to install\n");
        }
        let mut missing = Vec::new();
        let mut plan = Vec::new();
        for name in names {
            match package(name, packaging) {
                Err(()) => missing.push(*name),
                Ok(info) => plan.push((*name, info)),
            }
        }
        if !missing.is_empty() {
            return Output::fail(
                1,
                match packaging {
                    Packaging::Rpm => format!(
                        "Last metadata expiration check: 0:00:01 ago.\n{}Error: Unable to find a match: {}\n",
                        missing.iter().map(|m| format!("No match for argument: {m}\n")).collect::<String>(),
                        missing.join(" ")
                    ),
                    Packaging::Deb => format!("Reading package lists... Done\nE: Unable to locate package {}\n", missing[0]),
                },
            );
        }
        self.elapsed += PACKAGE_TRANSACTION_SECONDS;
        let mut installed = Vec::new();
        let mut out = String::from(match packaging {
            Packaging::Rpm => {
                "Last metadata expiration check: 0:00:01 ago.\nDependencies resolved.\n"
            }
            Packaging::Deb => "Reading package lists... Done\nBuilding dependency tree... Done\n",
        });
        for (name, info) in plan {
            let record = package_record(name, packaging);
            if self
                .root_data()
                .is_some_and(|d| d.files.contains_key(&record))
            {
                out.push_str(&format!("Package {name} is already installed.\n"));
                continue;
            }
            self.elapsed += PACKAGE_SECONDS;
            let version = info.map_or("1.0-1", |i| i.version);
            self.install_file(&record, &format!("{name}-{version}\n"));
            if let Some(info) = info {
                self.install_file(info.file, &format!("{name} {version}\n"));
                if let Some(unit) = info.unit {
                    self.install_file(
                        &unit_file(unit, packaging),
                        &format!("[Unit]\nDescription={unit}\n"),
                    );
                    if let Some(svc) = service(unit) {
                        if !svc.docroot.is_empty() {
                            let docroot = svc.docroot.to_owned();
                            let _ = self.make_dir(&docroot);
                        }
                    }
                    // Debian packages enable and start their services.
                    if packaging == Packaging::Deb {
                        self.install_file(&wants_link(unit), "");
                        self.start_unit(unit);
                    }
                }
            }
            installed.push(format!("{name}-{version}"));
        }
        if installed.is_empty() {
            out.push_str("Nothing to do.\nComplete!\n");
        } else {
            match packaging {
                Packaging::Rpm => {
                    out.push_str("Installed:\n");
                    for p in &installed {
                        out.push_str(&format!("  {p}\n"));
                    }
                    out.push_str("\nComplete!\n");
                }
                Packaging::Deb => {
                    for p in &installed {
                        out.push_str(&format!("Setting up {p} ...\n"));
                    }
                }
            }
        }
        Output::ok(out)
    }

    fn start_unit(&mut self, unit: &str) {
        let at = self.now + self.elapsed;
        self.started.push((self.elapsed, unit.to_owned()));
        if let Some(instance) = self.region.instances.get_mut(&self.instance) {
            if instance.runtime.is_running(unit)
                || instance.runtime.starting.iter().any(|(_, u)| u == unit)
            {
                return;
            }
            if at <= self.now {
                instance.runtime.services.push(RunningService {
                    unit: unit.to_owned(),
                    since: at,
                });
            } else {
                instance.runtime.starting.push((at, unit.to_owned()));
            }
        }
    }

    fn stop_unit(&mut self, unit: &str) {
        if let Some(instance) = self.region.instances.get_mut(&self.instance) {
            instance.runtime.services.retain(|s| s.unit != unit);
            instance.runtime.starting.retain(|(_, u)| u != unit);
        }
    }

    fn systemctl(&mut self, args: &[&str], env: &Env) -> Output {
        let now_flag = args.contains(&"--now");
        let args: Vec<&str> = args
            .iter()
            .copied()
            .filter(|a| !a.starts_with('-'))
            .collect();
        let Some((&verb, units)) = args.split_first() else {
            return Output::fail(1, "lab: not simulated: systemctl without a command\n");
        };
        if verb == "daemon-reload" {
            return Output::ok("");
        }
        let Some(unit) = units
            .first()
            .map(|u| u.strip_suffix(".service").unwrap_or(u).to_owned())
        else {
            return Output::fail(1, "Too few arguments.\n".to_string());
        };
        let Some(root) = self.root_data().cloned() else {
            return Output::fail(1, "Failed to connect to bus\n");
        };
        let installed = unit_installed(self.distro, &root, &unit);
        let read_only = matches!(verb, "status" | "is-active" | "is-enabled");
        if !read_only && !env.root {
            return Output::fail(1, format!("Failed to {verb} {unit}.service: Access denied\nSee system logs and 'systemctl status {unit}.service' for details.\n"));
        }
        let running = self.inst().is_some_and(|i| i.runtime.is_running(&unit));
        let enabled = unit_enabled(self.distro, &root, &unit);
        match verb {
            "start" | "restart" | "reload" | "enable" | "disable" | "stop" if !installed => {
                Output::fail(
                    if verb == "enable" || verb == "disable" {
                        1
                    } else {
                        5
                    },
                    if verb == "enable" || verb == "disable" {
                        format!("Failed to {verb} unit: Unit file {unit}.service does not exist.\n")
                    } else {
                        format!("Failed to {verb} {unit}.service: Unit {unit}.service not found.\n")
                    },
                )
            }
            "start" | "restart" | "reload" => {
                if verb != "start" {
                    self.stop_unit(&unit);
                }
                self.elapsed += 1;
                self.start_unit(&unit);
                Output::ok("")
            }
            "stop" => {
                self.stop_unit(&unit);
                Output::ok("")
            }
            "enable" => {
                let link = wants_link(&unit);
                let mut out = String::new();
                if !enabled {
                    let target = self
                        .distro
                        .packaging()
                        .map_or(String::new(), |p| unit_file(&unit, p));
                    self.install_file(&link, "");
                    out = format!("Created symlink {link} → {target}.\n");
                }
                if now_flag {
                    self.elapsed += 1;
                    self.start_unit(&unit);
                }
                Output::fail(0, out)
            }
            "disable" => {
                if self
                    .distro
                    .base_services(&root)
                    .iter()
                    .any(|s| s.unit == unit)
                {
                    return Output::fail(
                        0,
                        format!("lab: not simulated: disabling {unit}, which the AMI runs\n"),
                    );
                }
                let link = wants_link(&unit);
                if let Some(root) = self.root() {
                    if let Some(data) = self.disk_mut(&root) {
                        data.files.remove(&link);
                    }
                }
                if now_flag {
                    self.stop_unit(&unit);
                }
                Output::fail(
                    0,
                    if enabled {
                        format!("Removed \"{link}\".\n")
                    } else {
                        String::new()
                    },
                )
            }
            "is-active" => {
                if running {
                    Output::ok("active\n")
                } else {
                    Output {
                        stdout: "inactive\n".into(),
                        combined: "inactive\n".into(),
                        code: 3,
                        ..Output::default()
                    }
                }
            }
            "is-enabled" => {
                if !installed {
                    Output::fail(4, format!("Failed to get unit file state for {unit}.service: No such file or directory\n"))
                } else if enabled {
                    Output::ok("enabled\n")
                } else {
                    Output {
                        stdout: "disabled\n".into(),
                        combined: "disabled\n".into(),
                        code: 1,
                        ..Output::default()
                    }
                }
            }
            "status" => {
                if !installed {
                    return Output::fail(4, format!("Unit {unit}.service could not be found.\n"));
                }
                let since = self.inst().and_then(|i| {
                    i.runtime
                        .services
                        .iter()
                        .find(|s| s.unit == unit)
                        .map(|s| s.since)
                });
                let active = match since {
                    Some(at) => format!("active (running) since {}", crate::clock::gmt(at)),
                    None => "inactive (dead)".to_owned(),
                };
                let text = format!(
                    "● {unit}.service - {unit}\n     Loaded: loaded ({}; {}; preset: disabled)\n     Active: {active}\n",
                    self.distro.packaging().map_or(String::new(), |p| unit_file(&unit, p)),
                    if enabled { "enabled" } else { "disabled" }
                );
                Output {
                    stdout: text.clone(),
                    combined: text,
                    code: if running { 0 } else { 3 },
                    ..Output::default()
                }
            }
            other => Output::fail(0, format!("lab: not simulated: systemctl {other}\n")),
        }
    }

    /// Opens a TCP connection through the network engine.
    pub(crate) fn connect(&self, ip: IpAddr, port: u16) -> Connect {
        let Some(eni) = self.inst().map(|i| i.network_interface_id.clone()) else {
            return Connect::Blocked("the instance has no network interface".into());
        };
        let flow = Flow {
            source: Source::Interface(eni),
            destination: ip,
            transport: Transport::Tcp {
                src_port: CLIENT_PORT,
                dst_port: port,
            },
        };
        let trace = self.region.trace(&flow);
        if let Some(blocked) = &trace.blocked_by {
            let what = match (blocked.component.name(), blocked.direction) {
                ("SecurityGroup", Some(d)) => {
                    format!("security group {} ({})", blocked.resource, d.name())
                }
                ("NetworkAcl", Some(d)) => format!(
                    "network ACL {} ({}{})",
                    blocked.resource,
                    d.name(),
                    blocked.rule.map_or(String::new(), |r| format!(
                        ", rule {}",
                        if r == crate::network_acl::MAX_RULE_NUMBER + 1 {
                            "*".to_owned()
                        } else {
                            r.to_string()
                        }
                    ))
                ),
                (other, _) => format!("{other} {}", blocked.resource),
            };
            return Connect::Blocked(format!(
                "the {} was dropped by {what}: `lab trace` shows why",
                blocked.phase.name()
            ));
        }
        match trace.answer {
            Some(crate::trace::Answer::Refused) => Connect::Refused,
            _ => Connect::Open,
        }
    }

    fn resolve(&self, host: &str) -> Option<IpAddr> {
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Some(ip);
        }
        if host == "localhost" {
            return Some(IpAddr::V4(Ipv4Addr::LOCALHOST));
        }
        // ip-10-0-1-5.ec2.internal / ec2-3-80-1-2.compute-1.amazonaws.com
        let first = host.split('.').next().unwrap_or("");
        for prefix in ["ip-", "ec2-"] {
            if let Some(rest) = first.strip_prefix(prefix) {
                if let Ok(ip) = rest.replace('-', ".").parse::<Ipv4Addr>() {
                    return Some(IpAddr::V4(ip));
                }
            }
        }
        if host.contains('.') {
            // Somewhere on the internet: a stable address for the name.
            let hash = host
                .bytes()
                .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
            return Some(IpAddr::V4(Ipv4Addr::new(
                93,
                184,
                (hash >> 8) as u8,
                (hash as u8).max(1),
            )));
        }
        None
    }

    fn curl(&mut self, argv: &[String]) -> Output {
        let mut method = "GET".to_owned();
        let mut headers: Vec<String> = Vec::new();
        let mut url: Option<String> = None;
        let mut out_file: Option<String> = None;
        let mut fail = false;
        let mut head = false;
        let mut timeout: Option<u64> = None;
        let mut args = argv[1..].iter();
        let is_wget = argv[0] == "wget";
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "-X" | "--request" => method = args.next().cloned().unwrap_or_default(),
                "-H" | "--header" => headers.extend(args.next().cloned()),
                "-o" | "--output" | "-O" if !is_wget || arg == "-O" => {
                    out_file = args.next().cloned();
                }
                "-qO-" | "-O-" => out_file = Some("-".into()),
                "-f" | "--fail" | "-sf" | "-fs" | "-fsS" | "-sSf" => fail = true,
                "-I" | "--head" => head = true,
                "-m" | "--max-time" | "--connect-timeout" | "-T" => {
                    // Seconds, perhaps with a fraction: rounded up, without
                    // float parsing (it weighs kilobytes in the page).
                    timeout = args.next().and_then(|t| {
                        let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
                        let whole = if whole.is_empty() {
                            0
                        } else {
                            whole.parse::<u64>().ok()?
                        };
                        Some(whole + u64::from(fraction.bytes().any(|b| b != b'0')))
                    });
                }
                a if a.starts_with('-') => {}
                a => url = Some(a.to_owned()),
            }
        }
        let Some(url) = url else {
            return Output::fail(2, "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
        };
        let (scheme, rest) = url.split_once("://").unwrap_or(("http", &url));
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().unwrap_or(80)),
            None => (authority, if scheme == "https" { 443 } else { 80 }),
        };
        let body = if host == "169.254.169.254" {
            self.elapsed += 0;
            match self.metadata(&method, path, &headers) {
                Ok(body) => body,
                Err((status, _)) if fail => {
                    return Output::fail(
                        22,
                        format!("curl: (22) The requested URL returned error: {status}\n"),
                    );
                }
                Err((_, body)) => body,
            }
        } else {
            let Some(ip) = self.resolve(host) else {
                return Output::fail(6, format!("curl: (6) Could not resolve host: {host}\n"));
            };
            let answer = if ip.is_loopback() {
                self.local_answer(port, path)
            } else {
                match self.connect(ip, port) {
                    Connect::Blocked(why) => {
                        let wait = timeout
                            .unwrap_or(CONNECT_TIMEOUT_SECONDS)
                            .min(CONNECT_TIMEOUT_SECONDS);
                        self.elapsed += wait;
                        return Output::fail(28, format!("curl: (28) Failed to connect to {host} port {port} after {wait}000 ms: Timeout was reached\nlab: {why}\n"));
                    }
                    Connect::Refused => None,
                    Connect::Open => Some(self.region.http_get(ip, port, path)),
                }
            };
            self.elapsed += 1;
            match answer {
                None => return Output::fail(7, format!("curl: (7) Failed to connect to {host} port {port} after 0 ms: Connection refused\n")),
                Some(Http::NotHttp) => return Output::fail(1, "curl: (1) Received HTTP/0.9 when not allowed\n"),
                Some(Http::Page(status, body)) => {
                    if fail && status >= 400 {
                        return Output::fail(22, format!("curl: (22) The requested URL returned error: {status}\n"));
                    }
                    if head {
                        format!("HTTP/1.1 {status} {}\r\nServer: lab\r\nContent-Length: {}\r\n\r\n", if status == 200 { "OK" } else { "Not Found" }, body.len())
                    } else {
                        body
                    }
                }
            }
        };
        match out_file.as_deref() {
            Some("-") | None if !is_wget || out_file.is_some() => Output::ok(body),
            None => Output::ok(body),
            Some(path) => Output::ok(format!("\u{0}{path}\u{0}{body}")),
        }
    }

    fn local_answer(&self, port: u16, path: &str) -> Option<Http> {
        let instance = self.inst()?;
        self.region.answer_on(instance, port)?;
        Some(self.region.http_get_instance(instance, port, path))
    }

    /// The instance metadata service (IMDS) at 169.254.169.254.
    fn metadata(
        &mut self,
        method: &str,
        path: &str,
        headers: &[String],
    ) -> Result<String, (u16, String)> {
        let token = format!(
            "AQAEA{}==",
            &self.instance.as_str()[2..].to_ascii_uppercase()
        );
        if path == "/latest/api/token" {
            if method != "PUT" {
                return Err((405, String::new()));
            }
            if !headers.iter().any(|h| {
                h.to_ascii_lowercase()
                    .starts_with("x-aws-ec2-metadata-token-ttl-seconds")
            }) {
                return Err((400, String::new()));
            }
            return Ok(token);
        }
        let has_token = headers.iter().any(|h| {
            h.to_ascii_lowercase()
                .starts_with("x-aws-ec2-metadata-token:")
                && h.split_once(':').is_some_and(|(_, v)| v.trim() == token)
        });
        if self.distro.imds_v2_only() && !has_token {
            // AL2023 requires IMDSv2: a GET without a session token is refused.
            return Err((401, "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<title>401 - Unauthorized</title>\n".into()));
        }
        let Some(instance) = self.inst() else {
            return Err((404, String::new()));
        };
        let eni = self
            .region
            .network_interfaces
            .get(&instance.network_interface_id);
        let private_ip = eni.map(|e| e.private_ip.to_string()).unwrap_or_default();
        let public_ip = eni.and_then(|e| e.public_ip);
        let not_found = || {
            (
                404u16,
                "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<title>404 - Not Found</title>\n"
                    .to_owned(),
            )
        };
        let leaf = path
            .trim_start_matches("/latest/meta-data")
            .trim_matches('/');
        if path == "/latest/user-data" || path == "/latest/user-data/" {
            return instance.user_data.clone().ok_or_else(not_found);
        }
        if !path.starts_with("/latest/meta-data") {
            return Err(not_found());
        }
        let groups: Vec<String> = eni
            .map(|e| {
                e.security_groups
                    .iter()
                    .filter_map(|g| self.region.security_groups.get(g))
                    .map(|g| g.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        Ok(match leaf {
            "" => {
                let mut items = vec![
                    "ami-id",
                    "ami-launch-index",
                    "block-device-mapping/",
                    "hostname",
                    "instance-id",
                    "instance-type",
                    "local-hostname",
                    "local-ipv4",
                    "mac",
                    "placement/",
                ];
                if public_ip.is_some() {
                    items.extend(["public-hostname", "public-ipv4"]);
                }
                items.extend(["reservation-id", "security-groups"]);
                items.join("\n")
            }
            "ami-id" => instance.image_id.to_string(),
            "ami-launch-index" => "0".into(),
            "instance-id" => instance.id.to_string(),
            "instance-type" => instance.instance_type.clone(),
            "reservation-id" => instance.reservation_id.to_string(),
            "local-ipv4" => private_ip,
            "hostname" | "local-hostname" => self.hostname(),
            "public-ipv4" => public_ip.map(|ip| ip.to_string()).ok_or_else(not_found)?,
            "public-hostname" => public_ip
                .map(|ip| self.region.public_dns_name(ip))
                .ok_or_else(not_found)?,
            "placement" => "availability-zone\nregion".into(),
            "placement/availability-zone" => instance.availability_zone.clone(),
            "placement/region" => self.region.name().to_owned(),
            "security-groups" => groups.join("\n"),
            "mac" => "0e:lab:00:00:00:01".replace("lab", "ab"),
            "block-device-mapping" => {
                let mut items = vec!["ami".to_owned()];
                items.extend(
                    instance
                        .block_devices
                        .iter()
                        .filter(|d| d.device_name != instance.root_device_name)
                        .enumerate()
                        .map(|(i, _)| format!("ebs{}", i + 1)),
                );
                items.extend(
                    instance
                        .instance_store
                        .iter()
                        .filter(|d| d.virtual_name != "root")
                        .map(|d| d.virtual_name.clone()),
                );
                items.join("\n")
            }
            "block-device-mapping/ami" => instance.root_device_name.clone(),
            other => {
                if let Some(rest) = other.strip_prefix("block-device-mapping/") {
                    if let Some(disk) = instance
                        .instance_store
                        .iter()
                        .find(|d| d.virtual_name == rest)
                    {
                        return Ok(disk.device_name.trim_start_matches("/dev/").to_owned());
                    }
                    if let Some(n) = rest
                        .strip_prefix("ebs")
                        .and_then(|n| n.parse::<usize>().ok())
                    {
                        if let Some(d) = instance
                            .block_devices
                            .iter()
                            .filter(|d| d.device_name != instance.root_device_name)
                            .nth(n.saturating_sub(1))
                        {
                            return Ok(d.device_name.trim_start_matches("/dev/").to_owned());
                        }
                    }
                }
                return Err(not_found());
            }
        })
    }

    /// The block devices as the OS names them: NVMe on Nitro types.
    fn devices(&self) -> Vec<(String, String, u32, DiskRef)> {
        let Some(instance) = self.inst() else {
            return Vec::new();
        };
        let nitro =
            crate::instance::instance_type(&instance.instance_type).is_some_and(|t| t.nitro);
        let mut out = Vec::new();
        let mut n = 0;
        let mut ebs: Vec<_> = instance.block_devices.iter().collect();
        ebs.sort_by_key(|d| d.device_name != instance.root_device_name);
        for device in ebs {
            let size = self
                .region
                .volumes
                .get(&device.volume_id)
                .map_or(0, |v| v.size_gib);
            let os_name = if nitro {
                format!("/dev/nvme{n}n1")
            } else {
                device.device_name.replace("/dev/sd", "/dev/xvd")
            };
            n += 1;
            out.push((
                os_name,
                device.device_name.clone(),
                size,
                DiskRef::Volume(device.volume_id.clone()),
            ));
        }
        for (i, disk) in instance.instance_store.iter().enumerate() {
            if disk.virtual_name == "root" {
                out.insert(
                    0,
                    (
                        disk.device_name.replace("/dev/sd", "/dev/xvd"),
                        disk.device_name.clone(),
                        disk.size_gb,
                        DiskRef::Store(i),
                    ),
                );
                continue;
            }
            let os_name = if nitro {
                format!("/dev/nvme{n}n1")
            } else {
                disk.device_name.replace("/dev/sd", "/dev/xvd")
            };
            n += 1;
            out.push((
                os_name,
                disk.device_name.clone(),
                disk.size_gb,
                DiskRef::Store(i),
            ));
        }
        out
    }

    /// A device path as given (`/dev/sdf`, `/dev/xvdf`, `/dev/nvme1n1`).
    fn device(&self, name: &str) -> Option<(String, String, u32, DiskRef)> {
        let alias = name.replace("/dev/xvd", "/dev/sd");
        self.devices()
            .into_iter()
            .find(|(os, api, ..)| os == name || *api == alias || *api == name)
    }

    fn mount_point_of(&self, disk: &DiskRef) -> Option<String> {
        if Some(disk) == self.root().as_ref() {
            return Some("/".into());
        }
        self.inst()?
            .runtime
            .mounts
            .iter()
            .find(|m| match (&m.source, disk) {
                (MountSource::Volume(a), DiskRef::Volume(b)) => a == b,
                (MountSource::InstanceStore(dev), DiskRef::Store(i)) => self
                    .inst()
                    .and_then(|inst| inst.instance_store.get(*i))
                    .is_some_and(|d| d.device_name == *dev),
                (MountSource::Efs(a), DiskRef::Efs(b)) => a == b,
                _ => false,
            })
            .map(|m| m.point.clone())
    }

    fn lsblk(&self) -> Output {
        let mut out = String::from("NAME          MAJ:MIN RM  SIZE RO TYPE MOUNTPOINTS\n");
        for (os, _, size, disk) in self.devices() {
            let name = os.trim_start_matches("/dev/");
            let mount = self.mount_point_of(&disk).unwrap_or_default();
            out.push_str(&format!(
                "{name:<13} 259:0    0 {:>4} 0 disk {mount}\n",
                format!("{size}G")
            ));
        }
        Output::ok(out)
    }

    fn df(&self) -> Output {
        let mut out = String::from("Filesystem      Size  Used Avail Use% Mounted on\n");
        for (os, _, size, disk) in self.devices() {
            if let Some(point) = self.mount_point_of(&disk) {
                let used = self.disk(&disk).map_or(0, DiskData::used_gib);
                out.push_str(&format!(
                    "{os:<15} {:>4} {:>5} {:>5} {:>3}% {point}\n",
                    format!("{size}G"),
                    format!("{used}G"),
                    format!("{}G", size.saturating_sub(used)),
                    (used * 100).checked_div(size).unwrap_or(0)
                ));
            }
        }
        if let Some(instance) = self.inst() {
            for mount in &instance.runtime.mounts {
                if let MountSource::Efs(id) = &mount.source {
                    out.push_str(&format!(
                        "{}:/ 8.0E     0  8.0E   0% {}\n",
                        self.region.efs_dns_name(id),
                        mount.point
                    ));
                }
            }
        }
        Output::ok(out)
    }

    fn mount(&mut self, args: &[&str], env: &Env) -> Output {
        let mut fstype: Option<String> = None;
        let mut positional = Vec::new();
        let mut iter = args.iter();
        let mut all = false;
        while let Some(a) = iter.next() {
            match *a {
                "-t" => fstype = iter.next().map(|s| (*s).to_owned()),
                "-o" => {
                    iter.next();
                }
                "-a" => all = true,
                a if a.starts_with('-') => {}
                a => positional.push(a.to_owned()),
            }
        }
        if all {
            return self.mount_fstab();
        }
        if positional.is_empty() {
            let mut out = format!(
                "{} on / type {} (rw,noatime)\n",
                self.devices()
                    .first()
                    .map(|d| d.0.clone())
                    .unwrap_or_default(),
                self.root_data()
                    .and_then(|d| d.format.clone())
                    .unwrap_or_default()
            );
            if let Some(instance) = self.inst() {
                for m in &instance.runtime.mounts {
                    let source = match &m.source {
                        MountSource::Efs(id) => format!("{}:/", self.region.efs_dns_name(id)),
                        MountSource::Volume(id) => self
                            .devices()
                            .into_iter()
                            .find(|d| d.3 == DiskRef::Volume(id.clone()))
                            .map(|d| d.0)
                            .unwrap_or_default(),
                        MountSource::InstanceStore(dev) => dev.clone(),
                    };
                    out.push_str(&format!("{source} on {} type {} (rw)\n", m.point, m.fstype));
                }
            }
            return Output::ok(out);
        }
        if !env.root {
            return Output::fail(32, "mount: only root can do that.\n");
        }
        let [source, point] = positional.as_slice() else {
            return Output::fail(
                1,
                "lab: mount takes a device (or file system) and a directory\n",
            );
        };
        let point = absolute(env, point);
        self.mount_one(source, &point, fstype.as_deref())
    }

    pub(crate) fn mount_one(&mut self, source: &str, point: &str, fstype: Option<&str>) -> Output {
        if !self.is_dir(point) {
            return Output::fail(32, format!("mount: {point}: mount point does not exist.\n"));
        }
        let (mount_source, fs) = if source.starts_with("fs-")
            || source.contains(".efs.")
            || fstype.is_some_and(|t| t.starts_with("nfs") || t == "efs")
        {
            if self.distro == Distro::Windows {
                return Output::fail(
                    32,
                    "lab: Amazon EFS is not supported on Windows instances (J3)\n",
                );
            }
            if fstype == Some("efs")
                && !self
                    .root_data()
                    .is_some_and(|d| d.files.contains_key("/sbin/mount.efs"))
            {
                return Output::fail(32, "mount: /sbin/mount.efs: unknown filesystem type 'efs' (install amazon-efs-utils first)\n");
            }
            let host = source.split(':').next().unwrap_or("");
            // By a mount target's IP address (any AZ), or by file system id
            // or DNS name (the mount target in the instance's own AZ).
            let by_ip = host.parse::<Ipv4Addr>().ok().and_then(|ip| {
                self.region
                    .mount_targets
                    .values()
                    .find(|mt| mt.ip_address == ip)
                    .map(|mt| (mt.file_system_id.to_string(), ip))
            });
            let fs_id = match &by_ip {
                Some((id, _)) => id.clone(),
                None => host.split('.').next().unwrap_or("").to_owned(),
            };
            match self.efs_target(&fs_id, by_ip.map(|(_, ip)| ip)) {
                Ok(()) => {}
                Err(message) => return Output::fail(32, message),
            }
            (MountSource::Efs(fs_id), "nfs4".to_owned())
        } else {
            let Some((_, _, _, disk)) = self.device(source) else {
                return Output::fail(
                    32,
                    format!("mount: {point}: special device {source} does not exist.\n"),
                );
            };
            let Some(format) = self.disk(&disk).and_then(|d| {
                d.format
                    .clone()
                    .or_else(|| (!d.files.is_empty()).then(|| "xfs".to_owned()))
            }) else {
                return Output::fail(32, format!("mount: {point}: wrong fs type, bad option, bad superblock on {source}, missing codepage or helper program, or other error.\nlab: the volume has no file system yet: format it first (sudo mkfs -t xfs {source})\n"));
            };
            let source = match disk {
                DiskRef::Volume(id) => MountSource::Volume(id),
                DiskRef::Store(i) => MountSource::InstanceStore(
                    self.inst()
                        .and_then(|inst| inst.instance_store.get(i))
                        .map(|d| d.device_name.clone())
                        .unwrap_or_default(),
                ),
                DiskRef::Efs(id) => MountSource::Efs(id),
            };
            (source, format)
        };
        if let Some(instance) = self.region.instances.get_mut(&self.instance) {
            instance.runtime.mounts.retain(|m| m.point != point);
            instance.runtime.mounts.push(Mount {
                point: point.to_owned(),
                source: mount_source,
                fstype: fs,
            });
        }
        Output::ok("")
    }

    /// Checks that this instance can reach an EFS file system over NFS.
    fn efs_target(&mut self, fs_id: &str, by_ip: Option<Ipv4Addr>) -> Result<(), String> {
        let Some(instance) = self.inst() else {
            return Err(String::new());
        };
        let az = instance.availability_zone.clone();
        let ip = match by_ip.map_or_else(|| self.region.efs_mount_target_ip(fs_id, &az), Ok) {
            Ok(ip) => ip,
            Err(message) => return Err(format!("mount.nfs4: {message}\n")),
        };
        match self.connect(IpAddr::V4(ip), 2049) {
            Connect::Blocked(why) => {
                self.elapsed += CONNECT_TIMEOUT_SECONDS;
                Err(format!("mount.nfs4: Connection timed out\nlab: NFS (TCP 2049) to the mount target {ip}: {why} (J3: the mount target's security group must allow TCP 2049 from the instances)\n"))
            }
            Connect::Refused => Err("mount.nfs4: Connection refused\n".into()),
            Connect::Open => Ok(()),
        }
    }

    fn mount_fstab(&mut self) -> Output {
        let fstab = self.read_file("/etc/fstab").unwrap_or_default();
        let mut out = Output::default();
        for line in fstab.lines() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() < 3 || fields[0].starts_with('#') || fields[1] == "/" {
                continue;
            }
            let source = fields[0].trim_start_matches("UUID=");
            let result = self.mount_one(source, fields[1], Some(fields[2]));
            out.stderr.push_str(&result.stderr);
            out.combined.push_str(&result.combined);
            if result.code != 0 && !line.contains("nofail") {
                out.code = result.code;
            }
        }
        out
    }

    fn mkfs(&mut self, argv: &[String], env: &Env) -> Output {
        let mut fstype = argv[0].strip_prefix("mkfs.").map(str::to_owned);
        let mut device = None;
        let mut iter = argv[1..].iter();
        while let Some(a) = iter.next() {
            match a.as_str() {
                "-t" => fstype = iter.next().cloned(),
                a if a.starts_with('-') => {}
                a => device = Some(a.to_owned()),
            }
        }
        if !env.root {
            return Output::fail(
                1,
                format!("mkfs: {}: Permission denied\n", device.unwrap_or_default()),
            );
        }
        let Some(device) = device else {
            return Output::fail(1, "mkfs: no device specified\n");
        };
        let Some((_, _, _, disk)) = self.device(&device) else {
            return Output::fail(
                1,
                format!("mkfs: cannot open {device}: No such file or directory\n"),
            );
        };
        if self.mount_point_of(&disk).is_some() {
            return Output::fail(1, format!("mkfs: {device} contains a mounted filesystem\n"));
        }
        let fstype = fstype.unwrap_or_else(|| "ext2".into());
        let stamp = self.ids.next_u64();
        if let Some(data) = self.disk_mut(&disk) {
            // Formatting erases what was there.
            let blocks = data.blocks.len();
            *data = DiskData::empty();
            data.format = Some(fstype.clone());
            data.write_gib(0, u32::from(blocks > 0), stamp);
        }
        Output::ok(format!("meta-data={device} isize=512 agcount=4\ndata = bsize=4096\nlab: {device} now has an empty {fstype} file system\n"))
    }

    fn command_not_found(&self, name: &str) -> Output {
        Output::fail(127, format!("bash: {name}: command not found\n"))
    }
}

/// How a TCP connection fared.
pub(crate) enum Connect {
    /// Connected.
    Open,
    /// The host answered with a reset: nothing listens.
    Refused,
    /// Dropped on the way (the SYN or its answer), with why.
    Blocked(String),
}

/// What an HTTP request got.
pub enum Http {
    /// Status and body.
    Page(u16, String),
    /// The port speaks something else (SSH, MySQL).
    NotHttp,
}

impl RegionState {
    /// The private DNS name of an address (`ip-10-0-1-5.ec2.internal`).
    pub fn private_dns_name(&self, ip: Ipv4Addr) -> String {
        let domain = match self.name() {
            "us-east-1" => "ec2.internal".to_owned(),
            other => format!("{other}.compute.internal"),
        };
        format!("ip-{}.{domain}", ip.to_string().replace('.', "-"))
    }

    /// The public DNS name of a public address.
    pub fn public_dns_name(&self, ip: Ipv4Addr) -> String {
        let domain = match self.name() {
            "us-east-1" => "compute-1.amazonaws.com".to_owned(),
            other => format!("{other}.compute.amazonaws.com"),
        };
        format!("ec2-{}.{domain}", ip.to_string().replace('.', "-"))
    }

    /// The service answering on a TCP port of a running instance; `None`
    /// when nothing listens.
    pub(crate) fn answer_on(
        &self,
        instance: &Instance,
        port: u16,
    ) -> Option<&'static os::ServiceInfo> {
        instance
            .runtime
            .services
            .iter()
            .filter_map(|s| service(&s.unit))
            .find(|s| s.ports.contains(&port))
    }

    /// An HTTP GET to an address the account owns, or to the internet.
    pub(crate) fn http_get(&self, ip: IpAddr, port: u16, path: &str) -> Http {
        let owner = match ip {
            IpAddr::V4(v4) => self
                .interface_with_public_address(v4)
                .or_else(|| self.interface_with_private_address(ip)),
            IpAddr::V6(_) => self.interface_with_private_address(ip),
        };
        match owner.and_then(|eni| eni.instance_id.as_ref()).and_then(|id| self.instances.get(id)) {
            Some(instance) => self.http_get_instance(instance, port, path),
            None => Http::Page(200, "<!doctype html>\n<html><head><title>Example Domain</title></head><body><h1>Example Domain</h1></body></html>\n".into()),
        }
    }

    /// What a web server on an instance serves for a path.
    pub(crate) fn http_get_instance(&self, instance: &Instance, port: u16, path: &str) -> Http {
        let Some(svc) = self.answer_on(instance, port) else {
            return Http::Page(200, String::new());
        };
        if svc.protocol != Protocol::Http {
            return Http::NotHttp;
        }
        let path = path.split('?').next().unwrap_or("/");
        let file = if path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_owned()
        };
        let full = format!("{}{file}", svc.docroot);
        match self.instance_file(instance, &full) {
            Some(text) => Http::Page(200, text),
            None if path == "/" => Http::Page(403, svc.default_page.to_owned()),
            None => Http::Page(404, format!("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL {path} was not found on this server.</p>\n</body></html>\n")),
        }
    }

    /// A file as an instance sees it (through its mounts): what `cat` on
    /// the instance would print, or `None` if it has no such file. Exercise
    /// goals read instances' files through it.
    pub fn instance_file(&self, instance: &Instance, path: &str) -> Option<String> {
        let mut best: Option<(&Mount, usize)> = None;
        for mount in &instance.runtime.mounts {
            let point = mount.point.trim_end_matches('/');
            if path.starts_with(&format!("{point}/")) && best.is_none_or(|(_, l)| point.len() > l) {
                best = Some((mount, point.len()));
            }
        }
        let (data, inner) = match best {
            Some((mount, len)) => {
                let data = match &mount.source {
                    MountSource::Volume(id) => self.volumes.get(id).map(|v| &v.data),
                    MountSource::InstanceStore(dev) => instance
                        .instance_store
                        .iter()
                        .find(|d| d.device_name == *dev)
                        .map(|d| &d.data),
                    MountSource::Efs(id) => super::efs_data(self, id),
                };
                (data?, &path[len..])
            }
            None => {
                let data = instance
                    .block_devices
                    .iter()
                    .find(|d| d.device_name == instance.root_device_name)
                    .and_then(|d| self.volumes.get(&d.volume_id))
                    .map(|v| &v.data)
                    .or_else(|| {
                        instance
                            .instance_store
                            .iter()
                            .find(|d| d.virtual_name == "root")
                            .map(|d| &d.data)
                    })?;
                (data, path)
            }
        };
        data.files.get(inner).cloned()
    }
}

/// Whether `name` matches a pattern whose only wildcard is `*`.
fn wildcard(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return true;
    };
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i == parts.len() - 1 {
            return rest.ends_with(part) && rest.len() >= part.len();
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

impl Host for Machine<'_> {
    fn read(&mut self, path: &str) -> Result<String, String> {
        self.read_file(path)
    }

    fn glob(&mut self, pattern: &str, env: &Env) -> Vec<String> {
        let relative = !pattern.starts_with('/');
        let full = absolute(env, pattern);
        let mut found = vec![String::from("/")];
        for segment in full.split('/').filter(|s| !s.is_empty()) {
            let mut next = Vec::new();
            for dir in &found {
                let join = |name: &str| format!("{}/{name}", dir.trim_end_matches('/'));
                if segment.contains('*') {
                    for name in self.list(dir).unwrap_or_default() {
                        if wildcard(segment, &name) && !name.starts_with('.') {
                            next.push(join(&name));
                        }
                    }
                } else {
                    let path = join(segment);
                    if self.is_dir(&path) || self.read_file(&path).is_ok() {
                        next.push(path);
                    }
                }
            }
            found = next;
        }
        if relative {
            let cwd = env.vars.get("PWD").cloned().unwrap_or_default();
            let prefix = format!("{}/", cwd.trim_end_matches('/'));
            for path in &mut found {
                if let Some(rest) = path.strip_prefix(&prefix) {
                    *path = rest.to_owned();
                }
            }
        }
        found
    }

    fn write(&mut self, path: &str, text: &str, append: bool, env: &Env) -> Result<(), String> {
        let path = absolute(env, path);
        self.writable(&path, env)?;
        self.write_file(&path, text, append)
    }

    fn run(&mut self, argv: &[String], stdin: &str, env: &mut Env) -> Output {
        let name = argv[0].as_str();
        let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
        if !self.distro.has_command(name) {
            return self.command_not_found(name);
        }
        match name {
            "sudo" => {
                let mut rest: Vec<String> = argv[1..].iter().skip_while(|a| a.starts_with('-')).cloned().collect();
                if rest.is_empty() || matches!(rest[0].as_str(), "su" | "bash" | "-i" | "sh") && rest.len() == 1 {
                    return Output::fail(0, "lab: not simulated: an interactive root shell; put `sudo` before each command instead\n");
                }
                let was = env.root;
                env.root = true;
                let out = if rest[0] == "sh" || rest[0] == "bash" {
                    // sudo sh -c '…'
                    let script = rest.drain(..).skip_while(|a| a != "-c").nth(1).unwrap_or_default();
                    crate::shell::run_script(self, env, &script)
                } else {
                    self.run(&rest, stdin, env)
                };
                env.root = was;
                out
            }
            "sh" | "bash" => match args.iter().position(|a| *a == "-c") {
                Some(i) => {
                    let script = args.get(i + 1).copied().unwrap_or("").to_owned();
                    let mut sub = env.clone();
                    crate::shell::run_script(self, &mut sub, &script)
                }
                None if args.is_empty() && !stdin.is_empty() => {
                    let mut sub = env.clone();
                    crate::shell::run_script(self, &mut sub, stdin)
                }
                None => match args.first() {
                    Some(path) => match self.read_file(&absolute(env, path)) {
                        Ok(script) => {
                            let mut sub = env.clone();
                            crate::shell::run_script(self, &mut sub, &script)
                        }
                        Err(e) => Output::fail(127, format!("bash: {path}: {e}\n")),
                    },
                    None => Output::fail(0, "lab: not simulated: an interactive shell\n"),
                },
            },
            "echo" => {
                let mut newline = true;
                let mut escapes = false;
                let mut words = args.as_slice();
                while let Some((first, rest)) = words.split_first() {
                    match *first {
                        "-n" => newline = false,
                        "-e" => escapes = true,
                        "-ne" | "-en" => {
                            newline = false;
                            escapes = true;
                        }
                        _ => break,
                    }
                    words = rest;
                }
                let mut text = words.join(" ");
                if escapes {
                    text = text.replace("\\n", "\n").replace("\\t", "\t");
                }
                if newline {
                    text.push('\n');
                }
                Output::ok(text)
            }
            "printf" => Output::ok(args.first().map(|f| f.replace("\\n", "\n").replace("%s", args.get(1).copied().unwrap_or(""))).unwrap_or_default()),
            "cat" => {
                let files: Vec<&&str> = args.iter().filter(|a| !a.starts_with('-')).collect();
                if files.is_empty() {
                    return Output::ok(stdin);
                }
                let mut out = Output::default();
                for f in files {
                    match self.read_file(&absolute(env, f)) {
                        Ok(text) => {
                            out.stdout.push_str(&text);
                            out.combined.push_str(&text);
                        }
                        Err(e) => {
                            let m = format!("cat: {f}: {e}\n");
                            out.stderr.push_str(&m);
                            out.combined.push_str(&m);
                            out.code = 1;
                        }
                    }
                }
                out
            }
            "head" | "tail" => {
                let mut count = 10usize;
                let mut files = Vec::new();
                let mut iter = args.iter();
                while let Some(a) = iter.next() {
                    if *a == "-n" {
                        count = iter.next().and_then(|n| n.parse().ok()).unwrap_or(10);
                    } else if let Some(n) = a.strip_prefix('-').and_then(|n| n.parse().ok()) {
                        count = n;
                    } else {
                        files.push(*a);
                    }
                }
                let text = match files.first() {
                    Some(f) => match self.read_file(&absolute(env, f)) {
                        Ok(t) => t,
                        Err(e) => return Output::fail(1, format!("{name}: cannot open '{f}' for reading: {e}\n")),
                    },
                    None => stdin.to_owned(),
                };
                let lines: Vec<&str> = text.lines().collect();
                let picked = if name == "head" {
                    &lines[..count.min(lines.len())]
                } else {
                    &lines[lines.len().saturating_sub(count)..]
                };
                Output::ok(picked.iter().map(|l| format!("{l}\n")).collect::<String>())
            }
            "tee" => {
                let append = args.contains(&"-a");
                let mut out = Output::ok(stdin);
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    if let Err(e) = Host::write(self, f, stdin, append, env) {
                        let m = format!("tee: {f}: {e}\n");
                        out.stderr.push_str(&m);
                        out.combined.push_str(&m);
                        out.code = 1;
                    }
                }
                out
            }
            "mkdir" => {
                let parents = args.iter().any(|a| a.starts_with('-') && a.contains('p'));
                let mut out = Output::default();
                for d in args.iter().filter(|a| !a.starts_with('-')) {
                    let path = absolute(env, d);
                    let result = if self.is_dir(&path) {
                        if parents { Ok(()) } else { Err("File exists".to_owned()) }
                    } else if !parents && !self.parent_exists(&path) {
                        Err("No such file or directory".into())
                    } else {
                        self.writable(&path, env).and_then(|()| self.make_dir(&path))
                    };
                    if let Err(e) = result {
                        let m = format!("mkdir: cannot create directory '{d}': {e}\n");
                        out.stderr.push_str(&m);
                        out.combined.push_str(&m);
                        out.code = 1;
                    }
                }
                out
            }
            "touch" => {
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    let path = absolute(env, f);
                    if self.read_file(&path).is_err() {
                        if let Err(e) = Host::write(self, &path, "", true, env) {
                            return Output::fail(1, format!("touch: cannot touch '{f}': {e}\n"));
                        }
                    }
                }
                Output::ok("")
            }
            "rm" => {
                let recursive = args.iter().any(|a| a.starts_with('-') && (a.contains('r') || a.contains('R')));
                let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    let path = absolute(env, f);
                    if let Err(e) = self.writable(&path, env).and_then(|()| self.remove(&path, recursive)) {
                        if !(force && e.starts_with("No such")) {
                            return Output::fail(1, format!("rm: cannot remove '{f}': {e}\n"));
                        }
                    }
                }
                Output::ok("")
            }
            "cp" | "mv" => {
                let paths: Vec<&&str> = args.iter().filter(|a| !a.starts_with('-')).collect();
                let [src, dst] = paths.as_slice() else {
                    return Output::fail(1, format!("lab: {name} takes a source and a destination\n"));
                };
                let src_path = absolute(env, src);
                let mut dst_path = absolute(env, dst);
                let text = match self.read_file(&src_path) {
                    Ok(t) => t,
                    Err(e) => return Output::fail(1, format!("{name}: cannot stat '{src}': {e}\n")),
                };
                if self.is_dir(&dst_path) {
                    dst_path = format!("{}/{}", dst_path.trim_end_matches('/'), src_path.rsplit('/').next().unwrap_or(""));
                }
                if let Err(e) = Host::write(self, &dst_path, &text, false, env) {
                    return Output::fail(1, format!("{name}: cannot create regular file '{dst}': {e}\n"));
                }
                if name == "mv" {
                    let _ = self.remove(&src_path, false);
                }
                Output::ok("")
            }
            "ls" => {
                let paths: Vec<String> = args.iter().filter(|a| !a.starts_with('-')).map(|p| absolute(env, p)).collect();
                let paths = if paths.is_empty() { vec![env.vars.get("PWD").cloned().unwrap_or_else(|| "/".into())] } else { paths };
                let mut out = Output::default();
                for p in &paths {
                    match self.list(p) {
                        Ok(names) => {
                            let text = if names.is_empty() { String::new() } else { names.join("\n") + "\n" };
                            out.stdout.push_str(&text);
                            out.combined.push_str(&text);
                        }
                        Err(e) => {
                            let m = format!("ls: cannot access '{p}': {e}\n");
                            out.stderr.push_str(&m);
                            out.combined.push_str(&m);
                            out.code = 2;
                        }
                    }
                }
                out
            }
            "cd" => {
                let target = absolute(env, args.first().copied().unwrap_or("~"));
                if self.is_dir(&target) {
                    env.vars.insert("PWD".into(), target);
                    Output::ok("")
                } else {
                    Output::fail(1, format!("bash: cd: {}: No such file or directory\n", args.first().copied().unwrap_or("")))
                }
            }
            "pwd" => Output::ok(format!("{}\n", env.vars.get("PWD").cloned().unwrap_or_else(|| "/".into()))),
            "grep" => {
                let quiet = args.iter().any(|a| a.starts_with('-') && a.contains('q'));
                let rest: Vec<&&str> = args.iter().filter(|a| !a.starts_with('-')).collect();
                let Some((pattern, files)) = rest.split_first() else {
                    return Output::fail(2, "Usage: grep [OPTION]... PATTERNS [FILE]...\n");
                };
                let text = match files.first() {
                    Some(f) => match self.read_file(&absolute(env, f)) {
                        Ok(t) => t,
                        Err(e) => return Output::fail(2, format!("grep: {f}: {e}\n")),
                    },
                    None => stdin.to_owned(),
                };
                let hits: String = text.lines().filter(|l| l.contains(**pattern)).map(|l| format!("{l}\n")).collect();
                let code = i32::from(hits.is_empty());
                Output { combined: if quiet { String::new() } else { hits.clone() }, stdout: if quiet { String::new() } else { hits }, code, ..Output::default() }
            }
            "hostname" => match args.first().copied() {
                Some("-I" | "-i") => Output::ok(format!("{}\n", self.inst().and_then(|i| self.region.network_interfaces.get(&i.network_interface_id)).map(|e| e.private_ip.to_string()).unwrap_or_default())),
                Some("-s") => Output::ok(format!("{}\n", self.hostname().split('.').next().unwrap_or(""))),
                Some("-f") | None => Output::ok(format!("{}\n", self.hostname())),
                Some(other) => Output::fail(0, format!("lab: not simulated: hostname {other}\n")),
            },
            "whoami" => Output::ok(format!("{}\n", if env.root { "root" } else { self.distro.default_user() })),
            "uname" => Output::ok(if args.contains(&"-a") { format!("Linux {} 6.1.119-129.201.amzn2023.x86_64 #1 SMP x86_64 GNU/Linux\n", self.hostname()) } else { "Linux\n".into() }),
            "date" => Output::ok(format!("{}\n", crate::clock::gmt(self.now + self.elapsed))),
            "sleep" => {
                let seconds = args.first().and_then(|s| s.trim_end_matches('s').parse::<u64>().ok()).unwrap_or(0);
                self.elapsed += seconds;
                Output::ok("")
            }
            "true" | ":" | "chmod" | "chown" | "chgrp" | "restorecon" | "export" | "wait" => {
                if name == "export" {
                    for a in &args {
                        if let Some((k, v)) = a.split_once('=') {
                            env.vars.insert(k.to_owned(), v.to_owned());
                        }
                    }
                }
                Output::ok("")
            }
            "false" => Output::fail(1, ""),
            "exit" => {
                env.exited = true;
                Output { code: args.first().and_then(|c| c.parse().ok()).unwrap_or(env.last), ..Output::default() }
            }
            "set" => {
                for a in &args {
                    if a.starts_with('-') && a.contains('e') {
                        env.errexit = true;
                    }
                    if a.starts_with('+') && a.contains('e') {
                        env.errexit = false;
                    }
                }
                Output::ok("")
            }
            "yum" | "dnf" | "apt-get" | "apt" => self.package_manager(argv, env),
            "systemctl" => self.systemctl(&args, env),
            "service" => match args.as_slice() {
                [unit, verb, ..] => self.systemctl(&[verb, unit], env),
                _ => Output::fail(1, "Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]\n"),
            },
            "chkconfig" => match args.as_slice() {
                [unit, "on"] => self.systemctl(&["enable", unit], env),
                [unit, "off"] => self.systemctl(&["disable", unit], env),
                _ => Output::fail(0, "lab: not simulated: chkconfig without `on`/`off`\n"),
            },
            "curl" | "wget" => {
                let out = self.curl(argv);
                // `-o FILE`: the body goes to the file.
                if let Some(rest) = out.stdout.strip_prefix('\u{0}') {
                    let (path, body) = rest.split_once('\u{0}').unwrap_or((rest, ""));
                    return match Host::write(self, path, body, false, env) {
                        Ok(()) => Output::ok(""),
                        Err(e) => Output::fail(23, format!("curl: (23) Failure writing output to destination ({path}: {e})\n")),
                    };
                }
                out
            }
            "lsblk" => self.lsblk(),
            "df" => self.df(),
            "mount" => self.mount(&args, env),
            "umount" => {
                if !env.root {
                    return Output::fail(32, "umount: only root can do that.\n");
                }
                let Some(target) = args.iter().find(|a| !a.starts_with('-')) else {
                    return Output::fail(1, "umount: bad usage\n");
                };
                let path = absolute(env, target);
                let device_point = self.device(target).and_then(|d| self.mount_point_of(&d.3));
                let point = device_point.unwrap_or(path);
                let removed = self.region.instances.get_mut(&self.instance).is_some_and(|i| {
                    let before = i.runtime.mounts.len();
                    i.runtime.mounts.retain(|m| m.point != point);
                    before != i.runtime.mounts.len()
                });
                if removed { Output::ok("") } else { Output::fail(32, format!("umount: {target}: not mounted.\n")) }
            }
            "mkfs" | "mkfs.xfs" | "mkfs.ext4" | "mkfs.ext3" => self.mkfs(argv, env),
            "file" => {
                let Some(device) = args.iter().find(|a| !a.starts_with('-')) else {
                    return Output::fail(1, "Usage: file [-s] file\n");
                };
                match self.device(device) {
                    Some((_, _, _, disk)) => match self.disk(&disk).and_then(|d| d.format.clone()) {
                        Some(f) => Output::ok(format!("{device}: SGI {f} filesystem data\n").replace("SGI ext4", "Linux rev 1.0 ext4").replace("SGI ext3", "Linux rev 1.0 ext3")),
                        None => Output::ok(format!("{device}: data\n")),
                    },
                    None => Output::ok(format!("{device}: cannot open `{device}' (No such file or directory)\n")),
                }
            }
            "cloud-init" => match args.first().copied() {
                Some("status") => {
                    let done_at = self.inst().map_or(0, |i| i.runtime.cloud_init_done_at);
                    Output::ok(if self.now + self.elapsed >= done_at { "status: done\n" } else { "status: running\n" })
                }
                _ => Output::fail(0, "lab: not simulated: cloud-init commands other than `cloud-init status`\n"),
            },
            _ => Output::fail(0, format!("lab: not simulated: {} (the lab's shell does not model this command)\n", argv.join(" "))),
        }
    }
}
