import { closeSync, existsSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * The contact ids a bulk job works on, fixed when it starts, in a file of 8-byte little-endian
 * numbers beside the job (DATA_DIR/jobs/<id>/targets.bin). A file, not the checkpoint: a
 * million ids would be rewritten with every batch's checkpoint; here the checkpoint is just how
 * many are done, and a batch reads its slice by offset.
 */
const WIDTH = 8;

/** Writes the ids page by page as the transaction reads them (one snapshot of the selection); returns how many. */
export async function writeSnapshot(path: string, pages: AsyncIterable<number[]>): Promise<number> {
  const fd = openSync(path, 'w');
  let count = 0;
  try {
    for await (const ids of pages) {
      const buf = Buffer.allocUnsafe(ids.length * WIDTH);
      ids.forEach((id, i) => buf.writeDoubleLE(id, i * WIDTH));
      writeSync(fd, buf, 0, buf.length, count * WIDTH);
      count += ids.length;
    }
  } finally {
    closeSync(fd);
  }
  return count;
}

/** Up to `limit` ids starting at position `from` (none when the file is gone). */
export function readSnapshot(path: string, from: number, limit: number): number[] {
  if (!existsSync(path)) return [];
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(limit * WIDTH);
    const bytes = readSync(fd, buf, 0, buf.length, from * WIDTH);
    return Array.from({ length: Math.floor(bytes / WIDTH) }, (_, i) => buf.readDoubleLE(i * WIDTH));
  } finally {
    closeSync(fd);
  }
}
