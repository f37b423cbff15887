//! Who speaks, for formats other than Markdown: the people named by the
//! source's own metadata (OHMS, plain-text headers) or by a sidecar, linked to
//! the labels the turns carry (`SCHLESINGER:` is Sondra Schlesinger, `DB:` is
//! Devin Becker), then handed to [`normalize`] with the draft.

use super::frontmatter::{FrontMatter, SpeakerSpec};
use super::normalize::{normalize, Draft, Normalized, Origin};
use super::sidecar::{overlay, Sidecar};
use crate::diagnostic::Diagnostic;
use crate::model::Role;

/// Labels that mean a role rather than a person; normalize resolves them.
const ROLE_LABELS: [&str; 6] = ["q", "question", "interviewer", "a", "answer", "interviewee"];

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

    /// Links labels to people and normalizes the draft.
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
        if !specs.is_empty() {
            let mut labels: Vec<&str> = Vec::new();
            for turn in draft.sections.iter().flat_map(|s| &s.turns) {
                if !labels.iter().any(|l| l.eq_ignore_ascii_case(&turn.label)) {
                    labels.push(&turn.label);
                }
            }
            for label in labels {
                let key = label.trim().to_lowercase();
                if ROLE_LABELS.contains(&key.as_str()) || specs.iter().any(|s| names(s, &key)) {
                    continue;
                }
                let matching: Vec<usize> = (0..specs.len())
                    .filter(|&i| abbreviates(&specs[i].name, &key))
                    .collect();
                match matching[..] {
                    [i] => specs[i].aliases.push(label.to_string()),
                    _ if !self.strict => specs.push(SpeakerSpec {
                        id: None,
                        name: label.to_string(),
                        role: None,
                        title: None,
                        bio: None,
                        aliases: Vec::new(),
                    }),
                    // A sidecar that lists the speakers is the editor's word;
                    // normalize reports the label with the known names.
                    _ => {}
                }
            }
        }
        fm.speakers = specs;
        normalize(fm, draft, origin)
    }
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
}
