//! `verbatim import`: each source format to native Markdown and back.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| verbatim_fuzz::import_round_trip(data));
