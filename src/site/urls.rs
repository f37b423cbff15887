//! The URL scheme of a site's pages (DESIGN.md): every emitter that links to
//! a transcript or a section asks here, relative to the site root.

use crate::model::{Section, Transcript};

/// `slug/`: the transcript's URL relative to the site root.
pub fn transcript_url(t: &Transcript) -> String {
    [t.slug.as_str(), "/"].concat()
}

/// `slug/section/`: a section page's URL relative to the site root.
pub fn section_url(t: &Transcript, s: &Section) -> String {
    [t.slug.as_str(), "/", s.slug.as_str(), "/"].concat()
}

/// `slug/side-by-side/other/`: transcript `t` read beside `other`, another
/// language of the same interview.
pub fn parallel_url(t: &Transcript, other: &Transcript) -> String {
    [t.slug.as_str(), "/side-by-side/", other.slug.as_str(), "/"].concat()
}
