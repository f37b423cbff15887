//! How text is split into search terms, on both sides of the index: the
//! build here, the script in the browser (`terms` in
//! static/verbatim-search.js), held together by tests/search_format.rs.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The words of a text as the index stores them: Unicode-decomposed, accents
/// dropped, lower case, split at anything that is not a letter or a digit.
/// `verbatim-search.js` does exactly the same to a query.
pub fn terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for_each_term(text, |t| terms.push(t.to_string()));
    terms
}

/// [`terms`] without a string per word: each term is lent to `f` in turn.
pub(super) fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    if text.is_ascii() {
        // The same, the short way: ASCII has nothing to decompose or drop,
        // lower case is a byte for a byte, and a word already in lower case
        // (most of them) is lent as it stands. A word's bytes are read once,
        // for where it ends and whether it has a capital.
        let bytes = text.as_bytes();
        let mut lower = String::new();
        let mut i = 0;
        while i < bytes.len() {
            if ASCII_CLASS[usize::from(bytes[i])] == 0 {
                i += 1;
                continue;
            }
            let start = i;
            let mut classes = 0;
            while let Some(&b) = bytes.get(i) {
                let class = ASCII_CLASS[usize::from(b)];
                if class == 0 {
                    break;
                }
                classes |= class;
                i += 1;
            }
            let word = &text[start..i];
            if classes & CAPITAL != 0 {
                lower.clear();
                lower.push_str(word);
                lower.make_ascii_lowercase();
                f(&lower);
            } else {
                f(word);
            }
        }
        return;
    }
    for_each_folded_term(text, f);
}

/// What [`for_each_term`] needs to know of an ASCII byte, looked up rather
/// than worked out, since every byte of a site's text goes through it: 0 for
/// a byte between words, [`LETTER`] for a lower-case letter or a digit,
/// [`CAPITAL`] for an upper-case letter.
pub(super) const ASCII_CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        if byte.is_ascii_uppercase() {
            class[b] = CAPITAL;
        } else if byte.is_ascii_alphanumeric() {
            class[b] = LETTER;
        }
        b += 1;
    }
    class
};
pub(super) const LETTER: u8 = 1;
pub(super) const CAPITAL: u8 = 2;

/// [`for_each_term`] for any text: decomposed, accents dropped, lower case.
/// Chinese and Japanese write no space between words, so each of their
/// characters is a term of its own, and the index's pairs of adjacent terms
/// find their words and phrases (`作坊` is the pair `作 坊`): no dictionary
/// to ship or to agree on between the build and the browser.
pub(super) fn for_each_folded_term(text: &str, mut f: impl FnMut(&str)) {
    let folded: String = text.nfd().filter(|c| !is_combining_mark(*c)).collect();
    for word in folded
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !word.chars().any(by_character) {
            f(word);
            continue;
        }
        let mut rest = word;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| by_character(c)) {
            if at > 0 {
                f(&rest[..at]);
            }
            f(&rest[at..at + c.len_utf8()]);
            rest = &rest[at + c.len_utf8()..];
        }
        if !rest.is_empty() {
            f(rest);
        }
    }
}

/// A character of a script written without spaces between words, searched
/// character by character: Han ideographs and the Japanese kana (as
/// `crate::model::word_count` counts them).
pub(super) fn by_character(c: char) -> bool {
    crate::model::written_without_spaces(c)
}
