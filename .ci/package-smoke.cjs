// The CommonJS entry, as Node 20.0+ (no require(esm) before 20.19) and Jest's CJS mode load it.
const { ready, backendInfo, entropy, softmaxCrossEntropy } = require('infokernel');
const pkg = require('infokernel/package.json');
const { readFileSync } = require('node:fs');
// The .wasm files are exported: resolvable for copying, or for ready({ wasmBinary }).
for (const build of ['simd', 'scalar']) {
  const bytes = readFileSync(require.resolve(`infokernel/infokernel.${build}.wasm`));
  if (bytes.readUInt32BE(0) !== 0x0061736d) throw new Error(`infokernel/infokernel.${build}.wasm is not WASM`);
}

ready({ required: true }).then(() => {
  const info = backendInfo();
  const bits = entropy(new Float64Array([0.5, 0.5]), { base: 2 })[0];
  const ce = softmaxCrossEntropy(new Float64Array([2, 1, 0.1]), new Int32Array([0]), { cols: 3 });
  console.log('package smoke (require):', pkg.version, JSON.stringify(info), bits, ce);
  if (info.backend !== 'wasm-simd' || bits !== 1 || Math.abs(ce - 0.4170300162778335) > 1e-12) {
    console.error('CommonJS package smoke test failed');
    process.exit(1);
  }
});
