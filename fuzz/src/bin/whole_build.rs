//! The whole build (ingest, render, output) of a site with one content file.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| verbatim_fuzz::build_one_file(data));
