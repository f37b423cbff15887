//! `site.toml`, text to settings (`config::Config::parse`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| verbatim_fuzz::parse_site_toml(data));
