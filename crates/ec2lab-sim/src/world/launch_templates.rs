//! Launch templates (I1, I2): making templates and their versions, the
//! default version, deleting, and what `RunInstances` takes from a template.

use std::borrow::Cow;

use super::RegionState;
use crate::command::{
    CreateLaunchTemplate, CreateLaunchTemplateVersion, DeletedLaunchTemplateVersions, Response,
    RunInstances, VersionNotDeleted,
};
use crate::error::ApiError;
use crate::ids::{IdGenerator, LaunchTemplateId, SubnetId};
use crate::launch_template::{
    check_template_name, LaunchTemplate, LaunchTemplateData, LaunchTemplateRef,
    LaunchTemplateSpecification, LaunchTemplateVersion, VersionSelector,
    LAUNCH_TEMPLATES_PER_REGION, VERSIONS_PER_LAUNCH_TEMPLATE, VERSION_DESCRIPTION_LIMIT,
};

/// The most versions one `DeleteLaunchTemplateVersions` call may name.
const VERSIONS_PER_DELETE: usize = 200;

/// The tags AWS puts on every instance launched from a template; they can't
/// be removed or edited (EC2:ec2-launch-templates).
const LAUNCH_TEMPLATE_ID_TAG: &str = "aws:ec2launchtemplate:id";

/// The version tag AWS puts on every instance launched from a template.
const LAUNCH_TEMPLATE_VERSION_TAG: &str = "aws:ec2launchtemplate:version";

/// The error for a quota of I2. AWS documents no code of its own for these
/// quotas; the lab uses EC2's common `ResourceLimitExceeded` (INFERRED).
const LIMIT_EXCEEDED: &str = "ResourceLimitExceeded";

impl RegionState {
    /// The launch template a request names, by id or by name, or AWS's
    /// error: a malformed id, or no such template in this Region.
    pub fn launch_template(
        &self,
        reference: &LaunchTemplateRef,
    ) -> Result<&LaunchTemplate, ApiError> {
        match reference {
            LaunchTemplateRef::Id(id) => {
                let well_formed = id.as_str().strip_prefix(LaunchTemplateId::PREFIX).is_some_and(
                    |digits| digits.len() == 17 && digits.bytes().all(|b| b.is_ascii_hexdigit()),
                );
                if !well_formed {
                    return Err(ApiError::new(
                        "InvalidLaunchTemplateId.Malformed",
                        format!("The launch template ID '{id}' is malformed. Ensure that you specify the launch template ID in the form lt-xxxxxxxxxxxxxxxxx (17 hexadecimal digits)."),
                    ));
                }
                self.launch_templates.get(id).ok_or_else(|| {
                    ApiError::new(
                        "InvalidLaunchTemplateId.NotFound",
                        format!(
                            "The specified launch template, with template ID {id}, does not exist in {}.",
                            self.name()
                        ),
                    )
                })
            }
            LaunchTemplateRef::Name(name) => self
                .launch_templates
                .values()
                .find(|template| template.name == *name)
                .ok_or_else(|| {
                    ApiError::new(
                        "InvalidLaunchTemplateName.NotFoundException",
                        format!(
                            "The specified launch template, with template name {name}, does not exist in {}. Launch template names are case-sensitive.",
                            self.name()
                        ),
                    )
                }),
        }
    }

    /// The template and version a launch names (I2: no version means the
    /// default one).
    pub fn launch_template_version(
        &self,
        spec: &LaunchTemplateSpecification,
    ) -> Result<(&LaunchTemplate, &LaunchTemplateVersion), ApiError> {
        let template = self.launch_template(&spec.template)?;
        let version = version_of(template, "Version", spec.version.as_deref())?;
        Ok((template, version))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    pub(super) fn create_launch_template(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        request: CreateLaunchTemplate,
    ) -> Result<Response, ApiError> {
        check_template_name(&request.name)?;
        // The name is unique in the Region.
        if self
            .launch_templates
            .values()
            .any(|template| template.name == request.name)
        {
            return Err(ApiError::new(
                "InvalidLaunchTemplateName.AlreadyExistsException",
                format!(
                    "Launch template name already in use: {} already has a launch template named '{}'. To change it, create a new version (create-launch-template-version).",
                    self.name(),
                    request.name
                ),
            ));
        }
        // I2: up to 5,000 templates per Region.
        if self.launch_templates.len() >= LAUNCH_TEMPLATES_PER_REGION {
            return Err(ApiError::new(
                LIMIT_EXCEEDED,
                format!("You have reached the limit of {LAUNCH_TEMPLATES_PER_REGION} launch templates in {} (I2). Delete a template you no longer need.", self.name()),
            ));
        }
        check_description(request.version_description.as_deref())?;
        // RequestLaunchTemplateData: "You must specify at least one
        // parameter for the launch template data."
        if request.data.is_empty() {
            return Err(ApiError::new(
                "MissingParameter",
                "The request must contain the parameter LaunchTemplateData with at least one launch parameter (for example ImageId or InstanceType).",
            ));
        }
        request.data.check()?;
        let id = LaunchTemplateId::new(ids.next(LaunchTemplateId::PREFIX));
        self.launch_templates.insert(
            id.clone(),
            LaunchTemplate {
                id: id.clone(),
                name: request.name,
                create_time: now,
                // I2: version 1 is the default until changed.
                default_version: 1,
                versions: vec![LaunchTemplateVersion {
                    number: 1,
                    description: request.version_description,
                    create_time: now,
                    data: request.data,
                }],
                versions_made: 1,
                tags: request.tags,
            },
        );
        Ok(Response::LaunchTemplate(id))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    pub(super) fn create_launch_template_version(
        &mut self,
        now: u64,
        request: CreateLaunchTemplateVersion,
    ) -> Result<Response, ApiError> {
        let template = self.launch_template(&request.template)?;
        check_description(request.version_description.as_deref())?;
        // I2: a version made from a source version starts from its
        // parameters; the request's replace them.
        let data = match request.source_version.as_deref() {
            Some(source) => {
                let source = version_of(template, "SourceVersion", Some(source))?;
                request.data.over(&source.data)
            }
            None => request.data,
        };
        if data.is_empty() {
            return Err(ApiError::new(
                "MissingParameter",
                "The request must contain the parameter LaunchTemplateData with at least one launch parameter, or a SourceVersion to start from.",
            ));
        }
        data.check()?;
        // I2: up to 10,000 versions per template.
        if template.versions.len() >= VERSIONS_PER_LAUNCH_TEMPLATE {
            return Err(ApiError::new(
                LIMIT_EXCEEDED,
                format!(
                    "The launch template {} has {VERSIONS_PER_LAUNCH_TEMPLATE} versions, the most a template can have (I2). Delete versions you no longer need (delete-launch-template-versions).",
                    template.id
                ),
            ));
        }
        // I2: numbered in creation order; the number can't be chosen and a
        // deleted version's number is not given again.
        let number = template.versions_made + 1;
        let id = template.id.clone();
        let Some(template) = self.launch_templates.get_mut(&id) else {
            return Err(ApiError::new(
                "InternalError",
                "the launch template went away",
            ));
        };
        template.versions_made = number;
        template.versions.push(LaunchTemplateVersion {
            number,
            description: request.version_description,
            create_time: now,
            data,
        });
        Ok(Response::LaunchTemplateVersion(id, number))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    pub(super) fn modify_launch_template(
        &mut self,
        reference: &LaunchTemplateRef,
        default_version: Option<&str>,
    ) -> Result<Response, ApiError> {
        let template = self.launch_template(reference)?;
        let id = template.id.clone();
        let Some(text) = default_version else {
            return Ok(Response::LaunchTemplate(id));
        };
        // I2: the default version is whichever existing version you name.
        let number = version_of(template, "DefaultVersion", Some(text))?.number;
        if let Some(template) = self.launch_templates.get_mut(&id) {
            template.default_version = number;
        }
        Ok(Response::LaunchTemplate(id))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    pub(super) fn delete_launch_template(
        &mut self,
        reference: &LaunchTemplateRef,
    ) -> Result<Response, ApiError> {
        // Deleting a template deletes all its versions; instances launched
        // from it keep running.
        let id = self.launch_template(reference)?.id.clone();
        self.launch_templates.remove(&id);
        Ok(Response::LaunchTemplate(id))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    pub(super) fn delete_launch_template_versions(
        &mut self,
        reference: &LaunchTemplateRef,
        versions: &[String],
    ) -> Result<Response, ApiError> {
        let template = self.launch_template(reference)?;
        if versions.is_empty() {
            return Err(ApiError::new(
                "MissingParameter",
                "The request must contain the parameter LaunchTemplateVersion (--versions)",
            ));
        }
        if versions.len() > VERSIONS_PER_DELETE {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!("One request can delete up to {VERSIONS_PER_DELETE} launch template versions; this one names {}.", versions.len()),
            ));
        }
        let mut numbers = Vec::new();
        for text in versions {
            numbers.push(
                match VersionSelector::parse("LaunchTemplateVersion", text)? {
                    VersionSelector::Number(number) => number,
                    VersionSelector::Latest => template.latest_version_number(),
                    VersionSelector::Default => template.default_version,
                },
            );
        }
        let mut deleted: Vec<u64> = Vec::new();
        let mut failed = Vec::new();
        for number in numbers {
            if number == template.default_version {
                // I2: the default version can't be deleted; make another
                // version the default first, or delete the whole template.
                failed.push(VersionNotDeleted {
                    version: number,
                    code: "unexpectedError",
                    message: format!(
                        "Cannot delete the default version of a launch template: version {number} is the default of {}. Make another version the default first (modify-launch-template --default-version), or delete the whole template (delete-launch-template).",
                        template.id
                    ),
                });
            } else if template.version(number).is_none() || deleted.contains(&number) {
                failed.push(VersionNotDeleted {
                    version: number,
                    code: "launchTemplateVersionDoesNotExist",
                    message: format!(
                        "The specified launch template version does not exist: {} has versions {}.",
                        template.id,
                        template.version_list()
                    ),
                });
            } else {
                deleted.push(number);
            }
        }
        let result = DeletedLaunchTemplateVersions {
            template_id: template.id.clone(),
            template_name: template.name.clone(),
            deleted,
            failed,
        };
        if let Some(template) = self.launch_templates.get_mut(&result.template_id) {
            template
                .versions
                .retain(|version| !result.deleted.contains(&version.number));
        }
        Ok(Response::LaunchTemplateVersionsDeleted(Box::new(result)))
    }

    /// The launch a `RunInstances` request asks for, complete: with a launch
    /// template, its version's parameters under the request's own (I1, I2);
    /// then AWS's defaults for what neither gives. A request that names no
    /// template and gives everything is used as it is.
    pub(super) fn launch_request<'a>(
        &self,
        request: &'a RunInstances,
    ) -> Result<Cow<'a, RunInstances>, ApiError> {
        let complete = !request.image_id.as_str().is_empty()
            && !request.instance_type.is_empty()
            && !request.subnet_id.as_str().is_empty();
        if complete && request.launch_template.is_none() {
            return Ok(Cow::Borrowed(request));
        }
        let mut launch = request.clone();
        let mut source = None;
        if let Some(spec) = &request.launch_template {
            let (template, version) = self.launch_template_version(spec)?;
            put_under(&mut launch, template, version);
            source = Some((template, version));
        }
        if launch.image_id.as_str().is_empty() {
            return Err(ApiError::new(
                "MissingParameter",
                match source {
                    // I1: a template without an AMI needs one in the request.
                    Some((template, version)) => format!(
                        "The request must contain the parameter ImageId: version {} of launch template {} ({}) has no AMI, so the launch must name one (I1).",
                        version.number, template.id, template.name
                    ),
                    None => "The request must contain the parameter ImageId".to_owned(),
                },
            ));
        }
        if launch.instance_type.is_empty() {
            // API:RunInstancesRequest.InstanceType: "Default: m1.small".
            launch.instance_type = "m1.small".to_owned();
        }
        if launch.subnet_id.as_str().is_empty() {
            launch.subnet_id = self.default_subnet()?;
        }
        Ok(Cow::Owned(launch))
    }

    /// Where a launch that names no subnet goes: the default VPC's subnet in
    /// the first Availability Zone.
    fn default_subnet(&self) -> Result<SubnetId, ApiError> {
        self.vpcs
            .values()
            .find(|vpc| vpc.is_default)
            .and_then(|vpc| self.subnets_of(&vpc.id).first().map(|s| s.id.clone()))
            .ok_or_else(|| {
                ApiError::new(
                    "VPCIdNotSpecified",
                    "No default VPC for this user. Give a subnet (--subnet-id, or NetworkInterfaces in the launch template).",
                )
            })
    }
}

/// The version a request names (`None` is the default, I2), or AWS's error.
fn version_of<'a>(
    template: &'a LaunchTemplate,
    parameter: &str,
    text: Option<&str>,
) -> Result<&'a LaunchTemplateVersion, ApiError> {
    let selector = match text {
        None => VersionSelector::Default,
        Some(text) => VersionSelector::parse(parameter, text)?,
    };
    let number = match selector {
        VersionSelector::Default => template.default_version,
        VersionSelector::Latest => template.latest_version_number(),
        VersionSelector::Number(number) => number,
    };
    template.version(number).ok_or_else(|| {
        ApiError::new(
            "InvalidLaunchTemplateId.VersionNotFound",
            format!(
                "The specified launch template version does not exist: {} ({}) has no version {number}; its versions are {}.",
                template.id,
                template.name,
                template.version_list()
            ),
        )
    })
}

/// `VersionDescription`: at most 255 characters.
fn check_description(description: Option<&str>) -> Result<(), ApiError> {
    match description {
        Some(text) if text.chars().count() > VERSION_DESCRIPTION_LIMIT => {
            Err(ApiError::invalid_value(
                "VersionDescription",
                text,
                "A version description has at most 255 characters.",
            ))
        }
        _ => Ok(()),
    }
}

/// Puts a template version's parameters under a launch request's: what the
/// request gives wins, tags merge by key and block device mappings by device
/// name, and the instances get AWS's two launch template tags
/// (EC2:ec2-launch-templates, "Launching an Instance from a Launch Template").
fn put_under(
    launch: &mut RunInstances,
    template: &LaunchTemplate,
    version: &LaunchTemplateVersion,
) {
    let data: &LaunchTemplateData = &version.data;
    if launch.image_id.as_str().is_empty() {
        if let Some(image_id) = &data.image_id {
            launch.image_id = image_id.clone();
        }
    }
    if launch.instance_type.is_empty() {
        if let Some(instance_type) = &data.instance_type {
            launch.instance_type.clone_from(instance_type);
        }
    }
    if launch.subnet_id.as_str().is_empty() {
        if let Some(subnet_id) = data.subnet_id() {
            launch.subnet_id = subnet_id.clone();
        }
    }
    if launch.security_group_ids.is_empty() {
        launch.security_group_ids = data.security_groups();
    }
    if launch.associate_public_ip.is_none() {
        launch.associate_public_ip = data
            .primary_interface()
            .and_then(|eni| eni.associate_public_ip);
    }
    // A mapping for a device the template maps replaces the template's entry.
    let mut mappings = data.block_device_mappings.clone().unwrap_or_default();
    for mapping in &launch.block_device_mappings {
        match mappings
            .iter_mut()
            .find(|m| m.device_name == mapping.device_name)
        {
            Some(slot) => *slot = mapping.clone(),
            None => mappings.push(mapping.clone()),
        }
    }
    launch.block_device_mappings = mappings;
    if launch.shutdown_behavior.is_none() {
        launch.shutdown_behavior.clone_from(&data.shutdown_behavior);
    }
    if launch.hibernation.is_none() {
        launch.hibernation = data.hibernation;
    }
    if launch.disable_api_termination.is_none() {
        launch.disable_api_termination = data.disable_api_termination;
    }
    if launch.user_data.is_none() {
        launch.user_data.clone_from(&data.user_data);
    }
    // A tag the request gives replaces the template's tag with the same key.
    let mut tags = data.tags_for("instance");
    for (key, value) in launch.tags.iter() {
        tags.insert(key, value);
    }
    tags.insert(LAUNCH_TEMPLATE_ID_TAG, template.id.as_str());
    tags.insert(LAUNCH_TEMPLATE_VERSION_TAG, &version.number.to_string());
    launch.tags = tags;
    let mut volume_tags = data.tags_for("volume");
    for (key, value) in launch.volume_tags.iter() {
        volume_tags.insert(key, value);
    }
    launch.volume_tags = volume_tags;
}
