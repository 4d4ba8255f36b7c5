//! `aws imagebuilder …`: EC2 Image Builder, simplified (see the core's
//! `image_builder.rs`). Image Builder's JSON names members in camelCase
//! (`semanticVersion`, `imageBuildVersionArn`); the CLI's options map to
//! them the same way as to EC2's PascalCase (`--semantic-version`).
//!
//! Lab-only: `get-image` adds `labBuildLog`, each step of the build as it
//! ran (phase, component, step, exit code, output), where AWS would point
//! to CloudWatch Logs or an S3 bucket.

use ec2lab_awscli::{Operation, Shape};
use ec2lab_sim::image_builder::{BuildStatus, ImageBuild};
use ec2lab_sim::{iso8601_millis, Command, ImageState, RegionState, SecurityGroupId, SubnetId};
use serde_json::{json, Value};

use crate::compute::text_or_file;
use crate::operations::{apply, list, s, state, str_of, structure, Fail, Reply};
use crate::session::Session;
use ec2lab_sim::Response;

/// Every `aws imagebuilder` operation the lab simulates, with its options.
pub(crate) fn operations() -> Vec<Operation> {
    let op = |name, input, required| Operation {
        name,
        input,
        required,
    };
    let token = ("clientToken", s());
    let tags = ("tags", Shape::Map(Box::new(s())));
    vec![
        op(
            "create-component",
            vec![
                ("name", s()),
                ("semanticVersion", s()),
                ("description", s()),
                ("changeDescription", s()),
                ("platform", s()),
                ("supportedOsVersions", list(s())),
                ("data", s()),
                ("uri", s()),
                ("kmsKeyId", s()),
                tags.clone(),
                token.clone(),
            ],
            &["name", "semanticVersion", "platform"],
        ),
        op(
            "create-image-recipe",
            vec![
                ("name", s()),
                ("semanticVersion", s()),
                ("description", s()),
                ("parentImage", s()),
                ("components", list(structure(vec![("componentArn", s())]))),
                ("workingDirectory", s()),
                tags.clone(),
                token.clone(),
            ],
            &["name", "semanticVersion", "parentImage", "components"],
        ),
        op(
            "create-infrastructure-configuration",
            vec![
                ("name", s()),
                ("description", s()),
                ("instanceTypes", list(s())),
                ("instanceProfileName", s()),
                ("securityGroupIds", list(s())),
                ("subnetId", s()),
                ("terminateInstanceOnFailure", Shape::Boolean),
                tags.clone(),
                token.clone(),
            ],
            &["name"],
        ),
        op(
            "create-image-pipeline",
            vec![
                ("name", s()),
                ("description", s()),
                ("imageRecipeArn", s()),
                ("infrastructureConfigurationArn", s()),
                ("status", s()),
                tags,
                token.clone(),
            ],
            &["name", "imageRecipeArn"],
        ),
        op(
            "update-image-pipeline",
            vec![
                ("imagePipelineArn", s()),
                ("description", s()),
                ("imageRecipeArn", s()),
                ("infrastructureConfigurationArn", s()),
                ("status", s()),
                token.clone(),
            ],
            &["imagePipelineArn", "infrastructureConfigurationArn"],
        ),
        op(
            "start-image-pipeline-execution",
            vec![("imagePipelineArn", s()), token],
            &["imagePipelineArn"],
        ),
        op(
            "get-image",
            vec![("imageBuildVersionArn", s())],
            &["imageBuildVersionArn"],
        ),
        op(
            "list-images",
            vec![
                ("owner", s()),
                ("maxResults", Shape::Integer),
                ("nextToken", s()),
            ],
            &[],
        ),
        op(
            "get-component",
            vec![("componentBuildVersionArn", s())],
            &["componentBuildVersionArn"],
        ),
        op(
            "get-image-recipe",
            vec![("imageRecipeArn", s())],
            &["imageRecipeArn"],
        ),
        op(
            "get-image-pipeline",
            vec![("imagePipelineArn", s())],
            &["imagePipelineArn"],
        ),
    ]
}

fn req<'a>(body: &'a Value, key: &str) -> Result<&'a str, Fail> {
    str_of(body, key).ok_or_else(|| {
        Fail(
            "InvalidParameterValueException",
            format!("The request must contain the parameter {key}."),
        )
    })
}

fn strings(body: &Value, key: &str) -> Vec<String> {
    body.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// A request id: AWS's is a random UUID; the lab's is made from the
/// clock and a resource, so runs repeat.
fn request_id(session: &Session, seed: &str) -> String {
    let hash = seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        session.world.clock() & 0xffff_ffff,
        (hash >> 48) & 0xffff,
        (hash >> 36) & 0xfff,
        (hash >> 24) & 0xfff,
        hash & 0xffff_ffff_ffff
    )
}

/// `requestId`, `clientToken` and the new resource's ARN under `key`.
fn created(session: &Session, body: &Value, key: &str, arn: String) -> Value {
    let id = request_id(session, &arn);
    let token = str_of(body, "clientToken").map_or_else(|| id.clone(), str::to_owned);
    json!({"requestId": id, "clientToken": token, key: arn})
}

fn arn_of(response: Response) -> Result<String, Fail> {
    match response {
        Response::Arn(arn) => Ok(arn),
        _ => Err(Fail("InternalError", "no ARN in the response".into())),
    }
}

/// Runs one `aws imagebuilder` operation.
pub(crate) fn execute(session: &mut Session, region: &str, op: &str, body: &Value) -> Reply {
    match op {
        "create-component" => {
            let data = match (str_of(body, "data"), str_of(body, "uri")) {
                (Some(_), Some(_)) => {
                    return Err(Fail(
                        "InvalidParameterValueException",
                        "Give the component's document as --data or --uri, not both.".into(),
                    ))
                }
                (Some(data), None) => text_or_file(session, data)?,
                (None, Some(uri)) if uri.starts_with("file://") => text_or_file(session, uri)?,
                (None, Some(uri)) => {
                    return Err(Fail(
                        "InvalidParameterValueException",
                        format!("The lab has no S3: give --uri as file://<path>, or the document as --data, not '{uri}'."),
                    ))
                }
                (None, None) => {
                    return Err(Fail(
                        "InvalidParameterValueException",
                        "A component needs its document: give --data or --uri.".into(),
                    ))
                }
            };
            let arn = arn_of(apply(
                session,
                region,
                Command::CreateComponent {
                    name: req(body, "name")?.into(),
                    semantic_version: req(body, "semanticVersion")?.into(),
                    platform: req(body, "platform")?.into(),
                    description: str_of(body, "description").unwrap_or("").into(),
                    data,
                },
            )?)?;
            Ok(created(session, body, "componentBuildVersionArn", arn))
        }
        "create-image-recipe" => {
            let components = body
                .get("components")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|c| {
                    str_of(c, "componentArn").map(str::to_owned).ok_or_else(|| {
                        Fail(
                            "InvalidParameterValueException",
                            "Each of --components needs a componentArn.".into(),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let arn = arn_of(apply(
                session,
                region,
                Command::CreateImageRecipe {
                    name: req(body, "name")?.into(),
                    semantic_version: req(body, "semanticVersion")?.into(),
                    description: str_of(body, "description").unwrap_or("").into(),
                    parent_image: req(body, "parentImage")?.into(),
                    components,
                },
            )?)?;
            Ok(created(session, body, "imageRecipeArn", arn))
        }
        "create-infrastructure-configuration" => {
            let arn = arn_of(apply(
                session,
                region,
                Command::CreateInfrastructureConfiguration {
                    name: req(body, "name")?.into(),
                    subnet_id: str_of(body, "subnetId").map(SubnetId::new),
                    security_group_ids: strings(body, "securityGroupIds")
                        .into_iter()
                        .map(SecurityGroupId::new)
                        .collect(),
                    instance_types: strings(body, "instanceTypes"),
                },
            )?)?;
            Ok(created(
                session,
                body,
                "infrastructureConfigurationArn",
                arn,
            ))
        }
        "create-image-pipeline" => {
            let arn = arn_of(apply(
                session,
                region,
                Command::CreateImagePipeline {
                    name: req(body, "name")?.into(),
                    image_recipe_arn: req(body, "imageRecipeArn")?.into(),
                    infrastructure_configuration_arn: str_of(
                        body,
                        "infrastructureConfigurationArn",
                    )
                    .map(str::to_owned),
                },
            )?)?;
            Ok(created(session, body, "imagePipelineArn", arn))
        }
        "update-image-pipeline" => {
            // AWS takes the pipeline's whole definition again; an AMI
            // pipeline without a recipe is refused.
            let Some(recipe) = str_of(body, "imageRecipeArn") else {
                return Err(Fail(
                    "InvalidRequestException",
                    "An image pipeline needs an image recipe: give --image-recipe-arn (UpdateImagePipeline replaces the whole definition, not only what changes).".into(),
                ));
            };
            let arn = arn_of(apply(
                session,
                region,
                Command::UpdateImagePipeline {
                    image_pipeline_arn: req(body, "imagePipelineArn")?.into(),
                    image_recipe_arn: recipe.into(),
                    infrastructure_configuration_arn: req(body, "infrastructureConfigurationArn")?
                        .into(),
                },
            )?)?;
            Ok(created(session, body, "imagePipelineArn", arn))
        }
        "start-image-pipeline-execution" => {
            let arn = arn_of(apply(
                session,
                region,
                Command::StartImagePipelineExecution {
                    image_pipeline_arn: req(body, "imagePipelineArn")?.into(),
                },
            )?)?;
            Ok(created(session, body, "imageBuildVersionArn", arn))
        }
        "get-image" => {
            let arn = req(body, "imageBuildVersionArn")?;
            let state = state(session, region)?;
            let image = state
                .image_builder
                .images
                .iter()
                .find(|i| i.arn == arn)
                .ok_or_else(|| not_found("image", arn))?;
            Ok(json!({"requestId": request_id(session, arn), "image": image_json(state, image)}))
        }
        "list-images" => {
            let state = state(session, region)?;
            let mut versions: Vec<Value> = Vec::new();
            let mut seen: Vec<(&str, &str)> = Vec::new();
            for image in &state.image_builder.images {
                if seen.contains(&(image.name.as_str(), image.version.as_str())) {
                    continue;
                }
                seen.push((&image.name, &image.version));
                versions.push(json!({
                    "arn": version_arn(&image.arn),
                    "name": image.name,
                    "type": "AMI",
                    "version": image.version,
                    "platform": "Linux",
                    "owner": ec2lab_sim::ACCOUNT_ID,
                    "dateCreated": iso8601_millis(image.created),
                    "buildType": "USER_INITIATED",
                    "imageSource": "CUSTOM",
                }));
            }
            Ok(
                json!({"requestId": request_id(session, "list-images"), "imageVersionList": versions}),
            )
        }
        "get-component" => {
            let arn = req(body, "componentBuildVersionArn")?;
            let state = state(session, region)?;
            let c = state
                .image_builder
                .components
                .iter()
                .find(|c| c.arn == arn)
                .ok_or_else(|| not_found("component", arn))?;
            Ok(json!({
                "requestId": request_id(session, arn),
                "component": {
                    "arn": c.arn,
                    "name": c.name,
                    "version": c.version,
                    "description": if c.description.is_empty() { None } else { Some(&c.description) },
                    "type": "BUILD",
                    "platform": c.platform,
                    "owner": ec2lab_sim::ACCOUNT_ID,
                    "data": c.data,
                    "encrypted": true,
                    "dateCreated": iso8601_millis(c.created),
                    "state": {"status": "ACTIVE"},
                }
            }))
        }
        "get-image-pipeline" => {
            let arn = req(body, "imagePipelineArn")?;
            let state = state(session, region)?;
            let p = state
                .image_builder
                .pipelines
                .iter()
                .find(|p| p.arn == arn)
                .ok_or_else(|| not_found("image pipeline", arn))?;
            Ok(json!({
                "requestId": request_id(session, arn),
                "imagePipeline": {
                    "arn": p.arn,
                    "name": p.name,
                    "platform": "Linux",
                    "imageRecipeArn": p.recipe_arn,
                    "infrastructureConfigurationArn": p.infrastructure_arn,
                    "status": "ENABLED",
                    "dateCreated": iso8601_millis(p.created),
                }
            }))
        }
        "get-image-recipe" => {
            let arn = req(body, "imageRecipeArn")?;
            let state = state(session, region)?;
            let r = state
                .image_builder
                .recipes
                .iter()
                .find(|r| r.arn == arn)
                .ok_or_else(|| not_found("image recipe", arn))?;
            Ok(json!({
                "requestId": request_id(session, arn),
                "imageRecipe": {
                    "arn": r.arn,
                    "type": "AMI",
                    "name": r.name,
                    "description": if r.description.is_empty() { None } else { Some(&r.description) },
                    "platform": "Linux",
                    "owner": ec2lab_sim::ACCOUNT_ID,
                    "version": r.version,
                    "components": r.components.iter().map(|c| json!({"componentArn": c})).collect::<Vec<_>>(),
                    "parentImage": r.parent_image.as_str(),
                    "dateCreated": iso8601_millis(r.created),
                    "workingDirectory": "/tmp",
                }
            }))
        }
        other => Err(Fail(
            "UnsupportedOperation",
            format!("the lab does not simulate aws imagebuilder {other}"),
        )),
    }
}

fn not_found(what: &str, arn: &str) -> Fail {
    Fail(
        "ResourceNotFoundException",
        format!("The {what} '{arn}' does not exist."),
    )
}

/// `…:image/<name>/<version>/<n>` → `…:image/<name>/<version>`.
fn version_arn(build_arn: &str) -> &str {
    build_arn.rsplit_once('/').map_or(build_arn, |(v, _)| v)
}

/// GetImage's `image`. The status is `AVAILABLE` once the AMI is (its
/// snapshots complete, D4), `DISTRIBUTING` before, or `FAILED`.
fn image_json(state: &RegionState, image: &ImageBuild) -> Value {
    let ami_state = image
        .ami
        .as_ref()
        .and_then(|(id, _)| state.image(id))
        .map(|i| i.state);
    let status = match (image.status, ami_state) {
        (BuildStatus::Failed, _) => "FAILED",
        (BuildStatus::Available, Some(ImageState::Pending)) => "DISTRIBUTING",
        (BuildStatus::Available, Some(ImageState::Available)) => "AVAILABLE",
        // The AMI was deregistered (or failed) since.
        (BuildStatus::Available, _) => "DEPRECATED",
    };
    let amis: Vec<Value> = image
        .ami
        .iter()
        .map(|(id, name)| {
            json!({
                "region": state.name(),
                "image": id.as_str(),
                "name": name,
                "accountId": ec2lab_sim::ACCOUNT_ID,
            })
        })
        .collect();
    json!({
        "arn": image.arn,
        "type": "AMI",
        "name": image.name,
        "version": format!("{}/{}", image.version, image.build),
        "platform": "Linux",
        "state": {"status": status, "reason": image.reason},
        "imageRecipe": {"arn": image.recipe_arn, "name": image.name, "version": image.version},
        "imagePipelineArn": image.pipeline_arn,
        "infrastructureConfiguration": image.infrastructure_arn.as_ref().map(|a| json!({"arn": a})),
        "outputResources": {"amis": amis},
        "dateCreated": iso8601_millis(image.created),
        "buildType": "USER_INITIATED",
        "imageSource": "CUSTOM",
        "labBuildInstance": image.build_instance.as_ref().map(|i| i.as_str()),
        "labTestInstance": image.test_instance.as_ref().map(|i| i.as_str()),
        "labBuildLog": image.log.iter().map(|e| json!({
            "phase": e.phase,
            "component": e.component,
            "step": e.step,
            "exitCode": e.exit_code,
            "output": e.output,
        })).collect::<Vec<_>>(),
    })
}
