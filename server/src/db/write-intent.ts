/**
 * How many write transactions of this process are waiting or running, in memory shared with the
 * import's worker thread. SQLite has one writer: a worker that sees a writer here ends its batch
 * at the next row and waits, so a reply or a contact edit gets the lock within milliseconds
 * instead of queueing behind a long import batch on busy_timeout (which blocks the event loop).
 */
export const writeIntent = new Int32Array(new SharedArrayBuffer(4));

export function announceWrite(): void {
  Atomics.add(writeIntent, 0, 1);
}

export function writeDone(): void {
  if (Atomics.sub(writeIntent, 0, 1) === 1) Atomics.notify(writeIntent, 0);
}

/** In the worker: does a writer of the main thread want the lock? */
export const writersWaiting = (intent: Int32Array) => Atomics.load(intent, 0) > 0;

/** In the worker: waits (blocking this thread only) until no writer wants the lock, at most `maxMs`. */
export function waitForWriters(intent: Int32Array, maxMs: number): void {
  const until = Date.now() + maxMs;
  for (let n = Atomics.load(intent, 0); n > 0; n = Atomics.load(intent, 0)) {
    const left = until - Date.now();
    if (left <= 0) return;
    Atomics.wait(intent, 0, n, left);
  }
}
