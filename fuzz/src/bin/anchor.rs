//! `model::Anchor::parse` (`t12`, `q3`: link fragments, ids in the JSON); an
//! id that reads is the one way ingest writes it, so it is written back as it was.
#![no_main]
use verbatim::model::Anchor;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(anchor) = Anchor::parse(text) {
        assert_eq!(anchor.to_string(), text);
    }
});
