import { beforeAll } from 'vitest';
import { ready, backendInfo } from '../../src/index.js';

export const BACKENDS = ['js', 'wasm-scalar', 'wasm-simd'] as const;
export type TestBackend = (typeof BACKENDS)[number];

/** Load WASM before the file's tests, and insist it loaded: a test must not silently fall back to JS. */
export function useWasm(): void {
  beforeAll(async () => {
    await ready();
    if (backendInfo().backend !== 'wasm-simd') throw new Error(`WASM-SIMD did not load: ${JSON.stringify(backendInfo())}`);
  });
}
