//! The JSON API: valid against docs/api.schema.json, and the per-transcript
//! file is the normalized model itself.

mod common;

use common::*;
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/api.schema.json"))
            .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("docs/api.schema.json is a valid JSON Schema")
}

fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_json_file_matches_the_schema() {
    let site = fixture_site(&[]);
    let validator = validator();
    let mut files = walkdir(&site.out.join("api"));
    files.sort();
    assert_eq!(
        files,
        [
            "a-hostile.json",
            "engines-revisited.json",
            "on-engines.json",
            "transcripts.json"
        ]
    );
    for file in files {
        let value: Value = serde_json::from_str(&read(&site, &format!("api/{file}"))).unwrap();
        let problems = errors(&validator, &value);
        assert!(problems.is_empty(), "api/{file}: {problems:#?}");
    }
}

#[test]
fn a_translation_says_what_it_translates_and_how_its_turns_meet() {
    let (_keep, public) = built_languages_fixture();
    let validator = validator();
    for file in [
        "werkstatt.json",
        "werkstatt-zh.json",
        "souq.json",
        "sadna.json",
    ] {
        let text = std::fs::read_to_string(public.join("api").join(file)).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        let problems = errors(&validator, &value);
        assert!(problems.is_empty(), "api/{file}: {problems:#?}");
        let zh = file == "werkstatt-zh.json";
        assert_eq!(
            value["translation_of"],
            if zh {
                Value::from("werkstatt")
            } else {
                Value::Null
            },
            "{file}"
        );
        assert_eq!(
            value["align"],
            if zh {
                serde_json::json!([[5, 4]])
            } else {
                Value::Null
            },
            "{file}"
        );
    }
}

#[test]
fn the_schema_rejects_what_the_api_never_writes() {
    let site = fixture_site(&[]);
    let validator = validator();
    let mut value: Value = serde_json::from_str(&read(&site, "api/on-engines.json")).unwrap();
    value["sections"][0]["exchanges"][0]["answers"][0]
        .as_object_mut()
        .unwrap()
        .remove("text");
    assert!(
        !errors(&validator, &value).is_empty(),
        "a turn without text"
    );
    let mut index: Value = serde_json::from_str(&read(&site, "api/transcripts.json")).unwrap();
    index["transcripts"][0]["date"] = Value::from("March 2025");
    assert!(
        !errors(&validator, &index).is_empty(),
        "a date that is not YYYY-MM-DD"
    );
}

#[test]
fn the_index_lists_every_transcript_newest_first_with_people() {
    let site = fixture_site(&[]);
    let index: Value = serde_json::from_str(&read(&site, "api/transcripts.json")).unwrap();
    assert_eq!(index["version"], 3);
    assert_eq!(index["site"]["base_url"], "https://example.org/sub/");
    let slugs: Vec<&str> = index["transcripts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["engines-revisited", "on-engines", "a-hostile"]);
    let first = &index["transcripts"][0];
    assert_eq!(first["json"], "api/engines-revisited.json");
    assert_eq!(first["url"], "engines-revisited/");
    // The same person under two ids in two transcripts.
    assert_eq!(first["speakers"][1]["id"], "lovelace");
    assert_eq!(first["speakers"][1]["person"], "ada-lovelace");
    assert_eq!(
        index["transcripts"][1]["speakers"][1]["person"],
        "ada-lovelace"
    );
}

#[test]
fn a_transcript_file_is_the_model_read_back() {
    let site = fixture_site(&[]);
    let config = verbatim::config::Config::load(site.root.path()).unwrap();
    let loaded = verbatim::site::load(site.root.path(), config, false).unwrap();
    for t in &loaded.site.transcripts {
        let text = read(&site, &format!("api/{}.json", t.slug));
        let back: verbatim::model::Transcript = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, t);
        // Written by sonic-rs for speed, byte for byte what serde_json writes.
        assert_eq!(text, serde_json::to_string(t).unwrap(), "{}", t.slug);
    }
}

#[test]
fn the_json_writer_escapes_every_string_as_serde_json_does() {
    let site = fixture_site(&[]);
    let config = verbatim::config::Config::load(site.root.path()).unwrap();
    let loaded = verbatim::site::load(site.root.path(), config, false).unwrap();
    let mut t = loaded.site.transcripts[0].clone();
    // Every control character, the characters JSON escapes, and some it
    // leaves alone (the slash, line and paragraph separators, DEL, astral
    // characters), in the strings the API writes most: turns.
    let mut hostile: String = (0u8..0x20).map(char::from).collect();
    hostile.push_str("\"\\/\u{7f}\u{2028}\u{2029}é😀 </script> plain words after them");
    let turn = &mut t.sections[0].exchanges[0].answers[0];
    turn.text = hostile.clone().into();
    turn.paragraphs =
        verbatim::model::Blocks::Html(vec![hostile.clone(), hostile.repeat(3)].into());
    t.title = hostile;
    let mut ours = Vec::new();
    verbatim::api::write_transcript(&mut ours, &t).unwrap();
    assert_eq!(
        String::from_utf8(ours).unwrap(),
        serde_json::to_string(&t).unwrap()
    );
}

#[test]
fn turn_tags_are_in_the_json_and_the_schema() {
    let site = Fixture::new(&[(
        "content/rows.csv",
        "speaker,words,tags,timestamp\nBea Cole:,Where?,,[0:05]\nAda King:,Here.,place; home,[0:10]\n",
    )]);
    site.built();
    let value: Value = serde_json::from_str(
        &std::fs::read_to_string(site.public().join("api/rows.json")).unwrap(),
    )
    .unwrap();
    let answers = &value["sections"][0]["exchanges"][0]["answers"];
    assert_eq!(answers[0]["tags"], serde_json::json!(["place", "home"]));
    // A turn without tags has no `tags` key, as before turn tags existed.
    assert!(value["sections"][0]["exchanges"][0]["question"]
        .get("tags")
        .is_none());
    let validator = validator();
    let problems = errors(&validator, &value);
    assert!(problems.is_empty(), "{problems:#?}");
    let mut wrong = value.clone();
    wrong["sections"][0]["exchanges"][0]["answers"][0]["tags"] = serde_json::json!("place");
    assert!(
        !errors(&validator, &wrong).is_empty(),
        "tags that are not a list"
    );
}

/// A turn's HTML as docs/api.md tells a reader of the JSON to make it:
/// its `paragraphs`, or else each paragraph of its `text` escaped in `<p>`.
fn documented_html(turn: &Value) -> String {
    if let Some(blocks) = turn.get("paragraphs") {
        return blocks
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_str().unwrap())
            .collect();
    }
    turn["text"]
        .as_str()
        .unwrap()
        .split("\n\n")
        .filter(|p| !p.is_empty())
        .map(|p| {
            let escaped = p
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            format!("<p>{escaped}</p>\n")
        })
        .collect()
}

/// Every turn of a built site's JSON, with the path of the section page
/// that shows it.
fn turns_with_pages(public: &std::path::Path, slug: &str) -> Vec<(String, Value)> {
    let text = std::fs::read_to_string(public.join(format!("api/{slug}.json"))).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let mut turns = Vec::new();
    for section in value["sections"].as_array().unwrap() {
        let page = format!("{slug}/{}/index.html", section["slug"].as_str().unwrap());
        for exchange in section["exchanges"].as_array().unwrap() {
            let question = std::iter::once(&exchange["question"]).filter(|q| !q.is_null());
            for turn in question.chain(exchange["answers"].as_array().unwrap()) {
                turns.push((page.clone(), turn.clone()));
            }
        }
    }
    turns
}

/// Asserts that each turn's section page shows the HTML the documented
/// rule gives; returns the pages read, each once, by path.
fn assert_pages_show(
    public: &std::path::Path,
    turns: &[(String, Value)],
) -> std::collections::BTreeMap<String, String> {
    let mut pages = std::collections::BTreeMap::new();
    for (page, turn) in turns {
        let source: &String = pages
            .entry(page.clone())
            .or_insert_with(|| std::fs::read_to_string(public.join(page)).unwrap());
        let body = format!("<div class=\"turn-body\">{}</div>", documented_html(turn));
        assert!(source.contains(&body), "{page}: {body}");
    }
    pages
}

#[test]
fn plain_turns_leave_their_paragraphs_to_the_text_as_the_docs_say() {
    let site = Fixture::new(&[(
        "content/marks.md",
        "+++\ntitle = \"Marks\"\n\n[[speakers]]\nid = \"q\"\nname = \"Quinn\"\nrole = \"interviewer\"\n\n[[speakers]]\nid = \"ada\"\nname = \"Ada\"\nrole = \"interviewee\"\n+++\n\n\
         ## One\n\n\
         Quinn: Fish & chips, <b>bold</b> or \"quoted\"?\n\n\
         Ada: The first paragraph.\n\nThe second, > the first.\n\n\
         Quinn: And *emphasis*?\n\n\
         Ada: A list:\n\n- one\n- two\n",
    )]);
    site.built();
    let turns = turns_with_pages(&site.public(), "marks");
    assert_eq!(turns.len(), 4);
    let with_paragraphs: Vec<bool> = turns
        .iter()
        .map(|(_, t)| t.get("paragraphs").is_some())
        .collect();
    // Plain words (escaped characters and two paragraphs included) need no
    // HTML of their own; emphasis and lists do.
    assert_eq!(with_paragraphs, [false, false, true, true]);
    assert_eq!(
        documented_html(&turns[0].1),
        "<p>Fish &amp; chips, &lt;b&gt;bold&lt;/b&gt; or \"quoted\"?</p>\n"
    );
    assert_pages_show(&site.public(), &turns);
}

#[test]
fn the_documented_rule_gives_every_turn_of_the_repository_as_its_pages_show_it() {
    let out = build_repository_site();
    let public = out.path().join("public");
    let index: Value = serde_json::from_str(
        &std::fs::read_to_string(public.join("api/transcripts.json")).unwrap(),
    )
    .unwrap();
    let mut checked = 0;
    let mut shown = 0;
    for t in index["transcripts"].as_array().unwrap() {
        let turns = turns_with_pages(&public, t["slug"].as_str().unwrap());
        let pages = assert_pages_show(&public, &turns);
        checked += turns.len();
        // Every turn the section pages show was checked.
        shown += pages
            .values()
            .map(|source| source.matches("<div class=\"turn-body\">").count())
            .sum::<usize>();
    }
    assert!(checked > 0);
    assert_eq!(checked, shown);
}
