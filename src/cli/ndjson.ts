/**
 * The NDJSON file of a run: written record by record while the command
 * runs (`--ndjson`), read back line by line by `mallinfo report`.
 * @packageDocumentation
 */
import { createReadStream, createWriteStream, openSync, statSync, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
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

/** Appends records to a file, one JSON line each. */
export class NdjsonWriter {
  private readonly stream: WriteStream;
  /** The first write error (a full disk…), reported by close(); later records are dropped. */
  private error: Error | undefined;

  /**
   * Creates (or truncates) `path` at once, so that a path that cannot be
   * written fails before the command starts.
   */
  constructor(private readonly path: string) {
    this.stream = createWriteStream(path, { fd: openForWriting(path) });
    this.stream.on('error', (error) => (this.error ??= error));
  }

  write(record: RunEvent): void {
    if (this.error === undefined) this.stream.write(`${JSON.stringify(record)}\n`);
  }

  /** Flushes and closes the file; rejects with a FileError for the first write error, if any. */
  close(): Promise<void> {
    const failure = (error: unknown): FileError => new FileError(`cannot write ${this.path}: ${describeFsError(error)}`);
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

/**
 * Reads a run back from its NDJSON file (empty lines are skipped; records
 * of unknown types too, so newer files stay readable).
 * @throws FileError when the file cannot be read, a line is not a valid
 * record (naming the line), or it holds no sample.
 */
export async function readRunFile(path: string): Promise<RunData> {
  try {
    if (statSync(path).isDirectory()) throw new FileError(`cannot read ${path}: it is a directory`);
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError(`cannot read ${path}: ${describeFsError(error)}`);
  }
  const data = new RunData();
  let lineNumber = 0;
  let samples = 0;
  const input = createReadStream(path, { encoding: 'utf8' });
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNumber++;
      if (line.trim() === '') continue;
      let record: RunEvent | null;
      try {
        record = parseRecord(line);
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        throw new FileError(`${path}, line ${lineNumber}: ${error.message}`);
      }
      if (record === null) continue;
      if (record.type === 'sample') samples++;
      data.add(record);
    }
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError(`cannot read ${path}: ${describeFsError(error)}`);
  } finally {
    input.destroy();
  }
  if (samples === 0) throw new FileError(`${path} holds no sample (${lineNumber} line${lineNumber === 1 ? '' : 's'} read)`);
  return data;
}
