//! AMIs: the templates instances are launched from.
//!
//! An AMI holds a block device mapping whose EBS entries point at snapshots,
//! an architecture and launch permissions (D1). AMI ids are Regional (D2):
//! the same image has a different id in every Region, so the catalogue derives
//! each public image's id (and its root snapshot's) from its name and the
//! Region. The account's own AMIs ("My AMIs") live in the Region's state.

use std::fmt;

use crate::data::DiskData;
use crate::ids::{ImageId, InstanceId, SnapshotId};
use crate::instance::Architecture;
use crate::tags::Tags;
use crate::volume::VolumeType;
use crate::ACCOUNT_ID;

/// Where an AMI's root device lives (D9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RootDeviceType {
    /// `ebs`: an EBS volume made from a snapshot; the instance can be stopped.
    Ebs,
    /// `instance-store`: the host's disk; the instance can't be stopped (G4).
    InstanceStore,
}

impl fmt::Display for RootDeviceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ebs => "ebs",
            Self::InstanceStore => "instance-store",
        })
    }
}

/// Which part of the console's AMI catalogue an image comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogueKind {
    /// Quick Start AMIs.
    QuickStart,
    /// AWS Marketplace AMIs (carry a product code; can't be made public, D8).
    Marketplace,
    /// Community AMIs: public images shared by anyone.
    Community,
}

/// A public image from the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicImage {
    /// `Name`, as `describe-images` prints it.
    pub name: &'static str,
    /// `Description`.
    pub description: &'static str,
    /// `Architecture`.
    pub architecture: Architecture,
    /// `RootDeviceName`.
    pub root_device_name: &'static str,
    /// `RootDeviceType`.
    pub root_device_type: RootDeviceType,
    /// Size of the root snapshot in GiB (the default root volume size).
    pub root_volume_size_gib: u32,
    /// The root volume's type in the mapping.
    pub root_volume_type: VolumeType,
    /// `PlatformDetails`.
    pub platform: &'static str,
    /// `OwnerId`.
    pub owner_id: &'static str,
    /// `ImageOwnerAlias` (`amazon`, `aws-marketplace`), if any.
    pub owner_alias: Option<&'static str>,
    /// The console's catalogue section.
    pub kind: CatalogueKind,
    /// Files on the root disk, to tell images apart once launched.
    pub files: &'static [(&'static str, &'static str)],
    /// GiB of the root disk in use.
    pub used_gib: u32,
    /// `CreationDate`: when its publisher registered it (before the lab began).
    pub published: &'static str,
}

const AMAZON: &str = "137112412989";
const AMAZON_WINDOWS: &str = "801119661308";
const CANONICAL: &str = "099720109477";
const MARKETPLACE: &str = "679593333241";
const DEBIAN: &str = "136693071363";

/// The public images every Region offers.
pub const PUBLIC_IMAGES: &[PublicImage] = &[
    PublicImage {
        name: "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64",
        description: "Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1",
        architecture: Architecture::X86_64,
        root_device_name: "/dev/xvda",
        root_device_type: RootDeviceType::Ebs,
        root_volume_size_gib: 8,
        root_volume_type: VolumeType::Gp3,
        platform: "Linux/UNIX",
        owner_id: AMAZON,
        owner_alias: Some("amazon"),
        kind: CatalogueKind::QuickStart,
        files: &[(
            "/etc/os-release",
            "PRETTY_NAME=\"Amazon Linux 2023.6.20241212\"",
        )],
        used_gib: 2,
        published: "2024-12-12T20:49:24.000Z",
    },
    PublicImage {
        name: "al2023-ami-2023.6.20241212.0-kernel-6.1-arm64",
        description: "Amazon Linux 2023 AMI 2023.6.20241212.0 arm64 HVM kernel-6.1",
        architecture: Architecture::Arm64,
        root_device_name: "/dev/xvda",
        root_device_type: RootDeviceType::Ebs,
        root_volume_size_gib: 8,
        root_volume_type: VolumeType::Gp3,
        platform: "Linux/UNIX",
        owner_id: AMAZON,
        owner_alias: Some("amazon"),
        kind: CatalogueKind::QuickStart,
        files: &[(
            "/etc/os-release",
            "PRETTY_NAME=\"Amazon Linux 2023.6.20241212\"",
        )],
        used_gib: 2,
        published: "2024-12-12T20:49:25.000Z",
    },
    PublicImage {
        name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241206",
        description: "Canonical, Ubuntu, 24.04, amd64 noble image",
        architecture: Architecture::X86_64,
        root_device_name: "/dev/sda1",
        root_device_type: RootDeviceType::Ebs,
        root_volume_size_gib: 8,
        root_volume_type: VolumeType::Gp3,
        platform: "Linux/UNIX",
        owner_id: CANONICAL,
        owner_alias: None,
        kind: CatalogueKind::QuickStart,
        files: &[("/etc/os-release", "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"")],
        used_gib: 2,
        published: "2024-12-06T10:30:12.000Z",
    },
    PublicImage {
        name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20241206",
        description: "Canonical, Ubuntu, 24.04, arm64 noble image",
        architecture: Architecture::Arm64,
        root_device_name: "/dev/sda1",
        root_device_type: RootDeviceType::Ebs,
        root_volume_size_gib: 8,
        root_volume_type: VolumeType::Gp3,
        platform: "Linux/UNIX",
        owner_id: CANONICAL,
        owner_alias: None,
        kind: CatalogueKind::QuickStart,
        files: &[("/etc/os-release", "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"")],
        used_gib: 2,
        published: "2024-12-06T10:31:40.000Z",
    },
    PublicImage {
        name: "Windows_Server-2022-English-Full-Base-2024.12.13",
        description: "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon",
        architecture: Architecture::X86_64,
        root_device_name: "/dev/sda1",
        root_device_type: RootDeviceType::Ebs,
        root_volume_size_gib: 30,
        root_volume_type: VolumeType::Gp2,
        platform: "Windows",
        owner_id: AMAZON_WINDOWS,
        owner_alias: Some("amazon"),
        kind: CatalogueKind::QuickStart,
        files: &[(
            "C:\\Windows\\System32\\license.rtf",
            "Microsoft Windows Server 2022",
        )],
        used_gib: 15,
        published: "2024-12-13T18:54:40.000Z",
    },
    PublicImage {
        name: "bitnami-wordpress-6.7.1-r0-debian-12-amd64",
        description: "Bitnami WordPress 6.7.1 on Debian 12 (AWS Marketplace)",
        architecture: Architecture::X86_64,
        root_device_name: "/dev/xvda",
        root_device_type: RootDeviceType::Ebs,
        root_volume_size_gib: 10,
        root_volume_type: VolumeType::Gp2,
        platform: "Linux/UNIX",
        owner_id: MARKETPLACE,
        owner_alias: Some("aws-marketplace"),
        kind: CatalogueKind::Marketplace,
        files: &[
            (
                "/etc/os-release",
                "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"",
            ),
            (
                "/opt/bitnami/wordpress/wp-config.php",
                "<?php // WordPress 6.7.1",
            ),
        ],
        used_gib: 4,
        published: "2024-12-18T04:12:09.000Z",
    },
    PublicImage {
        name: "debian-12-amd64-20241201-1948",
        description: "Debian 12 (20241201-1948)",
        architecture: Architecture::X86_64,
        root_device_name: "/dev/xvda",
        root_device_type: RootDeviceType::Ebs,
        root_volume_size_gib: 8,
        root_volume_type: VolumeType::Gp2,
        platform: "Linux/UNIX",
        owner_id: DEBIAN,
        owner_alias: None,
        kind: CatalogueKind::Community,
        files: &[(
            "/etc/os-release",
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"",
        )],
        used_gib: 2,
        published: "2024-12-01T19:52:36.000Z",
    },
    PublicImage {
        name: "amzn-ami-hvm-2018.03.0.20231218.0-x86_64-s3",
        description: "Amazon Linux AMI 2018.03.0.20231218.0 x86_64 HVM instance-store",
        architecture: Architecture::X86_64,
        root_device_name: "/dev/sda1",
        root_device_type: RootDeviceType::InstanceStore,
        root_volume_size_gib: 10,
        root_volume_type: VolumeType::Standard,
        platform: "Linux/UNIX",
        owner_id: AMAZON,
        owner_alias: Some("amazon"),
        kind: CatalogueKind::Community,
        files: &[("/etc/system-release", "Amazon Linux AMI release 2018.03")],
        used_gib: 2,
        published: "2023-12-18T22:31:07.000Z",
    },
];

/// FNV-1a over "region/kind/name", widened to 17 hex digits.
fn catalogue_digits(region: &str, kind: &str, name: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in region
        .bytes()
        .chain([b'/'])
        .chain(kind.bytes())
        .chain(name.bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:017x}", u128::from(hash) << 4 | u128::from(hash >> 60))
}

impl PublicImage {
    /// This image's id in `region`: stable, and different in every Region (D2).
    pub fn id_in(&self, region: &str) -> ImageId {
        ImageId::new(format!("ami-{}", catalogue_digits(region, "", self.name)))
    }

    /// The id of this image's root snapshot in `region` (EBS-backed only).
    pub fn snapshot_id_in(&self, region: &str) -> SnapshotId {
        SnapshotId::new(format!(
            "snap-{}",
            catalogue_digits(region, "snap", self.name)
        ))
    }

    /// What the root disk of a new instance holds.
    pub fn root_data(&self) -> DiskData {
        let mut data = DiskData::empty();
        data.write_gib(0, self.used_gib, 0);
        for (path, text) in self.files {
            data.files.insert((*path).to_owned(), (*text).to_owned());
        }
        data.format = crate::os::Distro::of(&data).map(|d| d.root_format().to_owned());
        data
    }

    /// The image as `describe-images` shows it in `region`.
    pub fn image_in(&self, region: &str) -> Image {
        let ebs = self.root_device_type == RootDeviceType::Ebs;
        let block_devices = if ebs {
            vec![ImageBlockDevice {
                device_name: self.root_device_name.to_owned(),
                ebs: Some(EbsMapping {
                    snapshot_id: Some(self.snapshot_id_in(region)),
                    volume_size_gib: self.root_volume_size_gib,
                    volume_type: self.root_volume_type,
                    delete_on_termination: true,
                    encrypted: false,
                    kms_key_id: None,
                    iops: (self.root_volume_type == VolumeType::Gp3).then_some(3000),
                    throughput: (self.root_volume_type == VolumeType::Gp3).then_some(125),
                }),
                virtual_name: None,
            }]
        } else {
            vec![ImageBlockDevice {
                device_name: "/dev/sdb".to_owned(),
                ebs: None,
                virtual_name: Some("ephemeral0".to_owned()),
            }]
        };
        Image {
            id: self.id_in(region),
            name: self.name.to_owned(),
            description: self.description.to_owned(),
            architecture: self.architecture,
            root_device_name: self.root_device_name.to_owned(),
            root_device_type: self.root_device_type,
            block_devices,
            state: ImageState::Available,
            creation_time: 0,
            published: Some(self.published),
            public: true,
            launch_permissions: Vec::new(),
            platform: self.platform.to_owned(),
            owner_id: self.owner_id.to_owned(),
            owner_alias: self.owner_alias,
            product_code: (self.kind == CatalogueKind::Marketplace)
                .then(|| format!("{}mkt", &catalogue_digits("", "code", self.name)[..8])),
            source_instance_id: None,
            catalogue: Some(self.kind),
            tags: Tags::new(),
        }
    }
}

/// The public image with this id in `region`.
pub fn public_image(region: &str, id: &ImageId) -> Option<&'static PublicImage> {
    PUBLIC_IMAGES
        .iter()
        .find(|image| image.id_in(region) == *id)
}

/// The public image whose root snapshot has this id in `region`.
pub fn public_image_of_snapshot(region: &str, id: &SnapshotId) -> Option<&'static PublicImage> {
    PUBLIC_IMAGES.iter().find(|image| {
        image.root_device_type == RootDeviceType::Ebs && image.snapshot_id_in(region) == *id
    })
}

/// An AMI's state (D1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageState {
    /// `pending`: its snapshots are still being taken or copied.
    Pending,
    /// `available`: it can launch instances.
    Available,
}

impl fmt::Display for ImageState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Pending => "pending",
            Self::Available => "available",
        })
    }
}

/// The EBS part of a block device mapping entry (`EbsBlockDevice`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EbsMapping {
    /// `SnapshotId`: the data the volume starts with.
    pub snapshot_id: Option<SnapshotId>,
    /// `VolumeSize` in GiB.
    pub volume_size_gib: u32,
    /// `VolumeType`.
    pub volume_type: VolumeType,
    /// `DeleteOnTermination` (F4).
    pub delete_on_termination: bool,
    /// `Encrypted`.
    pub encrypted: bool,
    /// `KmsKeyId` (an ARN), when encrypted.
    pub kms_key_id: Option<String>,
    /// `Iops`.
    pub iops: Option<u32>,
    /// `Throughput`.
    pub throughput: Option<u32>,
}

/// One entry of an AMI's block device mapping (D1): an EBS volume made
/// from a snapshot, or an instance-store disk (`VirtualName` `ephemeralN`),
/// which comes up empty (D4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageBlockDevice {
    /// `DeviceName`.
    pub device_name: String,
    /// `Ebs`.
    pub ebs: Option<EbsMapping>,
    /// `VirtualName`, e.g. `ephemeral0`.
    pub virtual_name: Option<String>,
}

/// An AMI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    /// `ami-…`.
    pub id: ImageId,
    /// `Name`: unique among the account's AMIs in the Region.
    pub name: String,
    /// `Description`.
    pub description: String,
    /// `Architecture`.
    pub architecture: Architecture,
    /// `RootDeviceName`.
    pub root_device_name: String,
    /// `RootDeviceType`.
    pub root_device_type: RootDeviceType,
    /// `BlockDeviceMappings`.
    pub block_devices: Vec<ImageBlockDevice>,
    /// `State`.
    pub state: ImageState,
    /// When it was registered (lab seconds).
    pub creation_time: u64,
    /// `CreationDate` of a catalogue image, registered before the lab began.
    pub published: Option<&'static str>,
    /// `Public`: launch permission for `all` (D7).
    pub public: bool,
    /// Accounts with explicit launch permission (D7).
    pub launch_permissions: Vec<String>,
    /// `PlatformDetails`.
    pub platform: String,
    /// `OwnerId`.
    pub owner_id: String,
    /// `ImageOwnerAlias`.
    pub owner_alias: Option<&'static str>,
    /// A Marketplace product code (such AMIs can't be made public, D8).
    pub product_code: Option<String>,
    /// The instance `CreateImage` made it from.
    pub source_instance_id: Option<InstanceId>,
    /// The catalogue section of a public image; `None` for the account's own.
    pub catalogue: Option<CatalogueKind>,
    /// Tags.
    pub tags: Tags,
}

impl Image {
    /// Whether the account owns it ("My AMIs").
    pub fn is_own(&self) -> bool {
        self.owner_id == ACCOUNT_ID
    }

    /// The snapshots its mapping points at.
    pub fn snapshot_ids(&self) -> impl Iterator<Item = &SnapshotId> {
        self.block_devices
            .iter()
            .filter_map(|device| device.ebs.as_ref()?.snapshot_id.as_ref())
    }

    /// Whether any of its EBS mappings is encrypted (D8).
    pub fn is_encrypted(&self) -> bool {
        self.block_devices
            .iter()
            .any(|device| device.ebs.as_ref().is_some_and(|ebs| ebs.encrypted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_image_has_a_different_id_in_each_region() {
        // D2: AMI ids are Regional.
        let image = &PUBLIC_IMAGES[0];
        let east = image.id_in("us-east-1");
        assert_ne!(east, image.id_in("eu-west-1"));
        assert_eq!(east.as_str().len(), "ami-".len() + 17);
        assert_eq!(public_image("us-east-1", &east), Some(image));
        assert_eq!(public_image("eu-west-1", &east), None);
    }
}
