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
