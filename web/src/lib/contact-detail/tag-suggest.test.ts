import { describe, expect, it } from 'vitest';
import { isNewTag, suggestTags } from './tag-suggest';

const tag = (name: string, contactCount = 0) => ({ id: name, name, color: null, contactCount });
const catalogue = [tag('vip', 40), tag('onboarded', 900), tag('newsletter', 300), tag('churn-risk', 12), tag('spanish', 80)];

describe('suggestTags', () => {
  it('offers the most used tags when nothing is typed, minus the ones the contact has', () => {
    expect(suggestTags(catalogue, ['onboarded'], '', 3)).toEqual(['newsletter', 'spanish', 'vip']);
  });

  it('matches with typos', () => {
    expect(suggestTags(catalogue, [], 'onbaorded')[0]).toBe('onboarded');
    expect(suggestTags(catalogue, [], 'newslet')[0]).toBe('newsletter');
  });

  it('never suggests a tag the contact already has, whatever its case', () => {
    expect(suggestTags(catalogue, ['VIP'], 'vip')).not.toContain('vip');
  });
});

describe('isNewTag', () => {
  it('is true for a name the workspace does not have yet', () => {
    expect(isNewTag(catalogue, 'loyal')).toBe(true);
    expect(isNewTag(catalogue, ' VIP ')).toBe(false);
    expect(isNewTag(catalogue, '  ')).toBe(false);
  });
});
