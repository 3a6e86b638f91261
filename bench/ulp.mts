// Exhaustive ulp error of the f32 vector log (every positive finite f32) and exp (every
// f32 in [-104, 89]) against Math.log / Math.exp in f64, for both WASM builds.
// Usage: npx tsx bench/ulp.mts [simd|scalar]     (takes a few minutes per build)
import { raw } from '../test/support/raw.js';
import { ulpF32 } from '../test/support/ulp.js';

const builds = (process.argv[2] ? [process.argv[2]] : ['simd', 'scalar']) as ('simd' | 'scalar')[];
const BLOCK = 1 << 20;

function sweep(call: (x: Float32Array) => Float32Array | Float64Array, f: (x: number) => number, from: number, to: number) {
  // from/to: f32 bit patterns, inclusive from, exclusive to, walked in order
  const bits = new Uint32Array(BLOCK);
  const xs = new Float32Array(bits.buffer);
  const hist = [0, 0, 0, 0, 0]; // <=0.5, <=1, <=2, <=3, >3
  let worst = 0, worstX = NaN, overflows = 0, wrongOverflows = 0;
  for (let b = from; b < to; b += BLOCK) {
    const n = Math.min(BLOCK, to - b);
    for (let i = 0; i < n; i++) bits[i] = b + i;
    const got = call(n === BLOCK ? xs : xs.subarray(0, n));
    for (let i = 0; i < n; i++) {
      const t = f(xs[i]);
      if (!Number.isFinite(t) || t === 0) continue;
      if (Math.abs(t) > 3.4028235677973366e38) { // the f32 result must round to Infinity
        overflows++;
        if (got[i] !== Infinity * Math.sign(t)) wrongOverflows++;
        continue;
      }
      const u = Math.abs(got[i] - t) / ulpF32(t);
      hist[u <= 0.5 ? 0 : u <= 1 ? 1 : u <= 2 ? 2 : u <= 3 ? 3 : 4]++;
      if (u > worst) { worst = u; worstX = xs[i]; }
    }
  }
  return { worst, worstX, hist, overflows, wrongOverflows };
}

const bitsOf = (x: number) => new Uint32Array(new Float32Array([x]).buffer)[0];
for (const build of builds) {
  const r = await raw(build);
  const log = sweep((x) => r.call('log', x), Math.log, 1, 0x7f800000);
  console.log(`${build} log f32, every positive finite f32: max ${log.worst.toFixed(3)} ulp at x = ${log.worstX}; ulp histogram <=0.5/<=1/<=2/<=3/>3: ${log.hist.join(' / ')}`);
  const pos = sweep((x) => r.call('exp', x), Math.exp, 0, bitsOf(89) + 1);
  const neg = sweep((x) => r.call('exp', x), Math.exp, 0x80000000, bitsOf(-104) + 1);
  const worst = pos.worst > neg.worst ? pos : neg;
  console.log(`${build} exp f32, every f32 in [-104, 89]: max ${worst.worst.toFixed(3)} ulp at x = ${worst.worstX}; histogram: ${pos.hist.map((h, i) => h + neg.hist[i]).join(' / ')}; ${pos.overflows} inputs overflow f32, ${pos.wrongOverflows} of them not to +Infinity`);
}
