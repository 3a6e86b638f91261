// Run from a scratch project with the packed tarball installed: the package as a user gets it.
import { ready, backendInfo, entropy, softmaxCrossEntropy } from 'infokernel';

await ready();
const info = backendInfo();
const bits = entropy(new Float64Array([0.5, 0.5]), { base: 2 })[0];
const ce = softmaxCrossEntropy(new Float64Array([2, 1, 0.1]), new Int32Array([0]), { cols: 3 });
console.log('package smoke:', JSON.stringify(info), bits, ce);
if (info.backend === 'js' || bits !== 1 || Math.abs(ce - 0.4170300162778335) > 1e-12) {
  console.error('package smoke test failed');
  process.exit(1);
}
