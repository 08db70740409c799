// Entry of the import's worker thread. The server runs TypeScript through tsx, whose loader a
// worker thread does not inherit; registering it here lets the worker import worker.ts and the
// modules it shares with the server (row validation, the writer, the outbox).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
