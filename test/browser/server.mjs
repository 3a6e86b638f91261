// A tiny static server for the browser tests: 127.0.0.1 only, application/wasm for .wasm,
// COOP/COEP headers (cross-origin isolated, as a threads-ready page is), a pattern of paths
// to answer 404 (a missing .wasm), and optionally index.html for missing files (what SPA
// dev servers do, the case that used to give a raw "expected magic word" error).
//
// As a CDN (serve(root, { prefix: '/npm/infokernel@0.1.0', cdn: true })): the files under a
// path prefix, no COOP/COEP, `Access-Control-Allow-Origin: *` and
// `Cross-Origin-Resource-Policy: cross-origin` as jsDelivr and unpkg send, except on paths
// matching control.noCors; control.wasmType overrides the .wasm Content-Type.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.map': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml',
};

export async function serve(root, { prefix = '', cdn = false } = {}) {
  const control = { block: null, spaFallback: false, isolate: !cdn, noCors: null, wasmType: null, requests: [] };
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    control.requests.push(path);
    const headers = control.isolate
      ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' }
      : { 'Cache-Control': 'no-store' };
    if (cdn && !(control.noCors && control.noCors.test(path))) {
      Object.assign(headers, { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' });
    }
    if (!path.startsWith(prefix + '/')) { res.writeHead(404, headers).end('not found'); return; }
    let file = normalize(join(root, path.slice(prefix.length)));
    if (!file.startsWith(root)) { res.writeHead(403, headers).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      if (control.block && control.block.test(path)) throw new Error('blocked');
      const body = await readFile(file);
      const type = extname(file) === '.wasm' && control.wasmType ? control.wasmType : TYPES[extname(file)];
      res.writeHead(200, { ...headers, 'Content-Type': type ?? 'application/octet-stream' }).end(body);
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
