import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Config } from '../../config.ts';

/** DATA_DIR/jobs/<id>/: a job's input and result files, created on first use. */
export function jobDir(config: Pick<Config, 'dataDir'>, jobId: number): string {
  const dir = join(config.dataDir, 'jobs', String(jobId));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A file of the job; only a bare name is accepted, so no caller can escape the job's directory. */
export function jobFile(config: Pick<Config, 'dataDir'>, jobId: number, name: string): string {
  if (basename(name) !== name || name === '..' || name === '.') throw new Error(`not a plain file name: ${name}`);
  return join(jobDir(config, jobId), name);
}
