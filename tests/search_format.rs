//! The search index format has one set of test vectors,
//! `tests/search-format/vectors.json` (docs/search.md gives the format): the
//! words a text is split into, the hash that names files and buckets, LEB128
//! numbers and Golomb-Rice lists of ids. `src/search/` writes them, and
//! the script readers run (`static/verbatim-search.js`) reads them under
//! node. A change on either side that the other does not follow fails here.
//!
//! `VERBATIM_WRITE_VECTORS=1 cargo test --test search_format` rewrites the
//! file from the Rust side after a deliberate change of the format; the
//! script must then agree with it.

use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;
use verbatim::search;

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search-format")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The vectors as the Rust side computes them, from the inputs below.
fn computed() -> Value {
    let texts = [
        "Hello, World",
        "Joe Tsai: $50 trillion, 2027.",
        "Héran, François — « la géographie »",
        "don't stop",
        "Straße und MÄDCHEN",
        "İstanbul",
        "阿里巴巴 的 Qwen 模型",
        "ＡＢＣ１２３ full-width",
        "x\u{0301}y combining",
        "ΟΔΥΣΣΕΥΣ",
        "",
        "   \t\n",
        "emoji 🙂 between words",
        "٣ Arabic-Indic digit ٤٥",
        "河边的作坊。",
        "カタカナ・ひらがなー",
        "AI模型2026年",
    ];
    let terms: Vec<Value> = texts.iter().map(|t| json!([t, search::terms(t)])).collect();
    let hashed = [
        "",
        "a",
        "open",
        "open source",
        "transcript\u{0}joe-tsai",
        "é",
        "模型",
    ];
    let hash: Vec<Value> = hashed
        .iter()
        .map(|t| json!([t, format!("{:016x}", search::hash(t))]))
        .collect();
    let bucket_of: Vec<Value> = [("open", 64), ("source", 7), ("joe-tsai", 157), ("x", 1)]
        .iter()
        .map(|(k, b)| json!([k, b, search::bucket_of(k, *b)]))
        .collect();
    let varint: Vec<Value> = [
        0u64,
        1,
        127,
        128,
        300,
        16_383,
        16_384,
        4_294_967_295,
        1 << 40,
    ]
    .iter()
    .map(|&n| {
        let mut out = Vec::new();
        search::varint(&mut out, n);
        json!([n, hex(&out)])
    })
    .collect();
    let lists: [&[u32]; 6] = [
        &[0],
        &[5],
        &[0, 1, 2, 3],
        &[3, 10, 11, 400, 401, 5_000],
        &[100_000, 100_001, 2_000_000],
        &[7, 70, 700, 7_000, 70_000, 700_000],
    ];
    let rice: Vec<Value> = lists
        .iter()
        .map(|ids| {
            let mut prev: i64 = -1;
            let gaps: Vec<u32> = ids
                .iter()
                .map(|&id| {
                    let gap = (i64::from(id) - prev - 1) as u32;
                    prev = i64::from(id);
                    gap
                })
                .collect();
            let (k, bytes) = search::rice_of_gaps(&gaps);
            json!({"ids": ids, "k": k, "bytes": hex(&bytes)})
        })
        .collect();
    // BM25's weight of a term frequency in an exchange's length, as the
    // level a list stores (the script takes the level's weight back), and
    // lists of levels as stored.
    let weights: Vec<Value> = [
        (1, 10, 10.0),
        (1, 5, 10.0),
        (1, 40, 10.0),
        (2, 10, 10.0),
        (3, 10, 10.0),
        (12, 30, 18.5),
        (1, 1000, 18.5),
        (50, 1, 18.5),
    ]
    .iter()
    .map(|&(tf, length, avg)| {
        let level = search::level(search::weight(tf, length, avg));
        json!([tf, length, avg, level])
    })
    .collect();
    let level_lists: [&[u8]; 4] = [
        &[3],
        &[3, 3, 3],
        &[0, 15, 7, 7, 7, 15, 2],
        &[9, 8, 9, 9, 8, 10, 9],
    ];
    let impacts: Vec<Value> = level_lists
        .iter()
        .map(|levels| json!({"levels": levels, "bytes": hex(&search::impacts_of_levels(levels))}))
        .collect();
    // A few words of each language the index stems, as the build stems
    // them (src/search/stem.rs); the corpus test below holds thousands more.
    let stems: Vec<Value> = STEM_WORDS
        .iter()
        .map(|(language, words)| {
            let stemmers = search::stem::Stemmers::of([*language]);
            let name = stemmers.names()[0];
            let pairs: Vec<Value> = words
                .iter()
                .map(|w| {
                    let w = search::terms(w).concat();
                    json!([w, stemmers.terms(&w)[0]])
                })
                .collect();
            json!([name, pairs])
        })
        .collect();
    json!({
        "about": "Test vectors of the search index format (docs/search.md), checked by tests/search_format.rs from Rust and, under node, from static/verbatim-search.js.",
        "terms": terms,
        "weights": weights,
        "impacts": impacts,
        "stems": stems,
        "hash": hash,
        "bucket_of": bucket_of,
        "varint": varint,
        "rice": rice,
    })
}

/// Words of each language with a Snowball algorithm, written for these
/// vectors: plurals, verb forms, derivations.
const STEM_WORDS: [(&str, &[&str]); 17] = [
    (
        "en",
        &[
            "models",
            "running",
            "generously",
            "connection",
            "interviews",
            "said",
        ],
    ),
    (
        "de",
        &[
            "Werkstätten",
            "Häuser",
            "arbeiten",
            "gesprochen",
            "Fragen",
            "größte",
        ],
    ),
    (
        "fr",
        &[
            "géographie",
            "nationales",
            "interviews",
            "parlaient",
            "questions",
        ],
    ),
    (
        "es",
        &["entrevistas", "hablando", "preguntas", "nacionales"],
    ),
    ("it", &["interviste", "parlando", "domande", "nazionali"]),
    ("pt", &["entrevistas", "falando", "perguntas"]),
    ("nl", &["interviews", "vragen", "gesproken"]),
    ("sv", &["intervjuer", "frågor", "talade"]),
    ("da", &["interviews", "spørgsmål", "talte"]),
    ("no", &["intervjuer", "spørsmål", "snakket"]),
    ("fi", &["haastattelut", "kysymykset", "puhuimme"]),
    ("hu", &["interjúk", "kérdések", "beszéltünk"]),
    ("ro", &["interviuri", "întrebări", "vorbeam"]),
    ("ru", &["интервью", "вопросы", "говорили"]),
    ("tr", &["röportajlar", "sorular", "konuştuk"]),
    ("ar", &["المقابلات", "الأسئلة", "تحدثنا"]),
    ("ta", &["நேர்காணல்கள்", "கேள்விகள்"]),
];

/// Every stemmer's script, as a build writes it, in a fresh folder.
fn stemmer_scripts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (language, _) in STEM_WORDS {
        let name = search::stem::algorithm(language).unwrap();
        std::fs::write(
            dir.path().join(format!("stem-{name}.js")),
            search::stem::script(name).unwrap(),
        )
        .unwrap();
    }
    dir
}

#[test]
fn rust_writes_the_vectors() {
    let path = dir().join("vectors.json");
    let want = computed();
    if std::env::var_os("VERBATIM_WRITE_VECTORS").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&want).unwrap() + "\n").unwrap();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let have: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        have, want,
        "src/search/ no longer writes tests/search-format/vectors.json: if the format changed on purpose, rewrite the file (VERBATIM_WRITE_VECTORS=1) and change static/verbatim-search.js and docs/search.md to match"
    );
}

#[test]
fn the_script_reads_the_vectors() {
    let scripts = stemmer_scripts();
    // The script as a build writes it (minified), which is what readers run.
    let script = scripts.path().join("verbatim-search.js");
    std::fs::write(
        &script,
        verbatim::render::theme_asset("verbatim-search.js").unwrap(),
    )
    .unwrap();
    let out = Command::new("node")
        .arg(dir().join("check.cjs"))
        .arg(dir().join("vectors.json"))
        .arg(&script)
        .arg(scripts.path())
        .output()
        .unwrap_or_else(|e| {
            panic!("node is needed to check the search script ({e}); .ci/run installs it")
        });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "static/verbatim-search.js disagrees with tests/search-format/vectors.json (src/search/):\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("vectors agree"), "{stdout}");
}

/// The browser's stemmers give the build's stems for every word of the
/// corpus (../shared: transcripts in English, German, French, Spanish and
/// Italian among others), stemmed by each of five algorithms: thousands of
/// words, read at test time and never stored here.
#[test]
fn the_browser_stems_the_corpus_as_the_build_does() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let mut words = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(&shared)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            words.extend(
                search::terms(&text)
                    .into_iter()
                    .filter(|w| w.chars().all(char::is_alphabetic)),
            );
        }
    }
    assert!(
        words.len() > 5_000,
        "the corpus is missing: {} words",
        words.len()
    );
    let words: Vec<String> = words.into_iter().collect();
    let scripts = stemmer_scripts();
    let list = scripts.path().join("words.json");
    std::fs::write(&list, serde_json::to_string(&words).unwrap()).unwrap();
    for language in ["en", "de", "fr", "es", "it"] {
        let stemmers = search::stem::Stemmers::of([language]);
        let name = stemmers.names()[0];
        let out = Command::new("node")
            .arg("-e")
            .arg(
                "const [, script, list] = process.argv; const stem = require(script); \
                 process.stdout.write(JSON.stringify(JSON.parse(require('fs').readFileSync(list, 'utf8')).map(stem)));",
            )
            .arg(scripts.path().join(format!("stem-{name}.js")))
            .arg(&list)
            .output()
            .expect("node runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let browser: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
        let differ: Vec<String> = words
            .iter()
            .zip(&browser)
            .filter(|(w, b)| stemmers.terms(w)[0] != **b)
            .map(|(w, b)| format!("{w}: build {}, browser {b}", stemmers.terms(w)[0]))
            .collect();
        assert!(
            differ.is_empty(),
            "{name}: the browser's stems differ from the build's for {} of {} words:\n{}",
            differ.len(),
            words.len(),
            differ[..differ.len().min(20)].join("\n")
        );
    }
}
