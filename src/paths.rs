//! What a file name in the output may be. Slugs come from third-party text,
//! so every segment of every output path is checked against what some file
//! system refuses or misreads: traversal, absolute paths, control characters,
//! characters Windows forbids and its reserved device names.

/// The folder copied into the output as it is, relative to the site root
/// (the output writes it; the site finds media files in it).
pub const STATIC_DIR: &str = "static";

/// Names Windows reserves for devices, whatever the extension (`con.html` too).
const WINDOWS_RESERVED: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// True for `con`, `NUL`, `com1.html` and the other Windows device names.
pub fn is_windows_reserved(segment: &str) -> bool {
    let stem = segment.split('.').next().unwrap_or(segment).trim_end();
    WINDOWS_RESERVED
        .iter()
        .any(|r| r.eq_ignore_ascii_case(stem))
}

/// Why `segment` cannot be one part of an output path, or `None` if it can.
pub fn segment_problem(segment: &str) -> Option<&'static str> {
    if segment.is_empty() {
        return Some("an empty path segment");
    }
    if segment == "." || segment == ".." {
        return Some("`.` or `..` would leave its folder");
    }
    if segment.chars().any(char::is_control) {
        return Some("a control character");
    }
    if segment.contains(['/', '\\', ':', '<', '>', '"', '|', '?', '*']) {
        return Some("a character file systems forbid (/ \\ : < > \" | ? *)");
    }
    if segment.ends_with(['.', ' ']) {
        return Some("a trailing dot or space, which Windows drops");
    }
    if is_windows_reserved(segment) {
        return Some("a name Windows reserves for a device (CON, NUL, COM1, ...)");
    }
    None
}

/// Why the `/`-separated relative path cannot be written under the output
/// folder, or `None` if every segment is safe.
pub fn relative_path_problem(path: &str) -> Option<String> {
    if path.starts_with('/') || path.starts_with('\\') {
        return Some("an absolute path".to_string());
    }
    for segment in path.split('/') {
        if let Some(why) = segment_problem(segment) {
            return Some(format!("{why} in {segment:?}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_and_absolute_paths_are_refused() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "\\x",
            "a//b",
            "a/./b",
            "",
            "C:/x",
        ] {
            assert!(relative_path_problem(bad).is_some(), "{bad}");
        }
        assert!(relative_path_problem("joe/section-1/index.html").is_none());
        assert!(relative_path_problem(".well-known/x.txt").is_none());
    }

    #[test]
    fn reserved_and_control_names_are_refused() {
        for bad in [
            "con",
            "NUL",
            "com1.html",
            "Aux.txt",
            "a\u{7}b",
            "x.",
            "x ",
            "a?b",
        ] {
            assert!(segment_problem(bad).is_some(), "{bad:?}");
        }
        for good in ["console", "null", "com10", "index.html", "nul-2"] {
            assert!(segment_problem(good).is_none(), "{good:?}");
        }
    }
}
