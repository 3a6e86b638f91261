// onnxruntime-web in its own worker_thread, for the multi-thread column of the bench.
//
// ort.env.wasm.numThreads is process-wide per JS realm and fixed when ORT's WASM starts; with it
// above 1 even a session with intraOpNumThreads: 1 keeps a second thread busy (measured per thread
// from /proc: the work splits over the main thread and a pthread). So the bench runs the 1-thread
// column in the main realm with numThreads = 1, and the N-thread column here, in a realm of its
// own with numThreads = N. Plain JS so the worker needs no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-web';

ort.env.logLevel = 'error';
ort.env.wasm.numThreads = workerData.threads;

let session = null;
let feeds = null;

parentPort.on('message', async (m) => {
  try {
    if (m.type === 'create') {
      session = await ort.InferenceSession.create(m.model, m.options);
      feeds = {};
      for (const [name, { type, data, dims }] of Object.entries(m.inputs)) feeds[name] = new ort.Tensor(type, data, dims);
      parentPort.postMessage({ ok: true, version: ort.env.versions?.web });
    } else if (m.type === 'run') {
      // fresh tensors each call, as in the main realm (they wrap the same arrays, no copy)
      const f = {};
      for (const [name, t] of Object.entries(feeds)) f[name] = new ort.Tensor(t.type, t.data, t.dims);
      const r = await session.run(f);
      const out = r[m.output].data;
      parentPort.postMessage({ ok: true, data: m.wantData ? out : null });
    } else if (m.type === 'release') {
      await session?.release();
      session = null;
      feeds = null;
      parentPort.postMessage({ ok: true });
    }
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String(e?.message ?? e) });
  }
});
