//! What the fuzz targets share: each target in `src/bin/` is one line that
//! hands libFuzzer's bytes to one of these.

use std::sync::OnceLock;
use verbatim::ingest::{self, Format, IngestOptions};

/// Reads `data` as a content file of `format`, exactly as a build would
/// (UTF-8 check, byte order mark, parse, normalize). Errors are expected;
/// panics, hangs and runaway memory are what the fuzzer looks for.
pub fn ingest_bytes(format: Format, data: &[u8]) {
    let _ = ingest::parse_bytes(
        format,
        "content/fuzz",
        data,
        "fuzz",
        &IngestOptions::default(),
    );
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

/// Reads `data` as the text of `site.toml` ([`verbatim::config::Config::parse`]).
/// Settings that read have a `base_url` ending in one `/`.
pub fn parse_site_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = verbatim::config::Config::parse(text) {
        assert!(
            config.base_url.ends_with('/'),
            "base_url {:?}",
            config.base_url
        );
    }
}

/// A WebVTT and a plain-text transcript of the same four timed turns (from
/// 1 s to an hour in), for sidecars to lay their metadata and chapters over.
const SIDECAR_SUBJECTS: [(Format, &str); 2] = [
    (
        Format::WebVtt,
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ada>When did you start?\n\n\
         00:00:05.000 --> 00:00:09.500\n<v Ben>In the spring, after the rains.\n\n\
         00:01:10.000 --> 00:01:12.000\n<v Ada>And then?\n\n\
         01:00:00.000 --> 01:00:03.000\n<v Ben>Then we moved north.\n",
    ),
    (
        Format::PlainText,
        "Ada: [00:00:01] When did you start?\n\nBen: [00:00:05] In the spring, after the rains.\n\n\
         Ada: [00:01:10] And then?\n\nBen: [01:00:00] Then we moved north.\n",
    ),
];

/// Reads `data` as a sidecar `.toml` ([`verbatim::ingest::sidecar::parse`]);
/// one that reads is laid over two small transcripts, as a build lays
/// `name.toml` over `name.vtt` (metadata overlay, chapters splitting turns).
pub fn sidecar(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text: std::sync::Arc<str> = std::sync::Arc::from(text);
    let Ok(sidecar) = ingest::sidecar::parse("content/fuzz.toml", &text) else {
        return;
    };
    for (format, subject) in SIDECAR_SUBJECTS {
        let subject: std::sync::Arc<str> = std::sync::Arc::from(subject);
        let _ = ingest::parse_with(
            format,
            "content/fuzz",
            &subject,
            "fuzz",
            Some(sidecar.clone()),
            &IngestOptions::default(),
        );
    }
}

/// The formats `verbatim import` turns into native Markdown (Whisper JSON
/// goes through `PodcastJson`, saved interview pages through `PodcastHtml`,
/// TTML saved as `.xml` through `Ohms`).
const IMPORTED: [Format; 10] = [
    Format::PlainText,
    Format::WebVtt,
    Format::Srt,
    Format::Sbv,
    Format::Ttml,
    Format::PodcastJson,
    Format::WhisperTsv,
    Format::PodcastHtml,
    Format::Ohms,
    Format::OhdCsv,
];

/// What `verbatim import` does, for `data` read as each format in turn: a
/// transcript that reads is written as native Markdown
/// ([`verbatim::native_writer::to_markdown`]), and Markdown the writer gives must
/// read back as the same transcript (the check `import` makes before it
/// writes; a mismatch is a writer bug that import reports as "please report
/// this"). The writer may refuse a transcript; it may not panic.
pub fn import_round_trip(data: &[u8]) {
    let options = IngestOptions::default();
    for format in IMPORTED {
        let Ok((transcript, _)) =
            ingest::parse_bytes(format, "content/fuzz", data, "fuzz", &options)
        else {
            continue;
        };
        let Ok(markdown) = verbatim::native_writer::to_markdown(&transcript, &options.default_language)
        else {
            continue;
        };
        let text: std::sync::Arc<str> = std::sync::Arc::from(markdown.as_str());
        match ingest::parse(Format::Markdown, "content/fuzz.md", &text, "fuzz", &options) {
            Ok((mut back, _)) => {
                back.source_path.clone_from(&transcript.source_path);
                assert!(
                    verbatim::import::reads_back_as(&transcript, back.clone()),
                    "{format:?}: the native file reads back as another transcript\n\
                     --- native ---\n{markdown}\n--- source transcript ---\n{transcript:#?}\n\
                     --- read back ---\n{back:#?}"
                );
            }
            Err(errors) => panic!(
                "{format:?}: the native file does not read back: {errors:?}\n--- native ---\n{markdown}"
            ),
        }
    }
}
