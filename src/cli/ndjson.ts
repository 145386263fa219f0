/**
 * The NDJSON file of a run: written record by record while the command
 * runs (`--ndjson`), read back line by line by `mallinfo report`.
 * @packageDocumentation
 */
import { createReadStream, createWriteStream, openSync, statSync, type WriteStream } from 'node:fs';
import { LineSplitter } from './lines';
import { parseRecord, RecordError, type RunEvent } from './records';
import { RunData } from './store';

/** A file that cannot be read as a run, or written; the message names the file and, for bad content, the line. */
export class FileError extends Error {
  override readonly name = 'FileError';
}

/** The reason in an fs error, as `CODE: message`. */
export function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message.replace(/^[A-Z]+: /, '')}` : String(error);
}

/**
 * Creates (or truncates) a file to write to, now, so that a path that
 * cannot be written fails before the command runs.
 * @throws FileError naming the file.
 */
export function openForWriting(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (error) {
    throw new FileError(`cannot write ${path}: ${describeFsError(error)}`);
  }
}

/** One record as a line of the file: its JSON and a newline (JSON escapes every newline in a string). */
export function formatRecord(record: RunEvent): string {
  return `${JSON.stringify(record)}\n`;
}

/** Appends records to a file, one JSON line each. */
export class NdjsonWriter {
  private readonly stream: WriteStream;
  /** The first write error (a full disk…), reported by close(); later records are dropped. */
  private error: Error | undefined;
  /** Records given after close(), dropped: nothing is written after the end. */
  dropped = 0;
  private closed = false;

  /**
   * Creates (or truncates) `path` at once, so that a path that cannot be
   * written fails before the command starts.
   */
  constructor(private readonly path: string) {
    this.stream = createWriteStream(path, { fd: openForWriting(path) });
    this.stream.on('error', (error) => (this.error ??= error));
  }

  write(record: RunEvent): void {
    if (this.closed) this.dropped++;
    else if (this.error === undefined) this.stream.write(formatRecord(record));
  }

  /** Flushes and closes the file; rejects with a FileError for the first write error, if any. */
  close(): Promise<void> {
    const failure = (error: unknown): FileError => new FileError(`cannot write ${this.path}: ${describeFsError(error)}`);
    this.closed = true;
    return new Promise((resolve, reject) => {
      if (this.error) {
        this.stream.destroy();
        reject(failure(this.error));
        return;
      }
      this.stream.end((error?: Error | null) => {
        const failed = error ?? this.error;
        if (failed) reject(failure(failed));
        else resolve();
      });
    });
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads records out of NDJSON bytes as they come, in chunks of any size:
 * the same records whatever the chunks. Empty lines, and records of types
 * this version does not know (newer files stay readable), are skipped. A
 * last line without its newline is a record if it is JSON; if it is not,
 * it is a write that was cut off (the CLI killed mid-line, a full disk),
 * skipped and counted in {@link NdjsonReader.cutOff}, so that the lines
 * before it stay readable. A bad line anywhere else is an error.
 */
export class NdjsonReader {
  /** Lines read so far: the number of the last one. */
  lines = 0;
  /** Whether the input ended in a line cut off mid-write (skipped). */
  cutOff = false;
  private readonly splitter = new LineSplitter();

  /** @param name The file, for messages. */
  constructor(private readonly name: string) {}

  /**
   * The records that `chunk` completes, in order.
   * @throws FileError naming the file and the line of a bad record.
   */
  push(chunk: Uint8Array): RunEvent[] {
    const records: RunEvent[] = [];
    for (const line of this.splitter.push(chunk)) this.read(line, records);
    return records;
  }

  /**
   * The end of the input: the record on a last line without its newline, if any.
   * @throws FileError naming the line when that line is JSON but not a valid record.
   */
  end(): RunEvent[] {
    const records: RunEvent[] = [];
    const rest = this.splitter.end();
    if (rest === undefined) return records;
    if (rest.trim() !== '' && !isJson(rest)) {
      this.lines++;
      this.cutOff = true;
      return records;
    }
    this.read(rest, records);
    return records;
  }

  private read(line: string, records: RunEvent[]): void {
    this.lines++;
    if (line.trim() === '') return;
    let record: RunEvent | null;
    try {
      record = parseRecord(line);
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      throw new FileError(`${this.name}, line ${this.lines}: ${error.message}`);
    }
    if (record !== null) records.push(record);
  }
}

/** A run read back from its file. */
export interface RunFile {
  data: RunData;
  /** Whether the file ended in a line cut off mid-write, which was skipped. */
  cutOff: boolean;
}

/**
 * Reads a run back from its NDJSON file, as {@link NdjsonReader} reads it.
 * @throws FileError when the file cannot be read, a line is not a valid
 * record (naming the line), or it holds no sample.
 */
export async function readRunFile(path: string): Promise<RunFile> {
  try {
    if (statSync(path).isDirectory()) throw new FileError(`cannot read ${path}: it is a directory`);
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError(`cannot read ${path}: ${describeFsError(error)}`);
  }
  const data = new RunData();
  const reader = new NdjsonReader(path);
  let samples = 0;
  const take = (records: RunEvent[]): void => {
    for (const record of records) {
      if (record.type === 'sample') samples++;
      data.add(record);
    }
  };
  const input = createReadStream(path);
  try {
    for await (const chunk of input) take(reader.push(chunk as Buffer));
    take(reader.end());
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError(`cannot read ${path}: ${describeFsError(error)}`);
  } finally {
    input.destroy();
  }
  const lines = reader.lines;
  if (samples === 0) throw new FileError(`${path} holds no sample (${lines} line${lines === 1 ? '' : 's'} read)`);
  return { data, cutOff: reader.cutOff };
}
