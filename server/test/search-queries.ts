// What people type into the search box to find a given contact: the quality test and
// bench/search.ts derive their queries from real rows with these.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { Rng } from '../src/seed/rng.ts';

export interface Target {
  id: number;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
}

/** Which value of the target a query is about (a namesake is as good a hit as the target). */
export type QueryField = 'name' | 'email' | 'phone';

type Make = (t: Target, rng: Rng) => string | null;

interface QueryKind {
  field: QueryField;
  /**
   * Whether the query still points at one contact (or namesakes) among a million: a full name,
   * an address, a number. A first name or three letters of an address do not.
   */
  specific: boolean;
  make: Make;
}

const stripAccents = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '');
const letters = (s: string) => Array.from(s);

/** One typo of the kinds people make, never on the first letter (people rarely get it wrong). */
export function typo(word: string, rng: Rng): string {
  const c = letters(word);
  if (c.length < 4) return word;
  const i = 1 + rng.int(c.length - 2);
  switch (rng.int(4)) {
    case 0: // swapped letters
      return [...c.slice(0, i), c[i + 1], c[i], ...c.slice(i + 2)].join('');
    case 1: // a letter left out
      return [...c.slice(0, i), ...c.slice(i + 1)].join('');
    case 2: // a letter typed twice
      return [...c.slice(0, i + 1), ...c.slice(i)].join('');
    default: // a wrong letter
      return [...c.slice(0, i), c[i] === 'e' ? 'a' : 'e', ...c.slice(i + 1)].join('');
  }
}

const name = (t: Target) => [t.firstName, t.lastName].filter(Boolean).join(' ');
const local = (t: Target) => t.email?.split('@')[0] ?? null;
const phone = (t: Target) => (t.phone ? parsePhoneNumberFromString(t.phone) : undefined);
/** Seven digits grouped the way people read them out: "123 45 67" or "123-4567". */
const grouped = (d: string, rng: Rng) =>
  rng.int(2) === 0 ? `${d.slice(0, 3)} ${d.slice(3, 5)} ${d.slice(5)}` : `${d.slice(0, 3)}-${d.slice(3)}`;

export const queryKinds: Record<string, QueryKind> = {
  'full name': { field: 'name', specific: true, make: (t) => (t.firstName && t.lastName ? name(t) : null) },
  'last, first': { field: 'name', specific: true, make: (t) => (t.firstName && t.lastName ? `${t.lastName} ${t.firstName}` : null) },
  'first name': { field: 'name', specific: false, make: (t) => t.firstName },
  'last name': { field: 'name', specific: false, make: (t) => t.lastName },
  'name starts': {
    field: 'name',
    specific: false,
    make: (t) => (t.firstName && t.lastName ? `${t.firstName.slice(0, 3)} ${t.lastName.slice(0, 4)}` : null),
  },
  'name, one typo': {
    field: 'name',
    specific: true,
    make: (t, rng) => (t.firstName && t.lastName ? `${t.firstName} ${typo(t.lastName, rng)}` : null),
  },
  'name, two typos': {
    field: 'name',
    specific: true,
    make: (t, rng) => (t.firstName && t.lastName ? `${typo(t.firstName, rng)} ${typo(t.lastName, rng)}` : null),
  },
  'name without accents': {
    field: 'name',
    specific: true,
    make: (t) => (t.firstName && t.lastName && stripAccents(name(t)) !== name(t) ? stripAccents(name(t)) : null),
  },
  'email': { field: 'email', specific: true, make: (t) => t.email },
  'email local part': { field: 'email', specific: false, make: local },
  'email start': { field: 'email', specific: false, make: (t) => t.email?.slice(0, 7) ?? null },
  'email end of local + domain': {
    field: 'email',
    specific: false,
    make: (t) => (t.email && local(t)!.length >= 6 ? t.email.slice(3, t.email.indexOf('.', t.email.indexOf('@'))) : null),
  },
  'email, one typo': { field: 'email', specific: true, make: (t, rng) => (t.email ? `${typo(local(t)!, rng)}@${t.email.split('@')[1]}` : null) },
  'phone international': { field: 'phone', specific: true, make: (t) => phone(t)?.formatInternational() ?? null },
  'phone E.164': { field: 'phone', specific: true, make: (t) => t.phone },
  'phone digits only': { field: 'phone', specific: true, make: (t) => t.phone?.slice(1) ?? null },
  'phone 00 prefix': { field: 'phone', specific: true, make: (t) => (t.phone ? `00${t.phone.slice(1)}` : null) },
  'phone national': {
    // Argentina's national format inserts "15" into mobile numbers: not a substring of E.164.
    field: 'phone',
    specific: true,
    make: (t) => (phone(t) && phone(t)!.country !== 'AR' ? phone(t)!.formatNational() : null),
  },
  'phone national, trunk 0': {
    // "06 12 34 56 78", "01529 8261903": the leading 0 is not part of the E.164 number.
    field: 'phone',
    specific: true,
    make: (t) => {
      const national = phone(t)?.formatNational();
      return national?.startsWith('0') && phone(t)!.country !== 'AR' ? national : null;
    },
  },
  'phone fragment': {
    field: 'phone',
    specific: false,
    make: (t, rng) => {
      const national = phone(t)?.nationalNumber;
      if (!national || national.length < 8) return null;
      const from = national.length - 7 - rng.int(2);
      return grouped(national.slice(from, from + 7), rng);
    },
  },
};

/** The query of `kind` for a target, or null when the target lacks what it needs. */
export function queryFor(kind: string, t: Target, seed: number): string | null {
  return queryKinds[kind]!.make(t, new Rng(seed ^ t.id));
}
