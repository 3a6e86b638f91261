// A minimal ONNX ModelProto encoder (hand-written protobuf, no dependency) and the graphs the
// benchmark runs on onnxruntime-web. Only the handful of fields these graphs need are encoded;
// field numbers are from onnx/onnx.proto (IR version 8, opset 18, where every Reduce* op takes
// its axes as an input tensor).
//
// Why hand-written: the wire format needs varints, length-delimited fields and fixed32 floats,
// about 40 lines; protobufjs would need the .proto schema text or a generated module, and
// onnx-proto ships a generated module that lags the ONNX schema. Nothing here is loaded from
// outside the bench.

// ---- protobuf wire format ----

class Writer {
  private bytes: number[] = [];

  /** unsigned varint (non-negative safe integers) */
  private varint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`varint ${v}`);
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
  }

  private key(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  int(field: number, v: number): this {
    this.key(field, 0);
    this.varint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.key(field, 5);
    const b = new Uint8Array(new Float32Array([v]).buffer);
    this.bytes.push(...b);
    return this;
  }

  bytesField(field: number, data: Uint8Array): this {
    this.key(field, 2);
    this.varint(data.length);
    for (const x of data) this.bytes.push(x);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }

  message(field: number, m: Writer): this {
    return this.bytesField(field, m.finish());
  }

  /** packed repeated varints (int64 lists such as dims) */
  packed(field: number, vs: number[]): this {
    const inner = new Writer();
    for (const v of vs) inner.varint(v);
    return this.bytesField(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

// ---- ONNX messages (field numbers from onnx.proto) ----

/** TensorProto.DataType */
export const FLOAT = 1;
export const INT32 = 6;
export const INT64 = 7;

/** A dimension: a number, or a symbolic name (dim_param) for a batch axis. */
type Dim = number | string;

interface Value { name: string; type: number; shape: Dim[] }
interface Node { op: string; inputs: string[]; outputs: string[]; attrs?: Record<string, number> }
interface Init { name: string; type: typeof INT64 | typeof FLOAT; dims: number[]; values: number[] }

function valueInfo(v: Value): Writer {
  const shape = new Writer();
  for (const d of v.shape) {
    shape.message(1, typeof d === 'number' ? new Writer().int(1, d) : new Writer().string(2, d)); // Dimension: dim_value 1, dim_param 2
  }
  const tensorType = new Writer().int(1, v.type).message(2, shape); // TypeProto.Tensor: elem_type 1, shape 2
  return new Writer().string(1, v.name).message(2, new Writer().message(1, tensorType)); // ValueInfoProto: name 1, type 2 (TypeProto.tensor_type 1)
}

function node(n: Node, i: number): Writer {
  const w = new Writer();
  for (const s of n.inputs) w.string(1, s);
  for (const s of n.outputs) w.string(2, s);
  w.string(3, `${n.op}_${i}`).string(4, n.op);
  for (const [name, v] of Object.entries(n.attrs ?? {})) {
    w.message(5, new Writer().string(1, name).int(20, 2).int(3, v)); // AttributeProto: name 1, type 20 (INT = 2), i 3
  }
  return w;
}

function initializer(t: Init): Writer {
  const w = new Writer().packed(1, t.dims).int(2, t.type).string(8, t.name); // dims 1, data_type 2, name 8
  if (t.type === INT64) w.packed(7, t.values); // int64_data 7 (non-negative values only here)
  else {
    const raw = new Uint8Array(new Float32Array(t.values).buffer);
    w.bytesField(9, raw); // raw_data 9 (little-endian)
  }
  return w;
}

export interface Graph {
  inputs: Value[];
  outputs: Value[];
  nodes: Node[];
  inits?: Init[];
}

/** Serialise a graph as a ModelProto (IR 8, default-domain opset 18). */
export function encodeModel(g: Graph, name = 'bench'): Uint8Array {
  const graph = new Writer();
  g.nodes.forEach((n, i) => graph.message(1, node(n, i))); // GraphProto.node 1
  graph.string(2, name); // name 2
  for (const t of g.inits ?? []) graph.message(5, initializer(t)); // initializer 5
  for (const v of g.inputs) graph.message(11, valueInfo(v)); // input 11
  for (const v of g.outputs) graph.message(12, valueInfo(v)); // output 12
  return new Writer()
    .int(1, 8) // ir_version
    .string(2, 'infokernel-bench') // producer_name
    .message(7, graph) // graph
    .message(8, new Writer().string(1, '').int(2, 18)) // opset_import: domain '', version 18
    .finish();
}

// ---- the benchmark graphs: x is [N, C] float; every output is one float per row, [N] ----

const AXIS1: Init = { name: 'axis1', type: INT64, dims: [1], values: [1] };
const TINY: Init = { name: 'tiny', type: FLOAT, dims: [], values: [1.4e-45] }; // smallest f32 subnormal

/** H(p) = -sum p log max(p, tiny): 0 log 0 = 0 without a NaN from 0 * -Infinity. */
export function entropyGraph(cols: number): Uint8Array {
  return encodeModel({
    inputs: [{ name: 'p', type: FLOAT, shape: ['N', cols] }],
    outputs: [{ name: 'h', type: FLOAT, shape: ['N'] }],
    inits: [AXIS1, TINY],
    nodes: [
      { op: 'Max', inputs: ['p', 'tiny'], outputs: ['pc'] },
      { op: 'Log', inputs: ['pc'], outputs: ['lp'] },
      { op: 'Mul', inputs: ['p', 'lp'], outputs: ['t'] },
      { op: 'ReduceSum', inputs: ['t', 'axis1'], outputs: ['s'], attrs: { keepdims: 0 } },
      { op: 'Neg', inputs: ['s'], outputs: ['h'] },
    ],
  });
}

/** D(p||q) = sum p (log max(p, tiny) - log q). */
export function klGraph(cols: number): Uint8Array {
  return encodeModel({
    inputs: [{ name: 'p', type: FLOAT, shape: ['N', cols] }, { name: 'q', type: FLOAT, shape: ['N', cols] }],
    outputs: [{ name: 'd', type: FLOAT, shape: ['N'] }],
    inits: [AXIS1, TINY],
    nodes: [
      { op: 'Max', inputs: ['p', 'tiny'], outputs: ['pc'] },
      { op: 'Log', inputs: ['pc'], outputs: ['lp'] },
      { op: 'Log', inputs: ['q'], outputs: ['lq'] },
      { op: 'Sub', inputs: ['lp', 'lq'], outputs: ['r'] },
      { op: 'Mul', inputs: ['p', 'r'], outputs: ['t'] },
      { op: 'ReduceSum', inputs: ['t', 'axis1'], outputs: ['d'], attrs: { keepdims: 0 } },
    ],
  });
}

/**
 * Softmax cross entropy per row with class indices y ([N, 1] int32):
 * 'fused'  -GatherElements(LogSoftmax(x), y);
 * 'manual' m = ReduceMax(x), l = Log(ReduceSum(Exp(x - m))) + m, loss = l - GatherElements(x, y).
 */
export function softmaxCrossEntropyGraph(cols: number, form: 'fused' | 'manual'): Uint8Array {
  const io = {
    inputs: [{ name: 'x', type: FLOAT, shape: ['N', cols] }, { name: 'y', type: INT32, shape: ['N', 1] }],
    outputs: [{ name: 'loss', type: FLOAT, shape: ['N'] }],
  };
  if (form === 'fused') {
    return encodeModel({
      ...io,
      inits: [AXIS1],
      nodes: [
        { op: 'LogSoftmax', inputs: ['x'], outputs: ['ls'], attrs: { axis: 1 } },
        { op: 'GatherElements', inputs: ['ls', 'y'], outputs: ['g'], attrs: { axis: 1 } },
        { op: 'Squeeze', inputs: ['g', 'axis1'], outputs: ['gs'] },
        { op: 'Neg', inputs: ['gs'], outputs: ['loss'] },
      ],
    });
  }
  return encodeModel({
    ...io,
    inits: [AXIS1],
    nodes: [
      { op: 'ReduceMax', inputs: ['x', 'axis1'], outputs: ['m'], attrs: { keepdims: 1 } },
      { op: 'Sub', inputs: ['x', 'm'], outputs: ['zm'] },
      { op: 'Exp', inputs: ['zm'], outputs: ['e'] },
      { op: 'ReduceSum', inputs: ['e', 'axis1'], outputs: ['s'], attrs: { keepdims: 1 } },
      { op: 'Log', inputs: ['s'], outputs: ['ls'] },
      { op: 'GatherElements', inputs: ['zm', 'y'], outputs: ['g'], attrs: { axis: 1 } },
      { op: 'Sub', inputs: ['ls', 'g'], outputs: ['l2'] },
      { op: 'Squeeze', inputs: ['l2', 'axis1'], outputs: ['loss'] },
    ],
  });
}

/** Entropy of softmax(x) per row: -sum exp(l) l with l = LogSoftmax(x). */
export function softmaxEntropyGraph(cols: number): Uint8Array {
  return encodeModel({
    inputs: [{ name: 'x', type: FLOAT, shape: ['N', cols] }],
    outputs: [{ name: 'h', type: FLOAT, shape: ['N'] }],
    inits: [AXIS1],
    nodes: [
      { op: 'LogSoftmax', inputs: ['x'], outputs: ['ls'], attrs: { axis: 1 } },
      { op: 'Exp', inputs: ['ls'], outputs: ['p'] },
      { op: 'Mul', inputs: ['p', 'ls'], outputs: ['t'] },
      { op: 'ReduceSum', inputs: ['t', 'axis1'], outputs: ['s'], attrs: { keepdims: 0 } },
      { op: 'Neg', inputs: ['s'], outputs: ['h'] },
    ],
  });
}
