//! What templates see: the view structs of the site, a transcript, a
//! section, an exchange and a turn, serialized for Tera and read directly
//! by the compiled theme, and the text helpers they share (excerpts, dates,
//! inline Markdown of the footer).

use super::*;
use crate::exports::Export;

#[derive(Serialize)]
pub(super) struct PageView<'a> {
    pub(super) url: &'a str,
    pub(super) kind: &'a str,
    pub(super) permalink: String,
    /// The page's language ([`super::page_language`]) and its script's
    /// direction, `ltr` or `rtl`.
    pub(super) lang: &'a str,
    pub(super) dir: &'static str,
    /// The script of the theme's words in `lang`, from the root.
    pub(super) words: String,
}

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) base_url: &'a str,
    pub(super) language: &'a str,
    pub(super) author: Option<&'a str>,
    pub(super) footer: Option<String>,
    pub(super) transcript_count: usize,
    /// Whether the site has a search page (site.toml `search`).
    pub(super) search: bool,
}

impl<'a> SiteView<'a> {
    pub(super) fn new(site: &'a Site) -> Self {
        let c = &site.config;
        SiteView {
            title: &c.title,
            description: c.description.as_deref(),
            base_url: &c.base_url,
            language: &c.language,
            author: c.author.as_deref(),
            footer: site.footer_html(),
            transcript_count: site.transcripts.len(),
            search: c.search,
        }
    }
}

/// What a listing shows of a transcript.
#[derive(Serialize)]
pub(super) struct Summary<'a> {
    pub(super) slug: &'a str,
    pub(super) url: String,
    pub(super) title: &'a str,
    pub(super) subtitle: Option<&'a str>,
    pub(super) date: Option<&'a str>,
    pub(super) date_display: Option<String>,
    pub(super) description: Option<&'a str>,
    pub(super) tags: &'a [String],
    pub(super) speakers: Vec<SpeakerView<'a>>,
    pub(super) section_count: usize,
    pub(super) exchange_count: usize,
    pub(super) word_count: usize,
    /// Minutes to read the whole transcript.
    pub(super) reading_minutes: usize,
    /// The transcript's language and its direction when they are not the
    /// site's: a card in a listing says so, for screen readers and layout.
    pub(super) lang: Option<&'a str>,
    pub(super) dir: &'static str,
}

/// A transcript's speaker with the URL of their page on the site.
#[derive(Serialize)]
pub(super) struct SpeakerView<'a> {
    #[serde(flatten)]
    pub(super) speaker: &'a Speaker,
    /// `speakers/<id>/`, relative to the site root.
    pub(super) url: Option<String>,
}

impl<'a> Summary<'a> {
    pub(super) fn new(site: &'a Site, i: usize) -> Self {
        let t = &site.transcripts[i];
        let word_count = site.word_count(i);
        Summary {
            slug: &t.slug,
            url: transcript_url(t),
            title: &t.title,
            subtitle: t.subtitle.as_deref(),
            date: t.date.as_deref(),
            date_display: t.date.as_deref().map(|d| human_date(d, &t.language)),
            lang: (t.language != site.config.language).then_some(t.language.as_str()),
            dir: super::locale::direction(&t.language),
            description: t.description.as_deref(),
            tags: &t.tags,
            speakers: t
                .speakers
                .iter()
                .map(|s| SpeakerView {
                    speaker: s,
                    url: site
                        .speakers
                        .person_of(&site.transcripts, i, &s.id)
                        .map(listings::person_url),
                })
                .collect(),
            section_count: t.sections.len(),
            exchange_count: t.sections.iter().map(|s| s.exchanges.len()).sum(),
            word_count,
            reading_minutes: listings::reading_minutes(word_count),
        }
    }
}

/// What the overview, section and full pages know of their transcript.
#[derive(Serialize)]
pub(super) struct Overview<'a> {
    #[serde(flatten)]
    pub(super) summary: Summary<'a>,
    pub(super) intro: &'a str,
    pub(super) language: &'a str,
    /// Who translated it, when it is a translation.
    pub(super) translators: &'a [String],
    pub(super) source: &'a Source,
    pub(super) has_source: bool,
    /// The recording's files (none without one).
    pub(super) media: Vec<MediaView<'a>>,
    /// The recording's length, when it is known.
    pub(super) recording: Option<Length>,
    /// The WebVTT captions the player is given (one file, with times).
    pub(super) captions: Option<String>,
    /// The transcript in standard formats, for the overview's downloads.
    pub(super) exports: Vec<ExportLink>,
    pub(super) full_url: String,
    pub(super) sections: Vec<SectionLink>,
}

/// A citation in the three styles and the three formats, as HTML: the
/// transcript's on its overview and full page, a section's on the
/// section's page, with what the script changes to cite one of its turns.
#[derive(Serialize)]
pub(super) struct CitationView {
    /// A section's: its address, key and time, which a turn's citation
    /// has in their place.
    pub(super) part: Option<Part>,
    pub(super) chicago: String,
    pub(super) apa: String,
    pub(super) mla: String,
    /// The CSL-JSON item, a line per variable.
    pub(super) csl: String,
    pub(super) bibtex: String,
    pub(super) ris: String,
}

/// What a section's citation holds that each of its turns' changes.
#[derive(Serialize)]
pub(super) struct Part {
    pub(super) url: String,
    pub(super) key: String,
    pub(super) time: Option<String>,
}

impl CitationView {
    /// Made for the page alone, when it is rendered: held with the
    /// transcript's other views, the citations of 10,000 transcripts were
    /// 32 MB more at the peak and the build 9% slower.
    pub(super) fn of(site: &Site, t: &Transcript) -> CitationView {
        Self::from_work(crate::cite::Work::of(&site.config, t), false)
    }

    /// Section `s` of `t`, with its stretch of the recording.
    pub(super) fn of_section(site: &Site, t: &Transcript, s: usize) -> CitationView {
        let time = if t.media.is_empty() {
            None
        } else {
            let section = &t.sections[s];
            t.section_spans()
                .into_iter()
                .find(|(x, _, _)| std::ptr::eq(*x, section))
                .map(|(_, start, end)| span_text(start, end))
        };
        Self::from_work(
            crate::cite::Work::of_section(&site.config, t, s, time),
            true,
        )
    }

    /// Text between tags needs only `& < >` escaped: the quotes of the
    /// CSL-JSON item stay quotes, a tenth of a section's citation.
    fn from_work(w: crate::cite::Work, part: bool) -> CitationView {
        let c = w.cite();
        let html = |text: &str| {
            let mut out = String::with_capacity(text.len() + 16);
            if crate::escape::has_xml_forbidden(text.as_bytes()) {
                let allowed: String = text
                    .chars()
                    .filter(|&c| !crate::escape::is_xml_forbidden(c))
                    .collect();
                crate::escape::esc_body(&mut out, &allowed);
            } else {
                crate::escape::esc_body(&mut out, text);
            }
            out
        };
        CitationView {
            chicago: html(&c.chicago),
            apa: html(&c.apa),
            mla: html(&c.mla),
            csl: html(&c.csl),
            bibtex: html(&c.bibtex),
            ris: html(&c.ris),
            part: part.then_some(Part {
                url: w.url,
                key: w.id,
                time: w.time,
            }),
        }
    }
}

/// `00:12:03–00:14:05`, or the start alone when the end is not known.
fn span_text(start: Timecode, end: Option<Timecode>) -> String {
    match end.filter(|&e| e > start) {
        Some(end) => [start.clock(), "–".into(), end.clock()].concat(),
        None => start.clock(),
    }
}

/// A file of the recording, as pages show it.
#[derive(Serialize)]
pub(super) struct MediaView<'a> {
    /// Absolute, or from the site root (`tone.wav`): templates put `root`
    /// before a `local` one.
    pub(super) url: &'a str,
    pub(super) local: bool,
    pub(super) kind: crate::model::MediaKind,
    /// Where the file starts on the transcript's clock, in seconds.
    pub(super) offset: f64,
    /// The same as `00:45:10`.
    pub(super) start: String,
    pub(super) length: Option<Length>,
}

/// A stretch of time, as a page shows it.
#[derive(Serialize, Clone)]
pub(super) struct Length {
    /// For `<time datetime>`: `PT2M5S`.
    pub(super) iso: String,
    /// `2 min 5 s`.
    pub(super) text: String,
}

impl Length {
    pub(super) fn of(t: Timecode) -> Length {
        let s = (t.0 + 500) / 1000;
        let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
        let mut iso = String::from("PT");
        let mut text = Vec::new();
        // In the page's words and digits (`2 Min. 5 Sek.`, `2分5秒`).
        let short = |key: &str, n: u64| {
            super::words::fill(key, None, &[("n", &super::words::num(n as usize))])
        };
        if h > 0 {
            iso += &format!("{h}H");
            text.push(short("length_h", h));
        }
        if m > 0 {
            iso += &format!("{m}M");
            text.push(short("length_min", m));
        }
        if sec > 0 || s == 0 {
            iso += &format!("{sec}S");
            text.push(short("length_s", sec));
        }
        Length {
            iso,
            text: text.join(" "),
        }
    }
}

/// A point of the recording, spoken: `1 minute 23 seconds` (a screen
/// reader says `00:01:23` digit by digit).
pub(super) fn spoken_time(t: Timecode) -> String {
    let s = t.0 / 1000;
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    // In the page's words, each with its plural form.
    let unit = |n: u64, key: &str| super::words::count(key, n as usize);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(unit(h, "hours_spoken"));
    }
    if m > 0 {
        parts.push(unit(m, "minutes_spoken"));
    }
    if sec > 0 || parts.is_empty() {
        parts.push(unit(sec, "seconds_spoken"));
    }
    parts.join(" ")
}

/// A file the transcript is exported as.
#[derive(Serialize)]
pub(super) struct ExportLink {
    /// From the site root.
    pub(super) url: String,
    pub(super) label: &'static str,
    pub(super) media_type: &'static str,
}

/// Where a timed turn plays: which file, and how far into it.
#[derive(Serialize, Clone)]
pub(super) struct Play {
    /// Index into the transcript's `media`.
    pub(super) file: usize,
    /// Seconds into that file.
    pub(super) at: f64,
    /// `play from 1 minute 23 seconds`: the time link's accessible name
    /// after its visible time (a screen reader reads `00:01:23` as digits).
    pub(super) label: String,
}

impl<'a> Overview<'a> {
    pub(super) fn new(site: &'a Site, i: usize) -> Self {
        let t = &site.transcripts[i];
        Overview {
            summary: Summary::new(site, i),
            intro: &t.intro,
            language: &t.language,
            translators: &t.translators,
            source: &t.source,
            has_source: !t.source.is_empty(),
            media: t
                .media
                .iter()
                .map(|m| MediaView {
                    url: &m.url,
                    local: crate::url::is_site_relative(&m.url),
                    kind: m.kind,
                    offset: m.offset.seconds(),
                    start: m.offset.clock(),
                    length: m.duration.map(Length::of),
                })
                .collect(),
            recording: t.recording_length().map(Length::of),
            captions: (t.media.len() == 1 && Export::WebVtt.available(t))
                .then(|| Export::WebVtt.path(t)),
            exports: crate::exports::available(t)
                .map(|e| ExportLink {
                    url: e.path(t),
                    label: e.label(),
                    media_type: e.media_type(),
                })
                .collect(),
            full_url: transcript_url(t) + "full/",
            sections: section_links(site, i),
        }
    }
}

/// A section as a table of contents or previous/next link shows it.
#[derive(Serialize, Clone)]
pub(super) struct SectionLink {
    pub(super) number: Option<String>,
    pub(super) title: String,
    pub(super) slug: String,
    pub(super) url: String,
    /// The first question, shortened, so a reader can tell sections apart.
    pub(super) first_question: Option<String>,
    pub(super) exchange_count: usize,
    pub(super) word_count: usize,
    pub(super) reading_minutes: usize,
    /// Where the section starts in the recording (transcripts with media).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) start: Option<SectionTime>,
}

/// When a section is spoken: from where, for how long.
#[derive(Serialize, Clone)]
pub(super) struct SectionTime {
    /// `00:12:30`.
    pub(super) clock: String,
    /// On the transcript's clock, for the player.
    pub(super) seconds: f64,
    pub(super) play: Play,
    pub(super) length: Option<Length>,
}

/// A section with its length, for the section and full pages.
#[derive(Serialize)]
pub(super) struct SectionView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) number: Option<&'a str>,
    pub(super) title: &'a str,
    pub(super) slug: &'a str,
    pub(super) intro: &'a str,
    pub(super) exchanges: Vec<ExchangeView<'a>>,
    pub(super) word_count: usize,
    pub(super) reading_minutes: usize,
}

impl<'a> SectionView<'a> {
    /// Section `s` of transcript `i`.
    pub(super) fn new(site: &'a Site, i: usize, s: usize) -> Self {
        let t = &site.transcripts[i];
        let section = &t.sections[s];
        let word_count = site.section_word_count(i, s);
        // Where each turn of a recording ends, for its citation's time.
        let ends: HashMap<Anchor, Timecode> = if t.media.is_empty() {
            HashMap::new()
        } else {
            let end = t.recording_length();
            crate::model::turn_ends(&t.sections)
                .into_iter()
                .filter_map(|(id, e)| Some((id, e.or(end)?)))
                .collect()
        };
        let turn = |turn: &'a crate::model::Turn| {
            let mut view = TurnView::new(t, turn);
            if !t.media.is_empty() {
                view.span = turn
                    .start
                    .map(|s| span_text(s, ends.get(&turn.id).copied()));
            }
            view
        };
        SectionView {
            number: section.number.as_deref(),
            title: &section.title,
            slug: &section.slug,
            intro: &section.intro,
            exchanges: section
                .exchanges
                .iter()
                .map(|e| ExchangeView {
                    id: e.id,
                    question: e.question.as_ref().map(turn),
                    answers: e.answers.iter().map(turn).collect(),
                })
                .collect(),
            word_count,
            reading_minutes: listings::reading_minutes(word_count),
        }
    }
}

/// An exchange as the section and full pages show it.
#[derive(Serialize)]
pub(super) struct ExchangeView<'a> {
    pub(super) id: Anchor,
    pub(super) question: Option<TurnView<'a>>,
    pub(super) answers: Vec<TurnView<'a>>,
}

/// A turn with what its heading shows worked out in advance, so the `turn`
/// macro looks values up instead of calling filters and the speaker map for
/// each of the thousands of turns a site has.
#[derive(Serialize)]
pub(super) struct TurnView<'a> {
    pub(super) id: Anchor,
    pub(super) speaker: &'a str,
    pub(super) paragraphs: crate::model::BlocksList<'a>,
    pub(super) text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) start: Option<Timecode>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub(super) tags: &'a [String],
    /// The speaker's name, or the id when the transcript lists no such speaker.
    pub(super) speaker_name: &'a str,
    /// The speaker's role, when the transcript lists the speaker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) role: Option<crate::model::Role>,
    /// `start` as the `clock` filter gives it (`00:12:30`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) clock: Option<String>,
    /// `start` as the `seconds` filter gives it (`750.5`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) seconds: Option<f64>,
    /// Where the time link plays, for a timed turn of a recording.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) play: Option<Play>,
    /// The turn's stretch of a recording (`00:12:03–00:14:05`), for its
    /// citation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) span: Option<String>,
}

/// Where `at` on the transcript's clock plays, with the link's name.
pub(super) fn play_at(t: &Transcript, at: Timecode) -> Option<Play> {
    let (file, m) = t.media_at(at)?;
    Some(Play {
        file,
        at: Timecode(at.0.saturating_sub(m.offset.0)).seconds(),
        label: super::words::fill("play_from", None, &[("time", &spoken_time(at))]),
    })
}

impl<'a> TurnView<'a> {
    pub(super) fn new(t: &'a Transcript, turn: &'a crate::model::Turn) -> Self {
        let speaker = t.speakers.iter().find(|s| *s.id == *turn.speaker);
        TurnView {
            id: turn.id,
            speaker: &turn.speaker,
            paragraphs: turn.blocks_list(),
            text: &turn.text,
            start: turn.start,
            tags: &turn.tags,
            speaker_name: speaker.map_or(&*turn.speaker, |s| s.name.as_str()),
            role: speaker.map(|s| s.role),
            clock: turn.start.map(Timecode::clock),
            seconds: turn.start.map(Timecode::seconds),
            play: turn.start.and_then(|at| play_at(t, at)),
            span: None,
        }
    }
}

impl<'a> SectionView<'a> {
    /// Every section of transcript `i`, for the full page.
    pub(super) fn all(site: &'a Site, i: usize) -> Vec<Self> {
        (0..site.transcripts[i].sections.len())
            .map(|s| SectionView::new(site, i, s))
            .collect()
    }
}

pub(super) fn section_links(site: &Site, i: usize) -> Vec<SectionLink> {
    let t = &site.transcripts[i];
    let mut times: HashMap<&str, SectionTime> = HashMap::new();
    if !t.media.is_empty() {
        for (s, start, end) in t.section_spans() {
            if let Some(play) = play_at(t, start) {
                let clock = start.clock();
                let length = end.map(|e| Length::of(Timecode(e.0 - start.0)));
                let seconds = start.seconds();
                times.insert(
                    &s.slug,
                    SectionTime {
                        clock,
                        seconds,
                        play,
                        length,
                    },
                );
            }
        }
    }
    t.sections
        .iter()
        .enumerate()
        .map(|(n, s)| (s, site.section_word_count(i, n)))
        .map(|(s, words)| SectionLink {
            number: s.number.clone(),
            title: s.title.clone(),
            slug: s.slug.clone(),
            url: section_url(t, s),
            first_question: s
                .exchanges
                .iter()
                .find_map(|e| e.question.as_ref())
                .map(|q| excerpt(&q.text, 160)),
            exchange_count: s.exchanges.len(),
            word_count: words,
            reading_minutes: listings::reading_minutes(words),
            start: times.remove(s.slug.as_str()),
        })
        .collect()
}

pub(super) fn speaker_map(t: &Transcript) -> HashMap<&str, &Speaker> {
    t.speakers.iter().map(|s| (s.id.as_str(), s)).collect()
}

/// The first `max` characters of `text`, cut at a word, with an ellipsis.
/// Whitespace runs count as one space. Only the words that can show are
/// read: speaker pages take an excerpt of every answer of a site.
pub fn excerpt(text: &str, max: usize) -> String {
    // Most text starts as it would be joined: ASCII, one space between
    // words. When its first `max + 1` bytes are so and the last of them is
    // inside a word, the text is longer than `max` and is cut where it stands.
    // Text as short as `max` that is so is its own excerpt: most questions,
    // and the short answers, on speaker pages.
    let space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
    // Byte against next byte, with no early exit, so it vectorizes.
    let joined_already = |s: &[u8]| {
        s.is_ascii()
            && s.first().is_none_or(|&b| !space(b))
            && s.iter()
                .zip(s.get(1..).unwrap_or_default())
                .fold(true, |ok, (&a, &b)| {
                    ok & (!space(a) | (a == b' ') & !space(b))
                })
    };
    match text.as_bytes().get(..=max) {
        Some(head) if !space(head[max]) && joined_already(head) => {
            return cut_at_word(&text[..max], max);
        }
        None if text.as_bytes().last().is_none_or(|&b| !space(b))
            && joined_already(text.as_bytes()) =>
        {
            return text.to_string();
        }
        _ => {}
    }
    // The text with single spaces, up to the first character past `max`.
    let mut joined = String::with_capacity(max.min(text.len()) + 8);
    let mut chars = 0;
    let (mut ascii, mut other);
    let words: &mut dyn Iterator<Item = &str> = if text.is_ascii() {
        ascii = ascii_words(text);
        &mut ascii
    } else {
        other = text.split_whitespace();
        &mut other
    };
    for word in words {
        if !joined.is_empty() {
            joined.push(' ');
            chars += 1;
        }
        joined.push_str(word);
        // In ASCII, the common case, a byte is a character.
        chars += if word.is_ascii() {
            word.len()
        } else {
            word.chars().count()
        };
        if chars > max {
            break;
        }
    }
    if chars <= max {
        return joined;
    }
    let end = joined
        .char_indices()
        .nth(max)
        .map_or(joined.len(), |(i, _)| i);
    cut_at_word(&joined[..end], max)
}

/// The first `max` characters of a longer single-spaced text, shortened to
/// the last whole word when one ends past the middle, with an ellipsis.
pub(super) fn cut_at_word(cut: &str, max: usize) -> String {
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut,
    };
    [cut.trim_end_matches([',', ';', ':', '.', ' ']), "…"].concat()
}

/// The words of ASCII text, as `split_whitespace` finds them, found byte by
/// byte rather than character by character.
pub(super) fn ascii_words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let space = |i: usize| matches!(bytes[i], b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && space(i) {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !space(i) {
            i += 1;
        }
        (i > start).then(|| &text[start..i])
    })
}

/// `2026-06-22` as `language` writes it in full (`June 22, 2026` in `en`,
/// `22. Juni 2026` in `de`); other text (`2026-06`) as it is.
pub fn human_date(iso: &str, language: &str) -> String {
    super::locale::long_date(iso, language).unwrap_or_else(|| iso.to_string())
}
