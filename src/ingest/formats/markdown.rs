//! The native content format: TOML front matter, then Markdown in which `## `
//! headings start sections and paragraphs that open with `Label:` or
//! `**Label:**` start turns; a `{tags = [...]}` line ending a paragraph tags
//! the turn. The rules are specified in docs/content-format.md.

use crate::diagnostic::Diagnostic;
use crate::ingest::frontmatter;
use crate::ingest::normalize::{
    normalize, Draft, DraftError, DraftSection, DraftTurn, Normalized, Origin,
};
use crate::ingest::speech::clean;
use crate::ingest::IngestOptions;
use crate::model::{Block, SiteLink, Timecode};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;

mod plain;

type Spanned<'a> = (Event<'a>, Range<usize>);

/// Parses a native `.md` transcript.
pub fn parse(origin: &Origin, options: &IngestOptions) -> Result<Normalized, Vec<Diagnostic>> {
    let split = frontmatter::split(origin.path, origin.text).map_err(|d| vec![d])?;
    let mut links = Vec::new();
    let draft = parse_body_with_links(split.body, split.body_offset, options, &mut links);
    let (mut transcript, mut warnings) = normalize(split.front_matter, draft, origin)?;
    warnings.splice(0..0, split.warnings);
    transcript.links = links
        .into_iter()
        .map(|(target, span)| SiteLink {
            target,
            source: std::sync::Arc::clone(origin.text),
            span,
        })
        .collect();
    Ok((transcript, warnings))
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
    parse_body_with_links(body, offset, options, &mut Vec::new())
}

/// [`parse_body`], also collecting links to the site's own pages (`@/...`)
/// with their spans in the file; render resolves them once the site is known.
fn parse_body_with_links(
    body: &str,
    offset: usize,
    options: &IngestOptions,
    links: &mut Vec<(String, Range<usize>)>,
) -> Draft {
    // Plain speech (most transcripts) has no links to collect.
    plain::parse(body, offset).unwrap_or_else(|| parse_markdown(body, offset, options, links))
}

/// Whether `body` is read the plain way, asserting (a panic otherwise) that
/// its draft then is the general parser's. For the tests and the
/// `markdown_plain` fuzz target.
#[doc(hidden)]
pub fn plain_reading_agrees(body: &str) -> bool {
    // Spans count from where the body starts in its file: not from zero.
    let offset = 7;
    let Some(plain) = plain::parse(body, offset) else {
        return false;
    };
    let general = parse_markdown(body, offset, &IngestOptions::default(), &mut Vec::new());
    assert_eq!(plain, general, "the plain reading of {body:?}");
    true
}

/// [`parse_body_with_links`] by pulldown-cmark's events, for any body.
fn parse_markdown(
    body: &str,
    offset: usize,
    options: &IngestOptions,
    links: &mut Vec<(String, Range<usize>)>,
) -> Draft {
    let mut builder = DraftBuilder {
        body,
        offset,
        draft: Draft::default(),
        turn: None,
    };
    let mut attribute_errors = Vec::new();
    let mut events = Parser::new_ext(body, markdown_options())
        .into_offset_iter()
        .map(|(e, r)| {
            let span = r.start + offset..r.end + offset;
            if let Event::Start(Tag::Link { dest_url, .. }) = &e {
                if dest_url.starts_with(crate::links::PREFIX) {
                    links.push((dest_url.to_string(), span.clone()));
                }
            }
            if let Some(error) = heading_attributes_error(&e, &span) {
                attribute_errors.push(error);
            }
            (sanitize(e, options), span)
        })
        .peekable();
    // One top-level block at a time, in one buffer for the whole body.
    let mut block = Vec::new();
    while let Some(first) = events.next() {
        // Gather one top-level block: a start tag through its matching end.
        block.clear();
        block.push(first);
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
        builder.block(&block);
    }
    drop(events);
    builder.draft.errors.append(&mut attribute_errors);
    builder.finish()
}

/// A heading's `{...}` attributes may only be an `{#id}` and `{.class}`es
/// made of slug characters: pulldown-cmark writes any other `key=value` as an
/// HTML attribute (an `onfocus` would run script), so those are refused
/// where the author can fix them. Second-level headings' ids are section
/// slugs, which the normalizer slugifies and checks itself.
fn heading_attributes_error(event: &Event, span: &Range<usize>) -> Option<DraftError> {
    let Event::Start(Tag::Heading {
        level,
        id,
        classes,
        attrs,
    }) = event
    else {
        return None;
    };
    let message = if let Some((key, _)) = attrs.first() {
        format!("the heading attribute `{key}` is not allowed")
    } else if let Some(id) = id
        .as_ref()
        .filter(|id| *level != HeadingLevel::H2 && !is_safe_token(id))
    {
        format!("the heading id {id:?} is not a slug")
    } else if let Some(class) = classes.iter().find(|c| !is_safe_token(c)) {
        format!("the heading class {class:?} is not a slug")
    } else {
        return None;
    };
    Some(DraftError {
        span: span.clone(),
        message,
        help: "a heading may end in `{#id}` and `{.class}` (letters, digits, `-` and `_`) and nothing else; \
               to show the braces as text, write `\\{`"
            .to_string(),
    })
}

/// Letters, digits, `-` and `_`: safe as an HTML id or class anywhere.
fn is_safe_token(token: &str) -> bool {
    !token.is_empty()
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

struct DraftBuilder<'s> {
    /// The Markdown body and where it starts in the file: turn tag lines are
    /// read from the source as written, not as Markdown renders them.
    body: &'s str,
    offset: usize,
    draft: Draft,
    /// The turn being filled, if any; it is pushed into the current section on
    /// the next label, heading or at the end.
    turn: Option<DraftTurn>,
}

impl DraftBuilder<'_> {
    fn block(&mut self, block: &[Spanned<'_>]) {
        match &block[0].0 {
            Event::Start(Tag::Heading { level, id, .. }) if *level == HeadingLevel::H2 => {
                let explicit = id.as_ref().map(|s| s.to_string());
                let span = block[0].1.clone();
                let text = plain_text(block);
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
                let mut inner = merge_text(&block[1..block.len() - 1]);
                if let Some(error) = malformed_leading_time(&inner) {
                    self.draft.errors.push(error);
                }
                let label = take_label(&mut inner);
                if let Some(label) = &label {
                    self.close_turn();
                    self.turn = Some(DraftTurn {
                        label: label.text.clone(),
                        span: Some(label.span.clone()),
                        start: label.start,
                        ..DraftTurn::default()
                    });
                }
                let tagged = self.take_tags_line(&mut inner, &block[0].1);
                if label.is_none() && !tagged {
                    self.content(block);
                } else if !(tagged && inner.is_empty()) {
                    let (open, close) = (&block[0], &block[block.len() - 1]);
                    self.content_of(|| [open].into_iter().chain(&inner).chain([close]));
                }
            }
            _ => self.content(block),
        }
    }

    /// A block that is not a heading or a new turn continues whatever is open:
    /// the current turn, else the section's intro, else the transcript's.
    fn content(&mut self, block: &[Spanned]) {
        self.content_of(|| block.iter());
    }

    /// [`DraftBuilder::content`] for a block given as its events, which
    /// `events` gives afresh for each pass over them.
    fn content_of<'e, 'a: 'e, I>(&mut self, events: impl Fn() -> I)
    where
        I: Iterator<Item = &'e Spanned<'a>>,
    {
        if let Some(turn) = &mut self.turn {
            push_block(&mut turn.blocks, &mut turn.text, events);
            return;
        }
        render_into(self.intro(), &events);
    }

    /// Where content outside any turn goes: the intro of the last section,
    /// else the transcript's.
    fn intro(&mut self) -> &mut String {
        match self.draft.sections.last_mut() {
            Some(section) => &mut section.intro,
            None => &mut self.draft.intro,
        }
    }

    /// Removes a `{tags = [...]}` line that ends the paragraph at `span` and
    /// adds its tags to the open turn; false when the paragraph has none.
    /// The line is read as written: `\{tags` (as import escapes text) is text.
    fn take_tags_line(&mut self, inner: &mut Vec<Spanned>, span: &Range<usize>) -> bool {
        let source = self.body[span.start - self.offset..span.end - self.offset].trim_end();
        let line_at = memchr::memrchr(b'\n', source.as_bytes()).map_or(0, |i| i + 1);
        let line = source[line_at..].trim_start();
        if !is_tags_line(line) {
            return false;
        }
        let line_start = span.start + source.len() - line.len();
        let Some(first) = inner.iter().position(|(_, r)| r.start >= line_start) else {
            return false;
        };
        // The line must be words only: no emphasis or link that began before it.
        let leaves = inner[first..]
            .iter()
            .all(|(e, _)| !matches!(e, Event::Start(_) | Event::End(_)));
        let cut = match first.checked_sub(1).map(|i| &inner[i].0) {
            Some(Event::SoftBreak | Event::HardBreak) => first - 1,
            None => 0,
            Some(_) => return false,
        };
        if !leaves {
            return false;
        }
        inner.truncate(cut);
        let line_span = line_start..line_start + line.len();
        let error = match (parse_tags_line(line), &mut self.turn) {
            (Ok(tags), Some(turn)) => {
                for tag in tags {
                    if !turn.tags.contains(&tag) {
                        turn.tags.push(tag);
                    }
                }
                return true;
            }
            (Ok(_), None) => DraftError {
                span: line_span,
                message: "turn tags outside a turn".to_string(),
                help: "a `{tags = [...]}` line belongs at the end of a paragraph of the turn it tags; \
                       to tag the whole transcript, use `tags` in the front matter"
                    .to_string(),
            },
            (Err(why), _) => DraftError {
                span: line_span,
                message: format!("the turn tags cannot be read: {why}"),
                help: "write turn tags as `{tags = [\"first tag\", \"second\"]}` on the last line of a paragraph of the turn; \
                       to keep the line as text, write `\\{tags`"
                    .to_string(),
            },
        };
        self.draft.errors.push(error);
        true
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

/// A line of Markdown as HTML without the surrounding paragraph, sanitized
/// as a transcript's text is (the site's footer in `site.toml`).
pub fn inline_html(text: &str) -> String {
    let mut html = String::new();
    let options = IngestOptions::default();
    let parser = pulldown_cmark::Parser::new(text).map(|e| sanitize(e, &options));
    pulldown_cmark::html::push_html(&mut html, parser);
    let trimmed = html.trim();
    trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_string()
}

/// Raw HTML is shown as text unless the site trusts its content, links
/// that would run script are defused, and headings keep no attributes but
/// their id and classes: transcripts come from third parties.
pub(crate) fn sanitize<'a>(event: Event<'a>, options: &IngestOptions) -> Event<'a> {
    match event {
        Event::Html(html) | Event::InlineHtml(html) if !options.allow_html => Event::Text(html),
        // Whatever the caller reported, only safe ids and classes reach the page.
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs: _,
        }) => Event::Start(Tag::Heading {
            level,
            id: id.filter(|id| level == HeadingLevel::H2 || is_safe_token(id)),
            classes: classes.into_iter().filter(|c| is_safe_token(c)).collect(),
            attrs: Vec::new(),
        }),
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
    if crate::url::is_script_url(&url) {
        CowStr::Borrowed("#")
    } else {
        url
    }
}

/// Pulldown-cmark splits text at characters that might start markup; labels
/// are easier to find in whole runs of text. Runs separated by a gap in the
/// source stay apart: the gap is a backslash escape, and `Name\:` must not
/// become a label.
fn merge_text<'a>(events: &[Spanned<'a>]) -> Vec<Spanned<'a>> {
    let mut out: Vec<Spanned> = Vec::with_capacity(events.len());
    for (event, range) in events.iter().cloned() {
        if let (Event::Text(t), Some((Event::Text(prev), prev_range))) = (&event, out.last_mut()) {
            if prev_range.end != range.start {
                out.push((event, range));
                continue;
            }
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

/// Appends one paragraph of native Markdown to a turn's blocks and text,
/// exactly as the native parser would. Other formats use it so that
/// importing them into Markdown changes nothing.
pub(crate) fn push_paragraph(blocks: &mut Vec<Block>, text: &mut String, markdown: &str) {
    let events: Vec<Spanned> = Parser::new_ext(markdown, markdown_options())
        .into_offset_iter()
        .map(|(e, r)| (sanitize(e, &IngestOptions::default()), r))
        .collect();
    push_block(blocks, text, || events.iter());
}

/// One paragraph of native Markdown as [`push_paragraph`] makes it, alone:
/// its HTML and its plain text (for intros and summaries, which are HTML).
pub(crate) fn render_paragraph(markdown: &str) -> (String, String) {
    let (mut blocks, mut text) = (Vec::new(), String::new());
    push_paragraph(&mut blocks, &mut text, markdown);
    let html = blocks.into_iter().map(|b| b.into_html(&text)).collect();
    (html, text)
}

/// True when a paragraph starting with `text` would be read as a new turn:
/// `Name: ...` with a name-like label, optionally after a `[time]`.
pub(crate) fn opens_with_label(text: &str) -> bool {
    split_label(text).is_some()
}

/// `[time] Name: rest` -> the time, the label and the rest, by the same rules
/// as a native paragraph (plain text transcripts share them).
pub(crate) fn split_label(text: &str) -> Option<(Option<Timecode>, &str, &str)> {
    let (start, after_time) = leading_time(text);
    let (label, consumed) = plain_label(&text[after_time..])?;
    starts_like_a_name(label).then(|| (start, label, &text[after_time + consumed..]))
}

/// A line that is only `[hh:mm:ss]`.
pub(crate) fn time_only(text: &str) -> Option<Timecode> {
    let (start, after) = leading_time(text);
    start.filter(|_| text[after..].trim().is_empty())
}

/// `01. Title` -> the number and the title.
pub(crate) fn numbered_heading(text: &str) -> (Option<String>, String) {
    split_number(text)
}

/// True when `label` can be written as `**label:**` and read back (a
/// label ends at its first colon, so one with a colon cannot).
pub(crate) fn is_valid_label(label: &str) -> bool {
    valid_label(label) && !label.contains(':')
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
        // `Word:\[...` is not a label: the colon is followed by an escaped
        // character, where pulldown-cmark ends the text run.
        let escaped_next =
            matches!(inner.get(1), Some((Event::Text(_), next)) if next.start > range.end);
        if let Some((label, consumed)) = plain_label(&t[after_time..])
            .filter(|&(_, consumed)| !(after_time + consumed == t.len() && escaped_next))
        {
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

/// True for a line meant as turn tags: `{tags =` opens it.
fn is_tags_line(line: &str) -> bool {
    line.strip_prefix('{')
        .map(str::trim_start)
        .and_then(|rest| rest.strip_prefix("tags"))
        .is_some_and(|rest| rest.trim_start().starts_with('='))
}

/// `{tags = ["a", "b"]}` (a TOML inline table) or the shorthand
/// `{tags = "a, b"}` -> the tags, whitespace collapsed, duplicates dropped.
fn parse_tags_line(line: &str) -> Result<Vec<String>, String> {
    let table: toml::Table =
        toml::from_str(&format!("turn = {line}")).map_err(|e| e.message().trim().to_string())?;
    let Some(toml::Value::Table(attributes)) = table.get("turn") else {
        return Err("expected `{tags = [...]}`".to_string());
    };
    if let Some(other) = attributes.keys().find(|k| *k != "tags") {
        return Err(format!("`{other}` is not a turn attribute; only `tags` is"));
    }
    let written: Vec<String> = match attributes.get("tags") {
        Some(toml::Value::String(list)) => list.split(',').map(str::to_string).collect(),
        Some(toml::Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                toml::Value::String(tag) => Ok(tag.clone()),
                other => Err(format!("a tag is text in quotes, not {other}")),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err("`tags` is a list of quoted tags".to_string()),
    };
    let mut tags: Vec<String> = Vec::new();
    for tag in written.iter().map(|t| clean(t)).filter(|t| !t.is_empty()) {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    Ok(tags)
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

/// A leading `[hh:mm:ss]` and the byte offset after it and the spaces that
/// follow. A bracket meant as a time that is not one (`[00:00:99]`) is
/// stepped over with no time, so the label after it still opens the turn:
/// the callers report it (an error in native files, a warning elsewhere).
fn leading_time(t: &str) -> (Option<Timecode>, usize) {
    let trimmed = t.trim_start();
    let lead = t.len() - trimmed.len();
    if let Some(inside) = trimmed.strip_prefix('[') {
        if let Some(close) = inside.find(']').filter(|&i| i <= 40) {
            let time = &inside[..close];
            let parsed = Timecode::parse(time);
            if parsed.is_some() || Timecode::looks_like_one(time) {
                let after = &inside[close + 1..];
                let spaces = after.len() - after.trim_start().len();
                return (parsed, lead + 1 + close + 1 + spaces);
            }
        }
    }
    (None, 0)
}

/// A paragraph that opens with a bracketed time that cannot be read
/// (`[00:00:99] A: ...`, as written or in bold): an error, since read as
/// words it would move the turn into the one before it.
fn malformed_leading_time(inner: &[Spanned]) -> Option<DraftError> {
    let (t, range) = match inner {
        [(Event::Text(t), range), ..] => (t, range),
        [(Event::Start(Tag::Strong), _), (Event::Text(t), range), ..] => (t, range),
        _ => return None,
    };
    let trimmed = t.trim_start();
    let lead = t.len() - trimmed.len();
    let inside = trimmed.strip_prefix('[')?;
    let close = inside.find(']').filter(|&i| i <= 40)?;
    let time = &inside[..close];
    if !Timecode::looks_like_one(time) {
        return None;
    }
    let why = Timecode::read(time).err()?;
    let start = range.start + lead;
    Some(DraftError {
        span: start..start + close + 2,
        message: format!("the time [{time}] cannot be read: {why}"),
        help: "write the time as [hh:mm:ss] or [mm:ss] (minutes and seconds under 60, \
               an optional .mmm), or escape the bracket as `\\[` to keep it as words"
            .to_string(),
    })
}

/// `Label: rest` -> the label and the bytes up to the start of `rest`.
fn plain_label(t: &str) -> Option<(&str, usize)> {
    let colon = memchr::memchr(b':', t.as_bytes())?;
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
    // The cheap tests first: every paragraph with a colon asks. Forty
    // characters are at most 160 bytes, and the characters turned away are
    // ASCII, so bytes tell.
    label.len() <= 160
        && !label.is_empty()
        && !label.bytes().any(|b| {
            matches!(
                b,
                b'?' | b'!'
                    | b';'
                    | b','
                    | b'"'
                    | b'['
                    | b']'
                    | b'('
                    | b')'
                    | b'<'
                    | b'>'
                    | b'*'
                    | b'_'
                    | b'`'
            )
        })
        && label.chars().count() <= 40
        && label.split_whitespace().count() <= 5
        && label.chars().any(char::is_alphanumeric)
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

/// Appends a block's HTML and its plain text (after a blank line, unless it
/// is the first or has no words). `events` gives the block's events afresh
/// for each pass over them: sizing, HTML, words.
fn push_block<'e, 'a: 'e, I>(blocks: &mut Vec<Block>, text: &mut String, events: impl Fn() -> I)
where
    I: Iterator<Item = &'e Spanned<'a>>,
{
    let before = text.len();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    let start = text.len();
    append_plain(text, events());
    // The block's words, trimmed at both ends; none leaves `text` as it was.
    let end = start + text[start..].trim_end().len();
    text.truncate(end);
    let lead = text[start..].len() - text[start..].trim_start().len();
    let words = if start == end {
        text.truncate(before);
        None
    } else {
        text.replace_range(start..start + lead, "");
        Some(start..end - lead)
    };
    // A paragraph whose HTML would be its words, escaped, in `<p>` keeps
    // only where they are: most turns are such paragraphs, and the model
    // keeps them as text.
    if let Some(range) = words.filter(|r| is_plain_paragraph_of(&text[r.clone()], &events)) {
        blocks.push(Block::Paragraph(range));
        return;
    }
    // Markup adds to the words: a little more than their length is enough
    // for most blocks in one allocation.
    let size: usize = events()
        .map(|(e, _)| match e {
            Event::Text(t) => t.len(),
            _ => 8,
        })
        .sum();
    let mut html = String::with_capacity(size + size / 8 + 16);
    render_into(&mut html, &events);
    blocks.push(Block::Html(html));
}

/// Whether `events` are a paragraph of text alone (no soft break, which the
/// HTML keeps as a line break and the words as a space) that is exactly
/// `words`: then its HTML is `words` as [`push_plain_paragraph`] writes them.
fn is_plain_paragraph_of<'e, 'a: 'e, I>(words: &str, events: &impl Fn() -> I) -> bool
where
    I: Iterator<Item = &'e Spanned<'a>>,
{
    if !is_text_paragraph(events, false) {
        return false;
    }
    let mut rest = words;
    for (event, _) in events() {
        if let Event::Text(t) = event {
            match rest.strip_prefix(&**t) {
                Some(after) => rest = after,
                None => return false,
            }
        }
    }
    rest.is_empty()
}

/// Whether `events` are one paragraph of text events, and of soft breaks
/// when `soft_breaks` allows them, and nothing else.
fn is_text_paragraph<'e, 'a: 'e, I>(events: &impl Fn() -> I, soft_breaks: bool) -> bool
where
    I: Iterator<Item = &'e Spanned<'a>>,
{
    let mut kinds = events().map(|(e, _)| e).peekable();
    if !matches!(kinds.next(), Some(Event::Start(Tag::Paragraph))) {
        return false;
    }
    while let Some(e) = kinds.next() {
        let last = kinds.peek().is_none();
        let fits = match e {
            Event::Text(_) => !last,
            Event::SoftBreak => soft_breaks && !last,
            Event::End(TagEnd::Paragraph) => last,
            _ => false,
        };
        if !fits {
            return false;
        }
    }
    true
}

/// Appends a block's HTML, as pulldown-cmark's HTML writer makes it.
fn render_into<'e, 'a: 'e, I>(out: &mut String, events: &impl Fn() -> I)
where
    I: Iterator<Item = &'e Spanned<'a>>,
{
    if !push_plain_paragraph(out, events) {
        pulldown_cmark::html::push_html(out, events().map(|(e, _)| e.clone()));
    }
}

/// Appends a paragraph of words and soft line breaks, what most turns are,
/// the way the HTML writer does (`<p>`, text escaped as it escapes it, a line
/// break for each soft break, `</p>` and a line break) without cloning each
/// event for it; false, with nothing written, for any other block.
fn push_plain_paragraph<'e, 'a: 'e, I>(out: &mut String, events: &impl Fn() -> I) -> bool
where
    I: Iterator<Item = &'e Spanned<'a>>,
{
    if !is_text_paragraph(events, true) {
        return false;
    }
    out.push_str("<p>");
    for (event, _) in events() {
        match event {
            Event::Text(text) => crate::escape::esc_body(out, text),
            Event::SoftBreak => out.push('\n'),
            _ => {}
        }
    }
    out.push_str("</p>\n");
    true
}

/// The words of a block, without markup.
fn plain_text(block: &[Spanned]) -> String {
    let mut out = String::new();
    append_plain(&mut out, block.iter());
    out.truncate(out.trim_end().len());
    out
}

/// Appends the words of a block's events to `out`, a line break ending each
/// paragraph, item or heading that has words before it in `out`.
fn append_plain<'e, 'a: 'e>(out: &mut String, events: impl Iterator<Item = &'e Spanned<'a>>) {
    let start = out.len();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_))
                if !out.ends_with('\n') && out.len() > start =>
            {
                out.push('\n');
            }
            _ => {}
        }
    }
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
        assert_eq!(turns[0].html_blocks()[0], "<p>plain</p>\n");
        assert_eq!(turns[1].html_blocks()[0], "<p>bold</p>\n");
        assert_eq!(turns[2].html_blocks()[0], "<p>colon outside</p>\n");
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
        let blocks = d.sections[0].turns[0].html_blocks();
        assert_eq!(blocks.len(), 3);
        assert!(blocks[0].contains("<em>so</em>"));
        assert!(blocks[1].contains("<li>one</li>"));
        assert!(blocks[2].contains("<blockquote>"));
    }

    #[test]
    fn plain_paragraphs_keep_only_where_their_words_are() {
        let d = draft(
            "A: Fish & chips <cheap>.\n\n  Leading   space, trailing  \n\n\
             two\nlines\n\n*emphasis*\n\nGrüße, \"quoted\" 'too'\n",
        );
        let t = &d.sections[0].turns[0];
        let kinds: Vec<&str> = t
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(_) => "words",
                Block::Html(_) => "html",
            })
            .collect();
        // A soft break is a line break in HTML and a space in the words.
        assert_eq!(kinds, ["words", "words", "html", "html", "words"]);
        assert_eq!(
            t.html_blocks(),
            [
                "<p>Fish &amp; chips &lt;cheap&gt;.</p>\n",
                "<p>Leading   space, trailing</p>\n",
                "<p>two\nlines</p>\n",
                "<p><em>emphasis</em></p>\n",
                "<p>Grüße, \"quoted\" 'too'</p>\n",
            ]
        );
        // What pulldown-cmark's own writer makes of each block, sanitized.
        let written: Vec<String> = [
            "Fish & chips <cheap>.",
            "Leading   space, trailing",
            "two\nlines",
            "*emphasis*",
            "Grüße, \"quoted\" 'too'",
        ]
        .iter()
        .map(|md| {
            let mut html = String::new();
            let events = Parser::new_ext(md, markdown_options())
                .map(|e| sanitize(e, &IngestOptions::default()));
            pulldown_cmark::html::push_html(&mut html, events);
            html
        })
        .collect();
        assert_eq!(t.html_blocks(), written);
    }

    #[test]
    fn heading_attributes_other_than_id_and_class_are_refused_everywhere() {
        let payload =
            "### Click me {tabindex=0 autofocus=autofocus onfocus=alert(document.domain)}";
        // In a turn, an intro, a quote, a list item and a footnote.
        for body in [
            format!("A: Hi.\n\n{payload}\n"),
            format!("{payload}\n\nA: Hi.\n"),
            format!("A: Hi.\n\n> {payload}\n"),
            format!("A: Hi.\n\n- {payload}\n"),
            format!("A: Hi.[^1]\n\n[^1]: {payload}\n"),
            "A: Hi.\n\n### x {#a\"b}\n".to_string(),
            "A: Hi.\n\n### x {.c onmouseover=alert(1)}\n".to_string(),
        ] {
            let d = draft(&body);
            assert_eq!(d.errors.len(), 1, "{body:?}: {:?}", d.errors);
            let html: String = d
                .sections
                .iter()
                .flat_map(|s| s.turns.iter())
                .flat_map(|t| t.html_blocks())
                .collect::<String>()
                + &d.intro;
            assert!(
                !html.contains("onfocus")
                    && !html.contains("onmouseover")
                    && !html.contains("tabindex"),
                "{body:?}: {html}"
            );
        }
        // Safe ids and classes pass, in every path that renders Markdown.
        let d = draft("A: Hi.\n\n### Kept {#kept-id .a_class}\n");
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert_eq!(
            d.sections[0].turns[0].html_blocks()[1],
            "<h3 id=\"kept-id\" class=\"a_class\">Kept</h3>\n"
        );
        let (html, _) = render_paragraph("### x {#y onfocus=alert(1)}");
        assert_eq!(html, "<h3 id=\"y\">x</h3>\n");
    }

    #[test]
    fn raw_html_and_script_links_are_defused() {
        let d = draft("A: <script>alert(1)</script> [x](javascript:alert(1))\n");
        let blocks = d.sections[0].turns[0].html_blocks();
        let html = &blocks[0];
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn escaped_colons_are_not_labels() {
        let d = draft("Q: hi\n\nUpdate\\: the figures changed.\n");
        let turns = &d.sections[0].turns;
        assert_eq!(turns.len(), 1);
        assert_eq!(
            turns[0].html_blocks()[1],
            "<p>Update: the figures changed.</p>\n"
        );
    }

    #[test]
    fn a_tags_line_tags_its_turn_and_leaves_the_words() {
        let d = draft(
            "**Ann:** Born in the mill town.\n{tags = [\"childhood\", \"mills\"]}\n\n\
             More words.\n\n{ tags = \"mills,  work , \" }\n\n**Bob:**\n{tags = [\"x\"]}\n\nBob: plain\n",
        );
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let turns = &d.sections[0].turns;
        assert_eq!(
            turns[0].html_blocks(),
            ["<p>Born in the mill town.</p>\n", "<p>More words.</p>\n"]
        );
        assert_eq!(turns[0].text, "Born in the mill town.\n\nMore words.");
        assert_eq!(turns[0].tags, ["childhood", "mills", "work"]);
        assert!(turns[1].blocks.is_empty());
        assert_eq!(turns[1].tags, ["x"]);
        assert!(turns[2].tags.is_empty());
    }

    #[test]
    fn escaped_or_inline_tags_lines_are_text() {
        let d = draft("A: words\n\\{tags = [\"a\"]}\n\nA: {tags = [\"b\"]}\n\nnote {tags = 1}\n");
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let turns = &d.sections[0].turns;
        assert!(turns.iter().all(|t| t.tags.is_empty()));
        assert_eq!(turns[0].text, "words {tags = [\"a\"]}");
        assert_eq!(turns[1].text, "{tags = [\"b\"]}\n\nnote {tags = 1}");
    }

    #[test]
    fn broken_or_misplaced_tags_lines_are_errors_with_a_place() {
        let body = "{tags = [\"intro\"]}\n\nA: x\n{tags = [a]}\n\nA: y\n{tags = [\"a\"], mood = \"glad\"}\n";
        let d = draft(body);
        let found: Vec<(&str, &str)> = d
            .errors
            .iter()
            .map(|e| (&body[e.span.clone()], e.message.as_str()))
            .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(
            found[0],
            ("{tags = [\"intro\"]}", "turn tags outside a turn")
        );
        assert_eq!(found[1].0, "{tags = [a]}");
        assert!(
            found[1].1.starts_with("the turn tags cannot be read"),
            "{}",
            found[1].1
        );
        assert!(
            found[2].1.contains("`mood` is not a turn attribute"),
            "{}",
            found[2].1
        );
    }

    #[test]
    fn label_alone_on_its_line() {
        let d = draft("**Q:**\nWhat now?\n");
        let t = &d.sections[0].turns[0];
        assert_eq!(t.label, "Q");
        assert_eq!(t.html_blocks()[0], "<p>What now?</p>\n");
    }

    #[test]
    fn plain_paragraphs_are_written_as_the_html_writer_writes_them() {
        for markdown in [
            "words",
            "two\nlines",
            "a & b < c > d \"quoted\" 'single' é",
            "trailing spaces  \nmake a hard break",
            "*emphasis* and `code`",
            "[a link](https://example.org)",
            "- a list",
            "> a quote",
            "## a heading",
            "",
        ] {
            let events: Vec<Spanned> = Parser::new_ext(markdown, markdown_options())
                .into_offset_iter()
                .collect();
            let mut ours = String::new();
            render_into(&mut ours, &|| events.iter());
            let mut theirs = String::new();
            pulldown_cmark::html::push_html(&mut theirs, events.iter().map(|(e, _)| e.clone()));
            assert_eq!(ours, theirs, "{markdown:?}");
        }
        // Only a paragraph of text and soft breaks takes the short way.
        let plain = |markdown: &str| {
            let events: Vec<Spanned> = Parser::new_ext(markdown, markdown_options())
                .into_offset_iter()
                .collect();
            push_plain_paragraph(&mut String::new(), &|| events.iter())
        };
        assert!(plain("two\nlines & more"));
        assert!(!plain("*emphasis*"));
        assert!(!plain("hard  \nbreak"));
        assert!(!plain("- item"));
    }
}
