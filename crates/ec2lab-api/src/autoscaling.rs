//! `aws autoscaling`: only as far as launch configurations, to show how they
//! differ from launch templates (I3).
//!
//! A launch configuration is Auto Scaling's older way to store launch
//! parameters: it can't be changed after it is made (you make a new one and
//! point the group at it), has no versions, and knows no instance type
//! released after 2022. Accounts made after 31 December 2023 can't create
//! one at all, and the lab's account is such an account: AWS answers with
//! the error below and recommends launch templates (`aws ec2
//! create-launch-template`), which have versions (I2).

use ec2lab_awscli::Operation;
use serde_json::{json, Value};

use crate::compute::block_device_mappings;
use crate::operations::{b, i, list, s, structure, Fail, Reply};
use crate::session::Session;

/// The operations the lab answers for `aws autoscaling`.
pub(crate) fn operations() -> Vec<Operation> {
    let op = |name, input, required| Operation {
        name,
        input,
        required,
    };
    vec![
        op(
            "create-launch-configuration",
            vec![
                ("LaunchConfigurationName", s()),
                ("ImageId", s()),
                ("InstanceId", s()),
                ("InstanceType", s()),
                ("KeyName", s()),
                ("SecurityGroups", list(s())),
                ("UserData", s()),
                ("BlockDeviceMappings", block_device_mappings()),
                ("AssociatePublicIpAddress", b()),
                ("IamInstanceProfile", s()),
                ("InstanceMonitoring", structure(vec![("Enabled", b())])),
                ("EbsOptimized", b()),
                ("SpotPrice", s()),
                ("PlacementTenancy", s()),
                ("KernelId", s()),
                ("RamdiskId", s()),
                (
                    "MetadataOptions",
                    structure(vec![
                        ("HttpTokens", s()),
                        ("HttpPutResponseHopLimit", i()),
                        ("HttpEndpoint", s()),
                    ]),
                ),
            ],
            &["LaunchConfigurationName"],
        ),
        op(
            "describe-launch-configurations",
            vec![
                ("LaunchConfigurationNames", list(s())),
                ("MaxRecords", i()),
                ("NextToken", s()),
            ],
            &[],
        ),
    ]
}

/// Runs one `aws autoscaling` operation.
pub(crate) fn execute(_session: &mut Session, _region: &str, op: &str, _body: &Value) -> Reply {
    match op {
        // I3: accounts created after 31 December 2023 can't create launch
        // configurations. The message is AWS's; the code is the one AWS's
        // notice of the change named (UnsupportedOperationException), and
        // the second paragraph is the lab's.
        "create-launch-configuration" => Err(Fail(
            "UnsupportedOperationException",
            "The Launch Configuration creation operation is not available in your account. Use launch templates to create configuration templates for your Auto Scaling groups. \
             (I3: accounts created after 31 December 2023, like the lab's, can't create launch configurations. A launch configuration can't be changed once made and has no versions; a launch template has numbered versions and a default one: aws ec2 create-launch-template.)"
                .into(),
        )),
        // The account has never had one.
        "describe-launch-configurations" => Ok(json!({ "LaunchConfigurations": [] })),
        other => Err(Fail(
            "UnsupportedOperation",
            format!("the lab does not simulate aws autoscaling {other}"),
        )),
    }
}
