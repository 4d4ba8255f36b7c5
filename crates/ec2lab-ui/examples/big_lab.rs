//! Prints a saved lab of at least N resources (default 100) for the
//! benchmark: the default lab plus instances launched across its subnets,
//! snapshots of their root volumes and volumes restored from them in the
//! other AZ, every step made as the learner would (drops, through
//! `Lab::perform`).
//!
//! Usage: cargo run -p ec2lab-ui --example big_lab -- [N]

use ec2lab_sim::{default_lab, DEFAULT_REGION};
use ec2lab_ui::drag::drop_action;
use ec2lab_ui::model::{Action, Lab};

fn resources(lab: &Lab) -> usize {
    let region = lab
        .world
        .region(DEFAULT_REGION)
        .expect("the default Region");
    region.vpcs.len()
        + region.subnets.len()
        + region.internet_gateways.len()
        + region.instances.len()
        + region.volumes.len()
        + region.snapshots.len()
        + region.images.len()
        + region.launch_templates.len()
        + region.security_groups.len()
        + region.network_acls.len()
}

fn main() {
    let want: usize = std::env::args()
        .nth(1)
        .map_or(Ok(100), |n| n.parse())
        .unwrap_or_else(|_| {
            eprintln!("usage: big_lab [number of resources]");
            std::process::exit(2)
        });
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    let mut step = 0usize;
    while resources(&lab) < want {
        let region = lab
            .world
            .region(DEFAULT_REGION)
            .expect("the default Region");
        let subnets: Vec<String> = region.subnets.keys().map(|s| s.to_string()).collect();
        let image = region
            .instances
            .values()
            .next()
            .map(|i| i.image_id.to_string())
            .expect("the default lab has instances");
        let action = match step % 4 {
            0 => drop_action(region, &image, &subnets[step / 4 % subnets.len()]),
            1 => {
                // A root volume not snapshotted yet.
                let volume = region
                    .volumes
                    .values()
                    .find(|v| {
                        v.state == ec2lab_sim::VolumeState::InUse
                            && !region
                                .snapshots
                                .values()
                                .any(|s| s.volume_id.as_ref() == Some(&v.id))
                    })
                    .map(|v| v.id.clone())
                    .expect("a volume to snapshot");
                Ok(Action::CreateSnapshot { volume_id: volume })
            }
            // Snapshots complete in time (E-section); so do launches.
            2 => Ok(Action::Advance { seconds: 600 }),
            _ => {
                // A snapshot no volume was restored from yet.
                let newest = region
                    .snapshots
                    .values()
                    .find(|s| {
                        !region
                            .volumes
                            .values()
                            .any(|v| v.snapshot_id.as_ref() == Some(&s.id))
                    })
                    .map(|s| s.id.clone())
                    .expect("a snapshot");
                let zone = if step % 8 == 3 {
                    "us-east-1a"
                } else {
                    "us-east-1b"
                };
                Ok(Action::CreateVolumeFromSnapshot {
                    snapshot_id: newest,
                    availability_zone: zone.into(),
                })
            }
        };
        let action = action.expect("a drop the default lab accepts");
        if let Err(e) = lab.perform(&action) {
            eprintln!("step {step} refused: {e}");
            std::process::exit(1);
        }
        step += 1;
    }
    eprintln!("{} resources after {step} actions", resources(&lab));
    print!("{}", ec2lab_ui::saved::save(&lab));
}
