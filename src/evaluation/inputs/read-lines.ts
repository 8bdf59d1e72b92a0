import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/**
 * The non-blank lines of one chunk of a file, as positions in the chunk's text: line k is
 * `text.slice(starts[k], ends[k])` (without its line break), line number `lines[k]` (1-based). Readers
 * parse in place, so no string is made per line.
 */
export interface LineBatch {
  text: string;
  starts: number[];
  ends: number[];
  lines: number[];
}

/** Line k of a batch as a string. */
export function lineText(batch: LineBatch, k: number): string {
  return batch.text.slice(batch.starts[k], batch.ends[k]);
}

/**
 * The lines of a text file with their 1-based numbers, streamed in 1 MiB chunks, so memory stays flat
 * however long the file (a line itself must fit in memory). Splits on `\n` by hand, which is about three
 * times faster than `node:readline` on long logs; a trailing `\r` (CRLF files) is dropped, blank lines
 * are skipped. One batch per chunk (tens of thousands of lines for a typical log), so a reader parses a
 * whole chunk per `await`.
 */
export async function* readLineBatches(file: string): AsyncGenerator<LineBatch> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const text = rest + decoder.write(chunk as Buffer);
    const batch: LineBatch = { text, starts: [], ends: [], lines: [] };
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      line++;
      const contentEnd = text.charCodeAt(end - 1) === 13 && end > start ? end - 1 : end;
      if (!isBlank(text, start, contentEnd)) {
        batch.starts.push(start);
        batch.ends.push(contentEnd);
        batch.lines.push(line);
      }
      start = end + 1;
    }
    rest = text.slice(start);
    if (batch.lines.length > 0) yield batch;
  }
  const text = rest + decoder.end();
  if (text.length > 0) {
    line++;
    const end = text.endsWith('\r') ? text.length - 1 : text.length;
    if (!isBlank(text, 0, end)) yield { text, starts: [0], ends: [end], lines: [line] };
  }
}

/** Whether text[start … end) is empty or white space, without slicing it unless it starts with a space. */
function isBlank(text: string, start: number, end: number): boolean {
  if (end === start) return true;
  const first = text.charCodeAt(start);
  return (first <= 32 || first === 160 || first > 0x1000) && text.slice(start, end).trim() === '';
}
