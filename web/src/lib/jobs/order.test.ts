import { describe, expect, it } from 'vitest';
import { job } from './fixtures';
import { compareJobs, isAhead, later, upsert } from './order';

describe('later', () => {
  it('keeps the version further along: status first, then progress, then rows read', () => {
    const queued = job('1', { status: 'queued' });
    const running = job('1', { status: 'running', progress: 0.2 });
    const further = job('1', { status: 'running', progress: 0.5 });
    const done = job('1', { status: 'completed', progress: 1 });
    expect(later(running, queued)).toBe(running);
    expect(later(queued, running)).toBe(running);
    expect(later(further, running)).toBe(further);
    expect(later(done, further)).toBe(done);
    const moreRows = job('1', { counts: { read: 9, created: 0, updated: 0, skipped: 0, rejected: 0 } });
    expect(later(moreRows, job('1'))).toBe(moreRows);
  });

  it('takes the incoming version when neither is ahead', () => {
    const a = job('1', { progress: 0.3 });
    const b = job('1', { progress: 0.3, title: 'renamed' });
    expect(later(a, b)).toBe(b);
  });

  it('an undone import is past completed, and an asked undo (relatedJobId) is never lost', () => {
    const completed = job('1', { status: 'completed', progress: 1, undoable: true });
    const asked = job('1', { status: 'completed', progress: 1, undoable: false, relatedJobId: '9' });
    expect(isAhead(asked, completed)).toBe(true);
    expect(later(asked, completed)).toBe(asked);
    expect(later(job('1', { status: 'undone', progress: 1 }), asked).status).toBe('undone');
  });

  it('failed and cancelled are ends like completed: a late "running" does not revive them', () => {
    for (const status of ['failed', 'cancelled'] as const) {
      const end = job('1', { status, progress: 0.4 });
      expect(later(end, job('1', { status: 'running', progress: 0.4 }))).toBe(end);
    }
  });
});

describe('ordering', () => {
  it('puts the newest first, the larger id first when created in the same millisecond', () => {
    const jobs = [
      job('9', { createdAt: '2026-11-28T09:00:00.000Z' }),
      job('10', { createdAt: '2026-11-28T11:00:00.000Z' }),
      job('12', { createdAt: '2026-11-28T10:00:00.000Z' }),
      job('100', { createdAt: '2026-11-28T10:00:00.000Z' }),
    ].sort(compareJobs);
    expect(jobs.map((j) => j.id)).toEqual(['10', '100', '12', '9']);
  });

  it('upsert replaces the older version in place of order', () => {
    const list = [job('2', { createdAt: '2026-11-28T12:00:00.000Z' }), job('1')];
    const next = upsert(list, job('1', { progress: 0.5 }));
    expect(next.map((j) => [j.id, j.progress])).toEqual([
      ['2', 0],
      ['1', 0.5],
    ]);
    expect(upsert(next, job('3', { createdAt: '2026-11-28T13:00:00.000Z' })).map((j) => j.id)).toEqual(['3', '2', '1']);
  });
});
