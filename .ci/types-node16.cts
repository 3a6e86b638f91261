// A TypeScript CommonJS file under module node16: the require condition's types must resolve.
import ik = require('infokernel');

async function main(): Promise<number> {
  await ik.ready({ wasmPaths: { scalar: '/x/infokernel.scalar.wasm' }, required: false });
  const info: ik.BackendInfo = ik.backendInfo();
  return ik.entropy(new Float64Array([0.5, 0.5]), { base: 2 })[0] + info.threads;
}
void main();
