import type { CsvError } from 'csv-parse';

/** How every import reads a CSV (the preview, the dry run and the run must agree). */
export const csvOptions = {
  // A short or long row is the row's problem (rejected with a reason), not the file's.
  relax_column_count: true,
  // A stray quote inside an unquoted cell (5'11", O"Brien) is text, as spreadsheets write it.
  relax_quotes: true,
  skip_empty_lines: true,
  // Each record comes with its byte offset and line: the checkpoint and the error lines.
  info: true,
  // One runaway quote must not pull the rest of a gigabyte into one record in memory.
  max_record_size: 1_000_000,
} as const;

export const fmtLine = (n: number) => n.toLocaleString('en-US');

/** The line a record starts on, from the line it ends on and the line breaks inside its cells. */
export function recordStartLine(endLine: number, cells: string[]): number {
  let breaks = 0;
  for (const c of cells) {
    if (c.indexOf('\n') === -1 && c.indexOf('\r') === -1) continue;
    breaks += c.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return endLine - breaks;
}

/**
 * A malformed file in words, naming the line: `lastEndLine` is where the last good record ended
 * (the broken one starts after it), `lineOffset` the lines before the point the parser started at.
 */
export function describeCsvError(err: CsvError, lastEndLine: number, lineOffset: number): string {
  const at = (err as CsvError & { lines?: number }).lines ?? lastEndLine + 1;
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `line ${fmtLine(lineOffset + lastEndLine + 1)}: unterminated quote (a quoted cell is never closed)`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `line ${fmtLine(lineOffset + at)}: a quote inside a quoted cell must be doubled ("")`;
    case 'CSV_MAX_RECORD_SIZE':
      return `line ${fmtLine(lineOffset + lastEndLine + 1)}: a row is longer than 1 MB (an unbalanced quote?)`;
    default:
      return `line ${fmtLine(lineOffset + at)}: ${err.message}`;
  }
}
