//! `verbatim serve` over HTTP on 127.0.0.1: pages answer, nothing outside
//! the site is served, a change rebuilds and pushes a reload event, a broken
//! file shows its error while the last good pages stay. Requests are written
//! by hand on a TCP socket so that paths reach the server exactly as written
//! (an HTTP client library would tidy `..` away). Every wait is bounded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

/// A running `verbatim serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("verbatim serve starts");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // Reads to the end, so the server never writes into a closed pipe.
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + WAIT;
    let port = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .expect("serve prints its address in time");
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .split('/')
                .next()
                .unwrap()
                .parse()
                .unwrap();
        }
    };
    Server { child, port }
}

/// The whole response to `GET path`, the path sent as it is.
fn get_raw(port: u16, path: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    response
}

/// Status, headers and body of `GET path`, the path sent as it is.
fn get(port: u16, path: &str) -> (u16, String, String) {
    let response = String::from_utf8_lossy(&get_raw(port, path)).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_lowercase(), body.to_string())
}

/// An open event stream, read up to a named event.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        write!(
            stream,
            "GET /__verbatim/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        Events {
            stream,
            seen: String::new(),
        }
    }

    /// Reads until `event: name` arrives; returns what came with it.
    fn wait_for(&mut self, name: &str) -> String {
        let marker = format!("event: {name}\n");
        let deadline = Instant::now() + WAIT;
        let mut buf = [0u8; 4096];
        loop {
            if let Some(i) = self.seen.find(&marker) {
                let rest = self.seen[i + marker.len()..].to_string();
                let end = rest.find("\n\n").map_or(rest.len(), |e| e + 2);
                self.seen = rest[end..].to_string();
                return rest[..end].to_string();
            }
            assert!(
                Instant::now() < deadline,
                "no `{name}` event in time; got {:?}",
                self.seen
            );
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("the event stream closed; got {:?}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {} // timeout: look again
            }
        }
    }
}

const TRANSCRIPT: &str = "+++\ntitle = \"First Talk\"\ndate = 2026-01-02\ninterviewee = \"Ann\"\n+++\n\n## Start\n\nQ: How did it begin?\n\nAnn: With a question.\n";
const OTHER: &str = "+++\ntitle = \"Second Talk\"\ndate = 2026-01-01\n+++\n\nQ: Another?\n\nA: Yes, see [the first](@/first#q1).\n";

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("site.toml"), "title = \"Served\"\n").unwrap();
    std::fs::write(root.join("content/first.md"), TRANSCRIPT).unwrap();
    std::fs::write(root.join("content/second.md"), OTHER).unwrap();
    std::fs::write(root.join("static/hello.txt"), "hello from static").unwrap();
    // A file beside the site that must never be served.
    std::fs::write(dir.path().join("secret.txt"), "SECRET-OUTSIDE").unwrap();
    dir
}

/// The page at `path` after the first reload that shows `text` in it (at
/// most five reloads: one save can come as two bursts of file events, and so
/// two rebuilds); the last page fetched if none does.
fn reloaded_until(events: &mut Events, port: u16, path: &str, text: &str) -> String {
    let mut body = String::new();
    for _ in 0..5 {
        events.wait_for("reload");
        body = get(port, path).2;
        if body.contains(text) {
            break;
        }
    }
    body
}

/// The fixture site, served, with an event stream that has seen `ready`.
fn served() -> (tempfile::TempDir, Server, Events) {
    let dir = site();
    let server = serve(&dir.path().join("site"));
    let mut events = Events::open(server.port);
    events.wait_for("ready");
    (dir, server, events)
}

/// Saves a file as an editor does.
fn edit(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

#[test]
fn serves_pages_with_the_live_script_and_nothing_outside_the_site() {
    let dir = site();
    let root = dir.path().join("site");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("static/leak.txt"))
            .unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("secret.txt"), "SECRET-OUTSIDE").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("static/up")).unwrap();
    }
    let server = serve(&root);
    let port = server.port;

    let (status, head, body) = get(port, "/");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(head.contains("cache-control: no-store"), "{head}");
    assert!(
        body.contains("First Talk") && body.contains("Second Talk"),
        "{body}"
    );
    assert!(body.contains("/__verbatim/live.js"), "{body}");

    let (status, head, _) = get(port, "/first");
    assert_eq!(status, 308);
    assert!(head.contains("location: /first/\r\n"), "{head}");
    let (status, _, body) = get(port, "/first/start/");
    assert_eq!(status, 200);
    assert!(body.contains("With a question."), "{body}");
    // The link written @/first#q1 is relative to the page it is on.
    let (_, _, body) = get(port, "/second/second-talk/");
    assert!(body.contains(r#"href="../../first/start/#q1""#), "{body}");

    let (status, _, body) = get(port, "/hello.txt");
    assert_eq!((status, body.as_str()), (200, "hello from static"));
    let (status, _, body) = get(port, "/no-such-page/");
    assert_eq!(status, 404);
    assert!(
        body.contains("/__verbatim/live.js"),
        "the 404 page is the site's: {body}"
    );
    let (status, _, body) = get(port, "/__verbatim/live.js");
    assert_eq!(status, 200);
    assert!(body.contains("EventSource"), "{body}");

    for path in [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/static/../../secret.txt",
        "/site.toml",
        "/content/first.md",
        "/leak.txt",
        "/up/secret.txt",
        "http://127.0.0.1/../secret.txt",
    ] {
        let (status, _, body) = get(port, path);
        assert!(
            status >= 300 && status != 308,
            "{path} answered {status}: {body}"
        );
        assert!(!body.contains("SECRET-OUTSIDE"), "{path} leaked: {body}");
        assert!(!body.contains("root:"), "{path} leaked: {body}");
        assert!(
            !body.contains("title = \"Served\""),
            "{path} leaked: {body}"
        );
    }
    #[cfg(unix)]
    assert_eq!(get(port, "/leak.txt").0, 403);

    // The live script is for serve only: a build never contains it.
    drop(server);
    let out = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["build", "--quiet", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let built = std::fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(!built.contains("__verbatim"), "{built}");
}

#[test]
fn a_saved_change_rebuilds_and_reloads() {
    let (dir, server, mut events) = served();
    let root = dir.path().join("site");

    let file = root.join("content/first.md");
    edit(
        &file,
        &TRANSCRIPT.replace("With a question.", "With a better answer."),
    );
    events.wait_for("reload");
    let (status, _, body) = get(server.port, "/first/start/");
    assert_eq!(status, 200);
    assert!(body.contains("With a better answer."), "{body}");

    // A new transcript appears on the home page.
    edit(
        &root.join("content/third.md"),
        "+++\ntitle = \"Third Talk\"\n+++\n\nQ: New?\n\nA: Quite.\n",
    );
    events.wait_for("reload");
    let (_, _, body) = get(server.port, "/");
    assert!(body.contains("Third Talk"), "{body}");
    assert_eq!(get(server.port, "/third/").0, 200);

    // A template override rebuilds every page.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    edit(
        &root.join("templates/index.html"),
        "{% extends \"base.html\" %}{% block main %}<p>CUSTOM HOME</p>{% endblock main %}",
    );
    // Making the folder and writing the file can come as two bursts of file
    // events, so two rebuilds: the page counts once a reload shows it.
    let body = reloaded_until(&mut events, server.port, "/", "CUSTOM HOME");
    assert!(body.contains("CUSTOM HOME"), "{body}");
}

/// An edit of what someone said re-renders the transcript's own pages and
/// the listing pages that show it, and leaves the site whole: the speaker's
/// page, the home card, the API index and the sitemap follow; a new section
/// gets its page and its place in the sitemap.
#[test]
fn an_edit_updates_every_page_that_shows_the_transcript() {
    let (dir, server, mut events) = served();
    let root = dir.path().join("site");
    let long_answer = "word ".repeat(450);
    let edited = format!(
        "{TRANSCRIPT}\nAnn: A longer story, {long_answer}\n\n## Later\n\nQ: And then?\n\nAnn: Then it grew.\n"
    );
    edit(&root.join("content/first.md"), &edited);
    let home = reloaded_until(&mut events, server.port, "/", "3 min read");
    // The card's reading time and section count.
    assert!(home.contains("3 min read"), "{home}");
    assert!(home.contains("2 sections"), "{home}");
    let ann = get(server.port, "/speakers/ann/").2;
    assert!(ann.contains("A longer story"), "{ann}");
    assert!(ann.contains("Then it grew."), "{ann}");
    let (status, _, later) = get(server.port, "/first/later/");
    assert_eq!(status, 200);
    assert!(later.contains("Then it grew."), "{later}");
    let sitemap = get(server.port, "/sitemap.xml").2;
    for url in ["first/later/", "first/start/", "second/", "speakers/ann/"] {
        assert!(sitemap.contains(&format!("/{url}<")), "{url} in {sitemap}");
    }
    let api = get(server.port, "/api/transcripts.json").2;
    assert!(api.contains("\"section_count\":2"), "{api}");
    // The other transcript's pages are as they were.
    assert_eq!(get(server.port, "/second/").0, 200);

    // Words alone change: same sections, same answers. The pages that show
    // them follow; the sitemap made before stays whole.
    edit(
        &root.join("content/first.md"),
        &edited.replace("Then it grew.", "Then it flourished."),
    );
    let ann = reloaded_until(
        &mut events,
        server.port,
        "/speakers/ann/",
        "Then it flourished.",
    );
    assert!(ann.contains("Then it flourished."), "{ann}");
    assert!(get(server.port, "/first/full/")
        .2
        .contains("Then it flourished."));
    let sitemap = get(server.port, "/sitemap.xml").2;
    for url in ["first/later/", "second/", "speakers/ann/"] {
        assert!(sitemap.contains(&format!("/{url}<")), "{url} in {sitemap}");
    }
}

/// How many exchanges the served search index holds (its `meta.bin`).
fn indexed(port: u16) -> u64 {
    let response = get_raw(port, "/search/data/meta.bin");
    let start = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response has a head")
        + 4;
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(&response[start..])
        .read_to_end(&mut json)
        .unwrap();
    let meta: serde_json::Value = serde_json::from_slice(&json).unwrap();
    meta["docs"].as_u64().unwrap()
}

#[test]
fn the_search_index_follows_an_edit_after_the_reload() {
    let (dir, server, mut events) = served();
    let root = dir.path().join("site");
    assert_eq!(indexed(server.port), 2);
    // No other transcript links to this one: only its pages are rebuilt.
    edit(
        &root.join("content/second.md"),
        &format!("{OTHER}\nQ: And then?\n\nA: Then it grew.\n"),
    );
    reloaded_until(&mut events, server.port, "/second/full/", "Then it grew.");
    // The index of the whole site is made after the reload; it is served
    // once whole.
    let deadline = Instant::now() + WAIT;
    while indexed(server.port) != 3 {
        assert!(
            Instant::now() < deadline,
            "the index never followed the edit"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn an_error_shows_in_the_browser_and_the_last_good_site_stays() {
    let (dir, server, mut events) = served();
    let root = dir.path().join("site");

    let file = root.join("content/first.md");
    edit(&file, &format!("{TRANSCRIPT}\nBob: Who let me in?\n"));
    let problem = events.wait_for("problems");
    assert!(problem.contains("content/first.md:13:1"), "{problem}");
    assert!(problem.contains("unknown speaker label"), "{problem}");
    let (status, _, body) = get(server.port, "/first/start/");
    assert_eq!(status, 200);
    assert!(
        body.contains("With a question."),
        "the last good page: {body}"
    );

    // A tab opened while the site is broken is told at once.
    let mut late = Events::open(server.port);
    assert!(late.wait_for("problems").contains("unknown speaker label"));

    edit(&file, &TRANSCRIPT.replace("With a question.", "Fixed now."));
    events.wait_for("reload");
    let (_, _, body) = get(server.port, "/first/start/");
    assert!(body.contains("Fixed now."), "{body}");
    let mut fresh = Events::open(server.port);
    fresh.wait_for("ready");
}

#[test]
fn deeply_nested_input_in_every_format_is_an_error_and_serve_survives() {
    let (dir, server, mut events) = served();
    let content = dir.path().join("site/content");
    let n = 5_000;
    let cases = [
        (
            "deep.xml",
            format!(
                "<ROOT><record>{}x{}</record></ROOT>",
                "<a>".repeat(n),
                "</a>".repeat(n)
            ),
        ),
        (
            "deep.json",
            format!("{{\"segments\":{}{}}}", "[".repeat(n), "]".repeat(n)),
        ),
        ("deep.md", format!("A: {}deep\n", "> ".repeat(n))),
        (
            "deep-toml.md",
            format!(
                "+++\ntags = {}{}\n+++\nQ: x\n",
                "[".repeat(n),
                "]".repeat(n)
            ),
        ),
    ];
    for (name, text) in cases {
        edit(&content.join(name), &text);
        if name == "deep.md" {
            // Deep quotes are speech: the site rebuilds with them.
            reloaded_until(&mut events, server.port, "/deep/full/", "deep");
        } else {
            let problem = events.wait_for("problems");
            assert!(
                problem.contains(&format!("content/{name}")),
                "{name}: {problem}"
            );
        }
        std::fs::remove_file(content.join(name)).unwrap();
        events.wait_for("reload");
        let (status, _, body) = get(server.port, "/first/start/");
        assert_eq!(status, 200, "serve still answers after {name}");
        assert!(body.contains("With a question."), "{name}: {body}");
    }
}
