//! The default lab is what every learner sees first: it must be exactly the
//! small two-AZ web application the README and the diagram describe.

use ec2lab_sim::{default_lab, DEFAULT_REGION};
use expect_test::expect;

#[test]
fn the_default_lab_is_a_two_az_web_application_in_us_east_1() {
    expect![[r#"
        Account at t=60s
        Region us-east-1 (US East (N. Virginia))
          EBS encryption by default: off
          VPC vpc-01045a7fb10b3fc77 lab-vpc 10.0.0.0/16
            Internet gateway igw-0bd50aae58026701f lab-igw, attached
            Route table rtb-022894ba151e5e1a9 private-rt (main): 10.0.0.0/16 → local
            Route table rtb-0c3d400a3b428cbc1 public-rt: 10.0.0.0/16 → local, 0.0.0.0/0 → igw-0bd50aae58026701f; subnets public-a, public-b
            Network ACL acl-0eaf2359b6e6a290b - (default)
              inbound: 100 allow -1 all 0.0.0.0/0; * deny -1 all 0.0.0.0/0
              outbound: 100 allow -1 all 0.0.0.0/0; * deny -1 all 0.0.0.0/0
            Security group sg-0345940bbf6128d02 db-sg
              inbound: tcp 3306 sg-0555c95dd130af3af
              outbound: -1 all 0.0.0.0/0
            Security group sg-0555c95dd130af3af web-sg
              inbound: tcp 80 0.0.0.0/0; tcp 443 0.0.0.0/0
              outbound: -1 all 0.0.0.0/0
            Security group sg-0935cb6af174e8421 default
              inbound: -1 all sg-0935cb6af174e8421
              outbound: -1 all 0.0.0.0/0
            Availability Zone us-east-1a (use1-az1)
              Subnet subnet-0dee21ba09fd7951f public-a 10.0.1.0/24, public, network ACL acl-0eaf2359b6e6a290b
                Instance i-0e71dd8f9270ae24e web-1 t3.micro running private 10.0.1.4 public 3.84.229.19 [web-sg]
                  Volume vol-0903ff3a9df26503a /dev/xvda 8 GiB gp3 unencrypted, deleted on termination
              Subnet subnet-0a09258fcf2eafa92 private-a 10.0.2.0/24, private, network ACL acl-0eaf2359b6e6a290b
                Instance i-0b55da2a81bfa3ffd db-1 t3.small running private 10.0.2.4 [db-sg]
                  Volume vol-0f3a236e52d20a954 /dev/xvda 8 GiB gp3 unencrypted, deleted on termination
            Availability Zone us-east-1b (use1-az2)
              Subnet subnet-0e1f35406dcfacc32 public-b 10.0.11.0/24, public, network ACL acl-0eaf2359b6e6a290b
                Instance i-0781d9316b870d786 web-2 t3.micro running private 10.0.11.4 public 3.81.225.35 [web-sg]
                  Volume vol-05d99dce3bdff10f4 /dev/xvda 8 GiB gp3 unencrypted, deleted on termination
              Subnet subnet-07f25d30fd491ab90 private-b 10.0.12.0/24, private, network ACL acl-0eaf2359b6e6a290b
          Unattached volumes in us-east-1a (use1-az1)
            Volume vol-046e27b7f222eca30 data-1 20 GiB gp3 available, unencrypted
        Region us-west-2 (US West (Oregon)): no resources
        Region eu-west-1 (Europe (Ireland)): no resources
    "#]].assert_eq(&default_lab().to_string());
}

#[test]
fn the_default_lab_is_the_same_every_time() {
    // The core is deterministic: same commands, same ids and addresses.
    assert_eq!(default_lab(), default_lab());
}

#[test]
fn public_subnets_are_the_ones_routed_to_the_internet_gateway() {
    // C3: public means "routes to an attached internet gateway", and only
    // instances in public subnets got public addresses.
    let world = default_lab();
    let region = world.region(DEFAULT_REGION).expect("default region");
    let mut seen = Vec::new();
    for subnet in region.subnets.values() {
        let public = region.is_public(&subnet.id);
        let name = subnet.tags.name().unwrap_or("-");
        assert_eq!(public, name.starts_with("public"), "{name}");
        for instance in region.instances_in(&subnet.id) {
            assert_eq!(
                region
                    .primary_interface(instance)
                    .and_then(|eni| eni.public_ip)
                    .is_some(),
                public,
                "{:?}",
                instance.tags.name()
            );
            seen.push(instance.tags.name().unwrap_or("-").to_owned());
        }
    }
    seen.sort();
    assert_eq!(seen, ["db-1", "web-1", "web-2"]);
}
