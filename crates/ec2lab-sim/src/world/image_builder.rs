//! EC2 Image Builder's commands, and a pipeline execution: the whole build
//! runs inside the one command, deterministically.
//!
//! Lab time does not pass during a build (the clock moves only with
//! `AdvanceTime`): the build instance is launched, booted, built on,
//! imaged and terminated at the same lab second; the log records each
//! step's own elapsed seconds. The AMI is `pending` until its snapshots
//! complete (`SNAPSHOT_SECONDS`), as after CreateImage (D4), and
//! GetImage says `DISTRIBUTING` until then.
//!
//! As in AWS, the build and validate phases run on the build instance, the
//! AMI is made from it, and the test phase runs on a separate test
//! instance launched from the new AMI; a failed test deletes the AMI (and
//! its snapshots), so a failed build leaves no AMI either way.

use super::machine::Machine;
use super::RegionState;
use crate::command::{Command, Response, RunInstances};
use crate::error::ApiError;
use crate::ids::{IdGenerator, ImageId, InstanceId, SecurityGroupId, SubnetId};
use crate::image::ImageState;
use crate::image_builder::{
    arn, check_name, check_version, read_component, BuildStatus, Component, ImageBuild,
    ImagePipeline, ImageRecipe, InfrastructureConfiguration, LogEntry, PHASES,
};
use crate::instance::{Architecture, InstanceState};
use crate::os::{Distro, RunningService};
use crate::snapshot::SnapshotState;
use crate::tags::Tags;

fn not_found(what: &str, arn: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFoundException",
        format!("The {what} '{arn}' does not exist."),
    )
}

fn already_exists(what: &str, arn: &str) -> ApiError {
    ApiError::new(
        "ResourceAlreadyExistsException",
        format!("The {what} '{arn}' already exists."),
    )
}

/// Where and how a build instance launches.
struct Launch {
    subnet_id: SubnetId,
    security_group_ids: Vec<SecurityGroupId>,
    instance_type: String,
}

impl RegionState {
    /// Runs one Image Builder command. Handlers check before they change.
    #[inline(never)]
    pub(super) fn image_builder_command(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        command: Command,
    ) -> Result<Response, ApiError> {
        let region = self.name();
        match command {
            Command::CreateComponent {
                name,
                semantic_version,
                platform,
                description,
                data,
            } => {
                check_name("name", &name)?;
                check_version(&semantic_version)?;
                if platform != "Linux" {
                    return Err(ApiError::new(
                        "InvalidParameterValueException",
                        format!("The platform '{platform}' is not simulated: the lab builds Linux components."),
                    ));
                }
                let document = read_component(&data)?;
                let arn = arn(
                    region,
                    "component",
                    &format!("{}/{semantic_version}/1", name.to_lowercase()),
                );
                if self.image_builder.components.iter().any(|c| c.arn == arn) {
                    return Err(already_exists("component", &arn));
                }
                self.image_builder.components.push(Component {
                    arn: arn.clone(),
                    name,
                    version: semantic_version,
                    description,
                    platform,
                    data,
                    document,
                    created: now,
                });
                Ok(Response::Arn(arn))
            }
            Command::CreateImageRecipe {
                name,
                semantic_version,
                description,
                parent_image,
                components,
            } => {
                check_name("name", &name)?;
                check_version(&semantic_version)?;
                let parent = ImageId::new(parent_image.clone());
                if !parent_image.starts_with("ami-") || self.image(&parent).is_none() {
                    return Err(ApiError::new(
                        "InvalidParameterValueException",
                        format!("The value supplied for parameter 'parentImage' is not valid: the AMI '{parent_image}' does not exist in {region} (the lab takes an AMI id as the parent image)."),
                    ));
                }
                if components.is_empty() {
                    return Err(ApiError::new(
                        "InvalidParameterValueException",
                        "The value supplied for parameter 'components' is not valid: a recipe needs at least one component.",
                    ));
                }
                for component in &components {
                    if !self
                        .image_builder
                        .components
                        .iter()
                        .any(|c| c.arn == *component)
                    {
                        return Err(not_found("component", component));
                    }
                }
                let arn = arn(
                    region,
                    "image-recipe",
                    &format!("{}/{semantic_version}", name.to_lowercase()),
                );
                if self.image_builder.recipes.iter().any(|r| r.arn == arn) {
                    return Err(already_exists("image recipe", &arn));
                }
                self.image_builder.recipes.push(ImageRecipe {
                    arn: arn.clone(),
                    name,
                    version: semantic_version,
                    description,
                    parent_image: parent,
                    components,
                    created: now,
                });
                Ok(Response::Arn(arn))
            }
            Command::CreateInfrastructureConfiguration {
                name,
                subnet_id,
                security_group_ids,
                instance_types,
            } => {
                check_name("name", &name)?;
                if let Some(subnet_id) = &subnet_id {
                    self.subnet(subnet_id)?;
                } else if !security_group_ids.is_empty() {
                    return Err(ApiError::new(
                        "InvalidParameterValueException",
                        "Security groups need a subnet: give --subnet-id with --security-group-ids.",
                    ));
                }
                for group in &security_group_ids {
                    if !self.security_groups.contains_key(group) {
                        return Err(ApiError::new(
                            "InvalidParameterValueException",
                            format!("The security group '{group}' does not exist."),
                        ));
                    }
                }
                for itype in &instance_types {
                    if crate::instance::instance_type(itype).is_none() {
                        return Err(ApiError::new(
                            "InvalidParameterValueException",
                            format!("The instance type '{itype}' is not one the lab knows (see describe-instance-types)."),
                        ));
                    }
                }
                let arn = arn(region, "infrastructure-configuration", &name.to_lowercase());
                if self
                    .image_builder
                    .infrastructure
                    .iter()
                    .any(|i| i.arn == arn)
                {
                    return Err(already_exists("infrastructure configuration", &arn));
                }
                self.image_builder
                    .infrastructure
                    .push(InfrastructureConfiguration {
                        arn: arn.clone(),
                        name,
                        subnet_id,
                        security_group_ids,
                        instance_types,
                        created: now,
                    });
                Ok(Response::Arn(arn))
            }
            Command::CreateImagePipeline {
                name,
                image_recipe_arn,
                infrastructure_configuration_arn,
            } => {
                check_name("name", &name)?;
                self.check_pipeline_parts(
                    &image_recipe_arn,
                    infrastructure_configuration_arn.as_deref(),
                )?;
                let arn = arn(region, "image-pipeline", &name.to_lowercase());
                if self.image_builder.pipelines.iter().any(|p| p.arn == arn) {
                    return Err(already_exists("image pipeline", &arn));
                }
                self.image_builder.pipelines.push(ImagePipeline {
                    arn: arn.clone(),
                    name,
                    recipe_arn: image_recipe_arn,
                    infrastructure_arn: infrastructure_configuration_arn,
                    created: now,
                });
                Ok(Response::Arn(arn))
            }
            Command::UpdateImagePipeline {
                image_pipeline_arn,
                image_recipe_arn,
                infrastructure_configuration_arn,
            } => {
                self.check_pipeline_parts(
                    &image_recipe_arn,
                    Some(&infrastructure_configuration_arn),
                )?;
                let pipeline = self
                    .image_builder
                    .pipelines
                    .iter_mut()
                    .find(|p| p.arn == image_pipeline_arn)
                    .ok_or_else(|| not_found("image pipeline", &image_pipeline_arn))?;
                pipeline.recipe_arn = image_recipe_arn;
                pipeline.infrastructure_arn = Some(infrastructure_configuration_arn);
                Ok(Response::Arn(image_pipeline_arn))
            }
            Command::StartImagePipelineExecution { image_pipeline_arn } => {
                self.start_pipeline(ids, now, &image_pipeline_arn)
            }
            _ => Err(ApiError::new(
                "InternalError",
                "not an Image Builder command",
            )),
        }
    }

    /// That a pipeline's recipe and infrastructure configuration exist.
    fn check_pipeline_parts(&self, recipe: &str, infra: Option<&str>) -> Result<(), ApiError> {
        if !self.image_builder.recipes.iter().any(|r| r.arn == recipe) {
            return Err(not_found("image recipe", recipe));
        }
        match infra {
            Some(infra)
                if !self
                    .image_builder
                    .infrastructure
                    .iter()
                    .any(|i| i.arn == infra) =>
            {
                Err(not_found("infrastructure configuration", infra))
            }
            _ => Ok(()),
        }
    }

    /// Where a pipeline's build instance launches.
    fn build_launch(
        &self,
        pipeline: &ImagePipeline,
        architecture: Architecture,
    ) -> Result<Launch, ApiError> {
        let infra = match &pipeline.infrastructure_arn {
            Some(arn) => Some(
                self.image_builder
                    .infrastructure
                    .iter()
                    .find(|i| i.arn == *arn)
                    .ok_or_else(|| not_found("infrastructure configuration", arn))?,
            ),
            None => None,
        };
        let subnet_id = match infra.and_then(|i| i.subnet_id.clone()) {
            Some(subnet) => subnet,
            // The lab's default: the first public subnet of the first VPC.
            None => self
                .vpcs_by_cidr()
                .first()
                .and_then(|vpc| {
                    self.subnets_of(&vpc.id)
                        .into_iter()
                        .find(|s| self.is_public(&s.id))
                })
                .map(|s| s.id.clone())
                .ok_or_else(|| {
                    ApiError::new(
                        "InvalidParameterValueException",
                        "The lab found no public subnet in the first VPC to build in: give the pipeline an infrastructure configuration with --subnet-id.",
                    )
                })?,
        };
        let instance_type = infra
            .and_then(|i| i.instance_types.first().cloned())
            .unwrap_or_else(|| {
                match architecture {
                    Architecture::Arm64 => "t4g.micro",
                    Architecture::X86_64 => "t3.micro",
                }
                .to_owned()
            });
        Ok(Launch {
            subnet_id,
            security_group_ids: infra
                .map(|i| i.security_group_ids.clone())
                .unwrap_or_default(),
            instance_type,
        })
    }

    fn start_pipeline(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        pipeline_arn: &str,
    ) -> Result<Response, ApiError> {
        let pipeline = self
            .image_builder
            .pipelines
            .iter()
            .find(|p| p.arn == pipeline_arn)
            .cloned()
            .ok_or_else(|| not_found("image pipeline", pipeline_arn))?;
        let recipe = self
            .image_builder
            .recipes
            .iter()
            .find(|r| r.arn == pipeline.recipe_arn)
            .cloned()
            .ok_or_else(|| not_found("image recipe", &pipeline.recipe_arn))?;
        let mut components = Vec::new();
        for arn in &recipe.components {
            let component = self
                .image_builder
                .components
                .iter()
                .find(|c| c.arn == *arn)
                .cloned()
                .ok_or_else(|| not_found("component", arn))?;
            components.push(component);
        }
        let parent = self.image(&recipe.parent_image).ok_or_else(|| {
            ApiError::new(
                "InvalidParameterValueException",
                format!(
                    "The recipe's parent image '{}' no longer exists.",
                    recipe.parent_image
                ),
            )
        })?;
        if parent.state != ImageState::Available {
            return Err(ApiError::new(
                "InvalidParameterValueException",
                format!(
                    "The recipe's parent image '{}' is {}: build once it is available.",
                    parent.id, parent.state
                ),
            ));
        }
        let launch = self.build_launch(&pipeline, parent.architecture)?;
        let build = 1 + self
            .image_builder
            .images
            .iter()
            .filter(|i| i.recipe_arn == recipe.arn)
            .count();
        let image_arn = arn(
            self.name(),
            "image",
            &format!("{}/{}/{build}", recipe.name.to_lowercase(), recipe.version),
        );
        // An AMI name (D1): `<recipe>-<version>-<build> <time>`.
        let stamp = crate::clock::iso8601(now)
            .replace(':', "-")
            .replace("+00-00", "Z");
        let ami_name = format!(
            "{}-{}-{build} {stamp}",
            recipe.name.chars().take(64).collect::<String>(),
            recipe.version
        );
        let mut tags = Tags::named(&format!("Build instance for {}", recipe.name));
        tags.insert("CreatedBy", "EC2 Image Builder");
        tags.insert("Ec2ImageBuilderArn", &image_arn);
        // run_instances checks everything before it changes anything; from
        // here on the command does not fail: a failed build is a FAILED image.
        let instance = self.launch_builder(ids, now, &launch, &parent.id, tags)?;
        let mut log = Vec::new();
        // The build and validate phases run on the build instance.
        let mut failure = self.run_phases(ids, now, &instance, &components, &PHASES[..2], &mut log);
        let mut ami = None;
        if failure.is_none() {
            let mut ami_tags = Tags::named(&ami_name);
            ami_tags.insert("CreatedBy", "EC2 Image Builder");
            ami_tags.insert("Ec2ImageBuilderArn", &image_arn);
            // D4: the AMI is CreateImage of the build instance.
            match self.create_image(
                ids,
                now,
                &instance,
                &ami_name,
                &format!("Built by EC2 Image Builder from {}", recipe.arn),
                false,
                ami_tags,
            ) {
                Ok(Response::Image(id)) => ami = Some((id, ami_name.clone())),
                Ok(_) => failure = Some("The AMI could not be made.".into()),
                Err(e) => failure = Some(format!("The AMI could not be made: {e}")),
            }
        }
        // The build instance is terminated either way.
        let _ = self.terminate_instances(now, std::slice::from_ref(&instance));
        // The test phase runs on a new instance launched from the new AMI,
        // so a test proves what the image carries (what was installed,
        // written and enabled), not what the build instance happened to
        // have running. A failed test deletes the AMI and its snapshots.
        let mut test_instance = None;
        let tests = components
            .iter()
            .any(|c| !c.document.steps(PHASES[2]).is_empty());
        if let (Some((image_id, _)), true) = (ami.clone(), tests) {
            let mut tags = Tags::named(&format!("Test instance for {}", recipe.name));
            tags.insert("CreatedBy", "EC2 Image Builder");
            tags.insert("Ec2ImageBuilderArn", &image_arn);
            match self.launch_test(ids, now, &launch, &image_id, tags) {
                Ok(tester) => {
                    failure =
                        self.run_phases(ids, now, &tester, &components, &PHASES[2..], &mut log);
                    let _ = self.terminate_instances(now, std::slice::from_ref(&tester));
                    test_instance = Some(tester);
                }
                Err(e) => failure = Some(format!("The test instance could not be launched: {e}")),
            }
            if failure.is_some() {
                let _ = self.deregister_image(&image_id, true);
                ami = None;
            }
        }
        let status = if failure.is_some() {
            BuildStatus::Failed
        } else {
            BuildStatus::Available
        };
        self.image_builder.images.push(ImageBuild {
            arn: image_arn.clone(),
            name: recipe.name.clone(),
            version: recipe.version.clone(),
            build: u32::try_from(build).unwrap_or(u32::MAX),
            recipe_arn: recipe.arn,
            pipeline_arn: pipeline.arn.clone(),
            infrastructure_arn: pipeline.infrastructure_arn,
            status,
            reason: failure,
            ami,
            build_instance: Some(instance),
            test_instance,
            log,
            created: now,
        });
        Ok(Response::Arn(image_arn))
    }

    /// Launches the build instance from the recipe's parent image and
    /// boots it at once: the build does not wait for the lab clock (G1
    /// otherwise).
    fn launch_builder(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        launch: &Launch,
        image: &ImageId,
        tags: Tags,
    ) -> Result<InstanceId, ApiError> {
        let mut request = RunInstances::new(
            image.clone(),
            &launch.instance_type,
            launch.subnet_id.clone(),
            1,
        );
        request.security_group_ids = launch.security_group_ids.clone();
        // The build instance reaches the package repositories (lab choice:
        // a public address in a public subnet).
        request.associate_public_ip = Some(self.is_public(&launch.subnet_id));
        request.shutdown_behavior = Some("terminate".into());
        request.tags = tags;
        let instance = match self.run_instances(ids, now, &request)? {
            Response::Instances(_, launched) => launched.into_iter().next(),
            _ => None,
        }
        .ok_or_else(|| ApiError::new("InternalError", "run_instances made no instance"))?;
        if let Some(i) = self.instances.get_mut(&instance) {
            i.enter(InstanceState::Running, now);
            i.boot_count += 1;
        }
        self.boot(ids, &instance, now);
        Ok(instance)
    }

    /// Launches the test instance from the new AMI. Image Builder waits
    /// for the AMI to be available; lab time does not pass in a build, so
    /// the AMI, still `pending` on the lab clock, launches as it will be.
    fn launch_test(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        launch: &Launch,
        image: &ImageId,
        tags: Tags,
    ) -> Result<InstanceId, ApiError> {
        let state = self.images.get(image).map(|i| i.state);
        let snapshots: Vec<_> = self
            .images
            .get(image)
            .into_iter()
            .flat_map(|i| i.snapshot_ids().cloned())
            .filter_map(|id| self.snapshots.get(&id).map(|s| (id, s.state)))
            .collect();
        if let Some(i) = self.images.get_mut(image) {
            i.state = ImageState::Available;
        }
        for (id, _) in &snapshots {
            if let Some(s) = self.snapshots.get_mut(id) {
                s.state = SnapshotState::Completed;
            }
        }
        let launched = self.launch_builder(ids, now, launch, image, tags);
        if let (Some(i), Some(state)) = (self.images.get_mut(image), state) {
            i.state = state;
        }
        for (id, state) in snapshots {
            if let Some(s) = self.snapshots.get_mut(&id) {
                s.state = state;
            }
        }
        launched
    }

    /// Runs the components' steps of these phases in order on an instance,
    /// logging each; the first step that exits non-zero stops the build,
    /// and its failure is returned.
    fn run_phases(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        instance: &InstanceId,
        components: &[Component],
        phases: &[&str],
        log: &mut Vec<LogEntry>,
    ) -> Option<String> {
        for phase in phases {
            for component in components {
                for step in component.document.steps(phase) {
                    let (entry, elapsed) =
                        self.run_step(ids, now, instance, phase, component, step);
                    let code = entry.exit_code;
                    log.push(entry);
                    if code != 0 {
                        return Some(format!(
                            "Image build failed in the {phase} phase: step '{}' of component '{}' exited with code {code} after {elapsed} s (see the build log, labBuildLog).",
                            step.name, component.name
                        ));
                    }
                }
            }
        }
        None
    }

    /// Runs one step's commands as one bash script, as root; returns its
    /// log entry and the seconds it took.
    fn run_step(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        instance: &InstanceId,
        phase: &str,
        component: &Component,
        step: &crate::image_builder::Step,
    ) -> (LogEntry, u64) {
        let mut machine = Machine {
            region: self,
            ids,
            instance: instance.clone(),
            now,
            elapsed: 0,
            distro: Distro::AmazonLinux2023,
            started: Vec::new(),
        };
        let distro = machine
            .root()
            .and_then(|root| machine.disk(&root).and_then(Distro::of));
        let entry = |exit_code, output: String| LogEntry {
            phase: phase.to_owned(),
            component: component.name.clone(),
            step: step.name.clone(),
            exit_code,
            output,
        };
        let Some(distro) = distro.filter(|d| *d != Distro::Windows) else {
            return (
                entry(
                    1,
                    "lab: the parent image has no Linux the lab knows on its root volume\n".into(),
                ),
                0,
            );
        };
        machine.distro = distro;
        let output = machine.run_as_root(&step.commands.join("\n"));
        let elapsed = machine.elapsed;
        // AWSTOE runs steps one after another: a service a step started is
        // up when the next step runs.
        let started = std::mem::take(&mut machine.started);
        if let Some(i) = self.instances.get_mut(instance) {
            for (_, unit) in started {
                i.runtime.starting.retain(|(_, u)| *u != unit);
                if !i.runtime.is_running(&unit) {
                    i.runtime.services.push(RunningService { unit, since: now });
                }
            }
        }
        (entry(output.code, output.combined), elapsed)
    }
}

#[cfg(test)]
mod tests {
    use crate::command::{Command, Response};
    use crate::default_lab::{default_lab, DEFAULT_REGION};
    use crate::image_builder::BuildStatus;
    use crate::instance::InstanceState;
    use crate::World;

    fn arn_of(response: Response) -> String {
        match response {
            Response::Arn(arn) => arn,
            other => panic!("expected an ARN, got {other:?}"),
        }
    }

    fn apply(world: &mut World, command: Command) -> String {
        arn_of(world.apply(DEFAULT_REGION, command).expect("command"))
    }

    fn pipeline(world: &mut World, name: &str, test: &str) -> String {
        let parent = world
            .region(DEFAULT_REGION)
            .and_then(|r| r.instances.values().next().map(|i| i.image_id.clone()))
            .expect("an instance");
        let data = format!(
            "phases:\n  - name: build\n    steps:\n      - name: Web\n        action: ExecuteBash\n        inputs:\n          commands:\n            - dnf install -y httpd\n            - systemctl enable --now httpd\n            - echo Hello > /var/www/html/index.html\n  - name: test\n    steps:\n      - name: Serves\n        action: ExecuteBash\n        inputs:\n          commands:\n            - {test}\n"
        );
        let component = apply(
            world,
            Command::CreateComponent {
                name: name.into(),
                semantic_version: "1.0.0".into(),
                platform: "Linux".into(),
                description: String::new(),
                data,
            },
        );
        let recipe = apply(
            world,
            Command::CreateImageRecipe {
                name: name.into(),
                semantic_version: "1.0.0".into(),
                description: String::new(),
                parent_image: parent.as_str().to_owned(),
                components: vec![component],
            },
        );
        apply(
            world,
            Command::CreateImagePipeline {
                name: name.into(),
                image_recipe_arn: recipe,
                infrastructure_configuration_arn: None,
            },
        )
    }

    #[test]
    fn a_passing_build_makes_an_ami_and_a_failing_one_does_not() {
        let mut world = default_lab();
        let good = pipeline(&mut world, "web", "curl -s localhost | grep Hello");
        let bad = pipeline(&mut world, "broken", "curl -s localhost:8080");
        let amis_before = world.region(DEFAULT_REGION).map_or(0, |r| r.images.len());
        let good_image = apply(
            &mut world,
            Command::StartImagePipelineExecution {
                image_pipeline_arn: good,
            },
        );
        let bad_image = apply(
            &mut world,
            Command::StartImagePipelineExecution {
                image_pipeline_arn: bad,
            },
        );
        let region = world.region(DEFAULT_REGION).expect("region");
        assert_eq!(region.images.len(), amis_before + 1);
        let find = |arn: &str| {
            region
                .image_builder
                .images
                .iter()
                .find(|i| i.arn == arn)
                .expect("image")
        };
        let good = find(&good_image);
        assert_eq!(good.status, BuildStatus::Available, "{:?}", good.log);
        assert!(good.ami.is_some());
        assert!(good_image.ends_with(":image/web/1.0.0/1"));
        let bad = find(&bad_image);
        assert_eq!(bad.status, BuildStatus::Failed);
        assert!(bad.ami.is_none());
        assert!(bad
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("test phase") && r.contains("code 7")));
        for build in [good, bad] {
            let instance = build.build_instance.as_ref().expect("instance");
            let state = region.instances.get(instance).map(|i| i.state);
            assert_eq!(state, Some(InstanceState::ShuttingDown));
        }
    }

    #[test]
    fn errors_change_nothing_and_name_the_problem() {
        let mut world = default_lab();
        let missing = world.apply(
            DEFAULT_REGION,
            Command::StartImagePipelineExecution {
                image_pipeline_arn:
                    "arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/nope".into(),
            },
        );
        assert_eq!(
            missing.map_err(|e| e.code),
            Err("ResourceNotFoundException")
        );
        let version = world.apply(
            DEFAULT_REGION,
            Command::CreateComponent {
                name: "c".into(),
                semantic_version: "1.0".into(),
                platform: "Linux".into(),
                description: String::new(),
                data: "echo hi".into(),
            },
        );
        assert_eq!(
            version.map_err(|e| e.code),
            Err("InvalidVersionNumberException")
        );
        let make = || Command::CreateComponent {
            name: "C".into(),
            semantic_version: "1.0.0".into(),
            platform: "Linux".into(),
            description: String::new(),
            data: "echo hi".into(),
        };
        assert!(world.apply(DEFAULT_REGION, make()).is_ok());
        assert_eq!(
            world.apply(DEFAULT_REGION, make()).map_err(|e| e.code),
            Err("ResourceAlreadyExistsException")
        );
    }
}
