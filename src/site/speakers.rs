//! The speaker index: every person who speaks anywhere on the site. A
//! speaker who appears in several transcripts, under the same id or the same
//! name, is one person with one page.

use crate::ingest::normalize::slugify;
use crate::model::{Role, Transcript};
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;
use std::collections::HashSet;

/// One person across the whole site.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// URL segment of the person's page (`speakers/<id>/`), unique on the site.
    pub id: String,
    /// The name most transcripts give them.
    pub name: String,
    /// The first title (`Executive Chairman, ...`) any transcript gives them.
    pub title: Option<String>,
    /// The first bio any transcript gives them.
    pub bio: Option<String>,
    /// Where they speak, in the site's order (newest transcript first).
    pub appearances: Vec<Appearance>,
}

/// A person's part in one transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Appearance {
    /// Index into [`crate::site::Site::transcripts`].
    pub transcript: usize,
    /// The [`crate::model::Speaker::id`] the transcript knows them by.
    pub speaker: String,
    pub role: Role,
}

/// All people, and which person each transcript's speaker is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpeakerIndex {
    /// Sorted by name, then id.
    pub people: Vec<Person>,
    /// `of_transcript[t][k]` is the index in `people` of speaker `k` of transcript `t`.
    pub of_transcript: Vec<Vec<usize>>,
}

impl SpeakerIndex {
    /// Builds the index over transcripts in site order.
    pub fn new(transcripts: &[Transcript]) -> SpeakerIndex {
        // Every speaker of every transcript is a node; nodes that share an
        // id or a name are joined into one person.
        let nodes: Vec<(usize, usize)> = transcripts
            .iter()
            .enumerate()
            .flat_map(|(t, tr)| (0..tr.speakers.len()).map(move |k| (t, k)))
            .collect();
        let mut sets = DisjointSets::new(nodes.len());
        // The first node with each id and with each name. Ids are looked up
        // as they are and each name's key is made once: `serve` builds this
        // index again after every save, over every speaker of the site.
        let mut first_with_id: FxHashMap<&str, usize> = FxHashMap::default();
        let mut first_with_name: FxHashMap<String, usize> = FxHashMap::default();
        for (n, &(t, k)) in nodes.iter().enumerate() {
            let s = &transcripts[t].speakers[k];
            sets.join_first(first_with_id.entry(s.id.as_str()), n);
            sets.join_first(first_with_name.entry(name_key(&s.name)), n);
        }

        // Groups in order of first appearance, so ids are stable and the
        // newest transcript's spelling wins ties.
        // A root is a node, so its group is found by its number.
        let mut group_of_root: Vec<Option<usize>> = vec![None; nodes.len()];
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for n in 0..nodes.len() {
            let root = sets.find(n);
            let g = *group_of_root[root].get_or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(n);
        }

        let mut taken: HashSet<String> = HashSet::new();
        let mut people: Vec<(Person, Vec<usize>)> = groups
            .iter()
            .map(|members| {
                let speakers: Vec<_> = members
                    .iter()
                    .map(|&n| &transcripts[nodes[n].0].speakers[nodes[n].1])
                    .collect();
                let name = most_common(speakers.iter().map(|s| s.name.as_str()));
                let id = most_common(speakers.iter().map(|s| s.id.as_str()));
                // The name makes the friendlier URL; the id stands in for
                // names without letters or digits.
                let mut base = slugify(name);
                if base.is_empty() {
                    base = slugify(id);
                }
                if base.is_empty() {
                    base = "speaker".to_string();
                }
                let id = unique(&mut taken, &base);
                let person = Person {
                    id,
                    name: name.to_string(),
                    title: speakers.iter().find_map(|s| s.title.clone()),
                    bio: speakers.iter().find_map(|s| s.bio.clone()),
                    appearances: members
                        .iter()
                        .map(|&n| {
                            let (t, k) = nodes[n];
                            let s = &transcripts[t].speakers[k];
                            Appearance {
                                transcript: t,
                                speaker: s.id.clone(),
                                role: s.role,
                            }
                        })
                        .collect(),
                };
                (person, members.clone())
            })
            .collect();
        // By name, then id (ids are unique, so no two people tie); each
        // name's key is made once, not at every comparison.
        people.sort_by_cached_key(|(p, _)| (name_key(&p.name), p.id.clone()));

        let mut of_transcript: Vec<Vec<usize>> = transcripts
            .iter()
            .map(|t| vec![0; t.speakers.len()])
            .collect();
        for (p, (_, members)) in people.iter().enumerate() {
            for &n in members {
                let (t, k) = nodes[n];
                of_transcript[t][k] = p;
            }
        }
        SpeakerIndex {
            people: people.into_iter().map(|(p, _)| p).collect(),
            of_transcript,
        }
    }

    /// The person who is speaker `id` of transcript `t`.
    pub fn person_of(&self, transcripts: &[Transcript], t: usize, id: &str) -> Option<&Person> {
        self.people.get(self.person_index(transcripts, t, id)?)
    }

    /// Where in [`SpeakerIndex::people`] the person of [`SpeakerIndex::person_of`] is.
    pub fn person_index(&self, transcripts: &[Transcript], t: usize, id: &str) -> Option<usize> {
        let k = transcripts
            .get(t)?
            .speakers
            .iter()
            .position(|s| s.id == id)?;
        self.of_transcript.get(t)?.get(k).copied()
    }
}

/// Names compare without case and with single spaces.
fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    if key.is_ascii() {
        key.make_ascii_lowercase();
        key
    } else {
        key.to_lowercase()
    }
}

/// The most frequent value; the first seen wins a tie.
fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> &'a str {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(x, _)| *x == v) {
            Some((_, c)) => *c += 1,
            None => counts.push((v, 1)),
        }
    }
    let best = counts.iter().map(|(_, c)| *c).max().unwrap_or(0);
    counts
        .iter()
        .find(|(_, c)| *c == best)
        .map(|(v, _)| *v)
        .unwrap_or("")
}

/// `base`, or `base-2`, `base-3`... whichever is not taken yet.
fn unique(taken: &mut HashSet<String>, base: &str) -> String {
    if taken.insert(base.to_string()) {
        return base.to_string();
    }
    (2..)
        .map(|i| format!("{base}-{i}"))
        .find(|s| taken.insert(s.clone()))
        .unwrap_or_default()
}

/// Union-find over speaker nodes, with path halving.
struct DisjointSets(Vec<usize>);

impl DisjointSets {
    fn new(n: usize) -> Self {
        DisjointSets((0..n).collect())
    }
    fn find(&mut self, mut n: usize) -> usize {
        while self.0[n] != n {
            self.0[n] = self.0[self.0[n]];
            n = self.0[n];
        }
        n
    }
    /// Joins node `n` to the first node with the same key, or makes it
    /// that first node.
    fn join_first<K>(&mut self, first: Entry<'_, K, usize>, n: usize) {
        match first {
            Entry::Occupied(first) => self.union(*first.get(), n),
            Entry::Vacant(none) => {
                none.insert(n);
            }
        }
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The earlier node stays the root, so groups keep first-seen order.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi] = lo;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Source, Speaker};

    fn transcript(slug: &str, speakers: &[(&str, &str, Role)]) -> Transcript {
        Transcript {
            slug: slug.to_string(),
            title: slug.to_string(),
            subtitle: None,
            date: None,
            description: None,
            language: "en".to_string(),
            draft: false,
            source: Source::default(),
            speakers: speakers
                .iter()
                .map(|(id, name, role)| Speaker {
                    id: id.to_string(),
                    name: name.to_string(),
                    role: *role,
                    title: None,
                    bio: None,
                    aliases: vec![],
                })
                .collect(),
            tags: vec![],
            intro: String::new(),
            links: Vec::new(),
            sections: vec![],
            translators: Vec::new(),
            translation_of: None,
            align: Vec::new(),
            translation_place: None,
            media: Vec::new(),
            embargo: None,
            list_while_embargoed: false,
            withheld: Vec::new(),
            source_path: format!("content/{slug}.md"),
            words_read: Default::default(),
        }
    }

    #[test]
    fn same_id_or_same_name_is_one_person() {
        let ts = vec![
            transcript(
                "a",
                &[
                    ("q", "Interviewer", Role::Interviewer),
                    ("ada", "Ada Lovelace", Role::Interviewee),
                ],
            ),
            // Same name, other id: the same person.
            transcript("b", &[("lovelace", "ada  lovelace", Role::Interviewee)]),
            // Same id, other spelling of the name: the same person.
            transcript("c", &[("ada", "A. Lovelace", Role::Interviewee)]),
            transcript("d", &[("grace", "Grace Hopper", Role::Interviewee)]),
        ];
        let index = SpeakerIndex::new(&ts);
        let names: Vec<_> = index.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Ada Lovelace", "Grace Hopper", "Interviewer"]);
        let ada = &index.people[0];
        assert_eq!(ada.id, "ada-lovelace");
        let places: Vec<_> = ada.appearances.iter().map(|a| a.transcript).collect();
        assert_eq!(places, [0, 1, 2]);
        assert_eq!(
            index.person_of(&ts, 1, "lovelace").unwrap().id,
            "ada-lovelace"
        );
        assert_eq!(
            index.person_of(&ts, 3, "grace").unwrap().name,
            "Grace Hopper"
        );
        assert!(index.person_of(&ts, 3, "nobody").is_none());
    }

    #[test]
    fn different_people_with_one_slug_get_distinct_pages() {
        let ts = vec![
            transcript("a", &[("jo", "Jo!", Role::Interviewee)]),
            transcript("b", &[("jo2", "JO", Role::Interviewee)]),
        ];
        let index = SpeakerIndex::new(&ts);
        let mut ids: Vec<_> = index.people.iter().map(|p| p.id.as_str()).collect();
        ids.sort();
        assert_eq!(ids, ["jo", "jo-2"]);
    }
}
