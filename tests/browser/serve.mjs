// A small static file server for the tests: serves DIR under PREFIX on
// 127.0.0.1 (a free port), folders as their index.html, unknown paths as the
// site's 404.html with status 404, like a static host. Run directly to look
// at a site: node serve.mjs DIR [/prefix/] [port]
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".bin": "application/octet-stream",
  ".wav": "audio/wav",
  ".vtt": "text/vtt; charset=utf-8",
  ".srt": "application/x-subrip",
};

/**
 * Serves `dir` under `prefix` ("/" or "/interviews/"), with `headers` added
 * to every response; resolves to { url, close, stats }.
 */
export function serve(dir, prefix = "/", port = 0, headers = {}) {
  const root = path.resolve(dir);
  const stats = { bytes: 0, requests: [] };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    let rel = decodeURIComponent(url.pathname);
    const send = (status, file) => {
      const body = fs.readFileSync(file);
      stats.bytes += body.length;
      stats.requests.push({ path: url.pathname, status, bytes: body.length });
      res.writeHead(status, {
        "content-type": TYPES[path.extname(file)] || "application/octet-stream",
        "content-length": body.length,
        ...headers,
      });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    const notFound = () => {
      const page = path.join(root, "404.html");
      if (fs.existsSync(page)) return send(404, page);
      res.writeHead(404).end("not found");
    };
    if (!rel.startsWith(prefix)) {
      if (rel === prefix.slice(0, -1)) {
        res.writeHead(301, { location: prefix }).end();
        return;
      }
      return notFound();
    }
    let file = path.join(root, rel.slice(prefix.length));
    if (!file.startsWith(root)) return notFound();
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!rel.endsWith("/")) {
        res.writeHead(301, { location: url.pathname + "/" + url.search }).end();
        return;
      }
      file = path.join(file, "index.html");
    }
    if (!fs.existsSync(file)) return notFound();
    send(200, file);
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}${prefix}`,
        stats,
        close: () => new Promise((r) => server.close(r)),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, prefix = "/", port = "8000"] = process.argv.slice(2);
  serve(dir, prefix, Number(port)).then((s) => console.log(`Serving ${dir} at ${s.url}`));
}
