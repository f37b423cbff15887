//! WebVTT (`.vtt`), parsed as the W3C specification's parser does
//! (<https://www.w3.org/TR/webvtt1/#file-parsing>): the `WEBVTT` signature is
//! required; CR, LF and CRLF all end lines; `NOTE`, `STYLE` and `REGION`
//! blocks and cue settings are skipped; `<v Name>` voice spans name the
//! speaker (a cue without one continues the last speaker, unless its text
//! opens with a `Name:` label); other tags are stripped and character
//! references decoded. A line opening with `>> ` (broadcast and YouTube
//! captions) starts a turn by someone else: the speaker `>> NAME:` names, or
//! one the file does not name (see [`super::captions`]). In files with inline
//! timestamps (`<00:00:01.000>`, YouTube's rolling automatic captions), a
//! cue's first line that repeats the last line of the cue before is left
//! out, so no word is said twice.

use super::captions::{after_mark, Changes, Marks};
use super::markdown::split_label;
use crate::diagnostic::Diagnostic;
use crate::ingest::normalize::{Normalized, Origin};
use crate::ingest::people::People;
use crate::ingest::sidecar::Sidecar;
use crate::ingest::speech::{read_timing, SpeechBuilder, Timing, TimingWarnings};
use crate::model::Timecode;

/// One cue: its start and its text split into voice runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// `None` when the timing line could not be read (said in a warning).
    pub start: Option<Timecode>,
    /// The 1-based line of its timing line.
    pub line: usize,
    /// (voice, text) in order; `None` for text outside any `<v>` span.
    pub runs: Vec<(Option<String>, String)>,
}

/// Parses a WebVTT transcript.
pub fn parse(origin: &Origin, sidecar: Sidecar) -> Result<Normalized, Vec<Diagnostic>> {
    let (cues, warnings) = cues(origin.text)
        .map_err(|why| vec![Diagnostic::error(origin.path, why.message).help(why.help)])?;
    let mut cues = cues;
    let repeats = if has_inline_timestamps(origin.text) {
        drop_rolling_repeats(&mut cues)
    } else {
        None
    };
    let people = People::new(Default::default(), &sidecar);
    let builder = SpeechBuilder::new(sidecar.chapters, &people.default_label());
    let mut changes = Changes::new(builder, "`>>`");
    for cue in &cues {
        let mut start = cue.start;
        // Text lines follow the timing line; a voice span's tags hold no
        // line ends, so the lines of the runs are the lines of the cue.
        let mut line = cue.line + 1;
        for (voice, text) in &cue.runs {
            match voice {
                Some(voice) => {
                    let text = after_mark(text, Marks::Chevrons).unwrap_or(text);
                    changes.speak(Some(voice), &mut start, text)
                }
                None => changes.lines(text, line, &mut start, Marks::Chevrons),
            }
            line += text.matches('\n').count();
        }
    }
    let (draft, unnamed) = changes.finish(origin.path, origin.text);
    let (transcript, mut found) = people.normalize(draft, origin)?;
    found.extend(warnings.into_diagnostics(origin.path, origin.text));
    found.extend(unnamed);
    if let Some(repeats) = repeats {
        let Repeats {
            first,
            lines,
            words,
        } = repeats;
        found.push(
            Diagnostic::warning(
                origin.path,
                format!(
                    "{lines} cue line{s} ({words} word{w}) repeat{v} the last line of the cue \
                     before, as automatic captions roll; {it} left out, so the words are on \
                     the site once",
                    s = if lines == 1 { "" } else { "s" },
                    w = if words == 1 { "" } else { "s" },
                    v = if lines == 1 { "s" } else { "" },
                    it = if lines == 1 { "it is" } else { "they are" },
                ),
            )
            .leaving_out(words)
            .at_line(origin.text, first)
            .help("nothing to do; to keep a repeated line, remove the inline <00:00:00.000> timestamps from the file"),
        );
    }
    Ok((transcript, found))
}

/// True when cue text holds inline timestamps (`<00:00:01.000>`), as the
/// rolling automatic captions of YouTube do.
fn has_inline_timestamps(text: &str) -> bool {
    memchr::memchr_iter(b'<', text.as_bytes()).any(|i| {
        let tag = &text.as_bytes()[i + 1..];
        let end = tag.iter().position(|&b| b == b'>').unwrap_or(0).min(16);
        end >= 5
            && tag[0].is_ascii_digit()
            && tag[..end]
                .iter()
                .all(|&b| b.is_ascii_digit() || b == b':' || b == b'.')
            && tag[..end].contains(&b':')
    })
}

/// Lines left out by [`drop_rolling_repeats`].
struct Repeats {
    /// The 1-based line of the first.
    first: usize,
    lines: usize,
    words: usize,
}

/// Rolling captions show each line twice: as the new line of one cue, then
/// as the first line of the next (and often alone, in a cue of a few
/// milliseconds). A cue's first line that is the last line of the cue
/// before it is removed, so no word is said twice.
fn drop_rolling_repeats(cues: &mut [Cue]) -> Option<Repeats> {
    let norm = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut previous: Option<String> = None;
    let mut found: Option<Repeats> = None;
    for cue in cues.iter_mut() {
        let [(None, text)] = &mut cue.runs[..] else {
            previous = None;
            continue;
        };
        let lines: Vec<&str> = text.split('\n').collect();
        let last = lines
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(|l| norm(l));
        let first = lines.iter().position(|l| !l.trim().is_empty());
        if let (Some(i), Some(prev)) = (first, &previous) {
            if norm(lines[i]) == *prev {
                let words = crate::ingest::ledger::words(lines[i]);
                let f = found.get_or_insert(Repeats {
                    first: cue.line + 1 + i,
                    lines: 0,
                    words: 0,
                });
                f.lines += 1;
                f.words += words;
                let kept: Vec<&str> = lines
                    .iter()
                    .enumerate()
                    .map(|(j, l)| if j == i { "" } else { *l })
                    .collect();
                *text = kept.join("\n");
            }
        }
        if last.is_some() {
            previous = last;
        }
    }
    found
}

/// Feeds cues to a builder (OHMS 6 embeds WebVTT and uses this too). A cue
/// without a voice span may name its speaker the way Zoom and many caption
/// tools do, with a `Name:` prefix (same label rules as plain text).
pub fn speak_cues(builder: &mut SpeechBuilder, cues: &[Cue]) {
    for cue in cues {
        let mut start = cue.start;
        for (voice, text) in &cue.runs {
            let (voice, text) = match (voice, split_label(text.trim_start())) {
                (None, Some((_, label, rest))) => (Some(label), rest),
                _ => (voice.as_deref(), text.as_str()),
            };
            builder.speak(voice, start, text);
            if !text.trim().is_empty() {
                start = None;
            }
        }
    }
}

/// Why a file is not WebVTT.
#[derive(Debug)]
pub struct NotWebVtt {
    pub message: String,
    pub help: String,
}

/// The cues of a WebVTT file, in file order, and the warnings about cues
/// whose timings are not WebVTT's or not readable (their words are kept) and
/// about blocks of text that are not cues (left out).
pub fn cues(text: &str) -> Result<(Vec<Cue>, TimingWarnings), NotWebVtt> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\0', "\u{fffd}");
    let signature_ok = text
        .strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\n']));
    if !signature_ok {
        let first = text.lines().next().unwrap_or("");
        let message = if text.trim().is_empty() {
            "the file is empty; a WebVTT file starts with a WEBVTT line".to_string()
        } else {
            format!(
                "not a WebVTT file: the first line must start with WEBVTT, but it is {:?}",
                first.chars().take(40).collect::<String>()
            )
        };
        return Err(NotWebVtt {
            message,
            help: "put WEBVTT alone on the first line (nothing before it but a byte order mark)"
                .to_string(),
        });
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let is_timing = |line: &str| line.contains("-->") || read_timing(line, exact).is_some();
    let mut i = 1;
    // The rest of the header block: up to a blank line or a timing line.
    while i < lines.len() && !lines[i].is_empty() && !is_timing(lines[i]) {
        i += 1;
    }
    let mut cues = Vec::new();
    let mut warnings = TimingWarnings::default();
    while i < lines.len() {
        if lines[i].is_empty() {
            i += 1;
            continue;
        }
        // Collect one block (spec: "collect a WebVTT block").
        let first_line = i + 1;
        let mut buffer: Vec<&str> = Vec::new();
        let mut timing: Option<(Timing, usize)> = None;
        let mut line_count = 0;
        while i < lines.len() {
            let line = lines[i];
            line_count += 1;
            if is_timing(line) {
                let opens_cue = timing.is_none()
                    && (line_count == 1 || (line_count == 2 && !buffer.is_empty()));
                if !opens_cue {
                    break; // the next block's timing line
                }
                let read = read_timing(line, exact)
                    .unwrap_or_else(|| Timing::Unreadable("it has no times".to_string()));
                warnings.note(&read, i + 1, line);
                timing = Some((read, i + 1));
                buffer.clear(); // the identifier
                i += 1;
                continue;
            }
            i += 1;
            if line.is_empty() {
                break;
            }
            buffer.push(line);
        }
        match timing {
            Some((timing, line)) => cues.push(Cue {
                start: match timing {
                    Timing::Exact(t) | Timing::Loose(t) => Some(t),
                    Timing::Unreadable(_) => None,
                },
                line,
                runs: cue_text(&buffer.join("\n")),
            }),
            // NOTE, STYLE and REGION blocks are not speech; other text
            // without a timing line is not a cue, and is said to be left out.
            None => {
                let first = buffer.first().copied().unwrap_or("");
                let kind = first.split([' ', '\t']).next().unwrap_or("");
                if !matches!(kind, "NOTE" | "STYLE" | "REGION") && !first.trim().is_empty() {
                    warnings.left_out(
                        first_line,
                        buffer.iter().map(|l| crate::ingest::ledger::words(l)).sum(),
                        format!(
                            "a block of text without a timing line is not a cue; its words are left out: {:?}",
                            first.chars().take(60).collect::<String>()
                        ),
                    );
                }
            }
        }
    }
    Ok((cues, warnings))
}

/// A WebVTT timestamp as the specification writes it: `mm:ss.ttt` or
/// `hh:mm:ss.ttt`, three digits of milliseconds.
fn exact(s: &str) -> bool {
    s.split_once('.')
        .is_some_and(|(_, ms)| ms.len() == 3 && ms.bytes().all(|b| b.is_ascii_digit()))
        && Timecode::parse(s).is_some()
}

/// Cue text into voice runs: tags stripped, `<v>` annotations as voices,
/// character references decoded. A tag left open runs to the end of the cue.
pub fn cue_text(text: &str) -> Vec<(Option<String>, String)> {
    let mut runs: Vec<(Option<String>, String)> = Vec::new();
    let mut current = String::new();
    let mut voice: Option<String> = None;
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        current.push_str(&decode_references(&rest[..lt]));
        let after = &rest[lt + 1..];
        let (tag, next) = match after.find('>') {
            Some(gt) => (&after[..gt], &after[gt + 1..]),
            None => (after, ""),
        };
        rest = next;
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '.')
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        match name {
            "v" => {
                let annotation = tag[name_end..]
                    .trim_start_matches(|c: char| !c.is_whitespace())
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let annotation = decode_references(&annotation);
                if !annotation.is_empty() {
                    push_run(&mut runs, voice.take(), std::mem::take(&mut current));
                    voice = Some(annotation);
                }
            }
            "br" => current.push(' '),
            // Other tags (<c>, <i>, <b>, <u>, <ruby>, <rt>, <lang>, time
            // stamps, end tags) carry no words of their own.
            _ => {}
        }
    }
    current.push_str(&decode_references(rest));
    push_run(&mut runs, voice, current);
    runs
}

fn push_run(runs: &mut Vec<(Option<String>, String)>, voice: Option<String>, text: String) {
    if !text.trim().is_empty() || (voice.is_some() && runs.is_empty()) {
        runs.push((voice, text));
    }
}

/// `&amp;`, `&lt;`, `&#233;`, `&#xE9;` and the other references cue text
/// uses; anything else that starts with `&` stays as written.
pub fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .unwrap_or(after.len());
        let name = &after[..end];
        let decoded = if !name.is_empty() && after[end..].starts_with(';') {
            reference(name)
        } else {
            None
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn reference(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_required() {
        assert!(cues("").unwrap_err().message.contains("empty"));
        let e = cues("\u{feff}\tWEBVTT\n\n00:00.000 --> 00:02.000\ntext").unwrap_err();
        assert!(e.message.contains("WEBVTT"), "{}", e.message);
        assert_eq!(
            cues("\u{feff}WEBVTT\n\n00:00.000 --> 00:02.000\ntext")
                .unwrap()
                .0
                .len(),
            1
        );
        assert!(cues("WEBVTTX\n").is_err());
    }

    #[test]
    fn every_line_ending_and_identifiers() {
        let c = cues("WEBVTT\n\ncr\r00:00:00.000 --> 00:00:01.000\rtext1\r\rlf\n00:00:01.000 --> 00:00:02.000\ntext2\n\ncrlf\r\n00:00:02.000 --> 00:00:03.000\r\ntext3\r\n").unwrap().0;
        let texts: Vec<&str> = c.iter().map(|c| c.runs[0].1.as_str()).collect();
        assert_eq!(texts, ["text1", "text2", "text3"]);
        assert_eq!(c[1].start, Some(Timecode(1000)));
    }

    #[test]
    fn loose_and_unreadable_timings_keep_their_words_with_a_warning() {
        let text = "WEBVTT\n\n0.000 --> 3.480\nBare one.\n\n3.480 --> 7.000\nBare two.\n\n00:00:07.000 --> 00:00:61.000\nBad end.\n\n99999:00:00.000 --> 99999:00:01.000\nAbsurd hour.\n\n00:01:00.000 -> 00:01:02.000\nOne arrow.\n\nStray words.\n";
        let (c, warnings) = cues(text).unwrap();
        let got: Vec<(Option<Timecode>, &str)> =
            c.iter().map(|c| (c.start, c.runs[0].1.as_str())).collect();
        assert_eq!(
            got,
            [
                (Some(Timecode(0)), "Bare one."),
                (Some(Timecode(3480)), "Bare two."),
                (None, "Bad end."),
                (None, "Absurd hour."),
                (Some(Timecode(60_000)), "One arrow."),
            ]
        );
        let text: std::sync::Arc<str> = text.into();
        let d = warnings.into_diagnostics("x.vtt", &text);
        let lines: Vec<(Option<usize>, bool)> = d
            .iter()
            .map(|d| (d.line, d.message.contains("more cues")))
            .collect();
        // Loose (lines 3, 6, 15: one warning), two unreadable, the stray text.
        assert_eq!(
            lines,
            [
                (Some(3), true),
                (Some(9), false),
                (Some(12), false),
                (Some(18), false)
            ],
            "{d:?}"
        );
        assert!(
            d[1].message.contains("the seconds are 61"),
            "{}",
            d[1].message
        );
    }

    #[test]
    fn notes_styles_regions_and_settings_are_skipped() {
        let c = cues("WEBVTT\nKind: captions\n\nSTYLE\n::cue { color: red }\n\nREGION\nid:r\n\nNOTE a\nb\n\n00:01.000 --> 00:04.000 align:start size:50%\nNever drink.\n\nNOTE end\n").unwrap().0;
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].runs, [(None, "Never drink.".to_string())]);
    }

    #[test]
    fn name_prefixes_without_voices() {
        let c = cues("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAnn Lee: Hello there.\n\n2\n00:00:02.000 --> 00:00:03.000\nand more.\n\n3\n00:00:03.000 --> 00:00:04.000\nBob: Hi.\n").unwrap().0;
        let mut b = SpeechBuilder::new(Vec::new(), "Speaker");
        speak_cues(&mut b, &c);
        let d = b.finish();
        let turns: Vec<(&str, &str)> = d.sections[0]
            .turns
            .iter()
            .map(|t| (t.label.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            turns,
            [("Ann Lee", "Hello there. and more."), ("Bob", "Hi.")]
        );
    }

    #[test]
    fn voices_tags_and_references() {
        assert_eq!(
            cue_text("<v.loud Roger Bingham><i>Hi</i> &amp; bye</v> <v Neil>Yes"),
            [
                (Some("Roger Bingham".to_string()), "Hi & bye ".to_string()),
                (Some("Neil".to_string()), "Yes".to_string())
            ]
        );
        assert_eq!(
            cue_text("<v>It's a tree"),
            [(None, "It's a tree".to_string())]
        );
        assert_eq!(
            decode_references("&lt; &amp;&gt; &nb&nbsp; &am&lt; &rlm;&lr&lrm;"),
            "< &> &nb\u{a0} &am< \u{200f}&lr\u{200e}"
        );
    }
}
