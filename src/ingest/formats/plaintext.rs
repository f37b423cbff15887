//! Plain text transcripts (`.txt`): optional `+++` front matter, a header
//! block (`INTERVIEWEE:`, `INTERVIEWER(S):`, `DATE:`, `LOCATION:`), then
//! `Name:` turns, `[hh:mm:ss]` times before a turn or on a line of their own,
//! and section headings written as `01. Title` or `# Title` lines. Lines of a
//! paragraph are joined; blank lines separate paragraphs.

use super::markdown::{numbered_heading, split_label, time_only};
use crate::diagnostic::Diagnostic;
use crate::ingest::frontmatter::{self, DateValue, FrontMatter, OneOrMany};
use crate::ingest::normalize::{Normalized, Origin};
use crate::ingest::people::People;
use crate::ingest::sidecar::Sidecar;
use crate::ingest::speech::{clean, SpeechBuilder};
use crate::model::{Source, Timecode};
use std::collections::HashSet;

/// Parses a plain text transcript.
pub fn parse(origin: &Origin, sidecar: Sidecar) -> Result<Normalized, Vec<Diagnostic>> {
    let split = frontmatter::split(origin.path, origin.text).map_err(|d| vec![d])?;
    let archive_header = split
        .body
        .lines()
        .take(80)
        .any(|l| header_line(l.trim()).is_some());
    // Files with times come from tools and archives, not from web pages.
    let timed = split.body.lines().filter(|l| {
        let l = l.trim();
        time_only(l).is_some()
            || mission_stamp(l).is_some()
            || bracketed_speaker(l).is_some()
            || timed_label(l).is_some()
            || bare_time(l).is_some()
            || split_label(l).is_some_and(|(time, _, _)| time.is_some())
    });
    // One stray stamp (a page's "updated 08:01:42") does not make a tool's file.
    let timed = timed.take(2).count() == 2;
    if split.front_matter.title.is_none() && !archive_header && !timed {
        if let Some(page) = super::page_text::read(split.body) {
            return parse_page(origin, sidecar, split, page);
        }
    }
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
    let bare = bare_time_paragraphs(split.body.lines());
    // Lines of the body read as header, so later lines can be named.
    let mut header_lines = 0;
    while let Some(line) = lines.peek() {
        let line = line.trim();
        if split_label(line).is_some_and(|(_, label, _)| header_key(label).is_none())
            || time_only(line).is_some()
            || timed_label(line).is_some()
            || heading(line).is_some()
            || mission_stamp(line).is_some()
            || bracketed_speaker(line).is_some()
            || (bare && bare_time(line).is_some())
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
        header_lines += 1;
    }
    flush(&mut intro, &mut paragraph);

    let people = People::new(found, &sidecar);
    let mut builder =
        SpeechBuilder::new(sidecar.chapters, &people.default_label()).keep_paragraphs();
    for p in &intro {
        builder.intro(p);
    }
    let rest: Vec<String> = lines.collect();
    let left_out = speak_lines(&mut builder, rest.iter().map(|l| (l.as_str(), None)), false);
    let (transcript, mut warnings) = people.normalize(builder.finish(), origin)?;
    warnings.splice(0..0, split.warnings);
    warnings.extend(unreadable_times(origin.path, origin.text));
    let first = crate::diagnostic::line_column(origin.text, split.body_offset).0 + header_lines;
    warnings.extend(credit_warnings(origin.path, origin.text, first, left_out));
    Ok((transcript, warnings))
}

/// A published interview page saved as text ([`super::page_text`]): its
/// title, date, source and intro from the page, the interview's lines read
/// as any plain transcript's, the rest left out with a warning each.
fn parse_page(
    origin: &Origin,
    sidecar: Sidecar,
    split: frontmatter::Split,
    page: super::page_text::Page,
) -> Result<Normalized, Vec<Diagnostic>> {
    use super::page_text::Rewrite;
    let mut found = split.front_matter;
    found.title = page.title.clone();
    found.date = found.date.or(page.date.clone().map(DateValue::Text));
    found.description = found.description.or(page.description.clone());
    if page.publisher.is_some() || page.author.is_some() {
        let source = found.source.get_or_insert_with(Source::default);
        source.publisher = source.publisher.take().or(page.publisher.clone());
        source.author = source.author.take().or(page.author.clone());
    }
    if let Some(name) = &page.interviewer {
        found.interviewer = Some(OneOrMany::One(name.clone()));
    }
    let people = People::new(found, &sidecar);
    let mut builder =
        SpeechBuilder::new(sidecar.chapters, &people.default_label()).keep_paragraphs();
    for p in &page.intro {
        builder.intro(p);
    }
    let body: Vec<&str> = split.body.lines().collect();
    let mut lines: Vec<String> = body[page.lines.clone()]
        .iter()
        .map(|l| l.replace('\u{feff}', ""))
        .collect();
    for (line, rewrite) in &page.rewrites {
        let Some(text) = line
            .checked_sub(page.lines.start)
            .and_then(|i| lines.get_mut(i))
        else {
            continue;
        };
        match rewrite {
            Rewrite::SaidBy(name) => *text = format!("{name}: {}", text.trim()),
            Rewrite::Section => *text = format!("# {}", text.trim()),
            Rewrite::Drop => {
                // The whole paragraph goes, up to its blank line.
                let i = line - page.lines.start;
                for l in lines[i..].iter_mut() {
                    if l.trim().is_empty() {
                        break;
                    }
                    l.clear();
                }
            }
        }
    }
    let left_out = speak_lines(
        &mut builder,
        lines.iter().map(|l| (l.as_str(), None)),
        false,
    );
    let (transcript, mut warnings) = people.normalize(builder.finish(), origin)?;
    warnings.splice(0..0, split.warnings);
    let first_body_line = crate::diagnostic::line_column(origin.text, split.body_offset).0;
    for (line, words, why) in &page.left_out {
        warnings.push(
            Diagnostic::warning(origin.path, why.clone())
                .leaving_out(*words)
                .at_line(origin.text, first_body_line + line)
                .help("verbatim read this file as a saved page; to keep a part, copy it into the interview or the front matter"),
        );
    }
    for (line, what) in &page.unsure {
        warnings.push(
            Diagnostic::warning(origin.path, what.clone())
                .at_line(origin.text, first_body_line + line)
                .help("if someone else speaks, set interviewer or interviewee in a sidecar (interviewer = \"Name\")"),
        );
    }
    warnings.extend(credit_warnings(
        origin.path,
        origin.text,
        first_body_line + page.lines.start,
        left_out,
    ));
    Ok((transcript, warnings))
}

/// Warnings for the lines [`speak_lines`] left out as credits; `first` is
/// the 1-based line of the file that the first of its lines was on.
pub(crate) fn credit_warnings(
    path: &str,
    text: &std::sync::Arc<str>,
    first: usize,
    left_out: Vec<(usize, String)>,
) -> Vec<Diagnostic> {
    left_out
        .into_iter()
        .map(|(index, line)| {
            Diagnostic::warning(
                path,
                format!(
                    "{line:?} is a transcription tool's credit, not speech: it is left out of the turns"
                ),
            )
            .leaving_out(crate::ingest::ledger::words(&line))
            .at_line(text, first + index)
            .help("to publish it, move it into the intro before the first turn")
        })
        .collect()
}

/// The body of a plain text transcript, line by line, each line with the
/// time it is known to start at (OHMS sync points), if any. Text before the
/// first label is intro, unless `unlabelled_is_speech` (OHMS transcripts
/// often name nobody; their text is still what was said). Returns the lines
/// left out as not speech (credits of transcription tools such as
/// `Transcribed by https://otter.ai`): their 0-based index among `lines` and
/// their text, for the caller to warn about.
pub(crate) fn speak_lines<'a>(
    builder: &mut SpeechBuilder,
    lines: impl Iterator<Item = (&'a str, Option<Timecode>)>,
    unlabelled_is_speech: bool,
) -> Vec<(usize, String)> {
    let lines: Vec<(&str, Option<Timecode>)> = lines.collect();
    let bare = bare_time_paragraphs(lines.iter().map(|(l, _)| *l));
    let mut left_out = Vec::new();
    // Labels seen at the start of a paragraph may also start a line inside one.
    let mut known: HashSet<String> = HashSet::new();
    let mut pending_time: Option<Timecode> = None;
    let mut pending_label: Option<String> = None;
    let mut at_paragraph_start = true;
    // A header block after the talk has begun opens the next session.
    let (mut sessions, mut in_header) = (1, false);
    // Lines of an intro paragraph, joined when the paragraph ends.
    let mut intro = String::new();
    // After a `NOTES` heading, the transcript's endnotes: text of a section
    // of their own, not words of the last turn.
    let mut notes: Option<String> = None;
    for (index, (line, line_time)) in lines.into_iter().enumerate() {
        let mut line = line.trim();
        if let Some(paragraph) = &mut notes {
            if line.is_empty() {
                builder.intro(&std::mem::take(paragraph));
            } else {
                push_line(paragraph, line);
            }
            continue;
        }
        if at_paragraph_start && !builder.is_empty() && is_notes_heading(line) {
            // `NOTES` is shown as `Notes`, as capitals are for labels.
            builder.notes_section(&crate::ingest::people::display_name(
                line.trim_end_matches(':'),
            ));
            notes = Some(String::new());
            continue;
        }
        if !intro.is_empty() && (line.is_empty() || !builder.is_empty() || opens_speech(line, bare))
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
            at_paragraph_start = true;
            continue;
        }
        // `[00:00:01:06]` (days:hours:minutes:seconds) before a turn, or
        // alone on its line: a time, never words of the turn before.
        if let Some((time, rest)) = mission_stamp(line) {
            pending_time = time;
            at_paragraph_start = true;
            if rest.is_empty() {
                continue;
            }
            line = rest;
        }
        if pending_label.is_none() && at_paragraph_start && is_credit(line) {
            left_out.push((index, line.to_string()));
            continue;
        }
        // `[Speaker 1] [00:12] words`: one line, one piece of a turn.
        if let Some((label, time, rest)) = bracketed_speaker(line) {
            let start = time.or(pending_time.take()).or(line_time);
            known.insert(label.to_lowercase());
            builder.paragraph_break();
            if rest.is_empty() {
                pending_label = Some(label.to_string());
                pending_time = start;
            } else {
                builder.speak(Some(label), start, rest);
            }
            at_paragraph_start = false;
            continue;
        }
        // `00:01:02 words` (podcast sites): a time, then words or a label.
        let mut timed_piece = false;
        if bare {
            if let Some((time, rest)) = bare_time(line) {
                // Each timed paragraph keeps its time: a turn of its own.
                builder.turn_break();
                pending_time = Some(time);
                at_paragraph_start = true;
                if rest.is_empty() {
                    continue;
                }
                line = rest;
                timed_piece = true;
            }
        }
        if !builder.is_empty() && !timed_piece && header_line(line).is_some() {
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
        if at_paragraph_start && !timed_piece {
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
                // `Name: (00:01) words`, as Rev writes it.
                let (paren, rest) = paren_time(rest);
                let start = time.or(paren).or(pending_time.take()).or(line_time);
                // A new label always opens a paragraph, even for the same speaker.
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
            None if builder.is_empty() && !unlabelled_is_speech && !timed_piece => {
                push_line(&mut intro, line)
            }
            None => builder.speak(None, pending_time.take().or(line_time), line),
        }
        at_paragraph_start = false;
    }
    builder.intro(&intro);
    if let Some(paragraph) = notes {
        builder.intro(&paragraph);
    }
    left_out
}

/// `NOTES`, `Endnotes:`, `FOOTNOTES` alone on a line: the transcript's notes follow.
fn is_notes_heading(line: &str) -> bool {
    let word = line.trim().trim_end_matches(':').to_lowercase();
    matches!(
        word.as_str(),
        "notes" | "endnotes" | "footnotes" | "anmerkungen" | "notas" | "notes de fin"
    )
}

/// True when `line` opens speech rather than continuing an intro paragraph.
fn opens_speech(line: &str, bare: bool) -> bool {
    split_label(line).is_some()
        || timed_label(line).is_some()
        || heading(line).is_some()
        || time_only(line).is_some()
        || mission_stamp(line).is_some()
        || bracketed_speaker(line).is_some()
        || (bare && bare_time(line).is_some())
}

/// `[00:00:01:06] rest` (or `[-00:00:00:04]`, before launch): a Spacelog
/// mission stamp, days:hours:minutes:seconds. The time is `None` when the
/// stamp cannot be a time (a warning from [`unreadable_times`] says why).
fn mission_stamp(line: &str) -> Option<(Option<Timecode>, &str)> {
    let inside = line.strip_prefix('[')?;
    let close = inside.find(']').filter(|&i| i <= 40)?;
    let stamp = &inside[..close];
    let parts: Vec<&str> = stamp.trim_start_matches('-').split(':').collect();
    let numbers = parts.len() == 4
        && parts
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    numbers.then(|| {
        (
            read_mission_stamp(stamp).ok(),
            inside[close + 1..].trim_start(),
        )
    })
}

/// `00:01:02:03` as a time, or why it is none.
fn read_mission_stamp(stamp: &str) -> Result<Timecode, String> {
    if stamp.starts_with('-') {
        return Err("a time before the start cannot be shown".to_string());
    }
    let n: Vec<u64> = stamp
        .split(':')
        .map(|p| p.parse::<u64>().map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let [days, hours, minutes, seconds] = n[..] else {
        return Err("a mission time is days:hours:minutes:seconds".to_string());
    };
    if hours >= 24 {
        return Err(format!("the hours are {hours}: they must be under 24"));
    }
    if minutes >= 60 || seconds >= 60 {
        return Err("minutes and seconds must be under 60".to_string());
    }
    Ok(Timecode(
        (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000,
    ))
}

/// The credit line of a transcription tool or service, not speech:
/// `Transcribed by https://otter.ai`, `Transcript by Rev.com`.
fn is_credit(line: &str) -> bool {
    const OPENINGS: [&str; 12] = [
        "transcribed by ",
        "transcribed with ",
        "transcribed using ",
        "transcript by ",
        "transcription by ",
        "automatically transcribed by ",
        "captions by ",
        "captioned by ",
        "subtitles by ",
        "transcript generated by ",
        "this transcript was exported on ",
        "this transcript was generated by ",
    ];
    let lower = line.to_lowercase();
    line.split_whitespace().count() <= 12 && OPENINGS.iter().any(|o| lower.starts_with(o))
}

/// `[inner] after` -> the inner text and what follows, trimmed.
fn bracket(line: &str) -> Option<(&str, &str)> {
    let inside = line.strip_prefix(['[', '('])?;
    let close = inside.find([']', ')']).filter(|&i| i <= 60)?;
    Some((inside[..close].trim(), inside[close + 1..].trim_start()))
}

/// `[Speaker 1] [00:12] words` (Whisper with diarisation), also with the time
/// first (`[00:12] [Speaker 1] words`), in parentheses, or followed by a
/// colon: the label, the time and the words. A bracketed name without a time
/// is a label only when it is a diarisation label (`[SPEAKER_00]`), so that
/// `[Laughter] words` stay words.
fn bracketed_speaker(line: &str) -> Option<(&str, Option<Timecode>, &str)> {
    let (first, after) = bracket(line)?;
    let (label, time, rest) = if Timecode::looks_like_one(first) {
        let (label, rest) = bracket(after)?;
        (label, Some(Timecode::parse(first)), rest)
    } else {
        match bracket(after) {
            Some((time, rest)) if Timecode::looks_like_one(time) => {
                (first, Some(Timecode::parse(time)), rest)
            }
            _ => (first, None, after),
        }
    };
    let generic = is_diarisation_label(label);
    if Timecode::looks_like_one(label) || !(generic || time.is_some()) {
        return None;
    }
    if !generic && split_label(&format!("{label}: ")).is_none() {
        return None;
    }
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
    Some((label, time.flatten(), rest))
}

/// `Speaker 1`, `SPEAKER_00`, `spk_2`: a speaker a tool numbered, not named.
pub(crate) fn is_diarisation_label(label: &str) -> bool {
    let lower = label.to_lowercase();
    let rest = lower
        .strip_prefix("speaker")
        .or_else(|| lower.strip_prefix("spk"))
        .map(|r| r.trim_start_matches([' ', '_', '-']));
    rest.is_some_and(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
}

/// `00:01:02 words` or `1:02 words` (or the time alone): the time and the
/// words after it.
fn bare_time(line: &str) -> Option<(Timecode, &str)> {
    let (time, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let clock = time
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b':' || b == b'.')
        && time.contains(':')
        && time.split(':').skip(1).all(|p| p.len() >= 2);
    if !clock {
        return None;
    }
    Some((Timecode::parse(time)?, rest.trim_start()))
}

/// Whether the text is written as `00:01:02 words` paragraphs: most
/// paragraphs (or lines) open with a bare time. Only then does a line that
/// opens with one give a time; `10:30 in the morning` in other text stays words.
fn bare_time_paragraphs<'a>(lines: impl Iterator<Item = &'a str>) -> bool {
    let (mut starts, mut bare_starts, mut filled, mut bare_lines) = (0, 0, 0, 0);
    let mut after_blank = true;
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            after_blank = true;
            continue;
        }
        let bare = bare_time(line).is_some();
        filled += 1;
        bare_lines += usize::from(bare);
        if after_blank {
            starts += 1;
            bare_starts += usize::from(bare);
        }
        after_blank = false;
    }
    (bare_starts >= 2 && bare_starts * 2 >= starts) || (bare_lines >= 3 && bare_lines * 2 >= filled)
}

/// `(00:01) words` -> the time and the words (Rev's `Name: (00:01)`).
fn paren_time(rest: &str) -> (Option<Timecode>, &str) {
    match bracket(rest.trim_start()) {
        Some((time, after))
            if rest.trim_start().starts_with('(') && Timecode::looks_like_one(time) =>
        {
            (Timecode::parse(time), after)
        }
        _ => (None, rest),
    }
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
            inside.find(']').map(|close| {
                let first = &inside[..close];
                let after = &inside[close + 1..];
                let spaces = after.len() - after.trim_start().len();
                // `[Speaker 1] [00:99] words`: the time after the label.
                let second = after
                    .trim_start()
                    .strip_prefix(['[', '('])
                    .and_then(|inner| {
                        let end = inner.find([']', ')'])?;
                        Some((1 + close + 1 + spaces + 1, &inner[..end]))
                    });
                match second {
                    Some(second) if !Timecode::looks_like_one(first) => second,
                    _ => (1, first),
                }
            })
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
        let mission = time.trim_start_matches('-').split(':').count() == 4;
        let read = if mission {
            read_mission_stamp(time)
        } else {
            Timecode::read(time)
        };
        if let Err(why) = read {
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

/// Applies `line` to `fm` when it is a header line (`INTERVIEWEE: Ada
/// King`, `DATE: 3 March 2004`); true when it was one.
pub(crate) fn read_header_line(fm: &mut FrontMatter, line: &str) -> bool {
    match header_line(line.trim()) {
        Some((key, value)) => {
            apply_header(fm, key, value);
            true
        }
        None => false,
    }
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

/// `7 February 1994`, `February 7, 1994`, `1994-02-07` (and the other forms
/// of [`crate::ingest::dates`]) as `1994-02-07`; the first date of a range such as
/// `7 and 8 February 1994` is not guessed.
pub fn parse_date(value: &str) -> Option<String> {
    crate::ingest::dates::iso_prefix(value).or_else(|| crate::ingest::dates::parse(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{parse, Format, IngestOptions};
    use std::sync::Arc;

    fn read(text: &str) -> crate::model::Transcript {
        read_with_warnings(text).0
    }

    #[test]
    fn unreadable_times_keep_the_speaker_with_a_warning() {
        let (t, warnings) = read_with_warnings(
            "Ann Lee: Did you go back?\n\n[00:00:99] Bo Stone: No, never.\n\nAnn Lee (00:01:99): Why?\n\n[-0:05] Bo Stone: Gone.\n",
        );
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
    fn numbered_role_labels_are_one_speaker_each() {
        let t = read(
            "Frage 1: Wie geht es?\n\nAntwort: Gut.\n\nFrage 2: Und sonst?\n\nAntwort: Auch gut.\n",
        );
        let names: Vec<&str> = t.speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Interviewer", "Interviewee"]);
        assert_eq!(t.turns().count(), 4);
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
                // `BOB` is Bob Roe's first name, in capitals.
                ("Bob Roe", "On the next line.", None),
            ]
        );
    }

    fn turns(t: &crate::model::Transcript) -> Vec<(String, String, Option<Timecode>)> {
        t.turns()
            .map(|turn| {
                let name = t.speaker(&turn.speaker).unwrap().name.clone();
                (name, turn.text.to_string(), turn.start)
            })
            .collect()
    }

    fn read_with_warnings(text: &str) -> (crate::model::Transcript, Vec<Diagnostic>) {
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
    }

    #[test]
    fn mission_stamps_are_times_not_words() {
        let (t, warnings) = read_with_warnings(
            "[00:00:01:06] CDR: We have liftoff.\n[00:00:01:09] CC: Roger.\n\n\
             [01:02:03:04]\nCDR: The stamp stood alone.\n\n[00:00:02:00]\nStill the commander.\n\n\
             [-00:00:00:04] CC: Before launch.\n",
        );
        let got = turns(&t);
        let h = |d: u64, h: u64, m: u64, s: u64| {
            Some(Timecode((((d * 24 + h) * 60 + m) * 60 + s) * 1000))
        };
        assert_eq!(
            got,
            [
                ("CDR".into(), "We have liftoff.".into(), h(0, 0, 1, 6)),
                ("CC".into(), "Roger.".into(), h(0, 0, 1, 9)),
                (
                    "CDR".into(),
                    "The stamp stood alone.\n\nStill the commander.".into(),
                    h(1, 2, 3, 4)
                ),
                ("CC".into(), "Before launch.".into(), None),
            ]
        );
        assert!(t.intro.is_empty(), "{}", t.intro);
        let messages: Vec<_> = warnings
            .iter()
            .filter(|w| w.message.contains("time"))
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert_eq!(messages[0].0, Some(10));
        assert!(messages[0].1.contains("before the start"), "{messages:?}");
    }

    #[test]
    fn diarised_lines_merge_by_speaker() {
        let (t, warnings) = read_with_warnings(
            "[Speaker 1] [00:00] One.\n[Speaker 1] [00:05] Two?\n[Speaker 2] [00:09] Three.\n\
             [00:12] [SPEAKER_00] Four.\n[Laughter] words stay words.\n[Speaker 2] [00:99] Five.\n",
        );
        let got = turns(&t);
        assert_eq!(
            got,
            [
                ("Speaker 1".into(), "One.\n\nTwo?".into(), Some(Timecode(0))),
                ("Speaker 2".into(), "Three.".into(), Some(Timecode(9_000))),
                (
                    "SPEAKER_00".into(),
                    "Four. [Laughter] words stay words.".into(),
                    Some(Timecode(12_000))
                ),
                ("Speaker 2".into(), "Five.".into(), None),
            ]
        );
        let lines: Vec<_> = warnings.iter().map(|w| (w.line, w.column)).collect();
        assert!(lines.contains(&(Some(6), Some(14))), "{warnings:?}");
        assert!(
            warnings
                .iter()
                .any(|w| w.message.contains("only by number")),
            "{warnings:?}"
        );
    }

    #[test]
    fn timestamped_paragraphs_without_speakers() {
        let (t, warnings) = read_with_warnings(
            "00:00:00 Hello and welcome.\n\n00:00:06 It is April.\n\n01:02:03 Goodbye.\n",
        );
        // Each paragraph keeps its time, a turn of its own.
        let got = turns(&t);
        assert_eq!(
            got,
            [
                (
                    "Speaker".into(),
                    "Hello and welcome.".into(),
                    Some(Timecode(0))
                ),
                (
                    "Speaker".into(),
                    "It is April.".into(),
                    Some(Timecode(6000))
                ),
                (
                    "Speaker".into(),
                    "Goodbye.".into(),
                    Some(Timecode(3_723_000))
                ),
            ]
        );
        assert!(
            warnings
                .iter()
                .any(|w| w.message.contains("names no speaker")),
            "{warnings:?}"
        );
        // In other text a time at the start of a line stays words.
        let t = read("Ann: We met at\n10:30 in the morning.\n");
        assert_eq!(
            turns(&t)[0].1,
            "We met at 10:30 in the morning.",
            "a lone time is words"
        );
    }

    #[test]
    fn tool_credits_are_not_speech() {
        let (t, warnings) = read_with_warnings(
            "Ann Lee  0:05  \nWhat then?\n\nBo Roe  0:09  \nTranscribed by hand, it was.\n\n\
             Transcribed by https://otter.ai\n",
        );
        let got = turns(&t);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].1, "Transcribed by hand, it was.");
        let credit: Vec<_> = warnings
            .iter()
            .filter(|w| w.message.contains("credit"))
            .map(|w| w.line)
            .collect();
        assert_eq!(credit, [Some(7)], "{warnings:?}");
        let t = read(
            "Ann Lee: (00:01) Rev style.\n\nSpeaker 2 (00:00:05):\nYes.\n\nTranscript by Rev.com\n",
        );
        assert_eq!(
            turns(&t),
            [
                ("Ann Lee".into(), "Rev style.".into(), Some(Timecode(1_000))),
                ("Speaker 2".into(), "Yes.".into(), Some(Timecode(5_000))),
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
