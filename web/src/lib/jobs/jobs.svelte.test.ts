import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { job } from './fixtures';

vi.mock('$app/navigation', () => ({ goto: vi.fn(() => Promise.resolve()) }));

const { JobsManager } = await import('./jobs.svelte');

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

/** A response held back until the test lets it go, to push events while a list is on its way. */
function deferred() {
  let release!: (r: Response) => void;
  const promise = new Promise<Response>((res) => (release = res));
  return { promise, release };
}

let fetch: ReturnType<typeof vi.fn>;
beforeEach(() => {
  fetch = vi.fn();
  vi.stubGlobal('fetch', fetch);
  vi.stubGlobal('location', { pathname: '/w/1/jobs', search: '' });
});
afterEach(() => vi.unstubAllGlobals());

const ids = (m: { items: { id: string }[] }) => m.items.map((j) => j.id);

describe('JobsManager', () => {
  it('lists newest first and keeps drafts (an upload waiting for its mapping) off the page', async () => {
    fetch.mockResolvedValueOnce(
      json(200, {
        items: [
          job('1', { createdAt: '2026-11-28T08:00:00.000Z', status: 'completed', progress: 1 }),
          job('3', { createdAt: '2026-11-28T10:00:00.000Z', status: 'draft' }),
          job('2', { createdAt: '2026-11-28T09:00:00.000Z' }),
        ],
      }),
    );
    const m = new JobsManager('7');
    await m.load();
    expect(fetch.mock.calls[0]![0]).toBe('/api/workspaces/7/jobs?limit=50');
    expect(ids(m)).toEqual(['2', '1']);
    expect(m.byId('3')?.status).toBe('draft');

    // The draft is started: it joins the page in its place by creation time.
    m.pushed(job('3', { createdAt: '2026-11-28T10:00:00.000Z', status: 'queued' }));
    expect(ids(m)).toEqual(['3', '2', '1']);
  });

  it('applies pushes as they come: progress, counts and every status change', async () => {
    fetch.mockResolvedValueOnce(json(200, { items: [job('1', { status: 'queued' })] }));
    const m = new JobsManager('7');
    await m.load();
    m.pushed(job('1', { status: 'running', progress: 0.25, counts: { read: 250, created: 240, updated: 0, skipped: 0, rejected: 10 } }));
    expect(m.items[0]).toMatchObject({ status: 'running', progress: 0.25, counts: { read: 250, rejected: 10 } });
    m.pushed(job('1', { status: 'completed', progress: 1, hasErrors: true, finishedAt: '2026-11-28T10:00:09.000Z' }));
    expect(m.items[0]).toMatchObject({ status: 'completed', progress: 1, hasErrors: true });
    // Pushes are in event order and are the truth, even one that looks like a step back (a restart re-queues).
    m.pushed(job('2', { status: 'running', progress: 0.5 }));
    m.pushed(job('2', { status: 'queued', progress: 0.5 }));
    expect(m.byId('2')?.status).toBe('queued');
  });

  it('merges a list that was on its way while pushes arrived: the later state of each job wins', async () => {
    const answer = deferred();
    fetch.mockReturnValueOnce(answer.promise);
    const m = new JobsManager('7');
    const loading = m.load();
    expect(m.loading).toBe(true);
    m.pushed(job('1', { progress: 0.8 }));
    m.pushed(job('5', { createdAt: '2026-11-28T11:00:00.000Z', status: 'queued' }));
    // Read before those pushes: job 1 at 40 %, job 5 not created yet.
    answer.release(json(200, { items: [job('1', { progress: 0.4 }), job('4', { createdAt: '2026-11-28T07:00:00.000Z', status: 'completed', progress: 1 })] }));
    await loading;
    expect(m.loading).toBe(false);
    expect(ids(m)).toEqual(['5', '1', '4']);
    expect(m.byId('1')?.progress).toBe(0.8);

    // After the load, pushes replace as usual.
    m.pushed(job('1', { status: 'completed', progress: 1 }));
    expect(m.byId('1')?.status).toBe('completed');
  });

  it('reloads on resync and says why a load failed', async () => {
    fetch.mockResolvedValueOnce(json(503, { code: 'unavailable', message: 'Starting up.' }));
    const m = new JobsManager('7');
    await m.load();
    expect(m.error).toBe('Starting up.');
    fetch.mockResolvedValueOnce(json(200, { items: [job('4')] }));
    m.handlers.resync!();
    await vi.waitFor(() => expect(ids(m)).toEqual(['4']));
    expect(m.error).toBeNull();
  });

  it('job:progress from the realtime stream lands in the list', async () => {
    const m = new JobsManager('7');
    m.handlers['job:progress']!(job('8', { progress: 0.1 }), { eventId: 1, at: '', replayed: false });
    expect(ids(m)).toEqual(['8']);
  });

  it('fetches a job it was pointed at but has not seen, without undoing a newer push', async () => {
    const answer = deferred();
    fetch.mockReturnValueOnce(answer.promise);
    const m = new JobsManager('7');
    const ensuring = m.ensure('6');
    m.pushed(job('6', { status: 'running', progress: 0.6 }));
    answer.release(json(200, job('6', { status: 'queued' })));
    await ensuring;
    expect(fetch.mock.calls[0]![0]).toBe('/api/workspaces/7/jobs/6');
    expect(m.byId('6')).toMatchObject({ status: 'running', progress: 0.6 });
    await m.ensure('6');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('cancel and undo: one at a time per job, the error kept on the job, an undo job fetched', async () => {
    const m = new JobsManager('7');
    m.pushed(job('1', { status: 'completed', progress: 1, undoable: true }));

    fetch.mockResolvedValueOnce(json(409, { code: 'conflict', message: 'Contacts of this import were deleted since.' }));
    expect(await m.undo('1')).toBe(false);
    expect(m.actionErrors['1']).toBe('Contacts of this import were deleted since.');
    expect(fetch.mock.calls[0]).toEqual(['/api/workspaces/7/imports/1/undo', expect.objectContaining({ method: 'POST' })]);

    const accepted = deferred();
    fetch.mockReturnValueOnce(accepted.promise).mockResolvedValueOnce(json(200, job('2', { kind: 'undo', status: 'queued', relatedJobId: '1' })));
    const undoing = m.undo('1');
    expect(m.busy['1']).toBe('undo');
    expect(await m.undo('1')).toBe(false);
    accepted.release(json(202, { jobId: '2' }));
    expect(await undoing).toBe(true);
    expect(m.busy['1']).toBeUndefined();
    expect(m.actionErrors['1']).toBeUndefined();
    await vi.waitFor(() => expect(m.byId('2')?.kind).toBe('undo'));
    expect(m.related(m.byId('2')!)?.id).toBe('1');

    // Cancel answers the job as it is now.
    fetch.mockResolvedValueOnce(json(200, job('3', { status: 'cancelled', progress: 0.3, finishedAt: '2026-11-28T10:00:05.000Z' })));
    m.pushed(job('3', { status: 'running', progress: 0.3 }));
    expect(await m.cancel('3')).toBe(true);
    expect(fetch.mock.lastCall).toEqual(['/api/workspaces/7/jobs/3/cancel', expect.objectContaining({ method: 'POST' })]);
    expect(m.byId('3')?.status).toBe('cancelled');
  });

  it('pages back to older jobs by the oldest id shown', async () => {
    const page = (from: number) =>
      Array.from({ length: 50 }, (_, i) => job(String(from - i), { createdAt: new Date(Date.UTC(2026, 10, 28, 0, 0, from - i)).toISOString() }));
    fetch.mockResolvedValueOnce(json(200, { items: page(120) }));
    const m = new JobsManager('7');
    await m.load();
    expect(m.hasOlder).toBe(true);
    fetch.mockResolvedValueOnce(json(200, { items: page(70).slice(0, 20) }));
    await m.loadOlder();
    expect(fetch.mock.lastCall![0]).toBe('/api/workspaces/7/jobs?before=71&limit=50');
    expect(m.items).toHaveLength(70);
    expect(m.items.at(-1)!.id).toBe('51');
    expect(m.hasOlder).toBe(false);
  });
});
