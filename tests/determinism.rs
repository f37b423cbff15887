//! Two builds of the same input are byte-identical: nothing in the output
//! depends on time, thread scheduling, hash order or where the site lives.

mod common;

use common::{snapshot, transcript, Site};
use std::path::Path;

/// A site with many transcripts (so rayon spreads them over threads), tags,
/// speakers in different orders and a static folder.
fn busy_site() -> Site {
    let site = Site::new("description = \"D\"\nbase_url = \"https://example.org/sub/\"");
    for i in 0..40 {
        let mut text = transcript(&format!("Talk {i}"), 1 + i % 5);
        text = text.replacen(
            "+++\n\nAn intro",
            &format!("tags = [\"t{}\", \"t{}\"]\n+++\n\nAn intro", i % 3, i % 7),
            1,
        );
        site.write(&format!("content/y{}/talk-{i}.md", 2020 + i % 4), text);
    }
    // Same date and title: the sort must still be total.
    site.write("content/same-a.md", transcript("Same", 2));
    site.write("content/same-b.md", transcript("Same", 2));
    site.write(
        "static/img/logo.svg",
        "<svg xmlns='http://www.w3.org/2000/svg'/>",
    );
    site
}

fn build_into(root: &Path, output: &Path) {
    verbatim::build(&verbatim::BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn two_builds_in_different_places_are_byte_identical() {
    let a = busy_site();
    let b = busy_site();
    let out = tempfile::tempdir().unwrap();
    build_into(a.root(), &out.path().join("first"));
    build_into(b.root(), &out.path().join("second/deeper/public"));
    let first = snapshot(&out.path().join("first"));
    let second = snapshot(&out.path().join("second/deeper/public"));
    assert!(first.len() > 100, "{} files", first.len());
    let differing: Vec<&String> = first
        .iter()
        .filter(|(k, v)| second.get(*k) != Some(*v))
        .map(|(k, _)| k)
        .collect();
    assert!(differing.is_empty(), "differing files: {differing:?}");
    assert_eq!(first.len(), second.len());
}

#[test]
fn rebuilding_in_place_changes_nothing() {
    let site = busy_site();
    site.build().unwrap();
    let first = snapshot(&site.output());
    for _ in 0..3 {
        site.build().unwrap();
        assert_eq!(snapshot(&site.output()), first);
    }
}

#[test]
fn the_hostile_and_sample_sites_build_identically_twice() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for root in [repo.join("tests/hostile"), repo.to_path_buf()] {
        let out = tempfile::tempdir().unwrap();
        build_into(&root, &out.path().join("a"));
        build_into(&root, &out.path().join("b"));
        assert_eq!(
            snapshot(&out.path().join("a")),
            snapshot(&out.path().join("b")),
            "{root:?}"
        );
    }
}
