//! A transcript in the files players, podcast apps and editors read, all
//! written from the model: WebVTT captions with `<v Speaker>` voices,
//! SubRip, the Podcasting 2.0 JSON transcript and chapters, and plain text
//! that verbatim's own plain-text reader reads back. Each lives beside the
//! transcript's overview (`slug/transcript.vtt`, ...).
//!
//! Sources give a start per turn and no word timings, so captions are cut
//! from each turn's text (a sentence or about two caption lines at a time)
//! and the turn's time is shared among its cues by their length.

use crate::model::{Timecode, Transcript, Turn};
use crate::site::urls::transcript_url;
use serde::Serialize;
use std::fmt::Write;

/// One export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Export {
    WebVtt,
    Srt,
    PodcastJson,
    Chapters,
    Text,
}

impl Export {
    /// Every format, in the order the overview lists them.
    pub const ALL: [Export; 5] = [
        Export::WebVtt,
        Export::Srt,
        Export::PodcastJson,
        Export::Chapters,
        Export::Text,
    ];

    /// The file's name in the transcript's folder.
    pub fn file_name(self) -> &'static str {
        match self {
            Export::WebVtt => "transcript.vtt",
            Export::Srt => "transcript.srt",
            Export::PodcastJson => "transcript.json",
            Export::Chapters => "chapters.json",
            Export::Text => "transcript.txt",
        }
    }

    /// What a reader is offered (the overview's download list).
    pub fn label(self) -> &'static str {
        match self {
            Export::WebVtt => "WebVTT captions",
            Export::Srt => "SubRip captions",
            Export::PodcastJson => "Podcasting 2.0 transcript (JSON)",
            Export::Chapters => "Chapters (JSON)",
            Export::Text => "Plain text",
        }
    }

    /// The file's media type, as feeds and `<link>`s give it.
    pub fn media_type(self) -> &'static str {
        match self {
            Export::WebVtt => "text/vtt",
            Export::Srt => "application/x-subrip",
            Export::PodcastJson => "application/json",
            Export::Chapters => "application/json+chapters",
            Export::Text => "text/plain",
        }
    }

    /// Whether `t` is exported in this format: a transcript with times is
    /// (chapters need a timed section). An untimed one is not: its pages
    /// are already its text, and at 10,000 transcripts a text file each made
    /// the build about 40% slower (docs/performance.md).
    pub fn available(self, t: &Transcript) -> bool {
        let timed = t.turns().any(|t| t.start.is_some());
        match self {
            Export::WebVtt | Export::Srt | Export::PodcastJson | Export::Text => timed,
            Export::Chapters => timed && !t.section_spans().is_empty(),
        }
    }

    /// The file's path, relative to the site root.
    pub fn path(self, t: &Transcript) -> String {
        transcript_url(t) + self.file_name()
    }

    /// Writes the file for `t` into `out`.
    pub fn write(self, t: &Transcript, out: &mut String) {
        match self {
            Export::WebVtt => webvtt(t, out),
            Export::Srt => srt(t, out),
            Export::PodcastJson => podcast_json(t, out),
            Export::Chapters => chapters_json(t, out),
            Export::Text => text(t, out),
        }
    }
}

/// The formats `t` is exported in.
pub fn available(t: &Transcript) -> impl Iterator<Item = Export> + '_ {
    Export::ALL.into_iter().filter(|e| e.available(t))
}

/// A piece of a turn shown at once: its times and its words.
struct Cue<'a> {
    turn: &'a Turn,
    start: Timecode,
    end: Timecode,
    text: String,
}

/// Characters of speech a second, for a turn whose end nothing gives
/// (the last one, with no recording length): about 150 words a minute.
const CHARS_PER_SECOND: u64 = 15;

/// A caption shows at most two lines of about 42 characters (the common
/// broadcast guideline); a cue ends at a sentence once it has 40.
const CUE_MAX: usize = 84;
const CUE_SENTENCE: usize = 40;

/// Each turn's start and end on the transcript's clock. Untimed turns
/// between timed ones share the time between them evenly; a turn ends where
/// the next begins, and the last where the recording does (or after the
/// time its words take to say).
fn turn_times(t: &Transcript) -> Vec<(&Turn, Timecode, Timecode)> {
    let turns: Vec<&Turn> = t.turns().collect();
    let mut starts: Vec<Option<u64>> = turns.iter().map(|t| t.start.map(|s| s.0)).collect();
    // Times go forward: a time earlier than the one before is not used.
    let mut last = 0;
    for s in starts.iter_mut() {
        match *s {
            Some(v) if v < last => *s = None,
            Some(v) => last = v,
            None => {}
        }
    }
    let mut i = 0;
    while i < starts.len() {
        if starts[i].is_some() {
            i += 1;
            continue;
        }
        let from = i.checked_sub(1).and_then(|p| starts[p]).unwrap_or(0);
        let gap_end = (i..starts.len()).find(|&j| starts[j].is_some());
        let n = gap_end.unwrap_or(starts.len()) - i;
        match gap_end.and_then(|j| starts[j]) {
            Some(to) => {
                for k in 0..n {
                    starts[i + k] = Some(from + (to - from) * (k as u64 + 1) / (n as u64 + 1));
                }
            }
            None => {
                let mut at = from;
                for k in 0..n {
                    if i + k > 0 {
                        at += speaking_ms(turns[i + k - 1]);
                    }
                    starts[i + k] = Some(at);
                }
            }
        }
        i += n;
    }
    let end_of_all = t.recording_length().map(|d| d.0);
    (0..turns.len())
        .map(|i| {
            let start = starts[i].unwrap_or(0);
            let end = match starts.get(i + 1) {
                Some(Some(next)) => *next,
                _ => end_of_all
                    .filter(|&e| e > start)
                    .unwrap_or(start + speaking_ms(turns[i])),
            };
            // Two turns given one time still each show for a moment.
            (turns[i], Timecode(start), Timecode(end.max(start + 1)))
        })
        .collect()
}

fn speaking_ms(turn: &Turn) -> u64 {
    (turn.text.chars().count() as u64 * 1000 / CHARS_PER_SECOND).max(1000)
}

/// The turns cut into cues, each turn's time shared among its cues by
/// their length in characters.
fn cues(t: &Transcript) -> Vec<Cue<'_>> {
    let mut out = Vec::new();
    for (turn, start, end) in turn_times(t) {
        let pieces = cut(&turn.text);
        let total: u64 = pieces
            .iter()
            .map(|p| p.chars().count() as u64)
            .sum::<u64>()
            .max(1);
        let span = end.0 - start.0;
        let mut done = 0;
        for piece in pieces {
            let from = start.0 + span * done / total;
            done += piece.chars().count() as u64;
            let to = start.0 + span * done / total;
            out.push(Cue {
                turn,
                start: Timecode(from),
                end: Timecode(to.max(from + 1)),
                text: piece,
            });
        }
    }
    out
}

/// A turn's words in caption-sized pieces: cut after a sentence once a
/// piece is long enough, and where a piece would grow too long, after its
/// last clause (a word ending in `,` `;` `:`) or else before the word.
fn cut(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if !words.is_empty() && chars + 1 + len > CUE_MAX {
            let clause = words
                .iter()
                .rposition(|w| w.ends_with([',', ';', ':', '，', '、']))
                .filter(|&i| i + 1 < words.len() && i >= 2);
            let keep = clause.map_or(words.len(), |i| i + 1);
            pieces.push(words[..keep].join(" "));
            words.drain(..keep);
            chars = words
                .iter()
                .map(|w| w.chars().count() + 1)
                .sum::<usize>()
                .saturating_sub(1);
        }
        chars += len + usize::from(!words.is_empty());
        words.push(word);
        let ends_sentence = word.ends_with(['.', '?', '!', '…', '。', '？', '！']);
        if ends_sentence && chars >= CUE_SENTENCE {
            pieces.push(words.join(" "));
            words.clear();
            chars = 0;
        }
    }
    if !words.is_empty() || pieces.is_empty() {
        pieces.push(words.join(" "));
    }
    pieces
}

/// `hh:mm:ss.mmm`, with `sep` before the milliseconds (`,` in SubRip).
fn stamp(out: &mut String, t: Timecode, sep: char) {
    let ms = t.0;
    let s = ms / 1000;
    let _ = write!(
        out,
        "{:02}:{:02}:{:02}{sep}{:03}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        ms % 1000
    );
}

/// Text for a cue: `&`, `<`, `>` escaped, as WebVTT requires, and no `-->`.
fn vtt_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

fn speaker_name<'a>(t: &'a Transcript, turn: &'a Turn) -> &'a str {
    t.speaker(&turn.speaker)
        .map_or(&*turn.speaker, |s| s.name.as_str())
}

/// WebVTT: a cue per piece, named by the turn's id (`t12-2` for a turn's
/// second cue), its speaker as the cue's voice.
fn webvtt(t: &Transcript, out: &mut String) {
    out.push_str("WEBVTT\n");
    let mut previous: Option<&Turn> = None;
    let mut n = 0;
    for cue in cues(t) {
        n = if previous.is_some_and(|p| std::ptr::eq(p, cue.turn)) {
            n + 1
        } else {
            1
        };
        previous = Some(cue.turn);
        out.push('\n');
        let _ = write!(out, "{}", cue.turn.id);
        if n > 1 {
            let _ = write!(out, "-{n}");
        }
        out.push('\n');
        stamp(out, cue.start, '.');
        out.push_str(" --> ");
        stamp(out, cue.end, '.');
        out.push_str("\n<v ");
        vtt_text(out, speaker_name(t, cue.turn));
        out.push('>');
        vtt_text(out, &cue.text);
        out.push('\n');
    }
}

/// SubRip: numbered cues, each opening with `Speaker: `.
fn srt(t: &Transcript, out: &mut String) {
    for (i, cue) in cues(t).iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", i + 1);
        stamp(out, cue.start, ',');
        out.push_str(" --> ");
        stamp(out, cue.end, ',');
        out.push('\n');
        out.push_str(speaker_name(t, cue.turn));
        out.push_str(": ");
        out.push_str(&cue.text);
        out.push('\n');
    }
}

#[derive(Serialize)]
struct PodcastTranscript<'a> {
    version: &'static str,
    segments: Vec<Segment<'a>>,
}

#[derive(Serialize)]
struct Segment<'a> {
    speaker: &'a str,
    #[serde(rename = "startTime")]
    start_time: f64,
    #[serde(rename = "endTime")]
    end_time: f64,
    body: String,
}

/// The Podcasting 2.0 JSON transcript: a segment per cue.
fn podcast_json(t: &Transcript, out: &mut String) {
    let doc = PodcastTranscript {
        version: "1.0.0",
        segments: cues(t)
            .into_iter()
            .map(|c| Segment {
                speaker: speaker_name(t, c.turn),
                start_time: c.start.seconds(),
                end_time: c.end.seconds(),
                body: c.text,
            })
            .collect(),
    };
    out.push_str(&serde_json::to_string_pretty(&doc).expect("plain data serializes"));
    out.push('\n');
}

#[derive(Serialize)]
struct ChaptersDoc<'a> {
    version: &'static str,
    title: &'a str,
    chapters: Vec<Chapter<'a>>,
}

#[derive(Serialize)]
struct Chapter<'a> {
    #[serde(rename = "startTime")]
    start_time: f64,
    #[serde(rename = "endTime", skip_serializing_if = "Option::is_none")]
    end_time: Option<f64>,
    title: &'a str,
}

/// Podcasting 2.0 chapters: a chapter per timed section.
fn chapters_json(t: &Transcript, out: &mut String) {
    let doc = ChaptersDoc {
        version: "1.2.0",
        title: &t.title,
        chapters: t
            .section_spans()
            .into_iter()
            .map(|(s, start, end)| Chapter {
                start_time: start.seconds(),
                end_time: end.map(Timecode::seconds),
                title: &s.title,
            })
            .collect(),
    };
    out.push_str(&serde_json::to_string_pretty(&doc).expect("plain data serializes"));
    out.push('\n');
}

/// Plain text a person reads and verbatim's plain-text reader reads back:
/// an archive header (`TITLE:`, `DATE:`, `INTERVIEWEE:`, `INTERVIEWER:`),
/// `# Section` headings, and `[hh:mm:ss] Speaker: words` turns.
fn text(t: &Transcript, out: &mut String) {
    let _ = writeln!(out, "TITLE: {}", one_line(&t.title));
    if let Some(date) = &t.date {
        let _ = writeln!(out, "DATE: {date}");
    }
    for (key, role) in [
        ("INTERVIEWEE", crate::model::Role::Interviewee),
        ("INTERVIEWER", crate::model::Role::Interviewer),
    ] {
        let names: Vec<&str> = t
            .speakers
            .iter()
            .filter(|s| s.role == role)
            .map(|s| s.name.as_str())
            .collect();
        if !names.is_empty() {
            let _ = writeln!(out, "{key}: {}", names.join("; "));
        }
    }
    let titled = t.sections.len() > 1;
    for s in &t.sections {
        if titled {
            let _ = write!(out, "\n# {}\n", one_line(&s.title));
        }
        for turn in s.turns() {
            out.push('\n');
            if let Some(start) = turn.start {
                let _ = write!(out, "[{start}] ");
            }
            out.push_str(speaker_name(t, turn));
            out.push_str(": ");
            let mut paragraphs = turn
                .text
                .split("\n\n")
                .map(one_line)
                .filter(|p| !p.is_empty());
            out.push_str(&paragraphs.next().unwrap_or_default());
            out.push('\n');
            for p in paragraphs {
                out.push('\n');
                out.push_str(&p);
                out.push('\n');
            }
        }
    }
}

/// `text` with each run of whitespace one space (a caption, a header line).
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_turns_are_cut_at_sentences_and_before_overlong_pieces() {
        let text = "Short one. This sentence is long enough to stand as a caption by itself. \
                    And then a very long run of words without any stop that goes on and on past two lines";
        let pieces = cut(text);
        assert_eq!(
            pieces[0],
            "Short one. This sentence is long enough to stand as a caption by itself."
        );
        assert!(
            pieces.iter().all(|p| p.chars().count() <= CUE_MAX),
            "{pieces:?}"
        );
        assert_eq!(pieces.join(" "), one_line(text));
    }

    #[test]
    fn stamps_have_milliseconds() {
        let mut s = String::new();
        stamp(&mut s, Timecode(3_723_004), ',');
        assert_eq!(s, "01:02:03,004");
    }
}
