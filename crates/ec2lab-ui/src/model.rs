//! The lab as the screen holds it: the account, undo and redo, and the event
//! log. Every action the learner takes — by dragging, through a menu, or in
//! a rules table — is one EC2 API command, logged as the exact `aws ec2 …`
//! line that does the same, so the lab teaches the CLI as a side effect.
//!
//! Pure and tested natively: components turn gestures into [`Action`]s and
//! draw what this model says.

use std::rc::Rc;

use ec2lab_sim::{
    Command, Connection, InstanceId, NetworkAclEntry, NetworkAclId, RulePeer, RunInstances,
    SecurityGroupId, SecurityGroupRule, SnapshotId, SubnetId, Tags, VolumeId, World,
};

/// Something the learner does, in the lab's vocabulary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Launch one instance (an AMI dropped on a subnet).
    Launch {
        /// The AMI.
        image_id: ec2lab_sim::ImageId,
        /// The subnet.
        subnet_id: SubnetId,
        /// `Name` tag.
        name: String,
        /// Instance type.
        instance_type: String,
        /// Security groups (empty: the VPC's default).
        security_group_ids: Vec<SecurityGroupId>,
        /// User data, as text.
        user_data: Option<String>,
        /// The root volume, when the launch form changed the AMI's (`None`:
        /// the AMI's mapping as it is, D1).
        root_volume: Option<RootVolume>,
    },
    /// Change a stopped instance's user data (`ModifyInstanceAttribute`
    /// `userData`, H4; an empty text removes it).
    ModifyUserData {
        /// The instance.
        instance_id: InstanceId,
        /// The new user data, as text.
        user_data: String,
    },
    /// Launch one instance from a launch template's default version (a
    /// template dropped on a subnet, I1, I2).
    LaunchFromTemplate {
        /// The template.
        template_id: ec2lab_sim::LaunchTemplateId,
        /// The subnet.
        subnet_id: SubnetId,
        /// `Name` tag.
        name: String,
    },
    /// Attach a volume (a volume dropped on an instance).
    AttachVolume {
        /// The volume.
        volume_id: VolumeId,
        /// The instance.
        instance_id: InstanceId,
        /// The device name.
        device: String,
    },
    /// Detach a volume.
    DetachVolume {
        /// The volume.
        volume_id: VolumeId,
    },
    /// Restore a snapshot in an AZ (a snapshot dropped on an AZ).
    CreateVolumeFromSnapshot {
        /// The snapshot.
        snapshot_id: SnapshotId,
        /// The AZ.
        availability_zone: String,
    },
    /// Snapshot a volume (a volume dropped on the snapshot shelf).
    CreateSnapshot {
        /// The volume.
        volume_id: VolumeId,
    },
    /// Make an AMI (an instance dropped on the AMI shelf).
    CreateImage {
        /// The instance.
        instance_id: InstanceId,
        /// The AMI's name.
        name: String,
    },
    /// Start, stop, reboot or terminate an instance.
    Lifecycle {
        /// The instance.
        instance_id: InstanceId,
        /// `start`, `stop`, `reboot` or `terminate`.
        verb: Lifecycle,
    },
    /// Add an inbound (or outbound) security group rule.
    AuthorizeRule {
        /// The group.
        group_id: SecurityGroupId,
        /// Outbound.
        egress: bool,
        /// The rule.
        rule: SecurityGroupRule,
    },
    /// Remove a security group rule.
    RevokeRule {
        /// The group.
        group_id: SecurityGroupId,
        /// Outbound.
        egress: bool,
        /// The rule.
        rule: SecurityGroupRule,
    },
    /// Add a network ACL entry.
    CreateAclEntry {
        /// The ACL.
        network_acl_id: NetworkAclId,
        /// The entry.
        entry: NetworkAclEntry,
    },
    /// Remove a network ACL entry.
    DeleteAclEntry {
        /// The ACL.
        network_acl_id: NetworkAclId,
        /// Its number.
        rule_number: u16,
        /// Outbound.
        egress: bool,
    },
    /// Let lab time pass.
    Advance {
        /// Seconds.
        seconds: u64,
    },
    /// Copy a snapshot into another Region (a snapshot dropped on it):
    /// `CopySnapshot`, run in the destination Region (E2).
    CopySnapshot {
        /// The snapshot.
        snapshot_id: SnapshotId,
        /// Where it is.
        source_region: String,
        /// Where the copy goes.
        region: String,
    },
    /// Copy an AMI into another Region (an AMI dropped on it): `CopyImage`,
    /// run in the destination Region; the copy gets a new id (D3).
    CopyImage {
        /// The AMI.
        image_id: ec2lab_sim::ImageId,
        /// The copy's name.
        name: String,
        /// Where it is.
        source_region: String,
        /// Where the copy goes.
        region: String,
    },
    /// A line typed at the console that may change the account (`aws …`
    /// or `lab …`), run by the console engine ([`crate::engine`]).
    Console {
        /// The line, as typed.
        line: String,
    },
    /// A command the core already wrote out with its CLI line (a trace's
    /// suggested fix).
    Fix {
        /// The command.
        command: Command,
        /// Its `aws ec2 …` line.
        cli: String,
    },
}

/// The root volume a launch asks for: one `BlockDeviceMappings` entry for
/// the AMI's root device, overriding its size and type (and asking for
/// encryption), as RunInstances takes it (D1, F2, E3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootVolume {
    /// The AMI's root device name, e.g. `/dev/xvda`.
    pub device_name: String,
    /// `VolumeSize` in GiB.
    pub size_gib: u32,
    /// `VolumeType`.
    pub volume_type: ec2lab_sim::VolumeType,
    /// `Iops`, for the types that take it (F2).
    pub iops: Option<u32>,
    /// `Encrypted: true` (with the default key, E7); `false` leaves it out
    /// (a volume from an encrypted snapshot is encrypted anyway, E3).
    pub encrypted: bool,
}

/// Instance lifecycle verbs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifecycle {
    /// `start-instances`.
    Start,
    /// `stop-instances`.
    Stop,
    /// `reboot-instances`.
    Reboot,
    /// `terminate-instances`.
    Terminate,
}

impl Lifecycle {
    fn name(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Stop => "stop",
            Self::Reboot => "reboot",
            Self::Terminate => "terminate",
        }
    }
}

/// One line of the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// The `aws ec2 …` (or `lab …`) line that does the same.
    pub cli: String,
    /// `None` on success, else AWS's error code and message.
    pub error: Option<(String, String)>,
}

/// A refused action: AWS's error code (or the lab's, for a line that does
/// not parse) and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The code, e.g. `InvalidVolume.ZoneMismatch`.
    pub code: String,
    /// What AWS says.
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// One line run at the console and what it printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleEntry {
    /// The line, as typed.
    pub line: String,
    /// What the AWS CLI (or the lab) printed.
    pub text: String,
    /// Whether it failed.
    pub error: bool,
}

/// The code of a console line refused because the console's engine has not
/// been loaded yet (it is fetched on demand).
pub const CONSOLE_LOADING: &str = "ConsoleNotLoaded";

/// The lab: the account, its history and the event log.
#[derive(Clone, Debug)]
pub struct Lab {
    /// The account now.
    pub world: World,
    /// The Region on screen.
    pub region: String,
    /// The account the lab started from (before every action in `done`).
    start: Rc<World>,
    /// Accounts before each undoable action, newest last, with its line
    /// (shared, so copying the lab is cheap). An action replayed from a
    /// saved lab keeps none (`None`): undoing it replays the actions before
    /// it from `start`, so opening a lab does not copy the account per action.
    undo: Vec<(Option<Rc<World>>, String)>,
    /// Accounts undone, newest last.
    redo: Vec<(Rc<World>, String)>,
    /// The actions in effect, oldest first, each with the Region it was
    /// done in (what a saved lab replays).
    done: Vec<(String, Action)>,
    /// Actions undone, newest last.
    undone: Vec<(String, Action)>,
    /// What happened, oldest first.
    pub log: Vec<LogEntry>,
    /// What the console printed, oldest first.
    pub console: Vec<ConsoleEntry>,
    /// Connections opened with `lab connect` (A13).
    pub connections: Vec<(String, Connection)>,
    /// Nodes the learner moved on the diagram: resource id and offset from
    /// where the layout puts it, in diagram units ([`crate::moves`]). Where a
    /// node sits is not the account's state: moves are saved with the lab,
    /// not undone with its actions.
    pub moved: Vec<(String, i32, i32)>,
    /// The guided exercise this lab is for, if any: its setup made the
    /// account the lab started from ([`crate::engine::Engine::start`]).
    pub exercise: Option<Rc<crate::engine::Exercise>>,
}

impl Lab {
    /// A lab on an account.
    pub fn new(world: World, region: &str) -> Self {
        Self {
            start: Rc::new(world.clone()),
            world,
            region: region.to_owned(),
            undo: Vec::new(),
            redo: Vec::new(),
            done: Vec::new(),
            undone: Vec::new(),
            log: Vec::new(),
            console: Vec::new(),
            connections: Vec::new(),
            moved: Vec::new(),
            exercise: None,
        }
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Does an action: the account changes whole, or not at all and the log
    /// says AWS's error. A success can be undone. A console line that only
    /// reads the account is not an action: it is neither logged nor undone.
    pub fn perform(&mut self, action: &Action) -> Result<(), Refusal> {
        let before = Rc::new(self.world.clone());
        self.act(action, Some(before))
    }

    /// Does an action replayed from a saved lab: as [`Lab::perform`], but
    /// the account before it is not kept; an undo recomputes it.
    pub fn replay(&mut self, action: &Action) -> Result<(), Refusal> {
        self.act(action, None)
    }

    fn act(&mut self, action: &Action, before: Option<Rc<World>>) -> Result<(), Refusal> {
        let (cli, result) = match action {
            Action::Console { line } => (line.clone(), self.run_console(line)),
            _ => (
                cli_line(action, &self.region),
                apply(&mut self.world, &self.region, action),
            ),
        };
        match &result {
            Ok(false) => {}
            Ok(true) => {
                self.undo.push((before, cli.clone()));
                self.redo.clear();
                self.done.push((self.region.clone(), action.clone()));
                self.undone.clear();
                self.log.push(LogEntry { cli, error: None });
            }
            Err(e) => self.log.push(LogEntry {
                cli,
                error: Some((e.code.clone(), e.message.clone())),
            }),
        }
        result.map(|_| ())
    }

    /// The account after the first `n` actions in effect, replayed from
    /// the start (the same account: the lab is deterministic). `None` if
    /// one needs the console's engine and it is not loaded.
    fn replayed(&self, n: usize) -> Option<World> {
        let mut world = (*self.start).clone();
        let mut connections = Vec::new();
        for (region, action) in &self.done[..n] {
            match action {
                Action::Console { line } => {
                    let engine = crate::engine::loaded()?;
                    let _ = (engine.run)(&mut world, region, &mut connections, line);
                }
                _ => {
                    let _ = apply(&mut world, region, action);
                }
            }
        }
        Some(world)
    }

    /// A lab for an exercise: the account its setup made, nothing done yet.
    pub fn for_exercise(exercise: crate::engine::Exercise, world: World) -> Self {
        let mut lab = Self::new(world, &exercise.region);
        lab.log.push(LogEntry {
            cli: format!("# exercise: {}", exercise.title),
            error: None,
        });
        lab.exercise = Some(Rc::new(exercise));
        lab
    }

    /// Runs a console line through the engine; whether the account may
    /// have changed.
    fn run_console(&mut self, line: &str) -> Result<bool, Refusal> {
        let Some(engine) = crate::engine::loaded() else {
            return Err(Refusal {
                code: CONSOLE_LOADING.into(),
                message: "the console is still loading; try again in a moment".into(),
            });
        };
        let ran = (engine.run)(&mut self.world, &self.region, &mut self.connections, line);
        self.console.push(ConsoleEntry {
            line: line.to_owned(),
            text: ran.text.clone(),
            error: ran.refused.is_some(),
        });
        match ran.refused {
            Some((code, message)) => Err(Refusal { code, message }),
            None => Ok(ran.changed),
        }
    }

    /// The actions in effect, oldest first, each with its Region: what made
    /// this lab from the account it started with.
    pub fn history(&self) -> &[(String, Action)] {
        &self.done
    }

    /// Shows another Region (not an action: nothing in the account changes).
    pub fn set_region(&mut self, region: &str) {
        if self.world.region(region).is_some() {
            region.clone_into(&mut self.region);
        }
    }

    /// Undoes the last action; returns its line.
    pub fn undo(&mut self) -> Option<String> {
        let (kept, cli) = self.undo.pop()?;
        let replayed = || self.replayed(self.done.len().checked_sub(1)?);
        let Some(before) = kept.map(Rc::unwrap_or_clone).or_else(replayed) else {
            // Not recomputable now (the console's engine is not loaded):
            // nothing is undone.
            self.undo.push((None, cli));
            return None;
        };
        let after = std::mem::replace(&mut self.world, before);
        self.redo.push((Rc::new(after), cli.clone()));
        self.undone.extend(self.done.pop());
        self.log.push(LogEntry {
            cli: format!("# undo: {cli}"),
            error: None,
        });
        Some(cli)
    }

    /// Redoes the last undone action; returns its line.
    pub fn redo(&mut self) -> Option<String> {
        let (after, cli) = self.redo.pop()?;
        let before = std::mem::replace(&mut self.world, Rc::unwrap_or_clone(after));
        self.undo.push((Some(Rc::new(before)), cli.clone()));
        self.done.extend(self.undone.pop());
        self.log.push(LogEntry {
            cli: format!("# redo: {cli}"),
            error: None,
        });
        Some(cli)
    }
}

/// A lab handed to components: equal only to itself, so a view redraws
/// exactly when the lab changed (a new `Rc`), without comparing accounts.
#[derive(Clone, Debug)]
pub struct LabView(pub Rc<Lab>);

impl PartialEq for LabView {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for LabView {
    type Target = Lab;
    fn deref(&self) -> &Lab {
        &self.0
    }
}

/// Applies an action that is an EC2 command to an account. Every such
/// action is a command of the screen's set ([`World::apply_basic`]): the
/// page's first module then carries no handler only the console reaches.
fn apply(world: &mut World, region: &str, action: &Action) -> Result<bool, Refusal> {
    world
        .apply_basic(runs_in(action, region), command(action))
        .map(|_| true)
        .map_err(|e| Refusal {
            code: e.code.to_owned(),
            message: e.message,
        })
}

/// The Region an action runs in: a copy runs in its destination, the rest
/// where the learner is.
pub fn runs_in<'a>(action: &'a Action, region: &'a str) -> &'a str {
    match action {
        Action::CopySnapshot { region, .. } | Action::CopyImage { region, .. } => region,
        _ => region,
    }
}

/// The core command of an action.
pub fn command(action: &Action) -> Command {
    match action.clone() {
        Action::Launch {
            image_id,
            subnet_id,
            name,
            instance_type,
            security_group_ids,
            user_data,
            root_volume,
        } => Command::RunInstances(Box::new(RunInstances {
            image_id,
            instance_type,
            subnet_id,
            security_group_ids,
            count: 1,
            user_data,
            tags: Tags::named(&name),
            // D1: an entry for the AMI's root device overrides its mapping;
            // what it leaves out (snapshot, DeleteOnTermination) stays the AMI's.
            block_device_mappings: root_volume
                .map(|root| ec2lab_sim::BlockDeviceRequest {
                    device_name: root.device_name,
                    ebs: Some(ec2lab_sim::EbsRequest {
                        volume_size_gib: Some(root.size_gib),
                        volume_type: Some(root.volume_type.name().to_owned()),
                        iops: root.iops,
                        encrypted: root.encrypted.then_some(true),
                        ..Default::default()
                    }),
                    ..Default::default()
                })
                .into_iter()
                .collect(),
            ..RunInstances::default()
        })),
        Action::ModifyUserData {
            instance_id,
            user_data,
        } => Command::ModifyInstanceAttribute {
            instance_id,
            instance_type: None,
            delete_on_termination: Vec::new(),
            shutdown_behavior: None,
            disable_api_termination: None,
            user_data: Some(user_data),
        },
        Action::LaunchFromTemplate {
            template_id,
            subnet_id,
            name,
        } => Command::RunInstances(Box::new(RunInstances {
            launch_template: Some(ec2lab_sim::LaunchTemplateSpecification {
                template: ec2lab_sim::LaunchTemplateRef::Id(template_id),
                version: None,
            }),
            subnet_id,
            count: 1,
            tags: Tags::named(&name),
            ..RunInstances::default()
        })),
        Action::AttachVolume {
            volume_id,
            instance_id,
            device,
        } => Command::AttachVolume {
            volume_id,
            instance_id,
            device,
        },
        Action::DetachVolume { volume_id } => Command::DetachVolume {
            volume_id,
            instance_id: None,
            force: false,
        },
        Action::CreateVolumeFromSnapshot {
            snapshot_id,
            availability_zone,
        } => Command::CreateVolume(Box::new(ec2lab_sim::CreateVolume {
            availability_zone,
            snapshot_id: Some(snapshot_id),
            ..Default::default()
        })),
        Action::CreateSnapshot { volume_id } => Command::CreateSnapshot {
            volume_id,
            description: String::new(),
            tags: Tags::new(),
        },
        Action::CopySnapshot {
            snapshot_id,
            source_region,
            ..
        } => Command::CopySnapshot {
            source_region,
            source_snapshot_id: snapshot_id,
            description: None,
            encrypted: None,
            kms_key_id: None,
            tags: Tags::new(),
        },
        Action::CopyImage {
            image_id,
            name,
            source_region,
            ..
        } => Command::CopyImage {
            source_region,
            source_image_id: image_id,
            name,
            description: None,
            encrypted: false,
            kms_key_id: None,
            tags: Tags::new(),
        },
        Action::CreateImage { instance_id, name } => Command::CreateImage {
            instance_id,
            name,
            description: String::new(),
            no_reboot: false,
            tags: Tags::new(),
        },
        Action::Lifecycle { instance_id, verb } => {
            let instance_ids = vec![instance_id];
            match verb {
                Lifecycle::Start => Command::StartInstances { instance_ids },
                Lifecycle::Stop => Command::StopInstances {
                    instance_ids,
                    hibernate: false,
                },
                Lifecycle::Reboot => Command::RebootInstances { instance_ids },
                Lifecycle::Terminate => Command::TerminateInstances { instance_ids },
            }
        }
        Action::AuthorizeRule {
            group_id,
            egress,
            rule,
        } => {
            let rules = vec![rule];
            if egress {
                Command::AuthorizeSecurityGroupEgress { group_id, rules }
            } else {
                Command::AuthorizeSecurityGroupIngress { group_id, rules }
            }
        }
        Action::RevokeRule {
            group_id,
            egress,
            rule,
        } => Command::RevokeSecurityGroupRules {
            group_id,
            egress,
            rules: vec![rule],
        },
        Action::CreateAclEntry {
            network_acl_id,
            entry,
        } => Command::CreateNetworkAclEntry {
            network_acl_id,
            entry,
        },
        Action::DeleteAclEntry {
            network_acl_id,
            rule_number,
            egress,
        } => Command::DeleteNetworkAclEntry {
            network_acl_id,
            rule_number,
            egress,
        },
        Action::Advance { seconds } => Command::AdvanceTime { seconds },
        // Console lines are run by the console engine, never as one command;
        // `Lab::perform` does not come here for them.
        Action::Console { .. } => Command::AdvanceTime { seconds: 0 },
        Action::Fix { command, .. } => command,
    }
}

/// Quotes a word for a shell line if it needs it.
fn quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@".contains(c))
    {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// A security group rule as `--ip-permissions` shorthand.
fn permission(rule: &SecurityGroupRule) -> String {
    let protocol = rule.protocol.to_string();
    let ports = match rule.ports {
        Some((from, to)) => format!(",FromPort={from},ToPort={to}"),
        None => String::new(),
    };
    let peer = match &rule.peer {
        RulePeer::Cidr(net) => format!("IpRanges=[{{CidrIp={net}}}]"),
        RulePeer::Ipv6Cidr(net) => format!("Ipv6Ranges=[{{CidrIpv6={net}}}]"),
        RulePeer::SecurityGroup(id) => format!("UserIdGroupPairs=[{{GroupId={id}}}]"),
        RulePeer::PrefixList(id) => format!("PrefixListIds=[{{PrefixListId={id}}}]"),
    };
    format!("IpProtocol={protocol}{ports},{peer}")
}

/// The CLI line that does what an action does.
pub fn cli_line(action: &Action, region: &str) -> String {
    let r = format!(" --region {region}");
    match action {
        Action::Launch {
            image_id,
            subnet_id,
            name,
            instance_type,
            security_group_ids,
            user_data,
            root_volume,
        } => {
            let mut line = format!(
                "aws ec2 run-instances --image-id {image_id} --instance-type {instance_type} --subnet-id {subnet_id} --count 1"
            );
            if let Some(root) = root_volume {
                let mut ebs = format!(
                    "VolumeSize={},VolumeType={}",
                    root.size_gib, root.volume_type
                );
                if let Some(iops) = root.iops {
                    ebs.push_str(&format!(",Iops={iops}"));
                }
                if root.encrypted {
                    ebs.push_str(",Encrypted=true");
                }
                line.push_str(&format!(
                    " --block-device-mappings {}",
                    quote(&format!("DeviceName={},Ebs={{{ebs}}}", root.device_name))
                ));
            }
            if !security_group_ids.is_empty() {
                line.push_str(" --security-group-ids");
                for g in security_group_ids {
                    line.push(' ');
                    line.push_str(g.as_str());
                }
            }
            if let Some(data) = user_data {
                line.push_str(&format!(" --user-data {}", quote(data)));
            }
            line.push_str(&format!(
                " --tag-specifications {}",
                quote(&format!("ResourceType=instance,Tags=[{{Key=Name,Value={name}}}]"))
            ));
            line + &r
        }
        Action::ModifyUserData {
            instance_id,
            user_data,
        } => {
            use base64::Engine as _;
            // H3: modify-instance-attribute takes user data base64-encoded
            // (the AWS CLI encodes it only for run-instances).
            format!(
                "aws ec2 modify-instance-attribute --instance-id {instance_id} --attribute userData --value {}{r}",
                quote(&base64::engine::general_purpose::STANDARD.encode(user_data))
            )
        }
        Action::LaunchFromTemplate {
            template_id,
            subnet_id,
            name,
        } => format!(
            "aws ec2 run-instances --launch-template LaunchTemplateId={template_id} --subnet-id {subnet_id} --count 1 --tag-specifications {}{r}",
            quote(&format!("ResourceType=instance,Tags=[{{Key=Name,Value={name}}}]"))
        ),
        Action::AttachVolume {
            volume_id,
            instance_id,
            device,
        } => format!(
            "aws ec2 attach-volume --volume-id {volume_id} --instance-id {instance_id} --device {device}{r}"
        ),
        Action::DetachVolume { volume_id } => {
            format!("aws ec2 detach-volume --volume-id {volume_id}{r}")
        }
        Action::CreateVolumeFromSnapshot {
            snapshot_id,
            availability_zone,
        } => format!(
            "aws ec2 create-volume --snapshot-id {snapshot_id} --availability-zone {availability_zone}{r}"
        ),
        Action::CreateSnapshot { volume_id } => {
            format!("aws ec2 create-snapshot --volume-id {volume_id}{r}")
        }
        Action::CreateImage { instance_id, name } => format!(
            "aws ec2 create-image --instance-id {instance_id} --name {}{r}",
            quote(name)
        ),
        Action::CopySnapshot {
            snapshot_id,
            source_region,
            region,
        } => format!(
            "aws ec2 copy-snapshot --source-region {source_region} --source-snapshot-id {snapshot_id} --region {region}"
        ),
        Action::CopyImage {
            image_id,
            name,
            source_region,
            region,
        } => format!(
            "aws ec2 copy-image --source-region {source_region} --source-image-id {image_id} --name {} --region {region}",
            quote(name)
        ),
        Action::Lifecycle { instance_id, verb } => format!(
            "aws ec2 {}-instances --instance-ids {instance_id}{r}",
            verb.name()
        ),
        Action::AuthorizeRule {
            group_id,
            egress,
            rule,
        } => format!(
            "aws ec2 authorize-security-group-{} --group-id {group_id} --ip-permissions {}{r}",
            if *egress { "egress" } else { "ingress" },
            quote(&permission(rule))
        ),
        Action::RevokeRule {
            group_id,
            egress,
            rule,
        } => format!(
            "aws ec2 revoke-security-group-{} --group-id {group_id} --ip-permissions {}{r}",
            if *egress { "egress" } else { "ingress" },
            quote(&permission(rule))
        ),
        Action::CreateAclEntry {
            network_acl_id,
            entry,
        } => {
            let protocol = entry.protocol.as_number_string();
            let mut line = format!(
                "aws ec2 create-network-acl-entry --network-acl-id {network_acl_id} --{} --rule-number {} --protocol {protocol} --rule-action {} --cidr-block {}",
                if entry.egress { "egress" } else { "ingress" },
                entry.rule_number,
                entry.action,
                entry.cidr_block
            );
            if let Some((from, to)) = entry.port_range {
                line.push_str(&format!(" --port-range From={from},To={to}"));
            }
            line + &r
        }
        Action::DeleteAclEntry {
            network_acl_id,
            rule_number,
            egress,
        } => format!(
            "aws ec2 delete-network-acl-entry --network-acl-id {network_acl_id} --{} --rule-number {rule_number}{r}",
            if *egress { "egress" } else { "ingress" }
        ),
        Action::Advance { seconds } => format!("lab advance --seconds {seconds}"),
        Action::Console { line } => line.clone(),
        Action::Fix { cli, .. } => format!("{cli}{r}"),
    }
}
