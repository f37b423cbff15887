//! Messages for people: what went wrong, in which file, at which line and
//! column, and how to fix it. Every stage reports problems as [`Diagnostic`]s;
//! the command line decides how to print them.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// Whether a problem stops the build. A note is no problem: it says what
/// the build did on purpose (a part under embargo left out), so that
/// nothing is left out without a word, and `check --strict` lets it pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

/// One problem found in the site's input.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, as the user would type it (relative to the site root when possible).
    pub path: String,
    /// 1-based line and column, when the position is known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The file's text and the byte range at fault, for showing the line with a caret.
    pub source: Option<Box<(Arc<str>, Range<usize>)>>,
    /// Words of the source's speech this warning leaves out of the site,
    /// for the word ledger of `verbatim check` (0 for most). A `u32` keeps
    /// the struct within the 120 bytes results carry it in.
    pub left_out: u32,
}

impl Diagnostic {
    /// An error in `path`, position unknown.
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
            source: None,
            left_out: 0,
        }
    }

    /// A warning in `path`, position unknown.
    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// A note in `path`: what the build did on purpose.
    pub fn note(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(path, message)
        }
    }

    /// True for warnings (not notes, not errors).
    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// Says the warning leaves `words` words of the source out of the site.
    pub fn leaving_out(mut self, words: usize) -> Self {
        self.left_out = u32::try_from(words).unwrap_or(u32::MAX);
        self
    }

    /// Points the diagnostic at `span` (byte offsets) of the file's `text`.
    pub fn at(mut self, text: &Arc<str>, span: Range<usize>) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let (line, column) = line_column_indexed(text, start);
        self.line = Some(line);
        self.column = Some(column);
        self.source = Some(Box::new((Arc::clone(text), start..end)));
        self
    }

    /// Points the diagnostic at the start of 1-based `line` of `text`, for
    /// parsers that count lines rather than bytes.
    pub fn at_line(self, text: &Arc<str>, line: usize) -> Self {
        let start = if line <= 1 {
            0
        } else {
            memchr::memchr_iter(b'\n', text.as_bytes())
                .nth(line - 2)
                .map_or(text.len(), |i| i + 1)
        };
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
        let end = if text.as_bytes()[..end].ends_with(b"\r") {
            end - 1
        } else {
            end
        };
        self.at(text, start..end)
    }

    /// Adds a hint on how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for errors, false for warnings.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column` (or as much of it as is known).
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.path),
            (Some(l), None) => format!("{}:{l}", self.path),
            _ => self.path.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// One line per fact, for logs and tests: `path:line:col: error: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{}: {kind}: {}", self.location(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// [`line_column`] through an index of line starts, kept for the last text
/// seen on this thread: a file with thousands of errors is scanned once,
/// not once per error.
fn line_column_indexed(text: &Arc<str>, offset: usize) -> (usize, usize) {
    use std::cell::RefCell;
    thread_local! {
        static INDEX: RefCell<Option<(Arc<str>, Vec<usize>)>> = const { RefCell::new(None) };
    }
    INDEX.with(|cell| {
        let mut cell = cell.borrow_mut();
        let fresh = !matches!(&*cell, Some((t, _)) if Arc::ptr_eq(t, text));
        if fresh {
            let starts = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            *cell = Some((Arc::clone(text), starts));
        }
        let (_, starts) = cell.as_ref().expect("filled above");
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = starts.partition_point(|&s| s <= offset);
        let line_start = starts[line - 1];
        (line, text[line_start..offset].chars().count() + 1)
    })
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The problems a failed build found (errors first, then warnings).
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Sorts errors first, then by file and line, so reports are stable across runs.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.path.cmp(&b.path))
                .then_with(|| a.line.cmp(&b.line))
                .then_with(|| a.column.cmp(&b.column))
        });
        self
    }

    /// Number of errors (warnings do not count).
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// A diagnostic as people read it (`color` for a terminal): the source line
/// and a caret when the position is known (miette's report), else one line.
/// The command line prints it; `serve` shows it in the browser overlay too.
pub fn format_diagnostic(d: &Diagnostic, color: bool) -> String {
    let Some((text, span)) = d.source.as_deref() else {
        return printable(&d.to_string());
    };
    // A snippet of a huge line (a minified or damaged file) helps nobody, and
    // miette copies the whole text for every message: huge files get the
    // one-line form.
    if text.len() > 1 << 20 {
        return printable(&d.to_string());
    }
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.start..]
        .find('\n')
        .map_or(text.len(), |i| span.start + i);
    if line_end - line_start > 1000 {
        return printable(&d.to_string());
    }
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    };
    let label_len = span.len().max(1);
    let mut diag =
        miette::MietteDiagnostic::new(printable(&format!("{}: {}", d.location(), d.message)))
            .with_severity(severity)
            .with_label(miette::LabeledSpan::at(
                span.start..span.start + label_len,
                "here",
            ));
    if let Some(help) = &d.help {
        diag = diag.with_help(printable(help));
    }
    let report = miette::Report::new(diag).with_source_code(miette::NamedSource::new(
        printable(&d.path),
        printable(text),
    ));
    let handler = if color {
        miette::GraphicalReportHandler::new()
    } else {
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
    };
    let mut out = String::new();
    match handler.render_report(&mut out, report.as_ref()) {
        Ok(()) => out,
        Err(_) => printable(&d.to_string()),
    }
}

/// Text from content files made safe for a terminal: control characters
/// (an escape sequence could retitle the window, clear the screen or worse)
/// become `?`, or `??` for the two-byte C1 controls, so byte offsets into
/// the text stay right. Line breaks and tabs stay.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' | '\r' => c.to_string(),
            c if c.is_control() => "?".repeat(c.len_utf8()),
            c => c.to_string(),
        })
        .collect()
}

/// A `[[withheld]]` table's file, text and byte range (from its header to
/// the next table), or a whole front matter's, so that a message about it
/// names its line.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub path: Arc<str>,
    pub text: Arc<str>,
    pub table: Range<usize>,
}

impl Place {
    /// A warning at the line `key = ...` of the table, else at its header.
    pub fn warning(&self, key: Option<&str>, message: String) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..self.error(key, message)
        }
    }

    /// An error at the line `key = ...` of the table, else at its header.
    pub fn error(&self, key: Option<&str>, message: String) -> Diagnostic {
        let table = &self.text[self.table.clone()];
        let mut offset = self.table.start;
        let mut span = self.table.start..self.table.start + table.find('\n').unwrap_or(table.len());
        for line in table.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let value = key.and_then(|k| trimmed.strip_prefix(k));
            if value.is_some_and(|r| r.trim_start().starts_with('=')) {
                let start = offset + line.len() - trimmed.len();
                span = start..offset + line.trim_end().len();
                break;
            }
            offset += line.len();
        }
        Diagnostic::error(&*self.path, message).at(&self.text, span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "ab\ncé:d";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_column(text, 6), (2, 3));
    }

    #[test]
    fn indexed_positions_match_the_plain_ones() {
        let text: Arc<str> = Arc::from("ab\ncé:d\n\nlast");
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                line_column_indexed(&text, offset),
                line_column(&text, offset),
                "{offset}"
            );
        }
        let other: Arc<str> = Arc::from("x\ny");
        assert_eq!(line_column_indexed(&other, 2), (2, 1));
    }

    #[test]
    fn display_names_file_line_and_column() {
        let text: Arc<str> = Arc::from("x\nBob: hi");
        let d = Diagnostic::error("content/a.md", "unknown speaker")
            .at(&text, 2..5)
            .help("add Bob to speakers");
        assert_eq!(
            d.to_string(),
            "content/a.md:2:1: error: unknown speaker\n  help: add Bob to speakers"
        );
    }
}
