// Import benchmark: how fast a CSV import runs and how much memory it takes, against a bare
// better-sqlite3 loop inserting the same rows into the same schema.
//
//   npm run bench:import -- [--sizes 100k,1m] [--batch 2000] [--bare-batch 2000] [--write] [--keep]
//                           [--fanout-sockets 50] [--fanout-rate 5] [--fanout-idle 30] [--no-bare]
//
// For each size: bench/import/generate.ts writes /tmp/sb-import-<size>.csv (realistic columns:
// names in several scripts, phones in mixed formats, email, tags, five custom fields; ~2% bad
// rows). The real server (server/src/server.ts as `npm start` runs it, fresh DATA_DIR with the
// demo seed, IMPORT_BATCH_ROWS=--batch) gets the file through POST /imports (multipart, streamed)
// and POST /imports/:id/start, as the console sends them; the driver polls the job until it ends.
//   rows/s  rows read ÷ (finishedAt − startedAt) of the job.
//   RSS     the server process's VmRSS (main thread + import worker), sampled every 50 ms from
//           /proc; growth = peak during the job − the value just before the start; RssAnon (its
//           own allocations, without mapped files) the same way.
//   loop    the server's event-loop delay while the job runs (bench/realtime/server-preload.ts)
//           and the latency of GET /api/health probes every 100 ms: idle vs during the import.
//   fan-out (bench/import/fanout.ts) --fanout-sockets socket.io-client sockets in this process, on
//           the benchmark's session, connected after the upload as the console connects; inbound
//           messages (POST /api/inbound/messages, API key) at --fanout-rate per second round robin
//           over 20 contacts (warmed up first); latency per (socket, message) = receipt of its
//           `message:created` − the 202. Idle window: --fanout-idle seconds before the start (the
//           idle health probes run inside it); during: the import's start → finished. Target: p99
//           during ≤ 2 × p99 idle, no delivery lost. The import figures include this traffic;
//           --fanout-sockets 0 leaves it out.
// Bare loop: the same file parsed and validated in this process beforehand (not timed), then
// inserted with prepared statements, --bare-batch rows per transaction, into a fresh migrated
// database; the server is stopped by then, so the two never share the CPU.
// --write replaces the generated part of the "Import" section of bench/README.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openAsBlob, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Job } from '@switchboard/shared';
import { bareInsert, preparse, type BareResult } from './import/bare.ts';
import { openFanout, type Fanout, type FanoutWindow } from './import/fanout.ts';
import { FIELDS, generate, MAPPING } from './import/generate.ts';
import { percentiles, type LoopStats, type Percentiles } from './realtime/stats.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
const { values: opt } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100k,1m' },
    batch: { type: 'string', default: '5000' },
    'bare-batch': { type: 'string', default: '5000' },
    write: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    regenerate: { type: 'boolean', default: false },
    // Skip the bare loops (a quicker look at the import alone).
    'no-bare': { type: 'boolean', default: false },
    // Fan-out latency during the import (bench/import/fanout.ts); 0 sockets = not measured.
    'fanout-sockets': { type: 'string', default: '50' },
    'fanout-rate': { type: 'string', default: '5' },
    'fanout-idle': { type: 'string', default: '30' },
  },
});
const sizeOf = (s: string) => Number(s.replace(/k$/i, '000').replace(/m$/i, '000000'));

interface Server {
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
  ask<T>(msg: object, reply: string): Promise<T>;
}

function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []), '--import', 'tsx', '--import', './bench/realtime/server-preload.ts', 'server/src/server.ts'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', REDIS_URL: '', INBOUND_RATE_LIMIT: '1000000', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), rej(new Error(`server did not start:\n${out}`))), 120_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      child.stderr!.on('data', (c: Buffer) => process.stderr.write(c));
      res({
        url: m[1]!.replace('localhost', '127.0.0.1'),
        pid: child.pid!,
        child,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
        ask: <T>(msg: object, reply: string) =>
          new Promise<T>((ok) => {
            const on = (m: { bench?: string }) => {
              if (m?.bench === reply) {
                child.off('message', on);
                ok(m as T);
              }
            };
            child.on('message', on);
            child.send(msg);
          }),
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
}

/** The server's resident memory, MB: all of it, and the anonymous part (its own allocations, not mapped files). */
const memOf = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon') };
};
const rssMb = (pid: number) => memOf(pid).rss;

async function json<T>(url: string, init: RequestInit & { cookie?: string } = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { ...(init.body && typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}), ...(init.cookie ? { cookie: init.cookie } : {}), ...init.headers } });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Latency of GET /api/health, probed every 100 ms until stopped. */
function probeHealth(url: string) {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      await fetch(`${url}/api/health`).then((r) => r.arrayBuffer());
      samples.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: async (): Promise<Percentiles> => {
      running = false;
      await loop;
      return percentiles(Float64Array.from(samples));
    },
  };
}

interface ImportResult {
  size: string;
  rows: number;
  fileMb: number;
  uploadS: number;
  job: Job;
  seconds: number;
  rowsPerSecond: number;
  rss: { before: number; peak: number; growth: number; idle: number; anonBefore: number; anonPeak: number };
  loop: LoopStats;
  healthIdle: Percentiles;
  healthDuring: Percentiles;
  fanout?: { idle: FanoutWindow; during: FanoutWindow; idleCpuPct: number; disconnects: number };
}

async function runImport(size: string, file: string): Promise<ImportResult> {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'sb-bench-import-'));
  const server = await startServer({ DATA_DIR: dataDir, IMPORT_BATCH_ROWS: opt.batch!, LOGIN_RATE_LIMIT: '10000' });
  let fanout: Fanout | undefined;
  try {
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'lead@demo.test', password: 'switchboard' }) });
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('sb_session='))!.split(';')[0]!;
    const ws = (await json<{ id: string }[]>(`${server.url}/api/workspaces`, { cookie }))[0]!.id;
    for (const f of FIELDS) {
      await json(`${server.url}/api/workspaces/${ws}/fields`, { method: 'POST', cookie, body: JSON.stringify({ key: f.key, label: f.label, type: f.type, ...('options' in f ? { options: f.options } : {}) }) });
    }
    const idleRss = rssMb(server.pid);
    const form = new FormData();
    form.append('file', await openAsBlob(file, { type: 'text/csv' }), `contacts-${size}.csv`);
    const u0 = performance.now();
    const up = await json<{ jobId: string }>(`${server.url}/api/workspaces/${ws}/imports`, { method: 'POST', cookie, body: form });
    const uploadS = (performance.now() - u0) / 1000;

    const sockets = Number(opt['fanout-sockets']);
    if (sockets > 0) fanout = await openFanout({ url: server.url, workspaceId: ws, cookie, sockets, rate: Number(opt['fanout-rate']), contacts: 20 });
    const idleS = Math.max(2, Number(opt['fanout-idle']));
    await server.ask({ bench: 'eld:reset' }, 'eld:reset:ok');
    const fanoutIdle = fanout?.start();
    const idleProbe = probeHealth(server.url);
    await new Promise((r) => setTimeout(r, 2000));
    const healthIdle = await idleProbe.stop();
    if (fanout) await new Promise((r) => setTimeout(r, (idleS - 2) * 1000));
    const idleFanout = await fanoutIdle?.stop();
    const idleCpuPct = (await server.ask<{ stats: LoopStats }>({ bench: 'eld:report' }, 'eld')).stats.cpuPct;

    const { rss: before, anon: anonBefore } = memOf(server.pid);
    let peak = before;
    let anonPeak = anonBefore;
    const sampler = setInterval(() => {
      const m = memOf(server.pid);
      peak = Math.max(peak, m.rss);
      anonPeak = Math.max(anonPeak, m.anon);
    }, 50);
    await server.ask({ bench: 'eld:reset' }, 'eld:reset:ok');
    const probe = probeHealth(server.url);
    const fanoutDuring = fanout?.start();
    await json(`${server.url}/api/workspaces/${ws}/imports/${up.jobId}/start`, {
      method: 'POST',
      cookie,
      body: JSON.stringify({ mapping: MAPPING, channel: 'sms', defaultCountry: 'FR', onExisting: 'skip' }),
    });
    let job: Job;
    for (;;) {
      job = await json<Job>(`${server.url}/api/workspaces/${ws}/jobs/${up.jobId}`, { cookie });
      if (!['queued', 'running'].includes(job.status)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const loop = (await server.ask<{ stats: LoopStats }>({ bench: 'eld:report' }, 'eld')).stats;
    const healthDuring = await probe.stop();
    clearInterval(sampler);
    if (job.status !== 'completed') throw new Error(`import ${job.status}: ${job.error}`);
    // Messages posted after the job finished (the poll sees it up to 250 ms later) are left out.
    const duringFanout = await fanoutDuring?.stop(Date.parse(job.finishedAt!));
    const seconds = (Date.parse(job.finishedAt!) - Date.parse(job.startedAt!)) / 1000;
    return {
      size,
      rows: job.counts.read,
      fileMb: statSync(file).size / 1024 / 1024,
      uploadS,
      job,
      seconds,
      rowsPerSecond: job.counts.read / seconds,
      rss: { before, peak, growth: peak - before, idle: idleRss, anonBefore, anonPeak },
      loop,
      healthIdle,
      healthDuring,
      fanout: fanout && { idle: idleFanout!, during: duringFanout!, idleCpuPct, disconnects: fanout.disconnects },
    };
  } finally {
    fanout?.close();
    await server.stop();
    if (opt.keep) console.log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f1 = (n: number) => n.toFixed(1);

interface SizeResult {
  imp: ImportResult;
  /** Not with --no-bare. */
  bare?: BareResult;
  trigger?: BareResult;
}

/** Server CPU (main thread + import worker) per row read, µs. */
const importCpuUs = (r: ImportResult) => ((r.loop.cpuPct / 100) * r.loop.windowS * 1e6) / r.rows;

function report(results: SizeResult[], meta: string): string {
  const row = (label: string, cell: (r: SizeResult) => string) => `| ${label} | ${results.map(cell).join(' | ')} |`;
  const withBare = (cell: (r: SizeResult & { bare: BareResult; trigger: BareResult }) => string) => (r: SizeResult) =>
    r.bare && r.trigger ? cell(r as SizeResult & { bare: BareResult; trigger: BareResult }) : '—';
  const withFanout = (cell: (f: NonNullable<ImportResult['fanout']>) => string) => (r: SizeResult) => (r.imp.fanout ? cell(r.imp.fanout) : '—');
  const ms = (p: Percentiles) => `${f1(p.p50)} / ${f1(p.p95)} / ${f1(p.p99)} / ${f1(p.max)}`;
  const lines = [
    meta,
    '',
    '| | ' + results.map((r) => r.imp.size).join(' | ') + ' |',
    '|---|' + results.map(() => '---:').join('|') + '|',
    row('file', (r) => `${f0(r.imp.rows)} rows, ${f1(r.imp.fileMb)} MB`),
    row('upload (streamed to DATA_DIR, UTF-8 checked)', (r) => `${f1(r.imp.uploadS)} s`),
    row('import job (startedAt → finishedAt)', (r) => `${f1(r.imp.seconds)} s`),
    row('**rows/s** (target ≥ 50,000)', (r) => `**${f0(r.imp.rowsPerSecond)}**`),
    row('created / rejected', (r) => `${f0(r.imp.job.counts.created)} / ${f0(r.imp.job.counts.rejected)}`),
    row('server CPU per row (main + worker)', (r) => `${f0(importCpuUs(r.imp))} µs`),
    row(`bare loop, search index filled per batch as the import does (${opt['bare-batch']} rows/tx)`, withBare((r) => `${f0(r.bare.rowsPerSecond)} rows/s, ${f0(r.bare.cpuUsPerRow)} µs CPU/row`)),
    row('bare loop, search index by the row-by-row trigger', withBare((r) => `${f0(r.trigger.rowsPerSecond)} rows/s, ${f0(r.trigger.cpuUsPerRow)} µs CPU/row`)),
    row('**import ÷ bare**, wall (created rows/s ÷ bare rows/s; target ≥ 25%)', withBare((r) => `**${Math.round(((r.imp.job.counts.created / r.imp.seconds) / r.bare.rowsPerSecond) * 100)}%**`)),
    row('import ÷ bare, CPU (bare µs/row ÷ import µs/row)', withBare((r) => `${Math.round((r.bare.cpuUsPerRow / importCpuUs(r.imp)) * 100)}%`)),
    row('server RSS before → peak', (r) => `${f0(r.imp.rss.before)} → ${f0(r.imp.rss.peak)} MB`),
    row('**RSS growth** (target < 150 MB, flat)', (r) => `**${f0(r.imp.rss.growth)} MB**`),
    row('of which anonymous memory (RssAnon before → peak)', (r) => `${f0(r.imp.rss.anonPeak - r.imp.rss.anonBefore)} MB (${f0(r.imp.rss.anonBefore)} → ${f0(r.imp.rss.anonPeak)})`),
    row('server CPU during the job (% of one core)', (r) => `${f0(r.imp.loop.cpuPct)}%`),
    row('main event-loop delay p50 / p99 / max', (r) => `${f1(r.imp.loop.p50)} / ${f1(r.imp.loop.p99)} / ${f1(r.imp.loop.max)} ms`),
    row('GET /api/health p50 / p99, idle → during', (r) => `${f1(r.imp.healthIdle.p50)} / ${f1(r.imp.healthIdle.p99)} → ${f1(r.imp.healthDuring.p50)} / ${f1(r.imp.healthDuring.p99)} ms`),
    row(`fan-out to ${opt['fanout-sockets']} sockets, inbound at ${opt['fanout-rate']}/s (202 → \`message:created\`): p50 / p99 idle → during`, withFanout((f) => `${f1(f.idle.latency.p50)} / ${f1(f.idle.latency.p99)} → ${f1(f.during.latency.p50)} / ${f1(f.during.latency.p99)} ms`)),
    row('fan-out p50 / p95 / p99 / max, idle', withFanout((f) => `${ms(f.idle.latency)} ms`)),
    row('fan-out p50 / p95 / p99 / max, during the import', withFanout((f) => `${ms(f.during.latency)} ms`)),
    row('**fan-out p99 during ÷ idle** (target ≤ 2×)', withFanout((f) => `**${(f.during.latency.p99 / f.idle.latency.p99).toFixed(1)}×**`)),
    row('fan-out deliveries lost, idle / during (messages accepted × sockets)', withFanout((f) => `${f0(f.idle.lost)} of ${f0(f.idle.expected)} / ${f0(f.during.lost)} of ${f0(f.during.expected)}`)),
    row('server CPU for the inbound traffic alone (idle window, % of one core)', withFanout((f) => `${f0(f.idleCpuPct)}%`)),
  ];
  return lines.join('\n');
}

const sizes = opt.sizes!.split(',').map((s) => s.trim().toLowerCase());
const load0 = os.loadavg();
const startedAt = new Date();
const results: SizeResult[] = [];
for (const size of sizes) {
  const rows = sizeOf(size);
  const file = `/tmp/sb-import-${size}.csv`;
  if (opt.regenerate || !existsSync(file)) {
    const g0 = performance.now();
    await generate(rows, file);
    console.log(`generated ${file} (${f0(rows)} rows, ${f1(statSync(file).size / 1024 / 1024)} MB) in ${f1((performance.now() - g0) / 1000)} s`);
  }
  const imp = await runImport(size, file);
  console.log(`${size}: import ${f0(imp.rowsPerSecond)} rows/s, ${f0(importCpuUs(imp))} µs CPU/row, RSS +${f0(imp.rss.growth)} MB, loop p99 ${f1(imp.loop.p99)} ms`);
  if (imp.fanout) {
    const w = (name: string, x: FanoutWindow) =>
      `${name} ${x.accepted}/${x.posted} accepted in ${f1(x.spanS)} s, p50/p95/p99/max ${f1(x.latency.p50)}/${f1(x.latency.p95)}/${f1(x.latency.p99)}/${f1(x.latency.max)} ms, ` +
      `all sockets p99 ${f1(x.lastSocket.p99)} ms, lost ${x.lost}/${x.expected}, dup ${x.duplicates}, before the 202 ${x.beforeAccept}${x.errors ? `, ${x.errors} errors (${x.firstError})` : ''}`;
    console.log(`${size}: fan-out to ${imp.fanout.idle.sockets} sockets: ${w('idle', imp.fanout.idle)}; ${w('during', imp.fanout.during)}; p99 ratio ${(imp.fanout.during.latency.p99 / imp.fanout.idle.latency.p99).toFixed(2)}×, disconnects ${imp.fanout.disconnects}, server CPU idle window ${f0(imp.fanout.idleCpuPct)}%`);
  }
  if (opt['no-bare']) {
    results.push({ imp });
    continue;
  }
  const parsed = await preparse(file);
  const bare = bareInsert(parsed, Number(opt['bare-batch']), 'bulk');
  console.log(`${size}: bare ${f0(bare.rowsPerSecond)} rows/s, ${f0(bare.cpuUsPerRow)} µs CPU/row`);
  const trigger = bareInsert(parsed, Number(opt['bare-batch']), 'trigger');
  console.log(`${size}: bare with the row-by-row search trigger ${f0(trigger.rowsPerSecond)} rows/s, ${f0(trigger.cpuUsPerRow)} µs CPU/row`);
  results.push({ imp, bare, trigger });
}
const load1 = os.loadavg();
const cpu = os.cpus();
const meta =
  `Measured ${startedAt.toISOString().slice(0, 10)} on ${cpu.length} cores (${cpu[0]?.model.trim()}), ${Math.round(os.totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, ` +
  `\`npm run bench:import -- --sizes ${opt.sizes} --batch ${opt.batch} --bare-batch ${opt['bare-batch']} --fanout-sockets ${opt['fanout-sockets']} --fanout-rate ${opt['fanout-rate']}\`; load average (1/5/15 min) ${load0.map((l) => l.toFixed(2)).join(' / ')} at the start, ${load1.map((l) => l.toFixed(2)).join(' / ')} at the end.`;
const text = report(results, meta);
console.log('\n' + text);
if (opt.write) {
  const readme = join(here, 'README.md');
  const begin = '<!-- bench:import:begin (generated by npm run bench:import -- --write) -->';
  const end = '<!-- bench:import:end -->';
  const current = readFileSync(readme, 'utf8');
  const a = current.indexOf(begin);
  const b = current.indexOf(end);
  if (a === -1 || b === -1) throw new Error('bench/README.md has no Import markers');
  writeFileSync(readme, current.slice(0, a + begin.length) + '\n' + text + '\n' + current.slice(b));
  console.log('updated bench/README.md');
}
