//! `--query` and `--output` print what AWS CLI v2 prints. The expected text
//! comes from the AWS CLI User Guide's own examples where it has them
//! ("Setting the output format", "Filtering output"), and otherwise is the
//! AWS CLI's formatters' output for the same response.

use ec2lab_api::{apply_query, render, OutputFormat};
use expect_test::{expect, Expect};
use serde_json::Value;

/// The two volumes of the User Guide's `--output table` examples.
const VOLUMES: &str = r#"{"Volumes": [
    {"AvailabilityZone": "us-west-2a", "Attachments": [{"AttachTime": "2013-09-17T00:55:03.000Z", "InstanceId": "i-a071c394", "VolumeId": "vol-e11a5288", "State": "attached", "DeleteOnTermination": true, "Device": "/dev/sda1"}], "VolumeType": "standard", "VolumeId": "vol-e11a5288", "State": "in-use", "SnapshotId": "snap-f23ec1c8", "CreateTime": "2013-09-17T00:55:03.000Z", "Size": 30},
    {"AvailabilityZone": "us-west-2a", "Attachments": [{"AttachTime": "2013-09-18T20:26:16.000Z", "InstanceId": "i-4b41a37c", "VolumeId": "vol-2e410a47", "State": "attached", "DeleteOnTermination": true, "Device": "/dev/sda1"}], "VolumeType": "standard", "VolumeId": "vol-2e410a47", "State": "in-use", "SnapshotId": "snap-708e8348", "CreateTime": "2013-09-18T20:26:15.000Z", "Size": 8}
]}"#;

/// The User Guide's `list-users` response.
const USERS: &str = r#"{"Users": [
    {"Path": "/", "UserName": "Admin", "UserId": "AIDA1111111111EXAMPLE", "Arn": "arn:aws:iam::123456789012:user/Admin", "CreateDate": "2014-10-16T16:03:09+00:00", "PasswordLastUsed": "2016-06-03T18:37:29+00:00"},
    {"Path": "/backup/", "UserName": "backup-user", "UserId": "AIDA2222222222EXAMPLE", "Arn": "arn:aws:iam::123456789012:user/backup/backup-user", "CreateDate": "2019-09-17T19:30:40+00:00"},
    {"Path": "/", "UserName": "cli-user", "UserId": "AIDA3333333333EXAMPLE", "Arn": "arn:aws:iam::123456789012:user/cli-user", "CreateDate": "2019-09-17T19:11:39+00:00"}
]}"#;

/// The five instances of the User Guide's `--output text` example, in two
/// reservations.
const INSTANCES: &str = r#"{"Reservations": [
    {"ReservationId": "r-1a2b3c4d", "OwnerId": "123456789012", "Groups": [], "Instances": [
        {"InstanceId": "i-4b41a37c", "Placement": {"AvailabilityZone": "us-west-2a"}, "State": {"Code": 16, "Name": "running"}},
        {"InstanceId": "i-a071c394", "Placement": {"AvailabilityZone": "us-west-2a"}, "State": {"Code": 80, "Name": "stopped"}},
        {"InstanceId": "i-97a217a0", "Placement": {"AvailabilityZone": "us-west-2b"}, "State": {"Code": 80, "Name": "stopped"}}]},
    {"ReservationId": "r-5e6f7a8b", "OwnerId": "123456789012", "Groups": [], "Instances": [
        {"InstanceId": "i-3045b007", "Placement": {"AvailabilityZone": "us-west-2a"}, "State": {"Code": 16, "Name": "running"}},
        {"InstanceId": "i-6fc67758", "Placement": {"AvailabilityZone": "us-west-2a"}, "State": {"Code": 16, "Name": "running"}}]}
]}"#;

/// A describe-instances response as EC2 Lab answers it: one reservation,
/// two instances with tags, security groups and a network interface.
const RESERVATION: &str = r#"{"Reservations": [{"Groups": [], "OwnerId": "123456789012", "ReservationId": "r-0a1b2c3d4e5f60001", "Instances": [
    {"ImageId": "ami-0123456789abcdef0", "InstanceId": "i-0a1b2c3d4e5f60001", "InstanceType": "t3.micro", "PrivateIpAddress": "10.0.1.10", "PublicIpAddress": "54.210.1.10", "SubnetId": "subnet-0a1b2c3d4e5f60001", "VpcId": "vpc-0a1b2c3d4e5f60001",
     "Placement": {"AvailabilityZone": "us-east-1a", "Tenancy": "default"}, "State": {"Code": 16, "Name": "running"},
     "SecurityGroups": [{"GroupId": "sg-0f9e8d7c6b5a40001", "GroupName": "web"}],
     "Tags": [{"Key": "Name", "Value": "web-1"}, {"Key": "Role", "Value": "web"}]},
    {"ImageId": "ami-0123456789abcdef0", "InstanceId": "i-0a1b2c3d4e5f60002", "InstanceType": "t3.small", "PrivateIpAddress": "10.0.2.20", "SubnetId": "subnet-0a1b2c3d4e5f60002", "VpcId": "vpc-0a1b2c3d4e5f60001",
     "Placement": {"AvailabilityZone": "us-east-1b", "Tenancy": "default"}, "State": {"Code": 80, "Name": "stopped"},
     "SecurityGroups": [{"GroupId": "sg-0f9e8d7c6b5a40002", "GroupName": "db"}],
     "Tags": [{"Key": "Name", "Value": "db-1"}]}
]}]}"#;

fn doc(text: &str) -> Value {
    serde_json::from_str(text).expect("test document is JSON")
}

/// Applies `query` (if any) to `response` and prints it as `aws … --output`.
fn check(response: &str, query: Option<&str>, output: &str, operation: &str, expected: Expect) {
    let response = doc(response);
    let value = match query {
        Some(query) => apply_query(query, &response).expect("query is valid"),
        None => response,
    };
    let format = OutputFormat::parse(output).expect("known output format");
    expected.assert_eq(&render(&value, format, operation));
}

fn query_error(query: &str) -> String {
    apply_query(query, &doc(VOLUMES)).expect_err("query is rejected")
}

#[test]
fn user_guide_table_of_a_multiselect_hash_orders_columns_by_name() {
    check(
        VOLUMES,
        Some("Volumes[*].{ID:VolumeId,InstanceId:Attachments[0].InstanceId,AZ:AvailabilityZone,Size:Size}"),
        "table",
        "DescribeVolumes",
        expect![[r#"
            ------------------------------------------------------
            |                   DescribeVolumes                  |
            +------------+----------------+--------------+-------+
            |     AZ     |      ID        | InstanceId   | Size  |
            +------------+----------------+--------------+-------+
            |  us-west-2a|  vol-e11a5288  |  i-a071c394  |  30   |
            |  us-west-2a|  vol-2e410a47  |  i-4b41a37c  |  8    |
            +------------+----------------+--------------+-------+
        "#]],
    );
}

#[test]
fn user_guide_table_of_a_multiselect_list_keeps_the_listed_order() {
    check(
        VOLUMES,
        Some("Volumes[*].[VolumeId,Attachments[0].InstanceId,AvailabilityZone,Size]"),
        "table",
        "DescribeVolumes",
        expect![[r#"
            ----------------------------------------------------
            |                  DescribeVolumes                 |
            +--------------+--------------+--------------+-----+
            |  vol-e11a5288|  i-a071c394  |  us-west-2a  |  30 |
            |  vol-2e410a47|  i-4b41a37c  |  us-west-2a  |  8  |
            +--------------+--------------+--------------+-----+
        "#]],
    );
}

#[test]
fn user_guide_text_puts_each_instance_on_its_own_line() {
    check(
        INSTANCES,
        Some("Reservations[*].Instances[*].[Placement.AvailabilityZone, State.Name, InstanceId]"),
        "text",
        "DescribeInstances",
        expect![[r#"
            us-west-2a	running	i-4b41a37c
            us-west-2a	stopped	i-a071c394
            us-west-2b	stopped	i-97a217a0
            us-west-2a	running	i-3045b007
            us-west-2a	running	i-6fc67758
        "#]],
    );
}

#[test]
fn user_guide_text_sorts_columns_and_leaves_a_missing_field_empty() {
    check(
        USERS,
        None,
        "text",
        "ListUsers",
        expect![[r#"
            USERS	arn:aws:iam::123456789012:user/Admin	2014-10-16T16:03:09+00:00	2016-06-03T18:37:29+00:00	/	AIDA1111111111EXAMPLE	Admin
            USERS	arn:aws:iam::123456789012:user/backup/backup-user	2019-09-17T19:30:40+00:00		/backup/	AIDA2222222222EXAMPLE	backup-user
            USERS	arn:aws:iam::123456789012:user/cli-user	2019-09-17T19:11:39+00:00		/	AIDA3333333333EXAMPLE	cli-user
        "#]],
    );
    // With a multiselect list the columns are in the listed order, and a
    // key that is not there prints as None.
    check(
        USERS,
        Some("Users[*].[UserName,Arn,CreateDate,PasswordLastUsed,UserId]"),
        "text",
        "ListUsers",
        expect![[r#"
            Admin	arn:aws:iam::123456789012:user/Admin	2014-10-16T16:03:09+00:00	2016-06-03T18:37:29+00:00	AIDA1111111111EXAMPLE
            backup-user	arn:aws:iam::123456789012:user/backup/backup-user	2019-09-17T19:30:40+00:00	None	AIDA2222222222EXAMPLE
            cli-user	arn:aws:iam::123456789012:user/cli-user	2019-09-17T19:11:39+00:00	None	AIDA3333333333EXAMPLE
        "#]],
    );
}

#[test]
fn user_guide_text_tip_brackets_put_each_value_on_its_own_line() {
    check(
        USERS,
        Some("Users[].UserName"),
        "text",
        "ListUsers",
        expect![[r#"
            Admin	backup-user	cli-user
        "#]],
    );
    check(
        USERS,
        Some("Users[].[UserName]"),
        "text",
        "ListUsers",
        expect![[r#"
            Admin
            backup-user
            cli-user
        "#]],
    );
}

#[test]
fn user_guide_yaml_sorts_keys_and_quotes_timestamps() {
    check(
        USERS,
        None,
        "yaml",
        "ListUsers",
        expect![[r#"
            Users:
            - Arn: arn:aws:iam::123456789012:user/Admin
              CreateDate: '2014-10-16T16:03:09+00:00'
              PasswordLastUsed: '2016-06-03T18:37:29+00:00'
              Path: /
              UserId: AIDA1111111111EXAMPLE
              UserName: Admin
            - Arn: arn:aws:iam::123456789012:user/backup/backup-user
              CreateDate: '2019-09-17T19:30:40+00:00'
              Path: /backup/
              UserId: AIDA2222222222EXAMPLE
              UserName: backup-user
            - Arn: arn:aws:iam::123456789012:user/cli-user
              CreateDate: '2019-09-17T19:11:39+00:00'
              Path: /
              UserId: AIDA3333333333EXAMPLE
              UserName: cli-user
        "#]],
    );
    check(
        USERS,
        Some("{IsTruncated: `false`, Users: Users[:1]}"),
        "yaml-stream",
        "ListUsers",
        expect![[r#"
            - IsTruncated: false
              Users:
              - Arn: arn:aws:iam::123456789012:user/Admin
                CreateDate: '2014-10-16T16:03:09+00:00'
                PasswordLastUsed: '2016-06-03T18:37:29+00:00'
                Path: /
                UserId: AIDA1111111111EXAMPLE
                UserName: Admin
        "#]],
    );
}

#[test]
fn user_guide_filter_examples_select_and_count() {
    check(
        VOLUMES,
        Some("Volumes[*].Attachments[].State"),
        "json",
        "DescribeVolumes",
        expect![[r#"
            [
                "attached",
                "attached"
            ]
        "#]],
    );
    check(
        VOLUMES,
        Some("Volumes[?Size < `20`].VolumeId"),
        "json",
        "DescribeVolumes",
        expect![[r#"
            [
                "vol-2e410a47"
            ]
        "#]],
    );
    // A string result prints as a JSON string, quotes and all.
    check(
        VOLUMES,
        Some("Volumes[*].Attachments[].InstanceId | [0]"),
        "json",
        "DescribeVolumes",
        expect![[r#"
            "i-a071c394"
        "#]],
    );
    check(
        VOLUMES,
        Some("sort_by(Volumes, &VolumeId)[].VolumeId"),
        "text",
        "DescribeVolumes",
        expect![[r#"
            vol-2e410a47	vol-e11a5288
        "#]],
    );
    check(
        VOLUMES,
        Some("length(Volumes[?Size > `10`])"),
        "json",
        "DescribeVolumes",
        expect![[r#"
            1
        "#]],
    );
}

#[test]
fn functions_keep_integers_integers_as_python_does() {
    check(
        VOLUMES,
        Some("[sum(Volumes[].Size), abs(`-3`), ceil(`7.2`), floor(`7.8`), max_by(Volumes, &Size).Size, avg(Volumes[].Size)]"),
        "text",
        "DescribeVolumes",
        expect![[r#"
            38	3	8	7	30	19.0
        "#]],
    );
    check(
        VOLUMES,
        Some("join(', ', Volumes[].VolumeId)"),
        "text",
        "DescribeVolumes",
        expect![[r#"
            vol-e11a5288, vol-2e410a47
        "#]],
    );
}

#[test]
fn a_backtick_literal_that_is_not_json_is_a_string_as_in_the_aws_cli() {
    // The User Guide still writes `[?ServiceName==`com.amazonaws.us-east-1.ecs`]`.
    check(
        VOLUMES,
        Some("Volumes[?State==`in-use`].VolumeId"),
        "text",
        "DescribeVolumes",
        expect![[r#"
            vol-e11a5288	vol-2e410a47
        "#]],
    );
    check(
        VOLUMES,
        Some("length(Volumes[?Attachments[0].Device==`  /dev/sda1`])"),
        "json",
        "DescribeVolumes",
        expect![[r#"
            2
        "#]],
    );
    // Backticks inside a raw string are the string's own.
    check(
        VOLUMES,
        Some("Volumes[?VolumeId=='vol-`x`'] | length(@)"),
        "json",
        "DescribeVolumes",
        expect![[r#"
            0
        "#]],
    );
}

#[test]
fn text_of_a_whole_response_nests_records_under_upper_case_keys() {
    check(
        RESERVATION,
        None,
        "text",
        "DescribeInstances",
        expect![[r#"
            RESERVATIONS	123456789012	r-0a1b2c3d4e5f60001
            INSTANCES	ami-0123456789abcdef0	i-0a1b2c3d4e5f60001	t3.micro	10.0.1.10	54.210.1.10	subnet-0a1b2c3d4e5f60001	vpc-0a1b2c3d4e5f60001
            PLACEMENT	us-east-1a	default
            SECURITYGROUPS	sg-0f9e8d7c6b5a40001	web
            STATE	16	running
            TAGS	Name	web-1
            TAGS	Role	web
            INSTANCES	ami-0123456789abcdef0	i-0a1b2c3d4e5f60002	t3.small	10.0.2.20		subnet-0a1b2c3d4e5f60002	vpc-0a1b2c3d4e5f60001
            PLACEMENT	us-east-1b	default
            SECURITYGROUPS	sg-0f9e8d7c6b5a40002	db
            STATE	80	stopped
            TAGS	Name	db-1
        "#]],
    );
}

#[test]
fn text_prints_none_true_and_false_as_python_does() {
    check(
        r#"{"Vpcs": [{"VpcId": "vpc-1", "IsDefault": false, "Ipv6": null, "Values": ["a", "b"]}], "Ok": true}"#,
        None,
        "text",
        "DescribeVpcs",
        expect![[r#"
            True
            VPCS	None	False	vpc-1
            VALUES	a
            VALUES	b
        "#]],
    );
}

#[test]
fn table_of_a_whole_response_is_turned_to_key_value_rows_when_wider_than_80() {
    check(
        RESERVATION,
        None,
        "table",
        "DescribeInstances",
        expect![[r#"
            ------------------------------------------------------
            |                  DescribeInstances                 |
            +----------------------------------------------------+
            ||                   Reservations                   ||
            |+--------------------+-----------------------------+|
            ||  OwnerId           |  123456789012               ||
            ||  ReservationId     |  r-0a1b2c3d4e5f60001        ||
            |+--------------------+-----------------------------+|
            |||                    Instances                   |||
            ||+-------------------+----------------------------+||
            |||  ImageId          |  ami-0123456789abcdef0     |||
            |||  InstanceId       |  i-0a1b2c3d4e5f60001       |||
            |||  InstanceType     |  t3.micro                  |||
            |||  PrivateIpAddress |  10.0.1.10                 |||
            |||  PublicIpAddress  |  54.210.1.10               |||
            |||  SubnetId         |  subnet-0a1b2c3d4e5f60001  |||
            |||  VpcId            |  vpc-0a1b2c3d4e5f60001     |||
            ||+-------------------+----------------------------+||
            ||||                   Placement                  ||||
            |||+--------------------------+-------------------+|||
            ||||  AvailabilityZone        |  us-east-1a       ||||
            ||||  Tenancy                 |  default          ||||
            |||+--------------------------+-------------------+|||
            ||||                SecurityGroups                ||||
            |||+---------------+------------------------------+|||
            ||||  GroupId      |  sg-0f9e8d7c6b5a40001        ||||
            ||||  GroupName    |  web                         ||||
            |||+---------------+------------------------------+|||
            ||||                     State                    ||||
            |||+------------------+---------------------------+|||
            ||||  Code            |  16                       ||||
            ||||  Name            |  running                  ||||
            |||+------------------+---------------------------+|||
            ||||                     Tags                     ||||
            |||+---------------------+------------------------+|||
            ||||         Key         |         Value          ||||
            |||+---------------------+------------------------+|||
            ||||  Name               |  web-1                 ||||
            ||||  Role               |  web                   ||||
            |||+---------------------+------------------------+|||
            |||                    Instances                   |||
            ||+-------------------+----------------------------+||
            |||  ImageId          |  ami-0123456789abcdef0     |||
            |||  InstanceId       |  i-0a1b2c3d4e5f60002       |||
            |||  InstanceType     |  t3.small                  |||
            |||  PrivateIpAddress |  10.0.2.20                 |||
            |||  PublicIpAddress  |                            |||
            |||  SubnetId         |  subnet-0a1b2c3d4e5f60002  |||
            |||  VpcId            |  vpc-0a1b2c3d4e5f60001     |||
            ||+-------------------+----------------------------+||
            ||||                   Placement                  ||||
            |||+--------------------------+-------------------+|||
            ||||  AvailabilityZone        |  us-east-1b       ||||
            ||||  Tenancy                 |  default          ||||
            |||+--------------------------+-------------------+|||
            ||||                SecurityGroups                ||||
            |||+---------------+------------------------------+|||
            ||||  GroupId      |  sg-0f9e8d7c6b5a40002        ||||
            ||||  GroupName    |  db                          ||||
            |||+---------------+------------------------------+|||
            ||||                     State                    ||||
            |||+------------------+---------------------------+|||
            ||||  Code            |  80                       ||||
            ||||  Name            |  stopped                  ||||
            |||+------------------+---------------------------+|||
            ||||                     Tags                     ||||
            |||+-----------------------+----------------------+|||
            ||||  Key                  |  Name                ||||
            ||||  Value                |  db-1                ||||
            |||+-----------------------+----------------------+|||
        "#]],
    );
}

#[test]
fn table_of_a_lone_value_prints_only_the_title_and_of_nothing_prints_nothing() {
    check(
        VOLUMES,
        Some("Volumes[0].VolumeId"),
        "table",
        "DescribeVolumes",
        expect![[r#"
            -----------------
            |DescribeVolumes|
            +---------------+
        "#]],
    );
    check(
        VOLUMES,
        Some("Volumes[?Size > `100`]"),
        "table",
        "DescribeVolumes",
        expect![""],
    );
    check(
        VOLUMES,
        Some("Volumes[0].Attachments[0].DeleteOnTermination"),
        "table",
        "DescribeVolumes",
        expect![[r#"
        -----------------
        |DescribeVolumes|
        +---------------+
    "#]],
    );
}

#[test]
fn yaml_quotes_what_would_read_back_as_another_type() {
    check(
        r#"{"IpPermissions": [{"IpProtocol": "-1", "FromPort": 22, "IpRanges": [], "PrefixListIds": [], "Description": "", "Enabled": true, "Note": "it's: quoted", "Ports": "8080", "Cidr": "10.0.0.0/16", "Nothing": null, "Tab": "a\tb"}]}"#,
        None,
        "yaml",
        "DescribeSecurityGroups",
        expect![[r#"
            IpPermissions:
            - Cidr: 10.0.0.0/16
              Description: ''
              Enabled: true
              FromPort: 22
              IpProtocol: '-1'
              IpRanges: []
              Note: 'it''s: quoted'
              Nothing: null
              Ports: '8080'
              PrefixListIds: []
              Tab: "a\tb"
        "#]],
    );
    // A lone plain scalar is an open-ended document: `...` closes it.
    check(
        VOLUMES,
        Some("Volumes[0].VolumeId"),
        "yaml",
        "DescribeVolumes",
        expect![[r#"
        vol-e11a5288
        ...
    "#]],
    );
    check(
        VOLUMES,
        Some("Volumes[0].Size"),
        "yaml-stream",
        "DescribeVolumes",
        expect![[r#"
        - 30
    "#]],
    );
}

#[test]
fn yaml_folds_long_strings_at_a_space_past_column_80() {
    check(
        r#"{"Description": "Allows HTTPS from anywhere and SSH from the office network only, as the security review of March asked"}"#,
        None,
        "yaml",
        "DescribeSecurityGroups",
        expect![[r#"
            Description: Allows HTTPS from anywhere and SSH from the office network only, as the
              security review of March asked
        "#]],
    );
}

#[test]
fn an_empty_response_prints_nothing_except_as_a_yaml_stream() {
    for output in ["json", "text", "table", "yaml"] {
        check("{}", None, output, "CreateNetworkAclEntry", expect![""]);
    }
    check(
        "{}",
        None,
        "yaml-stream",
        "CreateNetworkAclEntry",
        expect![[r#"
        - {}
    "#]],
    );
    // An empty list is not an empty response: JSON prints it.
    check(
        VOLUMES,
        Some("Volumes[?Size > `100`]"),
        "json",
        "DescribeVolumes",
        expect![[r#"
        []
    "#]],
    );
}

#[test]
fn a_bad_query_names_what_is_wrong_and_where() {
    expect![
        "Parse error at column 8: Expected number, ':', or '*', found the end of the expression"
    ]
    .assert_eq(&query_error("Volumes["));
    expect!["Parse error at column 19: Expected ']', found the end of the expression"]
        .assert_eq(&query_error("Volumes[?State=='x'"));
    expect!["Parse error at column 8: Did not parse the complete expression, found \"Size\""]
        .assert_eq(&query_error("Volumes Size"));
    // Columns count the expression as typed, before `in-use` is quoted.
    expect!["Error at column 32: Call to undefined function nope"]
        .assert_eq(&query_error("Volumes[?State==`in-use`] | nope(@)"));
    expect!["Error at column 4: Call to undefined function nope"]
        .assert_eq(&query_error("nope(Volumes)"));
    expect!["Error at column 6: Argument 0 expects type array|object|string, given number"]
        .assert_eq(&query_error("length(`1`)"));
}
