//! Saved interview pages (`.html` without Podcasting 2.0 `<cite>`/`<time>`
//! stamps: the article reader of src/ingest/formats/article.rs), bytes to model.
//! Both readers share the extension; a page with a `<time>0:00</time>` stamp
//! goes to the Podcasting 2.0 reader (the `podcast_html` target), so here a
//! stamp is broken up before the bytes are read.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    for i in 0..bytes.len().saturating_sub(4) {
        if bytes[i..i + 5].eq_ignore_ascii_case(b"<time") {
            bytes[i + 1] = b'x';
        }
    }
    verbatim_fuzz::ingest_bytes(verbatim::ingest::Format::PodcastHtml, &bytes)
});
