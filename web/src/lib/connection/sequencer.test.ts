import { describe, expect, it } from 'vitest';
import { MAX_GAP_ROUNDS, Sequencer } from './sequencer';

const ev = (eventId: number) => ({ eventId });
const ids = (items: { eventId: number }[]) => items.map((i) => i.eventId);

describe('Sequencer', () => {
  it('applies consecutive events once, in order, and drops repeats', () => {
    const s = new Sequencer(10);
    expect(ids(s.receive(ev(11)).apply)).toEqual([11]);
    expect(ids(s.receive(ev(12)).apply)).toEqual([12]);
    expect(s.receive(ev(12))).toEqual({ apply: [], gap: false });
    expect(s.receive(ev(3))).toEqual({ apply: [], gap: false });
    expect(s.last).toBe(12);
  });

  it('holds an event after a hole, asks for the gap, and applies both in order when it is filled', () => {
    const s = new Sequencer(10);
    expect(s.receive(ev(13))).toEqual({ apply: [], gap: true });
    expect(s.receive(ev(12))).toEqual({ apply: [], gap: true });
    // The same held event again changes nothing.
    expect(s.receive(ev(13))).toEqual({ apply: [], gap: false });
    expect(s.holding).toBe(2);
    expect(ids(s.receive(ev(11)).apply)).toEqual([11, 12, 13]);
    expect(s.last).toBe(13);
    expect(s.holding).toBe(0);
  });

  it('takes a replay that repeats what arrived live, applying each id once', () => {
    const s = new Sequencer(10);
    s.receive(ev(14));
    const applied = [11, 12, 13, 14, 15].flatMap((id) => ids(s.receive(ev(id)).apply));
    expect(applied).toEqual([11, 12, 13, 14, 15]);
    expect(s.ready(15)).toEqual({ apply: [], gap: false });
  });

  it('applies everything before the first ready, then orders from the baseline it gives', () => {
    const s = new Sequencer();
    expect(ids(s.receive(ev(40)).apply)).toEqual([40]);
    expect(s.last).toBeNull();
    s.ready(38);
    expect(s.last).toBe(40);
    expect(s.receive(ev(40)).apply).toEqual([]);
    expect(ids(s.receive(ev(41)).apply)).toEqual([41]);
  });

  it('jumps over ids the replay never sent (erased from the log) when ready says so', () => {
    const s = new Sequencer(10);
    s.receive(ev(11));
    expect(s.ready(14)).toEqual({ apply: [], gap: false });
    expect(s.last).toBe(14);
    expect(ids(s.receive(ev(15)).apply)).toEqual([15]);
  });

  it('after ready, keeps holding events beyond a hole and asks again, then gives up and applies them', () => {
    const s = new Sequencer(10);
    s.receive(ev(13));
    for (let round = 1; round < MAX_GAP_ROUNDS; round++) expect(s.ready(10)).toEqual({ apply: [], gap: true });
    const last = s.ready(10);
    expect(ids(last.apply)).toEqual([13]);
    expect(last.gap).toBe(false);
    expect(s.last).toBe(13);
  });

  it('a ready that closes the hole applies what was held', () => {
    const s = new Sequencer(10);
    s.receive(ev(12));
    s.receive(ev(13));
    expect(ids(s.ready(11).apply)).toEqual([12, 13]);
    expect(s.last).toBe(13);
  });

  it('on resync carries on from the given id, applying only held events above it', () => {
    const s = new Sequencer(10);
    s.receive(ev(50));
    s.receive(ev(61));
    const step = s.resync(55);
    expect(ids(step.apply)).toEqual([61]);
    expect(s.last).toBe(61);
    expect(s.receive(ev(56)).apply).toEqual([]);
  });
});
