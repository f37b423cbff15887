//! `model::Timecode::parse`; a time that reads is written and read back the same.
#![no_main]
use verbatim::model::Timecode;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(time) = Timecode::parse(text) {
        let written = time.to_string();
        assert_eq!(
            Timecode::parse(&written),
            Some(time),
            "{text:?} -> {written:?}"
        );
    }
});
