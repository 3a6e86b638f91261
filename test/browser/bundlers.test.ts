// The packed package in each way a user ships it to a browser, run in Debian's Chromium
// (never a downloaded browser): a Vite build, a webpack build, an esbuild bundle (with the
// .wasm copied next to it, the README recipe) and a plain <script type="module"> with no
// import map. In each page: backendInfo() is wasm-simd, every backend gives exactly Node's
// results for the same seeded batch, a missing SIMD file gives wasm-scalar and one warning
// naming the URL, a missing everything gives js and the warning, and HTML served for the
// .wasm (an SPA fallback) says so. Then the README's CDN recipe: the unpacked package on a
// second origin laid out as jsDelivr serves it, imported by URL from a page on the first.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { serve } from './server.mjs';
import { compute } from './fixtures/compute.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const work = join(here, '.work');
const bin = (pkg: string, file: string) => join(root, 'node_modules', pkg, file);
/** Run a command; its stdout and stderr together (bundlers warn on either), throwing on failure. */
function exec(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  const output = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${output}`);
  return output;
}
const run = (args: string[], cwd: string) => exec(process.execPath, args, cwd);

type Report = {
  info: Record<string, unknown> & { backend: string };
  warnings: string[];
  results: Record<string, unknown>;
  ms: number;
  /** entropyAsync on a batch for the pool gave exactly entropy's result. */
  asyncSame: boolean;
  cores: number;
  error?: string;
  /** The browser's console warnings and errors (a blocked fetch is logged here, not thrown). */
  console: string[];
};

let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;
/** The CDN: a second origin serving the unpacked package under cdnPath (/npm/infokernel@<version>). */
let cdn: Awaited<ReturnType<typeof serve>>;
let cdnPath: string;
let nodeResults: Record<string, unknown>;
const buildLogs: Record<string, string> = {};

function fixture(name: string, specifier = 'infokernel'): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const f of ['index.html', 'compute.js']) copyFileSync(join(here, 'fixtures', f), join(dir, f));
  writeFileSync(join(dir, 'app.js'), readFileSync(join(here, 'fixtures/app.js'), 'utf8').replace("'infokernel'", `'${specifier}'`));
  return dir;
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/index.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // The package as npm pack ships it (dist/ already built), unpacked as npm install would.
  const tgz = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
  const pkg = join(work, 'node_modules/infokernel');
  mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['-xzf', join(work, tgz), '-C', pkg, '--strip-components=1']);

  // Vite: nothing to configure for a build.
  const vite = fixture('vite');
  buildLogs.vite = run([bin('vite', 'bin/vite.js'), 'build', '--base', './', '--outDir', 'dist', '--sourcemap', '--logLevel', 'warn'], vite);
  // webpack: asset/resource for new URL(..., import.meta.url) is built in; keep the file names.
  const webpack = fixture('webpack');
  writeFileSync(join(webpack, 'webpack.config.cjs'), `module.exports = {
  mode: 'production', entry: './app.js', devtool: false,
  output: { path: __dirname + '/dist', filename: 'main.js', assetModuleFilename: '[name][ext]' },
};\n`);
  buildLogs.webpack = run([bin('webpack-cli', 'bin/cli.js'), '--config', 'webpack.config.cjs'], webpack);
  writeFileSync(join(webpack, 'dist/index.html'), readFileSync(join(webpack, 'index.html'), 'utf8').replace('type="module" src="./app.js"', 'src="./main.js"'));
  // esbuild: bundle the app and the package's worker.js (a second entry point, as esbuild
  // does not follow new Worker(new URL(...))), then copy the .wasm files next to them.
  const esbuild = fixture('esbuild');
  buildLogs.esbuild = exec(bin('esbuild', 'bin/esbuild'), ['app.js', join(pkg, 'dist/backend/wasm/worker.js'), '--bundle', '--format=esm',
    '--outdir=dist', '--entry-names=[name]', '--log-level=warning'], esbuild);
  copyFileSync(join(esbuild, 'index.html'), join(esbuild, 'dist/index.html'));
  for (const f of readdirSync(join(pkg, 'dist/backend/wasm')).filter((n) => n.endsWith('.wasm'))) {
    copyFileSync(join(pkg, 'dist/backend/wasm', f), join(esbuild, 'dist', f));
  }
  // What the dev server of Vite 7 and older serves: the package pre-bundled by esbuild into
  // node_modules/.vite/deps/ (new URL(..., import.meta.url) kept, no .wasm beside it).
  const viteDev = fixture('vite-dev', '/vite-dev/node_modules/.vite/deps/infokernel.js');
  exec(bin('esbuild', 'bin/esbuild'), [join(pkg, 'dist/index.js'), '--bundle', '--format=esm',
    `--outfile=${join(viteDev, 'node_modules/.vite/deps/infokernel.js')}`, '--log-level=warning'], viteDev);
  // Plain ESM: the page imports dist/index.js by URL, no bundler, no import map.
  fixture('plain', '/node_modules/infokernel/dist/index.js');

  const ik = await import(join(pkg, 'dist/index.js'));
  await ik.ready({ required: true });
  nodeResults = Object.fromEntries(['js', 'wasm-scalar', 'wasm-simd'].map((b) => [b, compute(ik, b)]));

  server = await serve(work);
  // A CDN on a second origin: the package's files under /npm/infokernel@<version>/ with
  // Access-Control-Allow-Origin: * and application/wasm. The page, on the first origin, imports
  // the module by its full URL from a plain <script type="module">, as the README recipe does
  // (?wasmPaths=... first calls ready({ wasmPaths }) with it, the README's remedy).
  cdnPath = `/npm/infokernel@${JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version}`;
  cdn = await serve(pkg, { prefix: cdnPath, cdn: true });
  const cdnPage = join(work, 'cdn');
  mkdirSync(cdnPage, { recursive: true });
  copyFileSync(join(here, 'fixtures/compute.js'), join(cdnPage, 'compute.js'));
  writeFileSync(join(cdnPage, 'index.html'), `<!doctype html>
<html><head><meta charset="utf-8"><title>infokernel from a CDN</title><link rel="icon" href="data:,"></head>
<body>loading<script type="module">
  import * as ik from '${cdn.url}${cdnPath}/dist/index.js';
  import { report } from './compute.js';
  const wasmPaths = new URLSearchParams(location.search).get('wasmPaths');
  if (wasmPaths) await ik.ready({ wasmPaths });
  report(ik).then(
    (r) => { window.__report = r; document.body.textContent = JSON.stringify(r.info); },
    (err) => { window.__report = { error: String(err && err.stack || err) }; },
  );
</script></body></html>
`);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await cdn?.close();
});

async function open(path: string, opts: { block?: RegExp; spaFallback?: boolean; isolate?: boolean } = {}): Promise<Report> {
  server.control.isolate = opts.isolate ?? true;
  server.control.block = opts.block ?? null;
  server.control.spaFallback = opts.spaFallback ?? false;
  const page = await browser.newPage();
  const errors: string[] = [];
  const messages: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') messages.push(`${m.type()}: ${m.text()}`); });
  try {
    await page.goto(server.url + path);
    await page.waitForFunction(() => (window as unknown as { __report?: unknown }).__report !== undefined, null, { timeout: 60_000 });
    const r = await page.evaluate(() => (window as unknown as { __report: Report }).__report);
    expect(r.error, r.error).toBeUndefined();
    expect(errors).toEqual([]);
    return { ...r, console: messages };
  } finally {
    await page.close();
  }
}

/**
 * WASM results must be bit-identical to Node's (same module, same IEEE arithmetic). The JS
 * backend calls Math.log/Math.exp, which are not correctly rounded and differ by an ulp between
 * V8 versions (Node 20 vs Chromium): a relative 1e-14 there.
 */
function expectSame(got: unknown, want: unknown, backend: string): void {
  if (backend !== 'js') {
    expect(got, backend).toEqual(want);
    return;
  }
  const flat = (x: unknown): number[] => (typeof x === 'number' ? [x] : Object.values(x as object).flatMap(flat));
  const [g, w] = [flat(got), flat(want)];
  expect(g.length, backend).toBe(w.length);
  g.forEach((v, i) => v === w[i] || expect(Math.abs(v - w[i]), `js value ${i}: ${v} vs ${w[i]}`).toBeLessThanOrEqual(1e-14 * Math.abs(w[i])));
}

/** A page that is not cross-origin isolated: the async call for the pool warns once, then runs on one thread. */
const notIsolated = [expect.stringMatching(/^infokernel: entropyAsync: threads cannot run here: this page is not cross-origin isolated \(serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp\)/)];

const pages = { vite: '/vite/dist/', webpack: '/webpack/dist/', esbuild: '/esbuild/dist/', plain: '/plain/' };

describe.each(Object.entries(pages))('%s', (name, path) => {
  it('runs on wasm-simd, silently, with Node\'s exact results on every backend', async () => {
    const r = await open(path);
    expect(r.info).toMatchObject({ backend: 'wasm-simd', simd: true, reason: null, wasm: 'loaded', simdSupported: true, threadsSupported: true });
    expect(r.warnings).toEqual([]);
    // The bundle found the worker: a pool of the page's cores, and an async call agrees.
    expect(r.info.threads).toBe(r.cores);
    expect(r.asyncSame).toBe(true);
    for (const backend of ['js', 'wasm-scalar', 'wasm-simd']) expectSame(r.results[backend], nodeResults[backend], backend);
    console.log(`${name}: ${JSON.stringify(r.info.sources)}; 3 rounds on wasm-simd ${r.ms.toFixed(1)} ms`);
  });

  it('a missing threads file: wasm-simd from the SIMD file, on one thread', async () => {
    const r = await open(path, { block: /threads[^/]*\.wasm$/ });
    expect(r.info).toMatchObject({ backend: 'wasm-simd', wasm: 'loaded', threads: 1 });
    expect(r.asyncSame).toBe(true);
    expect(String((r.info.sources as { simd: string }).simd)).toMatch(/infokernel\.simd[^/]*\.wasm$/);
    expectSame(r.results['wasm-simd'], nodeResults['wasm-simd'], 'wasm-simd');
  });

  it('a missing SIMD file: wasm-scalar and one warning naming the URL', async () => {
    // Both SIMD builds: the threads build is the SIMD kernels over shared memory.
    const r = await open(path, { block: /(simd|threads)[^/]*\.wasm$/ });
    expect(r.info).toMatchObject({ backend: 'wasm-scalar', wasm: 'partial' });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/SIMD build did not load \(cannot fetch http:\/\/127\.0\.0\.1:\d+\/\S*simd\S*\.wasm: HTTP 404\)/);
    expectSame(r.results['wasm-scalar'], nodeResults['wasm-scalar'], 'wasm-scalar');
    expectSame(r.results.js, nodeResults.js, 'js');
  });

  it('missing everything: js and one warning naming both URLs', async () => {
    const r = await open(path, { block: /\.wasm$/ });
    expect(r.info).toMatchObject({ backend: 'js', wasm: 'failed' });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/simd\S*\.wasm: HTTP 404.*scalar\S*\.wasm: HTTP 404.*'js'/s);
    expectSame(r.results.js, nodeResults.js, 'js');
  });
});

describe('build output', () => {
  it('webpack: no "Critical dependency" warning; vite and esbuild: no warnings', () => {
    expect(buildLogs.webpack).not.toMatch(/Critical dependency|WARNING/);
    expect(buildLogs.vite).not.toMatch(/warn|sourcemap/i);
    expect(buildLogs.esbuild).toBe('');
  });

  it('HTML served for the .wasm (an SPA fallback) names the URL and says it is a page', async () => {
    const r = await open(pages.vite, { block: /(simd|threads)[^/]*\.wasm$/, spaFallback: true });
    expect(r.info.backend).toBe('wasm-scalar');
    expect(r.warnings[0]).toMatch(/simd\S*\.wasm is not a WebAssembly file \(it starts with 3c 21 64 6f, an HTML page/);
  });

  it('the Vite 6/7 dev server case (pre-bundled into node_modules/.vite/deps/, index.html for the .wasm) says to exclude it from optimizeDeps', async () => {
    const r = await open('/vite-dev/', { spaFallback: true });
    expect(r.info).toMatchObject({ backend: 'js', wasm: 'failed' });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/\/vite-dev\/node_modules\/\.vite\/deps\/infokernel\.simd\.wasm is not a WebAssembly file \(it starts with 3c 21 64 6f, an HTML page.*Vite 7 and older do\): add optimizeDeps: \{ exclude: \['infokernel'\] \} to vite\.config/);
  });

  it('threads are reported possible only in a cross-origin-isolated page', async () => {
    const r = await open(pages.plain, { isolate: false });
    expect(r.info).toMatchObject({ backend: 'wasm-simd', threadsSupported: false, threads: 1 });
    expect(r.asyncSame).toBe(true);
    expect(r.warnings).toEqual(notIsolated);
  });

  it('esbuild --platform=node bundles: ESM with the .wasm copied next to it, CommonJS with wasmPaths', () => {
    const dir = join(work, 'esbuild-node');
    mkdirSync(join(dir, 'out'), { recursive: true });
    const wasmDir = join(work, 'node_modules/infokernel/dist/backend/wasm');
    writeFileSync(join(dir, 'esm.js'), `import * as ik from 'infokernel';
await ik.ready({ required: true });
console.log(ik.backendInfo().backend, ik.entropy(new Float64Array([0.5, 0.5]), { base: 2 })[0]);\n`);
    writeFileSync(join(dir, 'cjs.js'), `const ik = require('infokernel');
ik.ready({ required: true, wasmPaths: ${JSON.stringify(wasmDir)} })
  .then(() => console.log(ik.backendInfo().backend, ik.entropy(new Float64Array([0.5, 0.5]), { base: 2 })[0],
    ik.backendInfo().threads === require('node:os').availableParallelism()));\n`);
    const esb = bin('esbuild', 'bin/esbuild');
    expect(exec(esb, ['esm.js', '--bundle', '--platform=node', '--format=esm', '--outfile=out/esm.mjs', '--log-level=warning'], dir)).toBe('');
    expect(exec(esb, ['cjs.js', '--bundle', '--platform=node', '--format=cjs', '--outfile=out/cjs.cjs', '--log-level=warning'], dir)).toBe('');
    for (const f of ['infokernel.simd.wasm', 'infokernel.scalar.wasm']) copyFileSync(join(wasmDir, f), join(dir, 'out', f));
    expect(run(['out/esm.mjs'], dir).trim()).toBe('wasm-simd 1');
    // wasmPaths names the package's wasm directory: the pool finds worker.js beside the threads build.
    expect(run(['out/cjs.cjs'], dir).trim()).toBe('wasm-simd 1 true');
  });
});

describe('CDN (the package on a second origin, imported by URL from a plain <script type="module">)', () => {
  const wasmUrl = (build: string) => `${cdn.url}${cdnPath}/dist/backend/wasm/infokernel.${build}.wasm`;
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  beforeEach(() => {
    Object.assign(cdn.control, { noCors: null, wasmType: null });
    cdn.control.requests.length = 0;
    server.control.requests.length = 0;
  });

  it('runs on wasm-simd with the .wasm fetched from the CDN, with Node\'s exact results; one thread and one warning (workers must be same-origin)', async () => {
    const r = await open('/cdn/');
    // The page is cross-origin isolated (COEP require-corp): the CDN's CORS headers let both the module and the .wasm in.
    expect(r.info).toMatchObject({ backend: 'wasm-simd', reason: null, wasm: 'loaded', threadsSupported: true,
      sources: { simd: wasmUrl('threads'), scalar: wasmUrl('scalar') } });
    // Browsers start workers only from the page's origin: one warning that says so, and one thread.
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(new RegExp(`threads cannot run here: the worker threads did not start \\(.*${esc(`${cdn.url}${cdnPath}/dist/backend/wasm/worker.js`)}` +
      `.*${esc(server.url)}.*browsers start workers only from the page's origin; serve infokernel's dist/ from it to use threads\\)`));
    expect(r.info.threads).toBe(1);
    expect(r.asyncSame).toBe(true);
    expect(r.console).toEqual(r.warnings.map((w) => `warning: ${w}`)); // nothing but the one warning
    for (const backend of ['js', 'wasm-scalar', 'wasm-simd']) expectSame(r.results[backend], nodeResults[backend], backend);
    expect(cdn.control.requests).toEqual(expect.arrayContaining([`${cdnPath}/dist/index.js`,
      `${cdnPath}/dist/backend/wasm/infokernel.threads.wasm`, `${cdnPath}/dist/backend/wasm/infokernel.scalar.wasm`]));
    expect(server.control.requests.filter((p) => p.endsWith('.wasm') || p.includes('/dist/'))).toEqual([]);
  });

  it('a .wasm served as application/octet-stream still runs on wasm-simd (the bytes are compiled, not streamed)', async () => {
    cdn.control.wasmType = 'application/octet-stream';
    const r = await open('/cdn/', { isolate: false });
    expect(r.info).toMatchObject({ backend: 'wasm-simd', wasm: 'loaded', sources: { simd: wasmUrl('simd') } });
    expect(r.warnings).toEqual(notIsolated);
    expect(r.console).toEqual(r.warnings.map((w) => `warning: ${w}`)); // nothing but the one warning
  });

  it('no CORS header on the .wasm: js and one warning naming both URLs; ready({ wasmPaths }) to a same-origin copy fixes it', async () => {
    cdn.control.noCors = /\.wasm$/;
    const r = await open('/cdn/', { isolate: false });
    expect(r.info).toMatchObject({ backend: 'js', wasm: 'failed', sources: { simd: null, scalar: null } });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(new RegExp(`SIMD build did not load \\(cannot fetch ${esc(wasmUrl('simd'))}: Failed to fetch\\).*` +
      `scalar build did not load \\(cannot fetch ${esc(wasmUrl('scalar'))}: Failed to fetch\\).*'js'.*wasmPaths`, 's'));
    // Chromium says why in the console; the page cannot see the reason (fetch only rejects with "Failed to fetch").
    expect(r.console.filter((m) => /blocked by CORS policy: No 'Access-Control-Allow-Origin'/.test(m))).toHaveLength(2);
    expectSame(r.results.js, nodeResults.js, 'js');

    const fixed = await open(`/cdn/?wasmPaths=${encodeURIComponent('/node_modules/infokernel/dist/backend/wasm/')}`, { isolate: false });
    expect(fixed.info).toMatchObject({ backend: 'wasm-simd', wasm: 'loaded',
      sources: { simd: `${server.url}/node_modules/infokernel/dist/backend/wasm/infokernel.simd.wasm` } });
    expect(fixed.warnings).toEqual(notIsolated);
    expect(fixed.console).toEqual(fixed.warnings.map((w) => `warning: ${w}`));
    expectSame(fixed.results['wasm-simd'], nodeResults['wasm-simd'], 'wasm-simd');
  });
});
