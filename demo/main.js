import { ready, backendInfo, entropy, crossEntropy, klDivergence, oneHot } from 'infokernel';

const $ = (id) => document.getElementById(id);

// ---- backend badge
ready().then(() => {
  const info = backendInfo();
  $('info').textContent = `${info.backend}${info.threadsSupported ? ' · cross-origin isolated' : ''}`;
  if (info.reason) { $('info').classList.add('warn'); $('info').title = info.reason; }
});

// ---- benchmark in a worker
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
let running = false;
$('bench-form').addEventListener('submit', (e) => {
  e.preventDefault();
  if (running) return;
  running = true;
  $('run').disabled = true;
  $('progress').value = 0;
  worker.postMessage({ fn: $('fn').value, rows: +$('rows').value, cols: +$('cols').value, f32: $('f32').checked });
});
worker.onmessage = ({ data }) => {
  $('progress').value = data.progress;
  if (!data.results) return;
  running = false;
  $('run').disabled = false;
  document.body.dataset.benchDone = 'true';
  const js = data.results.find((r) => r.backend === 'js');
  const max = Math.max(...data.results.map((r) => r.melems));
  $('chart').replaceChildren(...data.results.map((r) => {
    const row = document.createElement('div');
    row.className = 'bar-row';
    row.innerHTML = `<span>${r.backend}</span><div class="bar ${r.backend}" style="width:${(100 * r.melems / max).toFixed(1)}%"></div><span>${r.melems.toFixed(0)} M values/s</span>`;
    return row;
  }));
  $('results').tBodies[0].replaceChildren(...data.results.map((r) => {
    const tr = document.createElement('tr');
    tr.innerHTML = `<td>${r.backend}</td><td>${r.ms.toFixed(2)} ms</td><td>${r.melems.toFixed(0)} M/s</td><td>${(r.melems / js.melems).toFixed(1)}x</td><td>${r.first.map((v) => v.toFixed(6)).join(', ')}</td>`;
    return tr;
  }));
  window.__bench = data.results;
};

// ---- interactive distributions
let k = 4;
let p = [0.5, 0.25, 0.15, 0.1];
let q = [0.25, 0.25, 0.25, 0.25];
const norm = (w) => { const s = w.reduce((a, b) => a + b, 0) || 1; return w.map((x) => x / s); };
const resize = (w, n) => norm(Array.from({ length: n }, (_, i) => w[i] ?? 0.1));

function drawBars(svg, weights, color) {
  const probs = norm(weights);
  const w = 320 / probs.length;
  svg.innerHTML = probs.map((v, i) => `<rect x="${i * w + 4}" y="${150 - v * 140}" width="${w - 8}" height="${v * 140}" fill="${color}" rx="2"></rect>`
    + `<text x="${i * w + w / 2}" y="${Math.max(12, 145 - v * 140)}" font-size="11" text-anchor="middle">${v.toFixed(2)}</text>`).join('');
}

function draggable(svg, get, set) {
  const update = (e) => {
    const box = svg.getBoundingClientRect();
    const x = (e.clientX - box.left) / box.width;
    const y = 1 - (e.clientY - box.top - box.height * 10 / 160) / (box.height * 140 / 160);
    const w = get();
    const i = Math.min(w.length - 1, Math.max(0, Math.floor(x * w.length)));
    const probs = norm(w);
    const target = Math.min(0.999, Math.max(0.001, y));
    // Set class i to `target`, scale the others to fill the rest.
    const rest = 1 - probs[i];
    set(probs.map((v, j) => (j === i ? target : rest > 0 ? (v * (1 - target)) / rest : (1 - target) / (w.length - 1))));
    render();
  };
  svg.addEventListener('pointerdown', (e) => { svg.setPointerCapture(e.pointerId); update(e); });
  svg.addEventListener('pointermove', (e) => { if (e.buttons) update(e); });
}

const fmt = (x) => (Number.isFinite(x) ? x.toFixed(4) : String(x));
function measures(el, rows) {
  el.innerHTML = rows.map(([name, v]) => `<dt>${name}</dt><dd>${fmt(v)} bits</dd>`).join('');
}

function render() {
  const P = Float64Array.from(norm(p));
  const Q = Float64Array.from(norm(q));
  drawBars($('p-svg'), p, '#4a90d9');
  drawBars($('q-svg'), q, '#2f7d4f');
  const bits = { base: 2, backend: 'js' };
  measures($('measures'), [
    ['H(p)', entropy(P, bits)[0]],
    ['H(q)', entropy(Q, bits)[0]],
    ['H(p, q) = −Σ p log q', crossEntropy(P, Q, bits)[0]],
    ['KL(p ‖ q)', klDivergence(P, Q, bits)[0]],
    ['KL(q ‖ p)', klDivergence(Q, P, bits)[0]],
    ['max H = log₂ k', Math.log2(k)],
  ]);
  const cls = Math.min(+$('class').value, k - 1);
  const s = +$('smoothing').value;
  const target = Float64Array.from(oneHot(new Int32Array([cls]), k, { smoothing: s }));
  drawBars($('s-svg'), Array.from(target), '#b5651d');
  measures($('smooth-measures'), [
    ['H(target)', entropy(target, bits)[0]],
    ['cross entropy H(target, p)', crossEntropy(target, P, bits)[0]],
    ['one-hot CE −log₂ p[class]', -Math.log2(P[cls])],
    ['KL(target ‖ p)', klDivergence(target, P, bits)[0]],
  ]);
}

$('classes').addEventListener('input', () => {
  k = +$('classes').value;
  $('classes-out').value = k;
  $('class').max = String(k - 1);
  p = resize(p, k);
  q = norm(Array(k).fill(1));
  render();
});
$('class').addEventListener('input', () => { $('class-out').value = $('class').value; render(); });
$('smoothing').addEventListener('input', () => { $('smoothing-out').value = (+$('smoothing').value).toFixed(2); render(); });
draggable($('p-svg'), () => p, (w) => { p = w; });
draggable($('q-svg'), () => q, (w) => { q = w; });
render();
