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
mod tokenizer;

use codec::*;
pub use codec::{bucket_of, hash, rice_of_gaps, varint};
pub use tokenizer::terms;
use tokenizer::*;

/// Where the index lives in the output folder.
pub const DATA_DIR: &str = "search/data";

/// Version of the file format; the script refuses an index of another version.
/// 2: a transcript's exchanges are in a bucket of transcripts (`tb/`), not a
/// filter file of their own.
pub const FORMAT_VERSION: u32 = 2;

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
    let (words, pairs) = found.ok_or_else(stopped)?;
    let words = lists(words, "t", "b", &write)?;
    let pairs = lists(pairs, "p", "pb", &write)?;

    docs.par_chunks(DOCS_PER_CHUNK)
        .enumerate()
        .try_for_each(|(i, chunk)| {
            // sonic-rs writes what serde_json writes, faster (see api.rs).
            // Stored, not deflated: deflating 314 MB of records was about a
            // seventh of the build with search at 10,000 transcripts, and
            // storing them costs a query at most 75 KB more (docs/search.md).
            let json = sonic_rs::to_vec(chunk).expect("plain data serializes");
            write(
                &format!("{DATA_DIR}/r/{i}.bin"),
                &gzip(&json, Packing::Stored),
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
    };
    let meta_json = serde_json::to_vec(&meta).expect("plain data serializes");
    write(
        &format!("{DATA_DIR}/meta.bin"),
        &gzip(&meta_json, Packing::Deflated),
    )
}

/// One exchange of the site, as the index reads it and a search result
/// shows it. It only points into the model: the index holds one for every
/// exchange, and its result file is written from the model when that file
/// is made. (Copies of each exchange's URL, names and headings, made up
/// front, took 160 MB at 10,000 transcripts, most of it fresh memory.)
pub struct Document<'a> {
    transcript: &'a Transcript,
    section: &'a Section,
    exchange: &'a Exchange,
}

impl<'a> Document<'a> {
    /// The question, plain text (empty when the exchange has none).
    fn question(&self) -> &'a str {
        self.exchange.question.as_ref().map_or("", |q| &*q.text)
    }

    /// The answers, plain text, one paragraph per answer.
    fn answers(&self) -> impl Iterator<Item = &'a str> + Clone {
        self.exchange.answers.iter().map(|a| &*a.text)
    }
}

/// A result as the script reads it: the fields are one letter long because
/// every result file repeats them.
impl Serialize for Document<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (t, section, e) = (self.transcript, self.section, self.exchange);
        let mut names = Vec::new();
        let answering = speaker_names(t, e, &mut names);
        let mut doc = serializer.serialize_struct("Document", 6)?;
        // The exchange's URL relative to the site root: `slug/section/#q3`.
        doc.serialize_field("u", &[&section_url(t, section), "#", &e.id.text()].concat())?;
        doc.serialize_field("q", self.question())?;
        // The answers, a blank line between each.
        doc.serialize_field("a", &Joined(self.answers(), "\n\n"))?;
        // Who answers.
        doc.serialize_field("s", &Joined(names[..answering].iter(), ", "))?;
        // The transcript's title.
        doc.serialize_field("t", &t.title)?;
        // The section's title, with its number when it has one.
        let heading = section.number.iter().chain([&section.title]);
        doc.serialize_field("c", &Joined(heading, ". "))?;
        doc.end()
    }
}

/// Texts written one after the other with a separator between each, as one
/// JSON string, without joining them into a string of their own first.
struct Joined<I>(I, &'static str);

impl<'s, I: Iterator<Item = &'s S> + Clone, S: AsRef<str> + ?Sized + 's> Serialize for Joined<I> {
    fn serialize<Z: serde::Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.collect_str(self)
    }
}

impl<'s, I: Iterator<Item = &'s S> + Clone, S: AsRef<str> + ?Sized + 's> std::fmt::Display
    for Joined<I>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, text) in self.0.clone().enumerate() {
            if i > 0 {
                f.write_str(self.1)?;
            }
            f.write_str(text.as_ref())?;
        }
        Ok(())
    }
}

/// The names of who speaks in an exchange, each once, into `names`: those
/// who answer, in order, then who asks if they are not among them. Gives
/// how many answer.
fn speaker_names<'a>(t: &'a Transcript, e: &'a Exchange, names: &mut Vec<&'a str>) -> usize {
    let name = |id: &'a str| t.speaker(id).map_or(id, |s| s.name.as_str());
    names.clear();
    for a in &e.answers {
        let n = name(&a.speaker);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let answering = names.len();
    if let Some(q) = &e.question {
        let n = name(&q.speaker);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    answering
}

/// Every exchange of the site, in site order (its number is its id).
fn documents(transcripts: &[Transcript]) -> Vec<Document<'_>> {
    let count = transcripts
        .iter()
        .flat_map(|t| &t.sections)
        .map(|s| s.exchanges.len())
        .sum();
    let mut docs = Vec::with_capacity(count);
    for transcript in transcripts {
        for section in &transcript.sections {
            docs.extend(section.exchanges.iter().map(|exchange| Document {
                transcript,
                section,
                exchange,
            }));
        }
    }
    docs
}

/// What meta.bin says of the files of one kind of key (words or pairs).
struct Lists {
    /// Keys with a file of their own, and how many exchanges hold each.
    own: BTreeMap<String, usize>,
    buckets: usize,
}

fn lists(
    postings: Postings,
    own_dir: &str,
    bucket_dir: &str,
    write: &(impl Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync),
) -> Result<Lists, Diagnostic> {
    // Each key's list, coded once: (number of exchanges, Rice k, bytes).
    let coded: Vec<(String, Coded)> = postings
        .into_par_iter()
        .map(|(term, ids)| {
            let (k, bytes) = rice(&ids);
            (term, (ids.len as usize, k, bytes))
        })
        .collect();
    let (own, buckets) = split_terms(&coded);
    // Terms are referred to by their place in `coded`.
    let file = |terms: &[usize]| -> Vec<u8> {
        let entries: Vec<(&str, &Coded)> = terms
            .iter()
            .map(|&t| (coded[t].0.as_str(), &coded[t].1))
            .collect();
        gzip(&term_file(&entries), Packing::Stored)
    };
    own.par_iter().try_for_each(|&term| {
        let path = format!("{DATA_DIR}/{own_dir}/{}.bin", hash_hex(&coded[term].0));
        write(&path, &file(&[term]))
    })?;
    buckets.par_iter().enumerate().try_for_each(|(i, terms)| {
        write(&format!("{DATA_DIR}/{bucket_dir}/{i}.bin"), &file(terms))
    })?;
    Ok(Lists {
        own: own
            .iter()
            .map(|&t| (coded[t].0.clone(), coded[t].1 .0))
            .collect(),
        buckets: buckets.len(),
    })
}

/// Each key (a word, or two words and a space) with the ascending ids of the
/// exchanges that hold it; every key once. The maps that gather them hash
/// with FxHash rather than SipHash: a site has millions of them, and the keys
/// are the site's own words, not an attacker's choice of collisions against
/// a server.
type Postings = Vec<(String, Ids)>;

/// The postings of words, and of pairs of adjacent words of the question or
/// the answers (joined by a space), in one reading of the text.
///
/// Words are numbered as they are first met, and a pair is the two numbers
/// in one `u64`: a site has millions of distinct pairs but only thousands of
/// distinct words, so pairs are hashed and compared as integers, and a
/// pair's text is made once at the end instead of for every occurrence.
///
/// The pair lists of a large site are far larger than the processor's
/// caches, so adding each occurrence straight to its list would miss the
/// cache twice per word of the site. Instead, occurrences are first written
/// one after the other, then split by key into shards small enough to stay
/// in cache, and each shard's lists are added to on their own.
fn postings(docs: &[Document], stop: &(dyn Fn() -> bool + Sync)) -> Option<(Postings, Postings)> {
    // Exchanges go in batches, so only a batch's occurrences are in memory
    // at once; within a batch, one block of consecutive exchanges per thread.
    const BATCH: usize = 16_384;
    let threads = rayon::current_num_threads();
    let mut all = Numbered::default();
    let mut shards: Vec<FxHashMap<u64, Ids>> = vec![FxHashMap::default(); SHARDS];
    // Each block's buffers are kept from batch to batch: tens of megabytes
    // taken fresh for every batch would be fresh pages, which the kernel
    // clears before first use (a quarter of this function's time when it
    // did).
    let mut occurrences: Vec<Vec<(u64, u32)>> = vec![Vec::new(); threads];
    let mut sharded: Vec<Vec<Vec<(u64, u32)>>> = vec![vec![Vec::new(); SHARDS]; threads];
    for (n, batch) in docs.chunks(BATCH).enumerate() {
        if stop() {
            return None;
        }
        let block_len = batch.len().div_ceil(threads).max(1);
        let blocks: Vec<Numbered> = batch
            .par_chunks(block_len)
            .zip(occurrences.par_iter_mut())
            .enumerate()
            .map(|(b, (chunk, buffer))| {
                let first = n * BATCH + b * block_len;
                let mut block = Numbered {
                    pairs: std::mem::take(buffer),
                    ..Numbered::default()
                };
                block.pairs.clear();
                for (i, d) in chunk.iter().enumerate() {
                    let id = (first + i) as u32;
                    // The question, then the answers as one text: the last
                    // word of an answer and the first of the next are a pair.
                    let mut read = |texts: &mut dyn Iterator<Item = &str>| {
                        let mut previous = None;
                        for text in texts {
                            for_each_term(text, |term| {
                                let word = block.word(term);
                                block.words[word as usize].push(id);
                                if let Some(p) = previous {
                                    block.pairs.push((u64::from(p) << 32 | u64::from(word), id));
                                }
                                previous = Some(word);
                            });
                        }
                    };
                    read(&mut std::iter::once(d.question()));
                    read(&mut d.answers());
                }
                block
            })
            .collect();
        // A block's words get their numbers for the whole site, one block
        // after the other (there are few). Then, side by side, the blocks'
        // word lists are appended in order, and their pairs, renumbered, go
        // to their shards.
        let renumbered: Vec<(Vec<u32>, Numbered)> = blocks
            .into_iter()
            .map(|block| (all.numbers_of(&block.names), block))
            .collect();
        let used = &mut sharded[..renumbered.len()];
        let words = &mut all.words;
        rayon::join(
            || {
                for (renumber, block) in &renumbered {
                    for (n, ids) in block.words.iter().enumerate() {
                        words[renumber[n] as usize].append(ids);
                    }
                }
            },
            || {
                renumbered.par_iter().zip(used.par_iter_mut()).for_each(
                    |((renumber, block), by_shard)| {
                        by_shard.iter_mut().for_each(Vec::clear);
                        for &(pair, id) in &block.pairs {
                            let (a, b) = ((pair >> 32) as usize, (pair & 0xffff_ffff) as usize);
                            let pair = u64::from(renumber[a]) << 32 | u64::from(renumber[b]);
                            by_shard[shard_of(pair)].push((pair, id));
                        }
                    },
                )
            },
        );
        // Each shard takes its part of every block, the blocks in order, so
        // every list stays ascending.
        let used = &sharded[..renumbered.len()];
        shards.par_iter_mut().enumerate().for_each(|(s, shard)| {
            for block in used {
                for &(pair, id) in &block[s] {
                    shard.entry(pair).or_default().push(id);
                }
            }
        });
        for ((_, block), buffer) in renumbered.into_iter().zip(&mut occurrences) {
            *buffer = block.pairs;
        }
    }
    let names = &all.names;
    let pairs = shards
        .into_par_iter()
        .flat_map_iter(|shard| shard.into_iter())
        .map(|(pair, ids)| {
            let (a, b) = ((pair >> 32) as usize, (pair & 0xffff_ffff) as usize);
            (format!("{} {}", names[a], names[b]), ids)
        })
        .collect();
    let words = all.names.into_iter().zip(all.words).collect();
    Some((words, pairs))
}

/// Shards of the pair lists (see [`postings`]): enough that one shard's
/// lists stay in cache on a site of millions of distinct pairs.
const SHARDS: usize = 256;

/// The shard of a pair: the top bits of a multiplicative hash of the key.
fn shard_of(pair: u64) -> usize {
    (pair.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - SHARDS.trailing_zeros())) as usize
}

/// Postings with words as numbers (see [`postings`]).
#[derive(Default)]
struct Numbered {
    /// Number -> word, and back: words of up to 8 bytes (most of them) by
    /// their bytes as one integer, which is quicker to hash and compare than
    /// a string, and longer words by their text. A word has no zero byte, so
    /// the padding of a short word's key cannot be mistaken for a letter.
    names: Vec<String>,
    short: FxHashMap<u64, u32>,
    long: FxHashMap<String, u32>,
    /// Number -> ids of the exchanges that hold the word.
    words: Vec<Ids>,
    /// Every occurrence of a pair of adjacent words, in text order: the two
    /// numbers (first word in the high half) and the exchange id.
    pairs: Vec<(u64, u32)>,
}

impl Numbered {
    /// The number of `term`, given it if new.
    fn word(&mut self, term: &str) -> u32 {
        let next = self.names.len() as u32;
        let n = if term.len() <= 8 {
            let mut key = [0; 8];
            key[..term.len()].copy_from_slice(term.as_bytes());
            *self.short.entry(u64::from_le_bytes(key)).or_insert(next)
        } else if let Some(&n) = self.long.get(term) {
            n
        } else {
            self.long.insert(term.to_string(), next);
            next
        };
        if n == next {
            self.names.push(term.to_string());
            self.words.push(Ids::default());
        }
        n
    }

    /// The numbers here of a block's words, in the block's order; words new
    /// here get the next numbers.
    fn numbers_of(&mut self, names: &[String]) -> Vec<u32> {
        names.iter().map(|w| self.word(w)).collect()
    }
}

/// Ascending exchange ids, kept as the gaps between them (`id - previous -
/// 1`, the first from -1: what [`rice`] codes) in LEB128. Most gaps take a
/// byte or two where an id takes four, and every list of a site is held
/// until its last exchange has been read: at 10,000 transcripts, tens of
/// millions of ids, which as `u32`s were a quarter of a gigabyte of fresh
/// memory for the kernel to clear.
#[derive(Default, Clone, Debug, PartialEq)]
struct Ids {
    gaps: Vec<u8>,
    last: u32,
    len: u32,
}

impl Ids {
    /// Adds exchange `id`, which is not below the last one; the last one
    /// again is not added twice.
    fn push(&mut self, id: u32) {
        let gap = match self.len {
            0 => u64::from(id),
            _ if id == self.last => return,
            _ => u64::from(id) - u64::from(self.last) - 1,
        };
        varint(&mut self.gaps, gap);
        self.last = id;
        self.len += 1;
    }

    /// Adds the ids of `other`, which are not below this list's last one.
    fn append(&mut self, other: &Ids) {
        let Some((first, first_bytes)) = read_varint(&other.gaps) else {
            return;
        };
        // The first gap counts from -1, the others from the id before them:
        // only the first is coded again, the rest are copied as they are.
        self.push(first as u32);
        self.gaps.extend_from_slice(&other.gaps[first_bytes..]);
        self.len += other.len - 1;
        self.last = other.last;
    }

    /// The gaps, in order.
    fn gaps(&self) -> Gaps<'_> {
        Gaps(&self.gaps)
    }
}

/// The gaps of an [`Ids`], decoded one by one. Most gaps are below 128 and
/// take one byte, which is read without the general decoder: [`rice`] reads
/// every list of a site.
struct Gaps<'a>(&'a [u8]);

impl Iterator for Gaps<'_> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let (&first, rest) = self.0.split_first()?;
        if first < 0x80 {
            self.0 = rest;
            return Some(u64::from(first));
        }
        let (gap, used) = read_varint(self.0)?;
        self.0 = &self.0[used..];
        Some(gap)
    }
}

/// Splits the terms into those with a file of their own (sorted) and buckets
/// of rare terms, where a term's bucket is its hash modulo the bucket count.
fn split_terms(coded: &[(String, Coded)]) -> (Vec<usize>, Vec<Vec<usize>>) {
    let mut own = Vec::new();
    let mut rare = Vec::new();
    let mut rare_bytes = 0;
    for (i, (term, (_, _, bytes))) in coded.iter().enumerate() {
        let size = term.len() + bytes.len();
        if size > OWN_FILE_BYTES {
            own.push(i);
        } else {
            rare_bytes += size;
            rare.push(i);
        }
    }
    let by_term = |a: &usize, b: &usize| coded[*a].0.cmp(&coded[*b].0);
    own.sort_by(by_term);
    let count = (rare_bytes / BUCKET_TARGET_BYTES).max(1);
    let mut buckets = vec![Vec::new(); count];
    for i in rare {
        buckets[bucket_of(&coded[i].0, count)].push(i);
    }
    for b in &mut buckets {
        b.sort_by(by_term);
    }
    (own, buckets)
}

/// Filter values and the exchanges each selects.
struct Filters {
    speakers: Vec<String>,
    tags: Vec<String>,
    /// (kind, value) -> ranges of exchange ids, as (start, length), for
    /// speakers and tags.
    docs: BTreeMap<(&'static str, String), Vec<(u32, u32)>>,
    /// Each transcript's slug and its one run of exchanges (start, length).
    transcripts: Vec<(String, u32, u32)>,
}

fn filters(docs: &[Document]) -> Filters {
    // Keys borrow their values from the site; they are copied once each at
    // the end, not for every exchange. A transcript's exchanges are
    // consecutive, so it and its tags take one run per transcript.
    let mut borrowed: BTreeMap<(&'static str, &str), Vec<(u32, u32)>> = BTreeMap::new();
    let mut first = 0;
    let mut names = Vec::new();
    let mut transcripts = Vec::new();
    for run in docs.chunk_by(|a, b| std::ptr::eq(a.transcript, b.transcript)) {
        let t = run[0].transcript;
        let len = run.len() as u32;
        transcripts.push((t.slug.clone(), first, len));
        for tag in &t.tags {
            add_run(
                borrowed.entry(("tag", tag.as_str())).or_default(),
                first,
                len,
            );
        }
        for (i, d) in run.iter().enumerate() {
            speaker_names(t, d.exchange, &mut names);
            for &s in &names {
                add_run(
                    borrowed.entry(("speaker", s)).or_default(),
                    first + i as u32,
                    1,
                );
            }
        }
        first += len;
    }
    let docs: BTreeMap<(&'static str, String), Vec<(u32, u32)>> = borrowed
        .into_iter()
        .map(|((kind, value), runs)| ((kind, value.to_string()), runs))
        .collect();
    let values = |kind: &str| -> Vec<String> {
        docs.keys()
            .filter(|(k, _)| *k == kind)
            .map(|(_, v)| v.clone())
            .collect()
    };
    Filters {
        speakers: values("speaker"),
        tags: values("tag"),
        docs,
        transcripts,
    }
}

/// Transcripts' runs grouped into buckets of about
/// [`TRANSCRIPTS_PER_BUCKET`], each bucket sorted by slug. There is always at
/// least one bucket, so the script's modulo has something to divide by.
fn transcript_buckets(transcripts: &[(String, u32, u32)]) -> Vec<Vec<&(String, u32, u32)>> {
    let count = transcripts.len().div_ceil(TRANSCRIPTS_PER_BUCKET).max(1);
    let mut buckets = vec![Vec::new(); count];
    for t in transcripts {
        buckets[bucket_of(&t.0, count)].push(t);
    }
    for b in &mut buckets {
        b.sort_by(|a, b| a.0.cmp(&b.0));
    }
    buckets
}

/// A bucket of transcripts' runs: the number of transcripts, then for each
/// its slug's UTF-8 length and bytes, the first exchange id and the number
/// of exchanges (all LEB128 varints).
fn transcript_file(entries: &[&(String, u32, u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    varint(&mut out, entries.len() as u64);
    for (slug, first, len) in entries {
        varint(&mut out, slug.len() as u64);
        out.extend_from_slice(slug.as_bytes());
        varint(&mut out, u64::from(*first));
        varint(&mut out, u64::from(*len));
    }
    out
}

/// Adds the ids `start..start + len` to ascending runs of consecutive ids
/// (as (start, length)): a run that touches or overlaps the last joins it, so
/// a transcript is one run, and an id added twice (a tag written twice on
/// one transcript) counts once.
fn add_run(runs: &mut Vec<(u32, u32)>, start: u32, len: u32) {
    match runs.last_mut() {
        Some((s, l)) if start <= *s + *l => *l = (*l).max(start + len - *s),
        _ => runs.push((start, len)),
    }
}

#[derive(Serialize)]
struct FilterLists<'a> {
    speakers: &'a [String],
    tags: &'a [String],
}

#[derive(Serialize)]
struct IndexMeta {
    version: u32,
    /// Number of exchanges.
    docs: usize,
    /// Exchanges per result file.
    chunk: usize,
    /// Number of bucket files of rare terms.
    buckets: usize,
    /// Terms with a file of their own, with the number of exchanges that
    /// hold each, so a query fetches its rarest words first.
    own: BTreeMap<String, usize>,
    /// The same for pairs of adjacent words (`"open source"`).
    pair_buckets: usize,
    pair_own: BTreeMap<String, usize>,
    /// Number of bucket files of transcripts' runs.
    transcript_buckets: usize,
}

/// A word's list as stored: number of exchanges, Rice parameter, coded ids.
type Coded = (usize, u32, Vec<u8>);

/// A term file: for each term its UTF-8 bytes, the number of exchanges, the
/// Rice parameter and the byte length of the list (all LEB128 varints), then
/// the ids, Golomb-Rice coded.
fn term_file(entries: &[(&str, &Coded)]) -> Vec<u8> {
    let mut out = Vec::new();
    varint(&mut out, entries.len() as u64);
    for (term, (count, k, list)) in entries {
        varint(&mut out, term.len() as u64);
        out.extend_from_slice(term.as_bytes());
        varint(&mut out, *count as u64);
        varint(&mut out, u64::from(*k));
        varint(&mut out, list.len() as u64);
        out.extend_from_slice(list);
    }
    out
}

/// A filter file: the number of runs, then for each the gap from the end of
/// the previous run and its length, as varints.
fn ranges_file(ranges: &[(u32, u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    varint(&mut out, ranges.len() as u64);
    let mut end = 0u32;
    for &(start, len) in ranges {
        varint(&mut out, u64::from(start - end));
        varint(&mut out, u64::from(len));
        end = start + len;
    }
    out
}

/// The file name (without extension) of a filter value.
pub fn filter_file(kind: &str, value: &str) -> String {
    hash_hex(&format!("{kind}\u{0}{value}"))
}

#[cfg(test)]
mod tests {
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
                {"u": "slug/one/#q1", "q": "What \"now\"?", "a": "", "s": "", "t": hostile,
                 "c": format!("01. {hostile}")},
                {"u": "slug/one/#q2", "q": hostile, "a": hostile, "s": hostile, "t": hostile,
                 "c": format!("01. {hostile}")},
                {"u": "slug/two/#q3", "q": "", "a": format!("one\n\n{hostile}\n\nthree"),
                 "s": format!("{hostile}, Qi \"Q\""), "t": hostile, "c": "Two"},
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
            .scan(-1i64, |prev, gap| {
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
                assert_eq!(whole, ids_of(&list), "cut at {cut}, repeat {repeat}");
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
    fn fnv_matches_the_published_test_vector() {
        assert_eq!(hash("a"), 0xaf63dc4c8601ec8c);
    }
}
