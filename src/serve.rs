//! `verbatim serve`: builds the site in memory, serves it over HTTP (axum),
//! watches its sources (notify, debounced) and rebuilds what a change
//! affects, then tells open tabs to reload over server-sent events. Build
//! errors go to the terminal and to an overlay in the browser, while the last
//! good pages stay served.
//!
//! The server answers only from the rendered pages and the site's `static/`
//! files, looked up by name: a request path is decoded once, and any path
//! with `.` or `..` segments, backslashes or drive letters is refused, as is
//! a static file whose real location (after symbolic links) is outside the
//! site.

use crate::diagnostic::format_diagnostic;
use crate::live::{LiveSite, Pages, Rebuilt};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::notify::RecursiveMode;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_stream::{Stream, StreamExt};

/// Where the live-reload script and event stream live; no page of a site
/// can have this path (slugs are lower-case letters, digits and hyphens).
pub const LIVE_PREFIX: &str = "/__verbatim/";

/// How long the watcher waits for a burst of file events (an editor's save
/// is often several) to end before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
}

/// What `serve` has to tell the person running it; the command line
/// decides how to print it (serve itself prints nothing).
#[derive(Debug)]
pub enum Report<'a> {
    /// A build or rebuild ended (the first build too).
    Rebuilt(&'a Rebuilt),
    /// The server listens: on `url`, for the site at `root`; `public` when
    /// other machines can reach it.
    Serving {
        root: &'a Path,
        url: &'a str,
        public: Option<IpAddr>,
    },
    /// The search index of the whole site was made again, in this time.
    IndexUpdated(Duration),
    /// Watching the sources failed (the server goes on).
    WatchFailed(String),
}

/// Where serve's reports go.
pub type Reporter = Arc<dyn Fn(Report<'_>) + Send + Sync>;

/// What every request handler shares with the rebuild thread.
struct Shared {
    /// The current pages; a rebuild swaps in a new set whole.
    pages: RwLock<Arc<Pages>>,
    /// The current build problems as text, for tabs that connect while the
    /// site is broken.
    problems: RwLock<Option<String>>,
    events: broadcast::Sender<LiveEvent>,
    /// The site root, resolved, to keep static files inside it.
    root: PathBuf,
}

/// What open tabs are told.
#[derive(Debug, Clone)]
enum LiveEvent {
    Reload,
    Problems(String),
}

/// Builds, binds, prints the address and serves until the process ends.
pub fn serve(options: ServeOptions, report: Reporter) -> Result<(), crate::Diagnostic> {
    let root = options.root.canonicalize().map_err(|e| {
        crate::Diagnostic::error(
            options.root.to_string_lossy(),
            format!("cannot open the site folder: {e}"),
        )
        .help("run verbatim serve in the folder that holds site.toml, or pass --root DIR")
    })?;
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(crate::Diagnostic::error(
            crate::config::CONFIG_FILE,
            format!("there is no site in {}", root.display()),
        )
        .help("run verbatim serve in the folder that holds site.toml (or pass --root DIR), or create a site with verbatim init"));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| crate::Diagnostic::error("serve", format!("cannot start: {e}")))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(SocketAddr::new(
            options.bind,
            options.port,
        )))
        .map_err(|e| bind_error(&options, e))?;
    let address = listener.local_addr().map_err(|e| bind_error(&options, e))?;
    let url = match address.ip() {
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", address.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", address.port()),
    };

    // Links are relative; the base URL only shows in canonical links and
    // the 404 page, which should point at this server.
    let mut live = LiveSite::new(&root, options.drafts, Some(url.clone()));
    let (events, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        pages: RwLock::new(Arc::new(Pages::default())),
        problems: RwLock::new(None),
        events,
        root: root.clone(),
    });
    let mut pages = Pages::default();
    let first = live.build_all(&mut pages);
    report(Report::Rebuilt(&first));
    publish(&shared, Arc::new(pages), &first);

    let watcher = watch(&root, live, Arc::clone(&shared), Arc::clone(&report))?;
    report(Report::Serving {
        root: &root,
        url: &url,
        public: (!address.ip().is_loopback()).then_some(address.ip()),
    });
    let app = router(shared);
    let result = runtime.block_on(async move { axum::serve(listener, app).await });
    drop(watcher);
    result.map_err(|e| crate::Diagnostic::error("serve", format!("the server stopped: {e}")))
}

fn bind_error(options: &ServeOptions, e: std::io::Error) -> crate::Diagnostic {
    let d = crate::Diagnostic::error(
        format!("{}:{}", options.bind, options.port),
        format!("cannot listen: {e}"),
    );
    if e.kind() == std::io::ErrorKind::AddrInUse {
        d.help("another program uses this port: pass another --port (or --port 0 for any free one)")
    } else {
        d.help("check --bind (an address of this machine, such as 127.0.0.1) and --port")
    }
}

/// Makes a rebuild's pages current and tells the open tabs.
fn publish(shared: &Shared, pages: Arc<Pages>, outcome: &Rebuilt) {
    match outcome {
        Rebuilt::Ok { .. } => {
            *shared.pages.write().unwrap_or_else(|e| e.into_inner()) = pages;
            *shared.problems.write().unwrap_or_else(|e| e.into_inner()) = None;
            // No receiver (no open tab) is not an error.
            let _ = shared.events.send(LiveEvent::Reload);
        }
        Rebuilt::Unchanged => {}
        Rebuilt::Failed(problems) => {
            let text = problems
                .0
                .iter()
                .map(|d| format_diagnostic(d, false))
                .collect::<Vec<_>>()
                .join("\n");
            *shared.problems.write().unwrap_or_else(|e| e.into_inner()) = Some(text.clone());
            let _ = shared.events.send(LiveEvent::Problems(text));
        }
    }
}

type Debouncer = notify_debouncer_full::Debouncer<
    notify_debouncer_full::notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// Watches the site's sources; a thread rebuilds after each burst of
/// changes. Watching stops when the returned debouncer is dropped.
fn watch(
    root: &Path,
    mut live: LiveSite,
    shared: Arc<Shared>,
    report: Reporter,
) -> Result<Arc<Mutex<Debouncer>>, crate::Diagnostic> {
    let watch_error = |e: notify_debouncer_full::notify::Error| {
        crate::Diagnostic::error(
            root.to_string_lossy(),
            format!("cannot watch the site's files: {e}"),
        )
    };
    let (tx, rx) = std::sync::mpsc::channel();
    // Set with every batch of file events, as it comes: making the search
    // index (seconds on a large site) stops for a change that has come.
    let pending = Arc::new(AtomicBool::new(false));
    let arrived = Arc::clone(&pending);
    let handler = move |batch: notify_debouncer_full::DebounceEventResult| {
        arrived.store(true, Ordering::SeqCst);
        let _ = tx.send(batch);
    };
    let mut debouncer =
        notify_debouncer_full::new_debouncer(DEBOUNCE, None, handler).map_err(watch_error)?;
    // The root itself only for site.toml and source folders made later.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(watch_error)?;
    let folders = live.watched();
    for dir in &folders {
        if dir.is_dir() {
            debouncer
                .watch(dir, RecursiveMode::Recursive)
                .map_err(watch_error)?;
        }
    }
    let debouncer = Arc::new(Mutex::new(debouncer));
    let owned = Arc::clone(&debouncer);
    std::thread::spawn(move || {
        while let Ok(batch) = rx.recv() {
            // Cleared before the queue is emptied: a batch that comes later
            // sets it again.
            pending.store(false, Ordering::SeqCst);
            let mut changed: Vec<PathBuf> = Vec::new();
            let mut collect = |batch: notify_debouncer_full::DebounceEventResult| match batch {
                Ok(events) => changed.extend(
                    events
                        .into_iter()
                        .filter(|e| changes_files(&e.kind))
                        .flat_map(|e| e.event.paths),
                ),
                Err(errors) => {
                    for e in errors {
                        report(Report::WatchFailed(e.to_string()));
                    }
                }
            };
            collect(batch);
            while let Ok(more) = rx.try_recv() {
                collect(more);
            }
            if changed.is_empty() && !live.index_stale() {
                continue;
            }
            changed.sort();
            changed.dedup();
            for path in &changed {
                if folders.contains(path) && path.is_dir() {
                    // A source folder made after the server started.
                    let mut d = owned.lock().unwrap_or_else(|e| e.into_inner());
                    let _ = d.watch(path, RecursiveMode::Recursive);
                }
            }
            let current = shared
                .pages
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            let mut pages = (*current).clone();
            let outcome = live.rebuild(&changed, &mut pages);
            report(Report::Rebuilt(&outcome));
            let pages = Arc::new(pages);
            publish(&shared, Arc::clone(&pages), &outcome);
            if !live.index_stale() {
                continue;
            }
            // Open tabs reload first; the search index of the whole site
            // follows, and is served once it is whole. A change saved
            // meanwhile stops it: that change is rebuilt and reloaded at
            // once, and the index is made again after it. The copy of the
            // page map it works on (a few hundred thousand entries on a
            // large site) is made after the reload, not before it.
            let mut pages = Pages::clone(&pages);
            let stop = || pending.load(Ordering::SeqCst);
            // Given up for a change (`None`): made again after its rebuild.
            if let Some(took) = live.refresh_index(&mut pages, &stop) {
                *shared.pages.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(pages);
                report(Report::IndexUpdated(took));
            }
        }
    });
    Ok(debouncer)
}

/// Whether an event is a change; reading a file (the build itself does) is not.
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// The routes: the live-reload script and event stream, and the site.
fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(&format!("{LIVE_PREFIX}live.js"), get(live_script))
        .route(&format!("{LIVE_PREFIX}events"), get(live_events))
        .fallback(site_file)
        .with_state(shared)
        // Every answer is for this moment of the site: never cache it.
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// The script injected into served pages (never into built ones).
const LIVE_SCRIPT: &str = include_str!("serve_live.js");

async fn live_script() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/javascript; charset=utf-8"),
        )],
        LIVE_SCRIPT,
    )
}

/// The event stream a tab listens to: first the current state (problems or
/// none), then `reload` after each good rebuild and `problems` after each
/// failed one.
async fn live_events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.events.subscribe();
    let now = shared
        .problems
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let first = match now {
        Some(text) => Event::default().event("problems").data(text),
        None => Event::default().event("ready").data(""),
    };
    let updates = tokio_stream::wrappers::BroadcastStream::new(receiver).filter_map(|e| {
        // A tab that fell behind (lagged) just waits for the next event.
        e.ok().map(|e| match e {
            LiveEvent::Reload => Event::default().event("reload").data(""),
            LiveEvent::Problems(text) => Event::default().event("problems").data(text),
        })
    });
    let stream = tokio_stream::once(first).chain(updates).map(Ok);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Any other request: a page, a static file, or the site's 404 page.
async fn site_file(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "verbatim serve only reads").into_response();
    }
    let raw = request.uri().path().to_string();
    let Some(rel) = site_path(&raw) else {
        return (StatusCode::BAD_REQUEST, "this path is not part of the site").into_response();
    };
    let pages = shared
        .pages
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if let Some(file) = pages.statics.get(&rel) {
        return static_file(&shared.root, file, request).await;
    }
    let key = if rel.is_empty() {
        "index.html".to_string()
    } else {
        rel.clone()
    };
    if let Some(bytes) = pages.pages.get(&key) {
        return page(StatusCode::OK, &key, bytes.clone());
    }
    let folder_index = format!("{rel}/index.html");
    if !rel.is_empty() && pages.pages.contains_key(&folder_index) {
        if raw.ends_with('/') {
            return page(
                StatusCode::OK,
                &folder_index,
                pages.pages[&folder_index].clone(),
            );
        }
        // Relative links need the trailing slash; build the location from
        // the checked path, never from the raw one (`//host` would leave).
        let location = format!("/{}/", utf8_percent_encode(&rel, PATH_SEGMENT));
        return (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, location)],
        )
            .into_response();
    }
    match pages.pages.get("404.html") {
        Some(bytes) => page(StatusCode::NOT_FOUND, "404.html", bytes.clone()),
        // No good build yet: an empty page that shows the build's problems.
        None => page(
            StatusCode::NOT_FOUND,
            "404.html",
            Bytes::from_static(b"<!doctype html><title>verbatim</title><body></body>"),
        ),
    }
}

/// Characters escaped when a checked path goes back into a `Location`.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The request path as a path inside the site (`a/b`, no leading slash),
/// decoded once; `None` for anything that could name a place outside it.
pub fn site_path(raw: &str) -> Option<String> {
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => continue,
            "." | ".." => return None,
            s if s.contains(['\\', '\0', ':']) => return None,
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// A rendered page; HTML gets the live-reload script before `</body>`.
fn page(status: StatusCode, path: &str, bytes: Bytes) -> Response {
    let mime = mime_type(path);
    let body = if mime.starts_with("text/html") {
        Body::from(inject_live_script(&bytes))
    } else {
        Body::from(bytes)
    };
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(mime))],
        body,
    )
        .into_response()
}

/// The page with the live-reload script added, for `serve` only.
pub fn inject_live_script(html: &[u8]) -> Vec<u8> {
    const TAG: &[u8] = b"<script src=\"/__verbatim/live.js\"></script>\n";
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(TAG);
    out.extend_from_slice(&html[at..]);
    out
}

fn mime_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A file of `static/`, served by tower-http (types, ranges for media,
/// conditional requests) once its real path is known to be inside the site.
async fn static_file(root: &Path, file: &Path, request: Request) -> Response {
    let inside = file
        .canonicalize()
        .map(|real| real.starts_with(root))
        .unwrap_or(false);
    if !inside {
        return (
            StatusCode::FORBIDDEN,
            "this file links to a place outside the site",
        )
            .into_response();
    }
    match tower_http::services::ServeFile::new(file)
        .try_call(request)
        .await
    {
        Ok(response) => response.map(Body::new),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside_the_site() {
        assert_eq!(site_path("/").as_deref(), Some(""));
        assert_eq!(site_path("/a/b/").as_deref(), Some("a/b"));
        assert_eq!(site_path("/a%20b.css").as_deref(), Some("a b.css"));
        assert_eq!(site_path("/../etc/passwd"), None);
        assert_eq!(site_path("/a/%2e%2e/%2E%2E/etc"), None);
        assert_eq!(site_path("/..%2f..%2fetc"), None);
        assert_eq!(site_path("/..%5c..%5cetc"), None);
        assert_eq!(site_path("/C:/Windows"), None);
        // Decoded once: a doubly encoded `..` stays a harmless name.
        assert_eq!(site_path("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
        assert_eq!(site_path("/%ff"), None);
    }

    #[test]
    fn the_script_goes_before_the_body_ends() {
        let html = inject_live_script(b"<html><body><p>x</p></BODY></html>");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"/__verbatim/live.js\"></script>\n</BODY></html>"
        );
    }
}
