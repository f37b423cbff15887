//! HTML escaping, in the two ways pages need it.
//!
//! [`esc`] is for templates: Tera is given it as its escape function (in
//! [`crate::render::Renderer`]) and the compiled theme calls it, so the two
//! write the same bytes. `& < > " '` become entities; everything else, `/`
//! included, stays as it is. Tera's own `escape_html` also writes `/` as
//! `&#x2F;`, after an old OWASP rule for attribute values without quotes;
//! but such a value ends at a space, which no HTML escaper touches, so the
//! rule protects nothing. Every attribute of the theme is quoted, and a link
//! such as `../../tsai/four-layers/` is a fifth of the size it was with
//! `&#x2F;` and readable in the page source.
//!
//! [`esc_body`] is for text between tags, as pulldown-cmark escapes it
//! (`& < >` only): the paragraphs of turns that are kept as text
//! ([`crate::model::Blocks`]) are written with it.

/// `text` escaped into a new string: the escape function Tera calls.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    esc(&mut out, text);
    out
}

/// `text` escaped for templates onto the end of `out`. Characters that
/// XML 1.0 forbids (C0 controls but tab, line feed and carriage return;
/// U+FFFE and U+FFFF) are left out: the same templates write the Atom feed,
/// which a feed reader rejects whole for one of them, and a TOML `\u000b`
/// in a title reaches here as the character.
pub fn esc(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    if has_xml_forbidden(bytes) {
        let allowed: String = text.chars().filter(|&c| !is_xml_forbidden(c)).collect();
        return esc(out, &allowed);
    }
    if bytes.len() < 32 {
        // Names, titles, the way to the root: shorter than one vector.
        let mut from = 0;
        let specials = std::iter::from_fn(|| {
            let at = next_special(bytes, from)?;
            from = at + 1;
            Some(at)
        });
        push_with_entities(out, text, specials, true);
        return;
    }
    // Longer text (excerpts, descriptions) with memchr's vector search: one
    // search for `& < >` and one for the quotes, each taking its next hit
    // only when the other's is further on.
    let mut tags = memchr::memchr3_iter(b'&', b'<', b'>', bytes).peekable();
    let mut quotes = memchr::memchr2_iter(b'"', b'\'', bytes).peekable();
    let specials = std::iter::from_fn(|| match (tags.peek(), quotes.peek()) {
        (Some(t), Some(q)) if t < q => tags.next(),
        (_, Some(_)) => quotes.next(),
        (Some(_), None) => tags.next(),
        (None, None) => None,
    });
    push_with_entities(out, text, specials, true);
}

/// `text` escaped as pulldown-cmark escapes the text of a paragraph, onto
/// the end of `out`.
pub fn esc_body(out: &mut String, text: &str) {
    // Three bytes to look for is what memchr's vector search takes, sixteen
    // or thirty-two bytes at a time: faster than eight (a turn's text is
    // escaped for each page that shows it and for its JSON).
    let specials = memchr::memchr3_iter(b'&', b'<', b'>', text.as_bytes());
    push_with_entities(out, text, specials, false);
}

/// True for a character XML 1.0 does not allow in a document (C0 controls
/// but tab and line ends, U+FFFE, U+FFFF), or discourages and HTML calls a
/// parse error (DEL and the C1 controls, which browsers draw as boxes).
pub fn is_xml_forbidden(c: char) -> bool {
    matches!(
        c,
        '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\x7f'..='\u{9f}' | '\u{fffe}' | '\u{ffff}'
    )
}

/// Whether `bytes` (UTF-8) hold a character of [`is_xml_forbidden`].
pub fn has_xml_forbidden(bytes: &[u8]) -> bool {
    // A byte that may begin one: a C0 control or DEL, or the first byte of
    // a C1 control (`C2 80` to `C2 9F`) or of U+FFFE and U+FFFF (`EF BF BE`,
    // `EF BF BF`). Most text has none, so each block of 32 bytes is tested
    // in one fold the compiler vectorizes, and only a block holding such a
    // byte is read byte by byte. Every string a template writes passes here:
    // three passes over the bytes were 6% of a build of 10,000 transcripts.
    let lead = |b: u8| {
        (((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r'))
            | (b == 0x7f)
            | (b == 0xC2)
            | (b == 0xEF)) as u8
    };
    let forbidden_at = |i: usize| match bytes[i] {
        0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
        0xEF => bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)),
        _ => true,
    };
    bytes.chunks(32).enumerate().any(|(k, block)| {
        block.iter().fold(0, |found, &b| found | lead(b)) != 0
            && (k * 32..k * 32 + block.len()).any(|i| lead(bytes[i]) != 0 && forbidden_at(i))
    })
}

/// `text` onto the end of `out`, the byte at each place `specials` gives
/// (in ascending order) written as its entity.
fn push_with_entities(
    out: &mut String,
    text: &str,
    specials: impl Iterator<Item = usize>,
    attribute: bool,
) {
    let mut start = 0;
    for at in specials {
        out.push_str(&text[start..at]);
        out.push_str(entity(text.as_bytes()[at], attribute).unwrap_or_default());
        start = at + 1;
    }
    out.push_str(&text[start..]);
}

/// Whether `html` is exactly `text` as [`esc_body`] writes it, found without
/// writing it.
pub fn is_body_escaped(text: &str, html: &str) -> bool {
    let bytes = text.as_bytes();
    let mut rest = html.as_bytes();
    let mut take = |part: &[u8]| match rest.strip_prefix(part) {
        Some(after) => {
            rest = after;
            true
        }
        None => false,
    };
    let mut start = 0;
    for at in memchr::memchr3_iter(b'&', b'<', b'>', bytes) {
        let entity = entity(bytes[at], false).unwrap_or_default();
        if !take(&bytes[start..at]) || !take(entity.as_bytes()) {
            return false;
        }
        start = at + 1;
    }
    take(&bytes[start..]) && rest.is_empty()
}

/// The first byte at or after `from` that [`esc`] replaces. Eight bytes at
/// a time, then one by one for the last few: the excerpts of speaker pages
/// are long runs of words with nothing to escape.
fn next_special(bytes: &[u8], mut from: usize) -> Option<usize> {
    while let Some(eight) = bytes.get(from..from + 8) {
        let word = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        let found = special_bytes(word);
        if found != 0 {
            return Some(from + (found.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    let rest = bytes.get(from..)?;
    rest.iter()
        .position(|&b| entity(b, true).is_some())
        .map(|i| from + i)
}

/// What is written for a byte that is escaped: `& < >` always, the quotes
/// also in `attribute` (template) escaping.
#[inline]
fn entity(b: u8, attribute: bool) -> Option<&'static str> {
    Some(match b {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' if attribute => "&quot;",
        b'\'' if attribute => "&#x27;",
        _ => return None,
    })
}

/// The high bit of each byte of `word` set where the byte is one that
/// [`esc`] replaces: for each such byte `c`, `x = word ^ repeated(c)` has a zero byte
/// where `word` has `c`, and `(x - 0x01..) & !x & 0x80..` flags the lowest
/// zero byte of `x` exactly (above it, a borrow may flag others). So the
/// lowest flag of the result is the first byte to escape, and there is a
/// flag if and only if there is such a byte.
#[inline]
fn special_bytes(word: u64) -> u64 {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let zero_byte = |c: u8| {
        let x = word ^ (ONES * u64::from(c));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    zero_byte(b'&') | zero_byte(b'<') | zero_byte(b'>') | zero_byte(b'"') | zero_byte(b'\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The escaping as a plain match on each character, to hold the fast
    /// one to.
    fn reference(text: &str) -> String {
        text.chars()
            .filter(|&c| !is_xml_forbidden(c))
            .map(|c| match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '"' => "&quot;".to_string(),
                '\'' => "&#x27;".to_string(),
                c => c.to_string(),
            })
            .collect()
    }

    #[test]
    fn characters_xml_forbids_are_left_out() {
        for (text, want) in [
            ("A\u{b}title", "Atitle"),
            ("\u{1}Why & how?\u{1f}", "Why &amp; how?"),
            ("tab\tline\ncr\r", "tab\tline\ncr\r"),
            ("non\u{fffe}char\u{ffff}s \u{fffd}", "nonchars \u{fffd}"),
            (
                "del\u{7f} and c1\u{85}\u{9f} but not é or \u{a0}",
                "del and c1 but not é or \u{a0}",
            ),
            (
                "a long text of more than thirty-two bytes \u{c} with a form feed",
                "a long text of more than thirty-two bytes  with a form feed",
            ),
        ] {
            assert_eq!(escape_html(text), want, "{text:?}");
        }
        assert!((0..0x20u8).filter(|&b| is_xml_forbidden(b as char)).count() == 29);
        // The byte scan agrees with the character test on every character
        // of the first plane.
        for c in (0..0x1_0000u32).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(has_xml_forbidden(bytes), is_xml_forbidden(c), "{c:?}");
        }
        // At every place of a text longer than two blocks, across their
        // edges, and beside the first bytes of allowed characters.
        for c in ['\u{b}', '\u{7f}', '\u{85}', '\u{fffe}', '\u{ffff}'] {
            for at in 0..70 {
                let mut text = "\u{a0}\u{fffd}".repeat(10);
                text.insert(text.char_indices().nth(at % 20).map_or(0, |(i, _)| i), c);
                let text = [&"x".repeat(at), text.as_str()].concat();
                assert!(has_xml_forbidden(text.as_bytes()), "{c:?} at {at}");
                assert!(!has_xml_forbidden(text.replace(c, "").as_bytes()));
            }
        }
    }

    #[test]
    fn escapes_the_five_characters_and_keeps_slashes() {
        assert_eq!(
            escape_html(r#"a/b <c> & "d" 'e'"#),
            "a/b &lt;c&gt; &amp; &quot;d&quot; &#x27;e&#x27;"
        );
        assert_eq!(
            escape_html("https://example.org/a/?x=1&y=2"),
            "https://example.org/a/?x=1&amp;y=2"
        );
        // Tera's own escape agrees on everything but `/`.
        let text = "&<>\"'/ and é/ü";
        assert_eq!(
            escape_html(text),
            tera::escape_html(text).replace("&#x2F;", "/")
        );
    }

    /// `short` and, for texts long enough to be searched several bytes at a
    /// time: each byte that may be escaped at each position of a word and of
    /// the tail, next to bytes that differ from it by one bit or one (where
    /// a borrow could hide or fake a match).
    fn probes(short: &[&str]) -> Vec<String> {
        let mut texts: Vec<String> = short.iter().map(|t| t.to_string()).collect();
        for special in "&<>\"'/".chars() {
            for len in 1..=35 {
                for at in 0..len {
                    let near = ['%', '\'', '(', '.', '0', '=', '?', 'é', ' ', '\u{7f}'];
                    let filler = near[(len + at) % near.len()];
                    texts.push(
                        (0..len)
                            .map(|i| if i == at { special } else { filler })
                            .collect(),
                    );
                }
            }
        }
        texts
    }

    #[test]
    fn eight_bytes_at_a_time_finds_every_special_byte() {
        for text in probes(&["", "plain", "é/ü", "<>", "////////////////////"]) {
            assert_eq!(escape_html(&text), reference(&text), "{text:?}");
        }
    }

    #[test]
    fn body_text_is_escaped_as_pulldown_cmark_escapes_it() {
        let texts = probes(&["", "plain", "a & b < c > d \"e\" 'f' /g", "é<ü>"]);
        for text in &texts {
            let mut ours = String::new();
            esc_body(&mut ours, text);
            let mut theirs = String::new();
            pulldown_cmark_escape::escape_html_body_text(&mut theirs, text).unwrap();
            assert_eq!(ours, theirs, "{text:?}");
            assert!(is_body_escaped(text, &ours), "{text:?}");
            // One byte more, one less, or another entity is not the text.
            assert!(!is_body_escaped(text, &format!("{ours}x")), "{text:?}");
            if let Some(shorter) = ours.get(..ours.len().saturating_sub(1)) {
                assert!(
                    text.is_empty() || !is_body_escaped(text, shorter),
                    "{text:?}"
                );
            }
            let mut quoted = String::new();
            esc(&mut quoted, text);
            assert_eq!(
                is_body_escaped(text, &quoted),
                !text.contains(['"', '\'']) && !text.contains(is_xml_forbidden),
                "{text:?}"
            );
        }
    }
}
