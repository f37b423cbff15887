//! What a file in `content/` that verbatim does not read looks like, and
//! what to do with it: nothing there is skipped without a word.

use super::Format;
use std::path::Path;

/// For a file that is not a transcript, a description of what it seems to
/// be (from its extension, else its first bytes) and how to go on.
pub fn describe(path: &Path) -> (String, String) {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let convert =
        "convert it to a format verbatim reads (docs/formats.md), move it out of content/, \
                   or name it in `ignore` in site.toml (ignore = [\"*.EXT\"])"
            .replace("EXT", if ext.is_empty() { "name" } else { &ext });
    let (what, help): (&str, String) = match ext.as_str() {
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "avif" | "svg" | "tif" | "tiff" | "heic" => (
            "an image",
            "put images in static/ (they are published as they are), or name them in `ignore` in site.toml"
                .to_string(),
        ),
        "mp3" | "m4a" | "wav" | "ogg" | "oga" | "opus" | "flac" | "aac" | "mp4" | "m4v" | "webm"
        | "mov" => (
            "a recording",
            "put it in static/ and point the transcript's `media.url` at it".to_string(),
        ),
        "pdf" => ("a PDF document", convert),
        "doc" | "docx" | "odt" | "rtf" | "pages" => (
            "a word-processor document",
            format!("save it as .txt (plain text) or .html from the word processor; or {convert}"),
        ),
        "yaml" | "yml" => (
            "YAML",
            "verbatim's front matter and sidecars are TOML (+++ ... +++, or a .toml beside the transcript)"
                .to_string(),
        ),
        "ass" | "ssa" | "sub" | "stl" | "scc" | "lrc" | "cap" => {
            ("a caption file of a kind verbatim does not read yet", convert)
        }
        "xlsx" | "xls" | "ods" => ("a spreadsheet", convert),
        _ => match std::fs::read(path).ok().map(|b| b.into_iter().take(4096).collect::<Vec<u8>>()) {
            Some(head) if looks_like_text(&head) => (
                "a text file",
                "rename it .txt to read it as a plain text transcript (or .md for the native format), \
                 or name it in `ignore` in site.toml"
                    .to_string(),
            ),
            _ => ("a file that is not text", convert),
        },
    };
    (what.to_string(), help)
}

/// UTF-8 (its first 4 KB, allowing a character cut at the end) without NUL.
fn looks_like_text(head: &[u8]) -> bool {
    !head.contains(&0)
        && match std::str::from_utf8(head) {
            Ok(_) => true,
            Err(e) => e.error_len().is_none(),
        }
}

/// Whether a `.toml` file is the sidecar of a transcript beside it: a
/// source of another format than Markdown with the same name.
pub fn is_sidecar(path: &Path, siblings: &[std::path::PathBuf]) -> bool {
    let stem = path.with_extension("");
    siblings.iter().any(|s| {
        s.with_extension("") == stem && Format::of(s).is_some_and(|f| f != Format::Markdown)
    })
}
