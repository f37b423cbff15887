//! `verbatim new "Title"`: a content file with its front matter filled in
//! (title, date, speakers) and a first section to write into. It never
//! replaces an existing file.

use crate::diagnostic::Diagnostic;
use crate::ingest::normalize::slugify;
use crate::site::CONTENT_DIR;
use std::path::PathBuf;

/// The content formats `new` can start a file in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum NewFormat {
    /// The native format: TOML front matter and Markdown (`.md`).
    #[default]
    #[value(alias = "markdown")]
    Md,
}

impl NewFormat {
    fn extension(self) -> &'static str {
        match self {
            NewFormat::Md => "md",
        }
    }
}

/// What to write.
#[derive(Debug, Clone, Default)]
pub struct NewOptions {
    /// The site root (the folder with site.toml).
    pub root: PathBuf,
    pub title: String,
    /// People who ask the questions; `Q:` names the first.
    pub interviewers: Vec<String>,
    /// People who answer; `A:` names the first.
    pub interviewees: Vec<String>,
    /// `YYYY-MM-DD`; today (local time) when `None`.
    pub date: Option<String>,
    /// The URL segment and file name; from the title when `None`.
    pub slug: Option<String>,
    /// A folder under content/ to put the file in.
    pub section: Option<PathBuf>,
    pub format: NewFormat,
}

/// Writes the new transcript and returns its path.
pub fn new_transcript(options: &NewOptions) -> Result<PathBuf, Diagnostic> {
    let title = options.title.trim();
    if title.is_empty() {
        return Err(Diagnostic::error("verbatim new", "the title is empty")
            .help("give the interview a title: verbatim new \"A conversation with ...\""));
    }
    let slug = slugify(options.slug.as_deref().unwrap_or(title));
    if slug.is_empty() {
        return Err(Diagnostic::error(
            "verbatim new",
            format!("no URL can be made from {title:?}: it has no letters or digits"),
        )
        .help("pass --slug with the URL segment to use, such as --slug interview-1"));
    }
    if crate::site::RESERVED_SLUGS.contains(&slug.as_str()) {
        return Err(Diagnostic::error(
            "verbatim new",
            format!("the URL /{slug}/ is reserved for the site's own pages"),
        )
        .help("pass another --slug"));
    }
    let date = match &options.date {
        Some(d) => parse_date(d)?,
        None => jiff::Zoned::now().date().to_string(),
    };
    if !options.root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(Diagnostic::error(
            crate::config::CONFIG_FILE,
            format!("there is no site in {}", options.root.display()),
        )
        .help("run verbatim new in the folder that holds site.toml (or pass --root DIR), or create a site with verbatim init"));
    }
    let mut dir = options.root.join(CONTENT_DIR);
    if let Some(sub) = &options.section {
        if sub.is_absolute()
            || sub
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(Diagnostic::error(
                sub.to_string_lossy(),
                "the folder must be a relative path inside content/",
            ));
        }
        dir = dir.join(sub);
    }
    std::fs::create_dir_all(&dir).map_err(|e| {
        Diagnostic::error(
            dir.to_string_lossy(),
            format!("cannot create the folder: {e}"),
        )
    })?;
    let path = dir.join(format!("{slug}.{}", options.format.extension()));
    let shown = crate::site::display_path(&options.root, &path);
    let text = match options.format {
        NewFormat::Md => markdown(title, &date, options),
    };
    match crate::init::write_new(&path, &text) {
        Ok(true) => Ok(path),
        Ok(false) => Err(Diagnostic::error(
            &shown,
            "this file already exists; it was left as it was",
        )
        .help("choose another title or pass --slug to name the new file")),
        Err(e) => Err(Diagnostic::error(&shown, format!("cannot write: {e}"))),
    }
}

/// `2026-06-22`, checked to be a real day.
fn parse_date(text: &str) -> Result<String, Diagnostic> {
    text.trim()
        .parse::<jiff::civil::Date>()
        .map(|d| d.to_string())
        .map_err(|e| {
            Diagnostic::error("--date", format!("{text:?} is not a date: {e}"))
                .help("write the date as YYYY-MM-DD, such as 2026-06-22")
        })
}

/// A TOML string literal, escaped.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn names(list: &[String]) -> String {
    match list {
        [one] => quoted(one),
        many => format!(
            "[{}]",
            many.iter()
                .map(|n| quoted(n))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The starter text in the native format: labels are the speakers' names
/// when given, else `Q` and `A`.
fn markdown(title: &str, date: &str, options: &NewOptions) -> String {
    let mut fm = format!(
        "+++\ntitle = {}\ndate = {date}\n# description = \"One or two sentences for the listing.\"\ntags = []\n",
        quoted(title)
    );
    if options.slug.is_some() {
        fm.push_str(&format!(
            "slug = {}\n",
            quoted(&slugify(options.slug.as_deref().unwrap_or_default()))
        ));
    }
    if !options.interviewers.is_empty() {
        fm.push_str(&format!("interviewer = {}\n", names(&options.interviewers)));
    }
    if !options.interviewees.is_empty() {
        fm.push_str(&format!("interviewee = {}\n", names(&options.interviewees)));
    }
    fm.push_str("+++\n");
    let asks = options.interviewers.first().map_or("Q", String::as_str);
    let answers = options.interviewees.first().map_or("A", String::as_str);
    format!(
        "{fm}\nAn introduction: who was interviewed, when and where.\n\n\
         ## Opening\n\n{asks}: The first question.\n\n{answers}: The answer.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "title = \"T\"\n").unwrap();
        dir
    }

    #[test]
    fn writes_front_matter_and_refuses_to_overwrite() {
        let dir = site();
        let options = NewOptions {
            root: dir.path().to_path_buf(),
            title: "Talk with \"Ada\" Lovelace".to_string(),
            interviewers: vec!["Jo Reporter".to_string()],
            interviewees: vec!["Ada Lovelace".to_string()],
            date: Some("2026-03-04".to_string()),
            ..NewOptions::default()
        };
        let path = new_transcript(&options).unwrap();
        assert!(path.ends_with("content/talk-with-ada-lovelace.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        let arc: std::sync::Arc<str> = std::sync::Arc::from(text.as_str());
        let fm = crate::ingest::frontmatter::split("x.md", &arc)
            .unwrap()
            .front_matter;
        assert_eq!(fm.title.as_deref(), Some("Talk with \"Ada\" Lovelace"));
        assert!(text.contains("date = 2026-03-04"), "{text}");
        assert!(text.contains("Ada Lovelace: The answer."), "{text}");
        let again = new_transcript(&options).unwrap_err();
        assert!(
            again.message.contains("already exists"),
            "{}",
            again.message
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }

    #[test]
    fn bad_dates_are_refused() {
        let dir = site();
        let e = new_transcript(&NewOptions {
            root: dir.path().to_path_buf(),
            title: "X".to_string(),
            date: Some("2026-02-30".to_string()),
            ..NewOptions::default()
        })
        .unwrap_err();
        assert!(e.message.contains("not a date"), "{}", e.message);
    }
}
