//! Plain text transcripts (`.txt`): optional `+++` front matter, a header
//! block (`INTERVIEWEE:`, `INTERVIEWER(S):`, `DATE:`, `LOCATION:`), then
//! `Name:` turns, `[hh:mm:ss]` times before a turn or on a line of their own,
//! and section headings written as `01. Title` or `# Title` lines. Lines of a
//! paragraph are joined; blank lines separate paragraphs.

use super::frontmatter::{self, DateValue, FrontMatter, OneOrMany};
use super::markdown::{numbered_heading, split_label, time_only};
use super::normalize::{Normalized, Origin};
use super::people::People;
use super::sidecar::Sidecar;
use super::speech::{clean, SpeechBuilder};
use crate::diagnostic::Diagnostic;
use crate::model::{Source, Timecode};
use std::collections::HashSet;

/// Parses a plain text transcript.
pub fn parse(origin: &Origin, sidecar: Sidecar) -> Result<Normalized, Vec<Diagnostic>> {
    let split = frontmatter::split(origin.path, origin.text).map_err(|d| vec![d])?;
    let mut lines = split
        .body
        .lines()
        .map(|l| l.replace('\u{feff}', ""))
        .peekable();

    // The header: metadata lines before anyone speaks, other text is intro.
    let mut found = split.front_matter;
    let mut intro: Vec<String> = Vec::new();
    let mut paragraph = String::new();
    let mut last_key: Option<HeaderKey> = None;
    while let Some(line) = lines.peek() {
        let line = line.trim();
        if split_label(line).is_some_and(|(_, label, _)| header_key(label).is_none())
            || time_only(line).is_some()
            || timed_label(line).is_some()
            || heading(line).is_some()
        {
            break;
        }
        if line.is_empty() {
            last_key = None;
            flush(&mut intro, &mut paragraph);
        } else if let Some((key, value)) = header_line(line) {
            flush(&mut intro, &mut paragraph);
            apply_header(&mut found, key, value);
            last_key = Some(key);
        } else if last_key.is_some_and(HeaderKey::is_people) {
            // `INTERVIEWERS: A` followed by `B` on the next line.
            apply_header(&mut found, last_key.expect("checked"), line);
        } else {
            push_line(&mut paragraph, line);
        }
        lines.next();
    }
    flush(&mut intro, &mut paragraph);

    let people = People::new(found, &sidecar);
    let mut builder =
        SpeechBuilder::new(sidecar.chapters, &people.default_label()).keep_paragraphs();
    for p in &intro {
        builder.intro(p);
    }
    let rest: Vec<String> = lines.collect();
    speak_lines(&mut builder, rest.iter().map(|l| (l.as_str(), None)), false);
    let (transcript, mut warnings) = people.normalize(builder.finish(), origin)?;
    warnings.splice(0..0, split.warnings);
    warnings.extend(unreadable_times(origin.path, origin.text));
    Ok((transcript, warnings))
}

/// The body of a plain text transcript, line by line, each line with the
/// time it is known to start at (OHMS sync points), if any. Text before the
/// first label is intro, unless `unlabelled_is_speech` (OHMS transcripts
/// often name nobody; their text is still what was said).
pub(crate) fn speak_lines<'a>(
    builder: &mut SpeechBuilder,
    lines: impl Iterator<Item = (&'a str, Option<Timecode>)>,
    unlabelled_is_speech: bool,
) {
    // Labels seen at the start of a paragraph may also start a line inside one.
    let mut known: HashSet<String> = HashSet::new();
    let mut pending_time: Option<Timecode> = None;
    let mut pending_label: Option<String> = None;
    let mut at_paragraph_start = true;
    // A header block after the talk has begun opens the next session.
    let (mut sessions, mut in_header) = (1, false);
    // Lines of an intro paragraph, joined when the paragraph ends.
    let mut intro = String::new();
    for (line, line_time) in lines {
        let line = line.trim();
        if !intro.is_empty()
            && (line.is_empty()
                || !builder.is_empty()
                || split_label(line).is_some()
                || timed_label(line).is_some()
                || heading(line).is_some()
                || time_only(line).is_some())
        {
            builder.intro(&std::mem::take(&mut intro));
        }
        if line.is_empty() {
            builder.paragraph_break();
            at_paragraph_start = true;
            continue;
        }
        if let Some(time) = time_only(line) {
            pending_time = Some(time);
            continue;
        }
        if !builder.is_empty() && header_line(line).is_some() {
            if !in_header {
                builder.title_untitled("Session 1");
                sessions += 1;
                builder.section(None, &format!("Session {sessions}"));
                in_header = true;
            }
            builder.intro(line);
            continue;
        }
        in_header = false;
        if at_paragraph_start {
            if let Some((number, title)) = heading(line) {
                builder.section(number, &title);
                continue;
            }
        }
        let labelled = split_label(line)
            .filter(|(_, label, _)| {
                at_paragraph_start || known.contains(&label.to_lowercase()) || is_shouted(label)
            })
            .or_else(|| timed_label(line).filter(|_| at_paragraph_start));
        match labelled {
            Some((time, label, rest)) => {
                known.insert(label.to_lowercase());
                let start = time.or(pending_time.take()).or(line_time);
                // A new label always opens a turn, even for the same speaker.
                if builder
                    .current_label()
                    .is_some_and(|l| l.eq_ignore_ascii_case(label))
                {
                    builder.paragraph_break();
                }
                if rest.trim().is_empty() {
                    // `Name:` alone on its line: the words follow.
                    pending_label = Some(label.to_string());
                    pending_time = start;
                } else {
                    builder.speak(Some(label), start, rest);
                }
            }
            None if pending_label.is_some() => {
                let label = pending_label.take();
                builder.speak(label.as_deref(), pending_time.take().or(line_time), line);
            }
            None if builder.is_empty() && !unlabelled_is_speech => push_line(&mut intro, line),
            None => builder.speak(None, pending_time.take().or(line_time), line),
        }
        at_paragraph_start = false;
    }
    builder.intro(&intro);
}

/// A speaker line with its time, as transcription services write them:
/// `Ann Lee  0:05` alone on a line (Otter) or `Ann Lee (00:00:05): words`
/// (Rev). The label follows the plain-text label rules.
fn timed_label(line: &str) -> Option<(Option<Timecode>, &str, &str)> {
    let (head, rest) = match line.find("):") {
        Some(i) => (&line[..=i], line[i + 2..].trim_start()),
        None => (line, ""),
    };
    let (label, time) = head.trim_end().rsplit_once(char::is_whitespace)?;
    let time = time.trim_start_matches('(').trim_end_matches(')');
    // A time that cannot be read still marks the speaker's line (a warning
    // from `unreadable_times` says so).
    let time = match Timecode::parse(time) {
        Some(t) => Some(t),
        None if Timecode::looks_like_one(time) => None,
        None => return None,
    };
    let label = label.trim();
    split_label(&format!("{label}: ")).map(|_| ())?;
    Some((time, label, rest))
}

/// Warnings for times at the start of a line (`[00:00:99]`) or after a
/// speaker's name (`Ann (00:01:99):`) that look like times and are not: the
/// turn keeps its speaker and words, without a time.
pub(crate) fn unreadable_times(path: &str, text: &std::sync::Arc<str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let lead = offset + line.len() - trimmed.len();
        offset += line.len();
        let group = if let Some(inside) = trimmed.strip_prefix('[') {
            inside.find(']').map(|close| (1, &inside[..close]))
        } else {
            // `Name (time):` or `Name time` alone on the line.
            let head = trimmed
                .find("):")
                .map_or(trimmed.trim_end(), |i| &trimmed[..=i]);
            head.rsplit_once(char::is_whitespace).map(|(name, time)| {
                let inner = time.trim_start_matches('(').trim_end_matches(')');
                let at = name.len() + 1 + (time.len() - time.trim_start_matches('(').len());
                (at, inner)
            })
        };
        let Some((at, time)) = group.filter(|(_, t)| t.len() <= 40) else {
            continue;
        };
        if !Timecode::looks_like_one(time) {
            continue;
        }
        if let Err(why) = Timecode::read(time) {
            let start = lead + at;
            out.push(
                Diagnostic::warning(
                    path,
                    format!(
                        "the time {time:?} cannot be read ({why}); the turn is kept without a time"
                    ),
                )
                .at(text, start..start + time.len())
                .help("write times as hh:mm:ss or mm:ss, minutes and seconds under 60"),
            );
        }
    }
    out
}

fn push_line(paragraph: &mut String, line: &str) {
    if !paragraph.is_empty() {
        paragraph.push(' ');
    }
    paragraph.push_str(line);
}

fn flush(paragraphs: &mut Vec<String>, paragraph: &mut String) {
    if !paragraph.trim().is_empty() {
        paragraphs.push(std::mem::take(paragraph));
    }
    paragraph.clear();
}

/// `# Title` or `01. Title` (two or more digits, so `1. item` stays text).
fn heading(line: &str) -> Option<(Option<String>, String)> {
    if let Some(rest) = line.strip_prefix('#') {
        let title = rest.trim_start_matches('#').trim();
        return (!title.is_empty() && rest.starts_with([' ', '#'])).then(|| {
            let (number, title) = numbered_heading(title);
            (number, title)
        });
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if !(2..=3).contains(&digits) || line.chars().count() > 120 {
        return None;
    }
    match numbered_heading(line) {
        (Some(n), title) => Some((Some(n), clean(&title))),
        _ => None,
    }
}

/// `SCHLESINGER` or `Q`: labels that are labels wherever they stand.
fn is_shouted(label: &str) -> bool {
    label.chars().any(char::is_alphabetic) && !label.chars().any(char::is_lowercase)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum HeaderKey {
    Interviewee,
    Interviewer,
    Date,
    Location,
    Title,
}

impl HeaderKey {
    fn is_people(self) -> bool {
        matches!(self, HeaderKey::Interviewee | HeaderKey::Interviewer)
    }
}

fn header_key(label: &str) -> Option<HeaderKey> {
    if label != label.to_uppercase() {
        return None; // header keys are written in capitals
    }
    Some(match label {
        "INTERVIEWEE" | "INTERVIEWEES" | "NARRATOR" => HeaderKey::Interviewee,
        "INTERVIEWER" | "INTERVIEWERS" => HeaderKey::Interviewer,
        "DATE" | "DATES" => HeaderKey::Date,
        "LOCATION" | "PLACE" => HeaderKey::Location,
        "TITLE" => HeaderKey::Title,
        _ => return None,
    })
}

fn header_line(line: &str) -> Option<(HeaderKey, &str)> {
    let (key, value) = line.split_once(':')?;
    Some((header_key(key.trim())?, value.trim()))
}

fn apply_header(fm: &mut FrontMatter, key: HeaderKey, value: &str) {
    let value = clean(value);
    if value.is_empty() {
        return;
    }
    let add = |slot: &mut Option<OneOrMany>, names: Vec<String>| {
        let mut all = slot.take().map(|s| s.names()).unwrap_or_default();
        all.extend(names);
        *slot = Some(OneOrMany::Many(all));
    };
    match key {
        HeaderKey::Interviewee => add(&mut fm.interviewee, split_names(&value)),
        HeaderKey::Interviewer => add(&mut fm.interviewer, split_names(&value)),
        HeaderKey::Date => {
            if fm.date.is_none() {
                fm.date = parse_date(&value).map(DateValue::Text);
            }
        }
        HeaderKey::Location => {
            let source = fm.source.get_or_insert_with(Source::default);
            source.location.get_or_insert(value);
        }
        HeaderKey::Title => {
            fm.title.get_or_insert(value);
        }
    }
}

/// `A and B`, `A; B`, `A & B`.
fn split_names(value: &str) -> Vec<String> {
    value
        .split([';', '&'])
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `7 February 1994`, `February 7, 1994` or `1994-02-07` as `1994-02-07`;
/// the first date of a range such as `7 and 8 February 1994` is not guessed.
pub fn parse_date(value: &str) -> Option<String> {
    let iso = value
        .get(..10)
        .filter(|s| DateValue::Text(s.to_string()).to_iso_date().is_ok());
    if let Some(iso) = iso {
        return Some(iso.to_string());
    }
    let words: Vec<String> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let month_at = |w: &str| {
        MONTHS
            .iter()
            .position(|m| w.len() >= 3 && m.starts_with(w.trim_end_matches('.')))
    };
    let (day, month, year) = match words.as_slice() {
        [d, m, y] if month_at(m).is_some() => (d, month_at(m)?, y),
        [m, d, y] if month_at(m).is_some() => (d, month_at(m)?, y),
        _ => return None,
    };
    let day: u32 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    let year: u32 = year.parse().ok().filter(|y| (1000..=9999).contains(y))?;
    Some(format!("{year:04}-{:02}-{day:02}", month + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{parse, Format, IngestOptions};
    use std::sync::Arc;

    fn read(text: &str) -> crate::model::Transcript {
        let text: Arc<str> = Arc::from(text);
        parse(
            Format::PlainText,
            "a.txt",
            &text,
            "a",
            &IngestOptions::default(),
        )
        .map_err(|e| format!("{e:?}"))
        .unwrap()
        .0
    }

    #[test]
    fn unreadable_times_keep_the_speaker_with_a_warning() {
        let text: Arc<str> = Arc::from(
            "Ann Lee: Did you go back?\n\n[00:00:99] Bo Stone: No, never.\n\nAnn Lee (00:01:99): Why?\n\n[-0:05] Bo Stone: Gone.\n",
        );
        let (t, warnings) = parse(
            Format::PlainText,
            "a.txt",
            &text,
            "a",
            &IngestOptions::default(),
        )
        .unwrap();
        let turns: Vec<(&str, &str)> = t.sections[0]
            .exchanges
            .iter()
            .flat_map(|e| e.turns())
            .map(|t| (&*t.speaker, &*t.text))
            .collect();
        assert_eq!(
            turns,
            [
                ("ann-lee", "Did you go back?"),
                ("bo-stone", "No, never."),
                ("ann-lee", "Why?"),
                ("bo-stone", "Gone.")
            ]
        );
        let lines: Vec<_> = warnings.iter().map(|w| (w.line, w.column)).collect();
        assert_eq!(
            lines,
            [(Some(3), Some(2)), (Some(5), Some(10)), (Some(7), Some(2))],
            "{warnings:?}"
        );
    }

    #[test]
    fn dates_in_prose() {
        assert_eq!(parse_date("7 February 1994").as_deref(), Some("1994-02-07"));
        assert_eq!(
            parse_date("December 11, 2023").as_deref(),
            Some("2023-12-11")
        );
        assert_eq!(parse_date("2023-12-11").as_deref(), Some("2023-12-11"));
        assert_eq!(parse_date("Unknown Date"), None);
    }

    #[test]
    fn header_surnames_times_and_headings() {
        let t = read(
            "About this\ninterview.\n\nINTERVIEWEE: Ada King\n\nINTERVIEWERS: Bea Cole\nCy Dunn\n\nDATE: 7 February 1994\nLOCATION: London\n\n\
             01. Early Years\n\n[00:00:05]\nCOLE: Where were you born?\n\nKING: In London.\nIt rained.\n\nMore of it.\n\nDUNN: And then?\n\n\
             # Later\n\n[00:01:00] KING: Then Paris.\n",
        );
        assert_eq!(t.date.as_deref(), Some("1994-02-07"));
        assert_eq!(t.source.location.as_deref(), Some("London"));
        assert_eq!(t.intro, "<p>About this interview.</p>\n");
        let names: Vec<&str> = t.speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Bea Cole", "Cy Dunn", "Ada King"]);
        assert_eq!(t.sections.len(), 2);
        assert_eq!(t.sections[0].number.as_deref(), Some("01"));
        assert_eq!(t.sections[0].title, "Early Years");
        let turns: Vec<_> = t.turns().collect();
        assert_eq!(&*turns[0].speaker, "bea-cole");
        assert_eq!(turns[0].start, Some(Timecode(5_000)));
        assert_eq!(&*turns[1].text, "In London. It rained.\n\nMore of it.");
        assert_eq!(&*turns[2].speaker, "cy-dunn");
        assert_eq!(t.sections[1].title, "Later");
        assert_eq!(turns[3].start, Some(Timecode(60_000)));
        assert_eq!(t.sections[0].exchanges.len(), 2, "Cole and Dunn both ask");
    }

    #[test]
    fn labels_alone_and_with_times_from_transcription_services() {
        let t = read(
            "Ann Lee  0:05\nHello there.\n\nBob Roe  1:02:03\nHi.\n\nAnn Lee (00:01:00): Rev style.\n\nBOB:\nOn the next line.\n",
        );
        let got: Vec<(&str, &str, Option<Timecode>)> = t
            .turns()
            .map(|turn| {
                let name = t.speaker(&turn.speaker).unwrap().name.as_str();
                (name, &*turn.text, turn.start)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Ann Lee", "Hello there.", Some(Timecode(5_000))),
                ("Bob Roe", "Hi.", Some(Timecode(3_723_000))),
                ("Ann Lee", "Rev style.", Some(Timecode(60_000))),
                ("BOB", "On the next line.", None),
            ]
        );
    }

    #[test]
    fn lines_without_blank_lines_between_turns() {
        let t = read("Page clutter\nwrapped.\n\nQ: One?\nA: Two.\nQ: Three?\nA: Four.\n");
        assert_eq!(t.intro, "<p>Page clutter wrapped.</p>\n");
        let texts: Vec<&str> = t.turns().map(|t| &*t.text).collect();
        assert_eq!(texts, ["One?", "Two.", "Three?", "Four."]);
        assert_eq!(t.sections[0].exchanges.len(), 2);
    }
}
