//! AMIs: CreateImage (D4), CopyImage (D3), DeregisterImage (D5) and launch
//! permissions (D7, D8).

use super::storage::{apply_permissions, check_account_id};
use super::RegionState;
use crate::command::{Permission, Response};
use crate::error::ApiError;
use crate::ids::{IdGenerator, ImageId, InstanceId};
use crate::image::{public_image, EbsMapping, Image, ImageBlockDevice, ImageState, RootDeviceType};
use crate::instance::{instance_type, InstanceState};
use crate::kms::KmsKey;
use crate::snapshot::Snapshot;
use crate::tags::Tags;
use crate::ACCOUNT_ID;

/// `CopyImage`'s options.
pub(super) struct CopyImageOptions {
    pub name: String,
    pub description: Option<String>,
    pub encrypted: bool,
    pub kms_key_id: Option<String>,
    pub tags: Tags,
}

/// An AMI and its snapshots, read from the source Region of a copy.
pub(super) struct ImageCopySource {
    image: Image,
    snapshots: Vec<Snapshot>,
}

/// D1: an AMI name is 3 to 128 characters: letters, digits and `()[]./-'@_`
/// and spaces.
fn check_image_name(name: &str) -> Result<(), ApiError> {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " ()[]./-'@_".contains(c));
    if (3..=128).contains(&name.chars().count()) && ok_chars {
        Ok(())
    } else {
        Err(ApiError::new(
            "InvalidAMIName.Malformed",
            format!("AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/', '_', '[', ']', ''', '@' and spaces; '{name}' is not one."),
        ))
    }
}

impl RegionState {
    /// D1: names are unique among the account's AMIs in a Region.
    fn check_name_free(&self, name: &str) -> Result<(), ApiError> {
        if let Some(image) = self.images.values().find(|i| i.name == name) {
            return Err(ApiError::new(
                "InvalidAMIName.Duplicate",
                format!("AMI name {name} is already in use by AMI {}", image.id),
            ));
        }
        Ok(())
    }

    /// One of the account's own AMIs; another owner's gives `AuthFailure`.
    fn own_image(&self, id: &ImageId) -> Result<&Image, ApiError> {
        if let Some(image) = self.images.get(id) {
            return Ok(image);
        }
        if public_image(self.name(), id).is_some() {
            return Err(ApiError::new(
                "AuthFailure",
                format!("Not authorized for image:{id}: it belongs to another account, which alone can change or deregister it (D7)."),
            ));
        }
        Err(ApiError::new(
            "InvalidAMIID.NotFound",
            format!("The image id '[{id}]' does not exist"),
        ))
    }

    // Not inlined: the dispatcher stays small, and in the browser a
    // handler is compiled only when first used (see ARCHITECTURE.md).
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    pub(super) fn create_image(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        instance_id: &InstanceId,
        name: &str,
        description: &str,
        no_reboot: bool,
        tags: Tags,
    ) -> Result<Response, ApiError> {
        let instance = self.instance(instance_id)?;
        if !matches!(
            instance.state,
            InstanceState::Running | InstanceState::Stopped
        ) {
            return Err(ApiError::new(
                "IncorrectInstanceState",
                format!("The instance '{instance_id}' is {}; an AMI can be made from a running or stopped instance.", instance.state),
            ));
        }
        if instance.root_device_type != RootDeviceType::Ebs {
            return Err(ApiError::new(
                "UnsupportedOperation",
                format!("The instance '{instance_id}' does not have an 'ebs' root device type: CreateImage makes AMIs of EBS-backed instances only (D9)."),
            ));
        }
        check_image_name(name)?;
        self.check_name_free(name)?;
        let instance = instance.clone();
        for device in &instance.block_devices {
            self.volume(&device.volume_id)?;
        }
        let architecture = instance_type(&instance.instance_type)
            .map(|t| t.architecture)
            .or_else(|| self.image(&instance.image_id).map(|i| i.architecture))
            .unwrap_or(crate::instance::Architecture::X86_64);
        let platform = self
            .image(&instance.image_id)
            .map_or_else(|| "Linux/UNIX".to_owned(), |i| i.platform);
        // Checked. D4: snapshot every attached EBS volume and record them.
        let image_id = ImageId::new(ids.next(ImageId::PREFIX));
        let mut block_devices = Vec::new();
        for device in &instance.block_devices {
            let snapshot = self.snapshot_of(
                ids,
                now,
                &device.volume_id,
                format!("Created by CreateImage({instance_id}) for {image_id}"),
                Tags::new(),
            )?;
            let volume = self.volume(&device.volume_id)?;
            block_devices.push(ImageBlockDevice {
                device_name: device.device_name.clone(),
                ebs: Some(EbsMapping {
                    snapshot_id: Some(snapshot.id.clone()),
                    volume_size_gib: volume.size_gib,
                    volume_type: volume.volume_type,
                    delete_on_termination: device.delete_on_termination,
                    encrypted: volume.encrypted,
                    kms_key_id: volume.kms_key_id.clone(),
                    iops: volume.takes_iops_field(),
                    throughput: volume.throughput,
                }),
                virtual_name: None,
            });
            self.snapshots.insert(snapshot.id.clone(), snapshot);
        }
        // D4, J2: instance-store disks are in the mapping but come up empty.
        for disk in &instance.instance_store {
            block_devices.push(ImageBlockDevice {
                device_name: disk.device_name.clone(),
                ebs: None,
                virtual_name: Some(disk.virtual_name.clone()),
            });
        }
        // D4: the instance reboots unless NoReboot (RAM is lost; the
        // instance store is kept, G3).
        if !no_reboot && instance.state == InstanceState::Running {
            if let Some(instance) = self.instances.get_mut(instance_id) {
                instance.boot_count += 1;
            }
        }
        self.images.insert(
            image_id.clone(),
            Image {
                id: image_id.clone(),
                name: name.to_owned(),
                description: description.to_owned(),
                architecture,
                root_device_name: instance.root_device_name.clone(),
                root_device_type: RootDeviceType::Ebs,
                block_devices,
                state: ImageState::Pending,
                creation_time: now,
                published: None,
                public: false,
                launch_permissions: Vec::new(),
                platform,
                owner_id: ACCOUNT_ID.to_owned(),
                owner_alias: None,
                product_code: None,
                source_instance_id: Some(instance_id.clone()),
                catalogue: None,
                tags,
            },
        );
        Ok(Response::Image(image_id))
    }

    /// What a copy of this AMI needs from its Region.
    pub(super) fn image_copy_source(&self, id: &ImageId) -> Result<ImageCopySource, ApiError> {
        let image = self.image_or_not_found(id)?;
        if image.state != ImageState::Available {
            return Err(ApiError::new(
                "IncorrectState",
                format!(
                    "The image '{id}' is {}; copy it once it is available.",
                    image.state
                ),
            ));
        }
        let snapshots = image
            .snapshot_ids()
            .filter_map(|snap| self.snapshot(snap).map(std::borrow::Cow::into_owned))
            .collect();
        Ok(ImageCopySource { image, snapshots })
    }

    // Not inlined: see `create_image`.
    #[inline(never)]
    pub(super) fn copy_image(
        &mut self,
        ids: &mut IdGenerator,
        now: u64,
        source_region: &str,
        source: ImageCopySource,
        options: CopyImageOptions,
    ) -> Result<Response, ApiError> {
        check_image_name(&options.name)?;
        self.check_name_free(&options.name)?;
        if options.kms_key_id.is_some() && !options.encrypted {
            return Err(ApiError::new(
                "InvalidParameterDependency",
                "The parameter KmsKeyId requires the parameter Encrypted to be set.",
            ));
        }
        let image_id = ImageId::new(ids.next(ImageId::PREFIX));
        // Check every snapshot copy before storing any.
        let mut copies = Vec::new();
        for (sequence, snapshot) in (self.next_snapshot_sequence()..).zip(&source.snapshots) {
            let copy = self.snapshot_copy(
                ids,
                now,
                source_region,
                snapshot,
                options.encrypted.then_some(true),
                options.kms_key_id.as_deref(),
                String::new(),
                sequence,
            )?;
            copies.push((snapshot.id.clone(), copy));
        }
        let mut block_devices = source.image.block_devices.clone();
        for device in &mut block_devices {
            let Some(ebs) = &mut device.ebs else { continue };
            let Some((_, copy)) = copies
                .iter()
                .find(|(old, _)| Some(old) == ebs.snapshot_id.as_ref())
            else {
                continue;
            };
            ebs.snapshot_id = Some(copy.id.clone());
            ebs.encrypted = copy.encrypted;
            ebs.kms_key_id.clone_from(&copy.kms_key_id);
        }
        for (old, mut copy) in copies {
            copy.description = format!(
                "Copied for DestinationAmi {image_id} from SourceAmi {} for SourceSnapshot {old}. Task created on {}.",
                source.image.id,
                crate::clock::iso8601_millis(now)
            );
            self.snapshot_sequence = copy.sequence;
            self.snapshots.insert(copy.id.clone(), copy);
        }
        // D3: launch permissions are not copied; the copy is private and
        // the account's own.
        let image = Image {
            id: image_id.clone(),
            name: options.name,
            description: options
                .description
                .unwrap_or_else(|| source.image.description.clone()),
            block_devices,
            state: ImageState::Pending,
            creation_time: now,
            published: None,
            public: false,
            launch_permissions: Vec::new(),
            owner_id: ACCOUNT_ID.to_owned(),
            owner_alias: None,
            product_code: None,
            source_instance_id: None,
            catalogue: None,
            tags: options.tags,
            ..source.image
        };
        self.images.insert(image_id.clone(), image);
        Ok(Response::Image(image_id))
    }

    // Not inlined: see `create_image`.
    #[inline(never)]
    pub(super) fn deregister_image(
        &mut self,
        id: &ImageId,
        delete_associated_snapshots: bool,
    ) -> Result<Response, ApiError> {
        let image = self.own_image(id)?.clone();
        self.images.remove(id);
        // D5: the snapshots stay unless asked, and one another AMI still
        // uses is never deleted.
        if delete_associated_snapshots {
            for snapshot in image.snapshot_ids() {
                let used = self
                    .images
                    .values()
                    .any(|other| other.snapshot_ids().any(|s| s == snapshot));
                if !used {
                    self.snapshots.remove(snapshot);
                }
            }
        }
        Ok(Response::Done)
    }

    // Not inlined: see `create_image`.
    #[inline(never)]
    pub(super) fn modify_image_attribute(
        &mut self,
        id: &ImageId,
        add: &[Permission],
        remove: &[Permission],
        description: Option<String>,
    ) -> Result<Response, ApiError> {
        let image = self.own_image(id)?;
        for permission in add {
            match permission {
                // D8: an AMI with encrypted snapshots can't be made public.
                Permission::All if image.is_encrypted() => {
                    return Err(ApiError::new(
                        "UnsupportedOperation",
                        "Encrypted snapshots can't be shared publicly. Specify another snapshot.",
                    ))
                }
                Permission::All if image.product_code.is_some() => {
                    return Err(ApiError::new(
                        "UnsupportedOperation",
                        "AMIs with an AWS Marketplace product code can't be made public.",
                    ))
                }
                Permission::All => {}
                Permission::Account(account) => {
                    check_account_id(account)?;
                    // D8: the key must be shared too, and an AWS managed
                    // key can't be.
                    let aws_managed = image.block_devices.iter().any(|device| {
                        device
                            .ebs
                            .as_ref()
                            .and_then(|ebs| ebs.kms_key_id.as_deref())
                            .and_then(|arn| KmsKey::by_arn(self.name(), arn))
                            .is_some_and(|key| key.aws_managed)
                    });
                    if aws_managed {
                        return Err(ApiError::new(
                            "InvalidParameter",
                            "Snapshots encrypted with the AWS Managed CMK can't be shared. Specify another snapshot.",
                        ));
                    }
                }
            }
        }
        if let Some(image) = self.images.get_mut(id) {
            apply_permissions(
                &mut image.public,
                &mut image.launch_permissions,
                add,
                remove,
            );
            if let Some(description) = description {
                image.description = description;
            }
        }
        Ok(Response::Done)
    }
}
