import { describe, expect, it, vi } from 'vitest';
import { shortcuts } from './registry.svelte';

describe('shortcut registry', () => {
  it('runs the latest handler, falls back when it goes, and says when nobody answers', () => {
    const page = vi.fn();
    const panel = vi.fn();
    const offPage = shortcuts.register('resolve', page);
    const offPanel = shortcuts.register('resolve', panel);
    expect(shortcuts.run('resolve')).toBe(true);
    expect(panel).toHaveBeenCalledOnce();
    offPanel();
    shortcuts.run('resolve');
    expect(page).toHaveBeenCalledOnce();
    offPage();
    expect(shortcuts.has('resolve')).toBe(false);
    expect(shortcuts.run('resolve')).toBe(false);
  });
});
