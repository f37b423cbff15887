//! Crawling: `sitemap.xml` (the sitemaps.org protocol, split into a sitemap
//! index past the protocol's 50,000 URLs per file) and `robots.txt`.

use crate::page::Page;

/// The most URLs the protocol allows in one sitemap file.
pub const MAX_URLS: usize = 50_000;

/// A page to list: its URL relative to the site root, and its date if known.
#[derive(Debug, Clone, PartialEq)]
pub struct Url {
    pub loc: String,
    /// `YYYY-MM-DD`.
    pub lastmod: Option<String>,
}

/// `sitemap.xml`, or, past `max` URLs, `sitemap.xml` as an index of
/// `sitemap-1.xml`, `sitemap-2.xml`, ... of at most `max` URLs each.
pub fn sitemaps(base_url: &str, mut urls: Vec<Url>, max: usize) -> Vec<Page> {
    let max = if max == 0 { MAX_URLS } else { max };
    urls.sort_by(|a, b| a.loc.cmp(&b.loc));
    urls.dedup_by(|a, b| a.loc == b.loc);
    if urls.len() <= max {
        return vec![Page {
            path: "sitemap.xml".to_string(),
            bytes: urlset(base_url, &urls).into_bytes(),
        }];
    }
    let mut pages: Vec<Page> = urls
        .chunks(max)
        .enumerate()
        .map(|(i, chunk)| Page {
            path: format!("sitemap-{}.xml", i + 1),
            bytes: urlset(base_url, chunk).into_bytes(),
        })
        .collect();
    let mut index = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    ));
    for page in &pages {
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            escape(&format!("{base_url}{}", page.path))
        ));
    }
    index.push_str("</sitemapindex>\n");
    pages.push(Page {
        path: "sitemap.xml".to_string(),
        bytes: index.into_bytes(),
    });
    pages
}

fn urlset(base_url: &str, urls: &[Url]) -> String {
    let mut xml = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    ));
    for url in urls {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape(&format!("{base_url}{}", url.loc)));
        xml.push_str("</loc>");
        if let Some(date) = &url.lastmod {
            xml.push_str("<lastmod>");
            xml.push_str(&escape(date));
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`: everything may be crawled; the sitemap is named when the
/// base URL is absolute (the protocol wants an absolute URL there).
pub fn robots(base_url: &str) -> Page {
    let mut text = String::from("User-agent: *\nDisallow:\n");
    if crate::url::is_absolute(base_url) {
        text.push_str(&format!("\nSitemap: {base_url}sitemap.xml\n"));
    }
    Page {
        path: "robots.txt".to_string(),
        bytes: text.into_bytes(),
    }
}

/// Text as XML character data: the templates' escaping, which also leaves
/// out the characters XML forbids (a `base_url` may hold a TOML escape).
fn escape(text: &str) -> String {
    crate::escape::escape_html(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(n: usize) -> Vec<Url> {
        (0..n)
            .map(|i| Url {
                loc: format!("t{i:03}/"),
                lastmod: None,
            })
            .collect()
    }

    #[test]
    fn one_file_up_to_the_limit() {
        let pages = sitemaps("https://x.org/", urls(3), 3);
        assert_eq!(pages.len(), 1);
        let xml = String::from_utf8(pages[0].bytes.clone()).unwrap();
        assert_eq!(xml.matches("<url>").count(), 3);
        assert!(xml.contains("<loc>https://x.org/t000/</loc>"));
    }

    #[test]
    fn an_index_past_the_limit() {
        let pages = sitemaps("https://x.org/", urls(7), 3);
        let paths: Vec<_> = pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let index = String::from_utf8(pages[3].bytes.clone()).unwrap();
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://x.org/sitemap-3.xml</loc>"));
        let last = String::from_utf8(pages[2].bytes.clone()).unwrap();
        assert_eq!(last.matches("<url>").count(), 1);
    }

    #[test]
    fn urls_are_escaped() {
        let pages = sitemaps("https://x.org/?a=1&b=2/", urls(1), 10);
        let xml = String::from_utf8(pages[0].bytes.clone()).unwrap();
        assert!(xml.contains("?a=1&amp;b=2/t000/"));
    }

    #[test]
    fn robots_names_the_sitemap_only_when_it_can() {
        let r = String::from_utf8(robots("https://x.org/sub/").bytes).unwrap();
        assert!(r.contains("Sitemap: https://x.org/sub/sitemap.xml"));
        let r = String::from_utf8(robots("/").bytes).unwrap();
        assert!(!r.contains("Sitemap"));
    }
}
