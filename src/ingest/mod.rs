//! Ingest: content files in, [`Transcript`](crate::model::Transcript)s out.
//! One module per source format in [`formats`]; each hands a draft to
//! [`normalize`], which applies the same rules to all of them. The modules
//! beside `formats` are what the formats share. Nothing here knows about HTML
//! templates or the output folder.

pub mod dates;
pub mod encoding;
pub mod formats;
pub mod frontmatter;
pub mod ledger;
pub mod normalize;
pub mod people;
pub mod roles;
pub mod sidecar;
pub mod speech;
pub mod unread;
pub mod withheld;
pub mod xml;

use crate::diagnostic::Diagnostic;
use formats::{
    article, markdown, ohd_csv, ohms, plaintext, podcast_html, podcast_json, sbv, srt, ttml,
    webvtt, whisper,
};
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
    /// The build's date (`2026-12-07`): parts under an embargo until a
    /// later date are withheld.
    pub today: String,
    /// Whether withheld parts are taken out (always, but for `verbatim
    /// leaks`, which reads them to look for them in a built site).
    pub redact: bool,
    /// The theme's and the site's words, for the placeholders of withheld
    /// parts, written in each transcript's language.
    pub words: std::sync::Arc<crate::words::Words>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            allow_html: false,
            default_language: "en".to_string(),
            today: crate::config::today_utc(),
            redact: true,
            words: std::sync::Arc::new(crate::words::Words::theme()),
        }
    }
}

/// The formats verbatim reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    /// `Name:` turns, `NN. Title` headings, `[hh:mm:ss]` times.
    PlainText,
    WebVtt,
    Srt,
    /// YouTube SubViewer captions (`.sbv`).
    Sbv,
    /// TTML / DFXP captions (`.ttml`, `.dfxp`; `.xml` with a `<tt>` root is
    /// read as [`Format::Ohms`], which hands it on).
    Ttml,
    /// Podcasting 2.0 JSON transcript, or Whisper's JSON (told apart by shape).
    PodcastJson,
    /// Whisper's tab-separated segments (`.tsv`).
    WhisperTsv,
    /// Podcasting 2.0 HTML transcript (`<cite>`, `<time>`, `<p>`), or a
    /// saved interview page (see [`article`]).
    PodcastHtml,
    /// OHMS XML of oral history archives (or TTML saved as `.xml`).
    Ohms,
    /// Oral History as Data CSV.
    OhdCsv,
}

impl Format {
    /// The format of a content file, or `None` for files that are not transcripts.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "txt" => Some(Format::PlainText),
            "vtt" => Some(Format::WebVtt),
            "srt" => Some(Format::Srt),
            "sbv" => Some(Format::Sbv),
            "ttml" | "dfxp" => Some(Format::Ttml),
            "json" => Some(Format::PodcastJson),
            "tsv" => Some(Format::WhisperTsv),
            "html" | "htm" => Some(Format::PodcastHtml),
            "xml" => Some(Format::Ohms),
            "csv" => Some(Format::OhdCsv),
            // Sidecars (.toml) and everything else are not transcripts.
            _ => None,
        }
    }
}

/// The formats other than native Markdown, by extension, as messages list
/// them (`import` reads these; `build` reads them and `.md`).
pub const IMPORTED_FORMATS: &str = ".txt, .vtt, .srt, .sbv, .ttml, .dfxp, .json (Podcasting 2.0, \
     Whisper), .tsv (Whisper), .html, .xml (OHMS, TTML) and .csv (Oral History as Data)";

/// The largest content file verbatim reads, set from what a build can hold:
/// a transcript is held whole until its last page is written, and its full
/// page and section pages are rendered whole, so memory grows with the
/// number of turns. The densest input (native Markdown of one-word turns,
/// `Q: x` / `A: y`) peaks at about [`MEMORY_PER_BYTE`] times its size, so
/// the limit keeps two files at the limit, read by the two threads at once,
/// within what a small machine has; 6 MB of speech is about 100 hours of
/// talk. The figures are in docs/security.md ("Bad input").
pub const MAX_FILE_BYTES: u64 = 6 * 1024 * 1024;

/// Peak memory of a build per byte of its densest content file (measured;
/// see [`MAX_FILE_BYTES`]), for the message that refuses a larger file.
pub const MEMORY_PER_BYTE: u64 = 190;

/// Reads one content file, and for formats other than Markdown its sidecar
/// `name.toml` if there is one. `display_path` is how messages name it.
pub fn load(
    path: &Path,
    display_path: &str,
    options: &IngestOptions,
) -> Result<Normalized, Vec<Diagnostic>> {
    let format = Format::of(path).ok_or_else(|| {
        vec![
            Diagnostic::error(display_path, "not a transcript format verbatim reads")
                .help(format!("verbatim reads .md and {IMPORTED_FORMATS}")),
        ]
    })?;
    let (text, mut warnings) = read_text(path, display_path)?;
    let sidecar = if format == Format::Markdown {
        None
    } else {
        load_sidecar(path, display_path)?
    };
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("transcript");
    let (transcript, more) = parse_with(format, display_path, &text, stem, sidecar, options)?;
    warnings.extend(more);
    Ok((transcript, warnings))
}

/// A file's bytes decoded to text (see [`encoding::decode`]), plus a warning
/// when a legacy encoding had to be guessed. Files above [`MAX_FILE_BYTES`]
/// are refused before they are read.
fn read_text(
    path: &Path,
    display_path: &str,
) -> Result<(Arc<str>, Vec<Diagnostic>), Vec<Diagnostic>> {
    use std::io::Read;
    let cannot_read = |e: std::io::Error| {
        vec![Diagnostic::error(
            display_path,
            format!("cannot read the file: {e}"),
        )]
    };
    // The size comes from the open file, not from its path: a build reads
    // every content file, and each look-up of a path costs a walk of it.
    let mut file = std::fs::File::open(path).map_err(cannot_read)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        const MB: f64 = 1024.0 * 1024.0;
        let limit = MAX_FILE_BYTES as f64 / MB;
        return Err(vec![Diagnostic::error(
            display_path,
            format!(
                "the file is {:.1} MB ({size} bytes); verbatim reads content files of at most \
                 {limit} MB ({MAX_FILE_BYTES} bytes)",
                size as f64 / MB,
            ),
        )
        .help(format!(
            "split the transcript into files of at most {limit} MB each, at a section or \
             session (name-1.md, name-2.md, ..., each with its own front matter or sidecar; \
             {limit} MB is about 100 hours of talk), or move this file out of content/. \
             A build holds up to {MEMORY_PER_BYTE} times a file's size in memory \
             ({:.1} GB for {limit} MB of short turns), so a larger file could exhaust it",
            (MAX_FILE_BYTES * MEMORY_PER_BYTE) as f64 / (MB * 1024.0),
        ))]);
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.read_to_end(&mut bytes).map_err(cannot_read)?;
    let decoded = encoding::decode(display_path, &bytes).map_err(|d| vec![d])?;
    let (text, left_out) = leave_out_forbidden(display_path, decoded.text);
    Ok((text, decoded.warning.into_iter().chain(left_out).collect()))
}

/// The text without the characters that XML 1.0 forbids (C0 controls but
/// tab and line ends, U+FFFE, U+FFFF), and a warning saying where the first
/// was and how many there were: no page, feed or sitemap can carry them, and
/// one in a title makes feed readers reject the whole feed.
fn leave_out_forbidden(display_path: &str, text: Arc<str>) -> (Arc<str>, Option<Diagnostic>) {
    // One vectorized pass over the bytes for the usual file with none.
    if !crate::escape::has_xml_forbidden(text.as_bytes()) {
        return (text, None);
    }
    let Some(first) = text.find(crate::escape::is_xml_forbidden) else {
        return (text, None);
    };
    let count = text[first..]
        .chars()
        .filter(|&c| crate::escape::is_xml_forbidden(c))
        .count();
    let c = text[first..].chars().next().unwrap_or('\0');
    let warning = Diagnostic::warning(
        display_path,
        format!(
            "the file holds {count} control character{} (the first is U+{:04X}) that web pages and feeds cannot carry; {} left out",
            if count == 1 { "" } else { "s" },
            c as u32,
            if count == 1 { "it is" } else { "they are" },
        ),
    )
    .at(&text, first..first + c.len_utf8())
    .help("remove them in a text editor (they are invisible; a search for the code shows them)");
    let cleaned: String = text
        .chars()
        .filter(|&c| !crate::escape::is_xml_forbidden(c))
        .collect();
    (Arc::from(cleaned), Some(warning))
}

/// Parses a content file's bytes: decoding (see [`encoding::decode`]), then
/// [`parse`]. This is what [`load`] does after reading a file without a
/// sidecar (the fuzz targets start here).
pub fn parse_bytes(
    format: Format,
    display_path: &str,
    bytes: &[u8],
    stem: &str,
    options: &IngestOptions,
) -> Result<Normalized, Vec<Diagnostic>> {
    let decoded = encoding::decode(display_path, bytes).map_err(|d| vec![d])?;
    let (text, left_out) = leave_out_forbidden(display_path, decoded.text);
    let (transcript, mut warnings) = parse(format, display_path, &text, stem, options)?;
    warnings.splice(0..0, decoded.warning.into_iter().chain(left_out));
    Ok((transcript, warnings))
}

/// The sidecar beside `path`, if it exists.
fn load_sidecar(
    path: &Path,
    display_path: &str,
) -> Result<Option<sidecar::Sidecar>, Vec<Diagnostic>> {
    let side = sidecar::path_of(path);
    if !side.is_file() {
        return Ok(None);
    }
    let side_display = match display_path.rsplit_once('.') {
        Some((base, _)) => format!("{base}.toml"),
        None => format!("{display_path}.toml"),
    };
    let (text, _) = read_text(&side, &side_display)?;
    sidecar::parse(&side_display, &text)
        .map(Some)
        .map_err(|d| vec![d])
}

/// Parses text already in memory (tests and importers use this directly).
pub fn parse(
    format: Format,
    display_path: &str,
    text: &Arc<str>,
    stem: &str,
    options: &IngestOptions,
) -> Result<Normalized, Vec<Diagnostic>> {
    parse_with(format, display_path, text, stem, None, options)
}

/// Parses text already in memory, with the sidecar's metadata and chapters.
pub fn parse_with(
    format: Format,
    display_path: &str,
    text: &Arc<str>,
    stem: &str,
    sidecar: Option<sidecar::Sidecar>,
    options: &IngestOptions,
) -> Result<Normalized, Vec<Diagnostic>> {
    let origin = Origin {
        path: display_path,
        text,
        stem,
        default_language: &options.default_language,
        today: &options.today,
        redact: options.redact,
        words: &options.words,
    };
    let sidecar = sidecar.unwrap_or_default();
    match format {
        Format::Markdown => markdown::parse(&origin, options),
        Format::PlainText => plaintext::parse(&origin, sidecar),
        Format::WebVtt => webvtt::parse(&origin, sidecar),
        Format::Srt => srt::parse(&origin, sidecar),
        Format::Sbv => sbv::parse(&origin, sidecar),
        Format::Ttml => ttml::parse(&origin, sidecar),
        Format::WhisperTsv => whisper::parse_tsv(&origin, sidecar),
        Format::PodcastJson => podcast_json::parse(&origin, sidecar),
        // A transcript page (`<cite>` names, `<time>` stamps), else a
        // saved interview page.
        Format::PodcastHtml if article::is_podcast_transcript(text) => {
            podcast_html::parse(&origin, sidecar)
        }
        Format::PodcastHtml => article::parse(&origin, sidecar),
        Format::Ohms => ohms::parse(&origin, sidecar),
        Format::OhdCsv => ohd_csv::parse(&origin, sidecar),
    }
}
