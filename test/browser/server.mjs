// A tiny static server for the browser tests: 127.0.0.1 only, application/wasm for .wasm,
// COOP/COEP headers (cross-origin isolated, as a threads-ready page is), a pattern of paths
// to answer 404 (a missing .wasm), and optionally index.html for missing files (what SPA
// dev servers do, the case that used to give a raw "expected magic word" error).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.map': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml',
};

export async function serve(root) {
  const control = { block: null, spaFallback: false, isolate: true, requests: [] };
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    control.requests.push(path);
    const headers = control.isolate
      ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' }
      : { 'Cache-Control': 'no-store' };
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) { res.writeHead(403, headers).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      if (control.block && control.block.test(path)) throw new Error('blocked');
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      if (control.spaFallback) {
        res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end('<!doctype html><html><body>app</body></html>');
      } else {
        res.writeHead(404, headers).end('not found');
      }
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, control, close: () => new Promise((r) => server.close(r)) };
}
