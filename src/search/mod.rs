//! Search: an index of every exchange, written as small static files that the
//! browser fetches piece by piece (`static/verbatim-search.js`), so one query
//! downloads only the words it asks for and the results it shows, however
//! large the site. See docs/search.md for the format and the figures.
//!
//! Everything is produced as [`Page`]s under `search/data/`; output writes them.

use crate::diagnostic::Diagnostic;
use crate::model::{Exchange, Section, Transcript};
use crate::page::Page;
use crate::site::urls::section_url;
use crate::site::Site;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Mutex;

mod codec;
mod documents;
mod files;
mod postings;
pub mod stem;
mod tokenizer;

use codec::*;
pub use codec::{bucket_of, hash, impacts_of_levels, level, rice_of_gaps, varint, weight};
use documents::*;
pub use files::filter_file;
use files::*;
use postings::*;
pub use tokenizer::terms;

/// Where the index lives in the output folder.
pub const DATA_DIR: &str = "search/data";

/// Version of the file format; the script refuses an index of another version.
/// 2: a transcript's exchanges are in a bucket of transcripts (`tb/`), not a
/// filter file of their own. 3: words are stemmed (`stem` in `meta.bin`),
/// Chinese and Japanese are split into characters, and a result knows its
/// first turn (`n`) and who asks (`k`). 4: each list holds its exchanges'
/// weights (BM25's term frequency and length part, as levels), so that
/// every result can be ranked.
pub const FORMAT_VERSION: u32 = 4;

/// Transcripts per bucket file of their runs (`tb/<n>.bin`). A transcript's
/// exchanges are one run, a few bytes: a file for each was 10,000 of the
/// 55,659 files of the index at 10,000 transcripts, 60 bytes each, to
/// deploy. (The build time did not change measurably.)
const TRANSCRIPTS_PER_BUCKET: usize = 64;

/// Exchanges per result file: small enough that checking or showing scattered
/// results stays cheap, large enough that a big site is not hundreds of
/// thousands of files. Measured at 10,000 transcripts (docs/search.md): 16
/// rather than 8 costs a query at most 19 KB more (the largest of seven
/// queries takes 106 KB, page included) and makes the build with search
/// about a seventh faster, with 28,000 fewer files to deploy.
pub const DOCS_PER_CHUNK: usize = 16;

/// A word whose postings take more bytes than this gets a file of its own, so
/// fetching a rare word never drags a common one along.
const OWN_FILE_BYTES: usize = 1024;

/// Rare words share files: about this many bytes of postings per file.
const BUCKET_TARGET_BYTES: usize = 4096;

/// The search index of a site as files for the output folder, in path order.
pub fn index(site: &Site) -> Vec<Page> {
    index_unless(site, &|| false).unwrap_or_default()
}

/// [`index`], given up (`None`) as soon as `stop` says so: `serve` makes the
/// index after each edit and drops it when another edit comes, which would
/// otherwise wait seconds for an index already out of date. `stop` is asked
/// between the steps of the work, a few dozen times on a large site.
pub fn index_unless(site: &Site, stop: &(dyn Fn() -> bool + Sync)) -> Option<Vec<Page>> {
    let pages = Mutex::new(Vec::new());
    let collect = |path: &str, bytes: &[u8]| {
        pages.lock().unwrap_or_else(|e| e.into_inner()).push(Page {
            path: path.to_string(),
            bytes: bytes.to_vec(),
        });
        Ok(())
    };
    // Collecting into memory cannot fail: an error is a stop.
    write_index_unless(site, collect, stop).ok()?;
    let mut pages = pages.into_inner().unwrap_or_else(|e| e.into_inner());
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    Some(pages)
}

/// Makes the search index of a site and hands each file to `write` (its
/// path in the output folder and its bytes) as soon as it is made, from
/// several threads: a large site's index is hundreds of thousands of files,
/// which need not all be in memory at once.
pub fn write_index(
    site: &Site,
    write: impl Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync,
) -> Result<(), Diagnostic> {
    write_index_unless(site, write, &|| false)
}

/// [`write_index`], which fails as soon as `stop` says so (see
/// [`index_unless`]).
fn write_index_unless(
    site: &Site,
    write: impl Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<(), Diagnostic> {
    let stopped = || Diagnostic::error(DATA_DIR, "the search index was given up");
    let write = |path: &str, bytes: &[u8]| {
        if stop() {
            return Err(stopped());
        }
        write(path, bytes)
    };
    let docs = documents(&site.transcripts);

    // Words, and pairs of adjacent words (so a phrase is found from a few
    // small files instead of the lists of all its words). The filters are
    // one thread's work: made beside the postings, not after everything
    // else, where they left a core idle at the end of a large build.
    let (found, filters) = rayon::join(|| postings(&docs, stop), || filters(&docs));
    let Found {
        words,
        pairs,
        lengths,
    } = found.ok_or_else(stopped)?;
    // The average number of words of an exchange, which ranking (BM25)
    // measures an exchange's length against, here and in the script.
    let total: u64 = lengths.iter().map(|&l| u64::from(l)).sum();
    let avg_terms = (total as f64 / docs.len().max(1) as f64 * 100.0).round() / 100.0;
    // The words as written, by their first letters, before they become
    // stems: a phrase being typed is looked for in the pairs of words.
    let prefix_buckets = prefix_files(&words, &write)?;
    let stemmers = stem::Stemmers::of(site.transcripts.iter().map(|t| t.language.as_str()));
    let words = stem::stemmed(words, &stemmers);
    for name in stemmers.names() {
        let script = stem::script(name).expect("every algorithm of `stem` has its script");
        // Deflated for the script to fetch and inflate like the index (44
        // KB as text, 8 KB so, on a host that does not compress); the text
        // stays beside it for a page whose policy refuses a script made
        // from fetched bytes.
        write(
            &stem::packed_path(name),
            &gzip(script.as_bytes(), Packing::Deflated),
        )?;
        write(&stem::script_path(name), script.as_bytes())?;
    }
    let words = lists(words, &lengths, avg_terms, "t", "b", &write)?;
    let pairs = lists(pairs, &lengths, avg_terms, "p", "pb", &write)?;

    docs.par_chunks(DOCS_PER_CHUNK)
        .enumerate()
        .try_for_each(|(i, chunk)| {
            // sonic-rs writes what serde_json writes, faster (see api.rs).
            // Deflated: since every result is ranked, the ten shown are
            // scattered over ten files, not the first one or two, and
            // stored they took `harbour` at 10,000 transcripts to 288 KB
            // (222 KB deflated), for 9% of the build with search
            // (docs/search.md).
            let json = sonic_rs::to_vec(chunk).expect("plain data serializes");
            write(
                &format!("{DATA_DIR}/r/{i}.bin"),
                &gzip(&json, Packing::Deflated),
            )
        })?;

    let transcript_buckets = transcript_buckets(&filters.transcripts);
    transcript_buckets
        .par_iter()
        .enumerate()
        .try_for_each(|(i, entries)| {
            write(
                &format!("{DATA_DIR}/tb/{i}.bin"),
                &gzip(&transcript_file(entries), Packing::Stored),
            )
        })?;
    filters
        .docs
        .par_iter()
        .try_for_each(|((kind, value), ranges)| {
            write(
                &format!("{DATA_DIR}/f/{}.bin", filter_file(kind, value)),
                &gzip(&ranges_file(ranges), Packing::Stored),
            )
        })?;
    let lists_json = serde_json::to_vec(&FilterLists {
        speakers: &filters.speakers,
        tags: &filters.tags,
    })
    .expect("plain data serializes");
    write(
        &format!("{DATA_DIR}/filters.bin"),
        &gzip(&lists_json, Packing::Deflated),
    )?;
    let transcripts: Vec<[&str; 2]> = site
        .transcripts
        .iter()
        .map(|t| [t.slug.as_str(), t.title.as_str()])
        .collect();
    let transcripts_json = serde_json::to_vec(&transcripts).expect("plain data serializes");
    write(
        &format!("{DATA_DIR}/transcripts.bin"),
        &gzip(&transcripts_json, Packing::Deflated),
    )?;
    let meta = IndexMeta {
        version: FORMAT_VERSION,
        docs: docs.len(),
        chunk: DOCS_PER_CHUNK,
        buckets: words.buckets,
        own: words.own,
        pair_buckets: pairs.buckets,
        pair_own: pairs.own,
        transcript_buckets: transcript_buckets.len(),
        stem: stemmers.names().to_vec(),
        prefix_buckets,
        prefix_chars: PREFIX_CHARS,
        avg_terms,
    };
    let meta_json = serde_json::to_vec(&meta).expect("plain data serializes");
    write(
        &format!("{DATA_DIR}/meta.bin"),
        &gzip(&meta_json, Packing::Deflated),
    )
}

#[cfg(test)]
mod tests {
    use super::tokenizer::*;
    use super::*;

    /// A transcript with hostile text in every field a result shows, one
    /// section with a number and one without, and exchanges with no answer,
    /// one answer and answers by two people.
    fn hostile_transcript() -> Transcript {
        let mut hostile: String = (0u8..0x20).map(char::from).collect();
        hostile.push_str("\"\\/\u{7f}\u{2028}é😀 </script> plain words after them");
        let turn = |id: &str, speaker: &str, text: &str| serde_json::json!({"id": id, "speaker": speaker, "paragraphs": [], "text": text});
        serde_json::from_value(serde_json::json!({
            "slug": "slug", "title": hostile, "language": "en", "source_path": "x.md",
            "speakers": [
                {"id": "q", "name": "Qi \"Q\"", "role": "interviewer"},
                {"id": "a", "name": hostile, "role": "interviewee"},
            ],
            "sections": [
                {"number": "01", "title": hostile, "slug": "one", "exchanges": [
                    {"id": "q1", "question": turn("t1", "q", "What \"now\"?"), "answers": []},
                    {"id": "q2", "question": turn("t2", "q", &hostile), "answers": [turn("t3", "a", &hostile)]},
                ]},
                {"title": "Two", "slug": "two", "exchanges": [
                    {"id": "q3", "question": null, "answers": [
                        turn("t4", "a", "one"), turn("t5", "q", &hostile), turn("t6", "a", "three"),
                    ]},
                ]},
            ],
        }))
        .expect("a transcript")
    }

    #[test]
    fn result_files_are_what_serde_json_writes() {
        let t = hostile_transcript();
        let docs = documents(std::slice::from_ref(&t));
        assert_eq!(docs.len(), 3);
        let json = serde_json::to_value(&docs[..]).unwrap();
        let hostile = t.title.as_str();
        assert_eq!(
            json,
            serde_json::json!([
                {"u": "slug/one/#q1", "q": "What \"now\"?", "a": "", "s": "", "k": "Qi \"Q\"",
                 "n": 1, "t": hostile, "c": format!("01. {hostile}")},
                {"u": "slug/one/#q2", "q": hostile, "a": hostile, "s": hostile, "k": "Qi \"Q\"",
                 "n": 2, "t": hostile, "c": format!("01. {hostile}")},
                {"u": "slug/two/#q3", "q": "", "a": format!("one\n\n{hostile}\n\nthree"),
                 "s": format!("{hostile}, Qi \"Q\""), "k": "", "n": 4, "t": hostile, "c": "Two"},
            ])
        );
        assert_eq!(
            sonic_rs::to_vec(&docs[..]).unwrap(),
            serde_json::to_vec(&docs[..]).unwrap()
        );
    }

    #[test]
    fn terms_fold_case_and_accents_and_split_at_punctuation() {
        assert_eq!(
            terms("Café, L'ÉTÉ — naïve 2026!"),
            vec!["cafe", "l", "ete", "naive", "2026"]
        );
    }

    #[test]
    fn ascii_terms_are_the_folded_terms() {
        // Every ASCII byte, alone and between two words.
        let every: String = (0u8..128).map(char::from).collect();
        let between: String = (0u8..128)
            .map(|b| format!("aB{}Cd", char::from(b)))
            .collect();
        for text in [
            "",
            "plain words here",
            "Capitals, MIXED case and 2026 numbers!",
            "  leading and trailing  ",
            "a-b_c.d'e\tf\ng",
            "x",
            "ends in a capital Z",
            &every,
            &between,
        ] {
            let mut folded = Vec::new();
            for_each_folded_term(text, |t| folded.push(t.to_string()));
            assert_eq!(terms(text), folded, "{text:?}");
        }
    }

    #[test]
    fn ids_gather_into_runs() {
        let runs = |added: &[(u32, u32)]| {
            let mut runs = Vec::new();
            for &(start, len) in added {
                add_run(&mut runs, start, len);
            }
            runs
        };
        assert_eq!(
            runs(&[(1, 1), (2, 1), (3, 1), (7, 1), (9, 1), (10, 1)]),
            vec![(1, 3), (7, 1), (9, 2)]
        );
        assert_eq!(
            runs(&[(4, 1), (4, 1), (5, 1), (5, 1), (8, 1), (8, 1)]),
            vec![(4, 2), (8, 1)]
        );
        // A transcript's run, the same again (a tag written twice), then the next.
        assert_eq!(runs(&[(0, 5), (0, 5), (5, 3)]), vec![(0, 8)]);
    }

    #[test]
    fn varints_are_leb128() {
        let mut v = Vec::new();
        varint(&mut v, 300);
        assert_eq!(v, vec![0xac, 0x02]);
    }

    #[test]
    fn bits_pack_as_one_bit_at_a_time_would() {
        // The writer as it was: one bit per call.
        fn one_by_one(bits: &[bool]) -> Vec<u8> {
            let mut bytes = Vec::new();
            for (i, &one) in bits.iter().enumerate() {
                if i % 8 == 0 {
                    bytes.push(0);
                }
                if one {
                    *bytes.last_mut().unwrap() |= 0x80 >> (i % 8);
                }
            }
            bytes
        }
        let lists: [&[u32]; 5] = [
            &[0],
            &[5, 6, 7, 100, 5000, 5001],
            &[1_000_000],
            &[0, 1, 2, 3, 4, 5, 6, 7, 8],
            &[3, 70, 71, 400, 401, 402, 9_000, 123_456, 123_457, 2_000_000],
        ];
        for ids in lists {
            let (k, bytes) = rice(&ids_of(ids));
            let mut expected = Vec::new();
            let mut prev = -1i64;
            for &id in ids {
                let gap = (i64::from(id) - prev - 1) as u64;
                prev = i64::from(id);
                expected.extend(std::iter::repeat_n(true, (gap >> k) as usize));
                expected.push(false);
                expected.extend((0..k).rev().map(|i| (gap >> i) & 1 == 1));
            }
            assert_eq!(bytes, one_by_one(&expected), "{ids:?}");
        }
    }

    /// Rice coding as it was first written: the gaps in a vector, each
    /// quotient and remainder written apart.
    fn rice_reference(ids: &[u32]) -> (u32, Vec<u8>) {
        let gaps: Vec<u64> = ids
            .iter()
            .scan(-1i64, |prev, &id| {
                let gap = i64::from(id) - *prev - 1;
                *prev = i64::from(id);
                Some(gap as u64)
            })
            .collect();
        let bits = |k: u32| -> u64 { gaps.iter().map(|g| (g >> k) + 1 + u64::from(k)).sum() };
        let mean = gaps.iter().sum::<u64>() as f64 / gaps.len().max(1) as f64;
        let guess = (mean * std::f64::consts::LN_2).max(1.0).log2().floor() as u32;
        let k = (guess.saturating_sub(1)..=(guess + 1).min(31))
            .min_by_key(|&k| bits(k))
            .unwrap_or(0);
        // One bit at a time, then into bytes: nothing shared with the
        // word-at-a-time writer under test.
        let mut bits = Vec::new();
        for g in gaps {
            bits.extend(std::iter::repeat_n(true, (g >> k) as usize));
            bits.push(false);
            bits.extend((0..k).rev().map(|b| g >> b & 1 == 1));
        }
        let bytes = bits
            .chunks(8)
            .map(|byte| {
                (0..8).fold(0u8, |acc, i| {
                    acc << 1 | u8::from(byte.get(i) == Some(&true))
                })
            })
            .collect();
        (k, bytes)
    }

    #[test]
    fn rice_writes_what_the_first_version_wrote() {
        // Lists from dense to sparse, with gaps long enough for the unary
        // part to take more than one word, from a fixed pseudo-random walk.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut lists: Vec<Vec<u32>> = vec![vec![], vec![0], vec![u32::MAX - 1]];
        for spread in [1u64, 3, 40, 1_000, 70_000, 5_000_000] {
            for len in [1, 2, 5, 64, 500] {
                let mut id = 0u64;
                let list: Vec<u32> = (0..len)
                    .map(|_| {
                        id += next() % spread;
                        id as u32
                    })
                    .collect();
                let mut list = list;
                list.dedup();
                lists.push(list);
            }
        }
        // One gap far above the others: a long unary run with a small k.
        lists.push(vec![0, 1, 2, 3, 4, 5, 6, 7, 3_000, 3_001]);
        for ids in &lists {
            assert_eq!(rice(&ids_of(ids)), rice_reference(ids), "{ids:?}");
        }
    }

    #[test]
    fn rice_codes_gaps_with_the_cheapest_parameter() {
        // Gaps 0, 0, 0: k = 0, three zero bits.
        assert_eq!(rice(&ids_of(&[0, 1, 2])), (0, vec![0b0000_0000]));
        // Gaps 4, 4: k = 1 and k = 2 both take 8 bits; the smaller wins,
        // each gap `11 0` + `0`.
        assert_eq!(rice(&ids_of(&[4, 9])), (1, vec![0b1100_1100]));
        // Gaps 20, 20: k = 3, 6 bits each (`110` + `100`); k = 4 ties, k = 2 takes 8.
        assert_eq!(
            rice(&ids_of(&[20, 41])),
            (3, vec![0b1101_0011, 0b0100_0000])
        );
    }

    /// A list of ascending ids, pushed one by one.
    fn ids_of(list: &[u32]) -> Ids {
        let mut ids = Ids::default();
        list.iter().for_each(|&id| ids.push(id));
        ids
    }

    /// The ids of a list, from its gaps.
    fn ids_in(ids: &Ids) -> Vec<u32> {
        ids.gaps()
            .scan(-1i64, |prev, (gap, _)| {
                *prev += gap as i64 + 1;
                Some(*prev as u32)
            })
            .collect()
    }

    #[test]
    fn id_lists_keep_each_id_once_in_order_and_append_as_pushed() {
        // Gaps of one, two and five bytes, and the largest id a list takes.
        let list = [0, 1, 2, 130, 20_000, 20_001, 3_000_000_000, u32::MAX - 1];
        let mut ids = Ids::default();
        for &id in &list {
            ids.push(id);
            ids.push(id);
        }
        assert_eq!(ids_in(&ids), list);
        assert_eq!((ids.len, ids.last), (8, u32::MAX - 1));
        // Each id was pushed twice: its key is there twice.
        assert!(ids.gaps().all(|(_, tf)| tf == 2));
        assert_eq!(ids.gaps().count(), 8);
        // A list made of blocks appended one after the other (as the
        // blocks of a batch are) is the list pushed whole, whether or not
        // a block starts with the id the list ends with.
        for cut in 0..=list.len() {
            for repeat in [false, true] {
                let mut whole = ids_of(&list[..cut]);
                let mut tail = Ids::default();
                if repeat && cut > 0 {
                    tail.push(list[cut - 1]);
                }
                list[cut..].iter().for_each(|&id| tail.push(id));
                whole.append(&tail);
                let mut pushed = ids_of(&list[..cut]);
                if repeat && cut > 0 {
                    pushed.push(list[cut - 1]);
                }
                list[cut..].iter().for_each(|&id| pushed.push(id));
                assert_eq!(whole, pushed, "cut at {cut}, repeat {repeat}");
                assert_eq!(ids_in(&whole), list);
            }
        }
        let mut empty = Ids::default();
        empty.append(&Ids::default());
        assert_eq!(empty, Ids::default());
    }

    #[test]
    fn transcripts_runs_are_bucketed_by_their_slugs_hash_each_once() {
        let runs: Vec<(String, u32, u32)> =
            (0..200u32).map(|i| (format!("t-{i}"), i * 3, 3)).collect();
        let buckets = transcript_buckets(&runs);
        assert_eq!(buckets.len(), 4, "200 transcripts, 64 to a bucket");
        let mut seen = Vec::new();
        for (b, entries) in buckets.iter().enumerate() {
            assert!(
                entries.windows(2).all(|w| w[0].0 < w[1].0),
                "sorted by slug"
            );
            for e in entries {
                assert_eq!(bucket_of(&e.0, buckets.len()), b);
                seen.push((*e).clone());
            }
        }
        seen.sort_by_key(|e| e.1);
        assert_eq!(seen, runs);
        // A site with no exchanges still has a bucket for the script to find.
        assert_eq!(transcript_buckets(&[]).len(), 1);
        // The file: count, then slug, start and length of each.
        let file = transcript_file(&[&("é".to_string(), 200, 1)]);
        assert_eq!(file, [1, 2, 0xc3, 0xa9, 0xc8, 0x01, 1]);
    }

    #[test]
    fn weights_take_the_nearest_level_and_lists_keep_them_in_order() {
        for n in 0..LEVELS {
            assert_eq!(level(level_weight(n)), n);
        }
        assert_eq!(level(0.0), 0);
        assert_eq!(level(1e9), LEVELS - 1);
        // More occurrences weigh more; a longer exchange, less.
        assert!(level(weight(3, 10, 10.0)) > level(weight(1, 10, 10.0)));
        assert!(level(weight(1, 40, 10.0)) < level(weight(1, 10, 10.0)));
        // The repeats pushed into a list become its weights: id 4 holds
        // the word three times, 7 and 9 once, in exchanges of one length.
        let mut ids = Ids::default();
        for id in [4, 4, 4, 7, 9] {
            ids.push(id);
        }
        let lengths = vec![6; 10];
        let (once, thrice) = (level(weight(1, 6, 6.0)), level(weight(3, 6, 6.0)));
        assert_eq!(
            impacts(&ids, &lengths, 6.0),
            impacts_of_levels(&[thrice, once, once])
        );
        // Two levels: the common one first, then one bit for each exchange.
        assert_eq!(
            impacts_of_levels(&[thrice, once, once]),
            [2, once, thrice, 0, 1, 0b1000_0000]
        );
    }

    #[test]
    fn fnv_matches_the_published_test_vector() {
        assert_eq!(hash("a"), 0xaf63dc4c8601ec8c);
    }
}
