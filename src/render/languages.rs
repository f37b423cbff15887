//! What the pages of an interview in several languages show of the others:
//! the switch to the same page in each language (`languages` of the
//! templates) and the page that reads two of them side by side
//! (`parallel.html`). Which transcripts go together, and how their turns
//! and sections meet, is the site's ([`crate::site::translations`]).

use super::jobs::Job;
use super::views::TurnView;
use super::words::Words;
use crate::model::{Anchor, Exchange, Transcript, Turn};
use crate::site::translations::{aligned_section, aligned_turn};
use crate::site::urls::{parallel_url, section_url, transcript_url};
use crate::site::Site;
use serde::Serialize;
use std::collections::HashMap;

/// One language of the interview on the switch.
#[derive(Serialize)]
pub(super) struct LanguageLink {
    pub(super) lang: String,
    pub(super) dir: &'static str,
    /// The language's name in itself (`Deutsch`, `中文`).
    pub(super) name: String,
    /// The same page in that language, from the site root.
    pub(super) url: String,
    /// The page's own language.
    pub(super) current: bool,
    /// This page's turns that are another turn there (`t6:t5 t7:t5`), for
    /// the script that keeps a `#t…` across the switch; empty when the
    /// turns meet one for one.
    pub(super) turns: String,
    /// The page that reads this language beside the page's (empty for the
    /// page's own language and on a side-by-side page).
    pub(super) side_by_side: String,
}

/// The switch of the page of `job`: every language of its interview, in
/// the group's order (the original first), the page's own among them;
/// empty for a transcript in one language and for pages of no transcript.
pub(super) fn language_links(site: &Site, words: &Words, job: &Job) -> Vec<LanguageLink> {
    let (i, beside) = match *job {
        Job::Overview(i) | Job::Section(i, _) | Job::Full(i) => (i, None),
        Job::Parallel(i, o) => (i, Some(o)),
        _ => return Vec::new(),
    };
    let group = site.translations.of(i);
    let here = &site.transcripts[i];
    group
        .iter()
        .map(|&o| {
            let there = &site.transcripts[o];
            let url = match (job, beside) {
                (&Job::Section(_, s), _) if !there.sections.is_empty() => {
                    section_url(there, &there.sections[aligned_section(here, there, s)])
                }
                (&Job::Full(_), _) => transcript_url(there) + "full/",
                (_, Some(b)) if o == i => parallel_url(here, &site.transcripts[b]),
                // Another language beside this one: it on the left, so that
                // the page's other column swaps sides.
                (_, Some(_)) => parallel_url(there, here),
                _ => transcript_url(there),
            };
            LanguageLink {
                lang: there.language.clone(),
                dir: super::locale::direction(&there.language),
                name: words.language_name(&there.language),
                url,
                current: o == i,
                turns: if o == i {
                    String::new()
                } else {
                    // A section page's turns are its section's; the other
                    // pages' (overview, full, side by side) all of them.
                    match *job {
                        Job::Section(_, s) => turn_map(here.sections[s].turns(), here, there),
                        _ => turn_map(here.turns(), here, there),
                    }
                },
                side_by_side: match (job, beside) {
                    // From a section page, to that section beside the other.
                    (&Job::Section(_, s), None) if o != i => {
                        [&parallel_url(here, there), "#", &here.sections[s].slug].concat()
                    }
                    (_, None) if o != i => parallel_url(here, there),
                    _ => String::new(),
                },
            }
        })
        .collect()
}

/// The `turns` of `from` that are another turn of `to`, as `t6:t5 t7:t5`.
fn turn_map<'t>(
    turns: impl Iterator<Item = &'t Turn>,
    from: &Transcript,
    to: &Transcript,
) -> String {
    if from.align.is_empty() && to.align.is_empty() {
        return String::new();
    }
    let mut map = String::new();
    for turn in turns {
        let n = turn.id.number();
        let m = aligned_turn(from, to, n);
        if m != n {
            if !map.is_empty() {
                map.push(' ');
            }
            map.push_str(&format!("t{n}:t{m}"));
        }
    }
    map
}

/// The turns of an exchange, each with the `turn` macro's kind.
fn kinded(e: &Exchange) -> impl Iterator<Item = (&Turn, &'static str)> {
    let question = e.question.iter().map(|q| (q, "question"));
    question.chain(e.answers.iter().map(|a| (a, "answer")))
}

/// A transcript read beside another language of it, section by section
/// and turn by turn.
#[derive(Serialize)]
pub(super) struct ParallelView<'a> {
    /// The other transcript's language, title and URL.
    pub(super) lang: &'a str,
    pub(super) dir: &'static str,
    pub(super) name: String,
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) sections: Vec<ParallelSection<'a>>,
}

/// A section of the page's transcript, with the heading of the other's
/// section that starts beside it.
#[derive(Serialize)]
pub(super) struct ParallelSection<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) number: Option<&'a str>,
    pub(super) title: &'a str,
    pub(super) slug: &'a str,
    /// The other's section that starts here, when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) other: Option<OtherHeading<'a>>,
    pub(super) rows: Vec<ParallelRow<'a>>,
}

#[derive(Serialize)]
pub(super) struct OtherHeading<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) number: Option<&'a str>,
    pub(super) title: &'a str,
}

/// A turn of the page's transcript and the other's turns that render it
/// (none where the translation joined it into the turn before, several
/// where it split it).
#[derive(Serialize)]
pub(super) struct ParallelRow<'a> {
    pub(super) id: Anchor,
    pub(super) turn: TurnView<'a>,
    pub(super) kind: &'static str,
    pub(super) others: Vec<KindedTurn<'a>>,
}

#[derive(Serialize)]
pub(super) struct KindedTurn<'a> {
    pub(super) turn: TurnView<'a>,
    pub(super) kind: &'static str,
}

impl<'a> ParallelView<'a> {
    /// Transcript `i` beside transcript `o`.
    pub(super) fn new(site: &'a Site, words: &Words, i: usize, o: usize) -> Self {
        let (here, there) = (&site.transcripts[i], &site.transcripts[o]);
        // Each of the other's turns goes beside the turn of this one it meets.
        let mut beside: HashMap<u32, Vec<KindedTurn<'a>>> = HashMap::new();
        for e in there.sections.iter().flat_map(|s| &s.exchanges) {
            for (turn, kind) in kinded(e) {
                let row = aligned_turn(there, here, turn.id.number());
                let mut view = TurnView::new(there, turn);
                // The page's player is this transcript's: the other's
                // times are shown, not played.
                view.play = None;
                beside
                    .entry(row)
                    .or_default()
                    .push(KindedTurn { turn: view, kind });
            }
        }
        let mut started = vec![false; there.sections.len()];
        let sections = here
            .sections
            .iter()
            .enumerate()
            .map(|(s, section)| {
                let other = match there.sections.len() {
                    0 => None,
                    _ => {
                        let at = aligned_section(here, there, s);
                        let first = !std::mem::replace(&mut started[at], true);
                        first.then(|| OtherHeading {
                            number: there.sections[at].number.as_deref(),
                            title: &there.sections[at].title,
                        })
                    }
                };
                let rows = section
                    .exchanges
                    .iter()
                    .flat_map(kinded)
                    .map(|(turn, kind)| ParallelRow {
                        id: turn.id,
                        turn: TurnView::new(here, turn),
                        kind,
                        others: beside.remove(&turn.id.number()).unwrap_or_default(),
                    })
                    .collect();
                ParallelSection {
                    number: section.number.as_deref(),
                    title: &section.title,
                    slug: &section.slug,
                    other,
                    rows,
                }
            })
            .collect();
        ParallelView {
            lang: &there.language,
            dir: super::locale::direction(&there.language),
            name: words.language_name(&there.language),
            title: &there.title,
            url: transcript_url(there),
            sections,
        }
    }
}
