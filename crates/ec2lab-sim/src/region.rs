//! Regions and Availability Zones.
//!
//! A Region is a separate geographic area; each holds several isolated
//! Availability Zones (AZs). Resource ids are Regional (D2): an id made in one
//! Region is unknown in every other. Subnets and EBS volumes live in one AZ
//! (F1); VPCs, AMIs and snapshots are Regional (D3, E2).

/// A Region the lab simulates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegionInfo {
    /// The Region code, e.g. `us-east-1`.
    pub name: &'static str,
    /// The name the console shows, e.g. `US East (N. Virginia)`.
    pub display_name: &'static str,
    /// The Region's AZs: (zone name, zone id).
    pub zones: &'static [(&'static str, &'static str)],
}

/// Every Region the lab simulates, in the order the Region selector lists them.
pub const REGIONS: &[RegionInfo] = &[
    RegionInfo {
        name: "us-east-1",
        display_name: "US East (N. Virginia)",
        zones: &[
            ("us-east-1a", "use1-az1"),
            ("us-east-1b", "use1-az2"),
            ("us-east-1c", "use1-az4"),
        ],
    },
    RegionInfo {
        name: "us-west-2",
        display_name: "US West (Oregon)",
        zones: &[
            ("us-west-2a", "usw2-az1"),
            ("us-west-2b", "usw2-az2"),
            ("us-west-2c", "usw2-az3"),
        ],
    },
    RegionInfo {
        name: "eu-west-1",
        display_name: "Europe (Ireland)",
        zones: &[
            ("eu-west-1a", "euw1-az1"),
            ("eu-west-1b", "euw1-az2"),
            ("eu-west-1c", "euw1-az3"),
        ],
    },
];

/// Looks a Region up by its code.
pub fn region(name: &str) -> Option<&'static RegionInfo> {
    REGIONS.iter().find(|r| r.name == name)
}

/// The Region an AZ name belongs to (`us-east-1a` → `us-east-1`).
pub fn region_of_zone(zone: &str) -> Option<&'static RegionInfo> {
    REGIONS
        .iter()
        .find(|r| r.zones.iter().any(|(name, _)| *name == zone))
}

/// The zone id of an AZ name (`us-east-1a` → `use1-az1`).
pub fn zone_id(zone: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .flat_map(|r| r.zones.iter())
        .find(|(name, _)| *name == zone)
        .map(|(_, id)| *id)
}
