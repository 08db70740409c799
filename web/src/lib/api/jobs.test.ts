import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeXhr } from './fake-xhr';

vi.mock('$app/navigation', () => ({ goto: vi.fn(() => Promise.resolve()) }));

const { jobsApi } = await import('./jobs');
const { ApiError } = await import('./client');

beforeEach(() => vi.stubGlobal('XMLHttpRequest', FakeXhr));
afterEach(() => vi.unstubAllGlobals());

const file = () => new File(['Phone\n+14155550100\n'], 'people.csv', { type: 'text/csv' });
const uploaded = { jobId: '5', columns: ['Phone'], suggestedMapping: { Phone: 'phone' }, preview: [['+14155550100']] };

describe('jobsApi.upload', () => {
  it('posts the file as multipart `file` and reports bytes sent, then the columns', async () => {
    const seen: unknown[] = [];
    let sent = false;
    const done = jobsApi.upload('7', file(), { onProgress: (p) => seen.push(p), onSent: () => (sent = true) });
    const xhr = FakeXhr.last!;
    expect([xhr.method, xhr.url, xhr.withCredentials]).toEqual(['POST', '/api/workspaces/7/imports', true]);
    expect((xhr.body as FormData).get('file')).toBeInstanceOf(File);
    xhr.progress(10, 20);
    xhr.progress(20, 20);
    xhr.respond(201, uploaded);
    await expect(done).resolves.toEqual(uploaded);
    expect(seen).toEqual([
      { loaded: 10, total: 20 },
      { loaded: 20, total: 20 },
    ]);
    expect(sent).toBe(true);
  });

  it("rejects with the API's error, e.g. a file that is not UTF-8", async () => {
    const done = jobsApi.upload('7', file());
    FakeXhr.last!.respond(400, { code: 'validation', message: 'The file is not UTF-8 (line 3).', details: [{ path: 'file', message: 'not UTF-8' }] });
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'validation', message: 'The file is not UTF-8 (line 3).' });
  });

  it('a proxy refusing a huge file still gives a readable error', async () => {
    const done = jobsApi.upload('7', file());
    FakeXhr.last!.status = 413;
    FakeXhr.last!.responseText = '<html>Request Entity Too Large</html>';
    FakeXhr.last!.onload!();
    await expect(done).rejects.toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const done = jobsApi.upload('7', file(), { signal: controller.signal });
    controller.abort();
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    expect(FakeXhr.last!.aborted).toBe(true);
  });
});
