//! TTML / DFXP captions (.ttml, .dfxp), bytes to model.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    verbatim_fuzz::ingest_bytes(verbatim::ingest::Format::Ttml, data)
});
