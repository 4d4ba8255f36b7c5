//! A small shell: the subset of bash that user data scripts and a learner at
//! an instance's prompt use, interpreted rather than executed.
//!
//! It reads simple commands with arguments, single and double quotes,
//! backslash escapes, `$VAR`/`${VAR}` and `$(…)`/`` `…` `` expansion (with
//! word splitting of unquoted expansions), `NAME=value` assignments, `;`,
//! `&&`, `||`, pipes, redirections (`>`, `>>`, `<`, `2>`, `2>&1`, `&>`),
//! `*` in paths and here-documents (`<<EOF`, `<<'EOF'`, `<<-EOF`). Compound commands (`if`,
//! `for`, `while`, `case`, functions) are not interpreted: they are reported
//! as "not simulated" on stderr and skipped whole, never silently ignored.
//! What each command does is the [`Host`]'s business.

use std::collections::BTreeMap;

/// What a command (or a script) printed and how it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Both, in the order they were written (what a log captures).
    pub combined: String,
    /// The exit status.
    pub code: i32,
}

impl Output {
    /// Success with this text on stdout.
    pub fn ok(stdout: impl Into<String>) -> Self {
        let stdout = stdout.into();
        Self {
            combined: stdout.clone(),
            stdout,
            ..Self::default()
        }
    }

    /// Failure with this text on stderr.
    pub fn fail(code: i32, stderr: impl Into<String>) -> Self {
        let stderr = stderr.into();
        Self {
            combined: stderr.clone(),
            stderr,
            code,
            ..Self::default()
        }
    }

    fn append(&mut self, other: &Output) {
        self.stdout.push_str(&other.stdout);
        self.stderr.push_str(&other.stderr);
        self.combined.push_str(&other.combined);
        self.code = other.code;
    }
}

/// Where the shell's commands take effect: an instance.
pub(crate) trait Host {
    /// Runs one simple command; `argv[0]` is its name.
    fn run(&mut self, argv: &[String], stdin: &str, env: &mut Env) -> Output;
    /// Reads a file (for `<` and here-strings).
    fn read(&mut self, path: &str) -> Result<String, String>;
    /// Writes (or appends to) a file, for `>` and `>>`.
    fn write(&mut self, path: &str, text: &str, append: bool, env: &Env) -> Result<(), String>;
    /// The paths a pattern with `*` matches, sorted; empty if none.
    fn glob(&mut self, pattern: &str, env: &Env) -> Vec<String>;
}

/// The shell's variables and options.
#[derive(Clone, Debug, Default)]
pub(crate) struct Env {
    /// Variables.
    pub vars: BTreeMap<String, String>,
    /// `set -e`: stop at the first failing command.
    pub errexit: bool,
    /// `$?`.
    pub last: i32,
    /// `exit` was run: stop.
    pub exited: bool,
    /// Whether commands run as root (`sudo`, or cloud-init).
    pub root: bool,
}

/// Runs a script (one line or many) and returns what it printed.
pub(crate) fn run_script(host: &mut dyn Host, env: &mut Env, text: &str) -> Output {
    let mut out = Output::default();
    let items = match parse(text) {
        Ok(items) => items,
        Err(message) => return Output::fail(2, format!("bash: {message}\n")),
    };
    for item in &items {
        if env.exited {
            break;
        }
        let result = match item {
            Item::List(list) => run_list(host, env, list),
            Item::Unsupported(what) => Output::fail(
                0,
                format!("lab: not simulated: {what} (the lab's shell runs simple commands only; this part was skipped)\n"),
            ),
        };
        out.append(&result);
        env.last = result.code;
        if env.errexit && result.code != 0 {
            break;
        }
    }
    out
}

/// One piece of a word.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    /// Literal text; `true` if quoted (never split).
    Lit(String, bool),
    /// `$NAME`; `true` if inside double quotes.
    Var(String, bool),
    /// `$(…)`; `true` if inside double quotes.
    Cmd(String, bool),
}

type Word = Vec<Seg>;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Redirect {
    /// `>` or `>>` (fd 1 or 2), or `&>` (both).
    Out { fd: u8, append: bool, target: Word },
    /// `2>&1`.
    ErrToOut,
    /// `<`.
    In(Word),
    /// A here-document's body (already read); `expand` if unquoted delimiter.
    Here { body: String, expand: bool },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Simple {
    assignments: Vec<(String, Word)>,
    words: Vec<Word>,
    redirects: Vec<Redirect>,
}

/// Pipelines joined by `&&` and `||`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct List {
    first: Vec<Simple>,
    rest: Vec<(bool, Vec<Simple>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    List(List),
    Unsupported(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(Word),
    /// `;`, `&&`, `||`, `|`, `&` or a newline (`\n`).
    Op(&'static str),
    Redirect(Redirect),
}

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    /// Here-documents whose bodies start after the current line.
    pending: Vec<(String, bool, bool)>,
    /// Where each pending here-document's body goes in `tokens`.
    pending_index: Vec<usize>,
    tokens: Vec<Token>,
    /// Source text of each token's line, for "not simulated" messages.
    _text: &'a str,
}

fn parse(text: &str) -> Result<Vec<Item>, String> {
    let mut lexer = Lexer {
        chars: text.chars().collect(),
        pos: 0,
        pending: Vec::new(),
        pending_index: Vec::new(),
        tokens: Vec::new(),
        _text: text,
    };
    lexer.run()?;
    Ok(group(lexer.tokens))
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn run(&mut self) -> Result<(), String> {
        while let Some(c) = self.peek(0) {
            match c {
                ' ' | '\t' | '\r' => self.pos += 1,
                '\\' if self.peek(1) == Some('\n') => self.pos += 2,
                '\n' => {
                    self.pos += 1;
                    self.tokens.push(Token::Op("\n"));
                    self.read_heredocs()?;
                }
                '#' => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                ';' => {
                    self.pos += 1;
                    self.tokens.push(Token::Op(";"));
                }
                '&' if self.peek(1) == Some('&') => {
                    self.pos += 2;
                    self.tokens.push(Token::Op("&&"));
                }
                '&' if self.peek(1) == Some('>') => {
                    self.pos += 2;
                    let append = self.eat('>');
                    let target = self.target()?;
                    self.tokens.push(Token::Redirect(Redirect::Out {
                        fd: 3,
                        append,
                        target,
                    }));
                }
                '&' => {
                    self.pos += 1;
                    self.tokens.push(Token::Op("&"));
                }
                '|' if self.peek(1) == Some('|') => {
                    self.pos += 2;
                    self.tokens.push(Token::Op("||"));
                }
                '|' => {
                    self.pos += 1;
                    self.tokens.push(Token::Op("|"));
                }
                '2' if self.peek(1) == Some('>') => {
                    if self.peek(2) == Some('&') && self.peek(3) == Some('1') {
                        self.pos += 4;
                        self.tokens.push(Token::Redirect(Redirect::ErrToOut));
                    } else {
                        self.pos += 2;
                        let append = self.eat('>');
                        let target = self.target()?;
                        self.tokens.push(Token::Redirect(Redirect::Out {
                            fd: 2,
                            append,
                            target,
                        }));
                    }
                }
                '1' if self.peek(1) == Some('>') => {
                    self.pos += 1;
                }
                '>' => {
                    self.pos += 1;
                    let append = self.eat('>');
                    if self.peek(0) == Some('&') && self.peek(1) == Some('2') {
                        // `>&2`: to stderr; the lab keeps it on stdout's log.
                        self.pos += 2;
                        continue;
                    }
                    let target = self.target()?;
                    self.tokens.push(Token::Redirect(Redirect::Out {
                        fd: 1,
                        append,
                        target,
                    }));
                }
                '<' if self.peek(1) == Some('<') && self.peek(2) == Some('<') => {
                    self.pos += 3;
                    let word = self.target()?;
                    self.tokens.push(Token::Redirect(Redirect::Here {
                        body: format!("{}\n", literal(&word)),
                        expand: true,
                    }));
                }
                '<' if self.peek(1) == Some('<') => {
                    self.pos += 2;
                    let strip = self.eat('-');
                    self.skip_blanks();
                    let word = self.word()?;
                    let quoted = word.iter().any(|s| matches!(s, Seg::Lit(_, true)));
                    let delimiter = literal(&word);
                    if delimiter.is_empty() {
                        return Err("syntax error: a here-document needs a delimiter".into());
                    }
                    let index = self.tokens.len();
                    self.tokens.push(Token::Redirect(Redirect::Here {
                        body: String::new(),
                        expand: !quoted,
                    }));
                    self.pending.push((delimiter, strip, false));
                    // Remember where to put the body.
                    self.pending_index.push(index);
                }
                '<' => {
                    self.pos += 1;
                    let target = self.target()?;
                    self.tokens.push(Token::Redirect(Redirect::In(target)));
                }
                _ => {
                    let word = self.word()?;
                    self.tokens.push(Token::Word(word));
                }
            }
        }
        self.read_heredocs()?;
        if let Some((delimiter, ..)) = self.pending.first() {
            return Err(format!(
                "warning: here-document delimited by end-of-file (wanted `{delimiter}')"
            ));
        }
        Ok(())
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek(0) == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(0), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }

    fn target(&mut self) -> Result<Word, String> {
        self.skip_blanks();
        let word = self.word()?;
        if word.is_empty() {
            return Err("syntax error near unexpected token `newline'".into());
        }
        Ok(word)
    }

    /// Reads the bodies of the here-documents opened on the line just ended.
    fn read_heredocs(&mut self) -> Result<(), String> {
        let pending = std::mem::take(&mut self.pending);
        let indexes = std::mem::take(&mut self.pending_index);
        for ((delimiter, strip, _), index) in pending.into_iter().zip(indexes) {
            let mut body = String::new();
            let mut found = false;
            while self.pos < self.chars.len() {
                let start = self.pos;
                while self.peek(0).is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
                let line: String = self.chars[start..self.pos].iter().collect();
                if self.peek(0) == Some('\n') {
                    self.pos += 1;
                }
                let line = if strip {
                    line.trim_start_matches('\t').to_owned()
                } else {
                    line
                };
                if line.trim_end_matches('\r') == delimiter {
                    found = true;
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            if !found {
                return Err(format!(
                    "warning: here-document delimited by end-of-file (wanted `{delimiter}')"
                ));
            }
            if let Some(Token::Redirect(Redirect::Here { body: slot, .. })) =
                self.tokens.get_mut(index)
            {
                *slot = body;
            }
        }
        Ok(())
    }

    /// Reads one word: up to a blank or an operator, outside quotes.
    fn word(&mut self) -> Result<Word, String> {
        let mut segs: Word = Vec::new();
        let mut lit = String::new();
        let flush = |lit: &mut String, segs: &mut Word, quoted: bool| {
            if !lit.is_empty() || quoted {
                segs.push(Seg::Lit(std::mem::take(lit), quoted));
            }
        };
        while let Some(c) = self.peek(0) {
            match c {
                ' ' | '\t' | '\n' | '\r' | ';' | '|' | '&' | '<' | '>' => break,
                '\\' => {
                    self.pos += 1;
                    match self.peek(0) {
                        Some('\n') => self.pos += 1,
                        Some(next) => {
                            flush(&mut lit, &mut segs, false);
                            segs.push(Seg::Lit(next.to_string(), true));
                            self.pos += 1;
                        }
                        None => {}
                    }
                }
                '\'' => {
                    flush(&mut lit, &mut segs, false);
                    self.pos += 1;
                    let start = self.pos;
                    while self.peek(0).is_some_and(|c| c != '\'') {
                        self.pos += 1;
                    }
                    if self.peek(0).is_none() {
                        return Err("unexpected EOF while looking for matching `''".into());
                    }
                    let text: String = self.chars[start..self.pos].iter().collect();
                    self.pos += 1;
                    segs.push(Seg::Lit(text, true));
                }
                '"' => {
                    flush(&mut lit, &mut segs, false);
                    self.pos += 1;
                    self.double_quoted(&mut segs)?;
                }
                '$' | '`' => {
                    flush(&mut lit, &mut segs, false);
                    match self.dollar(false)? {
                        Some(seg) => segs.push(seg),
                        None => lit.push('$'),
                    }
                }
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut lit, &mut segs, false);
        Ok(segs)
    }

    fn double_quoted(&mut self, segs: &mut Word) -> Result<(), String> {
        let mut lit = String::new();
        // An empty "" still makes a word.
        segs.push(Seg::Lit(String::new(), true));
        loop {
            match self.peek(0) {
                None => return Err("unexpected EOF while looking for matching `\"'".into()),
                Some('"') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => {
                    match self.peek(1) {
                        Some(c @ ('$' | '`' | '"' | '\\')) => lit.push(c),
                        Some('\n') => {}
                        Some(c) => {
                            lit.push('\\');
                            lit.push(c);
                        }
                        None => lit.push('\\'),
                    }
                    self.pos += 2;
                }
                Some('$' | '`') => {
                    if !lit.is_empty() {
                        segs.push(Seg::Lit(std::mem::take(&mut lit), true));
                    }
                    match self.dollar(true)? {
                        Some(seg) => segs.push(seg),
                        None => lit.push('$'),
                    }
                }
                Some(c) => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        if !lit.is_empty() {
            segs.push(Seg::Lit(lit, true));
        }
        Ok(())
    }

    /// `$NAME`, `${NAME}`, `$?`, `$(…)` or `` `…` ``; `None` for a lone `$`.
    fn dollar(&mut self, quoted: bool) -> Result<Option<Seg>, String> {
        if self.peek(0) == Some('`') {
            self.pos += 1;
            let start = self.pos;
            while self.peek(0).is_some_and(|c| c != '`') {
                self.pos += 1;
            }
            if self.peek(0).is_none() {
                return Err("unexpected EOF while looking for matching ``'".into());
            }
            let text: String = self.chars[start..self.pos].iter().collect();
            self.pos += 1;
            return Ok(Some(Seg::Cmd(text, quoted)));
        }
        self.pos += 1; // `$`
        match self.peek(0) {
            Some('(') => {
                self.pos += 1;
                let start = self.pos;
                let mut depth = 1;
                let mut quote: Option<char> = None;
                while let Some(c) = self.peek(0) {
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, '\'' | '"') => quote = Some(c),
                        (None, '(') => depth += 1,
                        (None, ')') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
                if self.peek(0).is_none() {
                    return Err("unexpected EOF while looking for matching `)'".into());
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                self.pos += 1;
                Ok(Some(Seg::Cmd(text, quoted)))
            }
            Some('{') => {
                self.pos += 1;
                let start = self.pos;
                while self.peek(0).is_some_and(|c| c != '}') {
                    self.pos += 1;
                }
                if self.peek(0).is_none() {
                    return Err("unexpected EOF while looking for matching `}'".into());
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                self.pos += 1;
                Ok(Some(Seg::Var(name, quoted)))
            }
            Some(c @ ('?' | '$' | '#' | '0'..='9')) => {
                self.pos += 1;
                Ok(Some(Seg::Var(c.to_string(), quoted)))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let start = self.pos;
                while self
                    .peek(0)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    self.pos += 1;
                }
                Ok(Some(Seg::Var(
                    self.chars[start..self.pos].iter().collect(),
                    quoted,
                )))
            }
            _ => Ok(None),
        }
    }
}

/// A word's text without expansion (for delimiters and keywords).
fn literal(word: &Word) -> String {
    word.iter()
        .map(|s| match s {
            Seg::Lit(t, _) => t.clone(),
            Seg::Var(name, _) => format!("${name}"),
            Seg::Cmd(text, _) => format!("$({text})"),
        })
        .collect()
}

/// Openers of compound commands and what closes them.
fn closer(keyword: &str) -> Option<&'static str> {
    match keyword {
        "if" => Some("fi"),
        "for" | "while" | "until" | "select" => Some("done"),
        "case" => Some("esac"),
        "{" | "function" => Some("}"),
        "(" => Some(")"),
        _ => None,
    }
}

/// Groups tokens into and-or lists, setting aside compound commands.
fn group(tokens: Vec<Token>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    let mut list: Option<List> = None;
    let mut pipeline: Vec<Simple> = Vec::new();
    let mut simple = Simple::default();
    let mut joiner: Option<bool> = None;
    let finish_simple = |simple: &mut Simple, pipeline: &mut Vec<Simple>| {
        if !simple.words.is_empty()
            || !simple.assignments.is_empty()
            || !simple.redirects.is_empty()
        {
            pipeline.push(std::mem::take(simple));
        }
    };
    let finish_pipeline =
        |pipeline: &mut Vec<Simple>, list: &mut Option<List>, joiner: &mut Option<bool>| {
            if pipeline.is_empty() {
                return;
            }
            let done = std::mem::take(pipeline);
            match (list.as_mut(), joiner.take()) {
                (Some(l), Some(and)) => l.rest.push((and, done)),
                _ => {
                    *list = Some(List {
                        first: done,
                        rest: Vec::new(),
                    });
                }
            }
        };
    while let Some(token) = iter.next() {
        match token {
            Token::Word(word) => {
                let text = literal(&word);
                let at_start = simple.words.is_empty() && simple.assignments.is_empty();
                let is_function = at_start && text.ends_with("()");
                if at_start && (closer(&text).is_some() || is_function) {
                    // A compound command: skip to its end, counting nesting.
                    let close = if is_function {
                        "}"
                    } else {
                        closer(&text).unwrap_or("}")
                    };
                    let mut depth = 1;
                    let mut seen_brace = !is_function;
                    let mut summary = text.clone();
                    for next in iter.by_ref() {
                        if let Token::Word(w) = &next {
                            let t = literal(w);
                            if summary.len() < 60 {
                                summary.push(' ');
                                summary.push_str(&t);
                            }
                            if is_function && t == "{" && !seen_brace {
                                seen_brace = true;
                                continue;
                            }
                            if closer(&t) == Some(close) && t != close {
                                depth += 1;
                            } else if t == close {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                        }
                    }
                    if summary.len() >= 60 {
                        summary.push_str(" …");
                    }
                    summary.push_str(&format!(" … {close}"));
                    finish_pipeline(&mut pipeline, &mut list, &mut joiner);
                    if let Some(l) = list.take() {
                        items.push(Item::List(l));
                    }
                    items.push(Item::Unsupported(summary));
                    continue;
                }
                if at_start {
                    if let Some((name, value)) = assignment(&word) {
                        simple.assignments.push((name, value));
                        continue;
                    }
                }
                simple.words.push(word);
            }
            Token::Redirect(r) => simple.redirects.push(r),
            Token::Op(op) => {
                finish_simple(&mut simple, &mut pipeline);
                match op {
                    "|" => {}
                    "&&" | "||" => {
                        finish_pipeline(&mut pipeline, &mut list, &mut joiner);
                        joiner = Some(op == "&&");
                    }
                    _ => {
                        // `;`, `&` (run in the foreground here) or a newline.
                        if joiner.is_some() && pipeline.is_empty() && op == "\n" {
                            // `cmd &&` at a line end continues on the next.
                            continue;
                        }
                        finish_pipeline(&mut pipeline, &mut list, &mut joiner);
                        if let Some(l) = list.take() {
                            items.push(Item::List(l));
                        }
                    }
                }
            }
        }
    }
    finish_simple(&mut simple, &mut pipeline);
    finish_pipeline(&mut pipeline, &mut list, &mut joiner);
    if let Some(l) = list.take() {
        items.push(Item::List(l));
    }
    items
}

/// `NAME=value` at the start of a command.
fn assignment(word: &Word) -> Option<(String, Word)> {
    let Some(Seg::Lit(first, false)) = word.first() else {
        return None;
    };
    let (name, rest) = first.split_once('=')?;
    if name.is_empty()
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        || name.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let mut value: Word = Vec::new();
    if !rest.is_empty() {
        value.push(Seg::Lit(rest.to_owned(), true));
    }
    value.extend(word[1..].iter().cloned().map(|s| match s {
        // Assignments are never split.
        Seg::Var(n, _) => Seg::Var(n, true),
        Seg::Cmd(c, _) => Seg::Cmd(c, true),
        lit => lit,
    }));
    Some((name.to_owned(), value))
}

fn run_list(host: &mut dyn Host, env: &mut Env, list: &List) -> Output {
    let mut out = run_pipeline(host, env, &list.first);
    for (and, pipeline) in &list.rest {
        if (*and && out.code != 0) || (!*and && out.code == 0) || env.exited {
            continue;
        }
        env.last = out.code;
        let next = run_pipeline(host, env, pipeline);
        out.append(&next);
    }
    out
}

fn run_pipeline(host: &mut dyn Host, env: &mut Env, pipeline: &[Simple]) -> Output {
    let mut out = Output::default();
    let mut stdin = String::new();
    let last = pipeline.len().saturating_sub(1);
    for (index, simple) in pipeline.iter().enumerate() {
        let result = run_simple(host, env, simple, &stdin);
        if index < last {
            // Its stdout feeds the next command; stderr still shows.
            stdin = result.stdout;
            out.stderr.push_str(&result.stderr);
            out.combined.push_str(&result.stderr);
        } else {
            out.append(&result);
        }
    }
    out
}

/// Expands a word into fields.
fn expand(host: &mut dyn Host, env: &mut Env, word: &Word) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut has_field = false;
    for seg in word {
        let (text, quoted) = match seg {
            Seg::Lit(text, quoted) => (text.clone(), *quoted || !text.is_empty()),
            Seg::Var(name, quoted) => (variable(env, name), *quoted),
            Seg::Cmd(script, quoted) => {
                let mut sub = env.clone();
                let result = run_script(host, &mut sub, script);
                env.last = result.code;
                (result.stdout.trim_end_matches('\n').to_owned(), *quoted)
            }
        };
        match seg {
            Seg::Lit(..) => {
                current.push_str(&text);
                has_field |= quoted;
            }
            _ if quoted => {
                current.push_str(&text);
                has_field = true;
            }
            _ => {
                // Unquoted expansion: split on blanks.
                let mut parts = text.split_whitespace().peekable();
                if text.starts_with(char::is_whitespace) && (has_field || !current.is_empty()) {
                    fields.push(std::mem::take(&mut current));
                    has_field = false;
                }
                while let Some(part) = parts.next() {
                    current.push_str(part);
                    has_field = true;
                    if parts.peek().is_some() {
                        fields.push(std::mem::take(&mut current));
                    }
                }
                if text.ends_with(char::is_whitespace) && has_field {
                    fields.push(std::mem::take(&mut current));
                    has_field = false;
                }
            }
        }
    }
    if has_field || !current.is_empty() {
        fields.push(current);
    }
    fields
}

fn variable(env: &Env, name: &str) -> String {
    if name == "?" {
        return env.last.to_string();
    }
    if let Some((var, default)) = name.split_once(":-") {
        return env
            .vars
            .get(var)
            .filter(|v| !v.is_empty())
            .cloned()
            .unwrap_or_else(|| default.to_owned());
    }
    env.vars.get(name).cloned().unwrap_or_default()
}

/// Expands a here-document body: `$VAR` and `$(…)`, nothing else.
fn expand_here(host: &mut dyn Host, env: &mut Env, body: &str) -> String {
    let mut lexer = Lexer {
        chars: body.chars().collect(),
        pos: 0,
        pending: Vec::new(),
        pending_index: Vec::new(),
        tokens: Vec::new(),
        _text: body,
    };
    let mut out = String::new();
    while let Some(c) = lexer.peek(0) {
        match c {
            '\\' if matches!(lexer.peek(1), Some('$' | '`' | '\\')) => {
                out.push(lexer.peek(1).unwrap_or('\\'));
                lexer.pos += 2;
            }
            '$' | '`' => match lexer.dollar(true) {
                Ok(Some(seg)) => out.push_str(&expand(host, env, &vec![seg]).join(" ")),
                Ok(None) => out.push('$'),
                Err(_) => {
                    out.push(c);
                    lexer.pos += 1;
                }
            },
            _ => {
                out.push(c);
                lexer.pos += 1;
            }
        }
    }
    out
}

fn run_simple(host: &mut dyn Host, env: &mut Env, simple: &Simple, stdin: &str) -> Output {
    let mut argv: Vec<String> = Vec::new();
    for word in &simple.words {
        let unquoted_star = word
            .iter()
            .any(|s| matches!(s, Seg::Lit(t, false) if t.contains('*')));
        for field in expand(host, env, word) {
            // Pathname expansion of an unquoted `*`; no match keeps the word.
            let matches = if unquoted_star {
                host.glob(&field, env)
            } else {
                Vec::new()
            };
            if matches.is_empty() {
                argv.push(field);
            } else {
                argv.extend(matches);
            }
        }
    }
    let mut assigned = Vec::new();
    for (name, value) in &simple.assignments {
        let text = expand(host, env, value).join(" ");
        assigned.push((name.clone(), text));
    }
    if argv.is_empty() {
        for (name, text) in assigned {
            env.vars.insert(name, text);
        }
        return Output {
            code: env.last,
            ..Output::default()
        };
    }
    // `NAME=value cmd`: the lab sets them for the rest of the script too.
    for (name, text) in assigned {
        env.vars.insert(name, text);
    }
    let mut input = stdin.to_owned();
    let mut outputs: Vec<(u8, bool, String)> = Vec::new();
    let mut err_to_out = false;
    for redirect in &simple.redirects {
        match redirect {
            Redirect::In(target) => {
                let path = expand(host, env, target).join(" ");
                match host.read(&path) {
                    Ok(text) => input = text,
                    Err(e) => return Output::fail(1, format!("bash: {path}: {e}\n")),
                }
            }
            Redirect::Here { body, expand: true } => input = expand_here(host, env, body),
            Redirect::Here { body, .. } => input.clone_from(body),
            Redirect::Out { fd, append, target } => {
                let path = expand(host, env, target).join(" ");
                outputs.push((*fd, *append, path));
            }
            Redirect::ErrToOut => err_to_out = true,
        }
    }
    let mut result = host.run(&argv, &input, env);
    if err_to_out {
        result.stdout.push_str(&std::mem::take(&mut result.stderr));
    }
    for (fd, append, path) in outputs {
        let text = match fd {
            1 => std::mem::take(&mut result.stdout),
            2 => std::mem::take(&mut result.stderr),
            _ => {
                let mut both = std::mem::take(&mut result.stdout);
                both.push_str(&std::mem::take(&mut result.stderr));
                both
            }
        };
        if path == "/dev/null" {
            continue;
        }
        if let Err(e) = host.write(&path, &text, append, env) {
            let message = format!("bash: {path}: {e}\n");
            result.stderr.push_str(&message);
            result.code = 1;
        }
    }
    // What is left on the terminal, in order (stderr after stdout).
    result.combined = format!("{}{}", result.stdout, result.stderr);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A host that echoes its argv and keeps files in a map.
    #[derive(Default)]
    struct Echo {
        files: BTreeMap<String, String>,
    }

    impl Host for Echo {
        fn glob(&mut self, _pattern: &str, _env: &Env) -> Vec<String> {
            Vec::new()
        }
        fn run(&mut self, argv: &[String], stdin: &str, _env: &mut Env) -> Output {
            match argv[0].as_str() {
                "false" => Output::fail(1, ""),
                "cat" => Output::ok(stdin),
                "hostname" => Output::ok("ip-10-0-1-5\n"),
                _ => Output::ok(format!(
                    "{}\n",
                    argv.iter().map(|a| format!("[{a}]")).collect::<String>()
                )),
            }
        }
        fn read(&mut self, path: &str) -> Result<String, String> {
            self.files
                .get(path)
                .cloned()
                .ok_or_else(|| "No such file or directory".into())
        }
        fn write(
            &mut self,
            path: &str,
            text: &str,
            append: bool,
            _env: &Env,
        ) -> Result<(), String> {
            let file = self.files.entry(path.to_owned()).or_default();
            if !append {
                file.clear();
            }
            file.push_str(text);
            Ok(())
        }
    }

    fn run(script: &str) -> (String, BTreeMap<String, String>) {
        let mut host = Echo::default();
        let mut env = Env::default();
        let out = run_script(&mut host, &mut env, script);
        (out.combined, host.files)
    }

    #[test]
    fn quoting_expansion_and_splitting() {
        let (out, _) = run("X='a b'; echo $X \"$X\" '$X' ${X}c \"$(hostname)\" `hostname`x");
        assert_eq!(
            out,
            "[echo][a][b][a b][$X][a][bc][ip-10-0-1-5][ip-10-0-1-5x]\n"
        );
    }

    #[test]
    fn and_or_and_pipes() {
        let (out, _) = run("false && echo no || echo yes\necho one | cat\nfalse; echo $?");
        assert_eq!(out, "[echo][yes]\n[echo][one]\n[echo][1]\n");
    }

    #[test]
    fn redirections_and_heredocs() {
        let script = "N=web\ncat > /a <<EOF\nhello $N\n\\$N\nEOF\ncat >> /a <<'EOF'\nraw $N\nEOF\necho hi > /dev/null\n";
        let (out, files) = run(script);
        assert_eq!(out, "");
        assert_eq!(files["/a"], "hello web\n$N\nraw $N\n");
    }

    #[test]
    fn compound_commands_are_reported_not_run() {
        let (out, _) = run("if true; then\n  echo in\nfi\necho after");
        assert_eq!(
            out,
            "lab: not simulated: if true then echo in fi … fi (the lab's shell runs simple commands only; this part was skipped)\n[echo][after]\n"
        );
    }

    #[test]
    fn syntax_errors_are_reported() {
        let (out, _) = run("echo 'open");
        assert_eq!(out, "bash: unexpected EOF while looking for matching `''\n");
    }
}
