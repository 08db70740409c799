/**
 * Write hand-over between this process's main thread and an import's worker thread, in shared
 * memory. SQLite has one writer, and a main-thread write that meets the worker's lock would wait
 * in SQLite's busy handler: synchronously, blocking the event loop, and waking on its own sleep
 * schedule (1, 2, 5, 10, 15 … ms) rather than when the lock frees. Instead:
 * - slot WAITING counts the main thread's write transactions waiting or running; a worker that
 *   sees one ends its batch at the next row, commits, and stands aside until the count is 0;
 * - slot HOLDING is 1 while the worker has a write transaction open; the main thread awaits its
 *   release with Atomics.waitAsync (the event loop keeps serving) before asking for the lock.
 */
const WAITING = 0;
const HOLDING = 1;

interface AtomicsWaitAsync {
  waitAsync(a: Int32Array, index: number, value: number, timeoutMs: number): { async: false; value: string } | { async: true; value: Promise<string> };
}

/** Shared memory for one hand-over (the process's own below; tests make their own). */
export const newWriteIntent = () => new Int32Array(new SharedArrayBuffer(8));

export const writeIntent = newWriteIntent();

/** Longest the main thread waits for a worker's transaction before trying the lock anyway. */
const HANDOVER_MAX_MS = 2000;

/** Main thread, before its write transaction: announce it, then let a worker's open batch commit. */
export async function announceWrite(intent = writeIntent): Promise<void> {
  Atomics.add(intent, WAITING, 1);
  if (Atomics.load(intent, HOLDING) !== 1) return;
  // Atomics.waitAsync is in Node 16+; TypeScript types it from lib es2024 on.
  const r = (Atomics as unknown as AtomicsWaitAsync).waitAsync(intent, HOLDING, 1, HANDOVER_MAX_MS);
  if (r.async) await r.value;
}

export function writeDone(intent = writeIntent): void {
  if (Atomics.sub(intent, WAITING, 1) === 1) Atomics.notify(intent, WAITING);
}

/** In the worker: does a writer of the main thread want the lock? */
export const writersWaiting = (intent: Int32Array) => Atomics.load(intent, WAITING) > 0;

/** In the worker: around each write transaction, so the main thread knows when the lock frees. */
export function holding(intent: Int32Array, on: boolean): void {
  Atomics.store(intent, HOLDING, on ? 1 : 0);
  if (!on) Atomics.notify(intent, HOLDING);
}

/** In the worker: waits (blocking this thread only) until no writer wants the lock, at most `maxMs`. */
export function waitForWriters(intent: Int32Array, maxMs: number): void {
  const until = Date.now() + maxMs;
  for (let n = Atomics.load(intent, WAITING); n > 0; n = Atomics.load(intent, WAITING)) {
    const left = until - Date.now();
    if (left <= 0) return;
    Atomics.wait(intent, WAITING, n, left);
  }
}
