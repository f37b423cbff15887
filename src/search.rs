//! Search: an index of every exchange, written as small static files that the
//! browser fetches piece by piece (`static/verbatim-search.js`), so one query
//! downloads only the words it asks for and the results it shows, however
//! large the site. See docs/search.md for the format and the figures.
//!
//! Everything is produced as [`Page`]s under `search/data/`; output writes them.

use crate::diagnostic::Diagnostic;
use crate::model::{Exchange, Transcript};
use crate::render::{section_url, Page};
use crate::site::Site;
use flate2::{Compress, Compression, Crc, FlushCompress, Status};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Mutex;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Where the index lives in the output folder.
pub const DATA_DIR: &str = "search/data";

/// Version of the file format; the script refuses an index of another version.
pub const FORMAT_VERSION: u32 = 1;

/// Exchanges per result file: small enough that checking or showing scattered results
/// stays cheap, large enough that a big site does not need millions of files.
pub const DOCS_PER_CHUNK: usize = 2;

/// A word whose postings take more bytes than this gets a file of its own, so
/// fetching a rare word never drags a common one along.
const OWN_FILE_BYTES: usize = 1024;

/// Rare words share files: about this many bytes of postings per file.
const BUCKET_TARGET_BYTES: usize = 4096;

/// The search index of a site as files for the output folder, in path order.
pub fn index(site: &Site) -> Vec<Page> {
    let pages = Mutex::new(Vec::new());
    let collect = |path: &str, bytes: &[u8]| {
        pages.lock().unwrap_or_else(|e| e.into_inner()).push(Page {
            path: path.to_string(),
            bytes: bytes.to_vec(),
        });
        Ok(())
    };
    // Collecting into memory cannot fail.
    let _ = write_index(site, collect);
    let mut pages = pages.into_inner().unwrap_or_else(|e| e.into_inner());
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    pages
}

/// Makes the search index of a site and hands each file to `write` (its
/// path in the output folder and its bytes) as soon as it is made, from
/// several threads: a large site's index is hundreds of thousands of files,
/// which need not all be in memory at once.
pub fn write_index(
    site: &Site,
    write: impl Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync,
) -> Result<(), Diagnostic> {
    let docs = documents(site);

    // Words, and pairs of adjacent words (so a phrase is found from a few
    // small files instead of the lists of all its words).
    let (words, pairs) = postings(&docs);
    let words = lists(words, "t", "b", &write)?;
    let pairs = lists(pairs, "p", "pb", &write)?;

    docs.par_chunks(DOCS_PER_CHUNK)
        .enumerate()
        .try_for_each(|(i, chunk)| {
            let json = serde_json::to_vec(chunk).expect("plain data serializes");
            write(&format!("{DATA_DIR}/r/{i}.bin"), &gzip(&json))
        })?;

    let filters = filters(site, &docs);
    for ((kind, value), ranges) in &filters.docs {
        write(
            &format!("{DATA_DIR}/f/{}.bin", filter_file(kind, value)),
            &gzip(&ranges_file(ranges)),
        )?;
    }
    let lists_json = serde_json::to_vec(&FilterLists {
        speakers: &filters.speakers,
        tags: &filters.tags,
    })
    .expect("plain data serializes");
    write(&format!("{DATA_DIR}/filters.bin"), &gzip(&lists_json))?;
    let transcripts: Vec<[&str; 2]> = site
        .transcripts
        .iter()
        .map(|t| [t.slug.as_str(), t.title.as_str()])
        .collect();
    let transcripts_json = serde_json::to_vec(&transcripts).expect("plain data serializes");
    write(
        &format!("{DATA_DIR}/transcripts.bin"),
        &gzip(&transcripts_json),
    )?;
    let meta = Meta {
        version: FORMAT_VERSION,
        docs: docs.len(),
        chunk: DOCS_PER_CHUNK,
        buckets: words.buckets,
        own: words.own,
        pair_buckets: pairs.buckets,
        pair_own: pairs.own,
    };
    let meta_json = serde_json::to_vec(&meta).expect("plain data serializes");
    write(&format!("{DATA_DIR}/meta.bin"), &gzip(&meta_json))
}

/// The words of a text as the index stores them: Unicode-decomposed, accents
/// dropped, lower case, split at anything that is not a letter or a digit.
/// `verbatim-search.js` does exactly the same to a query.
pub fn terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for_each_term(text, |t| terms.push(t.to_string()));
    terms
}

/// [`terms`] without a string per word: each term is lent to `f` in turn.
fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    if text.is_ascii() {
        // The same, the short way: ASCII has nothing to decompose or drop,
        // and lower case is a byte for a byte.
        let mut word = String::new();
        for part in text.split(|c: char| !c.is_ascii_alphanumeric()) {
            if !part.is_empty() {
                word.clear();
                word.push_str(part);
                word.make_ascii_lowercase();
                f(&word);
            }
        }
        return;
    }
    let folded: String = text.nfd().filter(|c| !is_combining_mark(*c)).collect();
    folded
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .for_each(f);
}

/// One exchange as a search result shows it.
#[derive(Debug, Serialize)]
pub struct Document<'a> {
    /// URL of the exchange relative to the site root: `slug/section/#q3`.
    pub u: String,
    /// The question, plain text (empty when the exchange has none).
    pub q: &'a str,
    /// The answers, plain text, one paragraph per answer.
    pub a: String,
    /// Who answers.
    pub s: String,
    /// Transcript title.
    pub t: &'a str,
    /// Section title, with its number when it has one.
    pub c: String,
    #[serde(skip)]
    transcript: usize,
    #[serde(skip)]
    speakers: Vec<String>,
}

/// Every exchange of the site, in site order (its number is its id).
fn documents(site: &Site) -> Vec<Document<'_>> {
    let each: Vec<Vec<Document>> = site
        .transcripts
        .par_iter()
        .enumerate()
        .map(|(ti, t)| {
            let mut docs = Vec::new();
            for section in &t.sections {
                let url = section_url(t, section);
                let heading = match &section.number {
                    Some(n) => format!("{n}. {}", section.title),
                    None => section.title.clone(),
                };
                for exchange in &section.exchanges {
                    docs.push(document(t, ti, &url, &heading, exchange));
                }
            }
            docs
        })
        .collect();
    each.into_iter().flatten().collect()
}

fn document<'a>(
    t: &'a Transcript,
    ti: usize,
    url: &str,
    heading: &str,
    e: &'a Exchange,
) -> Document<'a> {
    let name = |id: &str| t.speaker(id).map_or(id, |s| s.name.as_str()).to_string();
    let mut answerers: Vec<String> = Vec::new();
    for a in &e.answers {
        let n = name(&a.speaker);
        if !answerers.contains(&n) {
            answerers.push(n);
        }
    }
    let mut speakers = answerers.clone();
    if let Some(q) = &e.question {
        let n = name(&q.speaker);
        if !speakers.contains(&n) {
            speakers.push(n);
        }
    }
    Document {
        u: format!("{url}#{}", e.id),
        q: e.question.as_ref().map_or("", |q| q.text.as_str()),
        a: e.answers
            .iter()
            .map(|a| a.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n"),
        s: answerers.join(", "),
        t: &t.title,
        c: heading.to_string(),
        transcript: ti,
        speakers,
    }
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
            (term, (ids.len(), k, bytes))
        })
        .collect();
    let (own, buckets) = split_terms(&coded);
    // Terms are referred to by their place in `coded`.
    let file = |terms: &[usize]| -> Vec<u8> {
        let entries: Vec<(&str, &Coded)> = terms
            .iter()
            .map(|&t| (coded[t].0.as_str(), &coded[t].1))
            .collect();
        gzip(&term_file(&entries))
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
type Postings = Vec<(String, Vec<u32>)>;

/// The postings of words, and of pairs of adjacent words of the question or
/// the answers (joined by a space), in one reading of the text.
///
/// Words are numbered as they are first met, and a pair is the two numbers
/// in one `u64`: a site has millions of distinct pairs but only thousands of
/// distinct words, so the pair map hashes and compares integers, and a
/// pair's text is made once at the end instead of for every occurrence.
fn postings(docs: &[Document]) -> (Postings, Postings) {
    // Blocks of consecutive exchanges in parallel, each with maps of its
    // own, merged in block order so every list comes out sorted. Blocks go
    // in batches, so only a batch of block maps is in memory at once.
    const BATCH: usize = 65_536;
    let mut all = Numbered::default();
    let mut shards: Vec<FxHashMap<u64, Vec<u32>>> = vec![FxHashMap::default(); SHARDS];
    for (n, batch) in docs.chunks(BATCH).enumerate() {
        // One block per thread: every block's map is merged once.
        let block_len = batch.len().div_ceil(rayon::current_num_threads()).max(1);
        let blocks: Vec<Numbered> = batch
            .par_chunks(block_len)
            .enumerate()
            .map(|(b, chunk)| {
                let first = n * BATCH + b * block_len;
                let mut block = Numbered::default();
                for (i, d) in chunk.iter().enumerate() {
                    let id = (first + i) as u32;
                    for text in [d.q, d.a.as_str()] {
                        let mut previous = None;
                        for_each_term(text, |term| {
                            let word = block.word(term);
                            push_id(&mut block.words[word as usize], id);
                            if let Some(p) = previous {
                                let pair = u64::from(p) << 32 | u64::from(word);
                                push_id(block.pairs.entry(pair).or_default(), id);
                            }
                            previous = Some(word);
                        });
                    }
                }
                block
            })
            .collect();
        // Words merge one block after the other (there are few); pairs, in
        // their millions, are spread over shards by key and each shard takes
        // the blocks in order on its own thread.
        let mut sharded = Vec::with_capacity(blocks.len());
        for mut block in blocks {
            let renumber = all.merge_words(&mut block);
            sharded.push((renumber, block.pairs));
        }
        let sharded: Vec<Vec<PairLists>> = sharded
            .into_par_iter()
            .map(|(renumber, pairs)| {
                let mut by_shard: Vec<PairLists> = vec![Vec::new(); SHARDS];
                for (pair, ids) in pairs {
                    let (a, b) = ((pair >> 32) as usize, (pair & 0xffff_ffff) as usize);
                    let pair = u64::from(renumber[a]) << 32 | u64::from(renumber[b]);
                    by_shard[shard_of(pair)].push((pair, ids));
                }
                by_shard
            })
            .collect();
        let mut per_shard: Vec<Vec<PairLists>> = vec![Vec::new(); SHARDS];
        for block in sharded {
            for (s, part) in block.into_iter().enumerate() {
                per_shard[s].push(part);
            }
        }
        shards
            .par_iter_mut()
            .zip(per_shard)
            .for_each(|(shard, parts)| {
                for (pair, ids) in parts.into_iter().flatten() {
                    shard.entry(pair).or_default().extend(ids);
                }
            });
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
    (words, pairs)
}

/// Shards of the pair lists (see [`postings`]).
const SHARDS: usize = 64;

/// Pairs (two word numbers) with their exchange ids, of one block and shard.
type PairLists = Vec<(u64, Vec<u32>)>;

/// The shard of a pair: the top bits of a multiplicative hash of the key.
fn shard_of(pair: u64) -> usize {
    (pair.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58) as usize
}

/// Postings with words as numbers (see [`postings`]).
#[derive(Default)]
struct Numbered {
    /// Number -> word, and back.
    names: Vec<String>,
    numbers: FxHashMap<String, u32>,
    /// Number -> ids of the exchanges that hold the word.
    words: Vec<Vec<u32>>,
    /// Two numbers (first word in the high half) -> exchange ids.
    pairs: FxHashMap<u64, Vec<u32>>,
}

impl Numbered {
    /// The number of `term`, given it if new.
    fn word(&mut self, term: &str) -> u32 {
        if let Some(&n) = self.numbers.get(term) {
            return n;
        }
        let n = self.names.len() as u32;
        self.names.push(term.to_string());
        self.numbers.insert(term.to_string(), n);
        self.words.push(Vec::new());
        n
    }

    /// Appends a later block's word lists to these; returns the number here
    /// of each of the block's words, for its pairs.
    fn merge_words(&mut self, block: &mut Numbered) -> Vec<u32> {
        let renumber: Vec<u32> = block.names.iter().map(|w| self.word(w)).collect();
        for (n, ids) in block.words.drain(..).enumerate() {
            self.words[renumber[n] as usize].extend(ids);
        }
        renumber
    }
}

/// Adds exchange `id` to a list, once.
fn push_id(ids: &mut Vec<u32>, id: u32) {
    if ids.last() != Some(&id) {
        ids.push(id);
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
        buckets[(hash(&coded[i].0) % count as u64) as usize].push(i);
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
    /// (kind, value) -> ranges of exchange ids, as (start, length).
    docs: BTreeMap<(&'static str, String), Vec<(u32, u32)>>,
}

fn filters(site: &Site, docs: &[Document]) -> Filters {
    // Keys borrow their values from the site; they are copied once each at
    // the end, not for every exchange.
    let mut borrowed: BTreeMap<(&'static str, &str), Vec<u32>> = BTreeMap::new();
    for (id, d) in docs.iter().enumerate() {
        let id = id as u32;
        let t = &site.transcripts[d.transcript];
        borrowed
            .entry(("transcript", t.slug.as_str()))
            .or_default()
            .push(id);
        for tag in &t.tags {
            borrowed.entry(("tag", tag.as_str())).or_default().push(id);
        }
        for s in &d.speakers {
            borrowed
                .entry(("speaker", s.as_str()))
                .or_default()
                .push(id);
        }
    }
    let ids: BTreeMap<(&'static str, String), Vec<u32>> = borrowed
        .into_iter()
        .map(|((kind, value), list)| ((kind, value.to_string()), list))
        .collect();
    let values = |kind: &str| -> Vec<String> {
        ids.keys()
            .filter(|(k, _)| *k == kind)
            .map(|(_, v)| v.clone())
            .collect()
    };
    Filters {
        speakers: values("speaker"),
        tags: values("tag"),
        docs: ids.into_iter().map(|(k, v)| (k, ranges(&v))).collect(),
    }
}

/// Ascending ids as runs of consecutive ids: a transcript is one run. An id
/// may come twice in a row (a tag written twice on one transcript); it counts once.
fn ranges(ids: &[u32]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &id in ids {
        match out.last_mut() {
            Some((start, len)) if id < *start + *len => {}
            Some((start, len)) if *start + *len == id => *len += 1,
            _ => out.push((id, 1)),
        }
    }
    out
}

#[derive(Serialize)]
struct FilterLists<'a> {
    speakers: &'a [String],
    tags: &'a [String],
}

#[derive(Serialize)]
struct Meta {
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

/// Ascending ids as Golomb-Rice codes of the gaps (`id - previous - 1`, the
/// first from -1): the quotient `gap >> k` in unary (ones, then a zero), then
/// the `k` low bits, most significant bit first. Gaps between the exchanges
/// that hold a word are close to geometric, for which this is within a few
/// percent of the entropy; gzip on bytes does far worse on them. `k` is the
/// one that gives the fewest bits.
fn rice(ids: &[u32]) -> (u32, Vec<u8>) {
    let gaps: Vec<u64> = ids
        .iter()
        .scan(-1i64, |prev, &id| {
            let gap = i64::from(id) - *prev - 1;
            *prev = i64::from(id);
            Some(gap as u64)
        })
        .collect();
    let bits = |k: u32| -> u64 { gaps.iter().map(|g| (g >> k) + 1 + u64::from(k)).sum() };
    // The best k is near log2(mean gap * ln 2); try its neighbours.
    let mean = gaps.iter().sum::<u64>() as f64 / gaps.len().max(1) as f64;
    let guess = (mean * std::f64::consts::LN_2).max(1.0).log2().floor() as u32;
    let k = (guess.saturating_sub(1)..=(guess + 1).min(31))
        .min_by_key(|&k| bits(k))
        .unwrap_or(0);
    let mut w = BitWriter::default();
    for g in gaps {
        // The quotient in unary: that many ones, then a zero.
        let mut ones = g >> k;
        while ones >= 32 {
            w.bits(u64::from(u32::MAX), 32);
            ones -= 32;
        }
        w.bits(((1u64 << ones) - 1) << 1, ones as u32 + 1);
        if k > 0 {
            w.bits(g & ((1u64 << k) - 1), k);
        }
    }
    (k, w.finish())
}

/// Bits into bytes, most significant bit first, the last byte padded with
/// zeros. Bits gather in a word and leave it a byte at a time: a site's lists
/// are hundreds of millions of bits.
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    /// Bits not yet in `bytes`, the newest lowest; fewer than 8 between calls.
    pending: u64,
    count: u32,
}

impl BitWriter {
    /// Appends the `n` low bits of `value` (at most 33), highest first.
    fn bits(&mut self, value: u64, n: u32) {
        self.pending = (self.pending << n) | value;
        self.count += n;
        while self.count >= 8 {
            self.count -= 8;
            self.bytes.push((self.pending >> self.count) as u8);
        }
        self.pending &= (1 << self.count) - 1;
    }

    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.bytes.push((self.pending << (8 - self.count)) as u8);
        }
        self.bytes
    }
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

fn varint(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// The index files are stored compressed, whatever the host does; the script
/// inflates them with the browser's own `DecompressionStream`. A gzip member
/// (RFC 1952) is a fixed header, the raw deflate stream, and the CRC-32 and
/// length of the input; it is put together here so that each thread reuses
/// one compressor (making one clears a few hundred kilobytes, and a site has
/// tens of thousands of index files).
fn gzip(bytes: &[u8]) -> Vec<u8> {
    // No name, no time stamp (builds repeat byte for byte), "unknown" OS.
    const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    thread_local! {
        // Level 2: on these small files it gives the bytes of the default
        // level 6 (within 0.2% on the 1,000-transcript corpus) in less time;
        // level 1 (static codes only) made the result records 39% larger.
        static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::new(2), false));
    }
    let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
    out.extend_from_slice(&HEADER);
    DEFLATE.with_borrow_mut(|deflate| {
        deflate.reset();
        loop {
            out.reserve(bytes.len() / 4 + 64);
            let read = deflate.total_in() as usize;
            let status = deflate
                .compress_vec(&bytes[read..], &mut out, FlushCompress::Finish)
                .expect("deflating memory cannot fail");
            if status == Status::StreamEnd {
                break;
            }
        }
    });
    let mut crc = Crc::new();
    crc.update(bytes);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out
}

/// 64-bit FNV-1a of the UTF-8 bytes: simple enough to compute the same way in
/// the browser (with BigInt), so file names need no lookup table.
pub fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn hash_hex(text: &str) -> String {
    format!("{:016x}", hash(text))
}

/// The file name (without extension) of a filter value.
pub fn filter_file(kind: &str, value: &str) -> String {
    hash_hex(&format!("{kind}\u{0}{value}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_fold_case_and_accents_and_split_at_punctuation() {
        assert_eq!(
            terms("Café, L'ÉTÉ — naïve 2026!"),
            vec!["cafe", "l", "ete", "naive", "2026"]
        );
    }

    #[test]
    fn runs_of_ids_become_ranges() {
        assert_eq!(ranges(&[1, 2, 3, 7, 9, 10]), vec![(1, 3), (7, 1), (9, 2)]);
        assert_eq!(ranges(&[4, 4, 5, 5, 8, 8]), vec![(4, 2), (8, 1)]);
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
            let (k, bytes) = rice(ids);
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

    #[test]
    fn rice_codes_gaps_with_the_cheapest_parameter() {
        // Gaps 0, 0, 0: k = 0, three zero bits.
        assert_eq!(rice(&[0, 1, 2]), (0, vec![0b0000_0000]));
        // Gaps 4, 4: k = 1 and k = 2 both take 8 bits; the smaller wins,
        // each gap `11 0` + `0`.
        assert_eq!(rice(&[4, 9]), (1, vec![0b1100_1100]));
        // Gaps 20, 20: k = 3, 6 bits each (`110` + `100`); k = 4 ties, k = 2 takes 8.
        assert_eq!(rice(&[20, 41]), (3, vec![0b1101_0011, 0b0100_0000]));
    }

    #[test]
    fn fnv_matches_the_published_test_vector() {
        assert_eq!(hash("a"), 0xaf63dc4c8601ec8c);
    }
}
