//! Bodies of plain speech, read without the general Markdown parser.
//!
//! Most transcripts are `## ` headings and paragraphs of words, each turn
//! opened by `Label:` or `**Label:**`, with no other markup. What
//! pulldown-cmark makes of such a body follows from its lines alone: a
//! heading is its text; a paragraph is its lines joined by soft breaks, a
//! bold label being its only markup. [`parse`] builds the [`Draft`] from
//! the lines directly, with the same label rules and the same blocks as
//! [`DraftBuilder`] makes from those events, and gives up (`None`) at the
//! first line where a byte could be markup, or could be read two ways; the
//! body is then parsed in general.
//!
//! The general parser is the authority. The tests below and the
//! `markdown_plain` fuzz target hold that whenever this module accepts a
//! body, its draft is the general parser's, field for field. Reading the
//! synthetic benchmark corpus this way takes about a quarter of the
//! instructions of the general path (docs/performance.md).

use super::{plain_label, split_number, starts_like_a_name, valid_label, DraftBuilder};
use crate::ingest::normalize::{Draft, DraftSection, DraftTurn};
use crate::model::Block;

/// The body's draft, or `None` when any line is more than plain speech.
pub(crate) fn parse(body: &str, offset: usize) -> Option<Draft> {
    let mut builder = DraftBuilder {
        body,
        offset,
        draft: Draft::default(),
        turn: None,
    };
    // The open paragraph's lines, each with where it starts in `body`.
    let mut paragraph: Vec<(usize, &str)> = Vec::new();
    let mut start = 0;
    while start < body.len() {
        let end =
            memchr::memchr(b'\n', &body.as_bytes()[start..]).map_or(body.len(), |i| start + i);
        let line = &body[start..end];
        // Where the next line starts; the heading's span ends there too.
        let next = (end + 1).min(body.len());
        if line.is_empty() {
            builder.plain_paragraph(&paragraph)?;
            paragraph.clear();
        } else if line.as_bytes()[0] == b'#' {
            // A heading may interrupt a paragraph.
            builder.plain_paragraph(&paragraph)?;
            paragraph.clear();
            builder.plain_heading(line, start..next)?;
        } else {
            paragraph.push((start, line));
        }
        start = end + 1;
    }
    builder.plain_paragraph(&paragraph)?;
    Some(builder.finish())
}

impl DraftBuilder<'_> {
    /// `## Title`, `## 01. Title`, either with `{#slug}` after it, and
    /// nothing else that starts with `#`.
    fn plain_heading(&mut self, line: &str, span: std::ops::Range<usize>) -> Option<()> {
        let text = line.strip_prefix("## ")?;
        let (text, slug) = match text.strip_suffix('}') {
            Some(rest) => {
                let (title, slug) = rest.rsplit_once(" {#")?;
                let slug_chars = |c: char| c.is_ascii_alphanumeric() || c == '-';
                if slug.is_empty() || !slug.chars().all(slug_chars) {
                    return None;
                }
                (title, Some(slug.to_string()))
            }
            None => (text, None),
        };
        // `#` could close the heading, braces give it attributes; the
        // parser trims whitespace around its text.
        if text.starts_with(char::is_whitespace)
            || !ends_plainly(text)
            || !is_plain_words(text)
            || text.contains('#')
        {
            return None;
        }
        let (number, title) = split_number(text);
        self.close_turn();
        self.draft.sections.push(DraftSection {
            number,
            title: Some(title),
            slug,
            span: Some(span.start + self.offset..span.end + self.offset),
            ..DraftSection::default()
        });
        Some(())
    }

    /// One paragraph (its lines, each with its start in the body): a new
    /// turn when it opens with a label, else more of what is open.
    fn plain_paragraph(&mut self, lines: &[(usize, &str)]) -> Option<()> {
        let Some(&(first_start, first)) = lines.first() else {
            return Some(());
        };
        // The label, where it is in the body, and the words after it.
        let (label, rest) = if first.starts_with("**") {
            let (label, at, rest) = bold_label(first)?;
            (Some((label, first_start + at)), rest)
        } else {
            if !is_plain_line(first) {
                return None;
            }
            match plain_label(first) {
                Some((label, consumed)) if starts_like_a_name(label) => {
                    (Some((label, first_start)), &first[consumed..])
                }
                _ => (None, first),
            }
        };
        // The words were checked with their line; they must end it plainly.
        // None (a label alone on its line): the general path drops the line
        // break after it, which is rare enough to leave to it.
        if !ends_plainly(rest) {
            return None;
        }
        let more = &lines[1..];
        if !more.iter().all(|&(_, line)| is_plain_line(line)) {
            return None;
        }
        if let Some((label, at)) = label {
            self.close_turn();
            self.turn = Some(DraftTurn {
                label: label.to_string(),
                span: Some(at + self.offset..at + self.offset + label.len()),
                ..DraftTurn::default()
            });
        }
        let words = std::iter::once(rest).chain(more.iter().map(|&(_, line)| line));
        match &mut self.turn {
            Some(turn) => {
                if !turn.text.is_empty() {
                    turn.text.push_str("\n\n");
                }
                let start = turn.text.len();
                if more.is_empty() {
                    // Its HTML is its words in `<p>`: the model keeps the words.
                    turn.text.push_str(rest);
                    turn.blocks.push(Block::Paragraph(start..turn.text.len()));
                } else {
                    // A soft break is a space in the words and a line
                    // break in the HTML.
                    push_joined(&mut turn.text, words.clone(), ' ');
                    let mut html = String::new();
                    push_html(&mut html, words);
                    turn.blocks.push(Block::Html(html));
                }
            }
            None => push_html(self.intro(), words),
        }
        Some(())
    }
}

/// A paragraph's lines as pulldown-cmark's HTML writer writes them. Plain
/// words have nothing to escape.
fn push_html<'a>(out: &mut String, lines: impl Iterator<Item = &'a str>) {
    out.push_str("<p>");
    push_joined(out, lines, '\n');
    out.push_str("</p>\n");
}

/// `lines` onto `out`, `separator` between each.
fn push_joined<'a>(out: &mut String, lines: impl Iterator<Item = &'a str>, separator: char) {
    for (i, line) in lines.enumerate() {
        if i > 0 {
            out.push(separator);
        }
        out.push_str(line);
    }
}

/// `**Label:** words` or `**Label**: words` -> the label, where it starts
/// in the line, and the words. `None` for any other bold opening: it would
/// be emphasis in the text, which plain speech has none of.
fn bold_label(line: &str) -> Option<(&str, usize, &str)> {
    // The first `*` after the opening must begin the closing `**`: a label
    // has none.
    let close = 2 + memchr::memchr(b'*', &line.as_bytes()[2..])?;
    if line.as_bytes().get(close + 1) != Some(&b'*') {
        return None;
    }
    let bold = &line[2..close];
    // Whitespace is trimmed after the label: a carriage return there would
    // be trimmed here and end the line for the parser.
    let after = &line[close + 2..];
    if !is_plain_words(bold) || !is_plain_words(after) {
        return None;
    }
    // The `**` pair is emphasis when the opening one is followed, and the
    // closing one preceded, by something other than whitespace; a closing one
    // after punctuation must also be followed by whitespace or punctuation.
    // Requiring a letter or digit inside at both ends, or the colon and a
    // space, keeps to cases where that is plain.
    if !bold.starts_with(char::is_alphanumeric) {
        return None;
    }
    let (label, rest) = if let Some(label) = bold.strip_suffix(':') {
        // `**Label:** words`: the colon inside, the only one.
        let rest = after.strip_prefix(' ')?;
        if label.contains(':') || plain_label(bold) != Some((label, bold.len())) {
            return None;
        }
        (label, rest)
    } else {
        // `**Label**: words`.
        let rest = after.strip_prefix(':')?;
        if bold.contains(':') || !bold.ends_with(char::is_alphanumeric) || !valid_label(bold) {
            return None;
        }
        (bold, rest)
    };
    Some((label, 2, rest.trim_start()))
}

/// Whether a line is words of a paragraph and nothing else: it opens and
/// ends plainly, and no byte in it could be markup.
fn is_plain_line(line: &str) -> bool {
    opens_plainly(line) && is_plain_words(line) && ends_plainly(line)
}

/// Whether a line would start a paragraph, or go on with one, and nothing
/// else: no list item, quote, heading, fence, rule, HTML, table or indent.
fn opens_plainly(line: &str) -> bool {
    let bytes = line.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    if line.starts_with(char::is_whitespace) {
        return false;
    }
    match first {
        b'#' | b'>' | b'-' | b'+' | b'*' | b'=' | b'_' | b'`' | b'~' | b'<' | b'|' | b'[' => false,
        // `1.` or `1)` opens an ordered list item.
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            !matches!(bytes.get(digits), Some(b'.' | b')'))
        }
        _ => true,
    }
}

/// Whether a line ends without whitespace, which the parser would trim or
/// read as a hard line break.
fn ends_plainly(line: &str) -> bool {
    !line.is_empty() && !line.ends_with(char::is_whitespace)
}

/// Bytes that may be markup wherever they are, that the HTML escapes, or that
/// the parser changes (control characters).
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    let markup = b"\\`*_~|&<>[]{}";
    let mut i = 0;
    while i < markup.len() {
        table[markup[i] as usize] = true;
        i += 1;
    }
    table
};

/// Whether `text` has no byte that could be markup.
fn is_plain_words(text: &str) -> bool {
    // Sixteen bytes at a time, without a branch for each: nearly every line
    // is plain, so nearly every byte is read.
    let mut chunks = text.as_bytes().chunks_exact(16);
    for chunk in &mut chunks {
        if chunk
            .iter()
            .fold(false, |any, &b| any | SPECIAL[b as usize])
        {
            return false;
        }
    }
    !chunks.remainder().iter().any(|&b| SPECIAL[b as usize])
}

#[cfg(test)]
mod tests {
    use super::super::plain_reading_agrees as agrees;

    #[test]
    fn plain_speech_is_read_as_the_general_parser_reads_it() {
        let bodies = [
            "",
            "\n",
            "Intro words.\n\nMore intro,\nover two lines.\n",
            "## 01. The First Part\n\nA section intro.\n\n**Q:** Why?\n\n**Joe Tsai:** Because.\nOn two lines.\n\nAnd more.\n",
            "Q: plain label\n\nA: and \"quotes\" 'too', 50% of $5 at 3:30 #1!\n",
            "**Ann Smith**: colon outside\n\n**Q:**   spaces after\n",
            "note: not a name\n\nThere are two paths here: one.\n\nA: an answer\n\nnote: a continuation",
            "## Heading\nright after it\n## Another\n\nQ: last line without a break",
            "## 01. The $50 Trillion \"Market\" {#the-50-trillion-market}\n\nQ: x\n\n## Two {#B-2}\n",
            "Grüße: not a label\n\nÉmile: a label\n\n**Émile:** bold\n\n日本: a label without case\n",
            "A: 1990s were hard\n\n2024 was 1. better\n\nQ: 3 - 4 = -1 and +2\n",
            "Q: one\n\n\n\nA: after blank lines\n",
            "Dr. Who: label with a dot\n\nQ: a line\nQ: not a new turn inside a paragraph\n",
        ];
        for body in bodies {
            assert!(agrees(body), "not taken: {body:?}");
        }
    }

    #[test]
    fn anything_more_than_plain_speech_is_left_to_the_general_parser() {
        let bodies = [
            "A: *emphasis*",
            "A&B: a label with an entity",
            "**Q**: \r x",
            "**Q:** \rx",
            "Q: \r x",
            "A\\: an escaped colon",
            "A\u{0}B: a NUL in a label",
            "A: a_b",
            "A: [link](https://x.org)",
            "A: a & b",
            "A: a < b",
            "A: trailing spaces  \nhard break",
            "A: trailing backslash\\\nhard break",
            "A: tab\there",
            "A: ok\n\n- a list",
            "A: ok\n\n1. a list",
            "A: ok\n\n2) a list",
            "A: ok\n\n> quote",
            "A: ok\n---",
            "A: ok\n===",
            "A: ok\n\n    indented code",
            "A: ok\n  lazy indent",
            "# Title\n\nA: h1",
            "### Three\n\nA: h3",
            "## Slug {#s t}\n\nA: x",
            "## Slug {#s}{#t}\n\nA: x",
            "## Slug {.class}\n\nA: x",
            "## Slug {#s_t}\n\nA: x",
            "## Slug  {#s}\n\nA: x",
            "## {#s}\n\nA: x",
            "## Closed ##\n\nA: x",
            "##  Two spaces\n\nA: x",
            "A: {tags = [\"a\"]}",
            "A: x\n{tags = [\"a\"]}",
            "[00:01:02] A: timed",
            "**Q:**\nlabel alone",
            "Q:\nlabel alone",
            "**Q:**x",
            "** Q:** x",
            "**Q: ** x",
            "**Q: x** y",
            "**bold** words",
            "A: x\n\n**Q:** **nested**",
            "A: x\r\ny",
            "A: x\u{a0}",
            "\u{3000}A: x",
            "A: `code`",
            "A: ~strike~",
            "A: a | b",
            "<div>html</div>",
        ];
        for body in bodies {
            assert!(!agrees(body), "taken: {body:?}");
        }
    }

    /// Bodies made of lines drawn from pieces that are plain, nearly plain
    /// and not plain: whenever the plain reading takes one, it must agree.
    #[test]
    fn generated_bodies_agree_with_the_general_parser() {
        let pieces = [
            "",
            "",
            "**Q:** What was it like?",
            "**Q**: What was it like?",
            "Q: What was it like?",
            "Maria Lopez: It was hard: very.",
            "**Maria Lopez:** We left in 1962.",
            "note: lower case",
            "There are two paths here: one and two.",
            "Words go on",
            "and on, over lines.",
            "## 01. A Heading",
            "## Heading: With a Colon",
            "## 02. Slugged {#slugged}",
            "## Slugged {#}",
            "## Slugged {#a b}",
            "## Slugged {#a} x",
            "## ",
            "##",
            "1990 was a year.",
            "1. A list?",
            "- a list",
            "* a list",
            "**Q:**",
            "**Q:**x",
            "**Q:** **x**",
            "Q:",
            "Dr. Who: a dot",
            "A: trailing  ",
            "A: ok ",
            " A: leading",
            "A: 50% of $5, #3!",
            "A: \"quoted\" 'single' (laughs) \u{2014} dash",
            "Éa: x",
            "a: x",
            "**é:** x",
            "**5:** x",
            "A: x y z: w",
            ":",
            "A::",
            "A: a_b",
            "A_B: x",
            "A&amp;B: x",
            "---",
            "===",
            "[00:00:01] Q: t",
        ];
        // A small deterministic generator (xorshift), so a failure repeats.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut taken = 0;
        for _ in 0..20_000 {
            let lines = 1 + next(8);
            let body: Vec<&str> = (0..lines).map(|_| pieces[next(pieces.len())]).collect();
            let mut body = body.join("\n");
            if next(2) == 0 {
                body.push('\n');
            }
            if agrees(&body) {
                taken += 1;
            }
        }
        // The plain reading must be taken often enough for the test to mean
        // something, and not always.
        assert!((2_000..18_000).contains(&taken), "{taken}");
    }
}
