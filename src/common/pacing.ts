import { setImmediate } from 'node:timers/promises';

/**
 * How long a long piece of work (checking a 20,000-row upload) may hold the event loop before it lets
 * timers, I/O and other requests run: health checks and sockets stay answered within a few ms of it.
 */
export const SLICE_MS = 5;

/**
 * For loops over many items: call `pause()` once per item and await what it returns; it is a real
 * turn of the event loop (setImmediate, after pending I/O) once `sliceMs` have passed since the last
 * one, and undefined (no wait at all) otherwise — so small inputs pay nothing.
 */
export function pacer(sliceMs = SLICE_MS): () => Promise<void> | undefined {
  let sliceStart = performance.now();
  return () => {
    if (performance.now() - sliceStart < sliceMs) return undefined;
    return setImmediate().then(() => {
      sliceStart = performance.now();
    });
  };
}
