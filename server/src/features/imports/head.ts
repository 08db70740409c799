import { createReadStream } from 'node:fs';
import { parse, CsvError } from 'csv-parse';
import type { MappingTarget } from '@switchboard/shared';
import { fold } from '@switchboard/shared/filter/fold';
import { AppError } from '../../lib/errors.ts';
import type { Catalogue } from '../catalogue/service.ts';
import { csvOptions, describeCsvError, recordStartLine } from './csv.ts';

export interface Head {
  columns: string[];
  /** The first data rows, raw, padded to the header's width. */
  rows: { line: number; cells: string[] }[];
}

const unprocessable = (message: string) => new AppError('unprocessable', message, [{ path: 'file', message }]);

/**
 * The header and the first `count` rows of an uploaded CSV, read as a stream that stops early.
 * A blank header cell is named `Column <n>`; two columns with one name are refused (the mapping
 * names columns, so it could not tell them apart).
 */
export async function readHead(file: string, count = 20): Promise<Head> {
  const parser = createReadStream(file).pipe(parse({ ...csvOptions, bom: true, to: count + 1 }));
  const records: { line: number; cells: string[] }[] = [];
  let lastLine = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      records.push({ line: recordStartLine(info.lines, record), cells: record });
      lastLine = info.lines;
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    // A broken header is the upload's problem; a broken row further down is the run's (it
    // fails naming the line, after committing the rows before it): the preview stops there.
    if (!records.length) throw unprocessable(describeCsvError(err, lastLine, 0));
  }
  const header = records.shift();
  if (!header || header.cells.every((c) => c.trim() === '')) throw unprocessable('The file is empty: the first line must name the columns');
  const columns = header.cells.map((c, i) => c.trim() || `Column ${i + 1}`);
  const seen = new Map<string, number>();
  columns.forEach((c, i) => {
    const before = seen.get(c);
    if (before !== undefined) throw unprocessable(`Columns ${before + 1} and ${i + 1} are both named "${c}"; rename one so the mapping can tell them apart`);
    seen.set(c, i);
  });
  const width = columns.length;
  return {
    columns,
    rows: records.map((r) => ({ line: r.line, cells: r.cells.length >= width ? r.cells.slice(0, width) : [...r.cells, ...Array<string>(width - r.cells.length).fill('')] })),
  };
}

/** Header words (folded, letters and digits only) that name a profile field or the tags. */
const synonyms: Record<string, MappingTarget> = {};
const add = (target: MappingTarget, words: string[]) => words.forEach((w) => (synonyms[w] = target));
add('firstName', ['firstname', 'first', 'givenname', 'forename', 'prenom', 'vorname', 'nombre']);
add('lastName', ['lastname', 'last', 'surname', 'familyname', 'nom', 'nachname', 'apellido']);
add('phone', ['phone', 'phonenumber', 'mobile', 'mobilephone', 'mobilenumber', 'cell', 'cellphone', 'tel', 'telephone', 'msisdn', 'number', 'sms']);
add('email', ['email', 'emailaddress', 'mail', 'courriel']);
add('gender', ['gender', 'sex']);
add('language', ['language', 'lang', 'locale']);
add('timezone', ['timezone', 'tz', 'zone']);
add('country', ['country', 'countrycode', 'pays', 'land']);
add('tags', ['tags', 'tag', 'labels', 'label', 'segments']);

const squash = (s: string) => fold(s).normalize('NFD').replace(/[^a-z0-9]/g, '');

/** The synonym's target, own keys only: a column named "constructor" must not find Object's. */
const synonymOf = (word: string): MappingTarget | undefined => (Object.hasOwn(synonyms, word) ? synonyms[word] : undefined);

/** Column → target guessed from header names: profile synonyms, then custom field keys and labels. */
export function suggestMapping(columns: string[], catalogue: Catalogue): Record<string, MappingTarget> {
  const custom = new Map<string, string>();
  for (const def of catalogue.byKey.values()) {
    custom.set(squash(def.key), def.key);
    custom.set(squash(def.label), def.key);
  }
  const taken = new Set<string>();
  const out: Record<string, MappingTarget> = {};
  for (const column of columns) {
    const word = squash(column);
    const guess: MappingTarget | undefined = synonymOf(word) ?? (custom.has(word) ? (`custom.${custom.get(word)}` as MappingTarget) : undefined);
    // The first column wins a target; tags may come from several columns.
    if (guess && (guess === 'tags' || !taken.has(guess))) {
      out[column] = guess;
      taken.add(guess);
    } else {
      out[column] = 'ignore';
    }
  }
  return out;
}
