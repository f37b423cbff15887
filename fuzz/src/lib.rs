//! What the fuzz targets share: each target in `src/bin/` is one line that
//! hands libFuzzer's bytes to one of these.

use std::sync::OnceLock;
use verbatim::ingest::{self, Format, IngestOptions};

/// Reads `data` as a content file of `format`, exactly as a build would
/// (UTF-8 check, byte order mark, parse, normalize). Errors are expected;
/// panics, hangs and runaway memory are what the fuzzer looks for.
pub fn ingest_bytes(format: Format, data: &[u8]) {
    let _ = ingest::parse_bytes(format, "content/fuzz", data, "fuzz", &IngestOptions::default());
}

/// Like [`ingest_bytes`], with raw HTML allowed (the other path of the sanitizer).
pub fn ingest_bytes_allowing_html(format: Format, data: &[u8]) {
    let options = IngestOptions {
        allow_html: true,
        ..IngestOptions::default()
    };
    let _ = ingest::parse_bytes(format, "content/fuzz", data, "fuzz", &options);
}

/// Builds a one-file site whose only transcript is `data`, into a fresh
/// output folder, and checks the promise of the output stage: either the
/// build succeeds and the output carries the marker, or it fails and no
/// output folder exists.
pub fn build_one_file(data: &[u8]) {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    let site = SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(dir.path().join("site.toml"), "title = \"Fuzz\"\n").unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        dir
    });
    let root = site.path();
    std::fs::write(root.join("content/fuzz.md"), data).unwrap();
    let output = root.join("public");
    let options = verbatim::BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.clone()),
        ..Default::default()
    };
    match verbatim::build(&options) {
        Ok(_) => {
            assert!(output.join(verbatim::output::MARKER).is_file());
            std::fs::remove_dir_all(&output).unwrap();
        }
        Err(_) => assert!(!output.exists(), "a failed build left an output folder"),
    }
}
