//! The native Markdown format with `allow_html = true`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    verbatim_fuzz::ingest_bytes_allowing_html(verbatim::ingest::Format::Markdown, data)
});
