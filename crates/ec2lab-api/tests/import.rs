//! Importing describe-* output: a real-looking account becomes a world that
//! traces the way AWS would, and bad input is named by file and JSON path.

use ec2lab_api::{import, parse_document};
use ec2lab_sim::{Flow, Source, Transport};
use expect_test::{expect, Expect};

fn scenario(name: &str) -> String {
    let path = format!(
        "{}/../../tests/scenarios/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn check_error(text: &str, expected: Expect) {
    let result = parse_document("bad.json", text).and_then(|doc| import(&[doc]));
    expected.assert_eq(
        &result
            .map(|_| "imported".to_owned())
            .unwrap_or_else(|e| e.to_string()),
    );
}

#[test]
fn the_guide_scenario_imports_and_fills_in_what_aws_always_has() {
    let doc = parse_document("guide-custom-acl.json", &scenario("guide-custom-acl.json"))
        .expect("valid JSON");
    let world = import(&[doc]).expect("imports");
    expect![[r#"
        Account at t=0s
        Region us-east-1 (US East (N. Virginia))
          EBS encryption by default: off
          VPC vpc-0a1b2c3d4e5f60001 guide-vpc 10.0.0.0/16
            Internet gateway igw-0a1b2c3d4e5f60001 -, attached
            Route table rtb-0a1b2c3d4e5f60001 - (main): 10.0.0.0/16 → local, 0.0.0.0/0 → igw-0a1b2c3d4e5f60001
            Network ACL acl-0a1b2c3d4e5f60001 - (default)
              inbound: 100 allow -1 all 0.0.0.0/0; * deny -1 all 0.0.0.0/0
              outbound: 100 allow -1 all 0.0.0.0/0; * deny -1 all 0.0.0.0/0
            Network ACL acl-0c4d5e6f7a8b90002 -
              inbound: 100 allow tcp 80 0.0.0.0/0; 110 allow tcp 443 0.0.0.0/0; 120 allow tcp 22 192.0.2.0/24; 130 allow tcp 3389 192.0.2.0/24; 140 allow tcp 32768-65535 0.0.0.0/0; * deny -1 all 0.0.0.0/0
              outbound: 100 allow tcp 80 0.0.0.0/0; 110 allow tcp 443 0.0.0.0/0; 120 allow tcp 1024-65535 192.0.2.0/24; 140 allow tcp 32768-65535 0.0.0.0/0; * deny -1 all 0.0.0.0/0
            Security group sg-0a1b2c3d4e5f60001 default
              inbound: -1 all sg-0a1b2c3d4e5f60001
              outbound: -1 all 0.0.0.0/0
            Security group sg-0f9e8d7c6b5a40001 web
              inbound: tcp 443 0.0.0.0/0; tcp 22 192.0.2.0/24
              outbound: -1 all 0.0.0.0/0
            Availability Zone us-east-1a (use1-az1)
              Subnet subnet-0a1b2c3d4e5f60001 web 10.0.1.0/24, public, network ACL acl-0c4d5e6f7a8b90002
                Instance i-0a1b2c3d4e5f60001 web-1 t3.micro running private 10.0.1.10 public 54.210.1.10 [web]
        Region us-west-2 (US West (Oregon)): no resources
        Region eu-west-1 (Europe (Ireland)): no resources
    "#]].assert_eq(&world.to_string());
}

#[test]
fn an_imported_account_traces_like_aws() {
    // B10 again, this time from describe output: HTTPS in, reply on 50000 out.
    let doc = parse_document("guide-custom-acl.json", &scenario("guide-custom-acl.json"))
        .expect("valid JSON");
    let world = import(&[doc]).expect("imports");
    let region = world.region("us-east-1").expect("region");
    let flow = Flow {
        source: Source::Internet("198.51.100.7".parse().expect("ip")),
        destination: "54.210.1.10".parse().expect("ip"),
        transport: Transport::Tcp {
            src_port: 50000,
            dst_port: 443,
        },
    };
    let trace = region.trace(&flow);
    assert!(trace.blocked_by.is_none(), "{trace}");
}

#[test]
fn bad_input_is_named_by_file_and_path() {
    check_error("{", expect!["bad.json: line 1, column 1: this is not valid JSON: EOF while parsing an object at line 1 column 1"]);
    check_error("[]", expect!["bad.json: $: a scenario file must hold one JSON object, such as the output of aws ec2 describe-vpcs"]);
    check_error(
        r#"{"Vpcs": {}}"#,
        expect!["bad.json: $.Vpcs: expected a list, found an object"],
    );
    check_error(
        r#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/33"}]}"#,
        expect!["bad.json: $.Vpcs[0].CidrBlock: '10.0.0.0/33' is not an IPv4 CIDR block"],
    );
    check_error(
        r#"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-9", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-east-1a"}]}"#,
        expect!["bad.json: $.Subnets[0].VpcId: vpc-9 is not in the scenario (add the output of aws ec2 describe-vpcs)"],
    );
    check_error(
        r#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}], "NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "Entries": [{"RuleNumber": 100, "Protocol": "6", "RuleAction": "permit", "Egress": false, "CidrBlock": "0.0.0.0/0"}]}]}"#,
        expect!["bad.json: $.NetworkAcls[0].Entries[0].RuleAction: 'permit' is not allow or deny"],
    );
    check_error(
        r#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}], "SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "UserIdGroupPairs": [{"GroupId": "sg-404"}]}]}]}"#,
        expect!["bad.json: $.SecurityGroups[0].IpPermissions[0].UserIdGroupPairs[0].GroupId: sg-404 is not in the scenario (add the output of aws ec2 describe-security-groups)"],
    );
    check_error(
        r#"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "ap-south-1a"}]}"#,
        expect!["bad.json: $: the lab does not simulate the Region ap-south-1"],
    );
}
