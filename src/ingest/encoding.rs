//! Bytes to text. Read as they are: UTF-8 (with or without a byte order
//! mark) and UTF-16 LE or BE with a byte order mark. Text that is not UTF-8
//! and has no mark is taken to be windows-1252 (the superset of Latin-1 that
//! old Windows subtitle and transcript files use), with a warning; files that
//! do not look like single-byte text at all (NUL bytes, bytes windows-1252
//! leaves undefined) are refused.

use crate::diagnostic::Diagnostic;
use encoding_rs::{Encoding, WINDOWS_1252};
use std::sync::Arc;

/// Decoded text and, for a guessed legacy encoding, a warning saying so.
pub struct Decoded {
    pub text: Arc<str>,
    pub warning: Option<Diagnostic>,
}

/// Decodes a content file; see the module documentation for the rules.
pub fn decode(display_path: &str, bytes: &[u8]) -> Result<Decoded, Diagnostic> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(Diagnostic::error(
                display_path,
                format!(
                    "the file starts with a {} byte order mark but is not valid {}",
                    encoding.name(),
                    encoding.name()
                ),
            )
            .help("save the file as UTF-8 in your editor"));
        }
        return Ok(Decoded {
            text: Arc::from(text.as_ref()),
            warning: None,
        });
    }
    if looks_like_utf16(bytes) {
        return Err(Diagnostic::error(
            display_path,
            "the file looks like UTF-16 without a byte order mark",
        )
        .help("save the file as UTF-8 (or UTF-16 with a byte order mark)"));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        // Text never holds NUL; a file that does is binary or damaged.
        if let Some(at) = memchr::memchr(0, text.as_bytes()) {
            let text: Arc<str> = Arc::from(text);
            return Err(Diagnostic::error(
                display_path,
                "the file holds a NUL byte: it is binary or damaged, not a transcript",
            )
            .at(&text, at..at + 1)
            .help("open it in a text editor and remove the NUL bytes, or move the file out of content/"));
        }
        return Ok(Decoded {
            text: Arc::from(text),
            warning: None,
        });
    }
    let bad_at = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let valid = std::str::from_utf8(&bytes[..bad_at]).unwrap_or_default();
    let (line, column) = crate::diagnostic::line_column(valid, valid.len());
    // Bytes windows-1252 leaves undefined mean some other encoding.
    if let Some(&b) = bytes
        .iter()
        .find(|&&b| b == 0 || matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D))
    {
        return Err(located(
            Diagnostic::error(
                display_path,
                format!(
                    "the file is neither UTF-8 nor windows-1252 (byte 0x{b:02X}); verbatim cannot tell its encoding"
                ),
            )
            .help("save the file as UTF-8 in your editor"),
            line,
            column,
        ));
    }
    let (text, _, _) = WINDOWS_1252.decode(bytes);
    let warning = located(
        Diagnostic::warning(
            display_path,
            format!(
                "the file is not UTF-8 (byte 0x{:02X}); read it as windows-1252 (Western European)",
                bytes[bad_at]
            ),
        )
        .help("if accents look wrong, save the file as UTF-8 in your editor"),
        line,
        column,
    );
    Ok(Decoded {
        text: Arc::from(text.as_ref()),
        warning: Some(warning),
    })
}

fn located(mut d: Diagnostic, line: usize, column: usize) -> Diagnostic {
    d.line = Some(line);
    d.column = Some(column);
    d
}

/// Many NUL bytes at even or odd positions: UTF-16 text without a mark.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(1024)];
    let zeros = sample.iter().filter(|&&b| b == 0).count();
    sample.len() >= 4 && zeros * 4 >= sample.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        decode("a.txt", bytes).unwrap().text.to_string()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(text(b"\xEF\xBB\xBFQ: h\xC3\xA9"), "Q: hé");
        assert_eq!(text("Q: hé".as_bytes()), "Q: hé");
    }

    #[test]
    fn utf16_with_bom() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Q: é".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Q: é".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(text(&le), "Q: é");
        assert_eq!(text(&be), "Q: é");
    }

    #[test]
    fn windows_1252_is_read_with_a_warning() {
        let d = decode("a.srt", b"line\nEV\xC9NEMENTS \x80").unwrap();
        assert_eq!(&*d.text, "line\nEVÉNEMENTS €");
        let w = d.warning.unwrap();
        assert!(w.message.contains("windows-1252"));
        assert_eq!((w.line, w.column), (Some(2), Some(3)));
    }

    #[test]
    fn undecidable_bytes_are_refused() {
        let e = decode("a.srt", b"abc\x81def").err().unwrap();
        assert!(e.message.contains("0x81"), "{}", e.message);
        let utf16_no_bom: Vec<u8> = "Q: hello there"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let e = decode("a.srt", &utf16_no_bom).err().unwrap();
        assert!(e.message.contains("UTF-16"), "{}", e.message);
    }
}
