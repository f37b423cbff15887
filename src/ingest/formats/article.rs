//! Interview pages saved from a browser (`.html`): a published Q&A read with
//! a real HTML5 parser (html5ever, through `scraper`). The main content is
//! found the way Readability finds it ([`content`]), the page's title, date,
//! author and publisher from its metadata ([`meta`]); then, in the content,
//! the interview:
//!
//! - labels in the forms interviews are printed in: `Q:`/`A:`, `Name:` in
//!   bold or plain, `SURNAME:`, a label inside a bold question (`**L.A.
//!   WEEKLY: What ...?**`);
//! - questions printed in bold, or as headings, without a label (dialogue
//!   dashes included: `—¿...?`): asked by the page's author when no question
//!   carries a label;
//! - unlabelled answers: said by whoever answered last, else the person the
//!   page's pull quotes or title name, else "Interviewee" (with a warning);
//! - text before the first question is the intro;
//! - where answers are labelled one paragraph each, what follows the last
//!   labelled answer (a closing call to action, a bold "Interested in ...?"
//!   box) is left out, with a warning; so is a closing note in italics.
//!
//! Pages with the Podcasting 2.0 structure (`<cite>` names and `<time>`
//! stamps) go to [`super::podcast_html`] instead ([`is_podcast_transcript`]).

pub mod content;
pub mod meta;

use crate::diagnostic::Diagnostic;
use crate::ingest::frontmatter::{DateValue, FrontMatter, OneOrMany};
use crate::ingest::normalize::{Normalized, Origin};
use crate::ingest::people::People;
use crate::ingest::sidecar::Sidecar;
use crate::ingest::speech::SpeechBuilder;
use crate::model::Source;
use content::Block;
use meta::PageMeta;

/// True when the page has the Podcasting 2.0 HTML structure: a `<cite>` and
/// a `<time>` whose text is a time stamp (`0:53`), not a date.
pub fn is_podcast_transcript(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    if !lower.contains("<cite") {
        return false;
    }
    let mut at = 0;
    while let Some(open) = lower[at..].find("<time").map(|i| at + i) {
        let Some(end) = lower[open..].find('>').map(|i| open + i + 1) else {
            return false;
        };
        let close = lower[end..].find("</time").map_or(lower.len(), |i| end + i);
        let text = lower[end..close].trim();
        if !text.is_empty()
            && text.len() <= 12
            && text.contains(':')
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b':' || b == b'.')
        {
            return true;
        }
        at = close.max(end);
    }
    false
}

/// One turn as found, before the builder.
#[derive(Debug, Clone)]
struct Found {
    label: String,
    /// (text, the paragraph is all in italics).
    paragraphs: Vec<(String, bool)>,
    question: bool,
    labelled: bool,
    /// A heading that comes before this turn and starts a section.
    section: Option<String>,
}

/// What one block of the content is.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// A speaker label and the text after it; `bold` when the label is.
    Labelled {
        label: String,
        rest: String,
        bold: bool,
    },
    /// A question with no label.
    Question,
    Heading,
    Plain,
}

/// A speaker label: one to five words, each capitalized (or a particle),
/// letters, dots, hyphens and apostrophes only (`Prof. Carlos`, `L.A.
/// WEEKLY`, `Q`).
pub(crate) fn name_like(label: &str) -> bool {
    const PARTICLES: [&str; 14] = [
        "van", "von", "de", "der", "den", "da", "di", "du", "del", "la", "le", "dos", "das", "y",
    ];
    let label = label.trim();
    let words: Vec<&str> = label.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 5
        && label.chars().count() <= 40
        && label
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '-' | '\'' | '’'))
        && words[0].chars().next().is_some_and(char::is_uppercase)
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()) || PARTICLES.contains(w))
}

fn is_question_text(text: &str) -> bool {
    text.contains(['?', '？', '¿'])
}

/// A block that asks: bold all through, or a heading, with a question mark.
fn asks(block: &Block, text: &str) -> bool {
    is_question_text(text)
        && text.chars().count() <= 700
        && (block.bold_share() >= 0.8 || block.heading.is_some_and(|l| l >= 2))
}

/// The label a block opens with, if any: bold (`**Name:** text`,
/// `**Name: question?**`, `**Name**: text`) or plain (`Name: text`).
fn label_of(block: &Block, text: &str) -> Option<(String, String, bool)> {
    let (bold, after) = block.bold_prefix();
    if !bold.is_empty() {
        let split = match bold.find(':') {
            Some(i) => Some((bold[..i].to_string(), format!("{} {after}", &bold[i + 1..]))),
            None => after
                .strip_prefix(':')
                .map(|rest| (bold.clone(), rest.to_string())),
        };
        if let Some((label, rest)) = split {
            let rest = rest.trim().to_string();
            if labelish(&label) && !rest.is_empty() {
                return Some((crate::ingest::roles::base(&label).to_string(), rest, true));
            }
        }
    }
    let colon = text.find(':')?;
    let (label, rest) = (&text[..colon], text[colon + 1..].trim());
    (labelish(label) && !rest.is_empty() && colon <= 40).then(|| {
        (
            crate::ingest::roles::base(label).to_string(),
            rest.to_string(),
            false,
        )
    })
}

/// A name, or a numbered role label (`Frage 1`, `Q12`).
fn labelish(label: &str) -> bool {
    name_like(label) || crate::ingest::roles::base(label) != label.trim()
}

/// Names of two or three capitalized words in `text` (`François Héran`).
pub(crate) fn names_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, out: &mut Vec<String>| {
        if (2..=3).contains(&run.len()) {
            out.push(run.join(" "));
        }
        run.clear();
    };
    for word in text.split_whitespace() {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric());
        let capital = w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().skip(1).any(char::is_lowercase)
            && w.chars().all(|c| c.is_alphabetic() || c == '-');
        if capital {
            run.push(w);
        } else {
            flush(&mut run, &mut out);
        }
        if word.ends_with([',', '.', ';', ':', '»', '«', '"', '”', ')']) {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Where `text` is in the page's source, for a warning's caret.
fn locate(d: Diagnostic, origin: &Origin, text: &str) -> Diagnostic {
    let probe: String = text.chars().take(30).collect();
    match origin
        .text
        .find(probe.trim())
        .filter(|_| !probe.trim().is_empty())
    {
        Some(i) => d.at(origin.text, i..i + probe.trim().len()),
        None => d,
    }
}

/// How deep a page may nest its elements. The HTML5 tree builder looks
/// through the open elements at each start tag, so its time grows with the
/// depth times the number of tags; browsers stop nesting at 512 (Chromium's
/// parser) and real pages stay far below.
pub const MAX_DEPTH: usize = 1024;

/// How deep the page's elements nest, roughly: start tags less end tags,
/// leaving out void elements, elements whose end tag may be left out
/// (`<p>`, `<li>`, table cells), and the text of scripts, styles and
/// comments. One pass over the bytes, before the parser is run.
pub fn nesting_depth(html: &str) -> usize {
    const VOID: [&str; 16] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param", "keygen", "frame",
    ];
    const OPTIONAL_END: [&str; 18] = [
        "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot",
        "colgroup", "caption", "rb", "rt", "rtc", "rp",
    ];
    const RAW: [&str; 6] = ["script", "style", "textarea", "title", "xmp", "noscript"];
    let lower = html.to_ascii_lowercase();
    let bytes = html.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let mut deepest = 0;
    let mut at = 0;
    while let Some(open) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        let rest = &html[open + 1..];
        if rest.starts_with("!--") {
            at = rest.find("-->").map_or(bytes.len(), |i| open + 1 + i + 3);
            continue;
        }
        let end_tag = rest.starts_with('/');
        let name_start = open + 1 + usize::from(end_tag);
        let name: String = html[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let Some(close) = memchr::memchr(b'>', &bytes[name_start..]).map(|i| name_start + i) else {
            break;
        };
        at = close + 1;
        if name.is_empty() || VOID.contains(&name.as_str()) || OPTIONAL_END.contains(&name.as_str())
        {
            continue;
        }
        if end_tag {
            if let Some(i) = stack.iter().rev().take(16).position(|n| *n == name) {
                stack.truncate(stack.len() - 1 - i);
            }
            continue;
        }
        if bytes[close - 1] == b'/' {
            continue;
        }
        if RAW.contains(&name.as_str()) {
            let end = format!("</{name}");
            at = lower[at..].find(&end).map_or(bytes.len(), |i| at + i);
            continue;
        }
        stack.push(name);
        deepest = deepest.max(stack.len());
    }
    deepest
}

/// Parses a saved interview page.
pub fn parse(origin: &Origin, sidecar: Sidecar) -> Result<Normalized, Vec<Diagnostic>> {
    let depth = nesting_depth(origin.text);
    if depth > MAX_DEPTH {
        return Err(vec![Diagnostic::error(
            origin.path,
            format!(
                "the page nests its elements about {depth} deep; verbatim reads pages nested at most {MAX_DEPTH} deep (browsers stop nesting at 512)"
            ),
        )
        .help("save the page again from a browser, or copy the interview into a .txt file with Name: labels")]);
    }
    let doc = scraper::Html::parse_document(origin.text);
    let page = meta::read(&doc);
    let content = content::read(&doc);
    drop(doc);
    let mut warnings = Vec::new();
    let found = interview(&content, &page, origin, &mut warnings)?;
    warnings.extend(left_out_of_content(&content, origin));
    let Interview {
        intro,
        turns,
        interviewer_from_byline,
        interviewee,
    } = found;
    let mut fm = FrontMatter {
        title: page.title.clone(),
        date: page.date.clone().map(DateValue::Text),
        language: page.language.clone(),
        ..FrontMatter::default()
    };
    let source = Source {
        publisher: page.publisher.clone(),
        author: page.author.clone(),
        url: page.url.clone(),
        ..Source::default()
    };
    if !source.is_empty() {
        fm.source = Some(source);
    }
    if let Some(name) = interviewer_from_byline {
        fm.interviewer = Some(OneOrMany::One(name));
    }
    if let Some(name) = interviewee {
        fm.interviewee = Some(OneOrMany::One(name));
    }
    // An archive's header before the talk (`INTERVIEWEE:`, `DATE:`), as a
    // word processor's transcript carries it, is metadata, not intro.
    let intro: Vec<&String> = intro
        .iter()
        .filter(|p| !super::plaintext::read_header_line(&mut fm, p))
        .collect();
    let people = People::new(fm, &sidecar);
    let mut builder =
        SpeechBuilder::new(sidecar.chapters, &people.default_label()).keep_paragraphs();
    for paragraph in intro {
        builder.intro(paragraph);
    }
    for turn in &turns {
        if let Some(title) = &turn.section {
            builder.section(None, title);
        }
        for (i, (text, _)) in turn.paragraphs.iter().enumerate() {
            builder.paragraph_break();
            builder.speak((i == 0).then_some(turn.label.as_str()), None, text);
        }
    }
    let (transcript, mut found) = people.normalize(builder.finish(), origin)?;
    found.extend(warnings);
    Ok((transcript, found))
}

/// One warning for what the content finder left out inside the main
/// content (figures and captions, pull quotes, boxes of links), by kind.
fn left_out_of_content(content: &content::Content, origin: &Origin) -> Option<Diagnostic> {
    let first = content.left_out.first()?;
    let mut kinds: Vec<(&str, usize, usize)> = Vec::new();
    for (what, words, _) in &content.left_out {
        match kinds.iter_mut().find(|k| k.0 == *what) {
            Some(k) => {
                k.1 += 1;
                k.2 += words;
            }
            None => kinds.push((what, 1, *words)),
        }
    }
    let total: usize = kinds.iter().map(|k| k.2).sum();
    let list: Vec<String> = kinds
        .iter()
        .map(|(what, n, w)| format!("{what} ×{n} ({w} words)"))
        .collect();
    Some(
        locate(
            Diagnostic::warning(
                origin.path,
                format!(
                    "inside the page's main content, what is not the interview's text is left out ({total} words): {}",
                    list.join(", ")
                ),
            ),
            origin,
            &first.2,
        )
        .leaving_out(total)
        .help("if a part of it was said, copy the interview into a .txt file with Name: labels and import that"),
    )
}

struct Interview {
    intro: Vec<String>,
    turns: Vec<Found>,
    /// The page's author, who asks the unlabelled questions.
    interviewer_from_byline: Option<String>,
    /// Who gives the unlabelled answers, when the page names them.
    interviewee: Option<String>,
}

fn interview(
    content: &content::Content,
    page: &PageMeta,
    origin: &Origin,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Interview, Vec<Diagnostic>> {
    let blocks = &content.blocks;
    let texts: Vec<String> = blocks.iter().map(Block::text).collect();
    let labels: Vec<Option<(String, String, bool)>> = blocks
        .iter()
        .zip(&texts)
        .map(|(b, t)| label_of(b, t))
        .collect();
    let asking: Vec<bool> = blocks.iter().zip(&texts).map(|(b, t)| asks(b, t)).collect();
    // Which labels are speakers: a bold one that recurs or stands at a
    // question; a plain one that answers a question (so `IG: @name` lines
    // and `Note:` are text), or a role label that recurs.
    let count = |label: &str| {
        labels
            .iter()
            .flatten()
            .filter(|(l, _, _)| l.eq_ignore_ascii_case(label))
            .count()
    };
    let mut accepted: Vec<String> = Vec::new();
    let is_accepted =
        |accepted: &[String], label: &str| accepted.iter().any(|a| a.eq_ignore_ascii_case(label));
    // A plain label may also follow another speaker's labelled turn
    // (`Rick: ...` then `Marissa: ...`): repeated until nothing changes.
    loop {
        let before = accepted.len();
        for (i, found) in labels.iter().enumerate() {
            let Some((label, _, bold)) = found else {
                continue;
            };
            if is_accepted(&accepted, label) {
                continue;
            }
            let after_question = i > 0 && asking[i - 1];
            let after_other = i > 0
                && labels[i - 1].as_ref().is_some_and(|(l, _, _)| {
                    !l.eq_ignore_ascii_case(label) && is_accepted(&accepted, l)
                });
            let role = crate::ingest::roles::role(label).is_some();
            // Two plain labels that each recur and take turns (`COLE:` /
            // `KING:`, as a word processor's transcript prints them).
            let alternates = count(label) >= 2
                && labels[i + 1..]
                    .iter()
                    .flatten()
                    .next()
                    .is_some_and(|(next, _, _)| {
                        !next.eq_ignore_ascii_case(label) && count(next) >= 2
                    });
            let ok = if *bold {
                count(label) >= 2 || asking[i] || after_question || after_other
            } else {
                after_question || after_other || (role && count(label) >= 2) || alternates
            };
            if ok {
                accepted.push(label.clone());
            }
        }
        if accepted.len() == before {
            break;
        }
    }
    // Plain labels that answer a question accept their other occurrences
    // too; a block whose label is not accepted is text.
    let kinds: Vec<Kind> = (0..blocks.len())
        .map(|i| match &labels[i] {
            Some((label, rest, bold)) if accepted.iter().any(|a| a.eq_ignore_ascii_case(label)) => {
                Kind::Labelled {
                    label: label.clone(),
                    rest: rest.clone(),
                    bold: *bold,
                }
            }
            _ if asking[i] => Kind::Question,
            _ if blocks[i].heading.is_some() => Kind::Heading,
            _ => Kind::Plain,
        })
        .collect();
    let Some(start) = kinds
        .iter()
        .position(|k| matches!(k, Kind::Labelled { .. } | Kind::Question))
    else {
        return Err(vec![Diagnostic::error(
            origin.path,
            "no interview found in the page: no labelled turns (Name: ...), bold questions or question headings in its main content",
        )
        .help("save the page with its interview, or copy the interview into a .txt file with Name: labels")]);
    };
    // Headings shaped like the questions (an `<h4>` in bold) ask too, with
    // or without a question mark ("Website and social media, please!").
    let question_shapes: Vec<(u8, bool)> = (0..blocks.len())
        .filter(|&i| asking[i] && blocks[i].heading.is_some())
        .map(|i| {
            (
                blocks[i].heading.unwrap_or(0),
                blocks[i].bold_share() >= 0.8,
            )
        })
        .collect();
    let mut kinds = kinds;
    for i in start..blocks.len() {
        if kinds[i] == Kind::Heading {
            let shape = (
                blocks[i].heading.unwrap_or(0),
                blocks[i].bold_share() >= 0.8,
            );
            if question_shapes.contains(&shape) {
                kinds[i] = Kind::Question;
            }
        }
    }
    // Who asks the unlabelled questions: the label of a labelled question,
    // a role label, else the page's author.
    let unlabelled_questions = kinds[start..]
        .iter()
        .filter(|k| **k == Kind::Question)
        .count();
    let mut interviewer: Option<String> = (start..blocks.len()).find_map(|i| match &kinds[i] {
        Kind::Labelled { label, rest, .. }
            if asking[i] || is_question_text(rest) && blocks[i].bold_share() >= 0.8 =>
        {
            Some(label.clone())
        }
        _ => None,
    });
    if interviewer.is_none() {
        interviewer = accepted
            .iter()
            .find(|l| crate::ingest::roles::role(l) == Some(crate::model::Role::Interviewer))
            .cloned();
    }
    let mut from_byline = None;
    if interviewer.is_none() && unlabelled_questions > 0 {
        match &page.author {
            Some(author) => {
                interviewer = Some(author.clone());
                from_byline = Some(author.clone());
                warnings.push(
                    Diagnostic::warning(
                        origin.path,
                        format!(
                            "the questions carry no label: {unlabelled_questions} questions printed in bold or as headings are taken to be asked by {author}, the page's author"
                        ),
                    )
                    .help("if someone else asks, set the interviewer in a sidecar (interviewer = \"Name\")"),
                );
            }
            None => {
                interviewer = Some("Interviewer".to_string());
                warnings.push(
                    Diagnostic::warning(
                        origin.path,
                        "the questions carry no label and the page names no author: they are shown as asked by \"Interviewer\"",
                    )
                    .help("set the interviewer in a sidecar (interviewer = \"Name\")"),
                );
            }
        }
    }
    let is_interviewer = |label: &str| {
        interviewer
            .as_deref()
            .is_some_and(|i| i.eq_ignore_ascii_case(label))
    };
    // Who gives unlabelled answers before any labelled one.
    let answer_labels: Vec<&String> = accepted.iter().filter(|l| !is_interviewer(l)).collect();
    let mut interviewee: Option<String> = None;
    let asked = |k: &Kind| match k {
        Kind::Question => true,
        Kind::Labelled { label, .. } => is_interviewer(label),
        _ => false,
    };
    let needs_answerer =
        (start..blocks.len()).any(|i| kinds[i] == Kind::Plain && i > 0 && asked(&kinds[i - 1]));
    let mut default_answerer = answer_labels.first().map(|l| l.to_string());
    if needs_answerer && answer_labels.is_empty() {
        let mut quoted: Vec<(usize, &String)> = Vec::new();
        for q in &content.quoted {
            let n = content.quoted.iter().filter(|x| *x == q).count();
            if !quoted.iter().any(|(_, x)| *x == q) {
                quoted.push((n, q));
            }
        }
        quoted.sort_by_key(|q| std::cmp::Reverse(q.0));
        let not_author = |n: &String| {
            page.author.as_deref() != Some(n.as_str())
                && page
                    .publisher
                    .as_deref()
                    .is_none_or(|p| !p.contains(n.as_str()))
        };
        let intro_text: String = texts[..start].join(" ");
        let named = quoted
            .iter()
            .map(|(_, n)| (*n).clone())
            .find(|n| n.split_whitespace().count() >= 2 && not_author(n))
            .map(|n| (n, "a pull quote"))
            .or_else(|| {
                page.title.as_deref().and_then(|t| {
                    names_in(t)
                        .into_iter()
                        .find(|n| not_author(n) && intro_text.contains(n.as_str()))
                        .or_else(|| names_in(t).into_iter().find(not_author))
                        .map(|n| (n, "the title"))
                })
            })
            .or_else(|| {
                names_in(&intro_text)
                    .into_iter()
                    .find(not_author)
                    .map(|n| (n, "the introduction"))
            });
        match named {
            Some((name, by)) => {
                warnings.push(
                    Diagnostic::warning(
                        origin.path,
                        format!("the answers carry no label: they are taken to be said by {name}, whom {by} names"),
                    )
                    .help("if someone else answers, set the interviewee in a sidecar (interviewee = \"Name\")"),
                );
                interviewee = Some(name.clone());
                default_answerer = Some(name);
            }
            None => {
                warnings.push(
                    Diagnostic::warning(
                        origin.path,
                        "the answers carry no label and the page names nobody they could be by: they are shown as said by \"Interviewee\"",
                    )
                    .help("set the interviewee in a sidecar (interviewee = \"Name\")"),
                );
                default_answerer = Some("Interviewee".to_string());
            }
        }
    }
    let title_key = page.title.as_deref().map(str::to_lowercase);
    let mut intro: Vec<String> = Vec::new();
    // Headings before the interview, the title printed again and a byline
    // line (`Mittwoch, 01.11.2023 von MORITZ PAPPERT`) are the page's: the
    // source holds them already.
    let mut not_intro = (0, 0, None);
    for i in 0..start {
        let t = &texts[i];
        let heading = kinds[i] == Kind::Heading || blocks[i].heading.is_some();
        let title = Some(t.to_lowercase()) == title_key;
        let byline = page.author.as_deref().is_some_and(|a| {
            t.chars().count() <= 120 && t.to_lowercase().contains(&a.to_lowercase())
        });
        if heading || title || byline {
            not_intro.0 += 1;
            not_intro.1 += crate::ingest::ledger::words(t);
            not_intro.2.get_or_insert_with(|| t.clone());
        } else {
            intro.push(t.clone());
        }
    }
    if let (n, words, Some(first)) = not_intro {
        warnings.push(
            locate(
                Diagnostic::warning(
                    origin.path,
                    format!(
                        "{n} heading{}, title or byline line{} before the interview ({words} words) {} left out of the intro: the page's title, date and author are in the front matter",
                        if n == 1 { "" } else { "s" },
                        if n == 1 { "" } else { "s" },
                        if n == 1 { "is" } else { "are" }
                    ),
                ),
                origin,
                &first,
            )
            .leaving_out(words),
        );
    }
    let mut turns: Vec<Found> = Vec::new();
    let mut answerer = default_answerer.clone();
    let mut section: Option<String> = None;
    for i in start..blocks.len() {
        let italic = blocks[i].italic_share() >= 0.9;
        match &kinds[i] {
            Kind::Labelled { label, rest, .. } => {
                let question = is_interviewer(label);
                if !question {
                    answerer = Some(label.clone());
                }
                turns.push(Found {
                    label: label.clone(),
                    paragraphs: vec![(rest.clone(), italic)],
                    question,
                    labelled: true,
                    section: section.take(),
                });
            }
            Kind::Question => match turns.last_mut() {
                Some(last) if last.question && !last.labelled && section.is_none() => {
                    last.paragraphs.push((texts[i].clone(), italic));
                }
                _ => turns.push(Found {
                    label: interviewer.clone().unwrap_or_else(|| "Interviewer".into()),
                    paragraphs: vec![(texts[i].clone(), italic)],
                    question: true,
                    labelled: false,
                    section: section.take(),
                }),
            },
            Kind::Heading => {
                section = Some(texts[i].clone());
            }
            Kind::Plain => match turns.last_mut() {
                Some(last) if !last.question && section.is_none() => {
                    last.paragraphs.push((texts[i].clone(), italic));
                }
                _ => turns.push(Found {
                    label: answerer
                        .clone()
                        .or_else(|| default_answerer.clone())
                        .unwrap_or_else(|| "Interviewee".into()),
                    paragraphs: vec![(texts[i].clone(), italic)],
                    question: false,
                    labelled: false,
                    section: section.take(),
                }),
            },
        }
    }
    trim_end(&mut turns, origin, warnings);
    if !content.left_out.is_empty() && turns.is_empty() {
        return Err(vec![Diagnostic::error(
            origin.path,
            "no interview found in the page's main content",
        )]);
    }
    Ok(Interview {
        intro,
        turns,
        interviewer_from_byline: from_byline,
        interviewee,
    })
}

/// The interview ends where it ends: with labelled answers of one paragraph
/// each, what follows the last labelled answer is the page's (a call to
/// action, a bold "Interested in ...?" box, "Posted by"); a closing paragraph
/// all in italics is an editor's note; a question nobody answers is not
/// part of the interview. Each cut is a warning.
fn trim_end(turns: &mut Vec<Found>, origin: &Origin, warnings: &mut Vec<Diagnostic>) {
    let mut cut: Vec<String> = Vec::new();
    if let Some(last) = turns.iter().rposition(|t| t.labelled && !t.question) {
        let answers: Vec<&Found> = turns[..last].iter().filter(|t| !t.question).collect();
        let labelled_mode = answers.len() >= 2 && answers.iter().all(|t| t.labelled);
        if labelled_mode {
            let most = answers
                .iter()
                .map(|t| t.paragraphs.len())
                .max()
                .unwrap_or(1);
            for t in turns.drain(last + 1..) {
                cut.extend(t.paragraphs.into_iter().map(|p| p.0));
            }
            let paragraphs = &mut turns[last].paragraphs;
            if paragraphs.len() > most {
                cut.extend(paragraphs.drain(most..).map(|p| p.0));
            }
        }
    }
    if let Some(last) = turns.last_mut() {
        while last.paragraphs.len() > 1 && last.paragraphs.last().is_some_and(|p| p.1) {
            cut.extend(last.paragraphs.pop().map(|p| p.0));
        }
    }
    while turns.len() > 1 && turns.last().is_some_and(|t| t.question) {
        if let Some(t) = turns.pop() {
            cut.extend(t.paragraphs.into_iter().map(|p| p.0));
        }
    }
    if let Some(first) = cut.first() {
        let words: usize = cut.iter().map(|p| crate::ingest::ledger::words(p)).sum();
        let opening: String = first.chars().take(60).collect();
        warnings.push(
            locate(
                Diagnostic::warning(
                    origin.path,
                    format!(
                        "the interview is taken to end before {opening:?}: {} paragraph{} ({words} words) after the last answer {} left out as the page's own text",
                        cut.len(),
                        if cut.len() == 1 { "" } else { "s" },
                        if cut.len() == 1 { "is" } else { "are" },
                    ),
                ),
                origin,
                first,
            )
            .leaving_out(words)
            .help("if it is part of the interview, copy the interview into a .txt file with Name: labels and import that"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::IngestOptions;
    use std::sync::Arc;

    fn read(html: &str) -> (crate::model::Transcript, Vec<Diagnostic>) {
        let text: Arc<str> = Arc::from(html);
        let origin = Origin {
            path: "a.html",
            text: &text,
            stem: "a",
            default_language: &IngestOptions::default().default_language,
            today: "2026-12-07",
            redact: true,
            words: &IngestOptions::default().words,
        };
        parse(&origin, Sidecar::default())
            .map_err(|e| format!("{e:?}"))
            .unwrap()
    }

    fn turns(t: &crate::model::Transcript) -> Vec<(String, String)> {
        t.turns()
            .map(|turn| {
                let who = t
                    .speaker(&turn.speaker)
                    .map_or(String::new(), |s| s.name.clone());
                (who, turn.text.to_string())
            })
            .collect()
    }

    #[test]
    fn nesting_is_measured_before_parsing() {
        assert_eq!(nesting_depth("<div><p>a<p>b<br><img src=x></div>"), 1);
        assert_eq!(
            nesting_depth("<script>var s = '<div><div>';</script><!-- <div> --><b><i>x</i></b>"),
            2
        );
        let deep = format!("{}x{}", "<div>".repeat(5000), "</div>".repeat(5000));
        assert_eq!(nesting_depth(&deep), 5000);
    }

    fn who(html: &str) -> Vec<String> {
        let (t, _) = read(html);
        turns(&t).into_iter().map(|(w, _)| w).collect()
    }

    #[test]
    fn labels_in_every_form() {
        // Q:/A: in bold, the role labels resolved to the page's people.
        let qa = "<html><body><div class=\"entry-content\"><p>An intro of the talk, long enough, with commas, to be content.</p>\
            <p><b>Q:</b> Where were you born, and when?</p><p><b>A:</b> In York, in 1950, by the sea.</p>\
            <p><b>Q:</b> And then?</p><p><b>A:</b> Then Leeds, for school, and work.</p></div></body></html>";
        assert_eq!(who(qa).len(), 4);
        // SURNAME: plain, a full name first and the surname after: one speaker.
        let surnames = "<html><body><article><p>An intro of the talk, long enough, with commas, to be content.</p>\
            <p><strong>Where were you born?</strong></p><p>KARIN FISCHER: In York, in 1950, by the sea.</p>\
            <p><strong>And then?</strong></p><p>FISCHER: Then Leeds, for school, and work, and more.</p></article></body></html>";
        let got = who(surnames);
        assert_eq!(got[1], got[3], "{got:?}");
        assert_eq!(got[1], "Karin Fischer");
        assert_eq!(got[0], "Interviewer");
    }

    /// A transcript saved as HTML from a word processor (Word's `MsoNormal`
    /// paragraphs, `NAME:` and a tab, an archive header): the header is
    /// metadata, the alternating plain labels are speakers, joined to the
    /// header's full names.
    #[test]
    fn word_processor_html_with_tabbed_labels() {
        let html = include_str!("../../../tests/fixtures/word-export.htm");
        let (t, _) = read(html);
        assert_eq!(t.title, "Oral History Interview with Ada King");
        assert_eq!(t.date.as_deref(), Some("2004-03-03"));
        let got = turns(&t);
        let who: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(who, ["Bea Cole", "Ada King", "Bea Cole", "Ada King"]);
        assert!(got[1].1.ends_with("with a boat shed behind it."), "{got:?}");
        assert!(!t.intro.contains("INTERVIEWEE"), "{}", t.intro);
    }

    #[test]
    fn numbered_question_labels_are_one_asker() {
        let page = "<html><head><title>Ein Gespräch mit Ada King</title></head><body><article>\
            <p>Wir sprachen mit Ada King, die Boote baut, über ihre Arbeit und ihr Leben am Fluss.</p>\
            <p><strong>Frage 1:</strong> Wie geht es Ihnen heute?</p><p>Gut, danke, es geht mir gut, wirklich.</p>\
            <p><strong>Frage 2:</strong> Und was machen Sie beruflich?</p><p>Ich baue Boote, seit vielen Jahren.</p>\
            </article></body></html>";
        assert_eq!(
            who(page),
            ["Interviewer", "Ada King", "Interviewer", "Ada King"]
        );
    }

    #[test]
    fn a_page_without_an_interview_is_refused() {
        let text: Arc<str> = Arc::from(
            "<html><body><article><p>Just an article, with commas, and no questions at all in it.</p></article></body></html>",
        );
        let origin = Origin {
            path: "a.html",
            text: &text,
            stem: "a",
            default_language: "en",
            today: "2026-12-07",
            redact: true,
            words: &IngestOptions::default().words,
        };
        let e = parse(&origin, Sidecar::default()).unwrap_err();
        assert!(e[0].message.contains("no interview found"), "{e:?}");
    }

    #[test]
    fn podcast_structure_is_told_from_a_blog() {
        assert!(is_podcast_transcript(
            "<cite>Ann:</cite>\n<time>0:05</time><p>x</p>"
        ));
        assert!(!is_podcast_transcript(
            "<cite class=fn>Ann</cite> says: <time datetime=\"2020-04-07\">April 7, 2020</time><p>x</p>"
        ));
    }

    #[test]
    fn bold_questions_are_the_authors_and_labels_answer() {
        let page = r#"<html><head><title>Talk - Site</title><meta property="og:site_name" content="Site">
            <meta name="author" content="Bea Cole"><meta property="article:published_time" content="2020-01-02T10:00:00Z"></head>
            <body><nav><a href="/">Home</a></nav><article class="post-content">
            <p>We talked to Ada King and Max Bauer, who make boats, about their work and their lives.</p>
            <p><strong>How did you start?</strong></p>
            <p>Ada: I started with a small boat, a long time ago, in a shed by the river.</p>
            <p>Bauer: I came later, after school, and we built the second one together.</p>
            <figure><img src="x.jpg"><figcaption>Ada: a boat, 2020</figcaption></figure>
            <p><strong>What next?</strong></p>
            <p>Ada: A bigger boat, with a sail, and a crew of three, and a dog.</p>
            <p><strong>Want more?</strong></p><p>Sign up for our newsletter, it is free.</p>
            </article><footer><p>Copyright, all rights, reserved, forever and ever and ever.</p></footer></body></html>"#;
        let (t, w) = read(page);
        assert_eq!(t.title, "Talk");
        let got = turns(&t);
        let who: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(
            who,
            ["Bea Cole", "Ada", "Bauer", "Bea Cole", "Ada"],
            "{got:?}"
        );
        assert!(got[4].1.ends_with("and a dog."), "{got:?}");
        assert!(
            w.iter().any(|d| d.message.contains("taken to end")),
            "{w:?}"
        );
    }

    #[test]
    fn question_headings_and_a_pull_quote_name_the_interviewee() {
        let page = r#"<html><head><title>Talk with Ada King</title><meta name="author" content="Bea Cole"></head><body><div class="entry-content">
            <p>An introduction to the talk, with some words, and commas, and more words to make it long.</p>
            <h3>Where were you born?</h3><p>In London, a long time ago, near the river.</p>
            <blockquote><p>Near the river.</p><cite>Ada King</cite></blockquote>
            <p>Then we moved, to Paris, and then to Rome.</p>
            <h3>And then?</h3><p>Then nothing, really, it was quiet.</p></div></body></html>"#;
        let (t, _) = read(page);
        let got = turns(&t);
        let who: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(
            who,
            ["Bea Cole", "Ada King", "Bea Cole", "Ada King"],
            "{got:?}"
        );
        assert!(!got[1].1.contains("Near the river."), "{got:?}");
        assert!(got[1].1.ends_with("then to Rome."), "{got:?}");
    }
}
