//! The inspector's forms refuse bad input with the reason before anything
//! is done (nothing half-applied).

use ec2lab_ui::inspector::{parse_acl_form, parse_rule_form, port_range};
use expect_test::expect;

#[test]
fn bad_input_is_refused_with_the_reason() {
    let cases: Vec<String> = vec![
        format!("{:?}", port_range("80")),
        format!("{:?}", port_range("1024-65535")),
        format!("{:?}", port_range("80-22")),
        format!("{:?}", port_range("70000")),
        format!(
            "{:?}",
            parse_rule_form("tcp", "22", "10.0.0.0/33").map(|r| r.to_string())
        ),
        format!(
            "{:?}",
            parse_rule_form("tcp", "22", "203.0.113.0/24").map(|r| r.to_string())
        ),
        format!(
            "{:?}",
            parse_acl_form("0", false, "tcp", "80", "0.0.0.0/0", false).map(|e| e.to_string())
        ),
        format!(
            "{:?}",
            parse_acl_form("40000", false, "tcp", "80", "0.0.0.0/0", false).map(|e| e.to_string())
        ),
        format!(
            "{:?}",
            parse_acl_form("90", false, "tcp", "80", "198.51.100.7/32", false)
                .map(|e| e.to_string())
        ),
    ];
    expect![[r#"
        Ok((80, 80))
        Ok((1024, 65535))
        Err("The port range is backwards: 80-22")
        Err("'70000' is not a port (0 to 65535)")
        Err("'10.0.0.0/33' is not a CIDR block (like 203.0.113.0/24) or a security group id")
        Ok("tcp 22 203.0.113.0/24")
        Err("Rule numbers are 1 to 32766 (B2): '0' is not one")
        Err("Rule numbers are 1 to 32766 (B2): '40000' is not one")
        Ok("90 deny tcp 80 198.51.100.7/32")"#]]
    .assert_eq(&cases.join("\n"));
}
