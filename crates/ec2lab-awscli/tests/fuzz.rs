//! Feeds thousands of generated strings to the parsers and checks that each
//! one returns a result, never panics, and points at a column inside the text.
//!
//! The strings are generated deterministically: every string of up to three
//! characters from a small alphabet, strings from a linear congruential
//! generator, and one-character changes to realistic commands.

use ec2lab_awscli::{
    build_request, parse_call, parse_shorthand, parse_value, split_words, Operation, Shape,
    SyntaxError,
};

/// Characters that matter to the parsers, and a few that do not.
const ALPHABET: [char; 22] = [
    'a', 'Z', '1', '=', ',', '[', ']', '{', '}', '\'', '"', '\\', ' ', '#', '-', ':', '/', 'é',
    '☃', '\t', '$', '\n',
];

/// A small operation with one member of each shape.
fn operation() -> Operation {
    Operation {
        name: "authorize-security-group-ingress",
        input: vec![
            ("GroupId", Shape::String),
            ("FromPort", Shape::Integer),
            ("Size", Shape::Long),
            ("DryRun", Shape::Boolean),
            ("Tags", Shape::Map(Box::new(Shape::String))),
            (
                "IpPermissions",
                Shape::List(Box::new(Shape::Structure(vec![
                    ("IpProtocol", Shape::String),
                    ("FromPort", Shape::Integer),
                    (
                        "IpRanges",
                        Shape::List(Box::new(Shape::Structure(vec![("CidrIp", Shape::String)]))),
                    ),
                ]))),
            ),
        ],
        required: &["GroupId"],
    }
}

/// Checks that a syntax error points at a column inside the text, or just
/// after its end, and has a message.
fn check_error(text: &str, result: Result<impl Sized, SyntaxError>) {
    if let Err(error) = result {
        let last = text.chars().count() + 1;
        assert!(
            (1..=last).contains(&error.column),
            "column {} is outside 1..={last} for {text:?}: {error}",
            error.column
        );
        assert!(!error.message.is_empty(), "empty message for {text:?}");
    }
}

/// Runs every parser on the text.
fn exercise(text: &str, op: &Operation) {
    check_error(text, split_words(text));
    check_error(text, parse_shorthand(text));
    check_error(text, parse_value(text));
    let line = format!("aws ec2 authorize-security-group-ingress --ip-permissions {text}");
    if let Ok(words) = split_words(&line) {
        if let Ok(call) = parse_call(&words) {
            if let Err(error) = build_request(&call, op) {
                assert!(!error.message.is_empty(), "empty message for {line:?}");
            }
        }
    }
}

#[test]
fn short_strings() {
    let op = operation();
    let mut count = 0;
    let mut text = String::new();
    exercise(&text, &op);
    for a in ALPHABET {
        for b in ALPHABET {
            for c in ALPHABET {
                text.clear();
                text.extend([a, b, c]);
                exercise(&text, &op);
                text.clear();
                text.extend([a, b]);
                exercise(&text, &op);
                count += 1;
            }
        }
        exercise(&a.to_string(), &op);
    }
    assert_eq!(count, 22 * 22 * 22);
}

#[test]
fn generated_strings() {
    let op = operation();
    // A linear congruential generator with the constants from Knuth's MMIX.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap_or(0)
    };
    for _ in 0..4000 {
        let length = 4 + next() % 40;
        let text: String = (0..length)
            .map(|_| {
                ALPHABET
                    .get(next() % ALPHABET.len())
                    .copied()
                    .unwrap_or('a')
            })
            .collect();
        exercise(&text, &op);
    }
}

#[test]
fn changed_commands() {
    let op = operation();
    let commands = [
        r#"IpProtocol=tcp,FromPort=22,IpRanges=[{CidrIp=203.0.113.0/24},{CidrIp='::/0'}]"#,
        r#"[{"IpProtocol":"tcp","FromPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]"#,
        r#"--group-id sg-1 --tags Name="a, b",Team=x --dry-run false --size 10"#,
    ];
    for command in commands {
        let chars: Vec<char> = command.chars().collect();
        for position in 0..chars.len() {
            // Cut the text short here.
            let cut: String = chars.iter().take(position).collect();
            exercise(&cut, &op);
            // Replace this character with each character of the alphabet.
            for replacement in ALPHABET {
                let mut changed = chars.clone();
                if let Some(slot) = changed.get_mut(position) {
                    *slot = replacement;
                }
                exercise(&changed.iter().collect::<String>(), &op);
            }
        }
    }
}
