//! Booting an instance's operating system, and `lab exec`.
//!
//! At every boot the memory starts empty: `/etc/fstab` is mounted, enabled
//! services start, and cloud-init runs. cloud-init runs user data once per
//! instance id (H1), which it remembers with a semaphore file on the root
//! disk under `/var/lib/cloud/instances/<id>/`; an AMI baked from the
//! instance carries that file, but an instance launched from it has a new
//! id, so its own user data runs (H6). `bootcmd`, per-boot scripts and
//! scripts-user set to `always` run on every boot (H5). The work user data
//! does (package installs, downloads) is what makes its boot longer; the
//! services it starts listen only once cloud-init reaches them.
//!
//! The lab applies user data's file changes when the instance enters
//! `running` and delays only its services; the boot log says when each step
//! finished.

use super::machine::Machine;
use super::RegionState;
use crate::cloud_init::{self, Part};
use crate::command::Response;
use crate::error::ApiError;
use crate::ids::{IdGenerator, InstanceId};
use crate::instance::InstanceState;
use crate::os::{unit_enabled, Distro, RunningService, Runtime};
use crate::shell::{run_script, Env, Output};

/// Seconds from `running` to cloud-init's final stage, where user data runs.
pub const CLOUD_INIT_START_SECONDS: u64 = 5;

/// cloud-init's version on the lab's Linux AMIs.
const CLOUD_INIT_VERSION: &str = "22.2.2";

impl RegionState {
    /// The operating system of an instance boots at `at` (it just entered
    /// `running`, or was rebooted).
    pub(super) fn boot(&mut self, ids: &mut IdGenerator, id: &InstanceId, at: u64) {
        let Some(instance) = self.instances.get_mut(id) else {
            return;
        };
        instance.runtime = Runtime::default();
        instance.runtime.cloud_init_done_at = at;
        if !instance.os_known {
            return;
        }
        let user_data = instance.user_data.clone();
        let mut machine = Machine {
            region: self,
            ids,
            instance: id.clone(),
            now: at,
            elapsed: 0,
            distro: Distro::AmazonLinux2023,
            started: Vec::new(),
        };
        let Some(root) = machine.root() else { return };
        let Some(distro) = machine.disk(&root).and_then(Distro::of) else {
            return;
        };
        machine.distro = distro;
        let mut console = format!(
            "[    0.000000] Linux version 6.1 (lab) booting {} on {}\n",
            distro, id
        );
        // fstab, then enabled services (the AMI's own and those enabled on disk).
        let root_data = machine.disk(&root).cloned().unwrap_or_default();
        if root_data.files.contains_key("/etc/fstab") {
            let fstab = machine.run_as_root("mount -a");
            console.push_str(&fstab.combined);
        }
        let mut units: Vec<String> = distro
            .base_services(&root_data)
            .iter()
            .map(|s| s.unit.to_owned())
            .collect();
        for path in root_data.files.keys() {
            if let Some(unit) = path
                .strip_prefix("/etc/systemd/system/multi-user.target.wants/")
                .and_then(|u| u.strip_suffix(".service"))
            {
                if unit_enabled(distro, &root_data, unit) && !units.iter().any(|u| u == unit) {
                    units.push(unit.to_owned());
                }
            }
        }
        if let Some(instance) = machine.region.instances.get_mut(id) {
            for unit in &units {
                instance.runtime.services.push(RunningService {
                    unit: unit.clone(),
                    since: at,
                });
                console.push_str(&format!("[  OK  ] Started {unit}.service.\n"));
            }
        }
        if distro == Distro::Windows {
            console.push_str("EC2Launch v2: Windows is ready to use.\n");
            if user_data.is_some() {
                console.push_str(
                    "EC2Launch v2: user data (<powershell>) is not simulated by the lab.\n",
                );
            }
            if let Some(instance) = machine.region.instances.get_mut(id) {
                instance.console = console;
            }
            return;
        }
        let log = machine.cloud_init(id, at, user_data.as_deref(), &root_data);
        console.push_str(&log);
        let done = at + CLOUD_INIT_START_SECONDS + machine.elapsed;
        if let Some(instance) = self.instances.get_mut(id) {
            instance.runtime.cloud_init_done_at = done;
            instance.console = console;
        }
    }

    /// Services whose start comes due by `now`.
    pub(super) fn advance_services(&mut self, now: u64) {
        for instance in self.instances.iter_mut().map(|(_, v)| v) {
            let runtime = &mut instance.runtime;
            if runtime.starting.iter().all(|(at, _)| *at > now) {
                continue;
            }
            let due: Vec<(u64, String)> = runtime
                .starting
                .iter()
                .filter(|(at, _)| *at <= now)
                .cloned()
                .collect();
            runtime.starting.retain(|(at, _)| *at > now);
            for (since, unit) in due {
                if !runtime.is_running(&unit) {
                    runtime.services.push(RunningService { unit, since });
                }
            }
        }
    }

    /// `lab exec`: runs a shell line on a running instance as its default user.
    #[inline(never)]
    pub(super) fn exec(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        id: &InstanceId,
        line: &str,
    ) -> Result<Response, ApiError> {
        let instance = self.instance(id)?;
        if instance.state != InstanceState::Running {
            return Err(ApiError::new(
                "IncorrectInstanceState",
                format!(
                    "The instance '{id}' is {}: only a running instance has a shell to connect to.",
                    instance.state
                ),
            ));
        }
        if !instance.os_known {
            return Err(ApiError::new(
                "UnsupportedOperation",
                format!("The lab does not know what runs on the imported instance '{id}', so it has no shell to simulate."),
            ));
        }
        let mut machine = Machine {
            region: self,
            ids,
            instance: id.clone(),
            now,
            elapsed: 0,
            distro: Distro::AmazonLinux2023,
            started: Vec::new(),
        };
        let distro = machine
            .root()
            .and_then(|root| machine.disk(&root).and_then(Distro::of));
        let Some(distro) = distro else {
            return Err(ApiError::new(
                "UnsupportedOperation",
                format!(
                    "The instance '{id}' has no operating system the lab knows on its root volume."
                ),
            ));
        };
        if distro == Distro::Windows {
            return Err(ApiError::new(
                "UnsupportedOperation",
                format!("The instance '{id}' runs Windows: connect with RDP (TCP 3389); the lab's shell is a Linux shell. (Nor can it mount Amazon EFS: EFS is not supported on Windows instances, J3.)"),
            ));
        }
        machine.distro = distro;
        let user = distro.default_user();
        let mut env = Env::default();
        let home = format!("/home/{user}");
        env.vars.insert("HOME".into(), home.clone());
        env.vars.insert("PWD".into(), home);
        env.vars.insert("USER".into(), user.into());
        let output = run_script(&mut machine, &mut env, line);
        // At the prompt a started service is up by the time it returns.
        let started = std::mem::take(&mut machine.started);
        if let Some(instance) = self.instances.get_mut(id) {
            for (_, unit) in started {
                instance.runtime.starting.retain(|(_, u)| *u != unit);
                if !instance.runtime.is_running(&unit) {
                    instance
                        .runtime
                        .services
                        .push(RunningService { unit, since: now });
                }
            }
        }
        Ok(Response::Exec(output))
    }
}

impl Machine<'_> {
    pub(super) fn run_as_root(&mut self, script: &str) -> Output {
        let mut env = Env {
            root: true,
            ..Env::default()
        };
        env.vars.insert("HOME".into(), "/root".into());
        env.vars.insert("PWD".into(), "/".into());
        run_script(self, &mut env, script)
    }

    /// cloud-init's stages; returns what it logged.
    fn cloud_init(
        &mut self,
        id: &InstanceId,
        at: u64,
        user_data: Option<&str>,
        root: &crate::data::DiskData,
    ) -> String {
        let start = at + CLOUD_INIT_START_SECONDS;
        self.now = start;
        let instance_dir = format!("/var/lib/cloud/instances/{id}");
        let semaphore = format!("{instance_dir}/sem/config_scripts_user");
        let first_boot = !root.files.contains_key(&semaphore);
        let mut log = format!(
            "Cloud-init v. {CLOUD_INIT_VERSION} running 'modules:final' at {}. Up {} seconds.\n",
            crate::clock::gmt(start),
            CLOUD_INIT_START_SECONDS + 10
        );
        let parts = user_data.map(cloud_init::parts).unwrap_or_default();
        let mut scripts = Vec::new();
        let mut per_boot: Vec<String> = root
            .files
            .iter()
            .filter(|(p, _)| p.starts_with("/var/lib/cloud/scripts/per-boot/"))
            .map(|(_, text)| text.clone())
            .collect();
        let mut configs = Vec::new();
        for part in parts {
            match part {
                Part::Script(s) => scripts.push(s),
                Part::PerBootScript(s) => per_boot.push(s),
                Part::Config(c) => configs.push(c),
                Part::Unhandled(message) => log.push_str(&format!("{message}\n")),
            }
        }
        let always = configs.iter().any(|c| c.scripts_user_always);
        // bootcmd runs on every boot (H5).
        for config in &configs {
            for command in &config.bootcmd {
                log.push_str(&self.run_as_root(command).combined);
            }
            for key in &config.unsupported {
                log.push_str(&format!("lab: not simulated: cloud-config key '{key}'\n"));
            }
            for error in &config.errors {
                log.push_str(&format!("lab: cloud-config could not be read: {error}\n"));
            }
        }
        let tool = if self.distro.packaging() == Some(crate::os::Packaging::Deb) {
            "apt-get"
        } else {
            "dnf"
        };
        if first_boot {
            // Per-instance modules: write_files, packages, runcmd (H1).
            for config in &configs {
                for (path, content, append) in &config.write_files {
                    let dir = path
                        .rsplit_once('/')
                        .map_or("/", |(d, _)| if d.is_empty() { "/" } else { d })
                        .to_owned();
                    let _ = self.run_as_root(&format!("mkdir -p '{dir}'"));
                    if let Err(e) = self.write_file(path, content, *append) {
                        log.push_str(&format!("write_files: {path}: {e}\n"));
                    }
                }
                if config.package_update || config.package_upgrade {
                    log.push_str(&self.run_as_root(&format!("{tool} -y update")).combined);
                }
                if !config.packages.is_empty() {
                    log.push_str(
                        &self
                            .run_as_root(&format!(
                                "{tool} install -y {}",
                                config.packages.join(" ")
                            ))
                            .combined,
                    );
                }
            }
        }
        if first_boot || always {
            for config in &configs {
                for command in &config.runcmd {
                    log.push_str(&self.run_as_root(command).combined);
                }
            }
            for (n, script) in scripts.iter().enumerate() {
                if !script.starts_with("#!/bin/bash")
                    && !script.starts_with("#!/bin/sh")
                    && !script.starts_with("#!/usr/bin/env bash")
                {
                    let first = script.lines().next().unwrap_or("");
                    log.push_str(&format!("lab: not simulated: a script for {} (the lab interprets bash and sh scripts)\n", first.trim_start_matches("#!")));
                    continue;
                }
                // H2: the script is copied under the instance's directory and run from there as root.
                self.install_file(&format!("{instance_dir}/scripts/part-{:03}", n + 1), script);
                let result = self.run_as_root(script);
                log.push_str(&result.combined);
                if result.code != 0 {
                    log.push_str(&format!(
                        "{} - cc_scripts_user.py[WARNING]: Failed to run module scripts-user (scripts in {instance_dir}/scripts)\n",
                        crate::clock::gmt(self.now + self.elapsed)
                    ));
                }
            }
        } else if !scripts.is_empty() || configs.iter().any(|c| !c.runcmd.is_empty()) {
            log.push_str(&format!(
                "lab: user data not run: cloud-init already ran it for {id} (it runs once per instance, H1, H4; set scripts-user to always to run it on every boot, H5)\n"
            ));
        }
        for script in &per_boot {
            log.push_str(&self.run_as_root(script).combined);
        }
        if first_boot {
            if let Some(text) = user_data {
                self.install_file(&format!("{instance_dir}/user-data.txt"), text);
            }
            self.install_file(&semaphore, &format!("{}\n", crate::clock::gmt(start)));
        }
        let done = start + self.elapsed;
        log.push_str(&format!(
            "Cloud-init v. {CLOUD_INIT_VERSION} finished at {}. Datasource DataSourceEc2Local.  Up {} seconds\n",
            crate::clock::gmt(done),
            CLOUD_INIT_START_SECONDS + 10 + self.elapsed
        ));
        let previous = self.read_log();
        self.install_file(
            "/var/log/cloud-init-output.log",
            &format!("{previous}{log}"),
        );
        log
    }

    fn read_log(&mut self) -> String {
        crate::shell::Host::read(self, "/var/log/cloud-init-output.log").unwrap_or_default()
    }
}
