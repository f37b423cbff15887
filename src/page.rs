//! A file of the output, as every emitter makes it (pages, the API, feeds,
//! sitemaps, search files) and the output stage writes it. A leaf, so that
//! the emitters and the output depend on it and not on one another.

/// A file of the output: its path relative to the output folder (with `/`)
/// and its bytes.
#[derive(Debug, Clone)]
pub struct Page {
    pub path: String,
    pub bytes: Vec<u8>,
}
