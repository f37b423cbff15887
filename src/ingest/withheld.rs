//! Parts of a transcript that are not published: spans marked in the text
//! (`[withheld]…[/withheld]`, with a reason or an embargo date), and turns,
//! sections and exact words named in front matter or a sidecar
//! (`[[withheld]]`). They are taken out while the model is built, before any
//! later stage sees the transcript, so no page, index, feed or export can
//! hold their words: each leaves a placeholder that says what was withheld,
//! and when the transcript has times, the stretch of the recording it
//! covers. A part under an embargo that has lifted (`until` on or before the
//! build's today) is published as written.

use super::frontmatter::WithheldSpec;
use super::normalize::Origin;
use crate::diagnostic::Diagnostic;
use crate::model::{Anchor, Blocks, Section, Timecode, Turn, WithheldRule};
use crate::words::{Phrases, Words};
use std::cell::OnceCell;
use std::sync::Arc;

const OPEN: &str = "[withheld";
const CLOSE: &str = "[/withheld]";

/// What a placeholder says.
struct Why<'a> {
    reason: Option<&'a str>,
    until: Option<&'a str>,
}

/// How placeholders are written: in the transcript's language, from the
/// theme's tables (`withheld`, `withheld_until`, … in `i18n/`), looked up
/// only when a transcript withholds something.
pub struct Placeholders<'a> {
    words: &'a Arc<Words>,
    language: &'a str,
    phrases: OnceCell<Phrases>,
}

impl<'a> Placeholders<'a> {
    pub fn new(words: &'a Arc<Words>, language: &'a str) -> Placeholders<'a> {
        Placeholders {
            words,
            language,
            phrases: OnceCell::new(),
        }
    }

    fn word(&self, key: &str, n: Option<usize>, vars: &[(&str, &str)]) -> String {
        self.phrases
            .get_or_init(|| self.words.phrases(self.language))
            .fill(key, n, vars)
    }

    /// `[withheld until 2030-01-01: a reason (00:01:02 to 00:02:00, 12
    /// words)]`, in the transcript's language.
    fn text(
        &self,
        why: &Why,
        from: Option<Timecode>,
        to: Option<Timecode>,
        words: Option<usize>,
    ) -> String {
        let mut s = String::from("[");
        s += &match why.until {
            Some(until) => self.word("withheld_until", None, &[("date", until)]),
            None => self.word("withheld", None, &[]),
        };
        if let Some(reason) = why.reason.filter(|r| !r.trim().is_empty()) {
            s += ": ";
            s += reason.trim();
        }
        let mut notes = Vec::new();
        match (from, to) {
            (Some(f), Some(t)) => notes.push(self.word(
                "withheld_span",
                None,
                &[("from", &f.to_string()), ("to", &t.to_string())],
            )),
            (Some(f), None) => {
                notes.push(self.word("from_time", None, &[("time", &f.to_string())]))
            }
            _ => {}
        }
        if let Some(n) = words {
            notes.push(self.word("words", Some(n), &[]));
        }
        if !notes.is_empty() {
            s += " (";
            s += &notes.join(", ");
            s += ")";
        }
        s + "]"
    }
}

/// Whether a part with this embargo is withheld from a build on `today`.
fn withheld_on(until: Option<&str>, today: &str) -> bool {
    until.is_none_or(|u| u > today)
}

/// Takes the withheld parts out of `sections`; `redact: false` keeps every
/// word (for `verbatim leaks`, which needs to know what the parts were).
pub fn apply(
    sections: &mut [Section],
    rules: &[WithheldSpec],
    origin: &Origin,
    placeholders: &Placeholders,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<WithheldRule> {
    let (today, redact) = (origin.today, origin.redact);
    let mut kept = Vec::new();
    // Nearly every transcript withholds nothing: it costs one scan of each
    // turn's text for the marker.
    let ends = if rules.is_empty() {
        Vec::new()
    } else {
        crate::model::turn_ends(sections)
    };
    // What is under an embargo is listed, with when it lifts, so that no
    // part is left out without a word (`verbatim check` shows them).
    let mut embargoed = |what: String, until: &str| {
        if redact && withheld_on(Some(until), today) {
            warnings.push(Diagnostic::note(
                origin.path,
                format!("{what} is under embargo until {until}: withheld from this build, published by the first build on or after that date"),
            ));
        }
    };
    // Spans in the text first: a rule's `text` is matched against what is
    // left, so that the two never overlap half-way.
    let mut markers = 0;
    let mut faults = Vec::new();
    for turn in sections.iter_mut().flat_map(Section::turns_mut) {
        if !turn.text.contains(OPEN) {
            continue;
        }
        for until in embargo_dates(&turn.text) {
            embargoed(format!("a span of turn {}", turn.id), &until);
        }
        let count = marker_starts(&turn.text).len();
        if let Err((message, nth)) = spans(turn, today, redact, placeholders) {
            faults.push((markers + nth, format!("turn {}: {message}", turn.id)));
        }
        markers += count;
    }
    // A fault is named at its marker in the file: the file's markers are
    // the turns' in the same order, unless the file writes some elsewhere
    // (then the message names the turn alone).
    let in_file = if faults.is_empty() {
        Vec::new()
    } else {
        marker_starts(origin.text)
    };
    for (nth, message) in faults {
        let d = origin_error(origin, message).help(
            "mark a span as [withheld]…[/withheld], [withheld: a reason]…[/withheld] or [withheld until 2030-01-01]…[/withheld], inside one paragraph",
        );
        errors.push(match in_file.get(nth) {
            Some(&at) if in_file.len() == markers => d.at(origin.text, at..at + OPEN.len()),
            _ => d,
        });
    }
    // Sections last: a turn or words a rule names may be in a section
    // another rule withholds whole.
    let ordered = rules
        .iter()
        .filter(|r| r.section.is_none())
        .chain(rules.iter().filter(|r| r.section.is_some()));
    for rule in ordered {
        let until = match rule.embargo.as_ref().map(|d| d.to_iso_date()) {
            Some(Ok(d)) => Some(d),
            Some(Err(why)) => {
                errors.push(
                    rule_error(
                        origin,
                        rule,
                        Some("embargo"),
                        format!("a [[withheld]] embargo is not a date: {why}"),
                    )
                    .help("write it as embargo = 2030-01-01"),
                );
                continue;
            }
            None => None,
        };
        if !redact {
            kept.push(WithheldRule {
                turn: rule.turn.clone(),
                section: rule.section.clone(),
                text: rule.text.clone(),
                reason: rule.reason.clone(),
                embargo: until.clone(),
                show_length: rule.show_length,
            });
        }
        let why = Why {
            reason: rule.reason.as_deref(),
            until: until.as_deref(),
        };
        let hide = redact && withheld_on(until.as_deref(), today);
        if let Some(u) = &until {
            let what = match (&rule.turn, &rule.section) {
                (Some(t), _) => format!("turn {t}"),
                (_, Some(s)) => format!("section {s:?}"),
                _ => "a [[withheld]] text".to_string(),
            };
            embargoed(what, u);
        }
        let targets = [
            rule.turn.is_some(),
            rule.section.is_some(),
            rule.text.is_some(),
        ];
        if targets.iter().filter(|&&t| t).count() != 1 {
            errors.push(rule_error(origin, rule, None, "a [[withheld]] table names no part, or more than one".into()).help(
                "give exactly one of turn = \"t12\", section = \"slug or title\", text = \"the exact words\"",
            ));
            continue;
        }
        if let Some(id) = &rule.turn {
            let found = Anchor::parse(id).and_then(|a| {
                sections
                    .iter_mut()
                    .flat_map(Section::turns_mut)
                    .find(|t| t.id == a)
            });
            match found {
                Some(turn) if hide => {
                    let end = ends.iter().find(|(id, _)| *id == turn.id).and_then(|e| e.1);
                    let words = rule
                        .show_length
                        .then(|| turn.text.split_whitespace().count());
                    set_placeholder(turn, &placeholders.text(&why, turn.start, end, words));
                }
                Some(_) => {}
                None => errors.push(
                    rule_error(
                        origin,
                        rule,
                        Some("turn"),
                        format!(
                            "[[withheld]] names turn {id:?}, which the transcript does not have"
                        ),
                    )
                    .help("turn ids are t1, t2, … in reading order, as the pages' # links show"),
                ),
            }
        } else if let Some(name) = &rule.section {
            let i = sections
                .iter()
                .position(|s| s.slug == *name || s.title.eq_ignore_ascii_case(name.trim()));
            match i {
                Some(i) if hide => {
                    let start = sections[i].turns().find_map(|t| t.start);
                    let end = sections[i + 1..].iter().flat_map(|s| s.turns()).find_map(|t| t.start);
                    let words = rule
                        .show_length
                        .then(|| sections[i].turns().map(|t| t.text.split_whitespace().count()).sum());
                    let s = &mut sections[i];
                    s.title = placeholders.word("withheld_section", None, &[]);
                    s.slug = format!("withheld-{}", i + 1);
                    let text = placeholders.text(&why, start, end, words);
                    s.intro = placeholder_html(&text);
                    s.exchanges.clear();
                }
                Some(_) => {}
                None => errors.push(rule_error(origin, rule, Some("section"), format!("[[withheld]] names section {name:?}, which the transcript does not have")).help("give the section's slug (its URL segment) or its title")),
            }
        } else if let Some(words) = &rule.text {
            let mut found = false;
            for turn in sections.iter_mut().flat_map(Section::turns_mut) {
                if turn.text.contains(words.as_str()) {
                    found = true;
                    if hide {
                        replace_in_turn(turn, words, &placeholders.text(&why, None, None, None));
                    }
                }
            }
            if !found {
                errors.push(
                    rule_error(
                        origin,
                        rule,
                        Some("text"),
                        format!("[[withheld]] text {words:?} is in no turn"),
                    )
                    .help("copy the words exactly as they are in one turn (one paragraph)"),
                );
            }
        }
    }
    kept
}

/// The whole transcript under its embargo until `until`, for a listing: one
/// withheld section in place of its sections, its intro a placeholder.
pub(super) fn seal(
    sections: &mut Vec<Section>,
    intro: &mut String,
    until: &str,
    placeholders: &Placeholders,
) {
    let reason = placeholders.word("withheld_embargo", None, &[]);
    let why = Why {
        reason: Some(&reason),
        until: Some(until),
    };
    let text = placeholders.text(&why, None, None, None);
    *intro = placeholder_html(&text);
    sections.truncate(1);
    if let Some(s) = sections.first_mut() {
        s.title = placeholders.word("withheld_section", None, &[]);
        s.slug = "withheld-1".to_string();
        s.intro = placeholder_html(&text);
        s.exchanges.clear();
    }
}

/// An error about `rule`, at its line in the file that holds it (the
/// transcript's front matter or its sidecar), or at the transcript.
fn rule_error(
    origin: &Origin,
    rule: &WithheldSpec,
    key: Option<&str>,
    message: String,
) -> Diagnostic {
    match &rule.place {
        Some(place) => place.error(key, message),
        None => origin_error(origin, message),
    }
}

fn origin_error(origin: &Origin, message: String) -> Diagnostic {
    Diagnostic::error(origin.path, message)
}

fn placeholder_html(text: &str) -> String {
    let mut html = String::from("<p class=\"withheld\">");
    crate::escape::esc(&mut html, text);
    html + "</p>"
}

fn set_placeholder(turn: &mut Turn, text: &str) {
    turn.paragraphs = Blocks::Html(vec![placeholder_html(text)].into_boxed_slice());
    turn.text = text.into();
}

/// Replaces every `needle` in the turn's text and blocks with `with`.
fn replace_in_turn(turn: &mut Turn, needle: &str, with: &str) {
    if let Blocks::Html(blocks) = &mut turn.paragraphs {
        let mut escaped_needle = String::new();
        crate::escape::esc(&mut escaped_needle, needle);
        let mut escaped_with = String::new();
        crate::escape::esc(&mut escaped_with, with);
        for b in blocks.iter_mut() {
            *b = b
                .replace(&escaped_needle, &escaped_with)
                .replace(needle, &escaped_with);
        }
    }
    turn.text = turn.text.replace(needle, with).into();
}

/// The marked spans of one turn, in its text and (as the same words,
/// escaped) in its HTML blocks: each withheld one becomes its placeholder,
/// each published one loses only its markers. A mistake comes with the
/// number of the marker it is at, counted from 0 over the turn.
fn spans(
    turn: &mut Turn,
    today: &str,
    redact: bool,
    placeholders: &Placeholders,
) -> Result<(), (String, usize)> {
    if !turn.text.contains(OPEN) {
        return Ok(());
    }
    let text = rewrite(&turn.text, today, redact, false, placeholders)?;
    if !redact {
        // Read as written (for `verbatim import`): checked, not changed.
        return Ok(());
    }
    if let Blocks::Html(blocks) = &mut turn.paragraphs {
        let mut before = 0;
        for b in blocks.iter_mut() {
            let count = marker_starts(b).len();
            *b = rewrite(b, today, redact, true, placeholders)
                .map_err(|(m, nth)| (m, before + nth))?;
            before += count;
        }
    }
    turn.text = text.into();
    Ok(())
}

/// Where each `[withheld…]` marker of `text` starts, as [`rewrite`] reads
/// them: a well-formed span's words are passed over, a broken marker is
/// counted and reading goes on after it. `[[withheld]]` (a table's header)
/// is not a marker.
fn marker_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(OPEN).map(|i| from + i) {
        from = i + OPEN.len();
        let after = &text[from..];
        if !after.starts_with([']', ':', ' ']) || text[..i].ends_with('[') {
            continue;
        }
        starts.push(i);
        if let Some(head_end) = after.find(']') {
            if let Some(close) = after[head_end..].find(CLOSE) {
                from += head_end + close + CLOSE.len();
            }
        }
    }
    starts
}

/// `text` with its `[withheld …]…[/withheld]` spans rewritten. In HTML the
/// placeholder is escaped, and a span may not hold a paragraph break. A
/// mistake comes with the number of its marker (of [`marker_starts`]).
fn rewrite(
    text: &str,
    today: &str,
    redact: bool,
    html: bool,
    placeholders: &Placeholders,
) -> Result<String, (String, usize)> {
    let mut out = String::with_capacity(text.len());
    // The markers are found by `marker_starts` alone, so that a message's
    // marker number is the one `apply` looks up in the file.
    let mut from = 0;
    for (nth, start) in marker_starts(text).into_iter().enumerate() {
        let fault = |m: &str| (m.to_string(), nth);
        // `[withheld]`, `[withheld: why]`, `[withheld until 2030-01-01: why]`.
        let after = &text[start + OPEN.len()..];
        let head_end = after
            .find(']')
            .ok_or_else(|| fault("a [withheld marker has no closing ]"))?;
        let head = &after[..head_end];
        let body_start = &after[head_end + 1..];
        let close = body_start
            .find(CLOSE)
            .ok_or_else(|| fault("a [withheld] span has no [/withheld]"))?;
        let body = &body_start[..close];
        if body.contains("\n\n") || (html && body.contains("</p>")) {
            return Err(fault("a [withheld] span runs over a paragraph break"));
        }
        if html && !balanced(body) {
            return Err(fault("a [withheld] span starts inside emphasis or a link and ends outside it (or the other way round)"));
        }
        let (until, reason) = header(head).map_err(|m| (m, nth))?;
        out.push_str(&text[from..start]);
        if redact && withheld_on(until.as_deref(), today) {
            let why = Why {
                reason: reason.as_deref(),
                until: until.as_deref(),
            };
            let placeholder = placeholders.text(&why, None, None, None);
            if html {
                crate::escape::esc(&mut out, &placeholder);
            } else {
                out.push_str(&placeholder);
            }
        } else {
            out.push_str(body);
        }
        from = text.len() - (body_start.len() - close - CLOSE.len());
    }
    out.push_str(&text[from..]);
    Ok(out)
}

/// Whether the HTML `body` closes every element it opens and opens every
/// one it closes, so that taking it out leaves the page's markup whole.
fn balanced(body: &str) -> bool {
    let mut open: Vec<&str> = Vec::new();
    for (i, _) in body.match_indices('<') {
        let tag = &body[i + 1..];
        let end = tag.find('>').unwrap_or(tag.len());
        let tag = &tag[..end];
        if tag.ends_with('/') || tag.starts_with('!') {
            continue;
        }
        if let Some(closing) = tag.strip_prefix('/') {
            let closing = closing.split_whitespace().next().unwrap_or("");
            if open.pop() != Some(closing) {
                return false;
            }
        } else {
            let name = tag.split_whitespace().next().unwrap_or("");
            if !matches!(name, "br" | "img" | "hr" | "wbr") {
                open.push(name);
            }
        }
    }
    open.is_empty()
}

/// The embargo dates of the spans marked in `text`.
fn embargo_dates(text: &str) -> Vec<String> {
    text.match_indices("[withheld until ")
        .filter_map(|(i, m)| {
            let rest = &text[i + m.len()..];
            let date = rest.get(..10)?;
            crate::ingest::dates::iso_prefix(date)
        })
        .collect()
}

/// The embargo date and the reason of a marker's head (`until 2030-01-01:
/// family matters`).
fn header(head: &str) -> Result<(Option<String>, Option<String>), String> {
    let head = head.trim();
    let (dated, reason) = match head.split_once(':') {
        Some((d, r)) => (d.trim(), Some(r.trim().to_string())),
        None => (head, None),
    };
    let until = match dated.strip_prefix("until") {
        Some(date) => {
            let date = date.trim();
            if crate::ingest::dates::iso_prefix(date).as_deref() != Some(date) {
                return Err(format!(
                    "the embargo date {date:?} is not written as 2030-01-01"
                ));
            }
            Some(date.to_string())
        }
        None if dated.is_empty() => None,
        None => {
            return Err(format!(
                "a [withheld {dated}] marker: expected `until 2030-01-01` or `: a reason`"
            ))
        }
    };
    Ok((until, reason.filter(|r| !r.is_empty())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`rewrite`] with English placeholders.
    fn rewrite(
        text: &str,
        today: &str,
        redact: bool,
        html: bool,
    ) -> Result<String, (String, usize)> {
        let words = Arc::new(Words::theme());
        super::rewrite(text, today, redact, html, &Placeholders::new(&words, "en"))
    }

    #[test]
    fn placeholders_are_written_in_the_transcripts_language() {
        let words = Arc::new(Words::theme());
        let t = "Vorher [withheld until 2030-01-01: ein Name]Anna Kiel[/withheld].";
        let german = Placeholders::new(&words, "de");
        assert_eq!(
            super::rewrite(t, "2026-12-07", true, false, &german).unwrap(),
            "Vorher [zurückgehalten bis 2030-01-01: ein Name]."
        );
        let why = Why {
            reason: None,
            until: None,
        };
        let at = |s: u64| Some(Timecode(s * 1000));
        assert_eq!(
            german.text(&why, at(62), at(120), Some(1234)),
            "[zurückgehalten (00:01:02 bis 00:02:00, 1.234 Wörter)]"
        );
        let english = Placeholders::new(&words, "en");
        assert_eq!(
            english.text(&why, at(62), None, Some(1)),
            "[withheld (from 00:01:02, 1 word)]"
        );
        // A language the theme has no words for writes English's.
        assert_eq!(
            Placeholders::new(&words, "sw").text(&why, None, None, None),
            "[withheld]"
        );
    }

    #[test]
    fn spans_are_replaced_or_unmarked_by_the_date() {
        let t = "Before [withheld: a name]Ann Quill[/withheld] and [withheld until 2030-01-01]later[/withheld].";
        assert_eq!(
            rewrite(t, "2026-12-07", true, false).unwrap(),
            "Before [withheld: a name] and [withheld until 2030-01-01]."
        );
        assert_eq!(
            rewrite(t, "2030-01-01", true, false).unwrap(),
            "Before [withheld: a name] and later."
        );
        assert_eq!(
            rewrite(t, "2026-12-07", false, false).unwrap(),
            "Before Ann Quill and later."
        );
        assert!(rewrite("[withheld]open", "2026-12-07", true, false).is_err());
        assert!(rewrite("[withheld soon]x[/withheld]", "2026-12-07", true, false).is_err());
        assert_eq!(
            rewrite("[withheldx] stays", "2026-12-07", true, false).unwrap(),
            "[withheldx] stays"
        );
        // In HTML, a span must not cut an element in two.
        assert!(rewrite(
            "<em>a [withheld]b</em> c[/withheld]",
            "2026-12-07",
            true,
            true
        )
        .is_err());
        assert_eq!(
            rewrite(
                "a [withheld]<em>b</em><br>c[/withheld] d",
                "2026-12-07",
                true,
                true
            )
            .unwrap(),
            "a [withheld] d"
        );
    }
}
