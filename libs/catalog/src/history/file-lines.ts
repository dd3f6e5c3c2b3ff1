import { createReadStream } from 'node:fs';
import { InvalidHistoryFile } from './history-file';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * How much of the file one read brings in (a history line is a few hundred bytes, so about a hundred per
 * read). 1 MiB pieces raised an import's peak RSS by 20 MB at 238,443 events (194 against 175 MB, two runs
 * each): the pieces are garbage as soon as they are split, but are only freed when V8 collects them.
 */
const READ_BYTES = 1 << 16;

/**
 * The lines of a UTF-8 file, without their line breaks (`\n` or `\r\n`), read in 64 KiB pieces: never the
 * whole file in memory, only the piece and the line that straddles pieces, and that line only up to
 * `maxLineBytes`: a longer one stops the read with `InvalidHistoryFile` naming it, before more of it is
 * buffered (a file with no line break, an image uploaded by mistake, would otherwise be held whole).
 *
 * An import reads its file twice, and with `readline` the split alone (a regular expression over every
 * decoded piece, then a string per line cut out of it) was 5.6% of the instructions of an import
 * (callgrind, 24,048 events, 2026-12-06); here the breaks are found in the bytes (`indexOf`, a memchr) and
 * each line is decoded once. A line is only split at `\n`: a lone `\r` stays in its line (`readline`
 * would break there too; no file Strata writes has one, and JSON reads it as whitespace or refuses it).
 */
export async function* fileLines(path: string, maxLineBytes: number): AsyncGenerator<string> {
  // The start of a line that has not ended yet, piece by piece: joined once, when its end comes. Joined at
  // every piece instead, a line of 50 MB took 16.5 s of the event loop (each join copied all before it).
  let carried: Buffer[] = [];
  let carriedBytes = 0;
  let lineNo = 0;
  const tooLong = (): never => {
    throw new InvalidHistoryFile(`a line longer than ${maxLineBytes} bytes, the most any event Strata records can take`, lineNo + 1);
  };
  for await (const chunk of createReadStream(path, { highWaterMark: READ_BYTES }) as AsyncIterable<Buffer>) {
    let start = 0;
    let end = chunk.indexOf(NEWLINE);
    if (carried.length > 0) {
      if (carriedBytes + (end === -1 ? chunk.length : end) > maxLineBytes) tooLong();
      if (end === -1) {
        carried.push(chunk);
        carriedBytes += chunk.length;
        continue;
      }
      carried.push(chunk.subarray(0, end));
      const line = Buffer.concat(carried);
      carried = [];
      carriedBytes = 0;
      lineNo++;
      yield decode(line, 0, line.length);
      start = end + 1;
      end = chunk.indexOf(NEWLINE, start);
    }
    while (end !== -1) {
      if (end - start > maxLineBytes) tooLong();
      lineNo++;
      yield decode(chunk, start, end);
      start = end + 1;
      end = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) {
      if (chunk.length - start > maxLineBytes) tooLong();
      carried.push(chunk.subarray(start));
      carriedBytes = chunk.length - start;
    }
  }
  if (carried.length > 0) {
    const line = Buffer.concat(carried);
    yield decode(line, 0, line.length);
  }
}

const decode = (bytes: Buffer, start: number, end: number): string =>
  bytes.toString('utf8', start, end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end);
