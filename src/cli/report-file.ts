/**
 * The HTML report's file, written whole or not at all: created under a
 * temporary name next to its path when the CLI starts (so that a path that
 * cannot be written fails before the command runs), and renamed into place
 * once complete, so that the path never holds half a report, whatever stops
 * the CLI (only a SIGKILL in between leaves the hidden temporary file).
 * A path that is not a regular file (/dev/stdout, a FIFO) is written in place.
 * The temporary name is unpredictable and created exclusively (`O_EXCL`,
 * which also refuses a symlink), so that nobody can plant a link there that
 * the report would be written through.
 * @packageDocumentation
 */
import { closeSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { describeFsError, FileError } from './ndjson';

/**
 * Where an existing path leads: a regular file by its real path (a symlink
 * stays, its file is replaced), or anything else (/dev/stdout on a pipe: a
 * FIFO) as it is, to be written in place.
 */
function existing(path: string): { real: string; regular: boolean } | undefined {
  try {
    if (!statSync(path).isFile()) return { real: path, regular: false };
    return { real: realpathSync(path), regular: true };
  } catch {
    return undefined;
  }
}

/** One report file, opened by {@link ReportFile.open}, then written once or discarded. */
export class ReportFile {
  private constructor(
    /** The path as the user gave it, for messages. */
    readonly path: string,
    private fd: number | undefined,
    /** Where the text goes first, and the path it is renamed to; undefined when written in place. */
    private readonly rename: { temp: string; target: string } | undefined,
  ) {}

  /**
   * Opens the temporary file (or, for a device or FIFO, the path itself).
   * @throws FileError naming `path`.
   */
  static open(path: string): ReportFile {
    const found = existing(path);
    const target = found?.real ?? path;
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      if (found !== undefined && !found.regular) return new ReportFile(path, openSync(path, 'w'), undefined);
      return new ReportFile(path, openSync(temp, 'wx'), { temp, target });
    } catch (error) {
      // The temporary name means nothing to the user; what fails is writing in that directory.
      throw new FileError(`cannot write ${path}: ${describeFsError(error).replaceAll(temp, target)}`);
    }
  }

  /**
   * Writes `text` as the whole file and puts it in place.
   * @throws FileError naming the path (the temporary file is then removed).
   */
  write(text: string): void {
    try {
      writeFileSync(this.fd as number, text);
      closeSync(this.fd as number);
      this.fd = undefined;
      if (this.rename !== undefined) renameSync(this.rename.temp, this.rename.target);
    } catch (error) {
      this.discard();
      throw new FileError(`cannot write ${this.path}: ${describeFsError(error)}`);
    }
  }

  /** Closes and removes the temporary file: the path stays as it was. */
  discard(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.rename !== undefined) {
      try {
        unlinkSync(this.rename.temp);
      } catch {
        // Already renamed into place, or removed.
      }
    }
  }
}
