//! The word ledger of an imported transcript: the words of speech verbatim
//! found in the source, the words on the site, and every difference with
//! its reason. Readers give what they keep to the
//! [`SpeechBuilder`](super::speech::SpeechBuilder), which counts it
//! ([`Transcript::words_read`]); what they leave out (a tool's credit, a
//! rolling caption's repeated line, the page around an interview) is a
//! warning carrying its words ([`Diagnostic::left_out`]). The ledger
//! balances when the words kept are the words on the site: nothing was lost
//! between reading and the page without a warning saying so.

use crate::diagnostic::Diagnostic;
use crate::model::Transcript;

/// A word: a run of non-space characters holding a letter or a digit (so
/// `—`, `>>` and `*` are not words, `don't` and `$50` are).
pub fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The words of HTML written by verbatim (tags and the five escapes out).
pub fn html_words(html: &str) -> usize {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    words(&text)
}

/// One transcript's accounts.
#[derive(Debug, Clone, PartialEq)]
pub struct Ledger {
    /// The content file.
    pub path: String,
    /// Words of speech and intro the importer kept; `None` for a native file.
    pub read: Option<usize>,
    /// Words of the turns and intros on the site.
    pub on_site: usize,
    /// Words left out, each with the warning that says why: (words, line, why).
    pub left_out: Vec<(usize, Option<usize>, String)>,
}

impl Ledger {
    /// The accounts of `transcript`, with the warnings found reading it
    /// (warnings on other files are passed over).
    pub fn of<'a>(
        transcript: &Transcript,
        warnings: impl IntoIterator<Item = &'a Diagnostic>,
    ) -> Ledger {
        let on_site = html_words(&transcript.intro)
            + transcript
                .sections
                .iter()
                .map(|s| html_words(&s.intro) + s.turns().map(|t| words(&t.text)).sum::<usize>())
                .sum::<usize>();
        let left_out = warnings
            .into_iter()
            .filter(|d| d.left_out > 0 && d.path == transcript.source_path)
            .map(|d| (d.left_out as usize, d.line, d.message.clone()))
            .collect();
        Ledger {
            path: transcript.source_path.clone(),
            read: transcript.words_read.0,
            on_site,
            left_out,
        }
    }

    /// Words of speech in the source: those kept and those left out.
    pub fn in_source(&self) -> usize {
        self.read.unwrap_or(self.on_site) + self.left_out_words()
    }

    pub fn left_out_words(&self) -> usize {
        self.left_out.iter().map(|l| l.0).sum()
    }

    /// Words kept from the source that are not on the site (negative: on
    /// the site and not in the source), with no warning to say why.
    pub fn unexplained(&self) -> i64 {
        self.read.map_or(0, |r| r as i64 - self.on_site as i64)
    }

    pub fn balances(&self) -> bool {
        self.unexplained() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_with_a_letter_or_digit() {
        assert_eq!(words("Q: Don't — >> go, $50 * now."), 5);
        assert_eq!(html_words("<p>Tom &amp; Jerry</p>\n<p>ran</p>"), 3);
        assert_eq!(html_words("<p>a</p><p>b</p>"), 2);
    }
}

#[cfg(test)]
mod balance {
    use super::*;
    use crate::ingest::{parse, Format, IngestOptions};
    use std::sync::Arc;

    /// A ledger that balances stops balancing when a word read is not on
    /// the site: the count is kept apart from the transcript's words.
    #[test]
    fn a_word_lost_after_reading_unbalances_it() {
        let text: Arc<str> =
            Arc::from("WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ann>One two three.\n\n00:02.000 --> 00:04.000\n<v Bo>Four five.\n");
        let (mut t, warnings) = parse(
            Format::WebVtt,
            "a.vtt",
            &text,
            "a",
            &IngestOptions::default(),
        )
        .unwrap();
        let ledger = Ledger::of(&t, &warnings);
        assert_eq!((ledger.read, ledger.on_site), (Some(5), 5));
        assert!(ledger.balances());
        t.sections[0].exchanges.pop();
        let ledger = Ledger::of(&t, &warnings);
        assert!(!ledger.balances());
        assert!(ledger.unexplained() > 0);
    }
}
