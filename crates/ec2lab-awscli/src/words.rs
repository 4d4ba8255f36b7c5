//! Splitting one command line into words, the way a POSIX shell does.
//!
//! Only the quoting rules matter here: there are no variables, globs, pipes or
//! command substitutions, so `$` and `*` are ordinary characters.

use crate::error::SyntaxError;

/// Splits one line into words the way a POSIX shell does.
///
/// - Words are separated by unquoted spaces, tabs and line breaks.
/// - Single quotes keep everything up to the next single quote literally.
/// - Double quotes keep everything up to the next unescaped double quote; inside
///   them a backslash escapes only `"`, `\`, `$` and `` ` ``, and any other
///   backslash is kept.
/// - Outside quotes a backslash escapes the next character.
/// - Quoted and unquoted pieces with nothing between them join into one word,
///   so `a'b c'd` is the single word `ab cd`, and `''` is an empty word.
/// - An unquoted `#` at the start of a word begins a comment that runs to the
///   end of the line.
///
/// ```
/// use ec2lab_awscli::split_words;
///
/// let words = split_words(r#"aws ec2 describe-vpcs --filters "Name=tag:Name,Values=my vpc""#);
/// assert_eq!(
///     words.ok(),
///     Some(vec![
///         "aws".to_string(),
///         "ec2".to_string(),
///         "describe-vpcs".to_string(),
///         "--filters".to_string(),
///         "Name=tag:Name,Values=my vpc".to_string(),
///     ])
/// );
/// ```
///
/// # Errors
///
/// A quote that is never closed, or a backslash at the very end of the line,
/// is a [`SyntaxError`] at the column of that quote or backslash.
pub fn split_words(line: &str) -> Result<Vec<String>, SyntaxError> {
    let chars: Vec<char> = line.chars().collect();
    let mut words = Vec::new();
    // `None` means no word has started yet; `Some("")` is an empty word that
    // has started, for example after `''`.
    let mut word: Option<String> = None;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if let Some(done) = word.take() {
                    words.push(done);
                }
                i += 1;
            }
            '#' if word.is_none() => break,
            '\\' => match chars.get(i + 1) {
                None => {
                    return Err(SyntaxError::new(
                        i + 1,
                        "a backslash at the end of the line has nothing to escape",
                    ));
                }
                // A backslash before a line break joins the two lines.
                Some('\n') => i += 2,
                Some(&escaped) => {
                    word.get_or_insert_with(String::new).push(escaped);
                    i += 2;
                }
            },
            '\'' => {
                let text = word.get_or_insert_with(String::new);
                i = read_single_quoted(&chars, i, text)?;
            }
            '"' => {
                let text = word.get_or_insert_with(String::new);
                i = read_double_quoted(&chars, i, text)?;
            }
            _ => {
                word.get_or_insert_with(String::new).push(c);
                i += 1;
            }
        }
    }
    if let Some(done) = word {
        words.push(done);
    }
    Ok(words)
}

/// Reads a single-quoted piece that opens at `open`, appends its contents to
/// `text`, and returns the index just after the closing quote.
fn read_single_quoted(
    chars: &[char],
    open: usize,
    text: &mut String,
) -> Result<usize, SyntaxError> {
    let mut i = open + 1;
    loop {
        match chars.get(i) {
            None => return Err(unclosed_quote(open)),
            Some('\'') => return Ok(i + 1),
            Some(&c) => text.push(c),
        }
        i += 1;
    }
}

/// Reads a double-quoted piece that opens at `open`, appends its contents to
/// `text`, and returns the index just after the closing quote.
fn read_double_quoted(
    chars: &[char],
    open: usize,
    text: &mut String,
) -> Result<usize, SyntaxError> {
    let mut i = open + 1;
    loop {
        match chars.get(i) {
            None => return Err(unclosed_quote(open)),
            Some('"') => return Ok(i + 1),
            Some('\\') => match chars.get(i + 1) {
                Some(&escaped @ ('"' | '\\' | '$' | '`')) => {
                    text.push(escaped);
                    i += 2;
                }
                _ => {
                    text.push('\\');
                    i += 1;
                }
            },
            Some(&c) => {
                text.push(c);
                i += 1;
            }
        }
    }
}

/// Whether a line ends inside a quote, so a script's next line continues
/// it (as in a shell, where a quoted user-data script spans lines).
pub fn is_unfinished(line: &str) -> bool {
    matches!(split_words(line), Err(e) if e.message == UNCLOSED_QUOTE)
}

const UNCLOSED_QUOTE: &str = "the quote opened here is never closed";

/// The error for a quote at index `open` that is never closed.
pub(crate) fn unclosed_quote(open: usize) -> SyntaxError {
    SyntaxError::new(open + 1, UNCLOSED_QUOTE)
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::split_words;

    /// Prints each word in brackets, or the error.
    fn check(line: &str, expected: Expect) {
        let actual = match split_words(line) {
            Ok(words) => words
                .iter()
                .map(|word| format!("[{word}]"))
                .collect::<Vec<_>>()
                .join(" "),
            Err(error) => format!("error: {error}"),
        };
        expected.assert_eq(&actual);
    }

    #[test]
    fn plain_words() {
        check("", expect![[""]]);
        check("   ", expect![[""]]);
        check(
            "aws ec2 describe-vpcs",
            expect![["[aws] [ec2] [describe-vpcs]"]],
        );
        check("  aws \t ec2  ", expect![["[aws] [ec2]"]]);
        check("a\nb\r\nc", expect![["[a] [b] [c]"]]);
        check("$HOME *.txt `x`", expect![["[$HOME] [*.txt] [`x`]"]]);
        check("héllo wörld ☃", expect![["[héllo] [wörld] [☃]"]]);
    }

    #[test]
    fn single_quotes() {
        check("'a b'", expect![["[a b]"]]);
        check(r"'a\b'", expect![[r"[a\b]"]]);
        check(r#"'say "hi"'"#, expect![[r#"[say "hi"]"#]]);
        check("''", expect![["[]"]]);
        check("a '' b", expect![["[a] [] [b]"]]);
        check("Description='it''s'", expect![["[Description=its]"]]);
        check(r"'it'\''s'", expect![["[it's]"]]);
        check("'# not a comment'", expect![["[# not a comment]"]]);
    }

    #[test]
    fn double_quotes() {
        check(r#""a b""#, expect![["[a b]"]]);
        check(r#""""#, expect![["[]"]]);
        check(r#""say \"hi\"""#, expect![[r#"[say "hi"]"#]]);
        check(r#""a\\b""#, expect![[r"[a\b]"]]);
        check(r#""\$HOME \`x\`""#, expect![["[$HOME `x`]"]]);
        check(r#""C:\temp\n""#, expect![[r"[C:\temp\n]"]]);
        check(r#""it's""#, expect![["[it's]"]]);
        check(
            r#"--cli-input-json "{\"GroupId\":\"sg-1\"}""#,
            expect![[r#"[--cli-input-json] [{"GroupId":"sg-1"}]"#]],
        );
    }

    #[test]
    fn backslashes_outside_quotes() {
        check(r"a\ b", expect![["[a b]"]]);
        check(r"\'", expect![["[']"]]);
        check(r#"\""#, expect![[r#"["]"#]]);
        check(r"\\", expect![[r"[\]"]]);
        check(r"\#x", expect![["[#x]"]]);
        check("a\\\nb", expect![["[ab]"]]);
    }

    #[test]
    fn joined_pieces() {
        check("a'b c'd", expect![["[ab cd]"]]);
        check(r#"a"b c"d"#, expect![["[ab cd]"]]);
        check(r#"'a'"b"c"#, expect![["[abc]"]]);
        check(
            r#"IpRanges=[{CidrIp=203.0.113.0/24,Description="SSH from office"}]"#,
            expect![["[IpRanges=[{CidrIp=203.0.113.0/24,Description=SSH from office}]]"]],
        );
    }

    #[test]
    fn comments() {
        check("# just a comment", expect![[""]]);
        check("aws ec2 # describe-vpcs", expect![["[aws] [ec2]"]]);
        check("aws#not-a-comment", expect![["[aws#not-a-comment]"]]);
        check("''#", expect![["[#]"]]);
        check("a #'unclosed", expect![["[a]"]]);
    }

    #[test]
    fn errors() {
        check(
            "aws ec2 'describe",
            expect![["error: column 9: the quote opened here is never closed"]],
        );
        check(
            r#"--description "SSH from office"#,
            expect![["error: column 15: the quote opened here is never closed"]],
        );
        check(
            r#""ends with \""#,
            expect![["error: column 1: the quote opened here is never closed"]],
        );
        check(
            r"aws ec2 \",
            expect![["error: column 9: a backslash at the end of the line has nothing to escape"]],
        );
        check(
            "☃ 'x",
            expect![["error: column 3: the quote opened here is never closed"]],
        );
    }
}
