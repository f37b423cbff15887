//! The search index as a reader's browser sees it: build a small site, then
//! read its files through the search script itself, under node
//! (`tests/search-format/read-index.cjs`), as a query on the search page would.

use serde_json::{json, Value};
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
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

/// Answers `requests` about the index in `data` (a built site's
/// search/data/), read by the script readers run, as the build wrote it
/// beside the index (`static/verbatim-search.js` minified), under node: see
/// `tests/search-format/read-index.cjs` for the requests.
fn read_index(data: &Path, requests: Value) -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = data.join("../../verbatim-search.js");
    assert!(script.is_file(), "{} is written", script.display());
    let mut child = Command::new("node")
        .arg(root.join("tests/search-format/read-index.cjs"))
        .arg(&script)
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs the search script's reader (install Node.js: see README)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(requests.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the script could not read the index: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answers.len(), requests.as_array().unwrap().len());
    answers
}

fn ids(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap_or_else(|| panic!("a list of ids, not {v}"))
        .iter()
        .map(|id| id.as_u64().unwrap())
        .collect()
}

#[test]
fn a_word_leads_to_its_exchanges_with_what_a_result_shows() {
    let (_dir, out) = site(None);
    let data = out.join("search/data");
    let a = read_index(
        &data,
        json!([
            {"word": "sardines"}, {"word": "cafe"}, {"word": "winter"}, {"word": "submarine"},
            {"pair": "paid in"}, {"pair": "in sardines"}, {"pair": "paid sardines"},
            {"pair": "harbour my"},
            {"query": "Paid in sardines"}, {"query": "sardines winter"}, {"query": "winter"},
        ]),
    );
    let sardines = ids(&a[0]);
    assert_eq!(sardines.len(), 1);
    let winter = ids(&a[2]);
    let docs = read_index(&data, json!([{"docs": sardines}, {"docs": winter}]));
    let d = &docs[0][0];
    assert_eq!(d["u"], "harbour/boats/#q2");
    assert_eq!(d["q"], "And the café by the harbour?");
    assert!(d["a"].as_str().unwrap().contains("paid in sardines"));
    assert_eq!(d["s"], "Inês Duarte");
    assert_eq!(d["t"], "Harbour Days");
    assert_eq!(d["c"], "01. The Boats");

    // Accents and case fold away, on both sides.
    assert_eq!(ids(&a[1]), sardines);
    // A word in two transcripts: both exchanges, in site order (newest first).
    let titles: Vec<&str> = docs[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["t"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Harbour Days", "Mill Town"]);
    assert!(ids(&a[3]).is_empty());

    // Adjacent words are indexed as pairs, for phrases; words apart are not.
    assert_eq!(ids(&a[4]), sardines);
    assert_eq!(ids(&a[5]), sardines);
    assert!(ids(&a[6]).is_empty());
    // Pairs do not run from a question into its answer.
    assert!(ids(&a[7]).is_empty());

    // Whole queries as the search page runs them: a phrase is found as one;
    // words far apart are found as words, in no exchange here together.
    assert_eq!(a[8], json!({"ids": sardines, "phrase": true}));
    assert_eq!(a[9], json!({"ids": [], "phrase": false}));
    assert_eq!(ids(&a[10]["ids"]).len(), 2);
}

#[test]
fn filters_select_the_exchanges_of_a_speaker_transcript_or_tag() {
    let (_dir, out) = site(None);
    let data = out.join("search/data");
    let a = read_index(
        &data,
        json!([
            {"json": "filters.bin"}, {"json": "transcripts.bin"}, {"json": "meta.bin"},
            {"filter": ["transcript", "harbour"]}, {"filter": ["transcript", "mill"]},
            {"filter": ["transcript", "nowhere"]}, {"filter": ["tag", "labour"]},
            {"filter": ["speaker", "Inês Duarte"]}, {"filter": ["tag", "nothing"]},
            {"query": "winter", "filters": {"tag": "labour"}},
        ]),
    );
    let lists = &a[0];
    assert!(lists["speakers"]
        .as_array()
        .unwrap()
        .contains(&"Tom Okafor".into()));
    assert_eq!(lists["tags"], json!(["fishing", "labour", "memory"]));
    assert_eq!(a[1][1], json!(["mill", "Mill Town"]));

    // Harbour Days has 3 exchanges (ids 0-2), Mill Town 1 (id 3). A
    // transcript's run is in the bucket of its slug, not a file of its own.
    assert_eq!(a[2]["transcript_buckets"], 1);
    assert_eq!(ids(&a[3]), [0, 1, 2]);
    assert_eq!(ids(&a[4]), [3]);
    assert!(ids(&a[5]).is_empty());
    let own = verbatim::search::filter_file("transcript", "harbour");
    assert!(!data.join(format!("f/{own}.bin")).exists());
    assert_eq!(ids(&a[6]), [3]);
    assert_eq!(ids(&a[7]), [0, 1, 2]);
    assert!(ids(&a[8]).is_empty());
    assert_eq!(a[9], json!({"ids": [3], "phrase": false}));
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

#[test]
fn words_are_found_by_their_stem_and_a_result_lands_on_the_turn_that_holds_them() {
    let (_dir, out) = site(None);
    let data = out.join("search/data");
    let a = read_index(
        &data,
        json!([
            {"json": "meta.bin"}, {"word": "sardines"}, {"word": "sardine"},
            {"word": "frightening"}, {"term": "sardines"}, {"query": "sardine"},
            {"query": "boat"}, {"query": "the railway closes"},
        ]),
    );
    // An English site stems with English's Snowball algorithm: the index
    // holds stems, and a query's word finds every form of its stem.
    assert_eq!(a[0]["stem"], json!(["english"]));
    // The script is fetched as gzip (read_index reads that one), its text
    // beside it for pages that refuse a script made from fetched bytes.
    assert!(data.join("stem-english.bin").exists());
    assert!(data.join("stem-english.js").exists());
    assert_eq!(ids(&a[1]).len(), 1);
    assert_eq!(ids(&a[2]), ids(&a[1]));
    assert_eq!(ids(&a[3]).len(), 1, "frightening finds frightened");
    assert!(
        ids(&a[4]).is_empty(),
        "the index's term is the stem, sardin"
    );
    assert_eq!(ids(&a[5]["ids"]), ids(&a[1]));
    assert_eq!(ids(&a[6]["ids"]).len(), 1, "boat finds boats");
    // Not a phrase here, but every word is in one exchange.
    assert_eq!(a[7]["phrase"], false);
    assert_eq!(ids(&a[7]["ids"]).len(), 1);

    // While a reader types, the last word also finds the words it starts;
    // a query that ends in a space, or is sent, finds the word alone.
    let typed = read_index(
        &data,
        json!([
            {"query": "sardi", "typing": true}, {"query": "sardi"},
            {"query": "sardi ", "typing": true}, {"query": "paid in sar", "typing": true},
            {"query": "fr", "typing": true}, {"query": "heav", "typing": true},
        ]),
    );
    assert_eq!(ids(&typed[0]["ids"]), ids(&a[1]));
    assert!(ids(&typed[1]["ids"]).is_empty());
    assert!(ids(&typed[2]["ids"]).is_empty());
    assert_eq!(ids(&typed[3]["ids"]), ids(&a[1]));
    // Two letters are too few to stand for the words they start.
    assert!(ids(&typed[4]["ids"]).is_empty());
    assert_eq!(ids(&typed[5]["ids"]).len(), 1, "heav finds heavier");
    // A phrase being typed is found as a phrase, its last word started.
    assert_eq!(typed[3]["phrase"], true);

    // A result links the turn that holds its words, and names who says
    // them: the answer's speaker, or the asker when the words are in the
    // question.
    let docs = read_index(
        &data,
        json!([{"docs": ids(&a[1])}, {"docs": ids(&a[6]["ids"])}]),
    );
    let sardines = &docs[0][0];
    assert_eq!(sardines["n"], 3, "the exchange's question is t3");
    let boats = &docs[1][0];
    let placed = read_index(
        &data,
        json!([
            {"place": [sardines, "sardine"]},
            {"place": [sardines, "café"]},
            {"place": [boats, "boat"]},
        ]),
    );
    assert_eq!(placed[0]["turn"], 4);
    assert_eq!(placed[0]["words"], json!(["sardines"]));
    assert_eq!(placed[0]["speaker"], "Inês Duarte");
    assert_eq!(placed[1]["turn"], 3);
    assert_eq!(placed[1]["words"], json!(["café"]));
    assert_eq!(placed[1]["question"], true);
    assert_ne!(placed[1]["speaker"], "Inês Duarte");
    assert_eq!(placed[2]["turn"], 1);
    assert_eq!(placed[2]["words"], json!(["boats"]));
}

#[test]
fn chinese_is_searched_character_by_character_with_its_words_as_phrases() {
    let (_dir, data) = built_index(
        "title = \"测试\"\nlanguage = \"zh\"\n",
        "+++\ntitle = \"河边的作坊\"\ndescription = \"测试文本：没有人说过这些话。\"\ninterviewer = \"Lena Brandt\"\ninterviewee = \"Tomas Weber\"\n+++\n\n## 开始\n\nQ: 您是什么时候开作坊的？\n\nA: 春天的时候，河水还很高。\n\nQ: 您现在做什么？\n\nA: 椅子和桌子，大多用橡木。\n\nQ: 还有吗？\n\nA: 第一段。\n\n第二段。\n\nA: 灯笼在这里。\n",
    );
    let a = read_index(
        &data,
        json!([
            {"json": "meta.bin"}, {"query": "作坊"}, {"query": "橡木"}, {"query": "河水很高"},
            {"query": "桌子 橡木"}, {"query": "潜水艇"}, {"pair": "作 坊"},
        ]),
    );
    // Chinese has no Snowball algorithm: no stemming.
    assert_eq!(a[0]["stem"], json!([]));
    // A word is the phrase of its characters.
    assert_eq!(a[1], json!({"ids": [0], "phrase": true}));
    assert_eq!(a[2], json!({"ids": [1], "phrase": true}));
    // Not a phrase of the text (还 stands between), but every character is
    // in one exchange.
    assert_eq!(a[3], json!({"ids": [0], "phrase": false}));
    assert_eq!(ids(&a[4]["ids"]), [1]);
    assert_eq!(ids(&a[5]["ids"]), Vec::<u64>::new());
    assert_eq!(ids(&a[6]), [0]);
    // An answer of two paragraphs, then another: the words of the second
    // answer land on its turn (question t5, answers t6 and t7).
    let docs = read_index(&data, json!([{"docs": [2]}]));
    assert_eq!(docs[0][0]["p"], json!([1, 0]));
    let placed = read_index(
        &data,
        json!([
            {"place": [docs[0][0], "灯笼"]}, {"place": [docs[0][0], "第二段"]},
            {"place": [docs[0][0], "还有 第一"]},
        ]),
    );
    assert_eq!(placed[0]["turn"], 7);
    assert_eq!(placed[0]["words"], json!(["灯", "笼"]));
    assert_eq!(placed[1]["turn"], 6);
    // The turn with most of the words: 第 and 一 in the first answer
    // against 还 and 有 in the question, a tie the answer wins.
    assert_eq!(placed[2]["turn"], 6);
    // A phrase wins over more words elsewhere: 二段 is in the first answer.
    let phrase = read_index(&data, json!([{"place": [docs[0][0], "二段"]}]));
    assert_eq!(phrase[0]["turn"], 6);
}

/// A site of one transcript with `body` as its text, built; the index's folder.
fn one_transcript(body: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    built_index(
        "title = \"Test\"\n",
        &format!("+++\ntitle = \"Talk\"\ninterviewer = \"Ann Lee\"\ninterviewee = \"Bo Chen\"\n+++\n\n## One\n\n{body}"),
    )
}

/// A site of `site_toml` and one transcript file, built; the index's folder.
fn built_index(site_toml: &str, transcript: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    fs::create_dir_all(root.join("content")).unwrap();
    fs::write(root.join("site.toml"), site_toml).unwrap();
    fs::write(root.join("content/talk.md"), transcript).unwrap();
    let out = dir.path().join("out");
    build(&BuildOptions {
        root,
        output: Some(out.clone()),
        ..Default::default()
    })
    .unwrap();
    let data = out.join("search/data");
    (dir, data)
}

#[test]
fn results_are_ranked_by_bm25_with_the_phrase_first() {
    let (_dir, data) = one_transcript(
        "Q: What about the river?\n\nA: The river was wide, and we talked of many other things that summer, of the town, the mill, the school, the church and the road north.\n\n\
         Q: And the boats?\n\nA: Boats on the river, boats everywhere, river boats.\n\n\
         Q: Anything else?\n\nA: The old river boats were slow.\n",
    );
    let a = read_index(
        &data,
        json!([{"query": "river"}, {"query": "boats river"}, {"query": "river boats"}]),
    );
    // `river` is in all three: the short exchange that says it most comes
    // first, the long one that says it once last.
    assert_eq!(ids(&a[0]["ids"]), [1, 2, 0]);
    // Both words, no phrase `boats river`: by BM25.
    assert_eq!(a[1]["phrase"], false);
    assert_eq!(ids(&a[1]["ids"]), [1, 2]);
    // The phrase `river boats`: both exchanges hold it; the one where the
    // words count most comes first.
    assert_eq!(a[2]["phrase"], true);
    assert_eq!(ids(&a[2]["ids"]), [1, 2]);
}

#[test]
fn results_past_those_read_are_ranked_by_the_weights_in_the_lists() {
    // 60 exchanges say `lamp` once in the same number of words, and a
    // phrase `night boats` 50 times. Far more than the script reads (40):
    // they are ranked from the lists alone. The exchange that says `lamp`
    // three times in as many words comes first, then the one that says it
    // twice; those that say it once follow in site order. The same for the
    // phrase, and for two words, whose weights add up.
    let mut body = String::new();
    for n in 0..60 {
        let answer = match n {
            37 => "lamp lamp lamp, night boats night boats night boats, quiet kind of talk",
            12 => "lamp lamp and night boats night boats, a quiet kind of talk there",
            _ => "the lamp and night boats, a quiet kind of talk there and then",
        };
        body.push_str(&format!("Q: Question number {n}?\n\nA: {answer}.\n\n"));
    }
    let (_dir, data) = one_transcript(&body);
    let a = read_index(
        &data,
        json!([{"query": "lamp"}, {"query": "night boats"}, {"query": "quiet lamp"}]),
    );
    let mut expected: Vec<u64> = vec![37, 12];
    expected.extend((0..60).filter(|n| ![37, 12].contains(n)));
    assert_eq!(ids(&a[0]["ids"]), expected, "lamp");
    assert_eq!(a[1]["phrase"], true);
    assert_eq!(ids(&a[1]["ids"]), expected, "the phrase night boats");
    assert_eq!(a[2]["phrase"], false);
    assert_eq!(ids(&a[2]["ids"])[..2], [37, 12], "quiet lamp");
    assert_eq!(ids(&a[2]["ids"]).len(), 60);
}
