// Renders a bench:contacts run as the generated part of the "Contacts" section of bench/README.md.
// `npm run bench:contacts -- --from-json FILE --write` re-renders a saved run without measuring again.
import { readFileSync, writeFileSync } from 'node:fs';
import type { ContactSort } from '@switchboard/shared';
import { whyMissed, type Target } from './contacts-cases.ts';

export interface Stats {
  p50: number;
  p95: number;
  n: number;
}

export interface CaseResult {
  id: string;
  title: string;
  sort: ContactSort;
  indexed: boolean;
  filter: unknown;
  matches: { value: number; exact: boolean };
  route: Stats;
  hand: Stats & { label: string };
  handVariants: Record<string, { page: Stats; count: Stats }>;
  ratio: number;
  ratioP95: number;
  deep: (Stats & { ratio: number }) | null;
  count: Stats;
  plan: string;
  verdict: Record<Target, 'PASS' | 'MISS' | 'n/a'>;
}

export interface SearchCase {
  q: string;
  kind: string;
  total: string;
  route: Stats;
  like: Stats;
  speedup: number;
  verdict: { p95: 'PASS' | 'MISS'; speedup: 'PASS' | 'MISS' };
}

export interface Report {
  settings: { iterations: number; warmup: number; minMs: number };
  machine: {
    date: string;
    nproc: number;
    cpu: string;
    ramGb: number;
    node: string;
    betterSqlite3: string;
    sqlite: string;
    /** 1-minute load average when the run started and when it ended. */
    load: [number, number];
  };
  db: { contacts: number; fields: number; fieldValues: number; contactTags: number; sizeMb: number };
  results: CaseResult[];
  search: SearchCase[];
  searchBench: string;
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const mark = (v: string) => (v === 'PASS' ? 'PASS' : v === 'MISS' ? '**MISS**' : '—');
const rowsText = (m: { value: number; exact: boolean }) => `${m.value.toLocaleString('en-US')}${m.exact ? '' : '+'}`;
const sortShort: Record<ContactSort, string> = {
  'lastInteractionAt:desc': 'last↓',
  'subscribedAt:desc': 'sub↓',
  'subscribedAt:asc': 'sub↑',
  'name:asc': 'name↑',
};
const targetName: Record<Target, string> = { firstPage: '(first page)', ratio: '(2× hand)', deepPage: '(page 200)', count: '(count)' };

export function render(r: Report): string {
  const { machine: m, db, settings: s, results, search } = r;
  const lines: string[] = [];
  lines.push(
    `Measured ${m.date} on ${m.nproc} cores (${m.cpu}), ${m.ramGb} GB RAM, Node ${m.node}, better-sqlite3 ${m.betterSqlite3} (SQLite ${m.sqlite});`,
    `load average ${m.load[0].toFixed(1)} at the start and ${m.load[1].toFixed(1)} at the end (the box is shared: other work running beside it makes the p95s noisier).`,
    `Database: ${db.contacts.toLocaleString('en-US')} contacts, ${db.fields} custom fields (${db.fieldValues.toLocaleString('en-US')} values), ` +
      `${db.contactTags.toLocaleString('en-US')} contact tags, ${db.sizeMb.toLocaleString('en-US')} MB (seed 42, \`--extra-fields 8\`, full ANALYZE).`,
    `Each case ≥ ${s.iterations} iterations and ≥ ${(s.minMs / 1000).toFixed(0)} s after ${s.warmup} warm-up rounds, route / hand / page 200 / count interleaved. Times in ms.`,
    '',
    '- **route**: first page (limit 50) through `app.inject` (routing, session, validation, SQL, serialisation), its count included.',
    '- **hand**: the same page (51 rows), its tags and field values and the capped count in the fastest hand-written SQL of the case',
    '  (`bench/contacts-cases.ts`) on its own better-sqlite3 connection (with the server\'s memory map, `MMAP_SIZE`); first page ids and count are asserted equal to the route\'s.',
    '- **×**: route p50 / hand p50 (target ≤ 2).',
    '- **p200**: the route request for page 200, with the cursor after 9,950 rows (reached by following cursors; its rows are',
    '  checked against `OFFSET 9950`). Target: p200 p50 ≤ 1.2 × first page p50, measured in alternation (ratio in brackets).',
    '  "—": fewer than 10,000 matches, so no page 200.',
    '- **count**: the route\'s capped count query alone (`countContacts`, exact up to 10,000). Target p95 < 150 ms.',
    '- **first page < 50**: p95 of route, for cases whose conditions all have an index the compiled SQL can use ("—" otherwise).',
    '- Sorts: last↓ `lastInteractionAt:desc`, sub↓ / sub↑ `subscribedAt:desc|asc`, name↑ `name:asc`.',
    '',
    '| case | sort | rows | route p50 | route p95 | hand p50 | hand p95 | × | p200 p50 | p200 p95 | count p95 | first page < 50 | ≤ 2× hand | p200 ≤ 1.2× | count < 150 |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|:-:|:-:|:-:|',
  );
  for (const c of results) {
    lines.push(
      `| \`${c.id}\` ${c.title} | ${sortShort[c.sort]} | ${rowsText(c.matches)} | ${ms(c.route.p50)} | ${ms(c.route.p95)} | ${ms(c.hand.p50)} | ${ms(c.hand.p95)} | ${c.ratio.toFixed(1)} | ` +
        `${c.deep ? ms(c.deep.p50) : '—'} | ${c.deep ? ms(c.deep.p95) : '—'} | ${ms(c.count.p95)} | ` +
        `${mark(c.verdict.firstPage)} | ${mark(c.verdict.ratio)} | ${c.deep ? `${mark(c.verdict.deepPage)} (${c.deep.ratio.toFixed(2)})` : '—'} | ${mark(c.verdict.count)} |`,
    );
  }
  const tally = (t: Target) => {
    const applicable = results.filter((c) => c.verdict[t] !== 'n/a');
    return `${applicable.filter((c) => c.verdict[t] === 'PASS').length}/${applicable.length}`;
  };
  lines.push(
    '',
    `Passing: first page p95 < 50 ms (indexed) ${tally('firstPage')}; route ≤ 2× hand ${tally('ratio')}; page 200 ≤ 1.2× page 1 ${tally('deepPage')}; ` +
      `count p95 < 150 ms ${tally('count')}.`,
  );
  // One line per cause, listing the cases and targets it explains.
  const causes = new Map<string, string[]>();
  for (const c of results) {
    for (const t of Object.keys(c.verdict) as Target[]) {
      if (c.verdict[t] !== 'MISS') continue;
      const why = whyMissed[c.id]?.[t] ?? `(not analysed) plan: \`${c.plan}\``;
      (causes.get(why) ?? causes.set(why, []).get(why)!).push(`\`${c.id}\` ${targetName[t]}`);
    }
  }
  if (causes.size) {
    lines.push('', 'Misses by cause (the numbers behind each are under "Findings" below):', '');
    for (const [why, where] of causes) lines.push(`- ${where.join(', ')}: ${why}`);
  }
  if (search.length) {
    lines.push(
      '',
      '### Search through the route (`?q=`)',
      '',
      '`GET …/contacts?q=…&limit=50` through `app.inject`, queries taken from seeded contacts; LIKE: the scan search replaces,',
      '`nameKey`, `email` and `phone` against `%q%` on the hand connection (10 runs each). Targets: p95 < 50 ms, ≥ 100× faster than LIKE.',
      '',
      '| query | kind | matches | route p50 | route p95 | LIKE p50 | speed-up | p95 < 50 | ≥ 100× |',
      '|---|---|--:|--:|--:|--:|--:|:-:|:-:|',
      ...search.map(
        (q) =>
          `| \`${q.q}\` | ${q.kind} | ${q.total} | ${ms(q.route.p50)} | ${ms(q.route.p95)} | ${ms(q.like.p50)} | ${q.speedup.toFixed(0)}× | ${mark(q.verdict.p95)} | ${mark(q.verdict.speedup)} |`,
      ),
    );
  }
  if (r.searchBench) {
    lines.push('', '`bench/search.ts` on the same database (the search service called directly, 400 generated queries), run by this benchmark:', '', '```', r.searchBench, '```');
  }
  return lines.join('\n');
}

const BEGIN = '<!-- bench:contacts:begin (generated by npm run bench:contacts -- --write) -->';
const END = '<!-- bench:contacts:end -->';

/** Replaces the generated part of the Contacts section (appends the section when it is missing). */
export function writeReadme(file: string, section: string): void {
  let text = readFileSync(file, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a >= 0 && b > a) text = `${text.slice(0, a + BEGIN.length)}\n${section}\n${text.slice(b)}`;
  else text = `${text.trimEnd()}\n\n## Contacts\n\n${BEGIN}\n${section}\n${END}\n`;
  writeFileSync(file, text);
}
