//! Labels that name a role rather than a person, in the languages of the
//! interviews verbatim reads: `Q:`/`A:`, `Frage:`/`Antwort:`, `P:`/`R:`
//! (pregunta, respuesta), `D:`/`R:` (domanda, risposta), `Question:`/
//! `Réponse:`, and numbered (`Frage 1:`, `Q12:`, `Question 3:`), which is one
//! asker whatever the number. One list, read by the native format's speaker
//! table, the importers' speech builder and the readers of saved pages.

use crate::model::Role;

const QUESTION: [&str; 12] = [
    "q",
    "question",
    "interviewer",
    "frage",
    "f",
    "p",
    "pregunta",
    "domanda",
    "d",
    "pergunta",
    "vraag",
    "interviewerin",
];
const ANSWER: [&str; 11] = [
    "a",
    "answer",
    "antwort",
    "r",
    "respuesta",
    "risposta",
    "réponse",
    "reponse",
    "resposta",
    "antwoord",
    "interviewee",
];

/// The role a label names, if it names one (any case, numbered or not).
pub fn role(label: &str) -> Option<Role> {
    let base = base(label).to_lowercase();
    if QUESTION.contains(&base.as_str()) {
        Some(Role::Interviewer)
    } else if ANSWER.contains(&base.as_str()) {
        Some(Role::Interviewee)
    } else {
        None
    }
}

/// A role label without its number (`Frage 1` -> `Frage`, `Q12` -> `Q`,
/// `Question 3.` -> `Question`); any other label as it is, so `Speaker 1`
/// stays `Speaker 1`.
pub fn base(label: &str) -> &str {
    let label = label.trim();
    let word =
        label.trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, ' ' | '.' | '#' | '-'));
    let numbered =
        word.len() < label.len() && label[word.len()..].chars().any(|c| c.is_ascii_digit());
    let lower = word.to_lowercase();
    if numbered && (QUESTION.contains(&lower.as_str()) || ANSWER.contains(&lower.as_str())) {
        word
    } else {
        label
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_labels_numbered_or_not() {
        assert_eq!(base("Frage 1"), "Frage");
        assert_eq!(base("Q12"), "Q");
        assert_eq!(base("Question 3."), "Question");
        assert_eq!(base("Speaker 1"), "Speaker 1");
        assert_eq!(base("Joe Tsai"), "Joe Tsai");
        assert_eq!(role("Frage 2"), Some(Role::Interviewer));
        assert_eq!(role("ANTWORT"), Some(Role::Interviewee));
        assert_eq!(role("R"), Some(Role::Interviewee));
        assert_eq!(role("Speaker 1"), None);
        assert_eq!(role("Ada"), None);
    }
}
