/**
 * Return addresses to function names, with binutils' `nm` on the files
 * mapped in the process (the profile's memory map): the symbol table, or the
 * dynamic one for stripped libraries (libz exports deflateInit2_). JIT code
 * has no file: Node's `--perf-basic-prof` map (/tmp/perf-<pid>.map) names it
 * when the process wrote one.
 *
 * `nm` rather than jemalloc's jeprof: jeprof is a Perl script that wants the
 * program's binary and runs addr2line and nm itself; nm once per file, then
 * a binary search per address, is all a few dozen growing stacks need.
 * @packageDocumentation
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import type { MappedFile } from './jemalloc-profile';

/** A symbolized frame. */
export interface NativeFrame {
  /** Function name (demangled), or the address in hex when unknown. */
  name: string;
  /** The file the code is in (`/usr/bin/node`, an addon's `.node`), `[jit]`, or '' when unknown. */
  file: string;
  address: bigint;
}

interface SymbolTable {
  addresses: bigint[];
  /** 0n where nm gives no size. */
  sizes: bigint[];
  names: string[];
}

const EMPTY: SymbolTable = { addresses: [], sizes: [], names: [] };

function nm(path: string, dynamic: boolean): SymbolTable {
  let out: string;
  try {
    out = execFileSync('nm', ['--defined-only', '-C', '-S', ...(dynamic ? ['-D'] : []), path], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return EMPTY;
  }
  const entries: [bigint, bigint, string][] = [];
  for (const line of out.split('\n')) {
    const m = /^([0-9a-f]+) (?:([0-9a-f]+) )?([tTwWiI]) (.+)$/.exec(line);
    if (m) entries.push([BigInt(`0x${m[1]}`), m[2] === undefined ? 0n : BigInt(`0x${m[2]}`), m[4]]);
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { addresses: entries.map((e) => e[0]), sizes: entries.map((e) => e[1]), names: entries.map((e) => e[2]) };
}

function lookup(table: SymbolTable, address: bigint): string | null {
  let lo = 0;
  let hi = table.addresses.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (table.addresses[mid] <= address) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found === -1) return null;
  // Past the end of the nearest symbol (a static function of a stripped library): unknown, not its neighbour.
  const size = table.sizes[found];
  if (size > 0n && address >= table.addresses[found] + size) return null;
  return table.names[found];
}

/** Whether an ELF file is position-dependent (ET_EXEC: addresses are its own) rather than shared (ET_DYN). */
function isFixedAddressExecutable(path: string): boolean {
  const header = Buffer.alloc(18);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 18, 0);
  } finally {
    closeSync(fd);
  }
  return header.readUInt16LE(16) === 2;
}

/** Names return addresses of one process, given its memory map. */
export class Symbolizer {
  private readonly tables = new Map<string, SymbolTable>();
  private readonly fixed = new Map<string, boolean>();
  private readonly jit: { start: bigint; end: bigint; name: string }[] = [];

  constructor(
    private readonly mappings: readonly MappedFile[],
    /** The process's pid, for its perf map (`--perf-basic-prof`); null to skip. */
    pid: number | null = null,
  ) {
    const perfMap = pid === null ? '' : `/tmp/perf-${pid}.map`;
    if (perfMap !== '' && existsSync(perfMap)) {
      for (const line of readFileSync(perfMap, 'utf8').split('\n')) {
        const m = /^([0-9a-f]+) ([0-9a-f]+) (.+)$/.exec(line);
        if (m) {
          const start = BigInt(`0x${m[1]}`);
          this.jit.push({ start, end: start + BigInt(`0x${m[2]}`), name: m[3] });
        }
      }
    }
  }

  private table(path: string): SymbolTable {
    let table = this.tables.get(path);
    if (table === undefined) {
      table = nm(path, false);
      if (table.addresses.length === 0) table = nm(path, true);
      this.tables.set(path, table);
    }
    return table;
  }

  /** The mapped file an address is in. */
  fileOf(address: bigint): MappedFile | undefined {
    return this.mappings.find((m) => m.executable && address >= m.start && address < m.end && m.path.startsWith('/'));
  }

  /** Names a return address (looked up one byte back: the call, not the instruction after it). */
  frame(returnAddress: bigint): NativeFrame {
    const address = returnAddress > 0n ? returnAddress - 1n : returnAddress;
    const file = this.fileOf(address);
    if (file === undefined) {
      const jit = this.jit.find((j) => address >= j.start && address < j.end);
      return { name: jit?.name ?? `0x${returnAddress.toString(16)}`, file: jit ? '[jit]' : '', address: returnAddress };
    }
    let fixed = this.fixed.get(file.path);
    if (fixed === undefined) {
      try {
        fixed = isFixedAddressExecutable(file.path);
      } catch {
        fixed = false;
      }
      this.fixed.set(file.path, fixed);
    }
    // A shared object's symbols are relative to where its first mapping (file offset 0) was loaded.
    const base = fixed ? 0n : (this.mappings.find((m) => m.path === file.path && m.offset === 0n)?.start ?? file.start - file.offset);
    const offset = address - base;
    const name = lookup(this.table(file.path), offset);
    return { name: name ?? `${file.path.split('/').pop()}+0x${offset.toString(16)}`, file: file.path, address: returnAddress };
  }
}
