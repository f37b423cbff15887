//! What an editor sees when something is wrong: the file, the line and column,
//! what was expected, how to fix it; exit code 1; and the previous output left
//! exactly as it was.

mod common;

use common::Fixture;
use std::process::Command;

const GOOD: &str = "+++\ntitle = \"Good\"\n[[speakers]]\nname = \"Ann\"\nrole = \"interviewer\"\naliases = [\"Q\"]\n+++\nQ: Hello?\n";

fn run(root: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("the binary runs")
}

#[test]
fn an_unknown_speaker_label_names_file_line_and_column() {
    let text = "+++\ntitle = \"T\"\n[[speakers]]\nname = \"Ann\"\nrole = \"interviewer\"\n+++\n\nAnn: Hi?\n\n**Bobby:** Hello.\n";
    let f = Fixture::new(&[("content/t.md", text)]);
    let errors = f.build().unwrap_err();
    assert_eq!(errors.error_count(), 1);
    let d = &errors.0[0];
    assert_eq!(d.path, "content/t.md");
    assert_eq!((d.line, d.column), (Some(10), Some(3)));
    assert!(d.message.contains("Bobby"), "{}", d.message);
    assert!(d.help.as_deref().unwrap().contains("aliases"));
}

#[test]
fn toml_errors_point_at_the_key() {
    let f = Fixture::new(&[(
        "content/t.md",
        "+++\ntitle = \"T\"\ndate = 2024-13-45\n+++\nQ: x\n",
    )]);
    let d = &f.build().unwrap_err().0[0];
    assert_eq!(d.path, "content/t.md");
    assert_eq!(d.line, Some(3));

    let f = Fixture::new(&[("content/t.md", "+++\ntitle = \"T\"\nspeakr = []\n+++\n")]);
    let d = &f.build().unwrap_err().0[0];
    assert!(d.message.contains("speakr"), "{}", d.message);
    assert_eq!(d.line, Some(3));
}

#[test]
fn unknown_site_settings_name_the_key_and_the_file() {
    let f = Fixture::new(&[("content/t.md", GOOD)]);
    f.write("site.toml", "title = \"T\"\noutput = \"x\"\n");
    let d = &f.build().unwrap_err().0[0];
    assert_eq!(d.path, "site.toml");
    assert!(d.message.contains("output"), "{}", d.message);
    assert_eq!(d.line, Some(2));
}

#[test]
fn a_section_without_turns_is_a_warning() {
    let text = "+++\ntitle = \"T\"\n+++\n## Empty\n\nJust words.\n\n## Full\n\nQ: x?\n";
    let f = Fixture::new(&[("content/t.md", text)]);
    let report = f.built();
    assert_eq!(report.warnings.len(), 1);
    let w = &report.warnings[0];
    assert!(w.message.contains("Empty"), "{}", w.message);
    assert_eq!(w.line, Some(4));
}

#[test]
fn two_files_with_one_url_are_an_error_naming_both() {
    let f = Fixture::new(&[
        ("content/a.md", GOOD),
        (
            "content/more/b.md",
            "+++\ntitle = \"B\"\nslug = \"a\"\n+++\nQ: x\n",
        ),
    ]);
    let errors = f.build().unwrap_err();
    let message = &errors.0[0].message;
    assert!(
        message.contains("content/a.md") && message.contains("content/more/b.md"),
        "{message}"
    );
}

#[test]
fn the_binary_exits_1_with_a_caret_and_keeps_the_old_site() {
    let f = Fixture::new(&[("content/t.md", GOOD)]);
    let ok = run(f.root(), &["build"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let before = std::fs::read(f.public().join("t/index.html")).unwrap();

    f.write(
        "content/t.md",
        "+++\ntitle = \"Good\"\n+++\n**Bobby:** x\n\n**Bob:** y\n\n+++\n",
    );
    f.write("content/u.md", "+++\ntitle = \n+++\n");
    let failed = run(f.root(), &["build"]);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("content/u.md:2:"), "{stderr}");
    assert!(
        stderr.contains('^') || stderr.contains('─'),
        "no source pointer: {stderr}"
    );
    assert!(stderr.contains("output folder was not changed"), "{stderr}");
    assert_eq!(
        std::fs::read(f.public().join("t/index.html")).unwrap(),
        before
    );
}

#[test]
fn wrong_usage_exits_2() {
    let f = Fixture::new(&[]);
    let out = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["build", "--no-such-flag"])
        .current_dir(f.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_folder_verbatim_did_not_create_is_never_replaced() {
    let f = Fixture::new(&[("content/t.md", GOOD)]);
    f.write("public/notes.txt", "mine");
    let errors = f.build().unwrap_err();
    assert!(
        errors.0[0].message.contains("did not write"),
        "{}",
        errors.0[0].message
    );
    assert_eq!(
        std::fs::read_to_string(f.public().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn rebuilding_replaces_its_own_output_and_keeps_dotfiles() {
    let f = Fixture::new(&[("content/t.md", GOOD)]);
    f.built();
    f.write("public/.git/HEAD", "ref: refs/heads/main\n");
    f.write("public/stale.html", "old page");
    f.built();
    assert!(!f.public().join("stale.html").exists());
    assert!(f.public().join(".git/HEAD").is_file());
    assert!(f.public().join("t/index.html").is_file());
}

#[test]
fn the_output_may_not_swallow_the_sources() {
    let f = Fixture::new(&[("content/t.md", GOOD)]);
    for output in [".", "content", "content/x", ".."] {
        let mut options = f.options();
        options.output = Some(f.root().join(output));
        let errors = verbatim::build(&options).unwrap_err();
        assert!(
            errors.0[0].message.contains("refusing"),
            "{output}: {}",
            errors.0[0].message
        );
    }
    assert!(f.root().join("content/t.md").is_file());
}
