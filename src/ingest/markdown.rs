//! The native content format: TOML front matter, then Markdown in which `## `
//! headings start sections and paragraphs that open with `Label:` or
//! `**Label:**` start turns. The rules are specified in docs/content-format.md.

use super::frontmatter;
use super::normalize::{normalize, Draft, DraftSection, DraftTurn, Normalized, Origin};
use super::IngestOptions;
use crate::diagnostic::Diagnostic;
use crate::model::Timecode;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;

type Spanned<'a> = (Event<'a>, Range<usize>);

/// Parses a native `.md` transcript.
pub fn parse(origin: &Origin, options: &IngestOptions) -> Result<Normalized, Vec<Diagnostic>> {
    let split = frontmatter::split(origin.path, origin.text).map_err(|d| vec![d])?;
    let draft = parse_body(split.body, split.body_offset, options);
    normalize(split.front_matter, draft, origin)
}

/// The Markdown extensions transcripts may use. Smart punctuation stays off:
/// the words are rendered exactly as written.
fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_FOOTNOTES
}

/// Splits the Markdown body into intro, sections and turns. `offset` is where
/// the body starts in the file, so spans point into the file.
pub fn parse_body(body: &str, offset: usize, options: &IngestOptions) -> Draft {
    let mut builder = DraftBuilder::default();
    let mut events = Parser::new_ext(body, markdown_options())
        .into_offset_iter()
        .map(|(e, r)| (sanitize(e, options), r.start + offset..r.end + offset))
        .peekable();
    while let Some(first) = events.next() {
        // Gather one top-level block: a start tag through its matching end.
        let mut block = vec![first];
        if matches!(block[0].0, Event::Start(_)) {
            let mut depth = 1;
            for item in events.by_ref() {
                match item.0 {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth -= 1,
                    _ => {}
                }
                block.push(item);
                if depth == 0 {
                    break;
                }
            }
        }
        builder.block(block);
    }
    builder.finish()
}

#[derive(Default)]
struct DraftBuilder {
    draft: Draft,
    /// The turn being filled, if any; it is pushed into the current section on
    /// the next label, heading or at the end.
    turn: Option<DraftTurn>,
}

impl DraftBuilder {
    fn block(&mut self, block: Vec<Spanned>) {
        match &block[0].0 {
            Event::Start(Tag::Heading { level, id, .. }) if *level == HeadingLevel::H2 => {
                let explicit = id.as_ref().map(|s| s.to_string());
                let span = block[0].1.clone();
                let text = plain_text(&block);
                let (number, title) = split_number(text.trim());
                self.close_turn();
                self.draft.sections.push(DraftSection {
                    number,
                    title: Some(title),
                    slug: explicit,
                    span: Some(span),
                    ..DraftSection::default()
                });
            }
            Event::Start(Tag::Paragraph) => {
                let mut inner = merge_text(block[1..block.len() - 1].to_vec());
                match take_label(&mut inner) {
                    Some(label) => {
                        self.close_turn();
                        let mut para = vec![block[0].clone()];
                        para.extend(inner);
                        para.push(block[block.len() - 1].clone());
                        let mut turn = DraftTurn {
                            label: label.text,
                            span: Some(label.span),
                            start: label.start,
                            ..DraftTurn::default()
                        };
                        push_block(&mut turn.blocks, &mut turn.text, &para);
                        self.turn = Some(turn);
                    }
                    None => self.content(&block),
                }
            }
            _ => self.content(&block),
        }
    }

    /// A block that is not a heading or a new turn continues whatever is open:
    /// the current turn, else the section's intro, else the transcript's.
    fn content(&mut self, block: &[Spanned]) {
        if let Some(turn) = &mut self.turn {
            push_block(&mut turn.blocks, &mut turn.text, block);
            return;
        }
        let target = match self.draft.sections.last_mut() {
            Some(section) => &mut section.intro,
            None => &mut self.draft.intro,
        };
        render_into(target, block);
    }

    fn close_turn(&mut self) {
        let Some(turn) = self.turn.take() else { return };
        if self.draft.sections.is_empty() {
            // Turns before any heading form an untitled section.
            self.draft.sections.push(DraftSection::default());
        }
        let section = self.draft.sections.last_mut().expect("pushed above");
        section.turns.push(turn);
    }

    fn finish(mut self) -> Draft {
        self.close_turn();
        self.draft
    }
}

/// Raw HTML is shown as text unless the site trusts its content, and links
/// that would run script are defused: transcripts come from third parties.
fn sanitize<'a>(event: Event<'a>, options: &IngestOptions) -> Event<'a> {
    match event {
        Event::Html(html) | Event::InlineHtml(html) if !options.allow_html => Event::Text(html),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    }
}

fn safe_url(url: CowStr) -> CowStr {
    if is_script_url(&url) {
        CowStr::Borrowed("#")
    } else {
        url
    }
}

/// True for URLs a browser would run or render as a document of their own
/// (`javascript:`, `vbscript:`, `data:`), however they are spelled: browsers
/// ignore case, whitespace and control characters in the scheme.
pub fn is_script_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|&c| c != ':' && c != '/' && c != '?' && c != '#')
        .collect::<String>()
        .to_ascii_lowercase();
    let has_scheme = url.contains(':') && !scheme.is_empty();
    has_scheme && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
}

/// Pulldown-cmark splits text at characters that might start markup; labels
/// are easier to find in whole runs of text.
fn merge_text(events: Vec<Spanned>) -> Vec<Spanned> {
    let mut out: Vec<Spanned> = Vec::with_capacity(events.len());
    for (event, range) in events {
        if let (Event::Text(t), Some((Event::Text(prev), prev_range))) = (&event, out.last_mut()) {
            let mut joined = prev.to_string();
            joined.push_str(t);
            *prev = CowStr::from(joined);
            prev_range.end = range.end;
            continue;
        }
        out.push((event, range));
    }
    out
}

/// A speaker label found at the start of a paragraph.
struct Label {
    text: String,
    span: Range<usize>,
    start: Option<Timecode>,
}

/// Finds and removes a leading `[time] Label:` or `[time] **Label:**` (or
/// `**Label**:`) from a paragraph's inline events.
fn take_label(inner: &mut Vec<Spanned>) -> Option<Label> {
    // Plain: the whole prefix is in the first text run.
    if let Some((Event::Text(t), range)) = inner.first() {
        let (start, after_time) = leading_time(t);
        if let Some((label, consumed)) = plain_label(&t[after_time..]) {
            if starts_like_a_name(label) {
                let found = Label {
                    text: label.to_string(),
                    span: range.start + after_time..range.start + after_time + label.len(),
                    start,
                };
                let rest = t[after_time + consumed..].to_string();
                strip_first(inner, rest);
                return Some(found);
            }
        }
    }
    // Bold: optional time text, then <strong>Label:</strong> or <strong>Label</strong>:
    let (start, time_events) = match inner.first() {
        Some((Event::Text(t), _)) => {
            let (start, after) = leading_time(t);
            if start.is_none() || !t[after..].trim().is_empty() {
                return None;
            }
            (start, 1)
        }
        _ => (None, 0),
    };
    let is_strong = matches!(inner.get(time_events), Some((Event::Start(Tag::Strong), _)));
    let Some((Event::Text(bold), bold_range)) = inner.get(time_events + 1) else {
        return None;
    };
    if !is_strong
        || !matches!(
            inner.get(time_events + 2),
            Some((Event::End(TagEnd::Strong), _))
        )
    {
        return None;
    }
    let (start, bold_after_time) = match leading_time(bold) {
        (Some(t), after) => (Some(t), after),
        (None, _) => (start, 0),
    };
    let bold_label = &bold[bold_after_time..];
    let (label, colon_outside) = match plain_label(bold_label) {
        Some((label, consumed)) if bold_label[consumed..].trim().is_empty() => (label, false),
        _ => match inner.get(time_events + 3) {
            Some((Event::Text(after), _))
                if after.starts_with(':') && valid_label(bold_label.trim()) =>
            {
                (bold_label.trim(), true)
            }
            _ => return None,
        },
    };
    let label_start = bold_range.start + bold_after_time;
    let found = Label {
        text: label.to_string(),
        span: label_start..label_start + label.len(),
        start,
    };
    inner.drain(..time_events + 3);
    if let Some((Event::Text(after), _)) = inner.first() {
        let rest = if colon_outside {
            &after[1..]
        } else {
            &after[..]
        };
        let rest = rest.trim_start().to_string();
        strip_first(inner, rest);
    } else {
        drop_leading_break(inner);
    }
    Some(found)
}

/// Replaces the first text event with `rest`, dropping it (and a line break
/// after it) when nothing is left.
fn strip_first(inner: &mut Vec<Spanned>, rest: String) {
    if rest.is_empty() {
        inner.remove(0);
        drop_leading_break(inner);
    } else {
        inner[0].0 = Event::Text(CowStr::from(rest));
    }
}

fn drop_leading_break(inner: &mut Vec<Spanned>) {
    if matches!(
        inner.first(),
        Some((Event::SoftBreak | Event::HardBreak, _))
    ) {
        inner.remove(0);
    }
}

/// A leading `[hh:mm:ss]` and the byte offset after it and the spaces that follow.
fn leading_time(t: &str) -> (Option<Timecode>, usize) {
    let trimmed = t.trim_start();
    let lead = t.len() - trimmed.len();
    if let Some(inside) = trimmed.strip_prefix('[') {
        if let Some(close) = inside.find(']').filter(|&i| i <= 16) {
            if let Some(tc) = Timecode::parse(&inside[..close]) {
                let after = &inside[close + 1..];
                let spaces = after.len() - after.trim_start().len();
                return (Some(tc), lead + 1 + close + 1 + spaces);
            }
        }
    }
    (None, 0)
}

/// `Label: rest` -> the label and the bytes up to the start of `rest`.
fn plain_label(t: &str) -> Option<(&str, usize)> {
    let colon = t.find(':')?;
    let label = t[..colon].trim();
    let after = &t[colon + 1..];
    if !(after.is_empty() || after.starts_with(char::is_whitespace)) || !valid_label(label) {
        return None;
    }
    let spaces = after.len() - after.trim_start().len();
    Some((label, colon + 1 + spaces))
}

/// What a speaker label may look like: a short name, not a sentence.
fn valid_label(label: &str) -> bool {
    !label.is_empty()
        && label.chars().count() <= 40
        && label.split_whitespace().count() <= 5
        && label.chars().any(char::is_alphanumeric)
        && !label.contains([
            '?', '!', ';', ',', '"', '[', ']', '(', ')', '<', '>', '*', '_', '`',
        ])
}

/// A plain `Word:` at the start of a paragraph is only a label when it looks
/// like a name: every word capitalized (or in a script without case), save
/// name particles such as `van` or `de`. So `note: ...` and `There are two
/// paths here: ...` stay text. Bold labels are always labels.
fn starts_like_a_name(label: &str) -> bool {
    const PARTICLES: [&str; 14] = [
        "van", "von", "de", "der", "den", "da", "di", "du", "del", "la", "le", "bin", "al", "of",
    ];
    label.split_whitespace().all(|word| {
        PARTICLES.contains(&word)
            || word.chars().next().is_some_and(|c| {
                c.is_uppercase() || c.is_numeric() || (c.is_alphabetic() && !c.is_lowercase())
            })
    })
}

/// `01. Title` -> (Some("01"), "Title").
fn split_number(heading: &str) -> (Option<String>, String) {
    let digits = heading.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let rest = &heading[digits..];
        if let Some(title) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            if !title.trim().is_empty() {
                return (
                    Some(heading[..digits].to_string()),
                    title.trim().to_string(),
                );
            }
        }
    }
    (None, heading.to_string())
}

/// Appends a block's HTML and its plain text.
fn push_block(blocks: &mut Vec<String>, text: &mut String, block: &[Spanned]) {
    let mut html = String::new();
    render_into(&mut html, block);
    blocks.push(html);
    let plain = plain_text(block);
    if !plain.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(plain.trim());
    }
}

fn render_into(out: &mut String, block: &[Spanned]) {
    pulldown_cmark::html::push_html(out, block.iter().map(|(e, _)| e.clone()));
}

/// The words of a block, without markup.
fn plain_text(block: &[Spanned]) -> String {
    let mut out = String::new();
    for (event, _) in block {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_))
                if !out.ends_with('\n') && !out.is_empty() =>
            {
                out.push('\n');
            }
            _ => {}
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(body: &str) -> Draft {
        parse_body(body, 0, &IngestOptions::default())
    }

    #[test]
    fn labels_in_every_spelling() {
        let d = draft(
            "Q: plain\n\n**A:** bold\n\n**Joe Tsai**: colon outside\n\n[00:01:02] Q: timed\n\n[00:01:03] **A:** timed bold\n",
        );
        let turns = &d.sections[0].turns;
        let labels: Vec<&str> = turns.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["Q", "A", "Joe Tsai", "Q", "A"]);
        assert_eq!(turns[0].blocks[0], "<p>plain</p>\n");
        assert_eq!(turns[1].blocks[0], "<p>bold</p>\n");
        assert_eq!(turns[2].blocks[0], "<p>colon outside</p>\n");
        assert_eq!(turns[3].start, Some(Timecode(62_000)));
        assert_eq!(turns[3].text, "timed");
        assert_eq!(turns[4].start, Some(Timecode(63_000)));
    }

    #[test]
    fn sentences_with_colons_are_not_labels() {
        let d = draft("Q: hi\n\nThere are two paths here: one and two.\n\nnote: lower case\n");
        let turns = &d.sections[0].turns;
        assert_eq!(turns.len(), 1);
        assert_eq!(turns[0].blocks.len(), 3);
    }

    #[test]
    fn headings_split_sections_with_numbers_and_slugs() {
        let d = draft("Intro.\n\n## 01. The $50 Trillion \"Market\" {#market}\n\nLede.\n\nQ: x\n\n## Two\n\nA: y\n");
        assert_eq!(d.intro, "<p>Intro.</p>\n");
        assert_eq!(d.sections.len(), 2);
        let s = &d.sections[0];
        assert_eq!(s.number.as_deref(), Some("01"));
        assert_eq!(s.title.as_deref(), Some("The $50 Trillion \"Market\""));
        assert_eq!(s.slug.as_deref(), Some("market"));
        assert_eq!(s.intro, "<p>Lede.</p>\n");
        assert_eq!(d.sections[1].number, None);
    }

    #[test]
    fn markdown_inside_turns_is_rendered() {
        let d = draft("A: *so* [we](https://x.org)\n\n- one\n- two\n\n> quoted\n");
        let t = &d.sections[0].turns[0];
        assert_eq!(t.blocks.len(), 3);
        assert!(t.blocks[0].contains("<em>so</em>"));
        assert!(t.blocks[1].contains("<li>one</li>"));
        assert!(t.blocks[2].contains("<blockquote>"));
    }

    #[test]
    fn raw_html_and_script_links_are_defused() {
        let d = draft("A: <script>alert(1)</script> [x](javascript:alert(1))\n");
        let html = &d.sections[0].turns[0].blocks[0];
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn label_alone_on_its_line() {
        let d = draft("**Q:**\nWhat now?\n");
        let t = &d.sections[0].turns[0];
        assert_eq!(t.label, "Q");
        assert_eq!(t.blocks[0], "<p>What now?</p>\n");
    }
}
