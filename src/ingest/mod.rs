//! Ingest: content files in, [`Transcript`](crate::model::Transcript)s out.
//! One module per source format; each hands a draft to [`normalize`], which
//! applies the same rules to all of them. Nothing here knows about HTML
//! templates or the output folder.

pub mod frontmatter;
pub mod markdown;
pub mod normalize;

use crate::diagnostic::Diagnostic;
use normalize::{Normalized, Origin};
use std::path::Path;
use std::sync::Arc;

/// Settings that change how content is read.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Pass raw HTML in Markdown through instead of showing it as text.
    pub allow_html: bool,
    /// Language of transcripts that do not name one.
    pub default_language: String,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            allow_html: false,
            default_language: "en".to_string(),
        }
    }
}

/// The formats verbatim reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
}

impl Format {
    /// The format of a content file, or `None` for files that are not transcripts.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

/// The largest content file verbatim reads: far above any transcript, far
/// below what would exhaust memory once the text is parsed and rendered.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads one content file. `display_path` is how messages name it.
pub fn load(
    path: &Path,
    display_path: &str,
    options: &IngestOptions,
) -> Result<Normalized, Vec<Diagnostic>> {
    let format = Format::of(path).ok_or_else(|| {
        vec![Diagnostic::error(
            display_path,
            "not a transcript format verbatim reads",
        )]
    })?;
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        return Err(vec![Diagnostic::error(
            display_path,
            format!(
                "the file is {} MB; verbatim reads content files of at most {} MB",
                size / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .help(
            "split the transcript into several files, or move this file out of content/",
        )]);
    }
    let bytes = std::fs::read(path).map_err(|e| {
        vec![Diagnostic::error(
            display_path,
            format!("cannot read the file: {e}"),
        )]
    })?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("transcript");
    parse_bytes(format, display_path, &bytes, stem, options)
}

/// Parses a content file's bytes: UTF-8 check, then [`parse`]. This is what
/// [`load`] does after reading the file (the fuzz targets start here).
pub fn parse_bytes(
    format: Format,
    display_path: &str,
    bytes: &[u8],
    stem: &str,
    options: &IngestOptions,
) -> Result<Normalized, Vec<Diagnostic>> {
    let text = decode(display_path, bytes).map_err(|d| vec![d])?;
    parse(format, display_path, &text, stem, options)
}

/// Parses text already in memory (tests and importers use this directly).
pub fn parse(
    format: Format,
    display_path: &str,
    text: &Arc<str>,
    stem: &str,
    options: &IngestOptions,
) -> Result<Normalized, Vec<Diagnostic>> {
    let origin = Origin {
        path: display_path,
        text,
        stem,
        default_language: &options.default_language,
    };
    match format {
        Format::Markdown => markdown::parse(&origin, options),
    }
}

/// UTF-8, with or without a byte order mark; anything else is refused with
/// the position of the first bad byte.
fn decode(display_path: &str, bytes: &[u8]) -> Result<Arc<str>, Diagnostic> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(
            Diagnostic::error(display_path, "the file is UTF-16; verbatim reads UTF-8")
                .help("save the file as UTF-8 in your editor"),
        );
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => match s.find('\0') {
            // Text never holds NUL; a file that does is binary or corrupt.
            Some(at) => {
                let text: Arc<str> = Arc::from(s);
                Err(Diagnostic::error(
                    display_path,
                    "the file holds a NUL byte: it is binary or damaged, not a transcript",
                )
                .at(&text, at..at + 1)
                .help("open it in a text editor and remove the NUL bytes, or move the file out of content/"))
            }
            None => Ok(Arc::from(s)),
        },
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let valid = std::str::from_utf8(good).unwrap_or_default();
            let (line, column) = crate::diagnostic::line_column(valid, valid.len());
            let mut d = Diagnostic::error(
                display_path,
                format!(
                    "the file is not valid UTF-8 (byte 0x{:02X} at offset {})",
                    bytes[e.valid_up_to()],
                    e.valid_up_to()
                ),
            )
            .help("save the file as UTF-8 in your editor");
            d.line = Some(line);
            d.column = Some(column);
            Err(d)
        }
    }
}
