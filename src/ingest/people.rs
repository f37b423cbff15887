//! Who speaks, for formats other than Markdown: the people named by the
//! source's own metadata (OHMS, plain-text headers) or by a sidecar, linked to
//! the labels the turns carry (`SCHLESINGER:` is Sondra Schlesinger, `DB:` is
//! Devin Becker), then handed to [`normalize`] with the draft.

use super::frontmatter::{FrontMatter, SpeakerSpec};
use super::normalize::{normalize, Draft, Normalized, Origin};
use super::plaintext::is_diarisation_label;
use super::sidecar::{overlay, Sidecar};
use crate::diagnostic::Diagnostic;
use crate::model::Role;

/// The metadata a format found, with the sidecar over it: what the builder
/// needs before the turns are read.
pub struct People {
    pub front_matter: FrontMatter,
    /// The sidecar declared the speakers: labels it does not know are errors.
    strict: bool,
}

impl People {
    /// Lays the sidecar's fields over what the source said.
    pub fn new(found: FrontMatter, sidecar: &Sidecar) -> Self {
        let side = &sidecar.front_matter;
        let strict =
            !side.speakers.is_empty() || side.interviewer.is_some() || side.interviewee.is_some();
        People {
            front_matter: overlay(found, side.clone()),
            strict,
        }
    }

    /// The label of speech that names nobody (a cue without a voice): the
    /// interviewee if one is known, else the first person declared.
    pub fn default_label(&self) -> String {
        let fm = &self.front_matter;
        fm.interviewee
            .as_ref()
            .and_then(|n| n.names().into_iter().next())
            .or_else(|| {
                fm.speakers
                    .iter()
                    .find(|s| s.role != Some(Role::Interviewer))
                    .or(fm.speakers.first())
                    .map(|s| s.name.clone())
            })
            .or_else(|| {
                fm.interviewer
                    .as_ref()
                    .and_then(|n| n.names().into_iter().next())
            })
            .unwrap_or_else(|| "Speaker".to_string())
    }

    /// Links labels to people, settles who asks, and normalizes the draft.
    pub fn normalize(self, draft: Draft, origin: &Origin) -> Result<Normalized, Vec<Diagnostic>> {
        if draft.sections.iter().all(|s| s.turns.is_empty()) {
            return Err(vec![Diagnostic::error(
                origin.path,
                "the file has no spoken text: no cue, turn or row with words in it",
            )
            .help("check that the file is a transcript and not empty; a file that is only metadata cannot be published")]);
        }
        let mut fm = self.front_matter;
        let mut specs = fm.declared_speakers();
        fm.speakers.clear();
        fm.interviewer = None;
        fm.interviewee = None;
        let mut declared = specs.len();
        let mut labels: Vec<&str> = Vec::new();
        for turn in draft.sections.iter().flat_map(|s| &s.turns) {
            if !labels.iter().any(|l| l.eq_ignore_ascii_case(&turn.label)) {
                labels.push(&turn.label);
            }
        }
        let mut warnings = Vec::new();
        if self.strict {
            // A sidecar that lists the speakers is the editor's word: labels
            // join them by surname or initials, and normalize reports the
            // others with the known names.
            for label in &labels {
                let key = label.trim().to_lowercase();
                if super::roles::role(&key).is_some() || specs.iter().any(|s| names(s, &key)) {
                    continue;
                }
                let matching: Vec<usize> = (0..specs.len())
                    .filter(|&i| abbreviates(&specs[i].name, &key))
                    .collect();
                if let [i] = matching[..] {
                    specs[i].aliases.push(label.to_string());
                }
            }
        } else {
            if let Some(narrator) = narrator_in_title(fm.title.as_deref(), &specs, &labels) {
                specs.insert(declared, narrator);
                declared += 1;
            }
            for label in &labels {
                join_label(&mut specs, &labels, label);
            }
            warnings.extend(settle_roles(&mut specs, declared, &labels, &draft, origin));
            warnings.extend(nameless(&specs, declared, origin));
        }
        fm.speakers = specs;
        let (transcript, mut found) = normalize(fm, draft, origin)?;
        found.extend(warnings);
        Ok((transcript, found))
    }
}

/// The narrator a title names (`Oral history interview with Hubert N.
/// Alyea`), when the source names no interviewee and a label is theirs
/// (`ALYEA:`).
fn narrator_in_title(
    title: Option<&str>,
    specs: &[SpeakerSpec],
    labels: &[&str],
) -> Option<SpeakerSpec> {
    if specs.iter().any(|s| s.role == Some(Role::Interviewee)) {
        return None;
    }
    let title = title?;
    let at = title.to_lowercase().find("interview with ")?;
    let rest = &title[at + "interview with ".len()..];
    let name = rest
        .split([',', ';', '(', ':', '/'])
        .next()?
        .split(" on ")
        .next()?
        .split(" by ")
        .next()?
        .trim()
        .trim_end_matches('.');
    let words: Vec<&str> = name.split_whitespace().collect();
    let name_like = (1..=5).contains(&words.len())
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    if !name_like || specs.iter().any(|s| names(s, &name.to_lowercase())) {
        return None;
    }
    labels
        .iter()
        .any(|l| {
            let key = l.trim().to_lowercase();
            key == name.to_lowercase() || abbreviates(name, &key)
        })
        .then(|| SpeakerSpec {
            id: None,
            name: name.to_string(),
            role: Some(Role::Interviewee),
            title: None,
            bio: None,
            aliases: Vec::new(),
            translator: false,
        })
}

/// Gives `label` a person: the one it names or abbreviates (`DB` for Devin
/// Becker, `FISCHER` or `Fischer` for Karin Fischer, whether the header or
/// another label of the file gives the full name), else a new one, shown as
/// the source's full name or, for a label in capitals, in title case.
fn join_label(specs: &mut Vec<SpeakerSpec>, labels: &[&str], label: &str) {
    let key = label.trim().to_lowercase();
    if super::roles::role(&key).is_some() {
        return;
    }
    if let Some(spec) = specs.iter_mut().find(|s| names(s, &key)) {
        if spec.name != label.trim() && !spec.aliases.iter().any(|a| a == label) {
            spec.aliases.push(label.to_string());
        }
        return;
    }
    let generic = key == "speaker" || is_diarisation_label(&key);
    let matching: Vec<usize> = (0..specs.len())
        .filter(|&i| !generic && !is_diarisation_label(&specs[i].name))
        .filter(|&i| abbreviates(&specs[i].name, &key))
        .collect();
    if let [i] = matching[..] {
        specs[i].aliases.push(label.to_string());
        return;
    }
    // A fuller name among the file's own labels, later in it: the label
    // joins that person, who is made now.
    let fuller: Vec<&str> = labels
        .iter()
        .copied()
        .filter(|l| {
            !l.eq_ignore_ascii_case(label)
                && l.split_whitespace().count() >= 2
                && !generic
                && !is_diarisation_label(l)
                && abbreviates(l, &key)
        })
        .collect();
    if let ([full], []) = (&fuller[..], &matching[..]) {
        let full_key = full.trim().to_lowercase();
        if !specs.iter().any(|s| names(s, &full_key)) {
            specs.push(spec_for(full));
        }
        let i = specs
            .iter()
            .position(|s| names(s, &full_key))
            .expect("pushed above");
        specs[i].aliases.push(label.to_string());
        return;
    }
    specs.push(spec_for(label));
}

/// A person made from a label: `KING` is shown as King, the label kept as an
/// alias.
fn spec_for(label: &str) -> SpeakerSpec {
    let label = label.trim();
    let name = display_name(label);
    let aliases = if name == label {
        Vec::new()
    } else {
        vec![label.to_string()]
    };
    SpeakerSpec {
        id: None,
        name,
        role: None,
        title: None,
        bio: None,
        aliases,
        translator: false,
    }
}

/// A label written in capitals in title case (`KING` -> King, `O'BRIEN` ->
/// O'Brien, `LUDWIG VAN BEETHOVEN` -> Ludwig van Beethoven); initials and
/// call signs of up to three letters without a vowel (`DB`, `CDR`) and
/// labels with lower case letters stay as written.
pub fn display_name(label: &str) -> String {
    const PARTICLES: [&str; 14] = [
        "van", "von", "de", "der", "den", "da", "di", "du", "del", "la", "le", "bin", "al", "of",
    ];
    let letters = label.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 0 || label.chars().any(char::is_lowercase) {
        return label.to_string();
    }
    let words: Vec<String> = label
        .split_whitespace()
        .enumerate()
        .map(|(i, word)| {
            let lower = word.to_lowercase();
            if i > 0 && PARTICLES.contains(&lower.as_str()) {
                return lower;
            }
            let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
            let vowel = letters
                .iter()
                .any(|c| "AEIOUYÀÁÂÄÉÈÊËÍÌÎÏÓÒÔÖÚÙÛÜ".contains(*c));
            if letters.len() <= 2
                || (letters.len() == 3 && !vowel)
                || word.chars().any(|c| c.is_ascii_digit())
            {
                return word.to_string();
            }

            let mut out = String::with_capacity(word.len());
            let mut capital = true;
            for c in lower.chars() {
                if capital && c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                    capital = false;
                } else {
                    out.push(c);
                }
                if matches!(c, '-' | '\'' | '’' | '.') {
                    capital = true;
                }
            }
            out
        })
        .collect();
    words.join(" ")
}

/// How much a person asks: of their turns, those that end with a question
/// count one, those with a question inside count half.
#[derive(Debug, Default, Clone, Copy)]
struct Asking {
    turns: usize,
    score: f64,
}

impl Asking {
    fn share(self) -> f64 {
        if self.turns == 0 {
            0.0
        } else {
            self.score / self.turns as f64
        }
    }
}

/// Where the source does not say who asks, the one who asks is the
/// interviewer, not the first to speak: the person who asks most (turns
/// that end with a question count one, turns with one inside a half; with
/// the interviewee named, everyone else asks). A
/// label that says it (`INTERVIEWER`, `NAME OF INTERVIEWEE`) says it. When
/// nobody asks a question the first to speak is taken, with a warning, as
/// when who asks is a near tie.
fn settle_roles(
    specs: &mut [SpeakerSpec],
    declared: usize,
    labels: &[&str],
    draft: &Draft,
    origin: &Origin,
) -> Vec<Diagnostic> {
    let question_label = labels
        .iter()
        .any(|l| super::roles::role(l) == Some(Role::Interviewer));
    for spec in specs.iter_mut().skip(declared) {
        let words: Vec<String> = spec
            .name
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .collect();
        if words.iter().any(|w| w == "interviewer") {
            spec.role = Some(Role::Interviewer);
        } else if words.iter().any(|w| w == "interviewee" || w == "narrator") {
            spec.role = Some(Role::Interviewee);
        }
    }
    if question_label || specs.iter().any(|s| s.role == Some(Role::Interviewer)) {
        return Vec::new();
    }
    // Who each turn is by, as normalize will resolve it.
    let mut asking = vec![Asking::default(); specs.len()];
    let mut first_seen: Vec<usize> = Vec::new();
    for turn in draft.sections.iter().flat_map(|s| &s.turns) {
        let key = turn.label.trim().to_lowercase();
        let Some(i) = specs.iter().position(|s| names(s, &key)) else {
            continue;
        };
        if !first_seen.contains(&i) {
            first_seen.push(i);
        }
        let text = turn
            .text
            .trim_end_matches(|c: char| c.is_whitespace() || "\"'”’»)]*".contains(c));
        asking[i].turns += 1;
        if text.ends_with(['?', '？', '¿']) {
            asking[i].score += 1.0;
        } else if text.contains(['?', '？']) {
            asking[i].score += 0.5;
        }
    }
    let candidates: Vec<usize> = first_seen
        .iter()
        .copied()
        .filter(|&i| specs[i].role.is_none())
        .collect();
    if first_seen.len() < 2 || candidates.is_empty() {
        return Vec::new();
    }
    if specs.iter().any(|s| s.role == Some(Role::Interviewee)) {
        // The source names who is interviewed: the others ask.
        for i in candidates {
            specs[i].role = Some(Role::Interviewer);
        }
        return Vec::new();
    }
    // Most questions asked, then the larger share of turns that are
    // questions: a host who asks often beats a guest with one question.
    let mut ranked = candidates.clone();
    ranked.sort_by(|&a, &b| {
        (asking[b].score.total_cmp(&asking[a].score))
            .then(asking[b].share().total_cmp(&asking[a].share()))
    });
    let best = ranked[0];
    let top = asking[best].score;
    let mut warnings = Vec::new();
    if top == 0.0 {
        // Nobody asks: the first to speak is the best guess there is.
        let first = candidates[0];
        specs[first].role = Some(Role::Interviewer);
        warnings.push(
            Diagnostic::warning(
                origin.path,
                format!(
                    "the source does not say who asks the questions, and no turn is a question: {} (the first to speak) is taken to be the interviewer",
                    specs[first].name
                ),
            )
            .help(ROLE_HELP),
        );
        return warnings;
    }
    for &i in &ranked {
        let a = asking[i];
        // With three or more people, two may ask.
        let asks = i == best || (first_seen.len() >= 3 && a.share() >= 0.5 && a.score >= top * 0.6);
        if asks {
            specs[i].role = Some(Role::Interviewer);
        }
    }
    let interviewers: Vec<&str> = specs
        .iter()
        .filter(|s| s.role == Some(Role::Interviewer))
        .map(|s| s.name.as_str())
        .collect();
    let runner_up = ranked
        .iter()
        .find(|&&i| specs[i].role != Some(Role::Interviewer))
        .map(|&i| asking[i].score);
    if asking[best].share() < 0.25 || runner_up.is_some_and(|r| r >= top * 0.8) {
        warnings.push(
            Diagnostic::warning(
                origin.path,
                format!(
                    "the source does not say who asks the questions: {} asked most ({} of {} turns are questions) and is taken to be the interviewer, but it is close",
                    interviewers.join(" and "),
                    top.round(),
                    asking[best].turns,
                ),
            )
            .help(ROLE_HELP),
        );
    }
    warnings
}

const ROLE_HELP: &str =
    "set the roles in a sidecar beside the file: [[speakers]] with name and role = \"interviewer\"";

/// A warning when the source names nobody: its words are shown as said by
/// "Speaker", or by the numbers a diarisation tool gave (`Speaker 1`).
fn nameless(specs: &[SpeakerSpec], declared: usize, origin: &Origin) -> Option<Diagnostic> {
    if declared > 0 || specs.is_empty() {
        return None;
    }
    let help = "name the speakers in a sidecar beside the file: [[speakers]] with name, role and aliases = [\"Speaker 1\"]";
    if specs.iter().all(|s| s.name == "Speaker") {
        return Some(
            Diagnostic::warning(
                origin.path,
                "the source names no speaker: every turn is shown as said by \"Speaker\"",
            )
            .help(help),
        );
    }
    let numbered: Vec<&str> = specs
        .iter()
        .map(|s| s.name.as_str())
        .filter(|n| is_diarisation_label(n) || *n == "Speaker")
        .collect();
    (numbered.len() == specs.len()).then(|| {
        Diagnostic::warning(
            origin.path,
            format!(
                "the source names its speakers only by number ({}): they are shown so",
                numbered.join(", ")
            ),
        )
        .help(help)
    })
}

/// The spec is named by `key` (lower case) already.
fn names(spec: &SpeakerSpec, key: &str) -> bool {
    spec.name.trim().to_lowercase() == key
        || spec
            .id
            .as_deref()
            .is_some_and(|id| id.to_lowercase() == key)
        || spec.aliases.iter().any(|a| a.trim().to_lowercase() == key)
}

/// `schlesinger`, `sondra` or `ss` for Sondra Schlesinger.
fn abbreviates(name: &str, key: &str) -> bool {
    let words: Vec<String> = name
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .collect();
    let initials: String = words.iter().filter_map(|w| w.chars().next()).collect();
    words.iter().any(|w| w == key) || (words.len() >= 2 && initials == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames_first_names_and_initials() {
        assert!(abbreviates("Sondra Schlesinger", "schlesinger"));
        assert!(abbreviates("Devin Becker", "db"));
        assert!(abbreviates("André K. Isaacs", "isaacs"));
        assert!(!abbreviates("Devin Becker", "km"));
    }

    #[test]
    fn capitals_in_title_case() {
        assert_eq!(display_name("KING"), "King");
        assert_eq!(display_name("O'BRIEN"), "O'Brien");
        assert_eq!(display_name("LUDWIG VAN BEETHOVEN"), "Ludwig van Beethoven");
        assert_eq!(display_name("NAME OF INTERVIEWEE"), "Name of Interviewee");
        assert_eq!(display_name("DB"), "DB");
        assert_eq!(display_name("CDR"), "CDR");
        assert_eq!(display_name("BOB"), "Bob");
        assert_eq!(display_name("SPEAKER 1"), "Speaker 1");
        assert_eq!(display_name("McMichael"), "McMichael");
    }

    fn roles(text: &str, format: crate::ingest::Format) -> Vec<(String, Role, Vec<String>)> {
        let text: std::sync::Arc<str> = std::sync::Arc::from(text);
        let (t, _) = crate::ingest::parse(
            format,
            "a",
            &text,
            "a",
            &crate::ingest::IngestOptions::default(),
        )
        .map_err(|e| format!("{e:?}"))
        .unwrap();
        t.speakers
            .iter()
            .map(|s| (s.name.clone(), s.role, s.aliases.clone()))
            .collect()
    }

    #[test]
    fn the_one_who_asks_is_the_interviewer() {
        use crate::ingest::Format;
        let got = roles(
            "speaker,words\nKaren Moss,I was born in Leeds.\nDan Birch,Where did you study?\n\
             KM,In York.\nDB,And then?\nKM,Paris.\nDB:,Why Paris?\n",
            Format::OhdCsv,
        );
        assert_eq!(
            got,
            [
                ("Karen Moss".into(), Role::Interviewee, vec!["KM".into()]),
                ("Dan Birch".into(), Role::Interviewer, vec!["DB".into()]),
            ]
        );
        // Surnames join the full name given later, in capitals or not.
        let got = roles(
            "Karin Fischer: Hello.\n\nMAX BAUER: What is it?\n\nFISCHER: A book.\n\nBauer: Why?\n",
            Format::PlainText,
        );
        let names: Vec<_> = got.iter().map(|(n, r, _)| (n.as_str(), *r)).collect();
        assert_eq!(
            names,
            [
                ("Karin Fischer", Role::Interviewee),
                ("Max Bauer", Role::Interviewer)
            ]
        );
    }

    #[test]
    fn a_named_narrator_never_asks() {
        use crate::ingest::Format;
        // The header names only the interviewee; the one who speaks first
        // and asks nothing is still the narrator.
        let got = roles(
            "INTERVIEWEE: Ada King\n\nKING: I will start with my school.\n\nCOLE: Good.\n\nKING: It was small.\n",
            Format::PlainText,
        );
        let names: Vec<_> = got.iter().map(|(n, r, _)| (n.as_str(), *r)).collect();
        assert_eq!(
            names,
            [("Ada King", Role::Interviewee), ("Cole", Role::Interviewer)]
        );
        // A title that names the narrator names the interviewee.
        let xml = "<ROOT xmlns=\"https://www.weareavp.com/nunncenter/ohms\"><record><title>Oral history interview with Ada K. King</title>\
                   <transcript>KING: I was born in a village.\n\nCOLE: I see. The school then.\n\nKING: Small.</transcript></record></ROOT>";
        let got = roles(xml, Format::Ohms);
        let names: Vec<_> = got.iter().map(|(n, r, _)| (n.as_str(), *r)).collect();
        assert_eq!(
            names,
            [
                ("Ada K. King", Role::Interviewee),
                ("Cole", Role::Interviewer)
            ]
        );
    }
}
