//! A plain-text picture of the account, the way the diagram draws it:
//! Region › VPC › Availability Zone › subnet › instance › volume.
//!
//! It is the golden text of tests, and what `ec2lab show` prints.

use std::fmt::{self, Write as _};

use crate::region::zone_id;
use crate::tags::NameOrDash;
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
        if self.vpcs.is_empty() && self.volumes.is_empty() {
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
                                    "          Volume {} {} {} GiB {} {}{}",
                                    volume.id,
                                    device.device_name,
                                    volume.size_gib,
                                    volume.volume_type,
                                    if volume.encrypted {
                                        "encrypted"
                                    } else {
                                        "unencrypted"
                                    },
                                    if device.delete_on_termination {
                                        ", deleted on termination"
                                    } else {
                                        ""
                                    },
                                )?;
                            }
                        }
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
                    "    Volume {} {} {} GiB {} {}, {}",
                    volume.id,
                    NameOrDash(&volume.tags),
                    volume.size_gib,
                    volume.volume_type,
                    volume.state,
                    if volume.encrypted {
                        "encrypted"
                    } else {
                        "unencrypted"
                    },
                )?;
            }
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
