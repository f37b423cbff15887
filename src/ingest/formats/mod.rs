//! The source formats, one module each: a reader turns one file's text into
//! a draft for [`normalize`](super::normalize). A new format is a module here,
//! a [`Format`](super::Format) variant and its extension (docs/architecture.md).

pub mod article;
pub mod captions;
pub mod markdown;
pub mod ohd_csv;
pub mod ohms;
pub mod page_text;
pub mod plaintext;
pub mod podcast_html;
pub mod podcast_json;
pub mod sbv;
pub mod srt;
pub mod ttml;
pub mod webvtt;
pub mod whisper;
