//! What a URL is, for every stage that takes one from a user: a script URL
//! (`javascript:`, `vbscript:`, `data:`) is refused wherever a link or a
//! media address is written, and a site whose `base_url` is absolute gets
//! the files that need one (sitemaps, feeds). A leaf: it imports nothing.

/// True for URLs a browser would run or render as a document of their own
/// (`javascript:`, `vbscript:`, `data:`), however they are spelled: browsers
/// ignore case, whitespace and control characters in the scheme.
pub fn is_script_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|&c| c != ':' && c != '/' && c != '?' && c != '#')
        .collect::<String>()
        .to_ascii_lowercase();
    let has_scheme = url.contains(':') && !scheme.is_empty();
    has_scheme && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
}

/// True for an `http(s)://` URL, the only kind a sitemap may list.
pub fn is_absolute(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// True for a URL relative to the site root (`tone.wav`, `media/a.mp3`): no
/// scheme, not from the host's root (`/a.mp3`) and no network path
/// (`//cdn/a.mp3`). Pages reach such a file from where they are, and feeds
/// and the API give it against `base_url`.
pub fn is_site_relative(url: &str) -> bool {
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']).unwrap_or(url.len());
    let has_scheme = scheme_end.is_some_and(|i| i < path_start);
    !url.is_empty() && !has_scheme && !url.starts_with(['/', '?', '#'])
}

/// The media type a recording's file name says (`audio/mpeg` for `.mp3`),
/// when it says one: what feeds give as an enclosure's type, and how a
/// transcript's recording is known to be a video.
pub fn media_type(url: &str) -> Option<&'static str> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "mp3" => "audio/mpeg",
        "m4a" | "aac" => "audio/mp4",
        "wav" => "audio/wav",
        "ogg" | "oga" => "audio/ogg",
        "opus" => "audio/opus",
        "flac" => "audio/flac",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "ogv" => "video/ogg",
        "mov" => "video/quicktime",
        _ => return None,
    })
}
