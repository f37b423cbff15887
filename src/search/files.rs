//! The index's files: term files (own and bucketed), filter files, the
//! transcripts' runs and meta.bin's lists, as bytes for the output.

use super::codec::*;
use super::*;

/// What meta.bin says of the files of one kind of key (words or pairs).
pub(super) struct Lists {
    /// Keys with a file of their own, and how many exchanges hold each.
    pub(super) own: BTreeMap<String, usize>,
    pub(super) buckets: usize,
}

pub(super) fn lists(
    postings: Postings,
    lengths: &[u32],
    avg: f64,
    own_dir: &str,
    bucket_dir: &str,
    write: &(impl Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync),
) -> Result<Lists, Diagnostic> {
    // Each key's list, coded once.
    let coded: Vec<(String, Coded)> = postings
        .into_par_iter()
        .map(|(term, ids)| {
            let (k, bytes) = rice(&ids);
            let weights = impacts(&ids, lengths, avg);
            (term, (ids.len as usize, k, bytes, weights))
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

/// Splits the terms into those with a file of their own (sorted) and buckets
/// of rare terms, where a term's bucket is its hash modulo the bucket count.
pub(super) fn split_terms(coded: &[(String, Coded)]) -> (Vec<usize>, Vec<Vec<usize>>) {
    let mut own = Vec::new();
    let mut rare = Vec::new();
    let mut rare_bytes = 0;
    for (i, (term, (_, _, bytes, weights))) in coded.iter().enumerate() {
        let size = term.len() + bytes.len() + weights.len();
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
pub(super) struct Filters {
    pub(super) speakers: Vec<String>,
    pub(super) tags: Vec<String>,
    /// (kind, value) -> ranges of exchange ids, as (start, length), for
    /// speakers and tags.
    pub(super) docs: BTreeMap<(&'static str, String), Vec<(u32, u32)>>,
    /// Each transcript's slug and its one run of exchanges (start, length).
    pub(super) transcripts: Vec<(String, u32, u32)>,
}

pub(super) fn filters(docs: &[Document]) -> Filters {
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
pub(super) fn transcript_buckets(
    transcripts: &[(String, u32, u32)],
) -> Vec<Vec<&(String, u32, u32)>> {
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
pub(super) fn transcript_file(entries: &[&(String, u32, u32)]) -> Vec<u8> {
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
pub(super) fn add_run(runs: &mut Vec<(u32, u32)>, start: u32, len: u32) {
    match runs.last_mut() {
        Some((s, l)) if start <= *s + *l => *l = (*l).max(start + len - *s),
        _ => runs.push((start, len)),
    }
}

#[derive(Serialize)]
pub(super) struct FilterLists<'a> {
    pub(super) speakers: &'a [String],
    pub(super) tags: &'a [String],
}

#[derive(Serialize)]
pub(super) struct IndexMeta {
    pub(super) version: u32,
    /// Number of exchanges.
    pub(super) docs: usize,
    /// Exchanges per result file.
    pub(super) chunk: usize,
    /// Number of bucket files of rare terms.
    pub(super) buckets: usize,
    /// Terms with a file of their own, with the number of exchanges that
    /// hold each, so a query fetches its rarest words first.
    pub(super) own: BTreeMap<String, usize>,
    /// The same for pairs of adjacent words (`"open source"`).
    pub(super) pair_buckets: usize,
    pub(super) pair_own: BTreeMap<String, usize>,
    /// Number of bucket files of transcripts' runs.
    pub(super) transcript_buckets: usize,
    /// The Snowball algorithms a query's words are stemmed with (each has
    /// its script, `stem-<name>.js`); none when the site's languages have
    /// none, and words are then looked up as they are.
    pub(super) stem: Vec<&'static str>,
    /// Number of bucket files of words by their first letters (`x/`).
    pub(super) prefix_buckets: usize,
    /// How many letters those are ([`PREFIX_CHARS`]).
    pub(super) prefix_chars: usize,
    /// The average number of words of an exchange, for ranking (BM25).
    pub(super) avg_terms: f64,
}

/// How many letters of a word a reader types before it is also matched as
/// the start of longer words ([`prefix_files`]).
pub const PREFIX_CHARS: usize = 3;

/// The index's words by their first [`PREFIX_CHARS`] letters, for matching
/// the word a reader is typing as the start of longer ones: `x/<n>.bin`,
/// buckets of about 4 KB by the hash of the prefix, each a JSON object from
/// prefix to its words (folded, not stemmed: the script stems them for the
/// word lists, and a phrase's pairs are of words) with how many exchanges
/// hold each, most first. Gives the number of
/// buckets. Chinese and Japanese characters are words of one letter and
/// have none.
pub(super) fn prefix_files(
    words: &Postings,
    write: &(impl Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync),
) -> Result<usize, Diagnostic> {
    let mut groups: BTreeMap<String, Vec<(&str, u32)>> = BTreeMap::new();
    let mut bytes = 0;
    for (term, ids) in words {
        let prefix: String = term.chars().take(PREFIX_CHARS).collect();
        if prefix.chars().count() < PREFIX_CHARS
            || prefix.chars().any(super::tokenizer::by_character)
        {
            continue;
        }
        bytes += term.len() + 8;
        groups.entry(prefix).or_default().push((term, ids.len));
    }
    let count = (bytes / BUCKET_TARGET_BYTES).max(1);
    let mut buckets: Vec<BTreeMap<String, Vec<(&str, u32)>>> = vec![BTreeMap::new(); count];
    for (prefix, mut terms) in groups {
        terms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        buckets[bucket_of(&prefix, count)].insert(prefix, terms);
    }
    buckets.par_iter().enumerate().try_for_each(|(i, bucket)| {
        let json = serde_json::to_vec(bucket).expect("plain data serializes");
        write(
            &format!("{DATA_DIR}/x/{i}.bin"),
            &gzip(&json, Packing::Deflated),
        )
    })?;
    Ok(count)
}

/// A word's list as stored: number of exchanges, Rice parameter, coded ids,
/// and their weights as [`impacts`] codes them.
pub(super) type Coded = (usize, u32, Vec<u8>, Vec<u8>);

/// A term file: for each term its UTF-8 bytes, the number of exchanges, the
/// Rice parameter and the byte length of the list (all LEB128 varints), then
/// the ids, Golomb-Rice coded, then their weights ([`impacts`]).
pub(super) fn term_file(entries: &[(&str, &Coded)]) -> Vec<u8> {
    let mut out = Vec::new();
    varint(&mut out, entries.len() as u64);
    for (term, (count, k, list, weights)) in entries {
        varint(&mut out, term.len() as u64);
        out.extend_from_slice(term.as_bytes());
        varint(&mut out, *count as u64);
        varint(&mut out, u64::from(*k));
        varint(&mut out, list.len() as u64);
        out.extend_from_slice(list);
        out.extend_from_slice(weights);
    }
    out
}

/// A filter file: the number of runs, then for each the gap from the end of
/// the previous run and its length, as varints.
pub(super) fn ranges_file(ranges: &[(u32, u32)]) -> Vec<u8> {
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
