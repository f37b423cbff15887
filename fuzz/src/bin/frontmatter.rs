//! The `+++` front-matter splitter and its TOML.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let text: std::sync::Arc<str> = std::sync::Arc::from(text);
        let _ = verbatim::ingest::frontmatter::split("content/fuzz.md", &text);
    }
});
