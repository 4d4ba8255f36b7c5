//! The outline of an AWS CLI command: `aws <service> <operation> --option value...`.
//!
//! [`parse_call`] groups the words of a command into the service, the
//! operation and the options with their values, without knowing anything about
//! the operation. Matching the options to request members is
//! [`crate::build_request`]'s job.

use crate::error::InputError;

/// One AWS CLI command, split into its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliCall {
    /// The service, e.g. `ec2` or `efs`.
    pub service: String,
    /// The operation in kebab-case, e.g. `authorize-security-group-ingress`.
    pub operation: String,
    /// The options in the order given: the name without the leading `--`,
    /// and the words that follow it up to the next option.
    pub options: Vec<(String, Vec<String>)>,
}

/// Groups the words of one command into a [`CliCall`].
///
/// The words must be `aws <service> <operation>` followed by options. An option
/// is a word starting with `--`; its values are all the following words up to
/// the next word starting with `--`, so an option may have no value (a flag
/// such as `--dry-run`), one value, or several. As in the AWS CLI, a value
/// cannot itself start with `--`; a value starting with one `-`, such as the
/// port `-1`, is fine. `--name=value` is read as `--name value`.
///
/// ```
/// use ec2lab_awscli::{parse_call, split_words};
///
/// let words = split_words("aws ec2 describe-security-groups --group-ids sg-1 sg-2 --dry-run")?;
/// let call = parse_call(&words)?;
/// assert_eq!(call.operation, "describe-security-groups");
/// assert_eq!(call.options[0], ("group-ids".to_string(), vec!["sg-1".to_string(), "sg-2".to_string()]));
/// assert_eq!(call.options[1], ("dry-run".to_string(), vec![]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// An [`InputError`] with an empty path if the command does not start with
/// `aws`, lacks a service or an operation, has a word that is not an option
/// where an option must be, has an option without a name, or gives an option
/// twice.
pub fn parse_call(words: &[String]) -> Result<CliCall, InputError> {
    let mut rest = words.iter();
    match rest.next() {
        Some(first) if first == "aws" => {}
        Some(first) => {
            return Err(InputError::command(format!(
                "expected a command starting with 'aws', but it starts with '{first}'"
            )));
        }
        None => {
            return Err(InputError::command(
                "expected a command starting with 'aws'",
            ));
        }
    }
    let service = positional(rest.next(), "a service", "aws", "ec2")?;
    let operation = positional(
        rest.next(),
        "an operation",
        &format!("aws {service}"),
        "describe-instances",
    )?;

    let mut options: Vec<(String, Vec<String>)> = Vec::new();
    for word in rest {
        if let Some(name) = word.strip_prefix("--") {
            let (name, inline_value) = match name.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (name, None),
            };
            if name.is_empty() {
                return Err(InputError::command(format!(
                    "'{word}' is missing an option name after '--'"
                )));
            }
            if options.iter().any(|(seen, _)| seen == name) {
                return Err(InputError::command(format!(
                    "the option --{name} is given twice"
                )));
            }
            options.push((name.to_string(), inline_value.into_iter().collect()));
        } else if let Some((_, values)) = options.last_mut() {
            values.push(word.clone());
        } else {
            return Err(InputError::command(format!(
                "unexpected '{word}' after 'aws {service} {operation}'; options start with '--'"
            )));
        }
    }
    Ok(CliCall {
        service,
        operation,
        options,
    })
}

/// Reads the service or the operation: a word that is not an option.
fn positional(
    word: Option<&String>,
    what: &str,
    after: &str,
    example: &str,
) -> Result<String, InputError> {
    match word {
        Some(word) if !word.starts_with('-') && !word.is_empty() => Ok(word.clone()),
        Some(word) => Err(InputError::command(format!(
            "expected {what} after '{after}', e.g. '{after} {example}', but found '{word}'; \
             options go after the operation"
        ))),
        None => Err(InputError::command(format!(
            "expected {what} after '{after}', e.g. '{after} {example}'"
        ))),
    }
}

/// Converts a kebab-case option name to the API's PascalCase member name by
/// capitalising each hyphen-separated part: `group-id` gives `GroupId`,
/// `cidr-ipv6` gives `CidrIpv6`, `ipv6-cidr-block` gives `Ipv6CidrBlock`.
///
/// ```
/// assert_eq!(ec2lab_awscli::member_name("ip-permissions"), "IpPermissions");
/// ```
pub fn member_name(option: &str) -> String {
    let mut name = String::with_capacity(option.len());
    for part in option.split('-') {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            name.extend(first.to_uppercase());
            name.push_str(chars.as_str());
        }
    }
    name
}

/// Converts a PascalCase member name back to its kebab-case option name, the
/// way the AWS CLI does: `GroupId` gives `group-id`, `Ipv6CidrBlock` gives
/// `ipv6-cidr-block`, and a run of capitals stays one word (`VPCId` gives
/// `vpc-id`).
///
/// ```
/// assert_eq!(ec2lab_awscli::option_name("CidrIpv6"), "cidr-ipv6");
/// ```
pub fn option_name(member: &str) -> String {
    let chars: Vec<char> = member.chars().collect();
    let mut name = String::with_capacity(member.len() + 4);
    for (index, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && index > 0 {
            let previous = chars.get(index - 1).copied().unwrap_or(c);
            let next_is_lower = chars.get(index + 1).is_some_and(|n| n.is_lowercase());
            let starts_word = previous.is_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_uppercase() && next_is_lower);
            if starts_word {
                name.push('-');
            }
        }
        name.extend(c.to_lowercase());
    }
    name
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::{member_name, option_name, parse_call};
    use crate::split_words;

    /// Splits the line, parses the call and prints each part, or the error.
    fn check(line: &str, expected: Expect) {
        let actual = match split_words(line) {
            Err(error) => format!("syntax error: {error}"),
            Ok(words) => match parse_call(&words) {
                Err(error) => format!("error: {error}"),
                Ok(call) => {
                    let mut text = format!("{} {}", call.service, call.operation);
                    for (name, values) in &call.options {
                        text.push_str(&format!("\n--{name} {values:?}"));
                    }
                    text
                }
            },
        };
        expected.assert_eq(&actual);
    }

    #[test]
    fn calls() {
        check("aws ec2 describe-vpcs", expect![["ec2 describe-vpcs"]]);
        check(
            "aws efs describe-file-systems",
            expect![["efs describe-file-systems"]],
        );
        check(
            "aws ec2 create-security-group --group-name web --description 'Web servers' --vpc-id vpc-1",
            expect![[r#"
                ec2 create-security-group
                --group-name ["web"]
                --description ["Web servers"]
                --vpc-id ["vpc-1"]"#]],
        );
        check(
            "aws ec2 revoke-security-group-egress --group-id sg-1 --ip-permissions IpProtocol=tcp,FromPort=1 IpProtocol=udp,FromPort=2 --dry-run",
            expect![[r#"
                ec2 revoke-security-group-egress
                --group-id ["sg-1"]
                --ip-permissions ["IpProtocol=tcp,FromPort=1", "IpProtocol=udp,FromPort=2"]
                --dry-run []"#]],
        );
        check(
            "aws ec2 authorize-security-group-ingress --protocol icmp --port -1",
            expect![[r#"
                ec2 authorize-security-group-ingress
                --protocol ["icmp"]
                --port ["-1"]"#]],
        );
        check(
            "aws ec2 describe-vpcs --vpc-ids=vpc-1 vpc-2 --max-results=",
            expect![[r#"
                ec2 describe-vpcs
                --vpc-ids ["vpc-1", "vpc-2"]
                --max-results [""]"#]],
        );
        check(
            "aws ec2 run-instances --user-data ''",
            expect![[r#"
            ec2 run-instances
            --user-data [""]"#]],
        );
    }

    #[test]
    fn errors() {
        check(
            "",
            expect![["error: expected a command starting with 'aws'"]],
        );
        check(
            "# only a comment",
            expect![["error: expected a command starting with 'aws'"]],
        );
        check(
            "ec2 describe-vpcs",
            expect![["error: expected a command starting with 'aws', but it starts with 'ec2'"]],
        );
        check(
            "AWS ec2 describe-vpcs",
            expect![["error: expected a command starting with 'aws', but it starts with 'AWS'"]],
        );
        check(
            "aws",
            expect![["error: expected a service after 'aws', e.g. 'aws ec2'"]],
        );
        check(
            "aws ec2",
            expect![[
                "error: expected an operation after 'aws ec2', e.g. 'aws ec2 describe-instances'"
            ]],
        );
        check("aws --region eu-west-1 ec2 describe-vpcs", expect![[
            "error: expected a service after 'aws', e.g. 'aws ec2', but found '--region'; options go after the operation"
        ]]);
        check("aws ec2 --dry-run describe-vpcs", expect![[
            "error: expected an operation after 'aws ec2', e.g. 'aws ec2 describe-instances', but found '--dry-run'; options go after the operation"
        ]]);
        check(
            "aws ec2 describe-vpcs vpc-1",
            expect![[
                "error: unexpected 'vpc-1' after 'aws ec2 describe-vpcs'; options start with '--'"
            ]],
        );
        check(
            "aws ec2 describe-vpcs -- vpc-1",
            expect![["error: '--' is missing an option name after '--'"]],
        );
        check(
            "aws ec2 describe-vpcs --=x",
            expect![["error: '--=x' is missing an option name after '--'"]],
        );
        check(
            "aws ec2 delete-vpc --vpc-id vpc-1 --vpc-id vpc-2",
            expect![["error: the option --vpc-id is given twice"]],
        );
        check(
            "aws ec2 'describe-vpcs",
            expect![["syntax error: column 9: the quote opened here is never closed"]],
        );
    }

    #[test]
    fn member_names() {
        let names = [
            "group-id",
            "ip-permissions",
            "cidr-ipv6",
            "ipv6-cidr-block",
            "icmp-type-code",
            "vpc-id",
            "dry-run",
            "user-data",
            "a",
            "",
            "double--hyphen",
            "élan-vital",
        ];
        let actual: Vec<String> = names
            .iter()
            .map(|name| format!("{name} -> {}", member_name(name)))
            .collect();
        expect![[r#"
            group-id -> GroupId
            ip-permissions -> IpPermissions
            cidr-ipv6 -> CidrIpv6
            ipv6-cidr-block -> Ipv6CidrBlock
            icmp-type-code -> IcmpTypeCode
            vpc-id -> VpcId
            dry-run -> DryRun
            user-data -> UserData
            a -> A
             -> 
            double--hyphen -> DoubleHyphen
            élan-vital -> ÉlanVital"#]]
        .assert_eq(&actual.join("\n"));
    }

    #[test]
    fn option_names() {
        let members = [
            "GroupId",
            "IpPermissions",
            "CidrIpv6",
            "Ipv6CidrBlock",
            "IcmpTypeCode",
            "VpcId",
            "DryRun",
            "VPCId",
            "DBInstanceId",
            "A",
            "",
        ];
        let actual: Vec<String> = members
            .iter()
            .map(|member| format!("{member} -> {}", option_name(member)))
            .collect();
        expect![[r#"
            GroupId -> group-id
            IpPermissions -> ip-permissions
            CidrIpv6 -> cidr-ipv6
            Ipv6CidrBlock -> ipv6-cidr-block
            IcmpTypeCode -> icmp-type-code
            VpcId -> vpc-id
            DryRun -> dry-run
            VPCId -> vpc-id
            DBInstanceId -> db-instance-id
            A -> a
             -> "#]]
        .assert_eq(&actual.join("\n"));
    }
}

#[cfg(test)]
mod camel_case_tests {
    use crate::{build_request, option_name, parse_call, split_words, Operation, Shape};

    /// Services such as Image Builder name members in camelCase; options
    /// map to them as to EC2's PascalCase members.
    #[test]
    fn camel_case_members_take_kebab_case_options() {
        assert_eq!(option_name("semanticVersion"), "semantic-version");
        assert_eq!(
            option_name("imageBuildVersionArn"),
            "image-build-version-arn"
        );
        assert_eq!(option_name("componentArn"), "component-arn");
        let op = Operation {
            name: "create-image-recipe",
            input: vec![
                ("name", Shape::String),
                ("semanticVersion", Shape::String),
                (
                    "components",
                    Shape::List(Box::new(Shape::Structure(vec![(
                        "componentArn",
                        Shape::String,
                    )]))),
                ),
            ],
            required: &["name", "semanticVersion"],
        };
        let line = "aws imagebuilder create-image-recipe --name r --semantic-version 1.0.0 --components componentArn=arn:aws:imagebuilder:us-east-1:123456789012:component/c/1.0.0/1";
        let words = split_words(line).expect("words");
        let request = build_request(&parse_call(&words).expect("call"), &op).expect("request");
        assert_eq!(
            request.body.to_string(),
            r#"{"components":[{"componentArn":"arn:aws:imagebuilder:us-east-1:123456789012:component/c/1.0.0/1"}],"name":"r","semanticVersion":"1.0.0"}"#
        );
        let words = split_words("aws imagebuilder create-image-recipe --name r").expect("words");
        let error = build_request(&parse_call(&words).expect("call"), &op).expect_err("missing");
        assert!(error.to_string().contains("--semantic-version"), "{error}");
    }
}
