//! One interview in several languages: a transcript that says
//! `translation_of = "slug"` is read beside the transcript of that slug.
//! Here the site finds which transcripts go together, and how a turn or a
//! section of one is found in another: turns meet by their number (`t12`
//! is the same turn in every language) unless a translation's `align`
//! table says that from one of its turns on they meet another one.

use crate::diagnostic::Diagnostic;
use crate::model::Transcript;
use std::collections::HashMap;

/// Which transcripts are one interview.
#[derive(Debug, Default)]
pub struct Translations {
    /// Each transcript's group in `groups`, if it has translations or is one.
    group: Vec<Option<usize>>,
    /// Each group: the original first, then its translations in site order.
    groups: Vec<Vec<usize>>,
}

impl Translations {
    /// The groups of `transcripts` (in site order). A `translation_of` that
    /// names no transcript, or goes round in a circle, makes no group
    /// ([`check`] says so).
    pub fn new(transcripts: &[Transcript]) -> Translations {
        let by_slug = by_slug(transcripts);
        let mut group = vec![None; transcripts.len()];
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut of_original: HashMap<usize, usize> = HashMap::new();
        for i in 0..transcripts.len() {
            let Some(original) = original(transcripts, &by_slug, i) else {
                continue;
            };
            if original == i {
                continue;
            }
            let g = *of_original.entry(original).or_insert_with(|| {
                groups.push(vec![original]);
                group[original] = Some(groups.len() - 1);
                groups.len() - 1
            });
            groups[g].push(i);
            group[i] = Some(g);
        }
        Translations { group, groups }
    }

    /// The transcripts of `i`'s interview, the original first, `i` among
    /// them; empty when it has no other language.
    pub fn of(&self, i: usize) -> &[usize] {
        match self.group.get(i).copied().flatten() {
            Some(g) => &self.groups[g],
            None => &[],
        }
    }
}

/// Each transcript's place in `transcripts`, by its slug.
fn by_slug(transcripts: &[Transcript]) -> HashMap<&str, usize> {
    transcripts
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect()
}

/// The transcript `i` translates in the end, following `translation_of`
/// from one to the next (`i` itself when it translates nothing); `None`
/// when a slug leads nowhere or back to where it started.
fn original(transcripts: &[Transcript], by_slug: &HashMap<&str, usize>, i: usize) -> Option<usize> {
    let mut at = i;
    for _ in 0..=transcripts.len() {
        match &transcripts[at].translation_of {
            None => return Some(at),
            Some(slug) => at = *by_slug.get(slug.as_str())?,
        }
        if at == i {
            return None;
        }
    }
    None
}

/// The number of a transcript's last turn: its turns are numbered from 1
/// in reading order, so this is how many it has. Read from the end, not
/// counted: the alignment asks for it at every turn it places.
pub fn turn_count(t: &Transcript) -> u32 {
    t.sections
        .iter()
        .rev()
        .flat_map(|s| s.exchanges.iter().rev())
        .find_map(|e| e.answers.last().or(e.question.as_ref()))
        .map_or(0, |turn| turn.id.number())
}

/// Turn `n` of `t` as the number of its original's turn that it renders:
/// `n` itself unless an `align` pair at or before it says otherwise.
pub fn original_turn(t: &Transcript, n: u32) -> u32 {
    match t.align.partition_point(|&(here, _)| here <= n) {
        0 => n,
        k => {
            let (here, there) = t.align[k - 1];
            // Saturating: an `align` past the original's end is an error
            // the site reports, never an overflow.
            there.saturating_add(n - here)
        }
    }
}

/// Turn `n` of `from` as a turn of `to` (two languages of one interview):
/// the first turn of `to` that renders the same turn of the original, or,
/// where `to` joined that turn into the one before, that one.
pub fn aligned_turn(from: &Transcript, to: &Transcript, n: u32) -> u32 {
    let wanted = original_turn(from, n);
    let count = turn_count(to).max(1);
    // `original_turn` never goes back (check refuses an `align` that does),
    // so the first turn at or past the wanted one is found by halves.
    let (mut low, mut high) = (1, count + 1);
    while low < high {
        let mid = low + (high - low) / 2;
        if original_turn(to, mid) < wanted {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    if low > count || (original_turn(to, low) > wanted && low > 1) {
        low - 1
    } else {
        low
    }
}

/// Section `s` of `from` as a section of `to`: the one that holds the turn
/// its first turn meets, else the one in the same place.
pub fn aligned_section(from: &Transcript, to: &Transcript, s: usize) -> usize {
    let by_turn = from.sections[s].turns().next().and_then(|turn| {
        let n = aligned_turn(from, to, turn.id.number());
        to.sections
            .iter()
            .position(|section| section.turns().any(|t| t.id.number() == n))
    });
    by_turn.unwrap_or(s.min(to.sections.len().saturating_sub(1)))
}

/// What is wrong with the site's translations: errors (an `align` that
/// names a turn the original does not have, or goes back; a circle of
/// `translation_of`), then warnings (a `translation_of` that names no
/// transcript of the site, a translation in its original's language).
pub fn check(transcripts: &[Transcript]) -> Vec<Diagnostic> {
    let by_slug = by_slug(transcripts);
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    for (i, t) in transcripts.iter().enumerate() {
        let Some(slug) = &t.translation_of else {
            continue;
        };
        let at = |key: &str, message: String, error: bool| match (&t.translation_place, error) {
            (Some(place), true) => place.error(Some(key), message),
            (Some(place), false) => place.warning(Some(key), message),
            (None, true) => Diagnostic::error(&t.source_path, message),
            (None, false) => Diagnostic::warning(&t.source_path, message),
        };
        let Some(&target) = by_slug.get(slug.as_str()) else {
            warnings.push(
                at(
                    "translation_of",
                    format!(
                        "`translation_of` names {slug:?}, but no transcript of this build has that slug: \
                         it is published without its other languages"
                    ),
                    false,
                )
                .help("write the original's slug, the segment of its URL (/slug/); a draft or an embargoed original joins it when it is published"),
            );
            continue;
        };
        let Some(root) = original(transcripts, &by_slug, i) else {
            errors.push(
                at(
                    "translation_of",
                    format!(
                        "`translation_of` goes round in a circle back to {:?}",
                        t.slug
                    ),
                    true,
                )
                .help(
                    "name the original in each translation; the original has no `translation_of`",
                ),
            );
            continue;
        };
        if transcripts[target].language == t.language {
            warnings.push(
                at(
                    "translation_of",
                    format!(
                        "{:?} translates {slug:?}, but both say they are in language {:?}",
                        t.slug, t.language
                    ),
                    false,
                )
                .help("set `language` in the translation's front matter"),
            );
        }
        let original_turns = turn_count(&transcripts[root]);
        let mut last = 0;
        for &(here, there) in &t.align {
            if there > original_turns {
                errors.push(
                    at(
                        "align",
                        format!(
                            "`align` meets t{here} with t{there}, but the original {:?} has {original_turns} turns",
                            transcripts[root].slug
                        ),
                        true,
                    )
                    .help("name a turn of the original: its ids are on its pages (#t12)"),
                );
            } else if there < last {
                errors.push(
                    at(
                        "align",
                        format!("`align` meets t{here} with t{there}, before a turn an earlier pair already met"),
                        true,
                    )
                    .help("a translation keeps the original's order: each pair names a later turn of the original"),
                );
            }
            last = there;
        }
    }
    errors.extend(warnings);
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A transcript of `turns` turns (each its own exchange) with `align`.
    fn transcript(turns: u32, align: &[(u32, u32)]) -> Transcript {
        let exchanges: Vec<serde_json::Value> = (1..=turns)
            .map(|n| serde_json::json!({"id": format!("q{n}"), "question": null, "answers": [{"id": format!("t{n}"), "speaker": "a", "paragraphs": [], "text": "x"}]}))
            .collect();
        let mut t: Transcript = serde_json::from_value(serde_json::json!({
            "slug": "s", "title": "T", "language": "en", "source_path": "s.md", "speakers": [],
            "sections": if turns == 0 { serde_json::json!([]) } else { serde_json::json!([{"title": "One", "slug": "one", "exchanges": exchanges}]) },
        }))
        .unwrap();
        t.align = align.to_vec();
        t
    }

    #[test]
    fn turns_meet_by_number_unless_align_says_otherwise() {
        let original = transcript(4, &[]);
        // The translation says the original's t2 in two turns.
        let split = transcript(5, &[(3, 2)]);
        let to_split: Vec<u32> = (1..=4)
            .map(|n| aligned_turn(&original, &split, n))
            .collect();
        assert_eq!(to_split, [1, 2, 4, 5]);
        let back: Vec<u32> = (1..=5)
            .map(|n| aligned_turn(&split, &original, n))
            .collect();
        assert_eq!(back, [1, 2, 2, 3, 4]);
        // The translation says the original's t2 and t3 in one.
        let joined = transcript(3, &[(3, 4)]);
        let to_joined: Vec<u32> = (1..=4)
            .map(|n| aligned_turn(&original, &joined, n))
            .collect();
        assert_eq!(to_joined, [1, 2, 2, 3]);
    }

    #[test]
    fn no_alignment_overflows_or_panics() {
        let original = transcript(2, &[]);
        let far = transcript(3, &[(1, u32::MAX)]);
        assert_eq!(original_turn(&far, 3), u32::MAX);
        assert_eq!(aligned_turn(&far, &original, 3), 2);
        let empty = transcript(0, &[]);
        // A transcript with no turns has only its first place to go to.
        assert_eq!(aligned_turn(&original, &empty, 2), 1);
        assert_eq!(turn_count(&empty), 0);
    }
}
