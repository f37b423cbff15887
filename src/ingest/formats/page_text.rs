//! A published interview page saved as text (`.txt`), as a browser's "save
//! as text" or a copy of the page gives it: the page's title, date line,
//! menus and captions before the interview, its credit line ("This article
//! is from ..."), related links and footers after it.
//!
//! The text is read in paragraphs (blank lines between), each given a shape
//! from its own words: a labelled turn, a question, prose, a heading-like
//! line (short, no closing punctuation: titles, menus, box titles), a date
//! line, a byline, a caption, a credit line. Then:
//!
//! - the interview starts at the first labelled turn (or the unlabelled
//!   question just before it) and ends after the last labelled turn where a
//!   heading-like line or a credit line follows, or where its last answer
//!   grows longer than any answer before it (the page's closing text);
//! - the intro is the prose just before the interview; captions and a
//!   summary cut short ("...") in it are left out, the summary becoming the
//!   description;
//! - the title is the heading-like line before the intro that shares the
//!   most words with the interview; the date comes from a date line in the
//!   head of the page, the author from a byline or the credit line, the
//!   publisher from the credit line;
//! - where no label asks, a paragraph ending in a question mark right before
//!   a labelled answer is a question, asked by the page's author.
//!
//! Every paragraph left out is named in a warning with its line. A text with
//! none of the page's traits (a transcript with a header or times, or one
//! that has nothing but its turns) is not read here.

use super::markdown::split_label;
use crate::ingest::dates;

/// What a paragraph is, from its own words.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Turn(String),
    Question,
    Prose,
    /// A summary cut short: `... European manufacturers lik...`.
    Teaser,
    Caption,
    DateLine(String),
    Byline(String),
    /// `This article is from ...`, `Source: ...`, `© 2023 ...`.
    Credit,
    /// `Tempo de leitura: 1 minuto`: a field of the page, not speech.
    Field,
    /// Short, with no closing punctuation: a title, a menu item, a box's title.
    Heading,
}

#[derive(Debug)]
struct Paragraph {
    /// 0-based index of its first line in the body.
    line: usize,
    /// 0-based index one past its last line.
    end: usize,
    text: String,
    shape: Shape,
}

/// What the page gave, for the plain-text reader.
#[derive(Debug, Default, PartialEq)]
pub struct Page {
    pub title: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub description: Option<String>,
    pub intro: Vec<String>,
    /// The interview's body lines: 0-based, end exclusive.
    pub lines: std::ops::Range<usize>,
    /// Lines of the interview to read otherwise: an unlabelled question
    /// (given the interviewer's label), a caption (left out), a subheading
    /// (a section).
    pub rewrites: Vec<(usize, Rewrite)>,
    /// Who asks the unlabelled questions, when some are.
    pub interviewer: Option<String>,
    /// What was left out: (0-based line, words, why).
    pub left_out: Vec<(usize, usize, String)>,
    /// Where the reader was unsure: (0-based line, what it chose).
    pub unsure: Vec<(usize, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Rewrite {
    /// The paragraph opens a turn of this speaker (an unlabelled question
    /// or its answer).
    SaidBy(String),
    Drop,
    Section,
}

const SENTENCE_END: [char; 9] = ['.', '!', '?', '…', '。', '！', '？', ';', ':'];
const CLOSERS: [char; 9] = ['"', '”', '’', '\'', '»', ')', ']', '*', '“'];

/// Words as the heuristics count them (any run between spaces); what is
/// left out is counted as the word ledger counts it ([`crate::ingest::ledger::words`]).
fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(CLOSERS)
        .ends_with(SENTENCE_END)
}

fn is_question(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(CLOSERS)
        .trim_end()
        .ends_with(['?', '？'])
}

/// Words that name a picture or its credit, in the languages of the pages
/// verbatim reads: a short paragraph holding one is a caption.
const PICTURE_WORDS: [&str; 25] = [
    "photo",
    "photos",
    "foto",
    "fotos",
    "bild",
    "bilder",
    "image",
    "images",
    "picture",
    "credit",
    "credits",
    "getty",
    "reuters",
    "afp",
    "dpa",
    "imago",
    "shutterstock",
    "illustration",
    "imagen",
    "immagine",
    "photograph",
    "©",
    "fuente",
    "quelle",
    "fonte",
];

fn names_a_picture(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric() && c != '©')
        .any(|w| PICTURE_WORDS.contains(&w.to_lowercase().as_str()))
}

/// How credit lines open, in several languages.
const CREDIT_OPENINGS: [&str; 16] = [
    "this article is from",
    "this article was originally",
    "this article first appeared",
    "this interview was originally",
    "this interview first appeared",
    "originally published",
    "first published",
    "source:",
    "quelle:",
    "fonte:",
    "fuente:",
    "source :",
    "copyright",
    "©",
    "本文来自",
    "来源：",
];

fn is_credit(text: &str) -> bool {
    let lower = text.to_lowercase();
    words(text) <= 60 && CREDIT_OPENINGS.iter().any(|o| lower.starts_with(o))
        || lower.contains("all rights reserved") && words(text) <= 30
}

/// Words that open a byline: `By Ann Lee`, `von MORITZ PAPPERT`,
/// `Interview: Julia Lauter`.
const BYLINE_OPENINGS: [&str; 13] = [
    "by",
    "von",
    "par",
    "por",
    "di",
    "door",
    "av",
    "af",
    "interview:",
    "text:",
    "autor:",
    "author:",
    "auteur:",
];

/// Field names a byline is printed under.
const BYLINE_FIELDS: [&str; 11] = [
    "by",
    "author",
    "auteur",
    "autor",
    "autore",
    "autorin",
    "von",
    "par",
    "text",
    "interview",
    "entretien",
];

fn capitalized_name(text: &str) -> Option<String> {
    let name = text.trim().trim_end_matches(['.', ',']);
    (super::article::name_like(name) && (1..=4).contains(&words(name)))
        .then(|| crate::ingest::people::display_name(name))
}

fn byline(text: &str) -> Option<String> {
    if words(text) > 8 {
        return None;
    }
    let mut parts = text.splitn(2, char::is_whitespace);
    let first = parts.next()?.to_lowercase();
    let rest = parts.next()?;
    if BYLINE_OPENINGS.contains(&first.as_str()) {
        // `By Ann Lee | 3 May 2020`, `By Ann Lee, staff writer`.
        let name = rest.split(['|', ',', '·', '—']).next()?;
        return capitalized_name(name);
    }
    None
}

/// `Key: short value` with no sentence in it.
fn is_field(text: &str) -> bool {
    let Some((key, value)) = text.split_once(':') else {
        return false;
    };
    (1..=3).contains(&words(key)) && (1..=4).contains(&words(value)) && !ends_sentence(value)
}

fn shape(text: &str, one_line: bool) -> Shape {
    let n = words(text);
    // A bare link (an image's address): the page's, whatever it holds.
    if n == 1 && text.contains("://") {
        return Shape::Heading;
    }
    if is_credit(text) {
        return Shape::Credit;
    }
    if let Some(name) = byline(text) {
        return Shape::Byline(name);
    }
    if n <= 15 {
        if let Some((iso, _)) = dates::find(text) {
            return Shape::DateLine(iso);
        }
    }
    if n <= 25 && names_a_picture(text) {
        return Shape::Caption;
    }
    let trimmed = text.trim_end();
    if trimmed.ends_with("...") || trimmed.ends_with('…') {
        let before = trimmed.trim_end_matches(['.', '…']);
        if n >= 20 && before.ends_with(char::is_alphabetic) {
            return Shape::Teaser;
        }
    }
    if is_question(text) {
        return Shape::Question;
    }
    if is_field(text) {
        return Shape::Field;
    }
    // A paragraph of several short lines is a menu or a list of links.
    if n <= 25 && (!ends_sentence(text) || !one_line && n <= 6) {
        return Shape::Heading;
    }
    Shape::Prose
}

fn paragraphs(body: &str) -> Vec<(usize, usize, String, bool)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut text = String::new();
    let mut lines_in = 0;
    let lines: Vec<&str> = body.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            if let Some(s) = start.take() {
                out.push((s, i, std::mem::take(&mut text), lines_in == 1));
            }
            lines_in = 0;
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(line);
        lines_in += 1;
    }
    if let Some(s) = start {
        out.push((s, lines.len(), text, lines_in == 1));
    }
    out
}

/// Reads `body` as a saved page, or `None` when it does not look like one.
pub fn read(body: &str) -> Option<Page> {
    let raw = paragraphs(body);
    // Labels at paragraph starts, and how often each opens one.
    let labels: Vec<Option<(String, String)>> = raw
        .iter()
        .map(|(_, _, text, _)| {
            split_label(text)
                .filter(|(time, _, _)| time.is_none())
                .map(|(_, l, rest)| {
                    (
                        crate::ingest::roles::base(l).to_string(),
                        rest.trim().to_string(),
                    )
                })
        })
        .collect();
    let count = |label: &str| {
        labels
            .iter()
            .flatten()
            .filter(|(l, _)| l.eq_ignore_ascii_case(label))
            .count()
    };
    let mut paras: Vec<Paragraph> = raw
        .iter()
        .zip(&labels)
        .map(|((line, end, text, one_line), label)| {
            let turn = label.as_ref().filter(|(l, rest)| {
                let role = crate::ingest::roles::role(l).is_some();
                !rest.is_empty() && (count(l) >= 2 || role) && !is_field(text) && !is_credit(text)
            });
            Paragraph {
                line: *line,
                end: *end,
                text: text.clone(),
                shape: match turn {
                    Some((l, _)) => Shape::Turn(l.clone()),
                    None => shape(text, *one_line),
                },
            }
        })
        .collect();
    // One-off labels beside accepted turns are turns too (`Moderator:`).
    for i in 0..paras.len() {
        let Some((label, rest)) = &labels[i] else {
            continue;
        };
        let beside = |j: Option<usize>| {
            j.and_then(|j| paras.get(j))
                .is_some_and(|p| matches!(p.shape, Shape::Turn(_)))
        };
        if !matches!(paras[i].shape, Shape::Turn(_))
            && super::article::name_like(label)
            && words(rest) >= 4
            && (beside(i.checked_sub(1)) || beside(Some(i + 1)))
        {
            paras[i].shape = Shape::Turn(label.clone());
        }
    }
    // A bare name beside the date line is the byline (`Graciela Cuevas`
    // above `Santo Domingo - abr. 22, 2022`).
    for i in 0..paras.len() {
        let dated = |j: Option<usize>| {
            j.and_then(|j| paras.get(j))
                .is_some_and(|p| matches!(p.shape, Shape::DateLine(_)))
        };
        // Or under a field's name on a line of its own (`Auteur`, `By`).
        let named = i > 0
            && BYLINE_FIELDS.contains(
                &paras[i - 1]
                    .text
                    .trim_end_matches(':')
                    .trim()
                    .to_lowercase()
                    .as_str(),
            );
        if paras[i].shape == Shape::Heading
            && (2..=4).contains(&words(&paras[i].text))
            && (dated(i.checked_sub(1)) || dated(Some(i + 1)) || named)
        {
            if let Some(name) = capitalized_name(&paras[i].text) {
                paras[i].shape = Shape::Byline(name);
            }
        }
    }
    let labelled = paras
        .iter()
        .filter(|p| matches!(p.shape, Shape::Turn(_)))
        .count();

    // Does a label ask? Then unlabelled questions are part of answers.
    let asking_label = paras.iter().any(|p| match &p.shape {
        Shape::Turn(l) => crate::ingest::roles::role(l) == Some(crate::model::Role::Interviewer),
        _ => false,
    }) || {
        // A label whose turns are mostly questions.
        let mut asked: std::collections::HashMap<String, (usize, usize)> = Default::default();
        for p in &paras {
            if let Shape::Turn(l) = &p.shape {
                let e = asked.entry(l.to_lowercase()).or_default();
                e.0 += 1;
                e.1 += usize::from(is_question(&p.text));
            }
        }
        asked.values().any(|(n, q)| *n >= 2 && q * 2 > *n)
    };
    // Questions with no label, where no label asks: one right before a
    // labelled answer; one opening with a dialogue dash (`—¿...?`) before
    // an answer; a short one before an answer when the page has three or
    // more of those close together (a rhetorical question inside an answer
    // is followed by more of the answer, rarely thrice in a row of Q&A).
    let n = paras.len();
    let question = |i: usize| {
        !asking_label && paras[i].shape == Shape::Question && words(&paras[i].text) <= 80
    };
    let before_answer = |i: usize| {
        paras
            .get(i + 1)
            .is_some_and(|p| matches!(p.shape, Shape::Prose | Shape::Turn(_)))
    };
    let loose: Vec<usize> = (0..n)
        .filter(|&i| {
            question(i)
                && words(&paras[i].text) <= 40
                && paras.get(i + 1).is_some_and(|p| p.shape == Shape::Prose)
                && (i == 0 || paras[i - 1].shape != Shape::Question)
        })
        .collect();
    // Loose questions count where three or more stand within ten
    // paragraphs of one another.
    let clustered: Vec<usize> = loose
        .iter()
        .enumerate()
        .filter(|(k, &i)| {
            let near = |j: Option<&usize>| j.is_some_and(|&j| i.abs_diff(j) <= 10);
            let neighbours = usize::from(k.checked_sub(1).is_some_and(|k| near(loose.get(k))))
                + usize::from(near(loose.get(k + 1)));
            neighbours >= 1 && loose.len() >= 3
        })
        .map(|(_, &i)| i)
        .collect();
    let asked: Vec<bool> = (0..n)
        .map(|i| {
            question(i)
                && (paras
                    .get(i + 1)
                    .is_some_and(|p| matches!(p.shape, Shape::Turn(_)))
                    || paras[i].text.starts_with(['—', '–']) && before_answer(i)
                    || clustered.contains(&i))
        })
        .collect();
    let opens = |i: usize| matches!(paras[i].shape, Shape::Turn(_)) || asked[i];
    let first = (0..n).find(|&i| opens(i))?;
    let last = (0..n).rev().find(|&i| opens(i))?;
    if labelled + asked.iter().filter(|a| **a).count() < 2 {
        return None;
    }
    let mut start = first;
    // A section's heading just before the first turn opens the interview.
    if start > 0 && paras[start - 1].shape == Shape::Heading && words(&paras[start - 1].text) <= 12
    {
        start -= 1;
    }

    // The end: continuation paragraphs after the last turn, while they are
    // speech, and no more of them than the longest answer before had.
    let mut longest = 1;
    let mut run = 0;
    for (i, p) in paras.iter().enumerate().take(last + 1).skip(start) {
        run = match p.shape {
            _ if asked[i] => 0,
            Shape::Turn(_) => 1,
            _ => run + 1,
        };
        longest = longest.max(run);
    }
    let allowed = if asked[last] { longest } else { longest - 1 };
    let mut end = last + 1;
    while end < n
        && end - last <= allowed
        && matches!(paras[end].shape, Shape::Prose | Shape::Question)
    {
        end += 1;
    }
    let tail_is_page = end < paras.len();

    // The intro: prose just before the interview, over captions, teasers,
    // date lines, bylines, fields and one- or two-word headings.
    let mut intro_from = start;
    let mut i = start;
    while i > 0 {
        i -= 1;
        match &paras[i].shape {
            Shape::Prose | Shape::Question => intro_from = i,
            Shape::Teaser
            | Shape::Caption
            | Shape::DateLine(_)
            | Shape::Byline(_)
            | Shape::Field
            | Shape::Credit => {}
            Shape::Heading if words(&paras[i].text) <= 2 => {}
            _ => break,
        }
    }
    let head_stop = i;
    let head_is_page = start > 0 && paras[..start].iter().any(|p| p.shape != Shape::Prose);
    if !head_is_page && !tail_is_page {
        return None;
    }

    let mut page = Page {
        lines: paras[start].line..paras[end - 1].end,
        ..Page::default()
    };
    // Metadata from the head of the page and the credit lines.
    // The date line nearest the interview (related links above carry dates too).
    for p in paras[head_stop.saturating_sub(8)..start].iter().rev() {
        match &p.shape {
            Shape::DateLine(iso) if page.date.is_none() => page.date = Some(iso.clone()),
            Shape::Byline(name) => {
                // `By Ann Lee | 3 May 2020`.
                if page.date.is_none() {
                    page.date = dates::find(&p.text).map(|d| d.0);
                }
                page.author.get_or_insert_with(|| name.clone());
            }
            Shape::Teaser if page.description.is_none() => {
                page.description = Some(description(&p.text))
            }
            _ => {}
        }
    }
    for p in &paras[end..] {
        if p.shape == Shape::Credit {
            let (publisher, author) = credit(&p.text);
            page.publisher = page.publisher.take().or(publisher);
            page.author = page.author.take().or(author);
            break;
        }
    }
    // The title: the heading-like line before the intro that shares most
    // words with what was said.
    // What was said: the intro's and the turns' words, not labels or captions.
    let said: std::collections::HashSet<String> = paras[intro_from..end]
        .iter()
        .zip(&labels[intro_from..end])
        .filter(|(p, _)| matches!(p.shape, Shape::Prose | Shape::Question | Shape::Turn(_)))
        .flat_map(|(p, label)| match (&p.shape, label) {
            (Shape::Turn(_), Some((_, rest))) => key_words(rest).collect::<Vec<_>>(),
            _ => key_words(&p.text).collect(),
        })
        .collect();
    let window = head_stop.saturating_sub(8)..=head_stop.min(start.saturating_sub(1));
    let mut best: Option<(usize, usize)> = None;
    if start > 0 {
        for j in window {
            let p = &paras[j];
            if p.shape != Shape::Heading || words(&p.text) < 3 {
                continue;
            }
            // The nearest line sharing two words or more with what was said
            // (a kicker or a menu above the title shares fewer or stands
            // farther); else the one sharing most.
            let shared = key_words(&p.text).filter(|w| said.contains(w)).count();
            let near = usize::from(shared >= 2);
            if shared > 0
                && best.is_none_or(|(s, _)| (near, shared) >= (usize::from(s >= 2), s) || near == 1)
            {
                best = Some((shared, j));
            }
        }
    }
    page.title = best.map(|(_, j)| paras[j].text.clone());

    // Every paragraph before the interview that is not intro, with why;
    // runs of the page's own lines (menus, headings) as one.
    let title_at = best.map(|(_, j)| j);
    let mut run: Option<(usize, usize, usize)> = None; // (line, paragraphs, words)
    let flush = |run: &mut Option<(usize, usize, usize)>, out: &mut Vec<(usize, usize, String)>| {
        if let Some((line, n, w)) = run.take() {
            out.push((
                line,
                w,
                format!(
                    "{n} paragraph{} of the page's own text before the interview ({w} words: menus, headings, fields) {} left out",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "is" } else { "are" }
                ),
            ));
        }
    };
    for (j, p) in paras[..start].iter().enumerate() {
        let w = crate::ingest::ledger::words(&p.text);
        let why = match &p.shape {
            _ if Some(j) == title_at => Some(format!("read as the title ({w} words)")),
            Shape::Prose | Shape::Question if j >= intro_from => {
                page.intro.push(p.text.clone());
                flush(&mut run, &mut page.left_out);
                continue;
            }
            Shape::DateLine(iso) if page.date.as_deref() == Some(iso.as_str()) => {
                Some(format!("a date line, read as the date {iso} ({w} words)"))
            }
            Shape::Byline(name) if page.author.as_deref() == Some(name.as_str()) => {
                Some(format!("a byline, read as the author {name} ({w} words)"))
            }
            Shape::Teaser => Some(format!(
                "a summary cut short (\"...\", {w} words): read as the description, left out of the intro"
            )),
            Shape::Caption => Some(format!("a picture's caption or credit ({w} words): left out")),
            _ => None,
        };
        match why {
            Some(why) => {
                flush(&mut run, &mut page.left_out);
                page.left_out.push((p.line, w, why));
            }
            None => match &mut run {
                Some((_, n, total)) => {
                    *n += 1;
                    *total += w;
                }
                None => run = Some((p.line, 1, w)),
            },
        }
    }
    flush(&mut run, &mut page.left_out);
    // Inside the interview: unlabelled questions and their answers,
    // captions, subheadings, and the page's lines (link boxes).
    let asker = (start..end).find_map(|i| match &paras[i].shape {
        Shape::Turn(l)
            if is_question(&paras[i].text) && !asked.get(i + 1).copied().unwrap_or(false) =>
        {
            Some(l.clone())
        }
        _ => None,
    });
    let interviewer = asker
        .clone()
        .or_else(|| page.author.clone())
        .unwrap_or_else(|| "Interviewer".into());
    let answer_labels: Vec<String> = (start..end)
        .filter_map(|i| match &paras[i].shape {
            Shape::Turn(l) if !l.eq_ignore_ascii_case(&interviewer) => Some(l.clone()),
            _ => None,
        })
        .collect();
    let mut answerer = answer_labels.first().cloned();
    if let Some(q) = (start..end).find(|&i| asked[i]) {
        let line = paras[q].line;
        if asker.is_none() {
            page.unsure.push((
                line,
                match &page.author {
                    Some(a) => format!("the questions carry no label: they are taken to be asked by {a}, the page's author"),
                    None => "the questions carry no label and the page names no author: they are shown as asked by \"Interviewer\"".into(),
                },
            ));
        }
        if answerer.is_none() {
            let name = page.interviewee_from(&paras, intro_from, start, &interviewer);
            page.unsure.push((
                line,
                format!("the answers carry no label: they are taken to be said by {name}, whom the title or the intro names most"),
            ));
            answerer = Some(name);
        }
    }
    for i in start..end {
        let p = &paras[i];
        let next_opens = i + 1 < n && opens(i + 1);
        let after_question = i > 0 && asked[i - 1];
        match &p.shape {
            Shape::Turn(l) if !l.eq_ignore_ascii_case(&interviewer) => {
                answerer = Some(l.clone());
            }
            Shape::Turn(_) => {}
            _ if asked[i] => {
                if asker.is_none() {
                    page.interviewer = Some(interviewer.clone());
                }
                page.rewrites
                    .push((p.line, Rewrite::SaidBy(interviewer.clone())));
            }
            Shape::Caption | Shape::Credit | Shape::Byline(_) => page.drop(
                p,
                "a picture's caption or credit inside the interview",
            ),
            _ if after_question => {
                if let Some(a) = &answerer {
                    page.rewrites.push((p.line, Rewrite::SaidBy(a.clone())));
                }
            }
            Shape::Heading if words(&p.text) <= 12 && next_opens => {
                page.rewrites.push((p.line, Rewrite::Section));
            }
            Shape::Heading => page.drop(
                p,
                "a line with no closing punctuation inside the interview, read as the page's (a caption, a link, a box's title)",
            ),
            _ => {}
        }
    }
    if end < paras.len() {
        let w: usize = paras[end..]
            .iter()
            .map(|p| crate::ingest::ledger::words(&p.text))
            .sum();
        let opening: String = paras[end].text.chars().take(60).collect();
        page.left_out.push((
            paras[end].line,
            w,
            format!(
                "the interview is taken to end before {opening:?}: {} paragraph{} ({w} words) after the last answer {} left out as the page's own text",
                paras.len() - end,
                if paras.len() - end == 1 { "" } else { "s" },
                if paras.len() - end == 1 { "is" } else { "are" },
            ),
        ));
    }
    page.left_out.sort_by_key(|l| l.0);
    Some(page)
}

impl Page {
    /// Leaves paragraph `p` of the interview out, saying what it is.
    fn drop(&mut self, p: &Paragraph, what: &str) {
        let n = crate::ingest::ledger::words(&p.text);
        self.rewrites.push((p.line, Rewrite::Drop));
        self.left_out
            .push((p.line, n, format!("{what} ({n} words): left out")));
    }

    /// Who gives the unlabelled answers: the name the title or the intro
    /// gives most often (two or three capitalized words), not the asker.
    fn interviewee_from(
        &self,
        paras: &[Paragraph],
        intro_from: usize,
        start: usize,
        interviewer: &str,
    ) -> String {
        let mut counts: Vec<(String, usize)> = Vec::new();
        let texts = self.title.iter().map(String::as_str).chain(
            paras[intro_from.saturating_sub(3)..start]
                .iter()
                .filter(|p| matches!(p.shape, Shape::Prose | Shape::Caption))
                .map(|p| p.text.as_str()),
        );
        for text in texts {
            for name in super::article::names_in(text) {
                // `Rodrigo Castañeda, representative of ...` opening a
                // paragraph or caption introduces a person.
                let introduced = text.starts_with(&format!("{name},"));
                if name.eq_ignore_ascii_case(interviewer)
                    || self
                        .author
                        .as_deref()
                        .is_some_and(|a| a.eq_ignore_ascii_case(&name))
                {
                    continue;
                }
                let weight = if introduced { 3 } else { 1 };
                match counts.iter_mut().find(|(n, _)| *n == name) {
                    Some(c) => c.1 += weight,
                    None => counts.push((name, weight)),
                }
            }
        }
        counts
            .into_iter()
            .max_by_key(|c| c.1)
            .map_or_else(|| "Interviewee".to_string(), |c| c.0)
    }
}

/// Lower-case words of four letters or more.
fn key_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
}

/// The first sentences of a summary, up to about 300 characters.
fn description(text: &str) -> String {
    let mut out = String::new();
    for sentence in text.split_inclusive(". ") {
        if !out.is_empty() && out.len() + sentence.len() > 300 {
            break;
        }
        if sentence.trim_end().ends_with("...") || sentence.trim_end().ends_with('…') {
            break;
        }
        out.push_str(sentence);
    }
    out.trim().to_string()
}

/// Publisher and author from a credit line: `This article is from WeChat
/// public account "Tencent Technology," author: Su Yang.` gives "Tencent
/// Technology (WeChat public account)" and "Su Yang".
fn credit(text: &str) -> (Option<String>, Option<String>) {
    let lower = text.to_lowercase();
    let mut author = None;
    let mut body = text.to_string();
    for key in [
        "author:",
        "autore:",
        "auteur :",
        "auteur:",
        "autor:",
        "作者：",
    ] {
        if let Some(at) = lower.find(key) {
            let name = text[at + key.len()..]
                .trim()
                .trim_end_matches(['.', ')'])
                .split([',', ';', '|'])
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            if !name.is_empty() && words(&name) <= 5 {
                author = Some(name);
            }
            body = text[..at]
                .trim_end()
                .trim_end_matches([',', ';', '—', '-'])
                .to_string();
            break;
        }
    }
    // What the text comes from: after the opening's "from"/"by"/":".
    let lower_body = body.to_lowercase();
    let from = [" from ", " by ", ":"]
        .iter()
        .filter_map(|k| lower_body.find(k).map(|i| i + k.len()))
        .min();
    let Some(from) = from else {
        return (None, author);
    };
    let rest = body[from..].trim().trim_end_matches('.');
    let quoted = ['"', '“', '«', '「'].iter().find_map(|open| {
        let a = rest.find(*open)?;
        let after = &rest[a + open.len_utf8()..];
        let b = after.find(['"', '”', '»', '」'])?;
        Some((
            a,
            after[..b].trim().trim_end_matches([',', '.']).to_string(),
        ))
    });
    let publisher = match quoted {
        Some((at, name)) if !name.is_empty() => {
            let kind = rest[..at].trim();
            if words(kind) >= 2 {
                format!("{name} ({kind})")
            } else {
                name
            }
        }
        _ => rest.trim_end_matches([',', '.']).to_string(),
    };
    let publisher = (!publisher.is_empty() && words(&publisher) <= 10).then_some(publisher);
    (publisher, author)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_lines_give_publisher_and_author() {
        assert_eq!(
            credit("This article is from WeChat public account \"Tencent Technology,\" author: Su Yang."),
            (
                Some("Tencent Technology (WeChat public account)".to_string()),
                Some("Su Yang".to_string())
            )
        );
        assert_eq!(
            credit("This interview was originally published by The Paris Review."),
            (Some("The Paris Review".to_string()), None)
        );
    }

    #[test]
    fn a_page_around_an_interview() {
        let text = "Home\n\nNews\n\nSport\n\nAda King on Boats and the River\n\n\
            By Bea Cole | 3 May 2020\n\n\
            We talked to Ada King, who builds boats, about her work and the river she lives by.\n\n\
            Ada King on her boat. Photo: Bea Cole\n\n\
            Where did you start?\n\n\
            King: In a shed by the river, a long time ago, with my father.\n\n\
            He taught me all of it, the wood and the tools.\n\n\
            And now?\n\n\
            King: Now I have a yard, and twelve people work there with me.\n\n\
            It is a good life.\n\n\
            Related articles\n\n\
            Ten boats you must see, and why they matter so much to the people who sail them.\n";
        let page = read(text).expect("a page");
        assert_eq!(
            page.title.as_deref(),
            Some("Ada King on Boats and the River")
        );
        assert_eq!(page.date.as_deref(), Some("2020-05-03"));
        assert_eq!(page.author.as_deref(), Some("Bea Cole"));
        assert_eq!(page.intro.len(), 1);
        assert_eq!(page.interviewer.as_deref(), Some("Bea Cole"));
        let body: Vec<&str> = text.lines().collect();
        assert_eq!(body[page.lines.start], "Where did you start?");
        assert_eq!(body[page.lines.end - 1], "It is a good life.");
        assert!(
            page.left_out.iter().any(|l| l.2.contains("caption")),
            "{page:?}"
        );
        assert!(
            page.left_out
                .iter()
                .any(|l| l.2.contains("taken to end before \"Related")),
            "{page:?}"
        );
    }

    #[test]
    fn a_transcript_with_nothing_around_it_is_not_a_page() {
        assert_eq!(read("Q: Where?\n\nA: Here.\n\nQ: When?\n\nA: Now.\n"), None);
        assert_eq!(
            read(
                "An intro that says who is talking, and where they are.\n\nQ: Where?\n\nA: Here.\n"
            ),
            None
        );
    }
}
