//! `--output table`: boxed tables drawn with `+`, `-` and `|`, as the AWS
//! CLI's table formatter (`awscli/formatter.py` and `awscli/table.py`)
//! draws them when the output is not a terminal (no colour, 80 columns).
//!
//! - The first section is titled with the operation's name
//!   (`DescribeInstances`), with or without `--query`.
//! - An object's scalar values make a row under a row of their sorted keys;
//!   an object with one scalar makes a `key | value` row. Its lists and
//!   objects follow as sections titled with their key, one `|` deeper.
//! - A list of objects makes one table whose columns are every scalar key of
//!   any of them, sorted; when the objects have nested values, each object
//!   gets its own section so that its nested sections follow it.
//! - Columns are as wide as their widest cell plus four, then stretched in
//!   proportion to fill the widest section. When that is wider than 80
//!   columns, every one-row section is turned into `key | value` rows.
//! - A lone scalar (`--query Vpcs[0].VpcId`) prints only the title; an empty
//!   result, `0`, `false` or `""` prints nothing, as in the AWS CLI.

use serde_json::{Map, Value};

use super::python::str_of;
use super::width::text_width;

/// The width the AWS CLI assumes when standard output is not a terminal.
const TERMINAL_WIDTH: usize = 80;

/// The whole table output, or nothing for an empty result.
pub fn render(value: &Value, operation: &str) -> String {
    let mut table = Table::default();
    if !table.build(Some(operation), value, 0) {
        return String::new();
    }
    table.render()
}

/// One titled block of the output.
#[derive(Clone, Debug, Default)]
struct Section {
    /// `None` stands for Python's `None` title: no title line, but its
    /// text "None" still counts towards the width.
    title: Option<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent_level: usize,
    max_widths: Vec<usize>,
}

#[derive(Debug, Default)]
struct Table {
    sections: Vec<Section>,
}

impl Table {
    /// Adds `current` under `title`; false when there is nothing to show.
    fn build(&mut self, title: Option<&str>, current: &Value, indent_level: usize) -> bool {
        if !truthy(current) {
            return false;
        }
        if let Some(title) = title {
            self.new_section(Some(title), indent_level);
        }
        match current {
            Value::Array(items) if items.first().is_some_and(Value::is_object) => {
                self.build_from_list(items, indent_level, title);
            }
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Array(elements) if elements.iter().all(is_scalar) => {
                            self.add_row(elements.iter().map(str_of).collect());
                        }
                        // Python iterates an object's keys here, all strings.
                        Value::Object(map) => self.add_row(map.keys().cloned().collect()),
                        Value::Array(_) => {
                            self.build(None, item, 0);
                        }
                        scalar => self.add_row(vec![str_of(scalar)]),
                    }
                }
            }
            Value::Object(map) => self.build_from_object(map, indent_level),
            _ => {}
        }
        true
    }

    fn build_from_object(&mut self, map: &Map<String, Value>, indent_level: usize) {
        let (headers, more) = group_scalar_keys(map);
        if let [header] = headers.as_slice() {
            let value = map.get(header).map(str_of).unwrap_or_default();
            self.add_row(vec![header.clone(), value]);
        } else if !headers.is_empty() {
            let row = headers
                .iter()
                .map(|key| map.get(key).map(str_of).unwrap_or_default())
                .collect();
            self.add_header(headers);
            self.add_row(row);
        }
        for key in more {
            if let Some(value) = map.get(&key) {
                self.build(Some(&key), value, indent_level + 1);
            }
        }
    }

    fn build_from_list(&mut self, items: &[Value], indent_level: usize, title: Option<&str>) {
        let mut headers: Vec<String> = Vec::new();
        let mut more: Vec<String> = Vec::new();
        for map in items.iter().filter_map(Value::as_object) {
            let (scalars, nested) = group_scalar_keys(map);
            headers.extend(scalars);
            more.extend(nested);
        }
        headers.sort();
        headers.dedup();
        more.sort();
        more.dedup();
        self.add_header(headers.clone());
        let empty = Map::new();
        for (index, item) in items.iter().enumerate() {
            let map = item.as_object().unwrap_or(&empty);
            if index > 0 && !more.is_empty() {
                self.new_section(title, indent_level);
                self.add_header(headers.clone());
            }
            let row = headers
                .iter()
                .map(|key| map.get(key).map(str_of).unwrap_or_default())
                .collect();
            self.add_row(row);
            for key in &more {
                if let Some(value) = map.get(key) {
                    self.build(Some(key), value, indent_level + 1);
                }
            }
        }
    }

    fn new_section(&mut self, title: Option<&str>, indent_level: usize) {
        self.sections.push(Section {
            title: title.map(str::to_owned),
            indent_level,
            ..Section::default()
        });
    }

    fn add_header(&mut self, headers: Vec<String>) {
        if let Some(section) = self.sections.last_mut() {
            section.update_max_widths(&headers);
            section.headers = headers;
        }
    }

    fn add_row(&mut self, row: Vec<String>) {
        if let Some(section) = self.sections.last_mut() {
            section.update_max_widths(&row);
            section.rows.push(row);
        }
    }

    fn render(mut self) -> String {
        let mut max_width = self.max_width();
        if max_width > TERMINAL_WIDTH {
            for section in &mut self.sections {
                section.convert_to_vertical();
            }
            max_width = self.max_width();
        }
        let mut out = "-".repeat(max_width);
        out.push('\n');
        for section in &self.sections {
            section.render(max_width, &mut out);
        }
        out
    }

    fn max_width(&self) -> usize {
        self.sections
            .iter()
            .map(Section::total_width)
            .max()
            .unwrap_or(0)
    }
}

impl Section {
    fn update_max_widths(&mut self, row: &[String]) {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|cell| text_width(cell)).collect();
            return;
        }
        for (index, cell) in row.iter().enumerate() {
            let width = text_width(cell);
            match self.max_widths.get_mut(index) {
                Some(max) => *max = (*max).max(width),
                None => self.max_widths.push(width),
            }
        }
    }

    fn title_width(&self) -> usize {
        self.title.as_deref().map_or(4, text_width)
    }

    /// Columns (four of padding each), the two outer borders and two `|`
    /// per indent level; at least the title's width.
    fn total_width(&self) -> usize {
        let columns: usize = self.max_widths.iter().map(|width| width + 4).sum();
        let outer = 2 + 2 * self.indent_level;
        (self.title_width() + outer).max(columns + outer)
    }

    /// Column widths, each its widest cell plus four, scaled to fill
    /// `max_width` exactly.
    fn column_widths(&self, max_width: usize) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|width| width + 4).collect();
        let total: usize = unscaled.iter().sum();
        if unscaled.is_empty() || total == 0 {
            return unscaled;
        }
        #[allow(clippy::cast_precision_loss)]
        let scale = max_width as f64 / total as f64;
        // Python 3's round() rounds halves to even.
        #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|&width| (scale * width as f64).round_ties_even() as i64)
            .collect();
        #[allow(clippy::cast_possible_wrap)]
        let mut off_by: i64 = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for index in order {
                if off_by > 0 {
                    scaled[index] -= 1;
                    off_by -= 1;
                } else {
                    scaled[index] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled
            .into_iter()
            .map(|width| usize::try_from(width).unwrap_or(0))
            .collect()
    }

    /// A one-row section with headers becomes `header | value` rows.
    fn convert_to_vertical(&mut self) {
        if self.rows.len() != 1 || self.headers.is_empty() {
            return;
        }
        let headers = std::mem::take(&mut self.headers);
        let row = std::mem::take(&mut self.rows).concat();
        self.max_widths.clear();
        for (header, cell) in headers.into_iter().zip(row) {
            let pair = vec![header, cell];
            self.update_max_widths(&pair);
            self.rows.push(pair);
        }
    }

    fn render(&self, max_width: usize, out: &mut String) {
        let indent = "|".repeat(self.indent_level);
        let mut line = |text: String| {
            out.push_str(&indent);
            out.push_str(&text);
            out.push_str(&indent);
            out.push('\n');
        };
        let width = max_width.saturating_sub(2 * self.indent_level);
        if let Some(title) = self.title.as_deref().filter(|title| !title.is_empty()) {
            line(center(title, width, "|", "|"));
            if self.headers.is_empty() && self.rows.is_empty() {
                line(format!("+{}+", "-".repeat(width.saturating_sub(2))));
            }
        }
        if !self.headers.is_empty() {
            let widths = self.column_widths(width);
            line(line_break(&widths));
            let mut text = String::new();
            for (index, (width, header)) in widths.iter().zip(&self.headers).enumerate() {
                let left = if index == 0 { "|" } else { "" };
                text.push_str(&center(header, *width, left, "|"));
            }
            line(text);
        }
        if self.rows.is_empty() {
            return;
        }
        let widths = self.column_widths(width);
        if widths.is_empty() {
            return;
        }
        line(line_break(&widths));
        for row in &self.rows {
            let mut text = String::new();
            for (index, (width, cell)) in widths.iter().zip(row).enumerate() {
                let left = if index == 0 { "|" } else { "" };
                text.push_str(&align_left(cell, *width, left, "|"));
            }
            line(text);
        }
        line(line_break(&widths));
    }
}

/// `text` centred in `length` columns between the edges; the left half
/// gets the odd space.
fn center(text: &str, length: usize, left: &str, right: &str) -> String {
    let text_length = signed(text_width(text));
    let length = signed(length);
    let start = length / 2 - text_length / 2 - 1;
    let so_far = signed(left.len()) + start + text_length;
    let right_spaces = length - signed(right.len()) - so_far;
    format!(
        "{left}{}{text}{}{right}",
        spaces(start),
        spaces(right_spaces)
    )
}

/// `text` two spaces from the left edge (none if it would not fit), padded
/// to `length` columns.
fn align_left(text: &str, length: usize, left: &str, right: &str) -> String {
    let text_length = signed(text_width(text));
    let length = signed(length);
    let needed = text_length + 2 + signed(left.len()) + signed(right.len());
    let padding = if length >= needed { 2 } else { 0 };
    let so_far = signed(left.len()) + padding + text_length;
    format!(
        "{left}{}{text}{}{right}",
        spaces(padding),
        spaces(length - so_far - signed(right.len()))
    )
}

/// `+-----+-----+`, one `-` run per column.
fn line_break(widths: &[usize]) -> String {
    let mut text = String::new();
    for (index, width) in widths.iter().enumerate() {
        if index == 0 {
            text.push('+');
            text.push_str(&"-".repeat(width.saturating_sub(2)));
        } else {
            text.push_str(&"-".repeat(width.saturating_sub(1)));
        }
        text.push('+');
    }
    text
}

/// Python's `' ' * n`: nothing for a negative `n`.
fn spaces(count: i64) -> String {
    " ".repeat(usize::try_from(count).unwrap_or(0))
}

fn signed(value: usize) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Python's truth: empty, zero, `false` and `null` are false.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// An object's keys with scalar values and the others, each sorted.
fn group_scalar_keys(map: &Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let mut scalars = Vec::new();
    let mut nested = Vec::new();
    for (key, value) in map {
        if is_scalar(value) {
            scalars.push(key.clone());
        } else {
            nested.push(key.clone());
        }
    }
    (scalars, nested)
}
