//! The index's encodings, which the script decodes: Golomb-Rice lists of
//! ids, LEB128 numbers, gzip members, and the FNV-1a hash that names files
//! and buckets (docs/search.md; tests/search_format.rs holds both sides to
//! one set of test vectors).

use super::Ids;
use libdeflater::{CompressionLvl, Compressor};
use std::cell::RefCell;

/// Ascending ids as Golomb-Rice codes of the gaps (`id - previous - 1`, the
/// first from -1): the quotient `gap >> k` in unary (ones, then a zero), then
/// the `k` low bits, most significant bit first. Gaps between the exchanges
/// that hold a word are close to geometric, for which this is within a few
/// percent of the entropy; gzip on bytes does far worse on them. `k` is the
/// one that gives the fewest bits.
pub(super) fn rice(ids: &Ids) -> (u32, Vec<u8>) {
    // The gaps are read twice, to choose `k` and to write them: decoded
    // once into a buffer of this thread, where the sums that choose `k` are
    // a loop the compiler vectorizes. Gaps between `u32` ids fit in a `u32`.
    thread_local! {
        static GAPS: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    }
    GAPS.with_borrow_mut(|gaps| {
        gaps.clear();
        gaps.reserve(ids.len as usize);
        gaps.extend(ids.gaps().map(|(g, _)| g as u32));
        rice_of_gaps(gaps)
    })
}

/// [`rice`] of the gaps themselves (each id minus the one before, minus
/// one; the first from -1). Public for the format's test vectors.
pub fn rice_of_gaps(gaps: &[u32]) -> (u32, Vec<u8>) {
    // The best k is near log2(mean gap * ln 2); try its neighbours.
    let count = gaps.len() as u64;
    let total: u64 = gaps.iter().map(|&g| u64::from(g)).sum();
    let mean = total as f64 / count.max(1) as f64;
    let guess = (mean * std::f64::consts::LN_2).max(1.0).log2().floor() as u32;
    let (lowest, highest) = (guess.saturating_sub(1), (guess + 1).min(31));
    // A gap takes `(gap >> k) + 1 + k` bits.
    let bits = |k: u32| -> u64 {
        gaps.iter().map(|&g| u64::from(g >> k)).sum::<u64>() + count * (1 + u64::from(k))
    };
    let (k, size) = (lowest..=highest)
        .map(|k| (k, bits(k)))
        .min_by_key(|&(_, size)| size)
        .unwrap_or((0, 0));
    let mut w = BitWriter::with_room(size);
    for &g in gaps {
        let g = u64::from(g);
        // The quotient in unary: that many ones, then a zero; then the
        // remainder, written with the zero when they fit in one call.
        let mut ones = g >> k;
        while ones >= 32 {
            w.bits(u64::from(u32::MAX), 32);
            ones -= 32;
        }
        let unary = ((1u64 << ones) - 1) << 1;
        let rest = g & ((1u64 << k) - 1);
        if ones as u32 + 1 + k <= 32 {
            w.bits(unary << k | rest, ones as u32 + 1 + k);
        } else {
            w.bits(unary, ones as u32 + 1);
            w.bits(rest, k);
        }
    }
    (k, w.finish())
}

/// BM25's parameters, as most engines set them (and the script).
pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;

/// BM25's weight of a key that an exchange of `length` words holds `tf`
/// times, on a site whose exchanges have `avg` words on average: the part
/// of the score a list can hold, which the script multiplies by the key's
/// rarity (idf). Between 0 and `K1 + 1`.
pub fn weight(tf: u32, length: u32, avg: f64) -> f64 {
    let tf = f64::from(tf);
    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * f64::from(length) / avg.max(1.0)))
}

/// A weight is stored as one of this many levels, geometric from
/// [`LOWEST_WEIGHT`] up to `K1 + 1`: level `n` stands for `LOWEST_WEIGHT *
/// STEP^n`, where STEP is about 1.17, so two weights a level apart differ
/// by a sixth. (BM25 itself ranks finer than that, but a word's list then
/// takes four bits more per exchange.)
pub const LEVELS: u8 = 16;
pub const LOWEST_WEIGHT: f64 = 0.2;

/// The weight that level `n` stands for.
pub fn level_weight(n: u8) -> f64 {
    LOWEST_WEIGHT * ((K1 + 1.0) / LOWEST_WEIGHT).powf(f64::from(n) / f64::from(LEVELS - 1))
}

/// The level nearest to `weight` (on the geometric scale): the number of
/// midpoints between levels below it. The midpoints are worked out once: a
/// site has tens of millions of weights to place.
pub fn level(weight: f64) -> u8 {
    static MIDPOINTS: std::sync::LazyLock<Vec<f64>> = std::sync::LazyLock::new(|| {
        (0..LEVELS - 1)
            .map(|n| (level_weight(n) * level_weight(n + 1)).sqrt())
            .collect()
    });
    MIDPOINTS.iter().take_while(|&&m| m < weight).count() as u8
}

/// The weights of a list (see [`weight`]), one level for each exchange, as
/// the script reads them after the ids: the number of distinct levels, the
/// levels from most to least common (a byte each), and, when there are
/// several, each exchange's level as its place in that order, Golomb-Rice
/// coded as [`rice_of_gaps`] codes gaps (its parameter and byte length,
/// then the codes). A list's weights mostly share a few levels, so the
/// common ones take a bit or two.
pub(super) fn impacts(ids: &Ids, lengths: &[u32], avg: f64) -> Vec<u8> {
    let mut id: i64 = -1;
    let levels: Vec<u8> = ids
        .gaps()
        .map(|(gap, tf)| {
            id += gap as i64 + 1;
            let length = lengths.get(id as usize).copied().unwrap_or(1);
            level(weight(tf, length, avg))
        })
        .collect();
    impacts_of_levels(&levels)
}

/// [`impacts`] of the levels themselves. Public for the format's test
/// vectors.
pub fn impacts_of_levels(levels: &[u8]) -> Vec<u8> {
    let mut counts = [0u32; LEVELS as usize];
    for &l in levels {
        counts[usize::from(l)] += 1;
    }
    let mut order: Vec<u8> = (0..LEVELS)
        .filter(|&l| counts[usize::from(l)] > 0)
        .collect();
    order.sort_by_key(|&l| (std::cmp::Reverse(counts[usize::from(l)]), l));
    let mut out = Vec::with_capacity(2 + order.len());
    varint(&mut out, order.len() as u64);
    out.extend_from_slice(&order);
    if order.len() > 1 {
        let mut place = [0u32; LEVELS as usize];
        for (p, &l) in order.iter().enumerate() {
            place[usize::from(l)] = p as u32;
        }
        let places: Vec<u32> = levels.iter().map(|&l| place[usize::from(l)]).collect();
        let (k, bytes) = rice_of_gaps(&places);
        varint(&mut out, u64::from(k));
        varint(&mut out, bytes.len() as u64);
        out.extend_from_slice(&bytes);
    }
    out
}

/// Bits into bytes, most significant bit first, the last byte padded with
/// zeros. Bits gather in a word and leave it four bytes at a time: a site's
/// lists are hundreds of millions of bits.
#[derive(Default)]
pub(super) struct BitWriter {
    bytes: Vec<u8>,
    /// Bits not yet in `bytes`, the newest lowest; fewer than 32 between
    /// calls.
    pending: u64,
    count: u32,
}

impl BitWriter {
    /// A writer with room for `bits` bits, so that writing them never has
    /// to grow its buffer.
    pub(super) fn with_room(bits: u64) -> BitWriter {
        BitWriter {
            bytes: Vec::with_capacity(bits.div_ceil(32) as usize * 4),
            ..BitWriter::default()
        }
    }

    /// Appends the `n` low bits of `value` (`n` at most 32, no bits above
    /// them), highest first.
    #[inline(always)]
    pub(super) fn bits(&mut self, value: u64, n: u32) {
        debug_assert!(n <= 32 && value >> n == 0);
        self.pending = (self.pending << n) | value;
        self.count += n;
        if self.count >= 32 {
            self.count -= 32;
            let word = (self.pending >> self.count) as u32;
            self.bytes.extend_from_slice(&word.to_be_bytes());
            self.pending &= (1 << self.count) - 1;
        }
    }

    pub(super) fn finish(mut self) -> Vec<u8> {
        let bytes = self.count.div_ceil(8);
        let padded = self.pending << (bytes * 8 - self.count);
        for i in (0..bytes).rev() {
            self.bytes.push((padded >> (8 * i)) as u8);
        }
        self.bytes
    }
}

/// The LEB128 number that `bytes` start with (as [`varint`] writes it), and
/// how many bytes it takes; `None` when `bytes` hold no whole number.
pub(super) fn read_varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut n = 0u64;
    // Ten bytes hold any u64.
    for (i, &b) in bytes.iter().take(10).enumerate() {
        n |= u64::from(b & 0x7f) << (7 * i);
        if b < 0x80 {
            return Some((n, i + 1));
        }
    }
    None
}

/// Appends `n` as LEB128 (seven bits a byte, lowest first, the high bit set
/// on all bytes but the last). Public for the format's test vectors.
pub fn varint(out: &mut Vec<u8>, mut n: u64) {
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

/// The index files are gzip members (RFC 1952) whatever the host does; the
/// script inflates them with the browser's own `DecompressionStream`. Text
/// (the JSON files) is deflated by libdeflate at level 1, which on files
/// this small gives level 6's bytes. Lists of ids are Golomb-Rice or varint
/// codes, already near their entropy, which deflating makes larger: they
/// are stored as they are. Each thread reuses its compressors, as a site
/// has hundreds of thousands of index files.
pub(super) fn gzip(bytes: &[u8], packing: Packing) -> Vec<u8> {
    thread_local! {
        static DEFLATE: RefCell<[Compressor; 2]> = RefCell::new([0, 1].map(|level| {
            Compressor::new(CompressionLvl::new(level).expect("0 and 1 are levels"))
        }));
        /// Room for the largest file compressed on this thread so far: a
        /// fresh zeroed buffer of the worst-case size for each of tens of
        /// thousands of files would be cleared only to be cut short.
        static ROOM: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    DEFLATE.with_borrow_mut(|compressors| {
        let deflate = &mut compressors[packing as usize];
        let bound = deflate.gzip_compress_bound(bytes.len());
        ROOM.with_borrow_mut(|room| {
            if room.len() < bound {
                room.resize(bound, 0);
            }
            let len = deflate
                .gzip_compress(bytes, &mut room[..bound])
                .expect("the bound is enough room");
            room[..len].to_vec()
        })
    })
}

/// How [`gzip`] packs a file: the deflate level.
#[derive(Clone, Copy)]
pub(super) enum Packing {
    /// Lists of ids: stored as they are.
    Stored = 0,
    /// Text (JSON): deflated.
    Deflated = 1,
}

/// 64-bit FNV-1a of the UTF-8 bytes: simple enough to compute the same way in
/// the browser (with BigInt), so file names need no lookup table.
pub fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

pub(super) fn hash_hex(text: &str) -> String {
    format!("{:016x}", hash(text))
}

/// The bucket file of a key (a rare word, a pair, a transcript's slug) among
/// `buckets`: its hash modulo their number, as the script finds it.
pub fn bucket_of(key: &str, buckets: usize) -> usize {
    (hash(key) % buckets.max(1) as u64) as usize
}
