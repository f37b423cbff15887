//! XML documents (OHMS records, TTML captions) read with roxmltree, once a
//! scan has shown their nesting is within [`MAX_DEPTH`]: the parser recurses
//! once per level.

use super::normalize::Origin;
use crate::diagnostic::Diagnostic;
use roxmltree::Document;

/// The file's XML document, parsed once its nesting is known to be within
/// [`MAX_DEPTH`]; errors name the line and column. `kind` and `help` say
/// what the file should be (OHMS and TTML share this).
pub(crate) fn parse<'a>(
    origin: &Origin<'a>,
    kind: &str,
    help: &str,
) -> Result<Document<'a>, Vec<Diagnostic>> {
    let text: &'a str = origin.text;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(at) = too_deep(text) {
        let bom = origin.text.len() - text.len();
        return Err(vec![Diagnostic::error(
            origin.path,
            format!("the XML nests elements more than {MAX_DEPTH} deep"),
        )
        .at(origin.text, bom + at..bom + at + 1)
        .help(format!(
            "{kind} nests a few elements deep; this file is not one (or is damaged)"
        ))]);
    }
    Document::parse(text).map_err(|e| {
        let pos = e.pos();
        let mut d = Diagnostic::error(origin.path, format!("the XML is malformed: {e}"))
            .help(help.to_string());
        d.line = Some(pos.row as usize);
        d.column = Some(pos.col as usize);
        vec![d]
    })
}

/// How deep elements may nest. OHMS records nest about six deep; the XML
/// parser recurses once per level, and 5,000 levels overflow its stack.
pub const MAX_DEPTH: usize = 256;

/// Where an element opens deeper than [`MAX_DEPTH`], found without parsing
/// (comments, CDATA, processing instructions, declarations and quoted
/// attribute values are stepped over), so the parser never sees such a file.
pub(crate) fn too_deep(xml: &str) -> Option<usize> {
    let bytes = xml.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    let skip_to = |from: usize, end: &str| {
        memchr::memmem::find(&bytes[from..], end.as_bytes())
            .map_or(bytes.len(), |i| from + i + end.len())
    };
    while let Some(i) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        let rest = &bytes[i..];
        at = if rest.starts_with(b"<!--") {
            skip_to(i, "-->")
        } else if rest.starts_with(b"<![CDATA[") {
            skip_to(i, "]]>")
        } else if rest.starts_with(b"<?") {
            skip_to(i, "?>")
        } else if rest.starts_with(b"<!") {
            skip_to(i, ">")
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            skip_to(i, ">")
        } else {
            // A start tag: to its `>` outside quotes.
            let mut j = i + 1;
            let mut quote = None;
            while j < bytes.len() {
                match (bytes[j], quote) {
                    (b'"' | b'\'', None) => quote = Some(bytes[j]),
                    (q, Some(open)) if q == open => quote = None,
                    (b'>', None) => break,
                    _ => {}
                }
                j += 1;
            }
            if bytes.get(j.wrapping_sub(1)) != Some(&b'/') {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            // Past the `>`, or at the end of a tag the file cuts off.
            (j + 1).min(bytes.len())
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_bounded_before_parsing() {
        let deep = |n: usize| format!("<r>{}x{}</r>", "<a b='>'>".repeat(n), "</a>".repeat(n));
        assert_eq!(too_deep(&deep(MAX_DEPTH - 1)), None);
        assert_eq!(too_deep(&deep(MAX_DEPTH)), Some(3 + (MAX_DEPTH - 1) * 9));
        // Self-closing tags, comments and CDATA do not nest.
        let flat = format!(
            "<r>{}</r>",
            "<a/><!-- <b> --><![CDATA[<c>]]><?p <d>?>".repeat(1000)
        );
        assert_eq!(too_deep(&flat), None);
        // A file cut inside a tag or a comment.
        for cut in ["<r><a b='x", "<r><a", "<r><!-- x", "<r><![CDATA[", "<"] {
            assert_eq!(too_deep(cut), None, "{cut}");
        }
    }
}
