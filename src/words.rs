//! The theme's words in the page's language. Every word the default theme
//! writes (templates, the compiled theme, the script) comes from a table
//! in `i18n/<language>.toml`: one built in for each language the theme
//! ships, and any the site adds or changes in its own `i18n/` folder (a
//! site's table needs only the words it changes). A page takes the table
//! of its language ([`crate::render::page_language`]): the exact tag (`pt-BR`),
//! else its language (`pt`), else English, key by key, so a table that
//! lacks a word falls back to English rather than to nothing.
//!
//! A word with a count is a table of CLDR plural forms, chosen by the
//! language's plural rules (Arabic has six, Chinese one):
//!
//! ```toml
//! [sections]
//! one = "{n} section"
//! other = "{n} sections"
//! ```
//!
//! `{n}` is written with the language's digits and grouping (`1.234` in
//! German). Other `{name}` places are filled by the caller.
//!
//! The renderer sets the page's table before it writes a page
//! ([`Words::set_page`]); Tera's `tr` function and the compiled theme read
//! it, so macros need no language argument.

use crate::diagnostic::Diagnostic;
use icu_decimal::input::Decimal;
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

/// The folder of translation tables, in the theme and in a site.
pub const WORDS_DIR: &str = "i18n";

/// The tables the theme ships (language, TOML).
pub const THEME_WORDS: [(&str, &str); 8] = [
    ("en", include_str!("../i18n/en.toml")),
    ("de", include_str!("../i18n/de.toml")),
    ("fr", include_str!("../i18n/fr.toml")),
    ("es", include_str!("../i18n/es.toml")),
    ("it", include_str!("../i18n/it.toml")),
    ("zh", include_str!("../i18n/zh.toml")),
    ("ar", include_str!("../i18n/ar.toml")),
    ("he", include_str!("../i18n/he.toml")),
];

#[derive(Debug, Clone)]
enum Entry {
    Text(String),
    /// Plural category (`one`, `few`, …) to text.
    Counted(HashMap<String, String>),
}

/// One language's table, as read.
type Table = HashMap<String, Entry>;

/// Every table of the theme and the site.
#[derive(Debug, Default)]
pub struct Words {
    tables: HashMap<String, Table>,
}

/// The words of the page being written on this thread: the page
/// language's table merged over its language's and English, once per
/// language and thread, so that a word is one lookup.
struct PageWords {
    words: Arc<Words>,
    language: String,
    /// `ltr` or `rtl` ([`crate::locale::direction`]), worked out once.
    dir: &'static str,
    table: rustc_hash::FxHashMap<String, Entry>,
    plurals: Option<PluralRules>,
    numbers: Option<DecimalFormatter>,
}

thread_local! {
    static PAGE: RefCell<Option<Rc<PageWords>>> = const { RefCell::new(None) };
    /// Each language's words made on this thread: listings and transcript
    /// pages in other languages alternate within a batch.
    static MADE: RefCell<Vec<Rc<PageWords>>> = const { RefCell::new(Vec::new()) };
}

impl Words {
    /// The theme's tables with the site's (`root/i18n/*.toml`) over them.
    pub fn load(root: &Path) -> Result<Words, Vec<Diagnostic>> {
        let mut words = Words::theme();
        let mut errors = Vec::new();
        let dir = root.join(WORDS_DIR);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(words);
        };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            if path.extension().and_then(|e| e.to_str()) != Some("toml") {
                continue;
            }
            let Some(language) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let shown = format!(
                "{WORDS_DIR}/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) => {
                    errors.push(Diagnostic::error(&shown, format!("cannot read: {e}")));
                    continue;
                }
            };
            match parse(&shown, &text) {
                Ok(table) => {
                    let known = &words.tables["en"];
                    for key in table.keys().filter(|k| !known.contains_key(*k)) {
                        let text: Arc<str> = text.as_str().into();
                        let d = Diagnostic::error(&shown, format!("the theme has no word {key:?}"))
                            .help("the keys are those of the theme's i18n/en.toml (docs/templates.md#words)");
                        errors.push(match key_line(&text, key) {
                            Some(span) => d.at(&text, span),
                            None => d,
                        });
                    }
                    words
                        .tables
                        .entry(language.to_string())
                        .or_default()
                        .extend(table);
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(words)
        } else {
            Err(errors)
        }
    }

    /// A language's name in itself (`Deutsch`, `中文`): `language_name` of
    /// its own table (the exact tag's, else its language's), else the tag.
    pub fn language_name(&self, language: &str) -> String {
        let primary = language.split(['-', '_']).next().unwrap_or(language);
        [language, primary]
            .iter()
            .find_map(|l| match self.tables.get(*l)?.get("language_name")? {
                Entry::Text(name) => Some(name.clone()),
                Entry::Counted(_) => None,
            })
            .unwrap_or_else(|| language.to_string())
    }

    /// The theme's own tables, without a site's.
    pub fn theme() -> Words {
        let mut words = Words::default();
        for (language, text) in THEME_WORDS {
            // The theme's own tables are tested to parse (see the tests).
            if let Ok(table) = parse(&format!("{WORDS_DIR}/{language}.toml"), text) {
                words.tables.insert(language.to_string(), table);
            }
        }
        words
    }

    /// `language`'s words, for text outside a page ([`Phrases`]).
    pub fn phrases(self: &Arc<Words>, language: &str) -> Phrases {
        Phrases(self.page_words(language))
    }

    /// Makes `language`'s words the ones this thread's next page writes.
    pub fn set_page(self: &Arc<Words>, language: &str) {
        let mine = |p: &PageWords| Arc::ptr_eq(&p.words, self) && p.language == language;
        if PAGE.with_borrow(|page| page.as_deref().is_some_and(mine)) {
            return;
        }
        let made = MADE.with_borrow_mut(|made| {
            if let Some(p) = made.iter().find(|p| mine(p)) {
                return Rc::clone(p);
            }
            // Another site's words (tests render several): start again.
            made.retain(|p| Arc::ptr_eq(&p.words, self));
            let p = Rc::new(self.page_words(language));
            made.push(Rc::clone(&p));
            p
        });
        PAGE.with_borrow_mut(|page| *page = Some(made));
    }

    fn page_words(self: &Arc<Words>, language: &str) -> PageWords {
        let locale: Option<Locale> = language.parse().ok();
        let mut chain = vec!["en".to_string()];
        if let Some(l) = &locale {
            chain.push(l.id.language.as_str().to_string());
        }
        chain.push(language.to_string());
        let mut table = rustc_hash::FxHashMap::default();
        for l in chain {
            if let Some(t) = self.tables.get(&l) {
                table.extend(t.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        PageWords {
            words: Arc::clone(self),
            language: language.to_string(),
            dir: crate::locale::direction(language),
            table,
            plurals: locale
                .as_ref()
                .and_then(|l| PluralRules::try_new_cardinal(l.into()).ok()),
            numbers: locale
                .as_ref()
                .and_then(|l| DecimalFormatter::try_new(l.into(), Default::default()).ok()),
        }
    }
}

/// The page's word for `key` (the key itself when no table has it, which
/// the tests rule out for the theme's own keys).
pub fn tr(key: &str) -> String {
    fill(key, None, &[])
}

/// The page's word for `key` with the count `n`: its plural form for `n`,
/// `{n}` written in the language's digits.
pub fn count(key: &str, n: usize) -> String {
    fill(key, Some(n), &[])
}

/// The page's word for `key`: its plural form for `n` when given, with
/// `{n}` and each `{name}` of `vars` put in its place.
pub fn fill(key: &str, n: Option<usize>, vars: &[(&str, &str)]) -> String {
    PAGE.with_borrow(|page| fill_in(page.as_deref(), key, n, vars))
}

/// [`fill`] from the words of `page`.
fn fill_in(page: Option<&PageWords>, key: &str, n: Option<usize>, vars: &[(&str, &str)]) -> String {
    let entry = page.and_then(|p| p.table.get(key));
    let mut text = match (entry, n) {
        (Some(Entry::Counted(forms)), n) => {
            let category = match (n, page.and_then(|p| p.plurals.as_ref())) {
                (Some(n), Some(rules)) => rules.category_for(n),
                _ => PluralCategory::Other,
            };
            forms
                .get(category_name(category))
                .or_else(|| forms.get("other"))
                .cloned()
                .unwrap_or_default()
        }
        (Some(Entry::Text(t)), _) => t.clone(),
        (None, _) => key.to_string(),
    };
    if let Some(n) = n {
        text = text.replace("{n}", &number(page, n));
    }
    for (name, value) in vars {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// One language's words, away from any page: for the few words verbatim
/// writes into a transcript itself (the placeholders of withheld parts),
/// in the transcript's language.
pub struct Phrases(PageWords);

impl Phrases {
    /// [`fill`] in this language.
    pub fn fill(&self, key: &str, n: Option<usize>, vars: &[(&str, &str)]) -> String {
        fill_in(Some(&self.0), key, n, vars)
    }
}

/// The direction of the page's language, `ltr` or `rtl`.
pub fn dir() -> &'static str {
    PAGE.with_borrow(|page| page.as_deref().map_or("ltr", |p| p.dir))
}

/// `n` in the page language's digits and grouping.
pub fn num(n: usize) -> String {
    PAGE.with_borrow(|page| number(page.as_deref(), n))
}

fn number(page: Option<&PageWords>, n: usize) -> String {
    match page.and_then(|p| p.numbers.as_ref()) {
        Some(f) => f.format(&Decimal::from(n)).to_string(),
        None => n.to_string(),
    }
}

fn with_entry<R>(key: &str, f: impl FnOnce(Option<&Entry>, Option<&PageWords>) -> R) -> R {
    PAGE.with_borrow(|page| {
        let page = page.as_deref();
        f(page.and_then(|p| p.table.get(key)), page)
    })
}

fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// A table's words: strings, or tables of plural forms.
fn parse(path: &str, text: &str) -> Result<Table, Diagnostic> {
    let value: toml::Table = toml::from_str(text).map_err(|e| {
        let text: Arc<str> = text.into();
        crate::config::toml_diagnostic(path, &text, 0, &e, "a table of words: key = \"text\", or [key] with one = and other = (docs/templates.md#words)")
    })?;
    let mut table = Table::new();
    for (key, v) in value {
        let entry = match v {
            toml::Value::String(s) => Entry::Text(s),
            toml::Value::Table(forms) => Entry::Counted(
                forms
                    .into_iter()
                    .filter_map(|(k, v)| Some((k, v.as_str()?.to_string())))
                    .collect(),
            ),
            _ => {
                return Err(Diagnostic::error(
                    path,
                    format!("{key:?} is neither a text nor a table of plural forms"),
                ))
            }
        };
        table.insert(key, entry);
    }
    Ok(table)
}

/// The byte range of the line `key = …` or `[key]` in `text`.
fn key_line(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with('='))
            || t == format!("[{key}]")
        {
            let start = offset + line.len() - line.trim_start().len();
            return Some(start..offset + line.trim_end().len());
        }
        offset += line.len();
    }
    None
}

/// The page's word for `key`, escaped for HTML, onto `out` (what
/// `{{ tr(key=…) }}` writes).
pub fn write(out: &mut String, key: &str) {
    with_entry(key, |entry, _| match entry {
        Some(Entry::Text(t)) => crate::escape::esc(out, t),
        _ => crate::escape::esc(out, &tr(key)),
    })
}

/// [`count`], escaped for HTML, onto `out`.
pub fn write_count(out: &mut String, key: &str, n: usize) {
    crate::escape::esc(out, &count(key, n));
}

/// [`fill`], escaped for HTML, onto `out`.
pub fn write_fill(out: &mut String, key: &str, n: Option<usize>, vars: &[(&str, &str)]) {
    crate::escape::esc(out, &fill(key, n, vars));
}

/// The file of the script's words in `language` (`verbatim-words-de.js`),
/// from the site root.
pub fn script_name(language: &str) -> String {
    format!("verbatim-words-{}.js", script_tag(language))
}

/// The language tag as BCP 47 writes it (`zh-Hant`): what the script's
/// file name and its first line say. A tag is front matter, so it may hold
/// anything, a line break and a script included; one that is not a tag
/// gets English words on its pages, and so the English script.
fn script_tag(language: &str) -> String {
    match language.parse::<Locale>() {
        Ok(locale) => locale.to_string(),
        Err(_) => "en".to_string(),
    }
}

impl Words {
    /// One script per language the site's pages are in, giving the theme's
    /// script its words (`js_…` keys) as `window.verbatimWords`: a page
    /// loads its language's, so the script writes "Link copied" in the
    /// page's language without every page carrying the words.
    pub fn scripts(self: &Arc<Words>, languages: &[&str]) -> Vec<crate::page::Page> {
        let mut keys: Vec<&String> = self
            .tables
            .get("en")
            .map(|t| t.keys().filter(|k| k.starts_with("js_")).collect())
            .unwrap_or_default();
        keys.sort();
        let mut seen = std::collections::BTreeSet::new();
        let mut pages = Vec::new();
        for language in languages {
            let path = script_name(language);
            if !seen.insert(path.clone()) {
                continue;
            }
            self.set_page(language);
            // A word with a count goes as its plural forms, which the
            // script picks from with the browser's plural rules.
            let words: serde_json::Map<String, serde_json::Value> = keys
                .iter()
                .map(|k| {
                    let value = with_entry(k, |entry, _| match entry {
                        Some(Entry::Counted(forms)) => serde_json::json!(forms),
                        Some(Entry::Text(t)) => serde_json::json!(t),
                        None => serde_json::json!(k),
                    });
                    (k.trim_start_matches("js_").to_string(), value)
                })
                .collect();
            let json = serde_json::Value::Object(words).to_string();
            let tag = script_tag(language);
            pages.push(crate::page::Page {
                path,
                bytes: format!(
                    "// The theme script's words in {tag} (i18n/*.toml), made by verbatim.\nwindow.verbatimWords = {json};\n"
                )
                .into_bytes(),
            });
        }
        pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(language: &str) -> Table {
        let (_, text) = THEME_WORDS.iter().find(|(l, _)| *l == language).unwrap();
        parse(language, text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn places(text: &str) -> std::collections::BTreeSet<String> {
        text.split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(p, _)| p.to_string()))
            .collect()
    }

    /// Every shipped table has every word of English, no other, the plural
    /// forms its language's rules can ask for, and the same `{places}`.
    #[test]
    fn every_table_has_every_word_in_every_form_it_needs() {
        let en = table("en");
        assert!(en.len() > 80, "{}", en.len());
        for (language, _) in THEME_WORDS {
            let t = table(language);
            let mut keys: Vec<_> = t.keys().collect();
            let mut want: Vec<_> = en.keys().collect();
            keys.sort();
            want.sort();
            assert_eq!(keys, want, "{language}");
            let locale: Locale = language.parse().unwrap();
            let rules = PluralRules::try_new_cardinal((&locale).into()).unwrap();
            for (key, entry) in &t {
                let english = match &en[key] {
                    Entry::Text(s) => s.clone(),
                    Entry::Counted(f) => f["other"].clone(),
                };
                let texts: Vec<&String> = match entry {
                    Entry::Text(s) => {
                        assert!(matches!(en[key], Entry::Text(_)), "{language} {key}");
                        vec![s]
                    }
                    Entry::Counted(forms) => {
                        for n in (0..=200).chain([1_000, 1_000_000]) {
                            let c = category_name(rules.category_for(n));
                            assert!(
                                forms.contains_key(c),
                                "{language} {key} has no {c} form (for {n})"
                            );
                        }
                        forms.values().collect()
                    }
                };
                for text in texts {
                    let mut theirs = places(text);
                    theirs.remove("n");
                    let mut ours = places(&english);
                    ours.remove("n");
                    assert_eq!(theirs, ours, "{language} {key}: {text}");
                }
            }
        }
    }

    /// The script's file is named by the tag as BCP 47 writes it; a
    /// language that is no tag (front matter may say anything) gets
    /// English's, and nothing of what it says reaches the name or the file.
    #[test]
    fn a_words_script_is_named_by_its_tag_alone() {
        assert_eq!(script_name("zh-hant"), "verbatim-words-zh-Hant.js");
        assert_eq!(script_name("de"), "verbatim-words-de.js");
        let hostile = "en\"><script>alert(1)</script>\nalert(2)";
        assert_eq!(script_name(hostile), "verbatim-words-en.js");
        let words = Arc::new(Words::default());
        let page = &words.scripts(&[hostile])[0];
        assert!(!String::from_utf8_lossy(&page.bytes).contains("alert"));
    }

    #[test]
    fn a_page_gets_its_languages_words_and_numbers() {
        let words = Arc::new(Words::load(Path::new("/nonexistent")).unwrap());
        words.set_page("de");
        assert_eq!(tr("next"), "Weiter");
        assert_eq!(count("words", 1), "1 Wort");
        assert_eq!(count("words", 1234), "1.234 Wörter");
        words.set_page("de-AT");
        assert_eq!(tr("next"), "Weiter");
        words.set_page("ar");
        assert_eq!(count("sections", 2), "قسمان");
        assert_eq!(count("sections", 3), "3 أقسام");
        words.set_page("zh");
        assert_eq!(count("words", 1234), "1,234 字");
        // A language the theme has no table for: English words, its digits.
        words.set_page("pt");
        assert_eq!(count("words", 1234), "1.234 words");
        assert_eq!(
            fill("section_of", Some(2), &[("total", "5")]),
            "Section 2 of 5"
        );
        words.set_page("en");
        assert_eq!(tr("no such key"), "no such key");
    }
}
