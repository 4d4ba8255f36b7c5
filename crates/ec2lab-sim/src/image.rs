//! AMIs: the templates instances are launched from.
//!
//! An AMI holds a block device mapping whose EBS entries point at snapshots,
//! an architecture and launch permissions (D1). AMI ids are Regional (D2):
//! the same image has a different id in every Region, so the catalogue derives
//! each public image's id from its name and the Region.

use crate::ids::ImageId;
use crate::instance::Architecture;

/// A public image from the catalogue (Quick Start AMIs).
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
    /// Size of the root snapshot in GiB (the default root volume size).
    pub root_volume_size_gib: u32,
    /// `PlatformDetails`.
    pub platform: &'static str,
}

/// The Quick Start images every Region offers.
pub const PUBLIC_IMAGES: &[PublicImage] = &[
    PublicImage {
        name: "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64",
        description: "Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1",
        architecture: Architecture::X86_64,
        root_device_name: "/dev/xvda",
        root_volume_size_gib: 8,
        platform: "Linux/UNIX",
    },
    PublicImage {
        name: "al2023-ami-2023.6.20241212.0-kernel-6.1-arm64",
        description: "Amazon Linux 2023 AMI 2023.6.20241212.0 arm64 HVM kernel-6.1",
        architecture: Architecture::Arm64,
        root_device_name: "/dev/xvda",
        root_volume_size_gib: 8,
        platform: "Linux/UNIX",
    },
    PublicImage {
        name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241206",
        description: "Canonical, Ubuntu, 24.04, amd64 noble image",
        architecture: Architecture::X86_64,
        root_device_name: "/dev/sda1",
        root_volume_size_gib: 8,
        platform: "Linux/UNIX",
    },
    PublicImage {
        name: "Windows_Server-2022-English-Full-Base-2024.12.13",
        description: "Microsoft Windows Server 2022 Full Locale English AMI",
        architecture: Architecture::X86_64,
        root_device_name: "/dev/sda1",
        root_volume_size_gib: 30,
        platform: "Windows",
    },
];

impl PublicImage {
    /// This image's id in `region`: stable, and different in every Region (D2).
    pub fn id_in(&self, region: &str) -> ImageId {
        // FNV-1a over "region/name", widened to 17 hex digits.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in region.bytes().chain([b'/']).chain(self.name.bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        ImageId::new(format!(
            "ami-{:017x}",
            u128::from(hash) << 4 | u128::from(hash >> 60)
        ))
    }
}

/// The public image with this id in `region`.
pub fn public_image(region: &str, id: &ImageId) -> Option<&'static PublicImage> {
    PUBLIC_IMAGES
        .iter()
        .find(|image| image.id_in(region) == *id)
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
