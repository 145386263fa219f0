/**
 * NDJSON lines out of bytes that arrive in chunks of any size (a file read
 * in blocks, a socket): the same lines however the chunks fall. A line
 * ends at "\n" only: a "\r" is JSON whitespace (a CRLF file still parses,
 * the "\r" being trailing whitespace), not a line end as node:readline has
 * it, which would cut a valid record in two. A UTF-8 character split
 * between chunks is put back together.
 * @packageDocumentation
 */
import { StringDecoder } from 'node:string_decoder';

/** Splits a stream of bytes into lines; what follows the last "\n" is held back until more comes. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  /** The start of a line whose "\n" has not come yet. */
  private held = '';

  /** The lines that `chunk` completes, in order, without their "\n". */
  push(chunk: Uint8Array): string[] {
    const text = this.decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      lines.push(this.held + text.slice(start, end));
      this.held = '';
      start = end + 1;
    }
    this.held += text.slice(start);
    return lines;
  }

  /**
   * The end of the input: what came after the last "\n" (a last line
   * without its newline, or one cut off), or undefined when nothing did.
   */
  end(): string | undefined {
    const rest = this.held + this.decoder.end();
    this.held = '';
    return rest === '' ? undefined : rest;
  }
}
