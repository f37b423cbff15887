//! A transcript's recording as the site publishes it: a URL relative to the
//! site root is a file of `static/` (copied to the site root), which must
//! be there; its length is read from the file when front matter does not
//! give it; and each file gets its address against `base_url` for feeds and
//! the JSON API.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{Timecode, Transcript};
use crate::paths::STATIC_DIR;
use lofty::file::AudioFile;
use std::path::Path;

/// Settles `t`'s media files against the site at `root`; the warnings say
/// what a reader would miss.
pub fn resolve(root: &Path, config: &Config, t: &mut Transcript) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for m in &mut t.media {
        if !crate::url::is_site_relative(&m.url) {
            m.permalink = m.url.clone();
            continue;
        }
        m.permalink = [config.base_url.as_str(), m.url.as_str()].concat();
        let name = m.url.split(['?', '#']).next().unwrap_or_default();
        let file = root.join(STATIC_DIR).join(name);
        if !file.is_file() {
            warnings.push(
                Diagnostic::warning(
                    &t.source_path,
                    format!(
                        "the recording {:?} is neither an absolute URL nor a file of the site: \
                         {STATIC_DIR}/{name} does not exist, so the player has nothing to play",
                        m.url
                    ),
                )
                .help(format!(
                    "put the file at {STATIC_DIR}/{name} (a relative media URL is read from the \
                     site root), or give its https:// address"
                )),
            );
            continue;
        }
        if m.duration.is_none() {
            match lofty::read_from_path(&file) {
                Ok(f) => {
                    let d = f.properties().duration();
                    m.duration = (!d.is_zero()).then_some(Timecode(d.as_millis() as u64));
                }
                Err(e) => warnings.push(
                    Diagnostic::warning(
                        &t.source_path,
                        format!("cannot read the length of {STATIC_DIR}/{name}: {e}"),
                    )
                    .help("give the file's length in front matter: duration = \"hh:mm:ss\""),
                ),
            }
        }
    }
    warnings
}
