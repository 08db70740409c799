import { countries, type City, type Country } from './places.ts';
import { Weighted } from './rng.ts';

// fr_BE's name lists are mostly English in faker 10, so Walloon contacts use French names.

/**
 * A kind of contact: country + language + the faker locale its names come from. US contacts are
 * mostly English speakers but a share speak Spanish (names from es_MX, Miami/LA/Houston…); Canada
 * splits into English and French (Quebec), Belgium into French and Dutch.
 */
export interface Profile {
  key: string;
  country: Country;
  language: string;
  locale: string;
  cities: Weighted<City>;
  emailDomains: Weighted<string>;
}

type ProfileRow = [country: string, language: string, locale: string, weight: number, cities?: string[]];

const rows: ProfileRow[] = [
  ['US', 'en', 'en_US', 22],
  ['US', 'es', 'es_MX', 3, ['Miami', 'Los Angeles', 'Houston', 'Dallas', 'Phoenix', 'New York', 'Chicago', 'San Diego', 'Austin']],
  ['GB', 'en', 'en_GB', 7],
  ['CA', 'en', 'en_CA', 2.5, ['Toronto', 'Ottawa', 'Vancouver', 'Calgary', 'Edmonton', 'Winnipeg', 'Halifax', "St. John's", 'Montréal']],
  ['CA', 'fr', 'fr_CA', 1, ['Montréal', 'Québec', 'Gatineau']],
  ['AU', 'en', 'en_AU', 2.5],
  ['IE', 'en', 'en_IE', 0.8],
  ['IN', 'en', 'en_IN', 3],
  ['ES', 'es', 'es', 7],
  ['MX', 'es', 'es_MX', 8],
  ['AR', 'es', 'es', 2.5],
  ['CO', 'es', 'es', 2],
  ['FR', 'fr', 'fr', 6.5],
  ['BE', 'fr', 'fr', 0.6, ['Bruxelles', 'Liège', 'Charleroi', 'Namur']],
  ['BE', 'nl', 'nl_BE', 0.9, ['Antwerpen', 'Gent', 'Brussel', 'Brugge', 'Leuven']],
  ['DE', 'de', 'de', 6.5],
  ['AT', 'de', 'de_AT', 1],
  ['CH', 'de', 'de_CH', 1],
  ['BR', 'pt', 'pt_BR', 9],
  ['PT', 'pt', 'pt_PT', 1.5],
  ['IT', 'it', 'it', 4.5],
  ['NL', 'nl', 'nl', 3],
];

export const profiles: Profile[] = rows.map(([code, language, locale, , only]) => {
  const country = countries[code];
  if (!country) throw new Error(`unknown country ${code}`);
  const cities = only ? country.cities.filter((c) => only.includes(c.name)) : country.cities;
  if (only && cities.length !== only.length) throw new Error(`${code}: unknown city in ${only.join(', ')}`);
  return {
    key: `${code}-${language}`,
    country,
    language,
    locale,
    cities: new Weighted(cities, cities.map((c) => c.weight)),
    emailDomains: Weighted.of(country.emailDomains),
  };
});

export const profileWeights = rows.map((r) => r[3]);
