//! The plain reading of Markdown bodies against the general parser: whenever
//! the plain reading takes a body, both must give the same draft. A file's
//! front matter, when it has one that reads, is set aside as a build does,
//! so seeds that are whole content files fuzz their bodies.
#![no_main]
use std::sync::Arc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text: Arc<str> = Arc::from(text);
    let body = match verbatim::ingest::frontmatter::split("fuzz.md", &text) {
        Ok(split) => split.body,
        Err(_) => &text,
    };
    verbatim::ingest::formats::markdown::plain_reading_agrees(body);
});
