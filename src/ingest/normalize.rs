//! From what a format parser found (a [`Draft`]: sections of labelled turns)
//! to the model: speakers resolved from labels, turns grouped into
//! question-and-answer exchanges, stable ids and slugs. Every format shares it,
//! so the rules are the same whatever the source.

use super::frontmatter::{FrontMatter, SpeakerSpec};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Anchor, Exchange, Media, MediaKind, Role, Section, Speaker, Timecode, Transcript, Turn,
};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// What a format parser found, before normalization.
#[derive(Debug, Default, PartialEq)]
pub struct Draft {
    /// HTML before the first section or turn.
    pub intro: String,
    pub sections: Vec<DraftSection>,
    /// Mistakes found while parsing, reported with the normalizer's errors.
    pub errors: Vec<DraftError>,
    /// Words of speech and intro given by an importer ([`super::speech::SpeechBuilder`]).
    pub words_read: Option<usize>,
}

/// A section as found: heading (if any) and labelled turns.
#[derive(Debug, Default, PartialEq)]
pub struct DraftSection {
    pub number: Option<String>,
    /// `None` for the implicit section of turns that come before any heading.
    pub title: Option<String>,
    /// A slug the author chose (`{#slug}`); checked for uniqueness.
    pub slug: Option<String>,
    pub intro: String,
    pub turns: Vec<DraftTurn>,
    /// Where the heading is in the file, for messages.
    pub span: Option<Range<usize>>,
    /// A section of the source's notes (endnotes after the talk): text, no turns.
    pub notes: bool,
}

/// A turn as found: the label as written and its content.
#[derive(Debug, Default, PartialEq)]
pub struct DraftTurn {
    pub label: String,
    /// Where the label is in the file, for messages.
    pub span: Option<Range<usize>>,
    pub blocks: Vec<crate::model::Block>,
    pub text: String,
    pub start: Option<Timecode>,
    /// The turn's tags, in order, without duplicates.
    pub tags: Vec<String>,
}

impl DraftTurn {
    /// The turn's blocks as HTML.
    #[cfg(test)]
    pub fn html_blocks(&self) -> Vec<String> {
        self.blocks
            .iter()
            .map(|block| block.clone().into_html(&self.text))
            .collect()
    }
}

/// A mistake a format parser found, reported by [`normalize`] with the others.
#[derive(Debug, PartialEq)]
pub struct DraftError {
    /// Where in the file, for the caret.
    pub span: Range<usize>,
    pub message: String,
    pub help: String,
}

/// The file a draft came from, for messages and defaults.
pub struct Origin<'a> {
    /// Path relative to the site root, as shown to the user.
    pub path: &'a str,
    pub text: &'a Arc<str>,
    /// The file name without extension: the default slug and title.
    pub stem: &'a str,
    /// The site's language, for transcripts that do not name one.
    pub default_language: &'a str,
    /// The build's date, for embargoes.
    pub today: &'a str,
    /// Whether withheld parts are taken out ([`super::IngestOptions`]).
    pub redact: bool,
    /// The words of placeholders ([`super::IngestOptions`]).
    pub words: &'a std::sync::Arc<crate::words::Words>,
}

impl Origin<'_> {
    fn error(&self, span: &Option<Range<usize>>, message: String) -> Diagnostic {
        self.locate(Diagnostic::error(self.path, message), span)
    }

    fn warning(&self, span: &Option<Range<usize>>, message: String) -> Diagnostic {
        self.locate(Diagnostic::warning(self.path, message), span)
    }

    /// The line `key = ...` of the front matter, for messages about a value
    /// whose position the parser no longer knows.
    pub fn key_span(&self, key: &str) -> Option<Range<usize>> {
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix(key) {
                if rest.trim_start().starts_with('=') {
                    let start = offset + line.len() - trimmed.len();
                    return Some(start..offset + line.trim_end().len());
                }
            }
            if offset > 0 && line.trim_end() == "+++" {
                break;
            }
            offset += line.len();
        }
        None
    }

    /// Where a string value first appears in the file.
    pub fn value_span(&self, value: &str) -> Option<Range<usize>> {
        if value.is_empty() {
            return None;
        }
        self.text.find(value).map(|i| i..i + value.len())
    }

    fn locate(&self, d: Diagnostic, span: &Option<Range<usize>>) -> Diagnostic {
        match span {
            Some(span) => d.at(self.text, span.clone()),
            None => d,
        }
    }
}

/// The most sections one transcript may have. Every section page lists every
/// section, so pages grow with the square of this number.
pub const MAX_SECTIONS: usize = 500;

/// A normalized transcript and the warnings found on the way.
pub type Normalized = (Transcript, Vec<Diagnostic>);

/// Builds the model from front matter and a draft. Errors are returned all at
/// once, so one run shows every unknown label in a file.
pub fn normalize(
    mut fm: FrontMatter,
    draft: Draft,
    origin: &Origin,
) -> Result<Normalized, Vec<Diagnostic>> {
    let mut errors: Vec<Diagnostic> = draft
        .errors
        .iter()
        .map(|e| {
            origin
                .error(&Some(e.span.clone()), e.message.clone())
                .help(e.help.clone())
        })
        .collect();
    let mut warnings = Vec::new();

    let mut speakers = SpeakerTable::from_front_matter(&fm, origin, &mut errors);
    let title = fm
        .title
        .clone()
        .unwrap_or_else(|| title_from_stem(origin.stem));
    let slug = match &fm.slug {
        Some(s) => {
            let clean = slugify(s);
            if clean.is_empty() {
                errors.push(
                    origin
                        .error(
                            &origin.key_span("slug"),
                            format!("the slug {s:?} has no letters or digits"),
                        )
                        .help("a slug is the transcript's URL: use words, such as slug = \"joe-tsai-2026\""),
                );
            }
            clean
        }
        None => slugify(origin.stem),
    };
    let date = match &fm.date {
        Some(d) => match d.to_iso_date() {
            Ok(iso) => Some(iso),
            Err(why) => {
                errors.push(
                    origin
                        .error(
                            &origin.key_span("date"),
                            format!("the date is not valid: {why}"),
                        )
                        .help("write the date as 2026-06-22"),
                );
                None
            }
        },
        None => None,
    };

    errors.extend(super::frontmatter::script_url_errors(
        &fm,
        origin.path,
        origin.text,
    ));
    if crate::paths::is_windows_reserved(&slug) {
        errors.push(
            origin
                .error(
                    &origin.key_span("slug"),
                    format!("the URL /{slug}/ is a name Windows reserves for a device"),
                )
                .help("set another `slug` in the front matter or rename the file"),
        );
    }

    if draft.sections.len() > MAX_SECTIONS {
        let span = draft.sections[MAX_SECTIONS].span.clone();
        errors.push(
            origin
                .error(
                    &span,
                    format!(
                        "the transcript has {} sections; verbatim builds at most {MAX_SECTIONS} \
                         (each section is a page that lists all the others)",
                        draft.sections.len()
                    ),
                )
                .help(
                    "merge sections: only `## ` headings start a section, `### ` and below do not",
                ),
        );
        return Err(errors);
    }

    // Resolve every label first: ids and exchanges depend on roles.
    let mut resolved: Vec<Vec<usize>> = Vec::with_capacity(draft.sections.len());
    for section in &draft.sections {
        let mut ids = Vec::with_capacity(section.turns.len());
        for turn in &section.turns {
            match speakers.resolve(&turn.label) {
                Some(i) => ids.push(i),
                None => {
                    errors.push(
                        origin
                            .error(
                                &turn.span,
                                format!("unknown speaker label {:?}", turn.label),
                            )
                            .help(speakers.unknown_label_help(&turn.label)),
                    );
                    ids.push(usize::MAX);
                }
            }
        }
        resolved.push(ids);
    }
    speakers.settle_roles();

    let section_count = draft.sections.len();
    let mut slugs = SlugSet::default();
    let mut sections = Vec::with_capacity(section_count);
    let (mut next_exchange, mut next_turn) = (1u32, 1u32);
    // Each speaker's id once, shared by all their turns.
    let speaker_ids: Vec<Arc<str>> = speakers
        .speakers
        .iter()
        .map(|sp| Arc::from(sp.id.as_str()))
        .collect();
    for (n, (ds, ids)) in draft.sections.into_iter().zip(resolved).enumerate() {
        let section_title = ds.title.clone().unwrap_or_else(|| {
            if section_count == 1 {
                title.clone()
            } else {
                "Opening".to_string()
            }
        });
        let section_slug = match &ds.slug {
            Some(explicit) => {
                let s = slugify(explicit);
                let problem = if s.is_empty() {
                    Some(format!(
                        "the section slug {explicit:?} has no letters or digits"
                    ))
                } else if VIEW_SLUGS.contains(&s.as_str()) {
                    Some(format!(
                        "the section slug {s:?} is taken by the transcript's pages (the one-page view and the side-by-side translations)"
                    ))
                } else if crate::paths::is_windows_reserved(&s) {
                    Some(format!(
                        "the section slug {s:?} is a name Windows reserves for a device"
                    ))
                } else {
                    slugs.owner(&s).map(|other| {
                        let other = other.map_or("another section".to_string(), |span| {
                            let (line, _) = crate::diagnostic::line_column(origin.text, span.start);
                            format!("the one on line {line}")
                        });
                        format!("two sections map to the URL {slug}/{s}/: this one and {other}")
                    })
                };
                match problem {
                    Some(message) => errors.push(
                        origin
                            .error(&ds.span, message)
                            .help("change the {#slug} attribute of the heading"),
                    ),
                    None => {
                        slugs.claim(&s, ds.span.clone());
                    }
                }
                s
            }
            None => slugs.unique(&slugify(&section_title), n + 1, ds.span.clone()),
        };
        // A section of notes an importer found is text alone by design; a
        // heading with no turns under it in a native file is likely a slip.
        if ds.turns.is_empty() && !ds.notes {
            warnings.push(origin.warning(
                &ds.span,
                format!("section {section_title:?} has no turns"),
            ).help("add turns that start with a speaker label such as `Q:`, or remove the heading"));
        }
        let mut exchanges: Vec<Exchange> = Vec::new();
        for (dt, speaker) in ds.turns.into_iter().zip(ids) {
            let Some(sp) = speakers.speakers.get(speaker) else {
                continue; // unknown label, already reported
            };
            let turn = Turn {
                id: Anchor::turn(next_turn),
                speaker: speaker_ids[speaker].clone(),
                paragraphs: crate::model::Blocks::new(dt.blocks, &dt.text),
                // Exactly as long as the text: the site holds it to the end.
                text: dt.text.into_boxed_str(),
                start: dt.start,
                tags: dt.tags.into_boxed_slice(),
            };
            next_turn += 1;
            let asks = sp.role == Role::Interviewer;
            match exchanges.last_mut() {
                Some(ex) if !asks => ex.answers.push(turn),
                _ => {
                    let (question, answers) = if asks {
                        (Some(turn), Vec::new())
                    } else {
                        (None, vec![turn])
                    };
                    exchanges.push(Exchange {
                        id: Anchor::exchange(next_exchange),
                        question,
                        answers,
                    });
                    next_exchange += 1;
                }
            }
        }
        sections.push(Section {
            number: ds.number,
            title: section_title,
            slug: section_slug,
            intro: ds.intro,
            exchanges,
        });
    }

    let mut media = media_files(fm.media.take(), origin, &mut errors);
    let embargo = match fm.embargo.as_ref().map(|d| d.to_iso_date()) {
        Some(Ok(d)) => Some(d),
        Some(Err(why)) => {
            errors.push(
                origin
                    .error(
                        &origin.key_span("embargo"),
                        format!("the embargo is not a date: {why}"),
                    )
                    .help("write it as embargo = 2030-01-01"),
            );
            None
        }
        None => None,
    };
    // The ledger counts what an importer read; a withheld part's words are
    // taken out of that count, so that it balances without naming them.
    let spoken = |sections: &[Section]| -> usize {
        sections
            .iter()
            .map(|s| {
                super::ledger::html_words(&s.intro)
                    + s.turns()
                        .map(|t| super::ledger::words(&t.text))
                        .sum::<usize>()
            })
            .sum()
    };
    let before = draft.words_read.map(|_| spoken(&sections));
    // The transcript's language, or the site's: its placeholders' and its
    // pages' language.
    let language = fm
        .language
        .clone()
        .unwrap_or_else(|| origin.default_language.to_string());
    let placeholders = super::withheld::Placeholders::new(origin.words, &language);
    let withheld = super::withheld::apply(
        &mut sections,
        &fm.withheld,
        origin,
        &placeholders,
        &mut errors,
        &mut warnings,
    );
    // A transcript listed under its embargo keeps its metadata alone: its
    // words, its intro (the editor's words about what is sealed) and its
    // recording leave here, as a withheld section's do.
    let list_while_embargoed = fm.list_while_embargoed.unwrap_or(false);
    let sealed = origin.redact
        && list_while_embargoed
        && embargo.as_deref().is_some_and(|e| e > origin.today);
    let mut intro = draft.intro;
    if let (true, Some(until)) = (sealed, &embargo) {
        super::withheld::seal(&mut sections, &mut intro, until, &placeholders);
        media.clear();
    }
    let align = alignment(&fm, &sections, origin.path, &mut errors);
    let words_read = match (draft.words_read, before) {
        (Some(read), Some(before)) => Some((read + spoken(&sections)).saturating_sub(before)),
        (read, _) => read,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    if !sealed && sections.iter().all(|s| s.exchanges.is_empty()) {
        warnings.push(
            Diagnostic::warning(
                origin.path,
                "the transcript has no turns: its pages will show only the title and metadata",
            )
            .help("start paragraphs with a speaker label such as `Q:` or `**Ann Lee:**`"),
        );
    }
    // A language that is no BCP 47 tag cannot say how its pages are
    // written: they get English's words and direction, which is said.
    if let Some(language) = fm
        .language
        .as_deref()
        .filter(|l| icu_locale_core::Locale::try_from_str(l).is_err())
    {
        let message = format!(
            "`language` {language:?} is not a BCP 47 language tag: its pages are written with English's words, dates and direction"
        );
        let d = match &fm.place {
            Some(place) => place.warning(Some("language"), message),
            None => Diagnostic::warning(origin.path, message),
        };
        warnings.push(d.help("write a tag such as \"en\", \"de\", \"zh-Hant\" or \"pt-BR\""));
    }
    // A turn's tags tag the transcript too, so each has a tag page to link to.
    let mut tags = fm.tags;
    for tag in sections
        .iter()
        .flat_map(Section::turns)
        .flat_map(|t| &t.tags)
    {
        if !tags.contains(tag) {
            tags.push(tag.clone());
        }
    }
    let transcript = Transcript {
        slug,
        title,
        subtitle: fm.subtitle,
        date,
        description: fm.description,
        language,
        draft: fm.draft,
        source: fm.source.unwrap_or_default(),
        speakers: speakers.into_used(),
        tags,
        intro,
        sections,
        translators: fm
            .translator
            .as_ref()
            .map(|t| t.names())
            .unwrap_or_default(),
        translation_of: fm.translation_of.clone(),
        align,
        // Kept only for a translation: it holds the file's text, which
        // every other transcript lets go of once it is read.
        translation_place: fm
            .place
            .clone()
            .filter(|_| fm.translation_of.is_some() || !fm.align.is_empty()),
        media,
        embargo,
        list_while_embargoed,
        withheld,
        source_path: origin.path.to_string(),
        links: Vec::new(),
        words_read: crate::model::WordsRead(words_read),
    };
    Ok((transcript, warnings))
}

/// The `align` table as turn numbers (this file's, the original's), in
/// order. A key must be a turn of this file and a value a turn id; whether
/// the original has it is the site's to check, which knows the original.
fn alignment(
    fm: &FrontMatter,
    sections: &[Section],
    path: &str,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(u32, u32)> {
    if fm.align.is_empty() {
        return Vec::new();
    }
    let error = |message: String| {
        let d = match &fm.place {
            Some(place) => place.error(Some("align"), message),
            None => Diagnostic::error(path, message),
        };
        d.help("write `align = { t7 = \"t6\" }`: from this file's turn t7 on, the original's t6 and on, one for one")
    };
    if fm.translation_of.is_none() {
        errors.push(error("`align` says how a translation's turns meet the original's, but `translation_of` names no original".into()));
        return Vec::new();
    }
    let turns = sections.iter().flat_map(Section::turns).count();
    let number = |id: &str| match Anchor::parse(id) {
        Some(a) if a.is_turn() && a.number() > 0 => Some(a.number()),
        _ => None,
    };
    let mut pairs = Vec::new();
    for (here, there) in &fm.align {
        match (number(here), number(there)) {
            (Some(h), Some(t)) if h as usize <= turns => pairs.push((h, t)),
            (Some(_), Some(_)) => errors.push(error(format!(
                "`align` names turn {here}, but this transcript has {turns} turns"
            ))),
            (None, _) => errors.push(error(format!(
                "`align` key {here:?} is not a turn id such as t7"
            ))),
            (_, None) => errors.push(error(format!(
                "`align` value {there:?} is not a turn id such as t6"
            ))),
        }
    }
    pairs.sort_unstable();
    pairs
}

/// The recording's files in the order they play. The first starts at 0
/// unless it says otherwise; each later one must say where it starts (a
/// length read from a file is not known yet here), after the one before.
fn media_files(
    media: Option<super::frontmatter::MediaFiles>,
    origin: &Origin,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Media> {
    let files = media.map(|m| m.into_files()).unwrap_or_default();
    let mut out: Vec<Media> = Vec::with_capacity(files.len());
    for (i, m) in files.into_iter().enumerate() {
        let offset = match (m.offset, out.last()) {
            (Some(o), Some(prev)) if o <= prev.offset => {
                errors.push(
                    origin
                        .error(
                            &origin.key_span("offset"),
                            format!(
                                "media file {} ({}) starts at {o}, not after the file before it ({})",
                                i + 1,
                                m.url,
                                prev.offset
                            ),
                        )
                        .help("list the [[media]] files in the order they play, each `offset` later than the one before"),
                );
                o
            }
            (Some(o), _) => o,
            (None, None) => Timecode(0),
            (None, Some(prev)) => match prev.duration {
                Some(d) => Timecode(prev.offset.0 + d.0),
                None => {
                    errors.push(
                        origin
                            .error(
                                &origin.key_span("url"),
                                format!(
                                    "media file {} ({}) does not say where it starts on the transcript's clock",
                                    i + 1,
                                    m.url
                                ),
                            )
                            .help("give it `offset = \"hh:mm:ss\"` (the time its first second has in the transcript), or give the file before it a `duration`"),
                    );
                    Timecode(0)
                }
            },
        };
        out.push(Media {
            kind: m.kind.unwrap_or_else(|| media_kind_from_url(&m.url)),
            url: m.url,
            offset,
            duration: m.duration,
            permalink: String::new(),
        });
    }
    out
}

/// Video by file extension; everything else plays as audio.
fn media_kind_from_url(url: &str) -> MediaKind {
    match crate::url::media_type(url) {
        Some(t) if t.starts_with("video/") => MediaKind::Video,
        _ => MediaKind::Audio,
    }
}

/// A URL segment from any text: lower case ASCII letters, digits and hyphens.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// `joe-tsai_vivatech` becomes `Joe Tsai Vivatech`.
fn title_from_stem(stem: &str) -> String {
    stem.split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(first) => first.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The URL segments under a transcript that are its views, not sections:
/// the one-page view (`slug/full/`) and its translations side by side
/// (`slug/side-by-side/other/`).
const VIEW_SLUGS: [&str; 2] = ["full", "side-by-side"];

/// Section slugs of one transcript, with the heading that took each; the
/// [`VIEW_SLUGS`] are taken and device names are avoided.
#[derive(Default)]
struct SlugSet(HashMap<String, Option<Range<usize>>>);

impl SlugSet {
    fn claim(&mut self, slug: &str, span: Option<Range<usize>>) -> bool {
        let free = !slug.is_empty()
            && !VIEW_SLUGS.contains(&slug)
            && !crate::paths::is_windows_reserved(slug)
            && !self.0.contains_key(slug);
        if free {
            self.0.insert(slug.to_string(), span);
        }
        free
    }

    /// The heading that took `slug`, if it is taken.
    fn owner(&self, slug: &str) -> Option<Option<&Range<usize>>> {
        self.0.get(slug).map(Option::as_ref)
    }

    /// `base`, or `base-2`, `base-3`... whichever is free.
    fn unique(&mut self, base: &str, position: usize, span: Option<Range<usize>>) -> String {
        let base = if base.is_empty() {
            format!("section-{position}")
        } else {
            base.to_string()
        };
        if self.claim(&base, span.clone()) {
            return base;
        }
        (2..)
            .map(|i| format!("{base}-{i}"))
            .find(|s| self.claim(s, span.clone()))
            .expect("an unbounded range always yields a free slug")
    }
}

/// The transcript's speakers and the labels that name them.
struct SpeakerTable {
    speakers: Vec<Speaker>,
    by_label: HashMap<String, usize>,
    /// No speakers were declared: every new label introduces one.
    auto: bool,
    /// Speakers created from labels, in order of first appearance.
    auto_created: Vec<usize>,
    used: Vec<bool>,
    /// How many speakers the front matter declared (they come first).
    declared: usize,
    /// Labels as written that have named a speaker, and which: see
    /// [`SpeakerTable::resolve`].
    spellings: Vec<(String, usize)>,
}

impl SpeakerTable {
    fn from_front_matter(fm: &FrontMatter, origin: &Origin, errors: &mut Vec<Diagnostic>) -> Self {
        let mut table = SpeakerTable {
            speakers: Vec::new(),
            by_label: HashMap::new(),
            auto: false,
            auto_created: Vec::new(),
            used: Vec::new(),
            declared: 0,
            spellings: Vec::new(),
        };
        let specs: Vec<SpeakerSpec> = fm.declared_speakers();
        table.auto = specs.is_empty();
        for spec in specs {
            let id = slugify(spec.id.as_deref().unwrap_or(&spec.name));
            if id.is_empty() {
                errors.push(
                    origin
                        .error(
                            &origin.value_span(&spec.name),
                            format!(
                                "the speaker {:?} needs an id with letters or digits",
                                spec.name
                            ),
                        )
                        .help(
                            "add `id = \"...\"` with letters or digits to this [[speakers]] entry",
                        ),
                );
                continue;
            }
            if table.speakers.iter().any(|s| s.id == id) {
                errors.push(
                    origin
                        .error(
                            &origin.value_span(&spec.name),
                            format!("two speakers have the id {id:?}"),
                        )
                        .help("give each speaker its own `id`"),
                );
                continue;
            }
            table.add(Speaker {
                id,
                name: spec.name,
                role: spec.role.unwrap_or(Role::Interviewee),
                title: spec.title,
                bio: spec.bio,
                aliases: spec.aliases,
            });
        }
        table.declared = table.speakers.len();
        table
    }

    fn add(&mut self, speaker: Speaker) -> usize {
        let i = self.speakers.len();
        let labels = [speaker.id.clone(), speaker.name.clone()]
            .into_iter()
            .chain(speaker.aliases.iter().cloned());
        for label in labels {
            self.by_label
                .entry(label.trim().to_lowercase())
                .or_insert(i);
        }
        self.speakers.push(speaker);
        self.used.push(false);
        i
    }

    /// The speaker a label names; `None` for an unknown label on a transcript
    /// that declares its speakers.
    fn resolve(&mut self, label: &str) -> Option<usize> {
        // The same few labels come turn after turn (`Q`, then the guest), and
        // a label that has named a speaker names the same one ever after: a
        // spelling met before is found as written, without folding its case
        // into a new string. An unknown label is asked again, as a speaker
        // made for `Q` or `A` later in the transcript may answer to it.
        if let Some(&(_, i)) = self.spellings.iter().find(|(s, _)| s == label) {
            return Some(i);
        }
        let key = label.trim().to_lowercase();
        let found = self.by_label.get(&key).copied().or_else(|| {
            let role = if let Some(role) = super::roles::role(&key) {
                role
            } else if self.auto {
                let i = self.add(Speaker {
                    id: self.free_id(&slugify(label)),
                    name: label.trim().to_string(),
                    role: Role::Interviewee,
                    title: None,
                    bio: None,
                    aliases: Vec::new(),
                });
                self.auto_created.push(i);
                return Some(i);
            } else {
                return None;
            };
            // Q and A name the first interviewer and interviewee; a transcript
            // without one gets a generic speaker for the role.
            let i = match self.speakers.iter().position(|s| s.role == role) {
                Some(i) => i,
                None => {
                    let name = if role == Role::Interviewer {
                        "Interviewer"
                    } else {
                        "Interviewee"
                    };
                    self.add(Speaker {
                        id: self.free_id(&slugify(name)),
                        name: name.to_string(),
                        role,
                        title: None,
                        bio: None,
                        aliases: Vec::new(),
                    })
                }
            };
            self.by_label.insert(key, i);
            Some(i)
        })?;
        self.used[found] = true;
        if self.spellings.len() < 16 {
            self.spellings.push((label.to_string(), found));
        }
        Some(found)
    }

    fn free_id(&self, base: &str) -> String {
        let base = if base.is_empty() { "speaker" } else { base };
        let taken = |id: &str| self.speakers.iter().any(|s| s.id == id);
        if !taken(base) {
            return base.to_string();
        }
        (2..)
            .map(|i| format!("{base}-{i}"))
            .find(|id| !taken(id))
            .expect("an unbounded range always yields a free id")
    }

    /// Speakers named only by labels carry no role; when nobody interviews,
    /// the first of them to speak is taken to ask the questions, as in nearly
    /// every interview.
    fn settle_roles(&mut self) {
        let has_interviewer = self.speakers.iter().any(|s| s.role == Role::Interviewer);
        if !has_interviewer && self.auto_created.len() >= 2 {
            self.speakers[self.auto_created[0]].role = Role::Interviewer;
        }
    }

    fn unknown_label_help(&self, label: &str) -> String {
        let known: Vec<String> = self
            .speakers
            .iter()
            .map(|s| {
                if s.aliases.is_empty() {
                    s.name.clone()
                } else {
                    format!("{} ({})", s.name, s.aliases.join(", "))
                }
            })
            .collect();
        format!(
            "known speakers: {}. Add {label:?} to `aliases` of a speaker in the front matter, \
             or declare a new [[speakers]] entry; if the paragraph is not a turn, write `{label}\\:`",
            known.join("; ")
        )
    }

    /// The speakers who speak, plus every declared one (they are part of the
    /// transcript's metadata even when silent).
    fn into_used(self) -> Vec<Speaker> {
        let declared = self.declared;
        self.speakers
            .into_iter()
            .zip(self.used)
            .enumerate()
            .filter(|(i, (_, used))| *used || *i < declared)
            .map(|(_, (s, _))| s)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The labels of a Markdown body under front matter that declares only
    /// an interviewee: the errors, or the speakers of the turns.
    fn read_labels(body: &str) -> Result<Vec<String>, Vec<String>> {
        let text = format!("+++\ninterviewee = \"Ann\"\n+++\n{body}");
        let options = crate::ingest::IngestOptions::default();
        match crate::ingest::parse_bytes(
            crate::ingest::Format::Markdown,
            "x.md",
            text.as_bytes(),
            "x",
            &options,
        ) {
            Ok((t, _)) => Ok(t.turns().map(|turn| turn.speaker.to_string()).collect()),
            Err(errors) => Err(errors.into_iter().map(|e| e.message).collect()),
        }
    }

    #[test]
    fn a_label_resolves_the_same_way_each_time_it_is_met() {
        assert_eq!(
            read_labels("Q: one\n\nAnn: two\n\nQ: three\n\n**ann:** four\n\nA: five\n"),
            Ok(["interviewer", "ann", "interviewer", "ann", "ann"]
                .map(String::from)
                .to_vec())
        );
        // An unknown label is reported at each of its turns.
        let unknown = "unknown speaker label \"Zed\"".to_string();
        assert_eq!(
            read_labels("Zed: one\n\nQ: two\n\nZed: three\n"),
            Err(vec![unknown.clone(), unknown])
        );
    }

    #[test]
    fn titles_from_file_names() {
        assert_eq!(title_from_stem("joe-tsai_vivatech"), "Joe Tsai Vivatech");
    }

    #[test]
    fn slugs_are_unique_and_never_full() {
        let mut s = SlugSet::default();
        assert_eq!(s.unique("intro", 1, None), "intro");
        assert_eq!(s.unique("intro", 2, None), "intro-2");
        assert_eq!(s.unique("full", 3, None), "full-2");
        assert_eq!(s.unique("", 4, None), "section-4");
        assert_eq!(s.unique("con", 5, None), "con-2");
    }

    #[test]
    fn media_kind_follows_extension() {
        assert_eq!(media_kind_from_url("a/b.MP4?x=1"), MediaKind::Video);
        assert_eq!(media_kind_from_url("a/b.mp3"), MediaKind::Audio);
    }
}
