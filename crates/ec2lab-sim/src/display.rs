//! A plain-text picture of the account, the way the diagram draws it:
//! Region › VPC › Availability Zone › subnet › instance › volume (and EFS
//! mount targets, which live in a subnet); then what lives in an AZ outside
//! any VPC (unattached volumes) and what is Regional (snapshots and AMIs,
//! D3, E2; EFS file systems, J3; launch templates with their versions, I2).
//!
//! It is the golden text of tests, and what `ec2lab show` prints.

use std::fmt::{self, Write as _};

use crate::efs::FileSystem;
use crate::ids::SecurityGroupId;
use crate::image::{Image, ImageBlockDevice};
use crate::launch_template::LaunchTemplate;
use crate::region::zone_id;
use crate::snapshot::Snapshot;
use crate::tags::NameOrDash;
use crate::volume::Volume;
use crate::vpc::RouteTable;
use crate::world::{RegionState, World};

impl fmt::Display for World {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Account at t={}s", self.clock())?;
        for region in self.regions() {
            write!(f, "{region}")?;
        }
        Ok(())
    }
}

impl fmt::Display for RegionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Region {} ({})", self.info.name, self.info.display_name)?;
        if self.vpcs.is_empty()
            && self.volumes.is_empty()
            && self.snapshots.is_empty()
            && self.images.is_empty()
            && self.file_systems.is_empty()
            && self.launch_templates.is_empty()
        {
            return writeln!(f, ": no resources");
        }
        writeln!(f)?;
        let on_off = if self.ebs_encryption_by_default {
            "on"
        } else {
            "off"
        };
        writeln!(f, "  EBS encryption by default: {on_off}")?;
        for vpc in self.vpcs.values() {
            writeln!(
                f,
                "  VPC {} {} {}",
                vpc.id,
                NameOrDash(&vpc.tags),
                vpc.cidr_block
            )?;
            for igw in self.internet_gateways.values() {
                if igw.attached_vpc.as_ref() == Some(&vpc.id) {
                    writeln!(
                        f,
                        "    Internet gateway {} {}, attached",
                        igw.id,
                        NameOrDash(&igw.tags)
                    )?;
                }
            }
            for table in self.route_tables.values().filter(|t| t.vpc_id == vpc.id) {
                writeln!(f, "    {}", RouteTableLine(self, table))?;
            }
            for acl in self.network_acls.values().filter(|a| a.vpc_id == vpc.id) {
                let kind = if acl.is_default { " (default)" } else { "" };
                writeln!(
                    f,
                    "    Network ACL {} {}{kind}",
                    acl.id,
                    NameOrDash(&acl.tags)
                )?;
                for (label, egress) in [("inbound", false), ("outbound", true)] {
                    let entries: Vec<String> =
                        acl.entries(egress).map(ToString::to_string).collect();
                    writeln!(f, "      {label}: {}", entries.join("; "))?;
                }
            }
            for group in self.security_groups.values().filter(|g| g.vpc_id == vpc.id) {
                writeln!(f, "    Security group {} {}", group.id, group.name)?;
                for (label, rules) in [("inbound", &group.ingress), ("outbound", &group.egress)] {
                    let rules: Vec<String> = rules.iter().map(ToString::to_string).collect();
                    let rules = if rules.is_empty() {
                        "none".to_owned()
                    } else {
                        rules.join("; ")
                    };
                    writeln!(f, "      {label}: {rules}")?;
                }
            }
            let mut zones: Vec<&str> = self.info.zones.iter().map(|(name, _)| *name).collect();
            zones.retain(|zone| {
                self.subnets_of(&vpc.id)
                    .iter()
                    .any(|s| s.availability_zone == *zone)
            });
            for zone in zones {
                writeln!(
                    f,
                    "    Availability Zone {zone} ({})",
                    zone_id(zone).unwrap_or("?")
                )?;
                for subnet in self
                    .subnets_of(&vpc.id)
                    .into_iter()
                    .filter(|s| s.availability_zone == zone)
                {
                    let reach = if self.is_public(&subnet.id) {
                        "public"
                    } else {
                        "private"
                    };
                    let acl = self
                        .network_acl_of(&subnet.id)
                        .map_or("-".to_owned(), |a| a.id.to_string());
                    writeln!(
                        f,
                        "      Subnet {} {} {}, {reach}, network ACL {acl}",
                        subnet.id,
                        NameOrDash(&subnet.tags),
                        subnet.cidr_block
                    )?;
                    for instance in self.instances_in(&subnet.id) {
                        let mut line = format!(
                            "        Instance {} {} {} {}",
                            instance.id,
                            NameOrDash(&instance.tags),
                            instance.instance_type,
                            instance.state,
                        );
                        let Some(eni) = self.primary_interface(instance) else {
                            writeln!(f, "{line} (no network interface)")?;
                            continue;
                        };
                        let _ = write!(line, " private {}", eni.private_ip);
                        if let Some(public) = eni.public_ip {
                            let _ = write!(line, " public {public}");
                        }
                        let groups: Vec<&str> = eni
                            .security_groups
                            .iter()
                            .map(|id| {
                                self.security_groups
                                    .get(id)
                                    .map_or(id.as_str(), |g| g.name.as_str())
                            })
                            .collect();
                        writeln!(f, "{line} [{}]", groups.join(", "))?;
                        for device in &instance.block_devices {
                            if let Some(volume) = self.volumes.get(&device.volume_id) {
                                writeln!(
                                    f,
                                    "          Volume {} {} {} GiB {} {}{}{}",
                                    volume.id,
                                    device.device_name,
                                    volume.size_gib,
                                    volume.volume_type,
                                    encryption(volume.encrypted),
                                    MultiAttach(volume),
                                    if device.delete_on_termination {
                                        ", deleted on termination"
                                    } else {
                                        ""
                                    },
                                )?;
                            }
                        }
                    }
                    // J3: a mount target is an interface in a subnet.
                    for mt in self
                        .mount_targets
                        .values()
                        .filter(|mt| mt.subnet_id == subnet.id)
                    {
                        let groups = self
                            .mount_target_security_groups(&mt.id)
                            .unwrap_or_default();
                        writeln!(
                            f,
                            "        EFS mount target {} of {} {} private {} [{}]",
                            mt.id,
                            mt.file_system_id,
                            mt.state,
                            mt.ip_address,
                            GroupNames(self, groups),
                        )?;
                    }
                }
            }
        }
        // F1: a volume lives in an AZ, not in a VPC or subnet, until attached.
        for (zone, zone_id) in self.info.zones {
            let volumes = self.available_volumes_in(zone);
            if volumes.is_empty() {
                continue;
            }
            writeln!(f, "  Unattached volumes in {zone} ({zone_id})")?;
            for volume in volumes {
                writeln!(
                    f,
                    "    Volume {} {} {} GiB {} {}, {}{}",
                    volume.id,
                    NameOrDash(&volume.tags),
                    volume.size_gib,
                    volume.volume_type,
                    volume.state,
                    encryption(volume.encrypted),
                    MultiAttach(volume),
                )?;
            }
        }
        // D3, E2: snapshots and AMIs belong to the Region, not to an AZ.
        for snapshot in self.snapshots.values() {
            writeln!(f, "  {}", SnapshotLine(snapshot))?;
        }
        for image in self.images.values() {
            writeln!(f, "  {}", ImageLine(image))?;
            for device in &image.block_devices {
                writeln!(f, "    {}", MappingLine(device))?;
            }
        }
        // J3: a file system is Regional (or in One Zone), reached from
        // subnets through its mount targets.
        for fs in self.file_systems.values() {
            writeln!(f, "  {}", FileSystemLine(self, fs))?;
        }
        for template in self.launch_templates.values() {
            write!(f, "{}", TemplateLines(template))?;
        }
        Ok(())
    }
}

/// Security groups by name, as `[web-sg, default]` shows them.
struct GroupNames<'a>(&'a RegionState, &'a [SecurityGroupId]);

impl fmt::Display for GroupNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let GroupNames(region, groups) = *self;
        for (i, id) in groups.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            let name = region
                .security_groups
                .get(id)
                .map_or(id.as_str(), |g| g.name.as_str());
            f.write_str(name)?;
        }
        Ok(())
    }
}

/// An EFS file system: where its data is stored (Regional or One Zone, J3),
/// its state, modes, encryption, metered size and mount targets.
struct FileSystemLine<'a>(&'a RegionState, &'a FileSystem);

impl fmt::Display for FileSystemLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let FileSystemLine(region, fs) = *self;
        write!(f, "EFS file system {} {} ", fs.id, NameOrDash(&fs.tags))?;
        match &fs.availability_zone {
            Some(zone) => write!(f, "One Zone {zone} ({})", zone_id(zone).unwrap_or("?"))?,
            None => f.write_str("Regional")?,
        }
        let mount_targets = region.mount_targets_of(&fs.id).count();
        write!(
            f,
            ", {}, {} {}, {}, {} bytes, {mount_targets} mount target{}",
            fs.state,
            fs.performance_mode,
            fs.throughput_mode,
            encryption(fs.encrypted),
            fs.size_in_bytes(),
            if mount_targets == 1 { "" } else { "s" },
        )
    }
}

fn encryption(encrypted: bool) -> &'static str {
    if encrypted {
        "encrypted"
    } else {
        "unencrypted"
    }
}

/// `, Multi-Attach` after a volume that has it enabled (F3).
struct MultiAttach<'a>(&'a Volume);

impl fmt::Display for MultiAttach<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.multi_attach {
            f.write_str(", Multi-Attach")?;
        }
        Ok(())
    }
}

/// A snapshot: its size, state, encryption (E3) and where it came from.
struct SnapshotLine<'a>(&'a Snapshot);

impl fmt::Display for SnapshotLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let snapshot = self.0;
        write!(
            f,
            "Snapshot {} {} {} GiB {}, {}, ",
            snapshot.id,
            NameOrDash(&snapshot.tags),
            snapshot.volume_size_gib,
            snapshot.state,
            encryption(snapshot.encrypted),
        )?;
        match &snapshot.volume_id {
            Some(volume) => write!(f, "of {volume}")?,
            // E2: a copy comes from no volume of this Region.
            None => f.write_str("a copy")?,
        }
        if snapshot.owner_id != crate::ACCOUNT_ID {
            write!(f, ", owner {}", snapshot.owner_id)?;
        }
        Ok(())
    }
}

/// An AMI: name, architecture, root device type (D9), state and who may
/// launch it (D7).
struct ImageLine<'a>(&'a Image);

impl fmt::Display for ImageLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let image = self.0;
        let name = if image.name.is_empty() {
            "-"
        } else {
            image.name.as_str()
        };
        write!(
            f,
            "AMI {} {name} {} {}-backed {}, {}",
            image.id,
            image.architecture,
            image.root_device_type,
            image.state,
            if image.public { "public" } else { "private" },
        )?;
        if !image.is_own() {
            write!(f, ", owner {}", image.owner_id)?;
        }
        Ok(())
    }
}

/// One entry of an AMI's block device mapping (D1): an EBS volume made
/// from a snapshot, or an instance-store disk.
struct MappingLine<'a>(&'a ImageBlockDevice);

impl fmt::Display for MappingLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let device = self.0;
        match (&device.ebs, &device.virtual_name) {
            (Some(ebs), _) => {
                write!(
                    f,
                    "{} {} {} GiB {} {}",
                    device.device_name,
                    ebs.snapshot_id.as_ref().map_or("-", |id| id.as_str()),
                    ebs.volume_size_gib,
                    ebs.volume_type,
                    encryption(ebs.encrypted),
                )?;
                if ebs.delete_on_termination {
                    f.write_str(", deleted on termination")?;
                }
                Ok(())
            }
            (None, Some(virtual_name)) => {
                write!(f, "{} {virtual_name}, instance store", device.device_name)
            }
            (None, None) => write!(f, "{} -", device.device_name),
        }
    }
}

/// A launch template and its versions, newest last (I2).
struct TemplateLines<'a>(&'a LaunchTemplate);

impl fmt::Display for TemplateLines<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let template = self.0;
        writeln!(
            f,
            "  Launch template {} {}, default version {}, latest {}",
            template.id,
            template.name,
            template.default_version,
            template.latest_version_number(),
        )?;
        for version in &template.versions {
            write!(f, "    Version {}", version.number)?;
            if let Some(description) = &version.description {
                write!(f, " \"{description}\"")?;
            }
            if version.number == template.default_version {
                f.write_str(" (default)")?;
            }
            writeln!(f, ": {}", version.data)?;
        }
        Ok(())
    }
}

/// One route table as a line: its routes and the subnets it serves.
struct RouteTableLine<'a>(&'a RegionState, &'a RouteTable);

impl fmt::Display for RouteTableLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let RouteTableLine(region, table) = *self;
        let main = if table.is_main() { " (main)" } else { "" };
        let routes: Vec<String> = table.routes.iter().map(ToString::to_string).collect();
        write!(
            f,
            "Route table {} {}{main}: {}",
            table.id,
            NameOrDash(&table.tags),
            routes.join(", ")
        )?;
        let subnets: Vec<String> = table
            .associations
            .iter()
            .filter_map(|a| a.subnet_id.as_ref())
            .map(|id| {
                region
                    .subnets
                    .get(id)
                    .map_or(id.to_string(), |s| NameOrDash(&s.tags).to_string())
            })
            .collect();
        if !subnets.is_empty() {
            write!(f, "; subnets {}", subnets.join(", "))?;
        }
        Ok(())
    }
}
