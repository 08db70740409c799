import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { AppError, diskFull, isDiskFull, validation } from '../../lib/errors.ts';
import { EncodingError, Utf8Check } from './encoding.ts';

export interface Upload {
  path: string;
  fileName: string;
  size: number;
}

const fileIssue = (message: string) => validation([{ path: 'file', message }], `file: ${message}`);

export const formatSize = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : bytes < 1024 ** 3 ? `${(bytes / 1024 ** 2).toFixed(1)} MB` : `${(bytes / 1024 ** 3).toFixed(2)} GB`;

/**
 * Streams the request's `file` part to DATA_DIR/jobs/uploads/ through the UTF-8 check: the file
 * is never held in memory, and a file over IMPORT_MAX_MB or not UTF-8 is refused (and removed)
 * as soon as the offending byte arrives.
 */
export async function receiveUpload(request: FastifyRequest, config: Config): Promise<Upload> {
  if (!request.isMultipart()) throw fileIssue('send the CSV as multipart/form-data with one part named "file"');
  const part = await request.file({ limits: { fileSize: config.importMaxBytes, files: 1, fields: 10, parts: 20 } });
  if (!part) throw fileIssue('is missing: send the CSV in a part named "file"');
  if (part.fieldname !== 'file') {
    part.file.resume();
    throw fileIssue(`is missing: the upload's part is named "${part.fieldname}", expected "file"`);
  }
  const dir = join(config.dataDir, 'jobs', 'uploads');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${randomUUID()}.csv`);
  const limitMb = Math.round(config.importMaxBytes / 1024 / 1024);
  const tooLarge = () =>
    new AppError('payload_too_large', `file: larger than the import limit of ${limitMb.toLocaleString('en-US')} MB (IMPORT_MAX_MB)`, [
      { path: 'file', message: `must be at most ${limitMb} MB` },
    ]);
  const out = createWriteStream(path);
  try {
    await pipeline(part.file, new Utf8Check(), out);
  } catch (err) {
    // The stream opens its file asynchronously: remove it only once it is closed, or it reappears.
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    rmSync(path, { force: true });
    if (err instanceof EncodingError) throw new AppError('unprocessable', `file: ${err.message}`, [{ path: 'file', message: err.message }]);
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if (isDiskFull(err)) {
      // Drain what the client still sends, or it sees a reset instead of the answer.
      part.file.resume();
      throw diskFull('file', 'the upload');
    }
    throw err;
  }
  if (part.file.truncated) {
    rmSync(path, { force: true });
    throw tooLarge();
  }
  const fileName = (part.filename || 'upload.csv').replace(/[\r\n"\\/]/g, '_').slice(0, 200);
  return { path, fileName, size: statSync(path).size };
}
