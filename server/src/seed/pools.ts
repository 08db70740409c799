import { Faker, allLocales, type LocaleDefinition } from '@faker-js/faker';

/** A name as shown, and its ASCII form for e-mail local parts. */
export interface PoolName {
  name: string;
  slug: string;
}

export interface NamePool {
  male: PoolName[];
  female: PoolName[];
  last: PoolName[];
  companies: string[];
}

/** "Zoë Núñez-O'Brien" -> "zoenunezobrien". */
export function slugify(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]/g, '');
}

function localeChain(key: string): LocaleDefinition[] {
  const all = allLocales as Record<string, LocaleDefinition>;
  const keys = [...new Set([key, key.split('_')[0] ?? key, 'en', 'base'])];
  return keys.flatMap((k) => (all[k] ? [all[k]] : []));
}

function stringHash(value: string): number {
  let h = 2166136261;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Up to `size` distinct values, in the (seeded, random) order faker first produced them. */
function distinct(size: number, draw: () => string): string[] {
  const seen = new Set<string>();
  for (let attempt = 0; attempt < size * 4 && seen.size < size; attempt++) seen.add(draw());
  return [...seen];
}

const named = (names: string[]): PoolName[] => names.map((name) => ({ name, slug: slugify(name) || 'user' }));

/**
 * Faker is called a few thousand times per locale here, never per row: rows pick from these
 * pools with the seeded PRNG, skewed so that some names are common and most are rare.
 */
export function buildNamePool(locale: string, seed: number): NamePool {
  const faker = new Faker({ locale: localeChain(locale) });
  faker.seed((seed ^ stringHash(locale)) >>> 0);
  return {
    male: named(distinct(400, () => faker.person.firstName('male'))),
    female: named(distinct(400, () => faker.person.firstName('female'))),
    last: named(distinct(800, () => faker.person.lastName())),
    companies: distinct(300, () => faker.company.name()),
  };
}
