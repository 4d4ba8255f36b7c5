//! The AWS CLI v2 shorthand syntax, and JSON, for one parameter value.
//!
//! Shorthand is the compact form learners type most:
//! `IpProtocol=tcp,FromPort=22,IpRanges=[{CidrIp=203.0.113.0/24}]`. It has no
//! types, so every scalar comes out as a JSON string; [`crate::coerce`] turns
//! them into numbers and booleans later, when the expected shape is known.

use serde_json::{Map, Value};

use crate::error::SyntaxError;
use crate::words::unclosed_quote;

/// Longest piece of the input quoted back in an error message, in characters.
const SNIPPET_LIMIT: usize = 40;

/// How deeply lists and structures may nest. The parser calls itself for each
/// level, so a limit keeps absurd input such as ten thousand `[` from
/// exhausting the stack.
const MAX_DEPTH: usize = 100;

/// Parses one parameter value written in the AWS CLI v2 shorthand syntax.
///
/// Every scalar becomes a JSON string. The forms are:
///
/// - a structure: `Key1=value1,Key2=value2` gives `{"Key1":"value1","Key2":"value2"}`;
/// - a list of scalars: `a,b,c` gives `["a","b","c"]`, and a plain `a` gives `"a"`;
/// - an explicit list: `Key=[a,b]`, or `Key=[]` for an empty one;
/// - a nested structure: `Key={A=1,B=2}`;
/// - a list of structures: `IpRanges=[{CidrIp=10.0.0.0/16},{CidrIp=::/0}]`;
/// - a member followed by values without `=` takes them all as a list, as in the
///   AWS CLI: `Name=vpc-id,Values=vpc-1,vpc-2` gives `Values` the list
///   `["vpc-1","vpc-2"]`;
/// - an empty value: `Key=` gives `""`.
///
/// Values may contain characters like `/ : . - * @`, and spaces between
/// words, as in the AWS CLI: `Description=SSH from office` is one value.
/// Whitespace around separators is ignored. To include any of `, = [ ] { }`,
/// or leading or trailing spaces, quote the value with single or double
/// quotes, as in `Description="a, b"`; inside the quotes a backslash escapes
/// the quote character or another backslash. Quoted and unquoted pieces with
/// nothing but spaces between them join into one value, as in `Key=ab'c,d'e`,
/// which gives `abc,de`.
///
/// ```
/// use ec2lab_awscli::parse_shorthand;
///
/// let value = parse_shorthand("IpProtocol=tcp,FromPort=22,IpRanges=[{CidrIp=::/0}]");
/// assert_eq!(
///     value.ok().map(|v| v.to_string()),
///     Some(r#"{"FromPort":"22","IpProtocol":"tcp","IpRanges":[{"CidrIp":"::/0"}]}"#.to_string())
/// );
/// ```
///
/// # Errors
///
/// Text that is not valid shorthand is a [`SyntaxError`] at the column where
/// the problem starts: an unclosed or unmatched bracket or quote, an empty
/// member name, a member given twice, unexpected text after a value, or
/// lists and structures nested more than 100 levels deep.
pub fn parse_shorthand(text: &str) -> Result<Value, SyntaxError> {
    Parser::new(text).document()
}

/// Parses one structured parameter value the way the AWS CLI does: as JSON if
/// it looks like JSON, otherwise as shorthand (see [`parse_shorthand`]).
///
/// Text whose first non-space character is `{` or `[` is tried as JSON first,
/// and JSON numbers and booleans keep their types. If it is not valid JSON it
/// is tried as shorthand, because `[a,b]` and `{A=1}` are shorthand too.
///
/// ```
/// use ec2lab_awscli::parse_value;
///
/// let json = parse_value(r#"[{"FromPort": 22}]"#).ok().map(|v| v.to_string());
/// assert_eq!(json.as_deref(), Some(r#"[{"FromPort":22}]"#));
/// let shorthand = parse_value("[{FromPort=22}]").ok().map(|v| v.to_string());
/// assert_eq!(shorthand.as_deref(), Some(r#"[{"FromPort":"22"}]"#));
/// ```
///
/// # Errors
///
/// Text that starts like JSON but is neither valid JSON nor valid shorthand is
/// reported as a JSON error, at the column serde_json names, with the shorthand
/// error added to the message. Other text reports the shorthand error.
pub fn parse_value(text: &str) -> Result<Value, SyntaxError> {
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return parse_shorthand(text);
    }
    let json_error = match parse_json(text) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    match parse_shorthand(text) {
        Ok(value) => Ok(value),
        Err(shorthand_error) => Err(SyntaxError::new(
            json_error.column,
            format!(
                "{}; read as shorthand syntax instead, it fails at {shorthand_error}",
                json_error.message
            ),
        )),
    }
}

/// Parses JSON text, reporting an error at a 1-based character column.
pub(crate) fn parse_json(text: &str) -> Result<Value, SyntaxError> {
    serde_json::from_str(text).map_err(|error| {
        let full = error.to_string();
        // serde_json ends its messages with " at line L column C"; the column
        // is reported separately here, so that part is dropped.
        let bare = match full.rfind(" at line ") {
            Some(end) => full.get(..end).unwrap_or(&full),
            None => &full,
        };
        SyntaxError::new(
            json_column(text, error.line(), error.column()),
            format!("not valid JSON: {bare}"),
        )
    })
}

/// Converts serde_json's 1-based line and 1-based byte column into a 1-based
/// character column counted from the start of the whole text.
fn json_column(text: &str, line: usize, column: usize) -> usize {
    let mut line_start = 0;
    let mut lines_seen = 1;
    for (index, c) in text.char_indices() {
        if lines_seen >= line {
            break;
        }
        if c == '\n' {
            lines_seen += 1;
            line_start = index + 1;
        }
    }
    let byte = line_start + column.saturating_sub(1);
    text.char_indices()
        .take_while(|&(index, _)| index < byte)
        .count()
        + 1
}

/// What ends the values being parsed.
#[derive(Clone, Copy, Debug)]
enum Closer {
    /// The end of the text.
    End,
    /// A `]`; the field is the index of the opening `[`.
    Bracket(usize),
    /// A `}`; the field is the index of the opening `{`.
    Brace(usize),
}

impl Closer {
    /// How an error message names this closer.
    fn describe(self) -> &'static str {
        match self {
            Closer::End => "the end of the value",
            Closer::Bracket(_) => "']'",
            Closer::Brace(_) => "'}'",
        }
    }
}

/// Whether a character ends an unquoted piece of text.
fn is_special(c: char) -> bool {
    matches!(c, ',' | '=' | '[' | ']' | '{' | '}' | '\'' | '"') || c.is_whitespace()
}

/// A recursive-descent parser over the characters of one value.
struct Parser {
    chars: Vec<char>,
    /// The index of the next character to read.
    pos: usize,
    /// How many lists and structures enclose the current position.
    depth: usize,
}

impl Parser {
    fn new(text: &str) -> Self {
        Self {
            chars: text.chars().collect(),
            pos: 0,
            depth: 0,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// An error at the current position.
    fn error_here(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError::new(self.pos + 1, message)
    }

    /// The whole text: a structure, a scalar, or a comma-separated list.
    fn document(&mut self) -> Result<Value, SyntaxError> {
        self.skip_spaces();
        if self.peek().is_none() {
            return Ok(Value::String(String::new()));
        }
        if self.member_ahead(self.pos) {
            return Ok(Value::Object(self.members(Closer::End)?));
        }
        let mut item_start = self.pos;
        let mut items = vec![self.value(Closer::End, false)?];
        loop {
            self.skip_spaces();
            match self.peek() {
                None => break,
                Some(',') => {
                    self.pos += 1;
                    self.skip_spaces();
                    item_start = self.pos;
                    items.push(self.value(Closer::End, false)?);
                }
                Some(_) => return Err(self.after_value_error(item_start, Closer::End)),
            }
        }
        Ok(match <[Value; 1]>::try_from(items) {
            Ok([only]) => only,
            Err(items) => Value::Array(items),
        })
    }

    /// Whether the text from index `from` starts with a member name and `=`.
    fn member_ahead(&self, from: usize) -> bool {
        let mut i = from;
        let at = |i: usize| self.chars.get(i).copied();
        while at(i).is_some_and(char::is_whitespace) {
            i += 1;
        }
        while at(i).is_some_and(|c| !is_special(c)) {
            i += 1;
        }
        while at(i).is_some_and(char::is_whitespace) {
            i += 1;
        }
        at(i) == Some('=')
    }

    /// `Key=value` members separated by commas, up to and including the closer.
    fn members(&mut self, closer: Closer) -> Result<Map<String, Value>, SyntaxError> {
        let mut map = Map::new();
        self.skip_spaces();
        if matches!(closer, Closer::Brace(_)) && self.peek() == Some('}') {
            self.pos += 1;
            return Ok(map);
        }
        loop {
            self.skip_spaces();
            let start = self.pos;
            let key = self.key(closer)?;
            if map.contains_key(&key) {
                return Err(SyntaxError::new(
                    start + 1,
                    format!("the member '{key}' is given twice"),
                ));
            }
            let value = self.member_value(closer)?;
            map.insert(key, value);
            self.skip_spaces();
            match (self.peek(), closer) {
                (Some(','), _) => self.pos += 1,
                (None, Closer::End) => return Ok(map),
                (Some('}'), Closer::Brace(_)) | (Some(']'), Closer::Bracket(_)) => {
                    self.pos += 1;
                    return Ok(map);
                }
                _ => return Err(self.after_value_error(start, closer)),
            }
        }
    }

    /// A member name and its `=`; returns the name.
    fn key(&mut self, closer: Closer) -> Result<String, SyntaxError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| !is_special(c)) {
            self.pos += 1;
        }
        let key: String = self
            .chars
            .get(start..self.pos)
            .unwrap_or_default()
            .iter()
            .collect();
        self.skip_spaces();
        match self.peek() {
            Some('=') if key.is_empty() => {
                Err(self.error_here("a member name is missing before '='"))
            }
            Some('=') => {
                self.pos += 1;
                Ok(key)
            }
            _ if !key.is_empty() => {
                Err(self.error_here(format!("expected '=' after the member name '{key}'")))
            }
            _ => Err(match self.bad_closer(closer) {
                Some(error) => error,
                None if self.previous_is_comma() => {
                    self.error_here("expected a member like Key=value after ','")
                }
                None => match self.peek() {
                    Some(c) => self.error_here(format!(
                        "expected a member like Key=value here, found '{c}'"
                    )),
                    None => self.error_here("expected a member like Key=value here"),
                },
            }),
        }
    }

    /// The value of one member: a value, followed by more comma-separated
    /// values without `=` that make it a list, as in `Values=a,b`.
    fn member_value(&mut self, closer: Closer) -> Result<Value, SyntaxError> {
        self.skip_spaces();
        let first = self.value(closer, true)?;
        if !first.is_string() {
            return Ok(first);
        }
        let mut items = vec![first];
        loop {
            let before = self.pos;
            self.skip_spaces();
            if self.peek() == Some(',') && !self.member_ahead(self.pos + 1) {
                self.pos += 1;
                self.skip_spaces();
                items.push(self.value(closer, false)?);
            } else {
                self.pos = before;
                break;
            }
        }
        Ok(match <[Value; 1]>::try_from(items) {
            Ok([only]) => only,
            Err(items) => Value::Array(items),
        })
    }

    /// One value: an explicit list, a structure in braces, or a scalar.
    fn value(&mut self, closer: Closer, allow_empty: bool) -> Result<Value, SyntaxError> {
        self.skip_spaces();
        let opener = self.peek();
        if !matches!(opener, Some('[' | '{')) {
            return self.scalar(closer, allow_empty);
        }
        if self.depth >= MAX_DEPTH {
            return Err(self.error_here(format!(
                "lists and structures are nested more than {MAX_DEPTH} levels deep here"
            )));
        }
        self.depth += 1;
        let value = if opener == Some('[') {
            self.list()?
        } else {
            let open = self.pos;
            self.pos += 1;
            Value::Object(self.members(Closer::Brace(open))?)
        };
        self.depth -= 1;
        Ok(value)
    }

    /// `[` items separated by commas `]`, where `[]` is an empty list.
    fn list(&mut self) -> Result<Value, SyntaxError> {
        let open = self.pos;
        let closer = Closer::Bracket(open);
        self.pos += 1;
        self.skip_spaces();
        let mut items = Vec::new();
        if self.peek() == Some(']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_spaces();
            let start = self.pos;
            items.push(self.value(closer, false)?);
            self.skip_spaces();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.after_value_error(start, closer)),
            }
        }
    }

    /// Unquoted and quoted pieces, joined. Whitespace between pieces is part
    /// of the value; whitespace after the last piece is not.
    fn scalar(&mut self, closer: Closer, allow_empty: bool) -> Result<Value, SyntaxError> {
        let mut text = String::new();
        let mut found_any = false;
        // Whitespace after a piece, kept only if another piece follows.
        let mut spaces = String::new();
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() && found_any => {
                    spaces.push(c);
                    self.pos += 1;
                }
                Some(quote @ ('\'' | '"')) => {
                    text.push_str(&spaces);
                    spaces.clear();
                    self.quoted(quote, &mut text)?;
                    found_any = true;
                }
                Some(c) if !is_special(c) => {
                    text.push_str(&spaces);
                    spaces.clear();
                    text.push(c);
                    self.pos += 1;
                    found_any = true;
                }
                _ => break,
            }
        }
        if !found_any && !allow_empty {
            return Err(self.missing_value_error(closer));
        }
        Ok(Value::String(text))
    }

    /// A quoted piece; appends its contents to `text`.
    fn quoted(&mut self, quote: char, text: &mut String) -> Result<(), SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        loop {
            match self.peek() {
                None => return Err(unclosed_quote(open)),
                Some('\\') => match self.chars.get(self.pos + 1) {
                    Some(&escaped) if escaped == quote || escaped == '\\' => {
                        text.push(escaped);
                        self.pos += 2;
                    }
                    _ => {
                        text.push('\\');
                        self.pos += 1;
                    }
                },
                Some(c) if c == quote => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(c) => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// Whether the last character before the current position, not counting
    /// whitespace, is a comma.
    fn previous_is_comma(&self) -> bool {
        self.chars
            .get(..self.pos)
            .unwrap_or_default()
            .iter()
            .rev()
            .find(|c| !c.is_whitespace())
            == Some(&',')
    }

    /// The error for the end of the text or a closing bracket that does not
    /// fit the closer, or `None` if the current character is not one of those.
    fn bad_closer(&self, closer: Closer) -> Option<SyntaxError> {
        let found = self.peek();
        match (found, closer) {
            (None, Closer::Bracket(open)) => {
                Some(SyntaxError::new(open + 1, "this '[' is never closed"))
            }
            (None, Closer::Brace(open)) => {
                Some(SyntaxError::new(open + 1, "this '{' is never closed"))
            }
            (Some(c @ (']' | '}')), Closer::End) => {
                let opener = if c == ']' { '[' } else { '{' };
                Some(self.error_here(format!("this '{c}' has no matching '{opener}'")))
            }
            (Some('}'), Closer::Bracket(open)) | (Some(']'), Closer::Brace(open)) => {
                let c = self.chars.get(self.pos).copied().unwrap_or(']');
                let opener = self.chars.get(open).copied().unwrap_or('[');
                Some(self.error_here(format!(
                    "this '{c}' does not close the '{opener}' opened at column {}",
                    open + 1
                )))
            }
            _ => None,
        }
    }

    /// The error for a value that should be here but is not.
    fn missing_value_error(&self, closer: Closer) -> SyntaxError {
        if self.peek() == Some('=') {
            return self.error_here("a member name is missing before '='");
        }
        if let Some(error) = self.bad_closer(closer) {
            return error;
        }
        if self.previous_is_comma() {
            self.error_here("expected a value after ','")
        } else if self.peek() == Some(',') {
            self.error_here("expected a value before ','")
        } else {
            self.error_here("expected a value here")
        }
    }

    /// The error for unexpected text after a value that began at `start`.
    fn after_value_error(&self, start: usize, closer: Closer) -> SyntaxError {
        if let Some(error) = self.bad_closer(closer) {
            return error;
        }
        let snippet = self.snippet(start);
        let mut message = format!("expected ',' or {} after '{snippet}'", closer.describe());
        // For `A=1 B=2`, the last word before the `=` is probably a member name.
        let last_word = snippet
            .rsplit(char::is_whitespace)
            .next()
            .filter(|word| *word != snippet && !word.is_empty());
        match (self.peek(), last_word) {
            (Some('='), _) if matches!(closer, Closer::Bracket(_)) => message.push_str(
                "; a structure inside a list needs braces, like [{Key=value,Key2=value2}]",
            ),
            (Some('='), Some(word)) => {
                message.push_str(&format!(
                    "; if '{word}' starts a new member, put a ',' before it"
                ));
            }
            (Some(c @ ('=' | '[' | '{')), _) => {
                message.push_str(&format!("; to put '{c}' in a value, quote the value"));
            }
            _ => {}
        }
        self.error_here(message)
    }

    /// The text from `start` up to the current position, trimmed and
    /// shortened from the front if it is long.
    fn snippet(&self, start: usize) -> String {
        let text: String = self
            .chars
            .get(start..self.pos)
            .unwrap_or_default()
            .iter()
            .collect();
        let text = text.trim_end();
        let count = text.chars().count();
        if count <= SNIPPET_LIMIT {
            text.to_string()
        } else {
            let tail: String = text.chars().skip(count - (SNIPPET_LIMIT - 3)).collect();
            format!("...{tail}")
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::{parse_shorthand, parse_value};

    /// Prints the parsed value as compact JSON, or the error.
    fn check(text: &str, expected: Expect) {
        let actual = match parse_shorthand(text) {
            Ok(value) => value.to_string(),
            Err(error) => format!("error: {error}"),
        };
        expected.assert_eq(&actual);
    }

    /// Prints what `parse_value` makes of the text, or the error.
    fn check_value(text: &str, expected: Expect) {
        let actual = match parse_value(text) {
            Ok(value) => value.to_string(),
            Err(error) => format!("error: {error}"),
        };
        expected.assert_eq(&actual);
    }

    #[test]
    fn scalars_and_lists() {
        check("", expect![[r#""""#]]);
        check("   ", expect![[r#""""#]]);
        check("a", expect![[r#""a""#]]);
        check(
            "  sg-0123456789abcdef0  ",
            expect![[r#""sg-0123456789abcdef0""#]],
        );
        check("a,b,c", expect![[r#"["a","b","c"]"#]]);
        check(" a , b ", expect![[r#"["a","b"]"#]]);
        check("[a,b]", expect![[r#"["a","b"]"#]]);
        check("[]", expect![["[]"]]);
        check("[ ]", expect![["[]"]]);
        check("''", expect![[r#""""#]]);
        check("['']", expect![[r#"[""]"#]]);
        check("'a, b',c", expect![[r#"["a, b","c"]"#]]);
        check("10.0.0.0/16", expect![[r#""10.0.0.0/16""#]]);
        check("::/0", expect![[r#""::/0""#]]);
        check(
            "2001:db8::/32,::/0",
            expect![[r#"["2001:db8::/32","::/0"]"#]],
        );
        check("*.example.com", expect![[r#""*.example.com""#]]);
        check("user@example.com", expect![[r#""user@example.com""#]]);
        check("héllo,wörld", expect![[r#"["héllo","wörld"]"#]]);
        check("[a,b],[c]", expect![[r#"[["a","b"],["c"]]"#]]);
    }

    #[test]
    fn structures() {
        check(
            "Key1=value1,Key2=value2",
            expect![[r#"{"Key1":"value1","Key2":"value2"}"#]],
        );
        check(
            " Key1 = value1 , Key2 = value2 ",
            expect![[r#"{"Key1":"value1","Key2":"value2"}"#]],
        );
        check("Key=", expect![[r#"{"Key":""}"#]]);
        check("Key=,Other=b", expect![[r#"{"Key":"","Other":"b"}"#]]);
        check("Key=[a,b]", expect![[r#"{"Key":["a","b"]}"#]]);
        check("Key=[]", expect![[r#"{"Key":[]}"#]]);
        check("Key={A=1,B=2}", expect![[r#"{"Key":{"A":"1","B":"2"}}"#]]);
        check("Key={}", expect![[r#"{"Key":{}}"#]]);
        check("{A=1}", expect![[r#"{"A":"1"}"#]]);
        check(
            "Name=vpc-id,Values=vpc-1,vpc-2",
            expect![[r#"{"Name":"vpc-id","Values":["vpc-1","vpc-2"]}"#]],
        );
        check("A=1,2,B=3", expect![[r#"{"A":["1","2"],"B":"3"}"#]]);
        check(
            "Name=tag:Name,Values=web",
            expect![[r#"{"Name":"tag:Name","Values":"web"}"#]],
        );
        check(
            "IpRanges=[{CidrIp=10.0.0.0/16,Description=web},{CidrIp=::/0}]",
            expect![[
                r#"{"IpRanges":[{"CidrIp":"10.0.0.0/16","Description":"web"},{"CidrIp":"::/0"}]}"#
            ]],
        );
        check(
            "A=[[1,2],[]],B={C={D=[{E=x}]}}",
            expect![[r#"{"A":[["1","2"],[]],"B":{"C":{"D":[{"E":"x"}]}}}"#]],
        );
        check("Kéy=välue☃", expect![[r#"{"Kéy":"välue☃"}"#]]);
        check(
            "Description=SSH from office",
            expect![[r#"{"Description":"SSH from office"}"#]],
        );
        check(
            "Key = a  b , Other = c ",
            expect![[r#"{"Key":"a  b","Other":"c"}"#]],
        );
        check("Key=[a b, c d]", expect![[r#"{"Key":["a b","c d"]}"#]]);
        check("a b", expect![[r#""a b""#]]);
    }

    #[test]
    fn quoting() {
        check(
            r#"Description="a, b""#,
            expect![[r#"{"Description":"a, b"}"#]],
        );
        check(
            "Description='SSH from office'",
            expect![[r#"{"Description":"SSH from office"}"#]],
        );
        check("Description='it''s'", expect![[r#"{"Description":"its"}"#]]);
        check(
            r#"Description="it's""#,
            expect![[r#"{"Description":"it's"}"#]],
        );
        check(
            r"Description='it\'s'",
            expect![[r#"{"Description":"it's"}"#]],
        );
        check(
            r#"Description="say \"hi\"""#,
            expect![[r#"{"Description":"say \"hi\""}"#]],
        );
        check(r"Path='C:\temp\\x'", expect![[r#"{"Path":"C:\\temp\\x"}"#]]);
        check("Value='a=b'", expect![[r#"{"Value":"a=b"}"#]]);
        check("Value=\"[x]{y}\"", expect![[r#"{"Value":"[x]{y}"}"#]]);
        check("Value=ab'c,d'e", expect![[r#"{"Value":"abc,de"}"#]]);
        check("Value=''", expect![[r#"{"Value":""}"#]]);
        check("Value='  padded  '", expect![[r#"{"Value":"  padded  "}"#]]);
        check("Value='a' 'b' c ", expect![[r#"{"Value":"a b c"}"#]]);
        check("'a=b'", expect![[r#""a=b""#]]);
        check(
            "Values=['a,b','c d']",
            expect![[r#"{"Values":["a,b","c d"]}"#]],
        );
    }

    #[test]
    fn errors() {
        check(
            "Key=[a] b",
            expect![["error: column 9: expected ',' or the end of the value after 'Key=[a]'"]],
        );
        check(
            "Key={A=1} 'b'",
            expect![["error: column 11: expected ',' or the end of the value after 'Key={A=1}'"]],
        );
        check("Key=a=b", expect![[
            "error: column 6: expected ',' or the end of the value after 'Key=a'; to put '=' in a value, quote the value"
        ]]);
        check("Key=a[b", expect![[
            "error: column 6: expected ',' or the end of the value after 'Key=a'; to put '[' in a value, quote the value"
        ]]);
        check(
            "Key=[a,b",
            expect![["error: column 5: this '[' is never closed"]],
        );
        check(
            "Key=[",
            expect![["error: column 5: this '[' is never closed"]],
        );
        check(
            "Key={A=1",
            expect![["error: column 5: this '{' is never closed"]],
        );
        check(
            "Key={",
            expect![["error: column 5: this '{' is never closed"]],
        );
        check(
            "Key=[a}",
            expect![["error: column 7: this '}' does not close the '[' opened at column 5"]],
        );
        check(
            "Key={A=1]",
            expect![["error: column 9: this ']' does not close the '{' opened at column 5"]],
        );
        check(
            "Key={A=[}",
            expect![["error: column 9: this '}' does not close the '[' opened at column 8"]],
        );
        check(
            "Key=a]",
            expect![["error: column 6: this ']' has no matching '['"]],
        );
        check(
            "a}",
            expect![["error: column 2: this '}' has no matching '{'"]],
        );
        check(
            "]",
            expect![["error: column 1: this ']' has no matching '['"]],
        );
        check(
            "=a",
            expect![["error: column 1: a member name is missing before '='"]],
        );
        check(
            "A=1,=2",
            expect![["error: column 5: a member name is missing before '='"]],
        );
        check(
            "Key={=1}",
            expect![["error: column 6: a member name is missing before '='"]],
        );
        check(
            "Key={a}",
            expect![["error: column 7: expected '=' after the member name 'a'"]],
        );
        check(
            "Key={,}",
            expect![["error: column 6: expected a member like Key=value here, found ','"]],
        );
        check(
            "Key=[x],b",
            expect![["error: column 10: expected '=' after the member name 'b'"]],
        );
        check(
            "Key=[x],",
            expect![["error: column 9: expected a member like Key=value after ','"]],
        );
        check(
            "A=1,A=2",
            expect![["error: column 5: the member 'A' is given twice"]],
        );
        check(
            "a,",
            expect![["error: column 3: expected a value after ','"]],
        );
        check(
            "a,,b",
            expect![["error: column 3: expected a value after ','"]],
        );
        check(
            ",a",
            expect![["error: column 1: expected a value before ','"]],
        );
        check(
            "A=1,",
            expect![["error: column 5: expected a value after ','"]],
        );
        check(
            "[a,]",
            expect![["error: column 4: expected a value after ','"]],
        );
        check(
            "[,a]",
            expect![["error: column 2: expected a value before ','"]],
        );
        check("Key={A=1 B=2}", expect![["error: column 11: expected ',' or '}' after 'A=1 B'; if 'B' starts a new member, put a ',' before it"]]);
        check("GroupName=web Description=x", expect![["error: column 26: expected ',' or the end of the value after 'GroupName=web Description'; if 'Description' starts a new member, put a ',' before it"]]);
        check("IpRanges=[CidrIp=10.0.0.0/16]", expect![[
            "error: column 17: expected ',' or ']' after 'CidrIp'; a structure inside a list needs braces, like [{Key=value,Key2=value2}]"
        ]]);
        check(
            "Description='open",
            expect![["error: column 13: the quote opened here is never closed"]],
        );
        check(
            r#"["a"#,
            expect![["error: column 2: the quote opened here is never closed"]],
        );
        check(
            "☃=[x",
            expect![["error: column 3: this '[' is never closed"]],
        );
        check(
            &"[".repeat(100),
            expect![["error: column 100: this '[' is never closed"]],
        );
        check(
            &"[".repeat(101),
            expect![[
                "error: column 101: lists and structures are nested more than 100 levels deep here"
            ]],
        );
        check(
            &"A={".repeat(5000),
            expect![[
                "error: column 303: lists and structures are nested more than 100 levels deep here"
            ]],
        );
        check(
            "IpRanges=[{CidrIp=10.0.0.0/16,Description=web},{CidrIp=::/0}] x",
            expect![["error: column 63: expected ',' or the end of the value after '....0/16,Description=web},{CidrIp=::/0}]'"]],
        );
    }

    #[test]
    fn json_or_shorthand() {
        check_value("sg-1", expect![[r#""sg-1""#]]);
        check_value("22", expect![[r#""22""#]]);
        check_value("a,b", expect![[r#"["a","b"]"#]]);
        check_value(
            r#"{"FromPort": 22, "Enabled": true}"#,
            expect![[r#"{"Enabled":true,"FromPort":22}"#]],
        );
        check_value(
            r#"  [{"CidrIp": "::/0"}]"#,
            expect![[r#"[{"CidrIp":"::/0"}]"#]],
        );
        check_value("[]", expect![["[]"]]);
        check_value("{}", expect![["{}"]]);
        check_value("[a,b]", expect![[r#"["a","b"]"#]]);
        check_value("{A=1,B=[x]}", expect![[r#"{"A":"1","B":["x"]}"#]]);
        check_value("[{CidrIp=::/0}]", expect![[r#"[{"CidrIp":"::/0"}]"#]]);
        check_value(
            r#"{"Description": "a, b"}"#,
            expect![[r#"{"Description":"a, b"}"#]],
        );
        check_value(r#"{"Name": "☃"}"#, expect![[r#"{"Name":"☃"}"#]]);
    }

    #[test]
    fn json_errors() {
        check_value(
            r#"{"FromPort": 22"#,
            expect![[
                r#"error: column 15: not valid JSON: EOF while parsing an object; read as shorthand syntax instead, it fails at column 2: expected a member like Key=value here, found '"'"#
            ]],
        );
        check_value(
            r#"{"FromPort" 22}"#,
            expect![[
                r#"error: column 13: not valid JSON: expected `:`; read as shorthand syntax instead, it fails at column 2: expected a member like Key=value here, found '"'"#
            ]],
        );
        check_value(
            r#"[{"Name": "☃", "x": ]"#,
            expect![[
                r#"error: column 21: not valid JSON: expected value; read as shorthand syntax instead, it fails at column 3: expected a member like Key=value here, found '"'"#
            ]],
        );
        check_value(
            "{\n  \"A\": 1,\n  \"B\" 2\n}",
            expect![[
                r#"error: column 19: not valid JSON: expected `:`; read as shorthand syntax instead, it fails at column 5: expected a member like Key=value here, found '"'"#
            ]],
        );
        check_value("[a,b", expect![[
            "error: column 2: not valid JSON: expected value; read as shorthand syntax instead, it fails at column 1: this '[' is never closed"
        ]]);
        check_value("Key=a=b", expect![["error: column 6: expected ',' or the end of the value after 'Key=a'; to put '=' in a value, quote the value"]]);
    }
}
