import { describe, expect, it } from 'vitest';
import { summariseIds, summaryCovers } from '../src/realtime.ts';

describe('contacts:changed id summaries', () => {
  it('turn runs of three or more consecutive ids into ranges and list the rest', () => {
    expect(summariseIds([7, 3, 4, 5, 6, 10, 12, 13, 20, 21, 22, 5])).toEqual({
      contactIds: ['10', '12', '13'],
      ranges: [['3', '7'], ['20', '22']],
    });
    expect(summariseIds([1, 5, 9])).toEqual({ contactIds: ['1', '5', '9'] });
    expect(summariseIds([])).toEqual({ contactIds: [] });
  });

  it('cover exactly the ids they were made from', () => {
    // Random sets with runs and gaps: every id in, every other id out.
    for (let round = 0; round < 200; round++) {
      const ids = new Set<number>();
      let id = 1 + Math.floor(Math.random() * 50);
      for (let k = 0; k < 300; k++) {
        if (Math.random() < 0.7) ids.add(id);
        id += Math.random() < 0.8 ? 1 : 2 + Math.floor(Math.random() * 5);
      }
      const covers = summaryCovers(summariseIds([...ids]));
      for (let n = 0; n <= id + 2; n++) expect(covers(String(n)), `id ${n}`).toBe(ids.has(n));
    }
  });

  it('a batch of 5,000 new contacts is one range', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => 100_001 + i);
    const s = summariseIds(ids);
    expect(s).toEqual({ contactIds: [], ranges: [['100001', '105000']] });
    expect(JSON.stringify(s).length).toBeLessThan(60);
  });

  it('read summaries logged before ranges existed, and ids that are not numbers', () => {
    const covers = summaryCovers({ contactIds: ['4', 'c9'] });
    expect([covers('4'), covers('c9'), covers('5')]).toEqual([true, true, false]);
    expect(summaryCovers({ contactIds: [], ranges: [['1', '9']] })('x5')).toBe(false);
  });
});
