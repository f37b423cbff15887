//! The files that follow from the site's pages rather than from a
//! template: the theme's CSS and JavaScript, sitemaps, robots.txt and the
//! API's index, and the site's path for the 404 page.

use super::*;

/// The theme's CSS and JavaScript as pages, written after the templated ones.
pub(super) fn theme_asset_pages() -> Vec<Page> {
    THEME_ASSETS
        .iter()
        .map(|(name, _)| Page {
            path: name.to_string(),
            bytes: theme_asset(name).expect("a name of THEME_ASSETS"),
        })
        .collect()
}

/// The files for machines that follow from the site's pages: the sitemap
/// (every page of [`page_jobs`], where [`job_path`] puts it: a test holds
/// that to where rendering puts it), robots.txt and the JSON API's index.
pub(super) fn machine_files(site: &Site) -> Result<Vec<Page>, Diagnostic> {
    let paths: Vec<String> = page_jobs(site).iter().map(|j| job_path(site, j)).collect();
    let dates: HashMap<&str, &str> = site
        .transcripts
        .iter()
        .filter_map(|t| Some((t.slug.as_str(), t.date.as_deref()?)))
        .collect();
    let mut files = Vec::new();
    let sitemap_urls: Vec<crate::sitemap::Url> = paths
        .iter()
        .filter_map(|path| {
            let url = path.strip_suffix("index.html")?;
            let first = url.split('/').next().unwrap_or("");
            Some(crate::sitemap::Url {
                loc: url.to_string(),
                lastmod: dates.get(first).map(|d| d.to_string()),
            })
        })
        .collect();
    // The protocol wants absolute URLs: no sitemap beats an invalid one.
    if crate::url::is_absolute(&site.config.base_url) {
        files.extend(crate::sitemap::sitemaps(
            &site.config.base_url,
            sitemap_urls,
            crate::sitemap::MAX_URLS,
        ));
    }
    files.push(crate::sitemap::robots(&site.config.base_url));
    files.push(crate::api::index_page(site)?);
    Ok(files)
}

/// The path part of the base URL (`https://x.org/a/` -> `/a/`), with every
/// character that has no business in a URL path percent-encoded, so that a
/// strange `base_url` can never carry markup into the 404 page's links.
pub(super) fn site_path(base_url: &str) -> String {
    const NOT_IN_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'\'')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'#')
        .add(b'?')
        .add(b'\\');
    let path = match base_url.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(i) => &rest[i..],
            None => "/",
        },
        None => base_url,
    };
    percent_encoding::utf8_percent_encode(path, NOT_IN_PATH).to_string()
}
