import fc from 'fast-check';
import { channels, profileFields } from '@switchboard/shared';
import { operatorsByType, systemFields, type Filter, type FilterType } from '@switchboard/shared/filter/index';
import { filterArb } from './filter.arbitraries.ts';
import { customFields, planOptions } from './filter.fixture.ts';

/**
 * Bad input for fuzz.test.ts: strings that break naive code (NUL, lone surrogates, bidi
 * overrides, combining marks, 10k-character runs), wrong-typed JSON, and valid filter trees with
 * exactly one node broken, so a rejection can be checked to name that node.
 */

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Fixed strings every handler must survive. */
export const nastyStrings = [
  '', ' ', '\t\r\n', '\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', '\uDBFF\uDFFF', '\u202Eevil\u202C', '\u200F\u05E9\u05DC\u05D5\u05DD',
  '😀', '👩‍👩‍👧‍👦', 'e\u0301', '\uFEFF', '\u200B', "'; DROP TABLE Contact; --", '%_\\', '"', "O'Brien", '{"a":1}', 'null', '0', '-1',
  '1e999', 'NaN', '2024-02-30', '2024-02-30T00:00:00Z', '9999-12-31T23:59:59Z', '0000-01-01', 'constructor', 'toString', 'hasOwnProperty',
  'a'.repeat(101), 'ß'.repeat(501), 'x'.repeat(10_000), '😀'.repeat(2_000), '+33612345678', 'ölaf@example.com', 'Europe/Paris', 'FR',
];

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...nastyStrings) },
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.tuple(fc.string({ maxLength: 6 }), fc.oneof(loneSurrogate, fc.constant('\u0000')), fc.string({ maxLength: 6 })).map(([a, c, b]) => a + c + b),
);

/** Any JSON value, weighted towards the wrong-typed and the nasty. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  nastyString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e-308, Number.MAX_SAFE_INTEGER + 2, [], {}, [[]], [{}], { a: { b: { c: [] } } }),
);

// ---- filters ---------------------------------------------------------------------------------

export type Path = (string | number)[];

const fieldTypes: [string, FilterType][] = [
  ...(Object.entries(systemFields) as [string, FilterType][]),
  ...Object.entries(customFields).map(([k, t]): [string, FilterType] => [`custom.${k}`, t === 'select' ? 'enum' : t]),
];
const allOps = [...new Set(Object.values(operatorsByType).flat())];

/** Paths of every node of a tree, the root first. */
export function nodePaths(tree: Filter, at: Path = []): Path[] {
  const out: Path[] = [at];
  if ('and' in tree) tree.and.forEach((c, i) => out.push(...nodePaths(c, [...at, 'and', i])));
  else if ('or' in tree) tree.or.forEach((c, i) => out.push(...nodePaths(c, [...at, 'or', i])));
  else if ('not' in tree) out.push(...nodePaths(tree.not, [...at, 'not']));
  return out;
}

function replaceAt(tree: unknown, path: Path, node: unknown): unknown {
  if (!path.length) return node;
  const copy = (Array.isArray(tree) ? [...tree] : { ...(tree as object) }) as Record<string | number, unknown>;
  copy[path[0]!] = replaceAt(copy[path[0]!], path.slice(1), node);
  return copy;
}

/** Values no operator of any type accepts (null and [] included: a value-less operator takes none). */
const neverValid: fc.Arbitrary<unknown> = fc.constantFrom({}, { x: 1 }, true, false, null, [], [[]], [{}], 'a\u0000b', '\uD800', 'x'.repeat(501), 'ok\uDC00');
const validCondition = fc.constantFrom(...fieldTypes).chain(([field, type]) =>
  fc.constantFrom(...operatorsByType[type]).map((op) => ({ field, op, type })),
);

/** A node that is wrong in exactly one way (the kind names it). */
const badNode: fc.Arbitrary<{ kind: string; node: unknown }> = fc.oneof(
  validCondition.chain(({ field, type }) =>
    fc.oneof(fc.constantFrom(...allOps), nastyString)
      .filter((op) => !(operatorsByType[type] as readonly string[]).includes(op))
      .map((op) => ({ kind: 'wrong op', node: { field, op, value: 'x' } })),
  ),
  fc.constantFrom('nope', 'Name', 'custom.nope', 'custom.', 'custom.NICKNAME', 'custom.constructor', 'custom.__proto__', 'toString', 'tags.vip', '', 'x'.repeat(200))
    .map((field) => ({ kind: 'unknown field', node: { field, op: 'eq', value: 'x' } })),
  fc.tuple(validCondition, neverValid).map(([{ field, op }, value]) => ({ kind: 'wrong value', node: { field, op, value } })),
  fc.tuple(validCondition, fc.constantFrom('extra', 'Field', 'values', 'and ', '')).map(([{ field, op }, key]) => ({
    kind: 'unknown key',
    node: { field, op, [key]: 1 },
  })),
  fc.integer({ min: 7, max: 60 }).map((n) => {
    let node: unknown = { field: 'name', op: 'isSet' };
    for (let i = 0; i < n; i++) node = { not: node };
    return { kind: 'too deep', node };
  }),
  fc.integer({ min: 101, max: 400 }).map((n) => ({ kind: 'too many conditions', node: { and: Array.from({ length: n }, () => ({ field: 'email', op: 'isSet' })) } })),
  fc.constantFrom({ and: [] }, { or: [] }, { not: null }, { and: {} }, { or: 'x' }, { and: [{ field: 'name', op: 'isSet' }], or: [] }, { not: { field: 'name', op: 'isSet' }, field: 'x' })
    .map((node) => ({ kind: 'bad group', node })),
  fc.oneof(nastyString, fc.integer(), fc.constant(null), fc.constant([{ field: 'name', op: 'isSet' }])).map((node) => ({ kind: 'not a node', node })),
);

/** A valid tree with one node replaced by a bad one; `at` is where. */
export const brokenFilterArb = fc.tuple(filterArb, fc.nat(), badNode).map(([tree, k, bad]) => {
  const paths = nodePaths(tree);
  const at = paths[k % paths.length]!;
  return { tree: replaceAt(tree, at, bad.node), at, kind: bad.kind };
});

// ---- PATCH contact ops -----------------------------------------------------------------------

/** Values plausible for the fixture's fields and profile (current ones included, so `expected` sometimes matches). */
const plausible: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('Ada', 'Lovelace', 'ada@example.com', '+33612345678', 'female', 'fr', 'Europe/Paris', 'FR', 'https://x.io/a.png', 'Gold', 'silver', 'hello', 42, 3.5, true, false, '2024-05-01', '2024-05-01T09:30:00Z', null),
  fc.constantFrom(...planOptions),
);
const fieldKeys = [...Object.keys(customFields), 'nope', 'NICKNAME', 'constructor', '__proto__', '', 'x'.repeat(101)];
const value = fc.oneof({ weight: 3, arbitrary: plausible }, anyJson);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const strip = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export const opArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('addTag', 'removeTag'), tag: fc.oneof(fc.constantFrom('vip', 'VIP', 'new', 'Straße'), nastyString, anyJson) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('setField'), key: fc.oneof(fc.constantFrom(...fieldKeys), anyJson), value, expected: maybe(value) }).map(strip) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('clearField'), key: fc.constantFrom(...fieldKeys), expected: maybe(value) }).map(strip) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('setProfile'), field: fc.oneof(fc.constantFrom(...profileFields, 'name', 'channel', 'id', 'version'), anyJson), value, expected: maybe(value) }).map(strip) },
  fc.record({ op: fc.constantFrom('removeSequence', 'removeOtnTopic'), sequenceId: fc.oneof(fc.constantFrom('1', '2', '999999', '0', '01', '-1', '1e3'), anyJson), topicId: fc.oneof(fc.constantFrom('1', '2', '999999'), anyJson) })
    .chain((o) => fc.constantFrom(o.op === 'removeSequence' ? { op: o.op, sequenceId: o.sequenceId } : { op: o.op, topicId: o.topicId }, o)),
  // Unknown ops, extra keys, non-objects.
  fc.record({ op: fc.oneof(fc.constantFrom('deleteContact', 'SETFIELD', 'merge', ''), anyJson), key: fc.constant('nickname'), value }),
  fc.record({ op: fc.constant('addTag'), tag: fc.constant('ok'), extra: anyJson }),
  anyJson,
);

/** Values each fixture field and profile field accepts (some nasty but legal: emoji, bidi, the length limit). */
const goodFieldValues: Record<string, unknown[]> = {
  nickname: ['Ada', '😀 ok', '\u202Eevil\u202C', 'x'.repeat(10_000)],
  plan: planOptions,
  score: [0, -1.5, 42, 1e300],
  vip: [true, false],
  birthday: ['2024-05-01', '1900-01-01', '2024-02-29'],
  lastorder: ['2024-05-01T09:30:00Z', '2024-05-01T09:30:00.123+14:00'],
};
const goodProfileValues: Record<string, unknown[]> = {
  firstName: ['Ada', 'Émile', '李', '👩‍👩‍👧‍👦', 'x'.repeat(100), null, ''],
  lastName: ['Lovelace', "O'Brien", '\u05E9\u05DC\u05D5\u05DD', null],
  email: ['ada@example.com', 'ÖLAF@Example.com', null],
  phone: ['+33612345678', '+1 555 123 4567', null],
  gender: ['female', 'MALE', 'other', null],
  language: ['en', 'FR', 'tr', null],
  timezone: ['Europe/Paris', 'UTC', 'America/New_York', null],
  country: ['FR', 'us', null],
  avatarUrl: ['https://example.com/a.png', null],
};
const expectedOf = (pool: unknown[]) => fc.option(fc.constantFrom(...pool, null), { nil: undefined, freq: 3 });
/** An op that is valid on its own (it may still meet a stale `expected`: 409). */
export const goodOpArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ op: fc.constantFrom('addTag', 'removeTag'), tag: fc.constantFrom('vip', 'VIP', 'new', 'Straße', '😀', 'x'.repeat(100)) }),
  fc.constantFrom(...Object.keys(goodFieldValues)).chain((key) =>
    fc.oneof(
      fc.record({ op: fc.constant('setField'), key: fc.constant(key), value: fc.constantFrom(...goodFieldValues[key]!), expected: expectedOf(goodFieldValues[key]!) }).map(strip),
      fc.record({ op: fc.constant('clearField'), key: fc.constant(key), expected: expectedOf(goodFieldValues[key]!) }).map(strip),
    ),
  ),
  fc.constantFrom(...Object.keys(goodProfileValues)).chain((field) =>
    fc.record({ op: fc.constant('setProfile'), field: fc.constant(field), value: fc.constantFrom(...goodProfileValues[field]!), expected: expectedOf(goodProfileValues[field]!) }).map(strip),
  ),
  fc.constantFrom({ op: 'removeSequence', sequenceId: '1' }, { op: 'removeOtnTopic', topicId: '1' }, { op: 'removeSequence', sequenceId: '999999' }),
);

export const patchBodyArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.array(goodOpArb, { minLength: 1, maxLength: 4 }).map((ops) => ({ ops })) },
  // Valid ops with one bad one among them: the good ones must be rolled back too.
  {
    weight: 4,
    arbitrary: fc.tuple(fc.array(goodOpArb, { minLength: 1, maxLength: 4 }), opArb, fc.nat()).map(([ops, bad, k]) => ({
      ops: [...ops.slice(0, k % (ops.length + 1)), bad, ...ops.slice(k % (ops.length + 1))],
    })),
  },
  { weight: 3, arbitrary: fc.array(opArb, { minLength: 1, maxLength: 6 }).map((ops) => ({ ops })) },
  fc.array(opArb, { minLength: 0, maxLength: 120, size: 'small' }).map((ops) => ({ ops })),
  fc.record({ ops: anyJson }),
  anyJson,
);

// ---- inbound ---------------------------------------------------------------------------------

let n = 0;
/** A fresh valid inbound body (new channelUserId and externalId each time). */
export const validInbound = () => ({
  channel: 'whatsapp',
  channelUserId: `fuzz-${++n}`,
  profile: { firstName: 'Léa', lastName: 'Martin', email: 'lea@example.com', country: 'FR', language: 'fr', timezone: 'Europe/Paris' },
  message: { externalId: `ext-${n}`, text: 'Bonjour 👋' },
});

const inboundPaths: Path[] = [
  ['channel'], ['channelUserId'], ['profile'], ['message'], ['message', 'externalId'], ['message', 'text'], ['message', 'sentAt'],
  ...profileFields.map((f): Path => ['profile', f]), ['profile', 'extra'], ['extra'], ['message', 'extra'],
];
const inboundValues: fc.Arbitrary<unknown> = fc.oneof(
  anyJson,
  fc.constantFrom(...channels, 'fax', 'SMS', 'male', 'klingon', 'not-an-email', '12', '+999', 'Mars/Olympus', 'javascript:alert(1)', 'http://x', 'FRA'),
  fc.constantFrom('2024-02-30T00:00:00Z', '2024-05-01T09:30:00+14:00', '1970-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2024-05-01', 'yesterday'),
  fc.constant(undefined),
);

/** A valid body with 1–3 values replaced (or removed: undefined), or anything at all. */
export const inboundBodyArb = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.tuple(fc.constantFrom(...inboundPaths), inboundValues), { minLength: 1, maxLength: 3 }) },
  fc.constant([] as [Path, unknown][]),
  anyJson.map((v) => ({ whole: v })),
);
export function buildInbound(spec: [Path, unknown][] | { whole: unknown }): unknown {
  if (!Array.isArray(spec)) return spec.whole;
  let body: unknown = validInbound();
  for (const [path, v] of spec) {
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), body);
    if (!parent || typeof parent !== 'object' || Array.isArray(parent)) continue;
    body = replaceAt(body, path, v);
  }
  return body;
}

// ---- import start options --------------------------------------------------------------------

/** The columns of the fixed CSV the start-options fuzz uploads. */
export const importColumns = ['Phone', 'First', 'Tags', 'Score', 'Note'];
export const importCsv = 'Phone,First,Tags,Score,Note\n+33612345601,Ann,vip,12,hello\n+33612345602,Bob,"new;vip",x,\n0612345603,Cé,,3.5,😀\n';

const column = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...importColumns) }, nastyString);
const target = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('firstName', 'lastName', 'phone', 'email', 'gender', 'language', 'timezone', 'country', 'tags', 'ignore', 'custom.score', 'custom.note', 'custom.nope') },
  nastyString,
  anyJson,
);
const newField = fc.record({
  column,
  key: fc.oneof(fc.constantFrom('note', 'score', 'note2', 'a'.repeat(64), 'a'.repeat(65), 'Bad', '1x'), nastyString),
  label: fc.oneof(fc.constantFrom('Note', 'Score'), nastyString),
  type: fc.oneof(fc.constantFrom('text', 'number', 'boolean', 'date', 'datetime', 'select'), anyJson),
});

/** A valid request with at most one field or mapping entry off (most are still accepted). */
const nearlyValidStart = fc
  .record({
    extra: fc.dictionary(column, target, { maxKeys: 1 }),
    // Mostly dry runs: each real start boots an import worker.
    dryRun: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
    createFields: fc.oneof(fc.constant(undefined), fc.array(newField, { maxLength: 1 })),
    onExisting: fc.constantFrom('skip', 'update', 'fillEmpty'),
  })
  .map(({ extra, dryRun, createFields, onExisting }) => strip({
    mapping: { Phone: 'phone', First: 'firstName', Tags: 'tags', Score: 'ignore', Note: 'ignore', ...extra },
    channel: 'sms',
    defaultCountry: 'FR',
    onExisting,
    dryRun,
    createFields,
  }));

export const startBodyArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nearlyValidStart },
  {
    weight: 8,
    arbitrary: fc.record(
      {
        mapping: fc.oneof({ weight: 5, arbitrary: fc.dictionary(column, target, { maxKeys: 6 }) }, anyJson),
        channel: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('sms', 'voice') }, fc.constantFrom(...channels), anyJson),
        defaultCountry: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('FR', 'US', 'ZZ') }, fc.constantFrom('fr', 'FRA', ''), anyJson),
        onExisting: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('skip', 'update', 'fillEmpty') }, fc.constantFrom('overwrite', 'SKIP'), anyJson),
        dryRun: fc.oneof(fc.boolean(), anyJson),
        createFields: fc.oneof(fc.array(newField, { maxLength: 3 }), anyJson),
      },
      { requiredKeys: ['mapping'] },
    ),
  },
  anyJson,
);

// ---- CSV files --------------------------------------------------------------------------------

/** Raw byte runs a cell may carry: NUL, a UTF-8-encoded lone surrogate, invalid bytes. */
const badBytes = [Buffer.from([0]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xef, 0xbb, 0xbf])];
const cellText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('+33612345678', '0612345679', '+1 555 123 4567', '12', 'Ann', 'Ölaf', '李', 'vip;new|x', '42', 'true', '2024-05-01', '') },
  // NUL never reaches a cell as text: it is one of the bad byte runs below.
  nastyString.filter((s) => s.length < 3000 && !s.includes('\u0000')),
  fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !s.includes('\u0000')),
  fc.constantFrom('a,b', 'say "hi"', '"', '""', '\n', '\r\n', 'line1\nline2', ';', '|', 'x'.repeat(5000)),
);
// Quoted (quotes doubled) or raw: a raw quote or separator is the parser's problem, as in real files.
const cell = fc.tuple(cellText, fc.boolean()).map(([s, quote]) => Buffer.from(quote ? `"${s.replace(/"/g, '""')}"` : s, 'utf8'));
const headerCell = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('Phone', 'Name', 'Tags', 'Score', 'Note', 'Phone ', 'phone') }, nastyString.filter((s) => s.length < 200));

/** A small CSV file as bytes: a header of 1–5 cells and up to 6 rows of random cells and separators. */
export const csvFileArb = fc
  .tuple(
    fc.array(headerCell, { minLength: 1, maxLength: 5 }),
    fc.array(fc.array(cell, { minLength: 0, maxLength: 6 }), { maxLength: 6 }),
    fc.constantFrom('\n', '\r\n', '\r'),
    fc.boolean(),
    // One file in five carries a bad byte run somewhere (the upload must refuse it, naming the line).
    fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, fc.tuple(fc.constantFrom(...badBytes), fc.nat())),
  )
  .map(([header, rows, eol, bom, bad]) => {
    const line = (cells: Buffer[]) => Buffer.concat(cells.flatMap((c, i) => (i ? [Buffer.from(','), c] : [c])));
    const parts = [line(header.map((h) => Buffer.from(h.includes(',') || h.includes('"') ? `"${h.replace(/"/g, '""')}"` : h))), ...rows.map(line)];
    let body = Buffer.concat(parts.flatMap((p) => [p, Buffer.from(eol)]));
    if (bad) {
      const at = bad[1] % (body.length + 1);
      body = Buffer.concat([body.subarray(0, at), bad[0], body.subarray(at)]);
    }
    return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
  });
