//! Stemming: `models` finds `model`, `Werkstätten` finds `Werkstatt`. Each
//! word of the index stands for its stem by the Snowball algorithm of each
//! language the site's transcripts are in (rust-stemmers), and the browser
//! stems a query with the same algorithms (the JavaScript port of the same
//! Snowball programs, `static/vendor/snowball-stemmers.js`, cut here into a
//! file per algorithm). tests/search_format.rs holds the two equal on the
//! words of the corpus.
//!
//! Words are stemmed after they are folded (lower case, accents dropped),
//! on both sides: the index keeps its one reading of the text, and only the
//! site's distinct words are stemmed, once each. Phrases (pairs of adjacent
//! words) stay the words as written.

use super::postings::{Ids, Postings};
use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

/// The Snowball algorithm of a language (its BCP 47 tag), by the name both
/// implementations give it; `None` for a language neither stems (Chinese
/// and Japanese are searched by character, see the tokenizer).
pub fn algorithm(language: &str) -> Option<&'static str> {
    let primary = language.split(['-', '_']).next()?.to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => "arabic",
        "da" => "danish",
        "nl" => "dutch",
        "en" => "english",
        "fi" => "finnish",
        "fr" => "french",
        "de" => "german",
        "hu" => "hungarian",
        "it" => "italian",
        "no" | "nb" | "nn" => "norwegian",
        "pt" => "portuguese",
        "ro" => "romanian",
        "ru" => "russian",
        "es" => "spanish",
        "sv" => "swedish",
        "ta" => "tamil",
        "tr" => "turkish",
        _ => return None,
    })
}

fn rust_algorithm(name: &str) -> Option<Algorithm> {
    Some(match name {
        "arabic" => Algorithm::Arabic,
        "danish" => Algorithm::Danish,
        "dutch" => Algorithm::Dutch,
        "english" => Algorithm::English,
        "finnish" => Algorithm::Finnish,
        "french" => Algorithm::French,
        "german" => Algorithm::German,
        "hungarian" => Algorithm::Hungarian,
        "italian" => Algorithm::Italian,
        "norwegian" => Algorithm::Norwegian,
        "portuguese" => Algorithm::Portuguese,
        "romanian" => Algorithm::Romanian,
        "russian" => Algorithm::Russian,
        "spanish" => Algorithm::Spanish,
        "swedish" => Algorithm::Swedish,
        "tamil" => Algorithm::Tamil,
        "turkish" => Algorithm::Turkish,
        _ => return None,
    })
}

/// The algorithms of a site: one per language its transcripts are in, in
/// name order, each once.
pub struct Stemmers {
    names: Vec<&'static str>,
    stemmers: Vec<Stemmer>,
}

impl Stemmers {
    /// The algorithms of these languages.
    pub fn of<'a>(languages: impl IntoIterator<Item = &'a str>) -> Stemmers {
        let mut names: Vec<&'static str> = languages.into_iter().filter_map(algorithm).collect();
        names.sort_unstable();
        names.dedup();
        let stemmers = names
            .iter()
            .filter_map(|n| rust_algorithm(n))
            .map(Stemmer::create)
            .collect();
        Stemmers { names, stemmers }
    }

    /// The algorithms' names, as the index's `meta.bin` lists them.
    pub fn names(&self) -> &[&'static str] {
        &self.names
    }

    /// The terms a folded word stands for: its stem by each algorithm, each
    /// once, in the algorithms' order; the word itself when the site has no
    /// algorithm.
    pub fn terms(&self, word: &str) -> Vec<String> {
        if self.stemmers.is_empty() {
            return vec![word.to_string()];
        }
        let mut out: Vec<String> = Vec::with_capacity(1);
        for s in &self.stemmers {
            let stem = s.stem(word);
            if !out.iter().any(|o| *o == *stem) {
                out.push(stem.into_owned());
            }
        }
        out
    }
}

/// The postings of words as the postings of their stems: each word's
/// exchanges go to each term it stands for ([`Stemmers::terms`]), the lists
/// of the words with one stem merged into one.
pub(super) fn stemmed(words: Postings, stemmers: &Stemmers) -> Postings {
    if stemmers.names.is_empty() {
        return words;
    }
    // Distinct words are few (thousands), so their stems are worked out on
    // both threads and grouped on one.
    let stems: Vec<Vec<String>> = words.par_iter().map(|(w, _)| stemmers.terms(w)).collect();
    let mut groups: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, terms) in stems.iter().enumerate() {
        for t in terms {
            groups.entry(t.as_str()).or_default().push(i);
        }
    }
    let groups: Vec<(&str, Vec<usize>)> = groups.into_iter().collect();
    groups
        .into_par_iter()
        .map(|(stem, members)| {
            let ids = match members.as_slice() {
                [one] => words[*one].1.clone(),
                many => union(many.iter().map(|&i| &words[i].1)),
            };
            (stem.to_string(), ids)
        })
        .collect()
}

/// The ids in any of `lists`, ascending, each once, with the occurrences
/// of all the lists there (the words of one stem are one term).
fn union<'a>(lists: impl Iterator<Item = &'a Ids>) -> Ids {
    let mut all: Vec<(u32, u32)> = Vec::new();
    for list in lists {
        let mut id: i64 = -1;
        for (gap, tf) in list.gaps() {
            id += gap as i64 + 1;
            all.push((id as u32, tf));
        }
    }
    all.sort_unstable();
    let mut out = Ids::default();
    for (id, tf) in all {
        for _ in 0..tf {
            out.push(id);
        }
    }
    out
}

/// The file of one algorithm for the browser: the JavaScript port's
/// shared base and that algorithm's program, cut out of the vendored
/// bundle, which registers `stem(word)` as `verbatimStemmers[name]` (or
/// exports it, under node). `None` for a name the bundle does not have.
pub fn script(name: &str) -> Option<String> {
    let bundle = SNOWBALL_BUNDLE;
    // The helpers before the first program: everything after the module's
    // exports are set, up to the first algorithm.
    let exports = "exports.algorithms = algorithms;\n";
    let base_start = bundle.find(exports)? + exports.len();
    let base_end = bundle.find("    var arabicStemmer = function")?;
    let start = bundle.find(&format!("    var {name}Stemmer = function"))?;
    let end_mark = "    }(SnowballStemmer);\n";
    let end = start + bundle[start..].find(end_mark)? + end_mark.len();
    let first_line = bundle.lines().next()?;
    Some(format!(
        "// The Snowball {name} stemmer, from snowball-stemmers 0.6.0 by Oleg Mazko (ISC\n\
         // licence, https://github.com/mazko/jssnowball), cut out of verbatim's\n\
         // static/vendor/snowball-stemmers.js by src/search/stem.rs.\n\
         (function () {{\n'use strict';\n{first_line}\n{base}{program}\
         var stemmer = new {name}Stemmer();\n\
         var stem = function (word) {{ stemmer.setCurrent(word); stemmer.stem(); return stemmer.getCurrent(); }};\n\
         if (typeof module === \"object\" && typeof window === \"undefined\") module.exports = stem;\n\
         else (window.verbatimStemmers = window.verbatimStemmers || {{}})[\"{name}\"] = stem;\n\
         }})();\n",
        base = unindented(&bundle[base_start..base_end]),
        program = unindented(&bundle[start..end]),
    ))
}

/// The lines of `code` without their indentation and without blank lines:
/// the port is Babel's output, four spaces a level, and a query downloads
/// its algorithm's file (75 KB as written, 44 KB so). No line of it
/// continues a string or a template onto the next, so none changes meaning.
fn unindented(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for line in code.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The JavaScript port of the Snowball stemmers, as published on npm
/// (snowball-stemmers 0.6.0, sha256 in static/vendor/README.md).
const SNOWBALL_BUNDLE: &str = include_str!("../../static/vendor/snowball-stemmers.js");

/// Where a stemmer's script goes in the output folder.
pub fn script_path(name: &str) -> String {
    format!("{}/stem-{name}.js", super::DATA_DIR)
}

/// Where the same script goes as a gzip member, which the search script
/// fetches first.
pub fn packed_path(name: &str) -> String {
    format!("{}/stem-{name}.bin", super::DATA_DIR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_take_their_algorithm() {
        assert_eq!(algorithm("en-GB"), Some("english"));
        assert_eq!(algorithm("de"), Some("german"));
        assert_eq!(algorithm("nb"), Some("norwegian"));
        assert_eq!(algorithm("zh"), None);
        assert_eq!(algorithm(""), None);
        let s = Stemmers::of(["en", "de", "en-US", "zh"]);
        assert_eq!(s.names(), ["english", "german"]);
        assert_eq!(s.terms("models"), ["model"]);
        // Two algorithms, two stems, each once.
        assert_eq!(s.terms("werkstatten"), ["werkstatten", "werkstatt"]);
        assert_eq!(Stemmers::of(["zh"]).terms("作"), ["作"]);
    }

    #[test]
    fn every_algorithm_has_its_script() {
        for language in [
            "ar", "da", "nl", "en", "fi", "fr", "de", "hu", "it", "no", "pt", "ro", "ru", "es",
            "sv", "ta", "tr",
        ] {
            let name = algorithm(language).unwrap();
            let script = script(name).unwrap_or_else(|| panic!("{name}"));
            assert!(script.contains(&format!("\nvar {name}Stemmer = function")));
            assert!(script.contains("\nvar SnowballStemmer = function"));
            // One program, not the next one's too.
            assert_eq!(script.matches("}(SnowballStemmer);").count(), 1, "{name}");
            assert!(!script.contains("\n "), "{name}: unindented");
        }
        assert!(script("klingon").is_none());
    }

    #[test]
    fn merged_lists_hold_every_id_once_with_the_occurrences_of_each() {
        let list = |ids: &[u32]| {
            let mut l = Ids::default();
            ids.iter().for_each(|&i| l.push(i));
            l
        };
        let (a, b) = (list(&[1, 5, 9]), list(&[0, 5, 200]));
        assert_eq!(union([&a, &b].into_iter()), list(&[0, 1, 5, 5, 9, 200]));
        assert_eq!(union([&a, &b].into_iter()).len, 5);
    }
}
