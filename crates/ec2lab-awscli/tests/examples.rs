//! Whole AWS CLI commands, as learners type them, read into EC2 API requests.
//!
//! Each case runs the full pipeline: `split_words`, `parse_call` and
//! `build_request`, against operation descriptions modelled on the EC2 API.

use ec2lab_awscli::{build_request, parse_call, split_words, Operation, Shape};
use expect_test::{expect, Expect};

/// Shorthand for a list shape.
fn list(item: Shape) -> Shape {
    Shape::List(Box::new(item))
}

/// The shape of EC2's `IpPermission` structure.
fn ip_permission() -> Shape {
    Shape::Structure(vec![
        ("IpProtocol", Shape::String),
        ("FromPort", Shape::Integer),
        ("ToPort", Shape::Integer),
        (
            "IpRanges",
            list(Shape::Structure(vec![
                ("CidrIp", Shape::String),
                ("Description", Shape::String),
            ])),
        ),
        (
            "Ipv6Ranges",
            list(Shape::Structure(vec![
                ("CidrIpv6", Shape::String),
                ("Description", Shape::String),
            ])),
        ),
        (
            "UserIdGroupPairs",
            list(Shape::Structure(vec![
                ("GroupId", Shape::String),
                ("Description", Shape::String),
            ])),
        ),
    ])
}

fn authorize_security_group_ingress() -> Operation {
    Operation {
        name: "authorize-security-group-ingress",
        input: vec![
            ("GroupId", Shape::String),
            ("GroupName", Shape::String),
            ("IpPermissions", list(ip_permission())),
            ("DryRun", Shape::Boolean),
        ],
        required: &[],
    }
}

/// `create-network-acl-entry` as the EC2 API defines it, with `Egress`.
fn create_network_acl_entry() -> Operation {
    Operation {
        name: "create-network-acl-entry",
        input: vec![
            ("NetworkAclId", Shape::String),
            ("RuleNumber", Shape::Integer),
            ("Protocol", Shape::String),
            ("RuleAction", Shape::String),
            ("Egress", Shape::Boolean),
            ("CidrBlock", Shape::String),
            ("Ipv6CidrBlock", Shape::String),
            (
                "IcmpTypeCode",
                Shape::Structure(vec![("Code", Shape::Integer), ("Type", Shape::Integer)]),
            ),
            (
                "PortRange",
                Shape::Structure(vec![("From", Shape::Integer), ("To", Shape::Integer)]),
            ),
            ("DryRun", Shape::Boolean),
        ],
        required: &["NetworkAclId", "RuleNumber", "Protocol", "RuleAction"],
    }
}

/// The same operation as a caller describes it to accept the AWS CLI's
/// `--ingress` flag too: it adds an `Ingress` member, and turns
/// `"Ingress": true` into `"Egress": false` itself.
fn create_network_acl_entry_with_ingress() -> Operation {
    let mut op = create_network_acl_entry();
    op.input.push(("Ingress", Shape::Boolean));
    op
}

fn describe_security_groups() -> Operation {
    Operation {
        name: "describe-security-groups",
        input: vec![
            ("GroupIds", list(Shape::String)),
            ("GroupNames", list(Shape::String)),
            (
                "Filters",
                list(Shape::Structure(vec![
                    ("Name", Shape::String),
                    ("Values", list(Shape::String)),
                ])),
            ),
            ("MaxResults", Shape::Integer),
            ("NextToken", Shape::String),
            ("DryRun", Shape::Boolean),
        ],
        required: &[],
    }
}

fn create_security_group() -> Operation {
    Operation {
        name: "create-security-group",
        input: vec![
            ("GroupName", Shape::String),
            ("Description", Shape::String),
            ("VpcId", Shape::String),
            ("DryRun", Shape::Boolean),
        ],
        required: &["GroupName", "Description"],
    }
}

fn run_instances() -> Operation {
    Operation {
        name: "run-instances",
        input: vec![
            ("ImageId", Shape::String),
            ("InstanceType", Shape::String),
            ("MinCount", Shape::Integer),
            ("MaxCount", Shape::Integer),
            ("SecurityGroupIds", list(Shape::String)),
            ("UserData", Shape::String),
            (
                "TagSpecifications",
                list(Shape::Structure(vec![
                    ("ResourceType", Shape::String),
                    (
                        "Tags",
                        list(Shape::Structure(vec![
                            ("Key", Shape::String),
                            ("Value", Shape::String),
                        ])),
                    ),
                ])),
            ),
            ("Labels", Shape::Map(Box::new(Shape::String))),
            ("VolumeSize", Shape::Long),
        ],
        required: &["ImageId", "MinCount", "MaxCount"],
    }
}

/// Runs the line through the whole pipeline and prints the request body as
/// pretty JSON followed by the global options, or the first error.
fn check(line: &str, op: &Operation, expected: Expect) {
    let actual = match split_words(line) {
        Err(error) => format!("syntax error: {error}"),
        Ok(words) => match parse_call(&words).and_then(|call| build_request(&call, op)) {
            Err(error) => format!("error: {error}"),
            Ok(request) => {
                let mut text = serde_json::to_string_pretty(&request.body)
                    .unwrap_or_else(|error| format!("cannot print the body: {error}"));
                for (name, value) in [
                    ("region", &request.region),
                    ("output", &request.output),
                    ("query", &request.query),
                ] {
                    if let Some(value) = value {
                        text.push_str(&format!("\n{name}: {value}"));
                    }
                }
                text
            }
        },
    };
    expected.assert_eq(&actual);
}

#[test]
fn authorize_ingress_with_shorthand() {
    let op = authorize_security_group_ingress();
    check(
        r#"aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 --ip-permissions IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=203.0.113.0/24,Description="SSH from office"}]"#,
        &op,
        expect![[r#"
            {
              "GroupId": "sg-0123456789abcdef0",
              "IpPermissions": [
                {
                  "FromPort": 22,
                  "IpProtocol": "tcp",
                  "IpRanges": [
                    {
                      "CidrIp": "203.0.113.0/24",
                      "Description": "SSH from office"
                    }
                  ],
                  "ToPort": 22
                }
              ]
            }"#]],
    );
    check(
        "aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions \
         IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}],Ipv6Ranges=[{CidrIpv6=::/0}] \
         'IpProtocol=icmp,FromPort=-1,ToPort=-1,UserIdGroupPairs=[{GroupId=sg-2,Description=\"from the, load balancer\"}]'",
        &op,
        expect![[r#"
            {
              "GroupId": "sg-1",
              "IpPermissions": [
                {
                  "FromPort": 443,
                  "IpProtocol": "tcp",
                  "IpRanges": [
                    {
                      "CidrIp": "0.0.0.0/0"
                    }
                  ],
                  "Ipv6Ranges": [
                    {
                      "CidrIpv6": "::/0"
                    }
                  ],
                  "ToPort": 443
                },
                {
                  "FromPort": -1,
                  "IpProtocol": "icmp",
                  "ToPort": -1,
                  "UserIdGroupPairs": [
                    {
                      "Description": "from the, load balancer",
                      "GroupId": "sg-2"
                    }
                  ]
                }
              ]
            }"#]],
    );
    check(
        "aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions 'IpProtocol=tcp, FromPort=80, ToPort=80, IpRanges=[{CidrIp=10.0.0.0/16}, {CidrIp=10.1.0.0/16}]' --dry-run",
        &op,
        expect![[r#"
            {
              "DryRun": true,
              "GroupId": "sg-1",
              "IpPermissions": [
                {
                  "FromPort": 80,
                  "IpProtocol": "tcp",
                  "IpRanges": [
                    {
                      "CidrIp": "10.0.0.0/16"
                    },
                    {
                      "CidrIp": "10.1.0.0/16"
                    }
                  ],
                  "ToPort": 80
                }
              ]
            }"#]],
    );
}

#[test]
fn authorize_ingress_with_json() {
    let op = authorize_security_group_ingress();
    check(
        r#"aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"203.0.113.0/24","Description":"it'\''s the office"}]}]'"#,
        &op,
        expect![[r#"
            {
              "GroupId": "sg-1",
              "IpPermissions": [
                {
                  "FromPort": 22,
                  "IpProtocol": "tcp",
                  "IpRanges": [
                    {
                      "CidrIp": "203.0.113.0/24",
                      "Description": "it's the office"
                    }
                  ],
                  "ToPort": 22
                }
              ]
            }"#]],
    );
    check(
        r#"aws ec2 authorize-security-group-ingress --cli-input-json '{"GroupId":"sg-1","IpPermissions":[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]}'"#,
        &op,
        expect![[r#"
            {
              "GroupId": "sg-1",
              "IpPermissions": [
                {
                  "FromPort": 443,
                  "IpProtocol": "tcp",
                  "IpRanges": [
                    {
                      "CidrIp": "0.0.0.0/0"
                    }
                  ],
                  "ToPort": 443
                }
              ]
            }"#]],
    );
    check(
        r#"aws ec2 authorize-security-group-ingress --group-id sg-override --cli-input-json '{"GroupId":"sg-1","DryRun":true}'"#,
        &op,
        expect![[r#"
            {
              "DryRun": true,
              "GroupId": "sg-override"
            }"#]],
    );
}

#[test]
fn authorize_ingress_errors() {
    let op = authorize_security_group_ingress();
    check(
        "aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions IpProtocol=tcp,FromPort=abc",
        &op,
        expect![[r#"error: IpPermissions[0].FromPort: expected an integer, got "abc""#]],
    );
    check(
        "aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions IpProtocol=tcp,IpRanges=[{Cidr=10.0.0.0/8}]",
        &op,
        expect![["error: IpPermissions[0].IpRanges[0].Cidr: unknown parameter 'Cidr'; expected one of: CidrIp, Description"]],
    );
    check(
        "aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions IpProtocol=tcp,IpRanges=[{CidrIp=10.0.0.0/8}",
        &op,
        expect![["error: --ip-permissions: column 25: this '[' is never closed"]],
    );
    check(
        "aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions IpProtocol=tcp IpProtocol=udp,IpRanges=[CidrIp=10.0.0.0/8]",
        &op,
        expect![["error: --ip-permissions: value 2, column 32: expected ',' or ']' after 'CidrIp'; a structure inside a list needs braces, like [{Key=value,Key2=value2}]"]],
    );
    check(
        "aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions IpProtocol=tcp,IpRanges=[{CidrIp=10.0.0.0/8,Description=SSH from office}]",
        &op,
        expect![["error: --ip-permissions: value 1, column 26: this '{' is never closed; the shell splits an unquoted value at its spaces, so quote a value that contains spaces"]],
    );
    check(
        r#"aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions '[{"IpProtocol": "tcp",}]'"#,
        &op,
        expect![[
            r#"error: --ip-permissions: column 23: not valid JSON: trailing comma; read as shorthand syntax instead, it fails at column 3: expected a member like Key=value here, found '"'"#
        ]],
    );
    check(
        r#"aws ec2 authorize-security-group-ingress --cli-input-json '{"GroupId":"sg-1","IpPermissions":[{"IpProtocol":"tcp","FromPort":"x"}]}'"#,
        &op,
        expect![[r#"error: IpPermissions[0].FromPort: expected an integer, got "x""#]],
    );
    check(
        r#"aws ec2 authorize-security-group-ingress --cli-input-json '{"GroupID":"sg-1"}'"#,
        &op,
        expect![["error: GroupID: unknown parameter 'GroupID'; expected one of: DryRun, GroupId, GroupName, IpPermissions"]],
    );
    check(
        r#"aws ec2 authorize-security-group-ingress --cli-input-json '{"GroupId":"sg-1"'"#,
        &op,
        expect![[
            "error: --cli-input-json: column 17: not valid JSON: EOF while parsing an object"
        ]],
    );
    check(
        r#"aws ec2 authorize-security-group-ingress --cli-input-json '["sg-1"]'"#,
        &op,
        expect![[
            r#"error: --cli-input-json: expected a JSON object like {"GroupId": "sg-1"}, got a list of 1 item"#
        ]],
    );
    check(
        "aws ec2 authorize-security-group-ingress --cli-input-json",
        &op,
        expect![["error: --cli-input-json: expected a value"]],
    );
    check(
        "aws ec2 authorize-security-group-ingress --grup-id sg-1",
        &op,
        expect![["error: unknown option --grup-id for aws ec2 authorize-security-group-ingress; valid options: --dry-run, --group-id, --group-name, --ip-permissions"]],
    );
    check(
        "aws ec2 authorize-security-group-ingress --group-id",
        &op,
        expect![["error: --group-id: expected a value"]],
    );
    check(
        "aws ec2 authorize-security-group-ingress --group-id sg-1 sg-2",
        &op,
        expect![["error: --group-id: expected one value, but got 2: 'sg-1', 'sg-2'; to put spaces in a value, quote the value"]],
    );
    check(
        "aws ec2 authorize-security-group-ingress --ip-permissions",
        &op,
        expect![["error: --ip-permissions: expected at least one value"]],
    );
    check(
        "aws ec2 authorize-security-group-ingress --no-group-id",
        &op,
        expect![["error: unknown option --no-group-id for aws ec2 authorize-security-group-ingress; valid options: --dry-run, --group-id, --group-name, --ip-permissions"]],
    );
    check(
        "aws ec2 authorize-security-group-egress --group-id sg-1",
        &op,
        expect![["error: this command is 'aws ec2 authorize-security-group-egress', but it was checked against the operation 'authorize-security-group-ingress'"]],
    );
    check(
        "aws ec2 authorize-security-group-ingress --group-id 'sg-1",
        &op,
        expect![["syntax error: column 53: the quote opened here is never closed"]],
    );
}

#[test]
fn network_acl_entries() {
    let op = create_network_acl_entry();
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-0123 --egress --rule-number 100 --protocol 6 --port-range From=80,To=80 --cidr-block 0.0.0.0/0 --rule-action allow",
        &op,
        expect![[r#"
            {
              "CidrBlock": "0.0.0.0/0",
              "Egress": true,
              "NetworkAclId": "acl-0123",
              "PortRange": {
                "From": 80,
                "To": 80
              },
              "Protocol": "6",
              "RuleAction": "allow",
              "RuleNumber": 100
            }"#]],
    );
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-0123 --no-egress --rule-number 110 --protocol 1 --icmp-type-code Code=-1,Type=8 --ipv6-cidr-block ::/0 --rule-action deny",
        &op,
        expect![[r#"
            {
              "Egress": false,
              "IcmpTypeCode": {
                "Code": -1,
                "Type": 8
              },
              "Ipv6CidrBlock": "::/0",
              "NetworkAclId": "acl-0123",
              "Protocol": "1",
              "RuleAction": "deny",
              "RuleNumber": 110
            }"#]],
    );
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-1 --egress=false --rule-number 1 --protocol -1 --rule-action allow",
        &op,
        expect![[r#"
            {
              "Egress": false,
              "NetworkAclId": "acl-1",
              "Protocol": "-1",
              "RuleAction": "allow",
              "RuleNumber": 1
            }"#]],
    );
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-1 --egress TRUE --rule-number 1 --protocol -1 --rule-action allow",
        &op,
        expect![[r#"
            {
              "Egress": true,
              "NetworkAclId": "acl-1",
              "Protocol": "-1",
              "RuleAction": "allow",
              "RuleNumber": 1
            }"#]],
    );
    check(
        r#"aws ec2 create-network-acl-entry --network-acl-id acl-1 --rule-number 1 --protocol 6 --rule-action allow --port-range '{"From": 22, "To": 22}'"#,
        &op,
        expect![[r#"
            {
              "NetworkAclId": "acl-1",
              "PortRange": {
                "From": 22,
                "To": 22
              },
              "Protocol": "6",
              "RuleAction": "allow",
              "RuleNumber": 1
            }"#]],
    );
}

#[test]
fn network_acl_ingress_flag() {
    // The operation as the EC2 API defines it has no `--ingress` option.
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-0123 --ingress --rule-number 100 --protocol 6 --port-range From=80,To=80 --cidr-block 0.0.0.0/0 --rule-action allow",
        &create_network_acl_entry(),
        expect![["error: unknown option --ingress for aws ec2 create-network-acl-entry; valid options: --cidr-block, --dry-run, --egress, --icmp-type-code, --ipv6-cidr-block, --network-acl-id, --port-range, --protocol, --rule-action, --rule-number"]],
    );
    // A caller that adds an `Ingress` member gets it as an ordinary flag.
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-0123 --ingress --rule-number 100 --protocol 6 --port-range From=80,To=80 --cidr-block 0.0.0.0/0 --rule-action allow",
        &create_network_acl_entry_with_ingress(),
        expect![[r#"
            {
              "CidrBlock": "0.0.0.0/0",
              "Ingress": true,
              "NetworkAclId": "acl-0123",
              "PortRange": {
                "From": 80,
                "To": 80
              },
              "Protocol": "6",
              "RuleAction": "allow",
              "RuleNumber": 100
            }"#]],
    );
}

#[test]
fn network_acl_errors() {
    let op = create_network_acl_entry();
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-1 --egress --no-egress --rule-number 1 --protocol 6 --rule-action allow",
        &op,
        expect![["error: the options --egress and --no-egress both set Egress; give only one"]],
    );
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-1 --egress maybe --rule-number 1 --protocol 6 --rule-action allow",
        &op,
        expect![[r#"error: Egress: expected true or false, got "maybe""#]],
    );
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-1 --egress true false --rule-number 1 --protocol 6 --rule-action allow",
        &op,
        expect![["error: --egress: expected no value or one of true/false, but got 2 values: 'true', 'false'"]],
    );
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-1 --no-egress false --rule-number 1 --protocol 6 --rule-action allow",
        &op,
        expect![["error: --no-egress: expected no value, but got 'false'"]],
    );
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-1 --rule-number one --protocol 6 --rule-action allow",
        &op,
        expect![[r#"error: RuleNumber: expected an integer, got "one""#]],
    );
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-1 --rule-number 1 --protocol 6 --rule-action allow --port-range 80",
        &op,
        expect![[r#"error: PortRange: expected a structure with members From, To, got "80""#]],
    );
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-1 --rule-number 1 --protocol 6 --rule-action allow --port-range From=80,To=80,Port=80",
        &op,
        expect![["error: PortRange.Port: unknown parameter 'Port'; expected one of: From, To"]],
    );
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-1 --rule-number 1 --protocol 6 --rule-action allow --port-range From=80 To=80",
        &op,
        expect![["error: --port-range: expected one value, but got 2: 'From=80', 'To=80'; to put spaces in a value, quote the value"]],
    );
    check(
        "aws ec2 create-network-acl-entry --network-acl-id acl-1 --protocol 6",
        &op,
        expect![["error: missing required options --rule-number, --rule-action"]],
    );
}

#[test]
fn describe_security_groups_cases() {
    let op = describe_security_groups();
    check(
        "aws ec2 describe-security-groups --group-ids sg-1 sg-2 --region eu-west-1 --output json",
        &op,
        expect![[r#"
            {
              "GroupIds": [
                "sg-1",
                "sg-2"
              ]
            }
            region: eu-west-1
            output: json"#]],
    );
    check("aws ec2 describe-security-groups", &op, expect![["{}"]]);
    check(
        r#"aws ec2 describe-security-groups --group-ids '["sg-1", "sg-2"]'"#,
        &op,
        expect![[r#"
            {
              "GroupIds": [
                "sg-1",
                "sg-2"
              ]
            }"#]],
    );
    check(
        "aws ec2 describe-security-groups --group-ids '[sg-1, sg-2]'",
        &op,
        expect![[r#"
            {
              "GroupIds": [
                "sg-1",
                "sg-2"
              ]
            }"#]],
    );
    check(
        "aws ec2 describe-security-groups --group-ids sg-1,sg-2",
        &op,
        expect![[r#"
            {
              "GroupIds": [
                "sg-1,sg-2"
              ]
            }"#]],
    );
    check(
        "aws ec2 describe-security-groups --group-names 'My web servers' default",
        &op,
        expect![[r#"
            {
              "GroupNames": [
                "My web servers",
                "default"
              ]
            }"#]],
    );
    check(
        "aws ec2 describe-security-groups --filters Name=vpc-id,Values=vpc-1,vpc-2 'Name=tag:Name,Values=web tier'",
        &op,
        expect![[r#"
            {
              "Filters": [
                {
                  "Name": "vpc-id",
                  "Values": [
                    "vpc-1",
                    "vpc-2"
                  ]
                },
                {
                  "Name": "tag:Name",
                  "Values": [
                    "web tier"
                  ]
                }
              ]
            }"#]],
    );
    check(
        r#"aws ec2 describe-security-groups --filters '[{"Name":"group-name","Values":["web","db"]}]' --max-results 5"#,
        &op,
        expect![[r#"
            {
              "Filters": [
                {
                  "Name": "group-name",
                  "Values": [
                    "web",
                    "db"
                  ]
                }
              ],
              "MaxResults": 5
            }"#]],
    );
    check(
        "aws ec2 describe-security-groups --query 'SecurityGroups[].GroupId' --output text --profile lab --no-cli-pager",
        &op,
        expect![[r#"
            {}
            output: text
            query: SecurityGroups[].GroupId"#]],
    );
}

#[test]
fn describe_security_groups_errors() {
    let op = describe_security_groups();
    check(
        "aws ec2 describe-security-groups --output xml",
        &op,
        expect![[
            "error: --output: expected one of json, text, table, yaml, yaml-stream, but got 'xml'"
        ]],
    );
    check(
        "aws ec2 describe-security-groups --region",
        &op,
        expect![["error: --region: expected a value"]],
    );
    check(
        "aws ec2 describe-security-groups --no-cli-pager yes",
        &op,
        expect![["error: --no-cli-pager: expected no value, but got 'yes'"]],
    );
    check(
        "aws ec2 describe-security-groups --max-results five",
        &op,
        expect![[r#"error: MaxResults: expected an integer, got "five""#]],
    );
    check(
        "aws ec2 describe-security-groups --group-ids '[sg-1'",
        &op,
        expect![["error: --group-ids: column 2: not valid JSON: expected value; read as shorthand syntax instead, it fails at column 1: this '[' is never closed"]],
    );
    check(
        "aws ec2 describe-security-groups --filters Name=vpc-id,Values=vpc-1 Name=,Vals=x",
        &op,
        expect![[
            "error: Filters[1].Vals: unknown parameter 'Vals'; expected one of: Name, Values"
        ]],
    );
    check(
        "aws ec2 describe-security-groups --filters Name=vpc-id,Values=vpc-1 'Name=x,Values=[a'",
        &op,
        expect![["error: --filters: value 2, column 15: this '[' is never closed"]],
    );
    check(
        "aws ec2 describe-security-groups --group-ids sg-1 --group-ids sg-2",
        &op,
        expect![["error: the option --group-ids is given twice"]],
    );
    check(
        "aws ec2 describe-security-groups --region eu-west-1 --region us-east-1",
        &op,
        expect![["error: the option --region is given twice"]],
    );
}

#[test]
fn create_security_group_cases() {
    let op = create_security_group();
    check(
        "aws ec2 create-security-group --group-name web --description 'Web servers, port 80 = HTTP' --vpc-id vpc-1",
        &op,
        expect![[r#"
            {
              "Description": "Web servers, port 80 = HTTP",
              "GroupName": "web",
              "VpcId": "vpc-1"
            }"#]],
    );
    check(
        "aws ec2 create-security-group --group-name café --description 'Serveur café ☕'",
        &op,
        expect![[r#"
            {
              "Description": "Serveur café ☕",
              "GroupName": "café"
            }"#]],
    );
    check(
        "aws ec2 create-security-group --group-name web --description Web servers",
        &op,
        expect![["error: --description: expected one value, but got 2: 'Web', 'servers'; to put spaces in a value, quote the value"]],
    );
    check(
        "aws ec2 create-security-group --group-name web",
        &op,
        expect![["error: missing required option --description"]],
    );
    check(
        "aws ec2 create-security-group --vpc-id vpc-1",
        &op,
        expect![["error: missing required options --group-name, --description"]],
    );
    check(
        r#"aws ec2 create-security-group --cli-input-json '{"GroupName":"web"}' --description "from the options""#,
        &op,
        expect![[r#"
            {
              "Description": "from the options",
              "GroupName": "web"
            }"#]],
    );
}

#[test]
fn run_instances_cases() {
    let op = run_instances();
    check(
        "aws ec2 run-instances --image-id ami-0abcdef1234567890 --instance-type t3.micro --min-count 1 --max-count 1 \
         --security-group-ids sg-1 sg-2 --user-data 'IyEvYmluL2Jhc2gKZWNobyBoaQo=' \
         --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=web},{Key=Team,Value=\"blue, green\"}]' \
         --labels Env=lab,Owner=me --volume-size 17179869184",
        &op,
        expect![[r#"
            {
              "ImageId": "ami-0abcdef1234567890",
              "InstanceType": "t3.micro",
              "Labels": {
                "Env": "lab",
                "Owner": "me"
              },
              "MaxCount": 1,
              "MinCount": 1,
              "SecurityGroupIds": [
                "sg-1",
                "sg-2"
              ],
              "TagSpecifications": [
                {
                  "ResourceType": "instance",
                  "Tags": [
                    {
                      "Key": "Name",
                      "Value": "web"
                    },
                    {
                      "Key": "Team",
                      "Value": "blue, green"
                    }
                  ]
                }
              ],
              "UserData": "IyEvYmluL2Jhc2gKZWNobyBoaQo=",
              "VolumeSize": 17179869184
            }"#]],
    );
    check(
        "aws ec2 run-instances --image-id ami-1 --min-count 1 --max-count 1 --user-data '#!/bin/bash
yum install -y httpd'",
        &op,
        expect![[r##"
            {
              "ImageId": "ami-1",
              "MaxCount": 1,
              "MinCount": 1,
              "UserData": "#!/bin/bash\nyum install -y httpd"
            }"##]],
    );
    check(
        "aws ec2 run-instances --image-id ami-1 --min-count 1 --max-count 1 --labels Env",
        &op,
        expect![[r#"error: Labels: expected a structure like Key=value, got "Env""#]],
    );
    check(
        "aws ec2 run-instances --image-id ami-1 --min-count 1 --max-count 1 --tag-specifications ResourceType=instance,Tags=[{Key=Name,Value=web}] ResourceType=volume,Tags={Key=Name,Value=data}",
        &op,
        expect![[r#"
            {
              "ImageId": "ami-1",
              "MaxCount": 1,
              "MinCount": 1,
              "TagSpecifications": [
                {
                  "ResourceType": "instance",
                  "Tags": [
                    {
                      "Key": "Name",
                      "Value": "web"
                    }
                  ]
                },
                {
                  "ResourceType": "volume",
                  "Tags": [
                    {
                      "Key": "Name",
                      "Value": "data"
                    }
                  ]
                }
              ]
            }"#]],
    );
}
