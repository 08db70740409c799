/** Waits after the 1st, 2nd, … failed attempt; the last one repeats until `maxAttempts`. */
export const DEFAULT_BACKOFF_MS = [10_000, 30_000, 120_000, 600_000, 3_600_000];
export const DEFAULT_MAX_ATTEMPTS = 8;

export interface RetrySchedule {
  backoffMs: number[];
  maxAttempts: number;
}

export const defaultSchedule: RetrySchedule = { backoffMs: DEFAULT_BACKOFF_MS, maxAttempts: DEFAULT_MAX_ATTEMPTS };

/** When to try again after `attempts` failures, or null when that was the last one. */
export function retryDelay(schedule: RetrySchedule, attempts: number): number | null {
  if (attempts >= schedule.maxAttempts) return null;
  const steps = schedule.backoffMs;
  return steps[Math.min(attempts, steps.length) - 1] ?? steps.at(-1) ?? 0;
}
