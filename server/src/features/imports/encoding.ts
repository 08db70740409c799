import { Transform, type TransformCallback } from 'node:stream';

/** Why a file is not the UTF-8 text a CSV import needs, in words a user can act on. */
export class EncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncodingError';
  }
}

const SAVE_AS = 'save it as "CSV UTF-8" and upload it again';

/**
 * Index of the first byte of `buf` that cannot start or continue a UTF-8 sequence, or -1. A
 * sequence cut off by the end of the buffer is not an error (the next chunk continues it).
 */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) (need = 1), (min = 0x80);
    else if (b >= 0xe0 && b <= 0xef) (need = 2), (min = 0x800);
    else if (b >= 0xf0 && b <= 0xf4) (need = 3), (min = 0x10000);
    else return i;
    if (i + need >= buf.length) {
      // Truncated at the end: only check the bytes that are there.
      for (let k = 1; i + k < buf.length; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return i;
      return -1;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8 either.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}

/** Line feeds in buf[0, end), by native search (a gigabyte file is scanned in well under a second). */
function countLines(buf: Buffer, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i !== -1 && i < end; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

/**
 * Passes bytes through while proving they are UTF-8 text: a UTF-16 byte order mark, NUL bytes
 * (UTF-16 without a mark, or a binary file) and invalid sequences stop the stream with an
 * EncodingError naming the line. A UTF-8 byte order mark is fine (the parser skips it).
 */
export class Utf8Check extends Transform {
  private decoder = new TextDecoder('utf-8', { fatal: true });
  private bytes = 0;
  private lines = 1;
  /** The last bytes of the previous chunk when they were an incomplete sequence. */
  private carry: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.bytes === 0 && chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
      return done(new EncodingError(`The file is UTF-16 text; ${SAVE_AS}`));
    }
    const nul = chunk.indexOf(0);
    try {
      // The decoder is the fast path (native); the byte scan below only runs to locate an error.
      this.decoder.decode(chunk, { stream: true });
    } catch {
      const joined = Buffer.concat([this.carry, chunk]);
      const at = Math.max(0, firstInvalidUtf8(joined));
      const line = this.lines + countLines(joined, at);
      const byte = joined[at]!.toString(16).toUpperCase().padStart(2, '0');
      return done(
        new EncodingError(
          `Line ${line.toLocaleString('en-US')} has a byte (0x${byte}) that is not valid UTF-8: the file seems to use another encoding (Windows-1252, Latin-1…); ${SAVE_AS}`,
        ),
      );
    }
    if (nul !== -1) {
      return done(new EncodingError(`Line ${(this.lines + countLines(chunk, nul)).toLocaleString('en-US')} contains a NUL byte: this is not a text CSV (UTF-16 or binary?); ${SAVE_AS}`));
    }
    this.lines += countLines(chunk, chunk.length);
    this.bytes += chunk.length;
    const tail = Math.min(3, chunk.length);
    this.carry = chunk.subarray(chunk.length - tail);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    try {
      this.decoder.decode();
    } catch {
      return done(new EncodingError(`The file ends in the middle of a UTF-8 character (line ${this.lines.toLocaleString('en-US')}); ${SAVE_AS}`));
    }
    done();
  }
}
