import { describe, expect, it } from 'vitest';
import { FuzzyChoices } from './fuzzy';
import { suggestions } from './suggestions';

describe('FuzzyChoices', () => {
  const tags = new FuzzyChoices(['onboarded', 'vip', 'newsletter', 'churn-risk', 'beta-tester'].map((value) => ({ value })));

  it('forgives typos and ranks the closest first', () => {
    expect(tags.search('onbaorded')[0]?.value).toBe('onboarded');
    expect(tags.search('newsleter')[0]?.value).toBe('newsletter');
    expect(tags.search('zzzzzz')).toEqual([]);
  });

  it('lists everything for an empty query, minus what is chosen, up to a limit', () => {
    expect(tags.search('', { exclude: ['vip'] }).map((c) => c.value)).toEqual(['onboarded', 'newsletter', 'churn-risk', 'beta-tester']);
    expect(tags.search('', { limit: 2 })).toHaveLength(2);
  });

  it('matches codes by their names too', () => {
    const countries = new FuzzyChoices(suggestions('country'));
    expect(countries.search('germany')[0]?.value).toBe('DE');
    expect(countries.search('FR')[0]?.value).toBe('FR');
  });
});
