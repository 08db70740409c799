import type { Segment } from '@switchboard/shared';
import { segmentsApi, type SegmentInput } from '$lib/api/contacts';
import { ApiError } from '$lib/api/client';

/** The workspace's segments in the server's order, as the sidebar lists them. Writes throw the ApiError for the form. */
export class SegmentsStore {
  readonly workspaceId: string;
  items = $state.raw<Segment[]>([]);
  loading = $state(false);
  error = $state<string | null>(null);

  constructor(workspaceId: string) {
    this.workspaceId = workspaceId;
  }

  byId(id: string | null | undefined): Segment | undefined {
    return id ? this.items.find((s) => s.id === id) : undefined;
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.items = await segmentsApi.list(this.workspaceId);
      this.error = null;
    } catch (e) {
      this.error = e instanceof ApiError ? e.message : 'Could not load the segments.';
    } finally {
      this.loading = false;
    }
  }

  async create(input: SegmentInput): Promise<Segment> {
    const segment = await segmentsApi.create(this.workspaceId, input);
    this.items = [...this.items.filter((s) => s.id !== segment.id), segment];
    // The server's order (and every count) as of now.
    void this.load();
    return segment;
  }

  async update(id: string, patch: Partial<SegmentInput>): Promise<Segment> {
    const segment = await segmentsApi.update(this.workspaceId, id, patch);
    this.items = this.items.map((s) => (s.id === id ? segment : s));
    void this.load();
    return segment;
  }

  async remove(id: string): Promise<void> {
    await segmentsApi.remove(this.workspaceId, id);
    this.items = this.items.filter((s) => s.id !== id);
  }
}

