//! The search index as a reader's browser sees it: build a small site, then
//! read the files the search script would fetch for a query.

use flate2::read::GzDecoder;
use std::fs;
use std::io::Read;
use std::path::Path;
use verbatim::{build, BuildOptions};

const INTERVIEW_A: &str = r#"+++
title = "Harbour Days"
date = 2024-05-01
tags = ["fishing", "memory"]

[[speakers]]
id = "ines"
name = "Inês Duarte"
role = "interviewee"
+++

## 01. The Boats {#boats}

**Q:** When did you first go out on the boats?

**Inês Duarte:** I was twelve. The nets were heavier than I was, and the winter sea frightened me.

**Q:** And the café by the harbour?

**Inês Duarte:** My aunt ran it. Fishermen paid in sardines.

## 02. Leaving {#leaving}

**Q:** Why did you leave?

**Inês Duarte:** The factory closed and the railway took us north.
"#;

const INTERVIEW_B: &str = r#"+++
title = "Mill Town"
date = 2023-01-09
tags = ["labour"]

[[speakers]]
id = "tom"
name = "Tom Okafor"
role = "interviewee"
+++

## 01. Work

**Q:** What was the mill like?

**Tom Okafor:** Loud. The winter shifts were the worst, but the union kept us together.
"#;

fn site(search: Option<bool>) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    fs::create_dir_all(root.join("content")).unwrap();
    let mut toml = "title = \"Test\"\n".to_string();
    if let Some(s) = search {
        toml.push_str(&format!("search = {s}\n"));
    }
    fs::write(root.join("site.toml"), toml).unwrap();
    fs::write(root.join("content/harbour.md"), INTERVIEW_A).unwrap();
    fs::write(root.join("content/mill.md"), INTERVIEW_B).unwrap();
    let out = dir.path().join("out");
    build(&BuildOptions {
        root,
        output: Some(out.clone()),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e:?}"));
    (dir, out)
}

fn gunzip(path: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    GzDecoder::new(fs::File::open(path).unwrap_or_else(|e| panic!("{path:?}: {e}")))
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&gunzip(path)).unwrap()
}

fn varint(bytes: &[u8], i: &mut usize) -> u64 {
    let (mut n, mut shift) = (0u64, 0);
    loop {
        let b = bytes[*i];
        *i += 1;
        n |= u64::from(b & 0x7f) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            return n;
        }
    }
}

/// The exchange ids for a word, read the way the script reads them.
fn lookup(data: &Path, term: &str) -> Vec<u64> {
    lookup_in(data, term, ["own", "buckets", "t", "b"])
}

/// The exchange ids for two adjacent words.
fn lookup_pair(data: &Path, pair: &str) -> Vec<u64> {
    lookup_in(data, pair, ["pair_own", "pair_buckets", "p", "pb"])
}

fn lookup_in(data: &Path, term: &str, [own, buckets, own_dir, bucket_dir]: [&str; 4]) -> Vec<u64> {
    let meta = json(&data.join("meta.bin"));
    let hash = verbatim::search::hash(term);
    let file = if meta[own].get(term).is_some() {
        data.join(format!("{own_dir}/{hash:016x}.bin"))
    } else {
        let n = hash % meta[buckets].as_u64().unwrap();
        data.join(format!("{bucket_dir}/{n}.bin"))
    };
    let bytes = gunzip(&file);
    let mut i = 0;
    for _ in 0..varint(&bytes, &mut i) {
        let len = varint(&bytes, &mut i) as usize;
        let word = std::str::from_utf8(&bytes[i..i + len]).unwrap().to_string();
        i += len;
        let df = varint(&bytes, &mut i);
        let k = varint(&bytes, &mut i);
        let size = varint(&bytes, &mut i) as usize;
        if word != term {
            i += size;
            continue;
        }
        // Golomb-Rice: unary quotient, then k low bits.
        let mut pos = i * 8;
        let mut bit = || {
            let b = (bytes[pos / 8] >> (7 - pos % 8)) & 1;
            pos += 1;
            u64::from(b)
        };
        let mut prev: i64 = -1;
        return (0..df)
            .map(|_| {
                let mut q = 0;
                while bit() == 1 {
                    q += 1;
                }
                let mut low = 0;
                for _ in 0..k {
                    low = low * 2 + bit();
                }
                prev += 1 + ((q << k) + low) as i64;
                prev as u64
            })
            .collect();
    }
    Vec::new()
}

/// The result record of exchange `id`.
fn doc(data: &Path, id: u64) -> serde_json::Value {
    let chunk = verbatim::search::DOCS_PER_CHUNK as u64;
    json(&data.join(format!("r/{}.bin", id / chunk)))[(id % chunk) as usize].clone()
}

#[test]
fn a_word_leads_to_its_exchanges_with_what_a_result_shows() {
    let (_dir, out) = site(None);
    let data = out.join("search/data");
    let ids = lookup(&data, "sardines");
    assert_eq!(ids.len(), 1);
    let d = doc(&data, ids[0]);
    assert_eq!(d["u"], "harbour/boats/#q2");
    assert_eq!(d["q"], "And the café by the harbour?");
    assert!(d["a"].as_str().unwrap().contains("paid in sardines"));
    assert_eq!(d["s"], "Inês Duarte");
    assert_eq!(d["t"], "Harbour Days");
    assert_eq!(d["c"], "01. The Boats");

    // Accents and case fold away, on both sides.
    assert_eq!(lookup(&data, "cafe"), ids);
    // A word in two transcripts: both exchanges, in site order (newest first).
    let winter: Vec<String> = lookup(&data, "winter")
        .into_iter()
        .map(|id| doc(&data, id)["t"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(winter, ["Harbour Days", "Mill Town"]);
    assert!(lookup(&data, "submarine").is_empty());

    // Adjacent words are indexed as pairs, for phrases; words apart are not.
    assert_eq!(lookup_pair(&data, "paid in"), ids);
    assert_eq!(lookup_pair(&data, "in sardines"), ids);
    assert!(lookup_pair(&data, "paid sardines").is_empty());
    // Pairs do not run from a question into its answer.
    assert!(lookup_pair(&data, "harbour my").is_empty());
}

#[test]
fn filters_select_the_exchanges_of_a_speaker_transcript_or_tag() {
    let (_dir, out) = site(None);
    let data = out.join("search/data");
    let lists = json(&data.join("filters.bin"));
    assert!(lists["speakers"]
        .as_array()
        .unwrap()
        .contains(&"Tom Okafor".into()));
    assert_eq!(
        lists["tags"],
        serde_json::json!(["fishing", "labour", "memory"])
    );
    let transcripts = json(&data.join("transcripts.bin"));
    assert_eq!(transcripts[1], serde_json::json!(["mill", "Mill Town"]));

    let runs = |kind: &str, value: &str| -> Vec<(u64, u64)> {
        let name = verbatim::search::filter_file(kind, value);
        let bytes = gunzip(&data.join(format!("f/{name}.bin")));
        let mut i = 0;
        let mut end = 0;
        (0..varint(&bytes, &mut i))
            .map(|_| {
                let start = end + varint(&bytes, &mut i);
                let len = varint(&bytes, &mut i);
                end = start + len;
                (start, len)
            })
            .collect()
    };
    // Harbour Days has 3 exchanges (ids 0-2), Mill Town 1 (id 3). A
    // transcript's run is in the bucket of its slug, not a file of its own.
    let buckets = json(&data.join("meta.bin"))["transcript_buckets"]
        .as_u64()
        .unwrap() as usize;
    let transcript_run = |slug: &str| -> Option<(u64, u64)> {
        let bucket = verbatim::search::bucket_of(slug, buckets);
        let bytes = gunzip(&data.join(format!("tb/{bucket}.bin")));
        let mut i = 0;
        let mut found = None;
        for _ in 0..varint(&bytes, &mut i) {
            let len = varint(&bytes, &mut i) as usize;
            let name = std::str::from_utf8(&bytes[i..i + len]).unwrap().to_string();
            i += len;
            let (start, count) = (varint(&bytes, &mut i), varint(&bytes, &mut i));
            if name == slug {
                found = Some((start, count));
            }
        }
        found
    };
    assert_eq!(buckets, 1);
    assert_eq!(transcript_run("harbour"), Some((0, 3)));
    assert_eq!(transcript_run("mill"), Some((3, 1)));
    assert_eq!(transcript_run("nowhere"), None);
    let own = verbatim::search::filter_file("transcript", "harbour");
    assert!(!data.join(format!("f/{own}.bin")).exists());
    assert_eq!(runs("tag", "labour"), [(3, 1)]);
    assert_eq!(runs("speaker", "Inês Duarte"), [(0, 3)]);
}

#[test]
fn the_search_page_and_header_box_come_and_go_with_the_setting() {
    let (_dir, out) = site(None);
    let read = |p: &str| fs::read_to_string(out.join(p)).unwrap();
    let page = read("search/index.html");
    assert!(page.contains(r#"<script src="../verbatim-search.js" defer></script>"#));
    assert!(page.contains(r#"id="search-speaker""#));
    let home = read("index.html");
    assert!(home.contains(r#"<form class="site-search" role="search" action="search/">"#));
    assert!(out.join("verbatim-search.js").is_file());

    let (_dir, out) = site(Some(false));
    assert!(!out.join("search").exists());
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains("site-search"));
}
