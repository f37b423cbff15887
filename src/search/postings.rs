//! The postings: for each word, and each pair of adjacent words, the ids of
//! the exchanges that hold it, gathered in one reading of the text.

use super::codec::*;
use super::tokenizer::*;
use super::*;

/// Each key (a word, or two words and a space) with the ascending ids of the
/// exchanges that hold it; every key once. The maps that gather them hash
/// with FxHash rather than SipHash: a site has millions of them, and the keys
/// are the site's own words, not an attacker's choice of collisions against
/// a server.
pub(super) type Postings = Vec<(String, Ids)>;

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
pub(super) fn postings(docs: &[Document], stop: &(dyn Fn() -> bool + Sync)) -> Option<Found> {
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
                    let mut length = 0;
                    // The question, then the answers as one text: the last
                    // word of an answer and the first of the next are a pair.
                    let mut read = |texts: &mut dyn Iterator<Item = &str>| {
                        let mut previous = None;
                        for text in texts {
                            for_each_term(text, |term| {
                                length += 1;
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
                    block.lengths.push(length);
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
        let lengths = &mut all.lengths;
        rayon::join(
            || {
                for (renumber, block) in &renumbered {
                    lengths.extend_from_slice(&block.lengths);
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
    Some(Found {
        words,
        pairs,
        lengths: all.lengths,
    })
}

/// What [`postings`] finds.
pub(super) struct Found {
    pub(super) words: Postings,
    pub(super) pairs: Postings,
    /// Each exchange's length in words, by id, which ranking (BM25)
    /// weighs a word's frequency against.
    pub(super) lengths: Vec<u32>,
}

/// Shards of the pair lists (see [`postings`]): enough that one shard's
/// lists stay in cache on a site of millions of distinct pairs.
pub(super) const SHARDS: usize = 256;

/// The shard of a pair: the top bits of a multiplicative hash of the key.
pub(super) fn shard_of(pair: u64) -> usize {
    (pair.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - SHARDS.trailing_zeros())) as usize
}

/// Postings with words as numbers (see [`postings`]).
#[derive(Default)]
pub(super) struct Numbered {
    /// Number -> word, and back: words of up to 8 bytes (most of them) by
    /// their bytes as one integer, which is quicker to hash and compare than
    /// a string, and longer words by their text. A word has no zero byte, so
    /// the padding of a short word's key cannot be mistaken for a letter.
    pub(super) names: Vec<String>,
    pub(super) short: FxHashMap<u64, u32>,
    pub(super) long: FxHashMap<String, u32>,
    /// Number -> ids of the exchanges that hold the word.
    pub(super) words: Vec<Ids>,
    /// Every occurrence of a pair of adjacent words, in text order: the two
    /// numbers (first word in the high half) and the exchange id.
    pub(super) pairs: Vec<(u64, u32)>,
    /// The length in words of each exchange read, in order.
    pub(super) lengths: Vec<u32>,
}

impl Numbered {
    /// The number of `term`, given it if new.
    pub(super) fn word(&mut self, term: &str) -> u32 {
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
    pub(super) fn numbers_of(&mut self, names: &[String]) -> Vec<u32> {
        names.iter().map(|w| self.word(w)).collect()
    }
}

/// Ascending exchange ids, kept as the gaps between them (`id - previous -
/// 1`, the first from -1: what [`rice`] codes), each plus one, in LEB128,
/// and after each as many zero bytes as the exchange holds the key more
/// than once (its term frequency, which ranking needs). Most gaps take a
/// byte or two where an id takes four, and every list of a site is held
/// until its last exchange has been read: at 10,000 transcripts, tens of
/// millions of ids, which as `u32`s were a quarter of a gigabyte of fresh
/// memory for the kernel to clear. A gap plus one is never zero, and its
/// last LEB128 byte neither, so a zero byte is always a repeat.
#[derive(Default, Clone, Debug, PartialEq)]
pub(super) struct Ids {
    pub(super) gaps: Vec<u8>,
    pub(super) last: u32,
    pub(super) len: u32,
}

impl Ids {
    /// Adds an occurrence in exchange `id`, which is not below the last
    /// one; the last one again counts one more occurrence there.
    pub(super) fn push(&mut self, id: u32) {
        let gap = match self.len {
            0 => u64::from(id),
            _ if id == self.last => {
                self.gaps.push(0);
                return;
            }
            _ => u64::from(id) - u64::from(self.last) - 1,
        };
        varint(&mut self.gaps, gap + 1);
        self.last = id;
        self.len += 1;
    }

    /// Adds the occurrences of `other`, whose ids are not below this list's
    /// last one.
    pub(super) fn append(&mut self, other: &Ids) {
        let Some((first, first_bytes)) = read_varint(&other.gaps) else {
            return;
        };
        // The first gap counts from -1, the others from the id before them:
        // only the first is coded again, the rest (and the first's repeats)
        // are copied as they are.
        self.push((first - 1) as u32);
        self.gaps.extend_from_slice(&other.gaps[first_bytes..]);
        self.len += other.len - 1;
        self.last = other.last;
    }

    /// The gaps, in order, each with how many times its exchange holds the
    /// key.
    pub(super) fn gaps(&self) -> Gaps<'_> {
        Gaps(&self.gaps)
    }
}

/// The gaps of an [`Ids`] and their term frequencies, decoded one by one.
/// Most gaps are below 127 and take one byte, which is read without the
/// general decoder: [`rice`] reads every list of a site.
pub(super) struct Gaps<'a>(&'a [u8]);

impl Iterator for Gaps<'_> {
    type Item = (u64, u32);

    fn next(&mut self) -> Option<(u64, u32)> {
        let (&first, rest) = self.0.split_first()?;
        let gap = if first < 0x80 {
            self.0 = rest;
            u64::from(first)
        } else {
            let (gap, used) = read_varint(self.0)?;
            self.0 = &self.0[used..];
            gap
        };
        let repeats = self.0.iter().take_while(|&&b| b == 0).count();
        self.0 = &self.0[repeats..];
        Some((gap.saturating_sub(1), 1 + repeats as u32))
    }
}
