//! `ec2lab run` and `ec2lab trace` as the CLI contract in the README
//! describes them: scripts of `aws ec2 …` and `lab …` lines, text or JSON
//! Lines, and exit status 2 only for unusable input.

use std::io::Write as _;
use std::process::{Command, Stdio};

use expect_test::{expect, Expect};

const GUIDE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/scenarios/guide-custom-acl.json"
);

fn ec2lab(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ec2lab"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ec2lab runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write script");
    let output = child.wait_with_output().expect("ec2lab finishes");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn check(args: &[&str], script: &str, expected: Expect) {
    let (status, stdout, stderr) = ec2lab(args, script);
    expected.assert_eq(&format!("exit {status}\n{stdout}{stderr}"));
}

#[test]
fn a_script_fixes_replies_to_a_windows_client_step_by_step() {
    // B5, B6, B10 on imported describe output.
    check(
        &["run", "--scenario", GUIDE, "--script", "-"],
        "# An old Windows client uses source ports 1025-5000.\n\
         lab trace --from internet:198.51.100.7 --to web-1 --protocol tcp --port 443 --src-port 1030\n\
         aws ec2 create-network-acl-entry --network-acl-id acl-0c4d5e6f7a8b90002 --egress --rule-number 150 --protocol 6 --port-range From=1024,To=65535 --cidr-block 0.0.0.0/0 --rule-action allow\n\
         aws ec2 create-network-acl-entry --network-acl-id acl-0c4d5e6f7a8b90002 --egress --rule-number 150 --protocol 6 --port-range From=1024,To=65535 --cidr-block 0.0.0.0/0 --rule-action allow\n\
         lab trace --from internet:198.51.100.7 --to web-1 --protocol tcp --port 443 --src-port 1030\n",
        expect![[r#"
            exit 0
            Trace TCP 198.51.100.7:1030 → 54.210.1.10:443: BLOCKED (reply)
              Request:
                ✓ InternetGateway ingress igw-0a1b2c3d4e5f60001: translates 54.210.1.10 to 10.0.1.10 (1:1 NAT, C3)
                ✓ NetworkAcl ingress acl-0c4d5e6f7a8b90002: allowed by rule 110 (110 allow tcp 443 0.0.0.0/0) for TCP 198.51.100.7:1030 → 10.0.1.10:443
                ✓ SecurityGroup ingress sg-0f9e8d7c6b5a40001: allowed by sg-0f9e8d7c6b5a40001 rule "tcp 443 0.0.0.0/0"
              Reply:
                ✓ SecurityGroup egress sg-0f9e8d7c6b5a40001: allowed by sg-0f9e8d7c6b5a40001 rule "-1 all 0.0.0.0/0"
                ✓ RouteTable rtb-0a1b2c3d4e5f60001: route 0.0.0.0/0 → igw-0a1b2c3d4e5f60001 for 198.51.100.7
                ✗ NetworkAcl egress acl-0c4d5e6f7a8b90002: denied by rule * (* deny -1 all 0.0.0.0/0) for TCP 10.0.1.10:443 → 198.51.100.7:1030
              Connection tracking: untracked (A13)
              Why: The reply (TCP 10.0.1.10:443 → 198.51.100.7:1030) is dropped by network ACL acl-0c4d5e6f7a8b90002 (outbound): no numbered rule matches, so the * rule denies it (B4). Network ACLs are stateless (B5): the reply is judged by the outbound rules on the client's ephemeral port 1030, not the service port; allow the ephemeral range (1024-65535 covers every client, B6).
              Fix: Add outbound rule 150 allow tcp 1024-65535 198.51.100.7/32 to network ACL acl-0c4d5e6f7a8b90002, before the rule that denies it.
                   aws ec2 create-network-acl-entry --network-acl-id acl-0c4d5e6f7a8b90002 --egress --rule-number 150 --protocol 6 --rule-action allow --cidr-block 198.51.100.7/32 --port-range From=1024,To=65535
            An error occurred (NetworkAclEntryAlreadyExists) when calling the CreateNetworkAclEntry operation: The network acl entry identified by 150 already exists.
            Trace TCP 198.51.100.7:1030 → 54.210.1.10:443: ALLOWED
              Request:
                ✓ InternetGateway ingress igw-0a1b2c3d4e5f60001: translates 54.210.1.10 to 10.0.1.10 (1:1 NAT, C3)
                ✓ NetworkAcl ingress acl-0c4d5e6f7a8b90002: allowed by rule 110 (110 allow tcp 443 0.0.0.0/0) for TCP 198.51.100.7:1030 → 10.0.1.10:443
                ✓ SecurityGroup ingress sg-0f9e8d7c6b5a40001: allowed by sg-0f9e8d7c6b5a40001 rule "tcp 443 0.0.0.0/0"
              Reply:
                ✓ SecurityGroup egress sg-0f9e8d7c6b5a40001: allowed by sg-0f9e8d7c6b5a40001 rule "-1 all 0.0.0.0/0"
                ✓ RouteTable rtb-0a1b2c3d4e5f60001: route 0.0.0.0/0 → igw-0a1b2c3d4e5f60001 for 198.51.100.7
                ✓ NetworkAcl egress acl-0c4d5e6f7a8b90002: allowed by rule 150 (150 allow tcp 1024-65535 0.0.0.0/0) for TCP 10.0.1.10:443 → 198.51.100.7:1030
                ✓ InternetGateway egress igw-0a1b2c3d4e5f60001: translates 10.0.1.10 to 54.210.1.10 (1:1 NAT, C3)
              Connection tracking: untracked (A13)
              Why: Delivered both ways. The request is allowed in by security group sg-0f9e8d7c6b5a40001 (web) rule "tcp 443 0.0.0.0/0". Network ACLs are stateless (B5): the reply needed its own rule, and acl-0c4d5e6f7a8b90002 rule 150 allows it. The destination's security groups do not track this flow (A13): removing the rule that allows it would cut it at once, not only for new connections.
        "#]],
    );
}

#[test]
fn json_lines_follow_the_contract() {
    check(
        &["run", "--scenario", GUIDE, "--script", "-", "--json"],
        "lab trace --from internet:198.51.100.7 --to 54.210.1.10 --protocol tcp --port 139\n\
         aws ec2 delete-security-group --group-id sg-0123456789abcdef0\n\
         aws ec2 create-security-group --group-name db --description 'database tier' --vpc-id vpc-0a1b2c3d4e5f60001\n",
        expect![[r#"
            exit 0
            {"blocked_by":{"component":"NetworkAcl","direction":"ingress","phase":"request","resource":"acl-0c4d5e6f7a8b90002","rule":32767},"connection_refused":null,"explanation":"The request (TCP 198.51.100.7:49152 → 10.0.1.10:139) is dropped by network ACL acl-0c4d5e6f7a8b90002 (inbound): no numbered rule matches, so the * rule denies it (B4). One change is not enough: after \"Add inbound rule 150 allow tcp 139 198.51.100.7/32 to network ACL acl-0c4d5e6f7a8b90002, before the rule that denies it\", SecurityGroup sg-0f9e8d7c6b5a40001 would still stop the request.","explanation_code":"SUBNET_ACL_RESTRICTION","fix":null,"hops":[{"component":"InternetGateway","detail":"translates 54.210.1.10 to 10.0.1.10 (1:1 NAT, C3)","direction":"ingress","packet":"TCP 198.51.100.7:49152 → 10.0.1.10:139","phase":"request","resource":"igw-0a1b2c3d4e5f60001","rule":null,"verdict":"allow"},{"component":"NetworkAcl","detail":"* deny -1 all 0.0.0.0/0","direction":"ingress","packet":"TCP 198.51.100.7:49152 → 10.0.1.10:139","phase":"request","resource":"acl-0c4d5e6f7a8b90002","rule":32767,"verdict":"deny"}],"page":null,"reply_delivered":null,"request_delivered":false,"service":null,"tracked":null}
            {"Error":{"Code":"InvalidGroup.NotFound","Message":"The security group 'sg-0123456789abcdef0' does not exist"}}
            {"GroupId":"sg-01045a7fb10b3fc77","SecurityGroupArn":"arn:aws:ec2:us-east-1:123456789012:security-group/sg-01045a7fb10b3fc77"}
        "#]],
    );
}

#[test]
fn security_group_commands_answer_in_aws_shapes() {
    check(
        &["run", "--script", "-"],
        "aws ec2 describe-security-groups --filters Name=group-name,Values=db-sg\n\
         aws ec2 authorize-security-group-ingress --group-name nope --protocol tcp --port 22 --cidr 0.0.0.0/0\n",
        expect![[r#"
            exit 0
            {
                "SecurityGroups": [
                    {
                        "Description": "MySQL from the web tier",
                        "GroupId": "sg-0345940bbf6128d02",
                        "GroupName": "db-sg",
                        "IpPermissions": [
                            {
                                "FromPort": 3306,
                                "IpProtocol": "tcp",
                                "IpRanges": [],
                                "Ipv6Ranges": [],
                                "PrefixListIds": [],
                                "ToPort": 3306,
                                "UserIdGroupPairs": [
                                    {
                                        "GroupId": "sg-0555c95dd130af3af",
                                        "UserId": "123456789012"
                                    }
                                ]
                            }
                        ],
                        "IpPermissionsEgress": [
                            {
                                "IpProtocol": "-1",
                                "IpRanges": [
                                    {
                                        "CidrIp": "0.0.0.0/0"
                                    }
                                ],
                                "Ipv6Ranges": [],
                                "PrefixListIds": [],
                                "UserIdGroupPairs": []
                            }
                        ],
                        "OwnerId": "123456789012",
                        "SecurityGroupArn": "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0345940bbf6128d02",
                        "Tags": [
                            {
                                "Key": "Name",
                                "Value": "db-sg"
                            }
                        ],
                        "VpcId": "vpc-01045a7fb10b3fc77"
                    }
                ]
            }
            An error occurred (InvalidGroup.NotFound) when calling the AuthorizeSecurityGroupIngress operation: The security group 'nope' does not exist in default VPC
        "#]],
    );
}

#[test]
fn the_one_shot_trace_form() {
    check(
        &[
            "trace",
            "--from",
            "web-1",
            "--to",
            "db-1",
            "--protocol",
            "tcp",
            "--port",
            "22",
        ],
        "",
        expect![[r#"
        exit 0
        Trace TCP 10.0.1.4:49152 → 10.0.2.4:22: BLOCKED (request)
          Request:
            ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "-1 all 0.0.0.0/0"
            ✓ RouteTable rtb-0c3d400a3b428cbc1: route 10.0.0.0/16 → local for 10.0.2.4
            ✓ NetworkAcl egress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.1.4:49152 → 10.0.2.4:22
            ✓ NetworkAcl ingress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.1.4:49152 → 10.0.2.4:22
            ✗ SecurityGroup ingress sg-0345940bbf6128d02: no rule allows TCP 10.0.1.4:49152 → 10.0.2.4:22
          Why: The request (TCP 10.0.1.4:49152 → 10.0.2.4:22) is dropped by the security groups sg-0345940bbf6128d02 (inbound): no rule allows it, and security groups only allow (A1). Add an inbound rule for it.
          Fix: Add an inbound rule "tcp 22 10.0.1.4/32" to security group sg-0345940bbf6128d02 (db-sg).
               aws ec2 authorize-security-group-ingress --group-id sg-0345940bbf6128d02 --ip-permissions IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=10.0.1.4/32}]
    "#]],
    );
}

#[test]
fn unusable_input_exits_2_naming_the_file_and_line_after_printing_what_ran() {
    check(
        &["run", "--script", "-"],
        "lab trace --from web-1 --to db-1 --protocol icmp\n\
         lab trace --from web-1 --to db-1 --protocol tcp\n\
         lab trace --from web-1 --to db-1 --protocol tcp --port 80\n",
        expect![[r#"
            exit 2
            Trace ICMP type 8 code 0 10.0.1.4 → 10.0.2.4: BLOCKED (request)
              Request:
                ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "-1 all 0.0.0.0/0"
                ✓ RouteTable rtb-0c3d400a3b428cbc1: route 10.0.0.0/16 → local for 10.0.2.4
                ✓ NetworkAcl egress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for ICMP type 8 code 0 10.0.1.4 → 10.0.2.4
                ✓ NetworkAcl ingress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for ICMP type 8 code 0 10.0.1.4 → 10.0.2.4
                ✗ SecurityGroup ingress sg-0345940bbf6128d02: no rule allows ICMP type 8 code 0 10.0.1.4 → 10.0.2.4
              Why: The request (ICMP type 8 code 0 10.0.1.4 → 10.0.2.4) is dropped by the security groups sg-0345940bbf6128d02 (inbound): no rule allows it, and security groups only allow (A1). Add an inbound rule for it.
              Fix: Add an inbound rule "icmp type 8 code 0 10.0.1.4/32" to security group sg-0345940bbf6128d02 (db-sg).
                   aws ec2 authorize-security-group-ingress --group-id sg-0345940bbf6128d02 --ip-permissions IpProtocol=icmp,FromPort=8,ToPort=0,IpRanges=[{CidrIp=10.0.1.4/32}]
            ec2lab: <stdin>:2: --port is required for tcp
        "#]],
    );
    check(&["run", "--script", "-"], "aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions 'IpProtocol=tcp,FromPort=22'x=[\n", expect![[r#"
        exit 2
        ec2lab: <stdin>:1: aws ec2 authorize-security-group-ingress: --ip-permissions: column 28: expected ',' or the end of the value after 'FromPort=22x'; to put '=' in a value, quote the value
    "#]]);
    check(
        &["run", "--script", "-"],
        "ssh web-1\n",
        expect![[r#"
        exit 2
        ec2lab: <stdin>:1: 'ssh' is not a command: a line starts with 'aws' or 'lab' ('#' starts a comment)
    "#]],
    );
}

#[test]
fn a_scenario_directory_merges_its_files() {
    let dir = std::env::temp_dir().join(format!("ec2lab-scenario-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let guide: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(GUIDE).expect("guide")).expect("json");
    for key in [
        "Vpcs",
        "Subnets",
        "InternetGateways",
        "RouteTables",
        "NetworkAcls",
        "SecurityGroups",
        "Reservations",
    ] {
        let file = serde_json::json!({ key: guide[key] });
        std::fs::write(dir.join(format!("{key}.json")), file.to_string()).expect("write");
    }
    let path = dir.display().to_string();
    let (status, stdout, stderr) = ec2lab(
        &[
            "trace",
            "--scenario",
            &path,
            "--from",
            "internet:192.0.2.10",
            "--to",
            "web-1",
            "--protocol",
            "tcp",
            "--port",
            "22",
            "--json",
        ],
        "",
    );
    std::fs::remove_dir_all(&dir).expect("clean up");
    assert_eq!(status, 0, "{stderr}");
    let trace: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    assert_eq!(trace["request_delivered"], true);
    assert_eq!(trace["reply_delivered"], true);
}

#[test]
fn ipv6_traffic_is_judged_only_by_ipv6_rules() {
    // B2 (the default ACL's IPv6 rules, filled in), B8 / A10 (an IPv4 rule
    // never matches IPv6), C3 (IPv6 needs no NAT through the gateway).
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/scenarios/ipv6-web.json"
    );
    check(
        &["run", "--scenario", scenario, "--script", "-"],
        "lab trace --from internet:2001:db8::5 --to 2600:1f18:aaaa:bb01::20 --protocol tcp --port 443\n\
         lab trace --from internet:2001:db8::5 --to 2600:1f18:aaaa:bb01::20 --protocol tcp --port 22\n\
         lab trace --from internet:198.51.100.7 --to web6 --protocol tcp --port 22\n",
        expect![[r#"
            exit 0
            Trace TCP [2001:db8::5]:49152 → [2600:1f18:aaaa:bb01::20]:443: ALLOWED
              Request:
                ✓ InternetGateway ingress igw-06e00000000000601: passes 2600:1f18:aaaa:bb01::20 unchanged: IPv6 addresses are globally unique, no NAT (C3)
                ✓ NetworkAcl ingress acl-06e00000000000601: allowed by rule 101 (101 allow -1 all ::/0) for TCP [2001:db8::5]:49152 → [2600:1f18:aaaa:bb01::20]:443
                ✓ SecurityGroup ingress sg-06e00000000000601: allowed by sg-06e00000000000601 rule "tcp 443 ::/0"
              Reply:
                ✓ SecurityGroup egress sg-06e00000000000601: allowed by sg-06e00000000000601 rule "-1 all ::/0"
                ✓ RouteTable rtb-06e00000000000601: route ::/0 → igw-06e00000000000601 for 2001:db8::5
                ✓ NetworkAcl egress acl-06e00000000000601: allowed by rule 101 (101 allow -1 all ::/0) for TCP [2600:1f18:aaaa:bb01::20]:443 → [2001:db8::5]:49152
                ✓ InternetGateway egress igw-06e00000000000601: passes 2600:1f18:aaaa:bb01::20 unchanged: IPv6 addresses are globally unique, no NAT (C3)
              Connection tracking: untracked (A13)
              Why: Delivered both ways. The request is allowed in by security group sg-06e00000000000601 (web6) rule "tcp 443 ::/0". Network ACLs are stateless (B5): the reply needed its own rule, and acl-06e00000000000601 rule 101 allows it. The destination's security groups do not track this flow (A13): removing the rule that allows it would cut it at once, not only for new connections.
            Trace TCP [2001:db8::5]:49152 → [2600:1f18:aaaa:bb01::20]:22: BLOCKED (request)
              Request:
                ✓ InternetGateway ingress igw-06e00000000000601: passes 2600:1f18:aaaa:bb01::20 unchanged: IPv6 addresses are globally unique, no NAT (C3)
                ✓ NetworkAcl ingress acl-06e00000000000601: allowed by rule 101 (101 allow -1 all ::/0) for TCP [2001:db8::5]:49152 → [2600:1f18:aaaa:bb01::20]:22
                ✗ SecurityGroup ingress sg-06e00000000000601: no rule allows TCP [2001:db8::5]:49152 → [2600:1f18:aaaa:bb01::20]:22
              Why: The request (TCP [2001:db8::5]:49152 → [2600:1f18:aaaa:bb01::20]:22) is dropped by the security groups sg-06e00000000000601 (inbound): no rule allows it, and security groups only allow (A1). Add an inbound rule for it.
              Fix: Add an inbound rule "tcp 22 2001:db8::5/128" to security group sg-06e00000000000601 (web6).
                   aws ec2 authorize-security-group-ingress --group-id sg-06e00000000000601 --ip-permissions IpProtocol=tcp,FromPort=22,ToPort=22,Ipv6Ranges=[{CidrIpv6=2001:db8::5/128}]
            Trace TCP 198.51.100.7:49152 → 10.6.1.20:22: BLOCKED (request)
              Request:
                ✗ NoPublicIpv4 eni-06e00000000000601: 10.6.1.20 is the private address of eni-06e00000000000601, which the internet cannot reach: only a public IPv4 address (auto-assigned or Elastic) is reachable through the internet gateway (C3)
              Why: The request (TCP 198.51.100.7:49152 → 10.6.1.20:22) is stopped at NoPublicIpv4 eni-06e00000000000601: 10.6.1.20 is the private address of eni-06e00000000000601, which the internet cannot reach: only a public IPv4 address (auto-assigned or Elastic) is reachable through the internet gateway (C3).
        "#]],
    );
}

#[test]
fn a_rule_given_in_a_non_canonical_form_is_the_same_rule() {
    // A7: 100.68.0.18/18 is stored as 100.68.0.0/18, so adding it again is a duplicate.
    check(
        &["run", "--script", "-", "--json"],
        "aws ec2 authorize-security-group-ingress --group-id sg-0555c95dd130af3af --protocol tcp --port 5432 --cidr 100.68.0.18/18\n\
         aws ec2 authorize-security-group-ingress --group-id sg-0555c95dd130af3af --ip-permissions IpProtocol=tcp,FromPort=5432,ToPort=5432,IpRanges=[{CidrIp=100.68.0.0/18}]\n",
        expect![[r#"
            exit 0
            {"Return":true,"SecurityGroupRules":[{"CidrIpv4":"100.68.0.0/18","FromPort":5432,"GroupId":"sg-0555c95dd130af3af","GroupOwnerId":"123456789012","IpProtocol":"tcp","IsEgress":false,"ToPort":5432}]}
            {"Error":{"Code":"InvalidPermission.Duplicate","Message":"the specified rule \"peer: 100.68.0.0/18, tcp 5432 100.68.0.0/18\" already exists"}}
        "#]],
    );
}

#[test]
fn query_and_output_print_what_the_aws_cli_prints() {
    // Text: a list of scalars is one tab-separated line. Table: a
    // multiselect hash's keys are the sorted column headers under the
    // operation's name. An empty response (CreateNetworkAclEntry) prints
    // nothing, and a bad --query is unusable input naming the column.
    check(
        &["run", "--script", "-"],
        "aws ec2 describe-vpcs --query 'Vpcs[].CidrBlock' --output text\n\
         aws ec2 describe-subnets --query 'Subnets[].{ID:SubnetId,AZ:AvailabilityZone}' --output table\n\
         aws ec2 describe-subnets --query 'Subnets[?AvailabilityZone==`us-east-1a`].SubnetId | sort(@) | [0]'\n\
         aws ec2 describe-vpcs --query 'Vpcs[0].{Cidr:CidrBlock,Tags:Tags}' --output yaml\n\
         aws ec2 create-network-acl-entry --network-acl-id acl-0eaf2359b6e6a290b --ingress --rule-number 300 --protocol 6 --port-range From=22,To=22 --cidr-block 192.0.2.0/24 --rule-action allow\n\
         aws ec2 describe-vpcs --query 'Vpcs[0'\n",
        expect![[r#"
            exit 2
            10.0.0.0/16
            --------------------------------------------
            |              DescribeSubnets             |
            +-------------+----------------------------+
            |     AZ      |            ID              |
            +-------------+----------------------------+
            |  us-east-1b |  subnet-07f25d30fd491ab90  |
            |  us-east-1a |  subnet-0a09258fcf2eafa92  |
            |  us-east-1a |  subnet-0dee21ba09fd7951f  |
            |  us-east-1b |  subnet-0e1f35406dcfacc32  |
            +-------------+----------------------------+
            "subnet-0a09258fcf2eafa92"
            Cidr: 10.0.0.0/16
            Tags:
            - Key: Name
              Value: lab-vpc
            ec2lab: <stdin>:6: Bad value for --query Vpcs[0: Parse error at column 6: Expected ':', or ']', found the end of the expression
        "#]],
    );
    // In JSON Lines mode each line is the queried value.
    check(
        &["run", "--script", "-", "--json"],
        "aws ec2 describe-vpcs --query 'Vpcs[].CidrBlock' --output text\n\
         aws ec2 describe-subnets --query 'length(Subnets[?MapPublicIpOnLaunch])'\n\
         aws ec2 describe-subnets --query 'Subnets[].{ID:SubnetId,AZ:AvailabilityZone} | [0]' --output table\n",
        expect![[r#"
            exit 0
            ["10.0.0.0/16"]
            2
            {"AZ":"us-east-1b","ID":"subnet-07f25d30fd491ab90"}
        "#]],
    );
}

#[test]
fn efs_errors_print_like_other_aws_errors_and_dns_names_resolve_per_zone() {
    // J3: EFS's own errors; a file system's DNS name resolves to the mount
    // target in the client's Availability Zone, and not at all without one.
    check(
        &["run", "--script", "-"],
        "aws efs create-file-system --creation-token shared --query FileSystemId --output text\n\
         aws efs create-mount-target --file-system-id fs-02df81733515eb05a --subnet-id subnet-0a09258fcf2eafa92\n\
         lab advance --seconds 5\n\
         aws efs create-mount-target --file-system-id fs-02df81733515eb05a --subnet-id subnet-0a09258fcf2eafa92 --query IpAddress\n\
         aws efs delete-file-system --file-system-id fs-02df81733515eb05a\n\
         lab trace --from web-1 --to fs-02df81733515eb05a.efs.us-east-1.amazonaws.com --protocol tcp --port 2049\n\
         lab trace --from web-2 --to fs-02df81733515eb05a.efs.us-east-1.amazonaws.com --protocol tcp --port 2049\n",
        expect![[r#"
            exit 2
            fs-02df81733515eb05a
            An error occurred (IncorrectFileSystemLifeCycleState) when calling the CreateMountTarget operation: File system 'fs-02df81733515eb05a' is creating: mount targets can be created once it is available.
            {
                "Clock": 65
            }
            "10.0.2.5"
            An error occurred (FileSystemInUse) when calling the DeleteFileSystem operation: File system 'fs-02df81733515eb05a' has mount targets (fsmt-0874c7980c34e481f); delete them first (aws efs delete-mount-target).
            Trace TCP 10.0.1.4:49152 → 10.0.2.5:2049: BLOCKED (request)
              Request:
                ✓ SecurityGroup egress sg-0555c95dd130af3af: allowed by sg-0555c95dd130af3af rule "-1 all 0.0.0.0/0"
                ✓ RouteTable rtb-0c3d400a3b428cbc1: route 10.0.0.0/16 → local for 10.0.2.5
                ✓ NetworkAcl egress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.1.4:49152 → 10.0.2.5:2049
                ✓ NetworkAcl ingress acl-0eaf2359b6e6a290b: allowed by rule 100 (100 allow -1 all 0.0.0.0/0) for TCP 10.0.1.4:49152 → 10.0.2.5:2049
                ✗ SecurityGroup ingress sg-0935cb6af174e8421: no rule allows TCP 10.0.1.4:49152 → 10.0.2.5:2049
              Why: The request (TCP 10.0.1.4:49152 → 10.0.2.5:2049) is dropped by the security groups sg-0935cb6af174e8421 (inbound): no rule allows it, and security groups only allow (A1). Add an inbound rule for it.
              Fix: Add an inbound rule "tcp 2049 10.0.1.4/32" to security group sg-0935cb6af174e8421 (default).
                   aws ec2 authorize-security-group-ingress --group-id sg-0935cb6af174e8421 --ip-permissions IpProtocol=tcp,FromPort=2049,ToPort=2049,IpRanges=[{CidrIp=10.0.1.4/32}]
            ec2lab: <stdin>:7: --to fs-02df81733515eb05a.efs.us-east-1.amazonaws.com does not resolve from us-east-1b: fs-02df81733515eb05a has no mount target in us-east-1b (its DNS name resolves to the mount target in the client's own Availability Zone; create one there, or use a mount target's IP address)
        "#]],
    );
}
