//! Launch templates: saved launch parameters for `RunInstances` (I1, I2).
//!
//! A launch template has a name that is unique in its Region and numbered
//! versions. Each version holds launch parameters, every one of them optional
//! (I1), and never changes once made: to change anything you make a new
//! version, optionally starting from the parameters of an existing one (I2).
//! Versions are numbered in the order they are made, and a number is never
//! given again, even after its version is deleted. The *default version* is
//! version 1 until `ModifyLaunchTemplate` names another; a launch that names
//! no version uses it, and `$Latest` and `$Default` name the newest and the
//! default version. The template can carry tags; its versions can't (I2).
//!
//! A launch from a template takes the version's parameters and puts the
//! request's on top: a parameter the request gives replaces the template's,
//! while tags merge by key and block device mappings by device name; AWS
//! tags the instances with `aws:ec2launchtemplate:id` and
//! `aws:ec2launchtemplate:version` (EC2:ec2-launch-templates, "Launching an
//! Instance from a Launch Template").
//!
//! Launch configurations, their Auto Scaling predecessor, have no versions
//! and can't be changed at all (I3); the lab's account, like every account
//! made after 31 December 2023, can't create them.

use std::fmt;

use crate::command::BlockDeviceRequest;
use crate::error::ApiError;
use crate::ids::{ImageId, LaunchTemplateId, SecurityGroupId, SubnetId};
use crate::tags::Tags;

/// Launch templates per Region (I2).
pub const LAUNCH_TEMPLATES_PER_REGION: usize = 5_000;

/// Versions per launch template (I2).
pub const VERSIONS_PER_LAUNCH_TEMPLATE: usize = 10_000;

/// The longest `VersionDescription`, in characters.
pub const VERSION_DESCRIPTION_LIMIT: usize = 255;

/// A launch template (I1, I2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaunchTemplate {
    /// `LaunchTemplateId`, `lt-` and 17 hex digits.
    pub id: LaunchTemplateId,
    /// `LaunchTemplateName`, unique in the Region.
    pub name: String,
    /// `CreateTime`, in lab seconds.
    pub create_time: u64,
    /// `DefaultVersionNumber`: 1 until `ModifyLaunchTemplate` changes it.
    pub default_version: u64,
    /// The versions that exist, oldest first.
    pub versions: Vec<LaunchTemplateVersion>,
    /// How many versions were ever made: the next one is numbered one more,
    /// so a deleted version's number is never given again (I2).
    pub versions_made: u64,
    /// Tags, on the template only (I2).
    pub tags: Tags,
}

impl LaunchTemplate {
    /// `LatestVersionNumber`: the newest version that exists.
    pub fn latest_version_number(&self) -> u64 {
        self.versions.last().map_or(0, |v| v.number)
    }

    /// The version with this number, if it exists.
    pub fn version(&self, number: u64) -> Option<&LaunchTemplateVersion> {
        self.versions.iter().find(|v| v.number == number)
    }

    /// `CreatedBy` of the template and its versions: the lab's account root.
    pub fn created_by(&self) -> String {
        format!("arn:aws:iam::{}:root", crate::ACCOUNT_ID)
    }

    /// The version numbers that exist, as a learner reads them (`1, 2, 4`).
    pub fn version_list(&self) -> String {
        self.versions
            .iter()
            .map(|v| v.number.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One version of a launch template: immutable once made (I2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaunchTemplateVersion {
    /// `VersionNumber`.
    pub number: u64,
    /// `VersionDescription`.
    pub description: Option<String>,
    /// `CreateTime`, in lab seconds.
    pub create_time: u64,
    /// `LaunchTemplateData`.
    pub data: LaunchTemplateData,
}

/// `LaunchTemplateData`: the launch parameters the lab's templates hold, each
/// optional (I1). `None` means the version leaves the parameter out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LaunchTemplateData {
    /// `ImageId`.
    pub image_id: Option<ImageId>,
    /// `InstanceType`.
    pub instance_type: Option<String>,
    /// `KeyName`, kept as text: the lab has no key pairs.
    pub key_name: Option<String>,
    /// `SecurityGroupIds`.
    pub security_group_ids: Option<Vec<SecurityGroupId>>,
    /// `NetworkInterfaces`: where the subnet goes (the API has no top-level
    /// `SubnetId` in a template). The lab's instances have one interface.
    pub network_interfaces: Option<Vec<LaunchTemplateNetworkInterface>>,
    /// `BlockDeviceMappings`.
    pub block_device_mappings: Option<Vec<BlockDeviceRequest>>,
    /// `UserData`, decoded (the API carries it base64-encoded, H3).
    pub user_data: Option<String>,
    /// `InstanceInitiatedShutdownBehavior`.
    pub shutdown_behavior: Option<String>,
    /// `DisableApiTermination`.
    pub disable_api_termination: Option<bool>,
    /// `HibernationOptions.Configured`.
    pub hibernation: Option<bool>,
    /// `TagSpecifications`: tags for the instances and volumes a launch makes.
    pub tag_specifications: Option<Vec<LaunchTemplateTagSpecification>>,
}

/// One entry of a template's `NetworkInterfaces`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LaunchTemplateNetworkInterface {
    /// `DeviceIndex`: 0, the primary interface, is the one the lab has.
    pub device_index: Option<u32>,
    /// `SubnetId`: the subnet the instance launches in.
    pub subnet_id: Option<SubnetId>,
    /// `Groups`: security group ids.
    pub groups: Vec<SecurityGroupId>,
    /// `AssociatePublicIpAddress`.
    pub associate_public_ip: Option<bool>,
    /// `DeleteOnTermination`, kept as given.
    pub delete_on_termination: Option<bool>,
}

/// One entry of a template's `TagSpecifications`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LaunchTemplateTagSpecification {
    /// `ResourceType`: `instance` or `volume` in the lab.
    pub resource_type: String,
    /// `Tags`.
    pub tags: Tags,
}

impl LaunchTemplateData {
    /// Whether no parameter is given.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// These parameters over `source`'s: a new version made from a source
    /// version starts from the source's parameters, and each parameter the
    /// request gives replaces the source's whole (I2).
    pub fn over(&self, source: &Self) -> Self {
        fn pick<T: Clone>(mine: &Option<T>, theirs: &Option<T>) -> Option<T> {
            mine.clone().or_else(|| theirs.clone())
        }
        Self {
            image_id: pick(&self.image_id, &source.image_id),
            instance_type: pick(&self.instance_type, &source.instance_type),
            key_name: pick(&self.key_name, &source.key_name),
            security_group_ids: pick(&self.security_group_ids, &source.security_group_ids),
            network_interfaces: pick(&self.network_interfaces, &source.network_interfaces),
            block_device_mappings: pick(&self.block_device_mappings, &source.block_device_mappings),
            user_data: pick(&self.user_data, &source.user_data),
            shutdown_behavior: pick(&self.shutdown_behavior, &source.shutdown_behavior),
            disable_api_termination: pick(
                &self.disable_api_termination,
                &source.disable_api_termination,
            ),
            hibernation: pick(&self.hibernation, &source.hibernation),
            tag_specifications: pick(&self.tag_specifications, &source.tag_specifications),
        }
    }

    /// The primary interface (`DeviceIndex` 0), if the data has one.
    pub fn primary_interface(&self) -> Option<&LaunchTemplateNetworkInterface> {
        self.network_interfaces
            .as_deref()
            .and_then(|list| list.iter().find(|eni| eni.device_index.unwrap_or(0) == 0))
    }

    /// The subnet a launch goes to: the primary interface's.
    pub fn subnet_id(&self) -> Option<&SubnetId> {
        self.primary_interface()
            .and_then(|eni| eni.subnet_id.as_ref())
    }

    /// The security groups: `SecurityGroupIds` and the primary interface's
    /// `Groups`.
    pub fn security_groups(&self) -> Vec<SecurityGroupId> {
        let mut groups: Vec<SecurityGroupId> = self.security_group_ids.clone().unwrap_or_default();
        if let Some(eni) = self.primary_interface() {
            for group in &eni.groups {
                if !groups.contains(group) {
                    groups.push(group.clone());
                }
            }
        }
        groups
    }

    /// The tags for one resource type (`instance` or `volume`).
    pub fn tags_for(&self, resource_type: &str) -> Tags {
        let mut tags = Tags::new();
        for spec in self.tag_specifications.iter().flatten() {
            if spec.resource_type == resource_type {
                for (key, value) in spec.tags.iter() {
                    tags.insert(key, value);
                }
            }
        }
        tags
    }

    /// Checks what the lab can hold: one network interface, the primary, and
    /// tags for instances and volumes. Other values are checked at launch:
    /// AWS doesn't fully validate a template when it is made (I1).
    pub fn check(&self) -> Result<(), ApiError> {
        if let Some(interfaces) = &self.network_interfaces {
            if interfaces.len() > 1
                || interfaces
                    .iter()
                    .any(|eni| eni.device_index.is_some_and(|i| i != 0))
            {
                return Err(ApiError::new(
                    "UnsupportedOperation",
                    "The lab's instances have one network interface: give NetworkInterfaces one entry, with DeviceIndex 0.",
                ));
            }
        }
        for spec in self.tag_specifications.iter().flatten() {
            if !matches!(spec.resource_type.as_str(), "instance" | "volume") {
                return Err(ApiError::new(
                    "UnsupportedOperation",
                    format!(
                        "The lab's launch templates tag the instances and volumes a launch makes (ResourceType instance or volume), not '{}'.",
                        spec.resource_type
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Which launch template a request means: by id or by name (AWS takes one
/// or the other, never both).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LaunchTemplateRef {
    /// `LaunchTemplateId`.
    Id(LaunchTemplateId),
    /// `LaunchTemplateName`.
    Name(String),
}

impl LaunchTemplateRef {
    /// The reference a request gives with `LaunchTemplateId` or
    /// `LaunchTemplateName`: exactly one of them.
    pub fn from_id_or_name(id: Option<&str>, name: Option<&str>) -> Result<Self, ApiError> {
        match (id, name) {
            (Some(id), None) => Ok(Self::Id(LaunchTemplateId::from(id))),
            (None, Some(name)) => Ok(Self::Name(name.to_owned())),
            (Some(_), Some(_)) => Err(ApiError::new(
                "InvalidParameterCombination",
                "Specify either the launch template ID or the launch template name, but not both.",
            )),
            (None, None) => Err(ApiError::new(
                "MissingParameter",
                "The request must contain the parameter LaunchTemplateId or LaunchTemplateName",
            )),
        }
    }
}

impl fmt::Display for LaunchTemplateRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Id(id) => write!(f, "{id}"),
            Self::Name(name) => f.write_str(name),
        }
    }
}

/// `LaunchTemplate` of `RunInstances`: a template and, optionally, a version
/// (a number, `$Latest` or `$Default`; none means the default, I2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaunchTemplateSpecification {
    /// The template.
    pub template: LaunchTemplateRef,
    /// `Version`, as text.
    pub version: Option<String>,
}

/// A version as a request names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionSelector {
    /// `$Default`.
    Default,
    /// `$Latest`.
    Latest,
    /// A version number.
    Number(u64),
}

impl VersionSelector {
    /// Reads a version: a number, `$Latest` or `$Default` (I2).
    pub fn parse(parameter: &str, text: &str) -> Result<Self, ApiError> {
        match text {
            "$Default" => Ok(Self::Default),
            "$Latest" => Ok(Self::Latest),
            number => number.parse::<u64>().map(Self::Number).map_err(|_| {
                ApiError::invalid_value(
                    parameter,
                    text,
                    "A launch template version is a version number, $Latest or $Default.",
                )
            }),
        }
    }
}

/// Checks a template name as AWS does: 3 to 128 characters, letters, digits
/// and `- _ . / ( )`.
pub fn check_template_name(name: &str) -> Result<(), ApiError> {
    let length = name.chars().count();
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-_./()".contains(c);
    if !(3..=128).contains(&length) || !name.chars().all(allowed) {
        return Err(ApiError::new(
            "InvalidLaunchTemplateName.MalformedException",
            format!(
                "The launch template name '{name}' is invalid. A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: '-', '_', '.', '/', '(', and ')'."
            ),
        ));
    }
    Ok(())
}

/// Shows a version's parameters in one line, as `ec2lab show` prints them.
impl fmt::Display for LaunchTemplateData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if let Some(image) = &self.image_id {
            parts.push(image.to_string());
        }
        if let Some(instance_type) = &self.instance_type {
            parts.push(instance_type.clone());
        }
        if let Some(key) = &self.key_name {
            parts.push(format!("key {key}"));
        }
        if let Some(subnet) = self.subnet_id() {
            parts.push(format!("subnet {subnet}"));
        }
        let groups = self.security_groups();
        if !groups.is_empty() {
            let groups: Vec<&str> = groups.iter().map(SecurityGroupId::as_str).collect();
            parts.push(format!("groups {}", groups.join(" ")));
        }
        if let Some(public) = self
            .primary_interface()
            .and_then(|eni| eni.associate_public_ip)
        {
            parts.push(format!("public IP {}", if public { "yes" } else { "no" }));
        }
        for mapping in self.block_device_mappings.iter().flatten() {
            let mut text = mapping.device_name.clone();
            if mapping.no_device {
                text.push_str(" none");
            } else if let Some(virtual_name) = &mapping.virtual_name {
                text.push(' ');
                text.push_str(virtual_name);
            } else if let Some(ebs) = &mapping.ebs {
                if let Some(size) = ebs.volume_size_gib {
                    text.push_str(&format!(" {size} GiB"));
                }
                if let Some(volume_type) = &ebs.volume_type {
                    text.push(' ');
                    text.push_str(volume_type);
                }
                if ebs.encrypted == Some(true) {
                    text.push_str(" encrypted");
                }
            }
            parts.push(text);
        }
        if let Some(user_data) = &self.user_data {
            parts.push(format!("user data {} bytes", user_data.len()));
        }
        if let Some(behavior) = &self.shutdown_behavior {
            parts.push(format!("shutdown {behavior}"));
        }
        if let Some(protected) = self.disable_api_termination {
            parts.push(format!(
                "termination protection {}",
                if protected { "on" } else { "off" }
            ));
        }
        if let Some(hibernation) = self.hibernation {
            parts.push(format!(
                "hibernation {}",
                if hibernation { "on" } else { "off" }
            ));
        }
        for spec in self.tag_specifications.iter().flatten() {
            let tags: Vec<String> = spec.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
            parts.push(format!("{} tags {}", spec.resource_type, tags.join(" ")));
        }
        if parts.is_empty() {
            f.write_str("no parameters")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_version_takes_each_parameter_it_gives_whole_and_the_rest_from_its_source() {
        // I2: a version made from a source version inherits the source's
        // parameters; each one the request gives replaces the source's.
        let source = LaunchTemplateData {
            image_id: Some(ImageId::from("ami-0123456789abcdef0")),
            instance_type: Some("t3.micro".into()),
            tag_specifications: Some(vec![LaunchTemplateTagSpecification {
                resource_type: "instance".into(),
                tags: Tags::named("web"),
            }]),
            ..LaunchTemplateData::default()
        };
        let request = LaunchTemplateData {
            instance_type: Some("t3.small".into()),
            tag_specifications: Some(vec![LaunchTemplateTagSpecification {
                resource_type: "volume".into(),
                tags: Tags::named("data"),
            }]),
            ..LaunchTemplateData::default()
        };
        assert_eq!(
            request.over(&source).to_string(),
            "ami-0123456789abcdef0, t3.small, volume tags Name=data"
        );
        assert_eq!(LaunchTemplateData::default().to_string(), "no parameters");
    }

    #[test]
    fn template_names_follow_aws_rules() {
        assert!(check_template_name("web-servers_v1.2/(prod)").is_ok());
        for bad in ["ab", "web servers", "web*", &"x".repeat(129)] {
            let error = check_template_name(bad).err();
            assert_eq!(
                error.map(|e| e.code),
                Some("InvalidLaunchTemplateName.MalformedException"),
                "{bad}"
            );
        }
    }

    #[test]
    fn versions_are_numbers_latest_or_default() {
        assert_eq!(
            VersionSelector::parse("Version", "$Latest").ok(),
            Some(VersionSelector::Latest)
        );
        assert_eq!(
            VersionSelector::parse("Version", "12").ok(),
            Some(VersionSelector::Number(12))
        );
        assert_eq!(
            VersionSelector::parse("Version", "latest")
                .err()
                .map(|e| e.to_string()),
            Some("An error occurred (InvalidParameterValue): Value (latest) for parameter Version is invalid. A launch template version is a version number, $Latest or $Default.".into())
        );
    }
}
