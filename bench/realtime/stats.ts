// Small shared pieces of the realtime benchmark: the clock every process stamps with, percentiles,
// and an event-loop-delay + CPU monitor for the process it runs in.
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Wall-clock milliseconds with sub-millisecond resolution. Every process of the benchmark runs on
 * the same box and stamps with this, so times from different processes can be subtracted (the
 * driver checks the offset between processes over IPC at start).
 */
export const now = (): number => performance.timeOrigin + performance.now();

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles; sorts the array in place. */
export function percentiles(values: Float64Array): Percentiles {
  values.sort();
  const n = values.length;
  const at = (q: number) => (n ? values[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]! : NaN);
  return { n, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: n ? values[n - 1]! : NaN };
}

export interface LoopStats {
  /** Event-loop delay beyond the monitor's timer interval, ms. */
  p50: number;
  p99: number;
  max: number;
  mean: number;
  samples: number;
  /** CPU time (user + system) over the window as a share of one core, %. */
  cpuPct: number;
  rssMb: number;
  windowS: number;
}

export const ELD_RESOLUTION_MS = 10;

/**
 * `perf_hooks.monitorEventLoopDelay` with Node's default 10 ms timer. The histogram records the
 * whole interval between timer callbacks (≈10 ms on an idle loop), so the resolution is subtracted:
 * what is reported is how late the loop ran the timer.
 */
export function loopMonitor() {
  const h = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  h.enable();
  let cpu = process.cpuUsage();
  let t0 = performance.now();
  const late = (ns: number) => Math.max(0, ns / 1e6 - ELD_RESOLUTION_MS);
  return {
    reset(): void {
      h.reset();
      cpu = process.cpuUsage();
      t0 = performance.now();
    },
    snapshot(): LoopStats {
      const used = process.cpuUsage(cpu);
      const wall = performance.now() - t0;
      return {
        p50: late(h.percentile(50)),
        p99: late(h.percentile(99)),
        max: late(h.max),
        mean: late(h.mean),
        samples: h.count,
        cpuPct: ((used.user + used.system) / 1000 / wall) * 100,
        rssMb: process.memoryUsage().rss / 2 ** 20,
        windowS: wall / 1000,
      };
    },
  };
}
