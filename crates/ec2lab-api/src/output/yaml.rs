//! `--output yaml` and `yaml-stream`: block-style YAML as the AWS CLI
//! prints it (ruamel.yaml's safe dumper, which follows PyYAML's emitter).
//!
//! - Mappings indent by two; a list under a key is not indented (`- ` at
//!   the key's column); an object in a list starts on the `- ` line.
//! - Empty lists and objects are `[]` and `{}`.
//! - A string is plain unless it would read back as something else (`'123'`,
//!   `'true'`, `'null'`, `'2024-01-01T00:00:00+00:00'`, `''`) or has
//!   characters YAML gives a meaning (`': '`, `' #'`, a leading `-` or `*`,
//!   …); then it is single-quoted, or double-quoted with escapes when it
//!   holds a tab or another control character.
//! - Plain and single-quoted strings fold at a space past column 80.
//! - A document that is a lone plain scalar ends with `...`.

use serde_json::{Map, Value};

use super::python::number_str;

/// Lines past this column are folded at the next space.
const BEST_WIDTH: usize = 80;
/// Spaces per indentation level.
const BEST_INDENT: usize = 2;

/// One YAML document holding `value`.
pub fn document(value: &Value) -> String {
    let mut emitter = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
        open_ended: false,
    };
    emitter.node(value, None, Context::Root);
    // The document ends on a fresh line; a plain scalar at the root leaves
    // it open, so `...` closes it.
    emitter.write_indent(0);
    if emitter.open_ended {
        emitter.write_indicator("...", true, false, false);
        emitter.write_indent(0);
    }
    emitter.out
}

/// Where a node sits: it decides indentation and whether a string may fold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Root,
    Sequence,
    Mapping,
    MappingKey,
}

/// PyYAML's emitter state for the subset of YAML that JSON needs.
struct Emitter {
    out: String,
    column: usize,
    /// The last thing written was whitespace (or nothing).
    whitespace: bool,
    /// Only indentation has been written on this line so far.
    indention: bool,
    open_ended: bool,
}

/// How a string is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
}

impl Emitter {
    fn node(&mut self, value: &Value, indent: Option<usize>, context: Context) {
        match value {
            Value::Array(items) if items.is_empty() => self.flow_empty("[", "]"),
            Value::Object(map) if map.is_empty() => self.flow_empty("{", "}"),
            Value::Array(items) => self.block_sequence(items, indent, context),
            Value::Object(map) => self.block_mapping(map, indent),
            scalar => {
                let scalar_indent = increase(indent, true, false);
                let (text, is_string) = match scalar {
                    Value::String(text) => (text.clone(), true),
                    Value::Bool(flag) => (flag.to_string(), false),
                    Value::Number(number) => (yaml_number(number), false),
                    _ => ("null".to_owned(), false),
                };
                self.scalar(&text, is_string, scalar_indent, context);
            }
        }
    }

    fn flow_empty(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    fn block_sequence(&mut self, items: &[Value], indent: Option<usize>, context: Context) {
        // A list that is a mapping's value is not indented.
        let indentless = context == Context::Mapping && !self.indention;
        let indent = increase(indent, false, indentless);
        for item in items {
            self.write_indent(indent);
            self.write_indicator("-", true, false, true);
            self.node(item, Some(indent), Context::Sequence);
        }
    }

    fn block_mapping(&mut self, map: &Map<String, Value>, indent: Option<usize>) {
        let indent = increase(indent, false, false);
        for (key, value) in map {
            self.write_indent(indent);
            let key_indent = increase(Some(indent), true, false);
            // A key over 128 bytes or with a line break is not a simple
            // key: `? key`, then `: value` on the next line.
            if key.len() > 128 || analyze(key).multiline {
                self.write_indicator("?", true, false, true);
                self.scalar(key, true, key_indent, Context::Mapping);
                self.write_indent(indent);
                self.write_indicator(":", true, false, true);
            } else {
                self.scalar(key, true, key_indent, Context::MappingKey);
                self.write_indicator(":", false, false, false);
            }
            self.node(value, Some(indent), Context::Mapping);
        }
    }

    fn scalar(&mut self, text: &str, is_string: bool, indent: usize, context: Context) {
        let simple_key = context == Context::MappingKey;
        let style = if is_string {
            choose_style(text, simple_key)
        } else {
            Style::Plain
        };
        let split = !simple_key;
        match style {
            Style::Plain => {
                if context == Context::Root {
                    self.open_ended = true;
                }
                self.write_plain(text, indent, split);
            }
            Style::SingleQuoted => self.write_single_quoted(text, indent, split),
            Style::DoubleQuoted => self.write_double_quoted(text, indent, split),
        }
    }

    fn write(&mut self, text: &str) {
        self.column += text.chars().count();
        self.out.push_str(text);
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        whitespace: bool,
        indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.write(" ");
        }
        self.write(indicator);
        self.whitespace = whitespace;
        self.indention = self.indention && indention;
        self.open_ended = false;
    }

    fn write_indent(&mut self, indent: usize) {
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.write_line_break();
        }
        if self.column < indent {
            self.whitespace = true;
            let pad = " ".repeat(indent - self.column);
            self.write(&pad);
        }
    }

    fn write_line_break(&mut self) {
        self.whitespace = true;
        self.indention = true;
        self.out.push('\n');
        self.column = 0;
    }

    fn write_plain(&mut self, text: &str, indent: usize, split: bool) {
        if text.is_empty() {
            return;
        }
        if !self.whitespace {
            self.write(" ");
        }
        self.whitespace = false;
        self.indention = false;
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        let mut start = 0;
        for end in 0..=chars.len() {
            let ch = chars.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end && self.column > BEST_WIDTH && split {
                        self.write_indent(indent);
                        self.whitespace = false;
                        self.indention = false;
                    } else {
                        self.write(&collect(&chars[start..end]));
                    }
                    start = end;
                }
            } else if ch.is_none_or(|ch| ch == ' ') {
                self.write(&collect(&chars[start..end]));
                start = end;
            }
            spaces = ch == Some(' ');
        }
    }

    fn write_single_quoted(&mut self, text: &str, indent: usize, split: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        let mut start = 0;
        for end in 0..=chars.len() {
            let ch = chars.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end
                        && self.column > BEST_WIDTH
                        && split
                        && start != 0
                        && end != chars.len()
                    {
                        self.write_indent(indent);
                    } else {
                        self.write(&collect(&chars[start..end]));
                    }
                    start = end;
                }
            } else if breaks {
                if !ch.is_some_and(is_break) {
                    // A line break inside quotes is written as an empty line.
                    if chars[start] == '\n' {
                        self.write_line_break();
                    }
                    for &br in &chars[start..end] {
                        if br == '\n' {
                            self.write_line_break();
                        } else {
                            self.write_line_break();
                            self.out.pop();
                            self.out.push(br);
                        }
                    }
                    self.write_indent(indent);
                    start = end;
                }
            } else if ch.is_none_or(|ch| ch == ' ' || ch == '\'' || is_break(ch)) && start < end {
                self.write(&collect(&chars[start..end]));
                start = end;
            }
            if ch == Some('\'') {
                self.write("''");
                start = end + 1;
            }
            spaces = ch == Some(' ');
            breaks = ch.is_some_and(is_break);
        }
        self.write_indicator("'", false, false, false);
    }

    /// libyaml's double-quoted writer: escapes for what is not printable,
    /// and a fold at a lone space past column 80 (a `\` keeps a second
    /// space).
    fn write_double_quoted(&mut self, text: &str, indent: usize, split: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        for (index, &ch) in chars.iter().enumerate() {
            if !is_printable(ch)
                || ch == '\u{feff}'
                || is_break(ch)
                || ch == '\r'
                || ch == '"'
                || ch == '\\'
            {
                self.write(&escaped(ch));
                spaces = false;
            } else if ch == ' ' {
                if split
                    && !spaces
                    && self.column > BEST_WIDTH
                    && index != 0
                    && index + 1 != chars.len()
                {
                    self.write_indent(indent);
                    if chars.get(index + 1) == Some(&' ') {
                        self.write("\\");
                    }
                } else {
                    self.write(" ");
                }
                spaces = true;
            } else {
                let mut buffer = [0; 4];
                self.write(ch.encode_utf8(&mut buffer));
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
    }
}

/// PyYAML's `increase_indent`: the first level is 0 for a block collection
/// (2 for a scalar); each further level adds two, except for a list that is
/// a mapping's value.
fn increase(indent: Option<usize>, flow: bool, indentless: bool) -> usize {
    match indent {
        None if flow => BEST_INDENT,
        None => 0,
        Some(indent) if indentless => indent,
        Some(indent) => indent + BEST_INDENT,
    }
}

fn collect(chars: &[char]) -> String {
    chars.iter().collect()
}

/// libyaml's printable characters: a line feed, printable ASCII, and the
/// Basic Multilingual Plane from U+00A0 up, but not the byte order mark. (So
/// U+0085 and characters beyond U+FFFF, emoji among them, are escaped.)
fn is_printable(ch: char) -> bool {
    ch == '\n'
        || ('\u{20}'..='\u{7e}').contains(&ch)
        || ('\u{a0}'..='\u{d7ff}').contains(&ch)
        || (('\u{e000}'..='\u{fffd}').contains(&ch) && ch != '\u{feff}')
}

fn is_break(ch: char) -> bool {
    matches!(ch, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn escaped(ch: char) -> String {
    let short = match ch {
        '\0' => "0",
        '\u{7}' => "a",
        '\u{8}' => "b",
        '\t' => "t",
        '\n' => "n",
        '\u{b}' => "v",
        '\u{c}' => "f",
        '\r' => "r",
        '\u{1b}' => "e",
        '"' => "\"",
        '\\' => "\\",
        '\u{85}' => "N",
        '\u{a0}' => "_",
        '\u{2028}' => "L",
        '\u{2029}' => "P",
        _ => "",
    };
    if !short.is_empty() {
        return format!("\\{short}");
    }
    let code = u32::from(ch);
    if code <= 0xff {
        format!("\\x{code:02X}")
    } else if code <= 0xffff {
        format!("\\u{code:04X}")
    } else {
        format!("\\U{code:08X}")
    }
}

/// A number as ruamel.yaml writes it for YAML 1.2: integers as digits,
/// floats as Python's `repr` (`1.5`, `1e+20`).
fn yaml_number(number: &serde_json::Number) -> String {
    number_str(number).to_lowercase()
}

/// PyYAML's `choose_scalar_style` for a string.
fn choose_style(text: &str, simple_key: bool) -> Style {
    let analysis = analyze(text);
    if !resolves_to_something_else(text)
        && !(simple_key && (text.is_empty() || analysis.multiline))
        && analysis.allow_block_plain
    {
        return Style::Plain;
    }
    if analysis.allow_single_quoted && !(simple_key && analysis.multiline) {
        return Style::SingleQuoted;
    }
    Style::DoubleQuoted
}

struct Analysis {
    multiline: bool,
    allow_block_plain: bool,
    allow_single_quoted: bool,
}

/// PyYAML's `analyze_scalar`, for block context.
fn analyze(text: &str) -> Analysis {
    if text.is_empty() {
        return Analysis {
            multiline: false,
            allow_block_plain: true,
            allow_single_quoted: true,
        };
    }
    let chars: Vec<char> = text.chars().collect();
    let mut block_indicators = text.starts_with("---") || text.starts_with("...");
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;
    let blank = |ch: Option<&char>| {
        ch.is_none_or(|&ch| {
            matches!(
                ch,
                '\0' | ' ' | '\t' | '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}'
            )
        })
    };
    let mut preceded_by_whitespace = true;
    let mut followed_by_whitespace = chars.len() == 1 || blank(chars.get(1));
    for (index, &ch) in chars.iter().enumerate() {
        if index == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(ch) {
                block_indicators = true;
            }
            if (ch == '?' || ch == ':') && followed_by_whitespace {
                block_indicators = true;
            }
            if ch == '-' && followed_by_whitespace {
                block_indicators = true;
            }
        } else {
            if ch == ':' && followed_by_whitespace {
                block_indicators = true;
            }
            if ch == '#' && preceded_by_whitespace {
                block_indicators = true;
            }
        }
        if is_break(ch) {
            line_breaks = true;
        }
        if !is_printable(ch) {
            special_characters = true;
        }
        if ch == ' ' {
            if index == 0 {
                leading_space = true;
            }
            if index == chars.len() - 1 {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(ch) {
            if index == 0 {
                leading_break = true;
            }
            if index == chars.len() - 1 {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = blank(Some(&ch));
        followed_by_whitespace = blank(chars.get(index + 2));
    }
    let mut allow_block_plain = true;
    let mut allow_single_quoted = true;
    if leading_space || leading_break || trailing_space || trailing_break {
        allow_block_plain = false;
    }
    if break_space {
        allow_block_plain = false;
        allow_single_quoted = false;
    }
    if space_break || special_characters {
        allow_block_plain = false;
        allow_single_quoted = false;
    }
    if line_breaks || block_indicators {
        allow_block_plain = false;
    }
    Analysis {
        multiline: line_breaks,
        allow_block_plain,
        allow_single_quoted,
    }
}

/// Would this text, written plain, read back as a YAML 1.2 boolean, number,
/// null or timestamp (ruamel.yaml's resolver)? Then it must be quoted.
fn resolves_to_something_else(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        // The empty plain scalar is null.
        return true;
    };
    let bytes = text.as_bytes();
    match first {
        't' | 'T' | 'f' | 'F' if is_bool(text) => true,
        '~' | 'n' | 'N' if matches!(text, "~" | "null" | "Null" | "NULL") => true,
        '-' | '+' | '.' | '0'..='9' if is_int(bytes) || is_float(bytes) => true,
        '0'..='9' if is_timestamp(bytes) => true,
        '<' if text == "<<" => true,
        '=' if text == "=" => true,
        _ => false,
    }
}

fn is_bool(text: &str) -> bool {
    matches!(text, "true" | "True" | "TRUE" | "false" | "False" | "FALSE")
}

/// `[-+]?0b[0-1_]+ | [-+]?0o?[0-7_]+ | [-+]?[0-9_]+ | [-+]?0x[0-9a-fA-F_]+`
fn is_int(bytes: &[u8]) -> bool {
    let body = strip_sign(bytes);
    let all =
        |digits: &[u8], ok: fn(u8) -> bool| !digits.is_empty() && digits.iter().all(|&b| ok(b));
    if let Some(rest) = body.strip_prefix(b"0b") {
        if all(rest, |b| matches!(b, b'0' | b'1' | b'_')) {
            return true;
        }
    }
    if let Some(rest) = body.strip_prefix(b"0o") {
        if all(rest, |b| matches!(b, b'0'..=b'7' | b'_')) {
            return true;
        }
    }
    if let Some(rest) = body.strip_prefix(b"0x") {
        if all(rest, |b| b.is_ascii_hexdigit() || b == b'_') {
            return true;
        }
    }
    all(body, |b| b.is_ascii_digit() || b == b'_')
}

/// ruamel.yaml's YAML 1.2 float:
/// `[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+]?[0-9]+)?`,
/// `[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+`, `\.[0-9_]+([eE][-+][0-9]+)?`,
/// `[-+]?\.(inf|Inf|INF)`, `\.(nan|NaN|NAN)`.
fn is_float(bytes: &[u8]) -> bool {
    if matches!(bytes, b".nan" | b".NaN" | b".NAN") {
        return true;
    }
    let body = strip_sign(bytes);
    if matches!(body, b".inf" | b".Inf" | b".INF") {
        return true;
    }
    let digits = |s: &[u8], extra: u8| {
        s.iter()
            .take_while(|&&b| b.is_ascii_digit() || b == extra)
            .count()
    };
    let exponent = |s: &[u8], sign_required: bool| -> bool {
        let Some(rest) = s.strip_prefix(b"e").or_else(|| s.strip_prefix(b"E")) else {
            return false;
        };
        let unsigned = strip_sign(rest);
        if sign_required && unsigned.len() == rest.len() {
            return false;
        }
        !unsigned.is_empty() && unsigned.iter().all(u8::is_ascii_digit)
    };
    if body.first().is_some_and(u8::is_ascii_digit) {
        let integer = digits(body, b'_');
        let rest = &body[integer..];
        if let Some(fraction) = rest.strip_prefix(b".") {
            let tail = &fraction[digits(fraction, b'_')..];
            return tail.is_empty() || exponent(tail, false);
        }
        return exponent(rest, false);
    }
    // `\.[0-9_]+…` takes no sign.
    if let Some(fraction) = bytes.strip_prefix(b".") {
        let count = digits(fraction, b'_');
        let tail = &fraction[count..];
        return count > 0 && (tail.is_empty() || exponent(tail, true));
    }
    false
}

/// `YYYY-MM-DD`, or `YYYY-M-D` then `T`/`t`/blanks, `H:MM:SS`, an optional
/// fraction and an optional zone (`Z`, `+HH`, `-HH:MM`), with optional
/// blanks before the zone.
fn is_timestamp(bytes: &[u8]) -> bool {
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    if bytes.len() == 10
        && (0..4).all(digit)
        && bytes[4] == b'-'
        && digit(5)
        && digit(6)
        && bytes[7] == b'-'
        && digit(8)
        && digit(9)
    {
        return true;
    }
    let mut i = 0;
    if !(0..4).all(digit) {
        return false;
    }
    i += 4;
    // -M or -MM, then -D or -DD.
    for _ in 0..2 {
        if bytes.get(i) != Some(&b'-') || !digit(i + 1) {
            return false;
        }
        i += if digit(i + 2) { 3 } else { 2 };
    }
    match bytes.get(i) {
        Some(b'T' | b't') => i += 1,
        Some(b' ' | b'\t') => {
            while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
        }
        _ => return false,
    }
    if !digit(i) {
        return false;
    }
    i += if digit(i + 1) { 2 } else { 1 };
    for _ in 0..2 {
        if bytes.get(i) != Some(&b':') || !digit(i + 1) || !digit(i + 2) {
            return false;
        }
        i += 3;
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        while digit(i) {
            i += 1;
        }
    }
    if i == bytes.len() {
        return true;
    }
    while matches!(bytes.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    match bytes.get(i) {
        Some(b'Z') => i + 1 == bytes.len(),
        Some(b'-' | b'+') => {
            i += 1;
            if !digit(i) {
                return false;
            }
            i += if digit(i + 1) { 2 } else { 1 };
            if i == bytes.len() {
                return true;
            }
            bytes.get(i) == Some(&b':') && digit(i + 1) && digit(i + 2) && i + 3 == bytes.len()
        }
        _ => false,
    }
}

fn strip_sign(bytes: &[u8]) -> &[u8] {
    match bytes.first() {
        Some(b'-' | b'+') => &bytes[1..],
        _ => bytes,
    }
}
