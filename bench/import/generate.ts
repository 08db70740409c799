// Writes the import benchmark's CSV: realistic contact columns, phones in mixed formats, about 2%
// bad rows, deterministic for a given row count.
//
//   tsx bench/import/generate.ts --rows 100000 --out /tmp/sb-import-100k.csv
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';

export const HEADER = ['First name', 'Last name', 'Phone', 'Email', 'Tags', 'Plan', 'Score', 'Signup date', 'Newsletter', 'City'];

/** The custom fields the file's last five columns map to (keys apart from the demo seed's own). */
export const FIELDS = [
  { column: 'Plan', key: 'imp_plan', label: 'Imported plan', type: 'select', options: ['free', 'pro', 'enterprise'] },
  { column: 'Score', key: 'imp_score', label: 'Imported score', type: 'number' },
  { column: 'Signup date', key: 'imp_signup_date', label: 'Imported signup date', type: 'date' },
  { column: 'Newsletter', key: 'imp_newsletter', label: 'Imported newsletter', type: 'boolean' },
  { column: 'City', key: 'imp_city', label: 'Imported city', type: 'text' },
] as const;

export const MAPPING = {
  'First name': 'firstName',
  'Last name': 'lastName',
  Phone: 'phone',
  Email: 'email',
  Tags: 'tags',
  ...Object.fromEntries(FIELDS.map((f) => [f.column, `custom.${f.key}`])),
} as Record<string, string>;

const FIRST = ['Jean', 'Marie', 'Zoë', 'José', 'Łukasz', 'Søren', 'Aiko', '李', 'Дмитрий', 'Ελένη', 'Mohammed', 'Ana', 'Chloé', 'Björn', 'Fatima', 'Noah', 'Émile', 'Lucía', 'Oğuz', 'Priya'];
const LAST = ['Martin', 'Dupont', 'Müller', 'García', 'Nowak', 'Jensen', 'Tanaka', '王', 'Иванов', 'Παπαδόπουλος', 'Haddad', 'Silva', 'Lefèvre', 'O\'Brien', 'Kowalski', 'Smith'];
const TAGS = ['vip', 'newsletter', 'lead', 'customer', 'churn-risk', 'event-2026', 'partner', 'beta', 'Black Friday', 'b2b', 'press', 'support'];
const CITIES = ['Paris', 'Lyon', 'Saint-Denis, Réunion', 'Marseille', 'Lille', 'Nantes', 'Bordeaux', 'London', 'Toulouse', 'Nice'];
const PLANS = ['free', 'pro', 'enterprise', 'Pro', 'FREE'];

/** sfc32: small, fast, seeded. */
function prng(seed: number) {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  return () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
const ascii = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase() || 'x';

/** A unique, valid phone for row i, written in one of the ways people write them. */
function phone(i: number, r: () => number): string {
  // 7400 + six digits: a UK mobile range libphonenumber-js accepts whatever the digits.
  if (i % 10 === 9) return `+44 7400 ${String(i).padStart(6, '0')}`;
  const n = String(10_000_000 + i); // 6 + 1xxxxxxx: a French mobile
  const p = ['6', n.slice(0, 2), n.slice(2, 4), n.slice(4, 6), n.slice(6, 8)];
  switch (Math.floor(r() * 5)) {
    case 0:
      return `+33 ${p.join(' ')}`;
    case 1:
      return `0${p.join(' ')}`;
    case 2:
      return `0${p.join('')}`;
    case 3:
      return `+33${p.join('')}`;
    default:
      return `0${p.join('.')}`;
  }
}

/** Row i of the file (0-based data row). About 2% are bad: 1% a bad phone, 1% a bad field value. */
export function row(i: number, r: () => number): string[] {
  const first = pick(r, FIRST);
  const last = pick(r, LAST);
  const tags = Array.from({ length: Math.floor(r() * 4) }, () => pick(r, TAGS));
  const day = new Date(Date.UTC(2020, 0, 1) + Math.floor(r() * 2000) * 86_400_000).toISOString().slice(0, 10);
  const cells = [
    first,
    last,
    phone(i, r),
    r() < 0.8 ? `${ascii(first)}.${ascii(last)}${i}@example.com` : '',
    [...new Set(tags)].join(r() < 0.5 ? ';' : '|'),
    pick(r, PLANS),
    r() < 0.9 ? (Math.round(r() * 10_000) / 100).toString() : '',
    day,
    r() < 0.5 ? 'yes' : 'no',
    pick(r, CITIES),
  ];
  if (i % 100 === 13) cells[2] = `12${i % 1000}`;
  if (i % 100 === 63) cells[i % 200 < 100 ? 6 : 7] = i % 200 < 100 ? 'n/a' : '2026-13-45';
  return cells;
}

export const isBadRow = (i: number) => i % 100 === 13 || i % 100 === 63;

export async function generate(rows: number, out: string): Promise<void> {
  const r = prng(42);
  const file = createWriteStream(out);
  file.write(stringify([HEADER]));
  const CHUNK = 10_000;
  for (let start = 0; start < rows; start += CHUNK) {
    const lines: string[][] = [];
    for (let i = start; i < Math.min(rows, start + CHUNK); i++) lines.push(row(i, r));
    if (!file.write(stringify(lines))) await once(file, 'drain');
  }
  file.end();
  await once(file, 'finish');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, out: { type: 'string', default: '/tmp/sb-import.csv' } } });
  await generate(Number(values.rows), values.out!);
  console.log(`wrote ${values.out}`);
}
