import { describe, expect, it } from 'vitest';
import { countsShown, formatDuration, jobDuration, percent } from './format';
import { job } from './fixtures';

describe('percent', () => {
  it('rounds, and shows 100 only once the job is done', () => {
    expect(percent({ progress: 0.424, status: 'running' })).toBe(42);
    expect(percent({ progress: 0.999, status: 'running' })).toBe(99);
    expect(percent({ progress: 1, status: 'completed' })).toBe(100);
    expect(percent({ progress: 1.2, status: 'completed' })).toBe(100);
  });
});

describe('durations', () => {
  it('runs from start to finish, or to now while running', () => {
    const started = job('1', { startedAt: '2026-11-28T10:00:00.000Z', finishedAt: null });
    expect(jobDuration(started, Date.parse('2026-11-28T10:01:05.000Z'))).toBe(65_000);
    expect(jobDuration({ ...started, finishedAt: '2026-11-28T10:00:12.000Z' }, 0)).toBe(12_000);
    expect(jobDuration({ ...started, startedAt: null }, 0)).toBeNull();
  });

  it('reads like a person would say it', () => {
    expect(formatDuration(30)).toBe('< 0.1 s');
    expect(formatDuration(400)).toBe('0.4 s');
    expect(formatDuration(12_300)).toBe('12 s');
    expect(formatDuration(184_000)).toBe('3 min 4 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
  });
});

describe('countsShown', () => {
  it('shows every count of an import, and of other jobs only what moved', () => {
    expect(countsShown(job('1'))).toEqual(['read', 'created', 'updated', 'skipped', 'rejected']);
    expect(countsShown(job('1', { kind: 'export', counts: { read: 5, created: 0, updated: 0, skipped: 0, rejected: 0 } }))).toEqual(['read']);
    expect(countsShown(job('1', { kind: 'bulk', counts: { read: 5, created: 0, updated: 4, skipped: 1, rejected: 0 } }))).toEqual(['read', 'updated', 'skipped']);
  });
});
