//! The sidecar `.toml` of imported formats, laid over two small transcripts.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| verbatim_fuzz::sidecar(data));
