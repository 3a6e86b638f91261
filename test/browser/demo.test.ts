// The demo page (demo/, Vite), built and opened in Debian's Chromium: the benchmark runs in
// its worker on js, wasm-scalar and wasm-simd, dragging a bar changes the measures, and the
// screenshot is not blank. UPDATE_SCREENSHOT=1 also writes it to docs/demo.png (the README's).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { serve } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const out = join(here, '.work-demo');

let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'demo/vite.config.js',
    '--outDir', join(out, 'demo'), '--logLevel', 'warn'], { cwd: root, stdio: 'pipe' });
  server = await serve(out);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('benchmarks every backend in a worker, reacts to a drag, and renders a non-blank page', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/demo/`);
  await page.waitForFunction(() => document.getElementById('info')?.textContent?.startsWith('wasm-simd'));
  expect(await page.textContent('#info')).toContain('cross-origin isolated');

  const before = await page.textContent('#measures');
  const box = (await page.locator('#p-svg').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.8);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.3, { steps: 4 });
  await page.mouse.up();
  expect(await page.textContent('#measures')).not.toBe(before);

  await page.fill('#rows', '20000');
  await page.fill('#cols', '100');
  await page.click('#run');
  await page.waitForFunction(() => document.body.dataset.benchDone === 'true', null, { timeout: 120_000 });
  const bench = await page.evaluate(() => (window as unknown as { __bench: { backend: string; melems: number; first: number[] }[] }).__bench);
  expect(bench.map((r) => r.backend)).toEqual(['js', 'wasm-scalar', 'wasm-simd']);
  for (const r of bench) expect(r.first[0]).toBeCloseTo(bench[0].first[0], 5);
  console.log(`demo, entropy 20000 x 100 f32 in Chromium: ${bench.map((r) => `${r.backend} ${r.melems.toFixed(0)} M values/s`).join(', ')}; wasm-simd/js ${(bench[2].melems / bench[0].melems).toFixed(1)}x`);

  const png = await page.screenshot({ path: join(out, 'demo.png'), fullPage: true });
  if (process.env.UPDATE_SCREENSHOT) copyFileSync(join(out, 'demo.png'), join(root, 'docs/demo.png'));
  // Non-blank: decode the screenshot in the page and count distinct colours.
  const colours = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4 * 7) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  }, png.toString('base64'));
  expect(colours).toBeGreaterThan(50);
  expect(errors).toEqual([]);
  await page.close();
});
