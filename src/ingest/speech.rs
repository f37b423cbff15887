//! What every non-Markdown format has in common: pieces of speech (cues,
//! rows, segments, paragraphs), each with an optional speaker label and start
//! time, merged into turns and split into sections. Paragraph text is escaped
//! into Markdown and rendered by the native parser's own code, so importing a
//! source into a native file cannot change a word.

use super::markdown::{opens_with_label, push_paragraph, render_paragraph};
use super::normalize::{Draft, DraftSection, DraftTurn};
use crate::model::Timecode;
use serde::Deserialize;

/// A chapter of a sidecar or an index point of OHMS: from `start` on, turns
/// belong to a section with this title.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    pub start: Timecode,
    pub title: String,
    /// Shown between the heading and the first turn.
    #[serde(default)]
    pub summary: Option<String>,
}

/// Paragraph length after which a cue format's paragraph ends at a sentence.
const PARAGRAPH_LIMIT: usize = 600;

/// Builds a [`Draft`] from pieces of speech in reading order.
pub struct SpeechBuilder {
    draft: Draft,
    /// Chapters not reached yet, earliest first.
    chapters: std::vec::IntoIter<Chapter>,
    next_chapter: Option<Chapter>,
    turn: Option<OpenTurn>,
    /// The label of pieces that name nobody before anyone has spoken.
    default_label: String,
    /// The next text starts a paragraph of its own.
    paragraph_break: bool,
    /// Cue formats have no paragraphs: one is closed at the end of a
    /// sentence once it is this long (in bytes).
    paragraph_limit: Option<usize>,
    /// The next speech opens a new turn ([`turn_break`](Self::turn_break)).
    turn_break: bool,
}

struct OpenTurn {
    label: String,
    start: Option<Timecode>,
    paragraphs: Vec<String>,
    tags: Vec<String>,
}

impl SpeechBuilder {
    /// A builder that splits turns at `chapters` (sorted here by start time).
    /// `default_label` names the speaker of text that comes before any label.
    pub fn new(mut chapters: Vec<Chapter>, default_label: &str) -> Self {
        chapters.sort_by_key(|c| c.start);
        let mut chapters = chapters.into_iter();
        let next_chapter = chapters.next();
        SpeechBuilder {
            draft: Draft {
                words_read: Some(0),
                ..Draft::default()
            },
            chapters,
            next_chapter,
            turn: None,
            default_label: default_label.to_string(),
            paragraph_break: false,
            paragraph_limit: Some(PARAGRAPH_LIMIT),
            turn_break: false,
        }
    }

    /// Keeps paragraphs as the source has them (plain text marks them).
    pub fn keep_paragraphs(mut self) -> Self {
        self.paragraph_limit = None;
        self
    }

    /// The label of the turn being filled, if any.
    pub fn current_label(&self) -> Option<&str> {
        self.turn.as_ref().map(|t| t.label.as_str())
    }

    /// Adds speech. A label other than the current speaker's starts a new
    /// turn; `None` continues the current one. Empty text is ignored.
    pub fn speak(&mut self, label: Option<&str>, start: Option<Timecode>, text: &str) {
        self.speak_tagged(label, start, text, &[]);
    }

    /// [`speak`](Self::speak), and `tags` join the tags of the turn the text
    /// lands in (merged pieces keep the union, in order).
    pub fn speak_tagged(
        &mut self,
        label: Option<&str>,
        start: Option<Timecode>,
        text: &str,
        tags: &[String],
    ) {
        let text = clean(text);
        if text.is_empty() {
            return;
        }
        self.count(&text);
        if let Some(start) = start {
            self.reach(start);
        }
        let label = label.map(clean_label).filter(|l| !l.is_empty());
        let same = !self.turn_break
            && match (&self.turn, &label) {
                (Some(open), Some(l)) => open.label.to_lowercase() == l.to_lowercase(),
                (Some(_), None) => true,
                (None, _) => false,
            };
        if !same {
            // After a turn break, text naming nobody is still the last speaker's.
            let last = self.turn.as_ref().map(|t| t.label.clone());
            self.close_turn();
            self.turn_break = false;
            self.turn = Some(OpenTurn {
                label: label.or(last).unwrap_or_else(|| self.default_label.clone()),
                start,
                paragraphs: Vec::new(),
                tags: Vec::new(),
            });
            self.paragraph_break = true;
        }
        let open = self.turn.as_mut().expect("opened above");
        if open.start.is_none() {
            open.start = start;
        }
        for tag in tags.iter().map(|t| clean(t)).filter(|t| !t.is_empty()) {
            if !open.tags.contains(&tag) {
                open.tags.push(tag);
            }
        }
        let full = |p: &String| {
            self.paragraph_limit.is_some_and(|limit| {
                p.len() >= limit && p.ends_with(['.', '?', '!', '…', '"', '”'])
            })
        };
        match open.paragraphs.last_mut() {
            Some(last) if !self.paragraph_break && !full(last) => {
                last.push(' ');
                last.push_str(&text);
            }
            _ => open.paragraphs.push(text),
        }
        self.paragraph_break = false;
    }

    fn count(&mut self, text: &str) {
        if let Some(n) = &mut self.draft.words_read {
            *n += super::ledger::words(text);
        }
    }

    /// The next speech starts a turn of its own, even by the same speaker
    /// (a paragraph with its own time: a turn has one start).
    pub fn turn_break(&mut self) {
        if self.turn.is_some() {
            self.turn_break = true;
        }
    }

    /// The next speech starts a new paragraph of the same turn.
    pub fn paragraph_break(&mut self) {
        self.paragraph_break = true;
    }

    /// Text that is not speech: the intro of the current section, or of the
    /// transcript before any section.
    pub fn intro(&mut self, text: &str) {
        let text = clean(text);
        if text.is_empty() {
            return;
        }
        self.count(&text);
        let (html, _) = render_paragraph(&escape_paragraph(&text));
        match self.draft.sections.last_mut() {
            Some(section) => section.intro.push_str(&html),
            None => self.draft.intro.push_str(&html),
        }
    }

    /// True when nothing has been said yet (so text is still intro).
    pub fn is_empty(&self) -> bool {
        self.turn.is_none() && self.draft.sections.iter().all(|s| s.turns.is_empty())
    }

    /// Starts a section of the source's notes (endnotes after the talk),
    /// whose text is given with [`intro`](Self::intro) and has no turns.
    pub fn notes_section(&mut self, title: &str) {
        self.section(None, title);
        if let Some(s) = self.draft.sections.last_mut() {
            s.notes = true;
        }
    }

    /// Starts a section with a heading as written in the source.
    pub fn section(&mut self, number: Option<String>, title: &str) {
        self.close_turn();
        self.draft.sections.push(DraftSection {
            number,
            title: Some(clean(title)),
            ..DraftSection::default()
        });
    }

    /// Names the implicit first section (turns before any heading), if any.
    pub fn title_untitled(&mut self, title: &str) {
        self.close_turn();
        if let Some(first) = self.draft.sections.first_mut() {
            first.title.get_or_insert_with(|| title.to_string());
        }
    }

    /// Opens every chapter that starts at or before `time`.
    fn reach(&mut self, time: Timecode) {
        while let Some(chapter) = self.next_chapter.take_if(|c| c.start <= time) {
            self.section(None, &chapter.title);
            if let Some(summary) = &chapter.summary {
                self.intro(summary);
            }
            self.next_chapter = self.chapters.next();
        }
    }

    fn close_turn(&mut self) {
        let Some(open) = self.turn.take() else { return };
        let mut turn = DraftTurn {
            label: open.label,
            start: open.start,
            tags: open.tags,
            ..DraftTurn::default()
        };
        for paragraph in &open.paragraphs {
            push_paragraph(
                &mut turn.blocks,
                &mut turn.text,
                &escape_paragraph(paragraph),
            );
        }
        if self.draft.sections.is_empty() {
            self.draft.sections.push(DraftSection::default());
        }
        let section = self.draft.sections.last_mut().expect("pushed above");
        section.turns.push(turn);
    }

    /// The draft; chapters after the last timed piece still become (empty)
    /// sections, so no chapter of a sidecar silently disappears.
    pub fn finish(mut self) -> Draft {
        self.close_turn();
        if let Some(last) = self.next_chapter.take() {
            for chapter in std::iter::once(last).chain(self.chapters.by_ref()) {
                self.draft.sections.push(DraftSection {
                    title: Some(clean(&chapter.title)),
                    ..DraftSection::default()
                });
                if let Some(summary) = &chapter.summary {
                    let (html, _) = render_paragraph(&escape_paragraph(&clean(summary)));
                    self.draft.sections.last_mut().expect("pushed").intro = html;
                }
            }
        }
        self.draft
    }
}

/// Whitespace (line breaks, tabs, runs of spaces) collapsed to single spaces;
/// control characters and byte order marks dropped.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| c.is_whitespace() || c == '\u{feff}')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
}

/// A speaker label without the colon some formats write after it.
/// A label as a speaker's: whitespace collapsed, no colon, a numbered role
/// label without its number (`Frage 1` is the asker of `Frage 2`).
fn clean_label(label: &str) -> String {
    let label = clean(label);
    super::roles::base(label.trim_end_matches(':')).to_string()
}

/// One line of plain text as a Markdown paragraph that renders to exactly
/// that text: markup characters are backslash-escaped, and so is the colon of
/// a leading `Name:` that would otherwise start a new turn.
pub fn escape_paragraph(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '&' | '~' | '{' | '}'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // Block markers only matter at the start of the line.
    let first = out.chars().next();
    if matches!(first, Some('#' | '-' | '+' | '=' | '>')) {
        out.insert(0, '\\');
    }
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(out.as_bytes().get(digits), Some(b'.' | b')')) {
        out.insert(digits, '\\');
    }
    if opens_with_label(&out) {
        if let Some(colon) = out.find(':') {
            out.insert(colon, '\\');
        }
    }
    out
}

/// What the timing line of a cue (WebVTT, SubRip) says about its start.
#[derive(Debug, Clone, PartialEq)]
pub enum Timing {
    /// Written as the format requires.
    Exact(Timecode),
    /// Readable but not in the format's form (`0.000 --> 3.480` in bare
    /// seconds, `00:00:1.5`, `->`): read, with a warning.
    Loose(Timecode),
    /// Meant as a timing, but not a time (`00:00:61,000`, an hour of nine
    /// digits): the cue's words are kept, untimed, with a warning saying why.
    Unreadable(String),
}

/// Reads `start --> end [settings]` (also `->`, as some tools write it);
/// `None` for a line that is not meant as a timing line. `exact` says whether
/// a time is written in the format's own form.
pub fn read_timing(line: &str, exact: fn(&str) -> bool) -> Option<Timing> {
    let (start, rest, arrow_ok) = match line.split_once("-->") {
        Some((start, rest)) => (start.trim(), rest, true),
        None => {
            let (start, rest) = line.split_once("->")?;
            (start.trim(), rest, false)
        }
    };
    let end = rest.split_whitespace().next().unwrap_or("");
    let timeish = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b':' | b'.' | b',' | b'-'))
            && s.bytes().any(|b| b.is_ascii_digit())
    };
    // A line of words with an arrow in it is not a timing line.
    if !(timeish(start) || arrow_ok && timeish(end)) {
        return None;
    }
    if arrow_ok && exact(start) && exact(end) {
        return Timecode::parse(start).map(Timing::Exact);
    }
    let read = |s: &str| -> Result<Timecode, String> {
        match s.parse::<f64>() {
            // Bare seconds, as some podcast feeds write the first minute.
            Ok(value) if !s.contains(':') && !s.starts_with('-') => {
                seconds(value).ok_or_else(|| format!("{s} seconds is out of range"))
            }
            _ => Timecode::read(s),
        }
    };
    Some(match (read(start), read(end)) {
        (Ok(start), Ok(_)) => Timing::Loose(start),
        (Err(why), _) => Timing::Unreadable(format!("the start {start:?}: {why}")),
        (_, Err(why)) => Timing::Unreadable(format!("the end {end:?}: {why}")),
    })
}

/// Warnings about cues' timings, one per kind of problem: a file of 300
/// cues in bare seconds is one warning naming the first line and the count,
/// not 300.
#[derive(Debug, Default)]
pub struct TimingWarnings {
    /// (message of the first, its 1-based line, how many) per kind.
    loose: Option<(String, usize, usize)>,
    unreadable: Vec<(String, usize)>,
    /// (message, line, words).
    left_out: Vec<(String, usize, usize)>,
}

impl TimingWarnings {
    /// Notes what `timing`, read on 1-based `line` with the text `written`,
    /// needs said.
    pub fn note(&mut self, timing: &Timing, line: usize, written: &str) {
        match timing {
            Timing::Exact(_) => {}
            Timing::Loose(start) => match &mut self.loose {
                Some((_, _, count)) => *count += 1,
                None => {
                    self.loose = Some((
                        format!(
                            "the timing {:?} is not written as the format requires; read as starting at {start}",
                            written.trim()
                        ),
                        line,
                        1,
                    ))
                }
            },
            Timing::Unreadable(why) => self.unreadable.push((
                format!(
                    "the timing {:?} cannot be read ({why}); the cue's words are kept, untimed, after the cue before it",
                    written.trim()
                ),
                line,
            )),
        }
    }

    /// Notes text on 1-based `line` that is left out, its words, and why.
    pub fn left_out(&mut self, line: usize, words: usize, message: String) {
        self.left_out.push((message, line, words));
    }

    /// The warnings, pointed at their lines of `text`.
    pub fn into_diagnostics(
        self,
        path: &str,
        text: &std::sync::Arc<str>,
    ) -> Vec<crate::diagnostic::Diagnostic> {
        use crate::diagnostic::Diagnostic;
        let mut out = Vec::new();
        if let Some((message, line, count)) = self.loose {
            let message = match count {
                1 => message,
                n => format!("{message} (and {} more cues written the same way)", n - 1),
            };
            out.push(
                Diagnostic::warning(path, message)
                    .at_line(text, line)
                    .help("write timings as hh:mm:ss.mmm --> hh:mm:ss.mmm (SubRip: hh:mm:ss,mmm)"),
            );
        }
        for (message, line) in self.unreadable {
            out.push(Diagnostic::warning(path, message).at_line(text, line).help(
                "fix the timing (minutes and seconds under 60, at most three digits of hours) \
                     to have the cue timed",
            ));
        }
        for (message, line, words) in self.left_out {
            out.push(
                Diagnostic::warning(path, message)
                    .leaving_out(words)
                    .at_line(text, line)
                    .help(
                        "give the text a timing line to have it read as a cue, or make it a NOTE",
                    ),
            );
        }
        out
    }
}

/// A time given in seconds (JSON, OHMS) as a time code; `None` if negative
/// or not a number.
pub fn seconds(value: f64) -> Option<Timecode> {
    (value.is_finite() && (0.0..1e9).contains(&value))
        .then(|| Timecode((value * 1000.0).round() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_renders_as_written() {
        for text in [
            "1. not a list",
            "# not a heading",
            "- not a list",
            "*not* _emphasis_ [link](x) <b>tag</b> &amp; `code` ~~del~~ a | b {#id}",
            "Note: not a new turn",
            "back\\slash",
        ] {
            let (html, plain) = render_paragraph(&escape_paragraph(text));
            assert_eq!(plain, text, "{html}");
            assert!(html.starts_with("<p>") && !html.contains("<em>"), "{html}");
        }
    }

    #[test]
    fn one_speaker_merges_and_a_new_label_splits() {
        let mut b = SpeechBuilder::new(Vec::new(), "Speaker");
        b.speak(None, Some(Timecode(0)), "nobody");
        b.speak(Some("Ann:"), Some(Timecode(1000)), "one");
        b.speak(None, Some(Timecode(2000)), "two");
        b.speak(Some("ann"), Some(Timecode(3000)), "three");
        b.speak(Some("Bob"), Some(Timecode(4000)), "four");
        let d = b.finish();
        let turns = &d.sections[0].turns;
        let got: Vec<(&str, &str)> = turns
            .iter()
            .map(|t| (t.label.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Speaker", "nobody"),
                ("Ann", "one two three"),
                ("Bob", "four")
            ]
        );
        assert_eq!(turns[1].start, Some(Timecode(1000)));
    }

    #[test]
    fn chapters_split_turns_into_sections() {
        let chapters = vec![
            Chapter {
                start: Timecode(2000),
                title: "Two".into(),
                summary: Some("About two".into()),
            },
            Chapter {
                start: Timecode(0),
                title: "One".into(),
                summary: None,
            },
        ];
        let mut b = SpeechBuilder::new(chapters, "Speaker");
        b.speak(Some("Ann"), Some(Timecode(0)), "a");
        b.speak(None, Some(Timecode(1000)), "b");
        b.speak(None, Some(Timecode(2500)), "c");
        let d = b.finish();
        assert_eq!(d.sections.len(), 2);
        assert_eq!(d.sections[0].title.as_deref(), Some("One"));
        assert_eq!(d.sections[0].turns[0].text, "a b");
        assert_eq!(d.sections[1].turns[0].text, "c");
        assert_eq!(d.sections[1].turns[0].start, Some(Timecode(2500)));
        assert_eq!(d.sections[1].intro, "<p>About two</p>\n");
    }
}
