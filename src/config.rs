//! `site.toml`: the site's settings, with defaults for everything but the
//! title, and unknown keys rejected so a typo never passes silently.

use crate::diagnostic::Diagnostic;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;

/// The name of the settings file at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// The site's settings as read from `site.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Shown in every page's header and in the browser's title bar.
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Absolute URL the site is published at, used only where a standard needs
    /// an absolute URL (canonical links, feeds, sitemap). Links between pages
    /// stay relative whatever it is.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// BCP 47 tag of the site's interface and default transcript language.
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub author: Option<String>,
    /// Output folder, relative to the site root.
    #[serde(default = "default_output_dir")]
    pub output_dir: String,
    /// Build transcripts marked `draft = true` too.
    #[serde(default)]
    pub drafts: bool,
    /// A line of Markdown for every page's footer (a licence, a credit).
    #[serde(default)]
    pub footer: Option<String>,
    /// Transcripts per page of the home and tag listings; 0 puts all on one page.
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    /// How many of the newest transcripts `atom.xml` carries; 0 means all.
    #[serde(default = "default_feed_entries")]
    pub feed_entries: usize,
    /// Build the search index and the /search/ page (docs/search.md).
    #[serde(default = "default_true")]
    pub search: bool,
    /// Keep dotfiles (`.git`, `.nojekyll`, ...) found at the top of verbatim's
    /// output folder when a build replaces it.
    #[serde(default = "default_true")]
    pub keep_dotfiles: bool,
    /// Pass raw HTML in transcripts through to the pages. This trusts every
    /// content file as much as the site's own templates (see docs/security.md).
    #[serde(default)]
    pub allow_html: bool,
    /// Read transcripts and folders that symbolic links in `content/` point
    /// to outside the site root (refused by default: see docs/security.md).
    #[serde(default)]
    pub follow_links_outside: bool,
    /// Files in `content/` that are not transcripts and are left alone
    /// (glob patterns relative to `content/`; without a `/`, a file name in
    /// any folder). Any other file verbatim does not read is an error.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// The date the build publishes as, as written in site.toml (`today =
    /// 2026-12-07`); read into `today`.
    #[serde(default, rename = "today")]
    today_written: Option<toml::Value>,
    /// The date the build publishes as (`2026-12-07`): embargoes until a
    /// later date hold. From `--today`, site.toml's `today`,
    /// `SOURCE_DATE_EPOCH` or the clock, in that order.
    #[serde(skip)]
    pub today: String,
}

fn default_true() -> bool {
    true
}

fn default_base_url() -> String {
    "/".to_string()
}
fn default_language() -> String {
    "en".to_string()
}
fn default_output_dir() -> String {
    "public".to_string()
}
fn default_paginate() -> usize {
    20
}
fn default_feed_entries() -> usize {
    50
}

impl Config {
    /// Reads `site.toml` from the site root.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(CONFIG_FILE, format!("cannot read the site settings: {e}"))
                .help("run verbatim in the folder that holds site.toml, or pass --root DIR")
        })?;
        Config::parse(&text)
    }

    /// Parses the text of `site.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let text: Arc<str> = Arc::from(text);
        let config: Config = toml::from_str(&text)
            .map_err(|e| toml_diagnostic(CONFIG_FILE, &text, 0, &e, SITE_KEYS_HELP))?;
        if crate::url::is_script_url(&config.base_url) {
            let at = text.find(config.base_url.as_str()).unwrap_or(0);
            return Err(Diagnostic::error(
                CONFIG_FILE,
                "`base_url` is a script URL; links built from it would run script",
            )
            .at(&text, at..at + config.base_url.len())
            .help("write the address the site is published at, such as \"https://example.org/\""));
        }
        let mut config = config;
        config.today = match config.today_written.take() {
            None => today_utc(),
            Some(value) => {
                let written = match &value {
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                valid_date(&written).ok_or_else(|| {
                    Diagnostic::error(CONFIG_FILE, format!("`today` is not a date: {written}"))
                        .help("write it as today = 2026-12-07, or leave it out to use the clock")
                })?
            }
        };
        Ok(config.normalized())
    }

    /// Replaces the build's date (the `--today` flag); `Err` says why a
    /// text is not one.
    pub fn with_today(mut self, today: &str) -> Result<Config, String> {
        self.today = valid_date(today)
            .ok_or_else(|| format!("--today {today:?} is not a date: write it as 2026-12-07"))?;
        Ok(self)
    }

    /// `base_url` always ends in one `/`, so `base_url + path` is a URL.
    fn normalized(mut self) -> Config {
        let trimmed = self.base_url.trim_end_matches('/');
        self.base_url = format!("{trimmed}/");
        self
    }

    /// Replaces the base URL (the `--base-url` flag).
    pub fn with_base_url(mut self, base_url: &str) -> Config {
        self.base_url = base_url.to_string();
        self.normalized()
    }
}

const SITE_KEYS_HELP: &str = "site.toml takes: title, description, base_url, language, author, \
     output_dir, drafts, footer, paginate, feed_entries, search, keep_dotfiles, allow_html, \
     follow_links_outside, ignore, today \
     (see docs/configuration.md)";

/// Turns a TOML parse error into a diagnostic at its position. `offset` is
/// where the TOML starts in `text` (front matter starts after `+++`).
pub fn toml_diagnostic(
    path: &str,
    text: &Arc<str>,
    offset: usize,
    error: &toml::de::Error,
    help: &str,
) -> Diagnostic {
    // toml's message repeats the position and the source line; keep the sentence.
    let message = error.message().trim().to_string();
    let d = Diagnostic::error(path, message).help(help);
    match error.span() {
        Some(span) => d.at(text, offset + span.start..offset + span.end),
        None => d,
    }
}

/// Today's date in UTC (`2026-12-07`), the date a build publishes as: from
/// `SOURCE_DATE_EPOCH` when it is set (reproducible builds), else the clock.
/// `--today` and site.toml's `today` replace it.
pub fn today_utc() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    now.to_zoned(jiff::tz::TimeZone::UTC).date().to_string()
}

/// `2026-12-07` when `text` is that date and nothing more.
fn valid_date(text: &str) -> Option<String> {
    let d = jiff::civil::Date::strptime("%Y-%m-%d", text.trim()).ok()?;
    Some(d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_is_missing() {
        let c = Config::parse("title = \"T\"").unwrap();
        assert_eq!(c.base_url, "/");
        assert_eq!(c.output_dir, "public");
        assert_eq!(c.language, "en");
    }

    #[test]
    fn base_url_gets_one_trailing_slash() {
        let c = Config::parse("title = \"T\"\nbase_url = \"https://x.org/sub//\"").unwrap();
        assert_eq!(c.base_url, "https://x.org/sub/");
    }

    #[test]
    fn script_base_urls_are_refused() {
        let e = Config::parse("title = \"T\"\nbase_url = \" javascript:alert(1)//\"").unwrap_err();
        assert!(e.message.contains("script URL"), "{}", e.message);
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn unknown_keys_are_errors_naming_key_and_line() {
        let e = Config::parse("title = \"T\"\ntitel = \"x\"").unwrap_err();
        assert!(e.message.contains("titel"), "{}", e.message);
        assert_eq!(e.path, "site.toml");
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn today_comes_from_site_toml_or_the_flag_and_must_be_a_date() {
        assert_eq!(
            Config::parse("title = \"T\"\ntoday = 2026-01-05")
                .unwrap()
                .today,
            "2026-01-05"
        );
        assert_eq!(
            Config::parse("title = \"T\"\ntoday = \"2026-01-05\"")
                .unwrap()
                .today,
            "2026-01-05"
        );
        let e = Config::parse("title = \"T\"\ntoday = \"soon\"").unwrap_err();
        assert!(e.message.contains("`today` is not a date"), "{}", e.message);
        let c = Config::parse("title = \"T\"").unwrap();
        assert_eq!(c.today.len(), 10, "the clock's date: {}", c.today);
        assert_eq!(
            c.clone().with_today("2031-05-01").unwrap().today,
            "2031-05-01"
        );
        assert!(c.with_today("2031-13-01").is_err());
    }
}
