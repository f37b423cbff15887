//! What caption formats (WebVTT, YouTube SBV) share beyond cues: the marks
//! captioners write for a change of speaker without naming the speaker
//! (`>> ` at the start of a line, as in broadcast and YouTube captions; the
//! dialogue dash `- ` of film subtitles), and what such a change becomes.
//!
//! A mark says that someone other than the current speaker speaks, not who.
//! The honest reading is a new turn by a speaker the source does not name:
//! the turn is labelled `Speaker`, and one warning says how many such
//! changes there are. Consecutive changes are separate turns, even though
//! each is by "Speaker" (the [`SpeechBuilder`] merges pieces by one label, so
//! each change gets a placeholder label of its own that [`Changes::finish`]
//! turns into `Speaker` once the turns are closed).

use super::markdown::split_label;
use crate::diagnostic::Diagnostic;
use crate::ingest::normalize::Draft;
use crate::ingest::speech::SpeechBuilder;
use crate::model::Timecode;
use std::sync::Arc;

/// The label of a turn whose speaker the source does not name.
pub const UNNAMED: &str = "Speaker";

/// Placeholder labels start with this (a private-use character: no source
/// writes it in a label, and whitespace cleaning keeps it).
const PLACEHOLDER: &str = "\u{e000}unnamed\u{e000}";

/// Which marks a format uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    /// `>> ` (also `>>>`) at the start of a line.
    Chevrons,
    /// `>> ` and the dialogue dash: `- ` (or `-` before a capital) at the
    /// start of a line.
    ChevronsAndDashes,
}

/// The rest of `line` after a speaker-change mark at its start, if it has
/// one (`>> Yes.` -> `Yes.`, `- No.` -> `No.`).
pub fn after_mark(line: &str, marks: Marks) -> Option<&str> {
    let trimmed = line.trim_start();
    if trimmed.starts_with(">>") {
        let rest = trimmed.trim_start_matches('>');
        // `>>` glued to a word (`>>=`, `>>foo`) is not a mark.
        if rest.is_empty() || rest.starts_with(char::is_whitespace) {
            return Some(rest.trim_start());
        }
        return None;
    }
    if marks == Marks::ChevronsAndDashes {
        if let Some(rest) = trimmed.strip_prefix('-') {
            let first = rest.chars().next();
            if first.is_some_and(|c| c == ' ' || c == '\t') {
                let rest = rest.trim_start();
                // `- ` alone, or `--`, is not a line of dialogue.
                if !rest.is_empty() && !rest.starts_with('-') {
                    return Some(rest);
                }
            } else if first.is_some_and(char::is_uppercase) {
                return Some(rest);
            }
        }
    }
    None
}

/// A [`SpeechBuilder`] that also takes unnamed speaker changes.
pub struct Changes {
    builder: SpeechBuilder,
    /// How many unnamed changes, and the 1-based line of the first.
    unnamed: usize,
    first_line: Option<usize>,
    /// How the marks are written, for the warning.
    written: &'static str,
}

impl Changes {
    /// Wraps `builder`; `written` names the marks in the warning
    /// (`"`>>`"`).
    pub fn new(builder: SpeechBuilder, written: &'static str) -> Self {
        Changes {
            builder,
            unnamed: 0,
            first_line: None,
            written,
        }
    }

    /// Speech continuing the current speaker (`label` `None`) or by `label`;
    /// `start` is taken by the first piece with words.
    pub fn speak(&mut self, label: Option<&str>, start: &mut Option<Timecode>, text: &str) {
        self.builder.speak(label, *start, text);
        if !text.trim().is_empty() {
            *start = None;
        }
    }

    /// Speech after a change mark on 1-based `line`: by the speaker its
    /// `Name:` label names (`>> ANN LEE: Yes.`), else by an unnamed speaker
    /// other than the current one. Before anyone has spoken, an unnamed
    /// change is the default speaker's first words.
    pub fn change(&mut self, line: usize, start: &mut Option<Timecode>, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        if let Some((_, label, rest)) = split_label(text) {
            return self.speak(Some(label), start, rest);
        }
        if self.builder.is_empty() {
            return self.speak(None, start, text);
        }
        self.unnamed += 1;
        self.first_line.get_or_insert(line);
        let label = format!("{PLACEHOLDER}{}", self.unnamed);
        self.speak(Some(&label), start, text);
    }

    /// The lines of a cue's text (`first_line` is the 1-based line of the
    /// first): a line opening with a change mark starts speech by someone
    /// else ([`change`](Self::change)); the lines before any mark continue
    /// the current speaker, unless they open with a `Name:` label.
    pub fn lines(
        &mut self,
        text: &str,
        first_line: usize,
        start: &mut Option<Timecode>,
        marks: Marks,
    ) {
        let mut piece = String::new();
        let mut marked: Option<usize> = None;
        for (i, line) in text.split('\n').enumerate() {
            match after_mark(line, marks) {
                Some(rest) => {
                    self.piece(marked, &piece, start);
                    marked = Some(first_line + i);
                    piece.clear();
                    piece.push_str(rest);
                }
                None => {
                    piece.push('\n');
                    piece.push_str(line);
                }
            }
        }
        self.piece(marked, &piece, start);
    }

    fn piece(&mut self, marked: Option<usize>, text: &str, start: &mut Option<Timecode>) {
        match marked {
            Some(line) => self.change(line, start, text),
            None => match split_label(text.trim_start()) {
                Some((_, label, rest)) => self.speak(Some(label), start, rest),
                None => self.speak(None, start, text),
            },
        }
    }

    /// The builder, for what the format does besides speech.
    pub fn builder(&mut self) -> &mut SpeechBuilder {
        &mut self.builder
    }

    /// The draft, with every unnamed change's turn labelled [`UNNAMED`], and
    /// the warning that says so (pointed at the first change's line of
    /// `text`).
    pub fn finish(self, path: &str, text: &Arc<str>) -> (Draft, Option<Diagnostic>) {
        let mut draft = self.builder.finish();
        for turn in draft.sections.iter_mut().flat_map(|s| s.turns.iter_mut()) {
            if turn.label.starts_with(PLACEHOLDER) {
                turn.label = UNNAMED.to_string();
            }
        }
        let warning = self.first_line.map(|line| {
            let n = self.unnamed;
            Diagnostic::warning(
                path,
                format!(
                    "{n} change{} of speaker {} marked with {} but not named; {} by \"{UNNAMED}\" \
                     (the source does not say who speaks)",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "is" } else { "are" },
                    self.written,
                    if n == 1 {
                        "its turn is"
                    } else {
                        "their turns are"
                    },
                ),
            )
            .at_line(text, line)
            .help(
                "write the name after the mark (`>> ANN LEE: words`) to have the turns under \
                 their speakers; a sidecar that lists the speakers needs one with \
                 aliases = [\"Speaker\"]",
            )
        });
        (draft, warning)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks() {
        assert_eq!(after_mark(">> Yes.", Marks::Chevrons), Some("Yes."));
        assert_eq!(after_mark(">>> News.", Marks::Chevrons), Some("News."));
        assert_eq!(after_mark("x >> 2", Marks::Chevrons), None);
        assert_eq!(after_mark(">>= 2", Marks::Chevrons), None);
        assert_eq!(after_mark("- No.", Marks::Chevrons), None);
        assert_eq!(after_mark("- No.", Marks::ChevronsAndDashes), Some("No."));
        assert_eq!(after_mark("-No.", Marks::ChevronsAndDashes), Some("No."));
        assert_eq!(after_mark("-5 degrees", Marks::ChevronsAndDashes), None);
        assert_eq!(after_mark("-- so", Marks::ChevronsAndDashes), None);
        assert_eq!(after_mark("- ", Marks::ChevronsAndDashes), None);
    }

    #[test]
    fn unnamed_changes_are_turns_of_their_own() {
        let mut c = Changes::new(SpeechBuilder::new(Vec::new(), "Speaker"), "`>>`");
        let mut start = Some(Timecode(0));
        c.change(1, &mut start, "Hello.");
        c.change(2, &mut Some(Timecode(1000)), "Hi.");
        c.speak(None, &mut Some(Timecode(2000)), "Still me.");
        c.change(4, &mut Some(Timecode(3000)), "ANN LEE: Named.");
        c.change(5, &mut Some(Timecode(4000)), "Someone else.");
        let text: Arc<str> = "a\nb\nc\nd\ne\n".into();
        let (d, w) = c.finish("x.vtt", &text);
        let turns: Vec<(&str, &str)> = d.sections[0]
            .turns
            .iter()
            .map(|t| (t.label.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            turns,
            [
                ("Speaker", "Hello."),
                ("Speaker", "Hi. Still me."),
                ("ANN LEE", "Named."),
                ("Speaker", "Someone else.")
            ]
        );
        let w = w.unwrap();
        assert_eq!(w.line, Some(2));
        assert!(
            w.message.starts_with("2 changes of speaker"),
            "{}",
            w.message
        );
    }
}
