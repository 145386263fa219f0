/**
 * Whether two paths the user gave name one file, whatever their spelling:
 * `x`, `./x`, `a/../x`, a symlink to x, a hard link to x. Used to refuse
 * an HTML report written over the samples it is made from.
 * @packageDocumentation
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** The path with every symlink resolved; for a file not there yet, its directory's. */
function canonical(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return resolve(realpathSync(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}

/** The device and inode of an existing file (hard links share them), else undefined. */
function identity(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/** Whether the path exists and is not a regular file (a device, a FIFO): written in place, it is replaced by nothing. */
function special(path: string): boolean {
  try {
    return !statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Whether `a` and `b` name the same regular file (existing or to be
 * created). A device or FIFO (/dev/stdout, /dev/full) is not one: both
 * outputs are written to it in place and neither replaces the other.
 */
export function sameFile(a: string, b: string): boolean {
  if (special(a) || special(b)) return false;
  if (canonical(a) === canonical(b)) return true;
  const idA = identity(a);
  return idA !== undefined && idA === identity(b);
}
