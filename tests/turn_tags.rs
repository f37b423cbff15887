//! Tags on turns: Oral History as Data rows keep their tags on the turn they
//! land in, pages show them as links to tag pages, and import writes them as
//! `{tags = [...]}` lines that read back into the same transcript.

mod common;

use common::*;
use verbatim::ingest::{self, IngestOptions};
use verbatim::model::Transcript;

/// Two speakers; Ada's turn is three rows (one blank speaker, one repeated
/// label), so it keeps the union of their tags in order.
const ROWS: &str = "timestamp,speaker,words,tags\n\
    [0:05],Bea Cole:,Where were you born?,\n\
    [1:00],Ada King:,In London.,place; childhood\n\
    ,,And Paris.,Paris|place\n\
    [1:30],Ada King:,By the river.,\"river, place\"\n\
    [2:00],Bea Cole:,And the mill?,work\n";

fn load(path: &std::path::Path) -> Transcript {
    ingest::load(path, &path.to_string_lossy(), &IngestOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
        .0
}

fn turn_tags(t: &Transcript) -> Vec<Vec<String>> {
    t.turns().map(|turn| turn.tags.to_vec()).collect()
}

#[test]
fn csv_row_tags_stay_on_their_turn() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("rows.csv");
    std::fs::write(&source, ROWS).unwrap();
    let t = load(&source);
    assert_eq!(
        turn_tags(&t),
        [
            vec![],
            vec!["place", "childhood", "Paris", "river"],
            vec!["work"]
        ]
    );
    assert_eq!(t.tags, ["place", "childhood", "Paris", "river", "work"]);
}

#[test]
fn turn_tags_show_on_the_pages_and_link_to_tag_pages() {
    let site = Fixture::new(&[("content/rows.csv", ROWS)]);
    site.built();
    for path in ["rows/rows/index.html", "rows/full/index.html"] {
        let page = site.page(path);
        let labels = page.texts(".turn .turn-tags .tag");
        assert_eq!(
            labels,
            ["place", "childhood", "Paris", "river", "work"],
            "{path}"
        );
        let links = page.attrs(".turn .turn-tags a.tag", "href");
        assert_eq!(links[0], "../../tags/place/", "{path}");
        // Every link leads to a tag page that lists this transcript.
        for link in &links {
            let target = format!("{}index.html", link.trim_start_matches("../../"));
            let tag_page = site.page(&target);
            assert_eq!(
                tag_page.attrs(".transcript-card h2 a", "href"),
                ["../../rows/"],
                "{target}"
            );
        }
        // The tags are under the turn's words, not in them.
        assert_eq!(page.turns()[1].1, "In London. And Paris. By the river.");
    }
    // A turn without tags shows no tag list.
    let page = site.page("rows/rows/index.html");
    assert_eq!(page.texts("#t1 .turn-tags").len(), 0);
}

#[test]
fn import_writes_tag_lines_that_read_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("rows.csv");
    std::fs::write(&source, ROWS).unwrap();
    let out = dir.path().join("content");
    let done = verbatim::import::import_file(&source, &out, false, &IngestOptions::default())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let markdown = std::fs::read_to_string(&done.written).unwrap();
    assert!(
        markdown
            .contains("By the river.\n{tags = [\"place\", \"childhood\", \"Paris\", \"river\"]}\n"),
        "{markdown}"
    );
    let (mut direct, mut imported) = (load(&source), load(&done.written));
    direct.source_path.clear();
    imported.source_path.clear();
    assert_eq!(imported, direct);
}

#[test]
fn an_editor_tags_a_native_turn_and_bad_tag_lines_are_refused() {
    let site = Fixture::new(&[(
        "content/talk.md",
        "+++\ntitle = \"Talk\"\n+++\n\nQ: Where?\n\nA: Here.\n\nAnd there.\n{tags = \"home, travel\"}\n",
    )]);
    site.built();
    let page = site.page("talk/talk/index.html");
    assert_eq!(page.texts("#t2 .turn-tags .tag"), ["home", "travel"]);
    assert_eq!(page.turns()[1].1, "Here. And there.");
    site.page("tags/travel/index.html");

    site.write(
        "content/talk.md",
        "+++\ntitle = \"Talk\"\n+++\n\nQ: Where?\n{tags = [home]}\n",
    );
    let err = site.build().unwrap_err().to_string();
    assert!(
        err.contains("content/talk.md:6:1") && err.contains("the turn tags cannot be read"),
        "{err}"
    );
}
