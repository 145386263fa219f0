/**
 * glibc malloc's settings as glibc itself derives them from the process's
 * environment at start-up: the `MALLOC_*` variables and `GLIBC_TUNABLES`.
 *
 * Since glibc 2.26 each `MALLOC_*` variable is an alias of a
 * `glibc.malloc.*` tunable (elf/dl-tunables.list). `__tunables_init`
 * (elf/dl-tunables.c) walks the environment in order: a `GLIBC_TUNABLES`
 * entry sets its tunables whether or not they were set before ("Tunable
 * values take precedence over their envvar aliases"), while an alias is
 * skipped once its tunable is set. So a valid tunable wins over its alias in
 * either order, and a value out of the tunable's range is ignored as if
 * absent. Values are read like glibc's `_dl_strtoul`: leading digits only
 * (`64M` is 64), `0x` hex, a leading `0` octal. (`mallopt(M_MMAP_THRESHOLD)`
 * refuses values above 32 MiB; the environment does not: glibc 2.36 applies
 * a 64 MiB `MALLOC_MMAP_THRESHOLD_`.) Checked against glibc 2.36 by the
 * tests, which look at what malloc does with each setting.
 * @packageDocumentation
 */

import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { invalidType, outOfRange } from './errors';
import { integerOption } from './validate';

/** Where a setting's value comes from. */
export type SettingSource = 'env' | 'tunable' | 'default';

/** One malloc parameter. */
export interface MallocSetting {
  /** The value glibc uses: bytes for thresholds and pads, a count for `arenaMax` and `mmapMax` (exact up to 2^53). */
  value: number;
  /** `'tunable'` (`GLIBC_TUNABLES`), `'env'` (a `MALLOC_*` variable) or `'default'` (glibc's built-in). */
  source: SettingSource;
  /** The variable or tunable that set it, e.g. `'MALLOC_ARENA_MAX'` or `'glibc.malloc.arena_max'`; null for a default. */
  setBy: string | null;
}

/** What `allocator().settings` reports. */
export interface MallocSettings {
  /** Most arenas glibc creates (`arena_max`). Default: 8 × `cpuCount` on 64-bit, 2 × on 32-bit. */
  arenaMax: MallocSetting;
  /** Allocations at least this large get their own mmap (`mmap_threshold`). Default 128 KiB, raised by glibc as large chunks are freed (see `dynamicMmapThreshold`). */
  mmapThreshold: MallocSetting;
  /** A free top chunk larger than this is returned to the kernel by `free` itself (`trim_threshold`). Default 128 KiB, dynamic like the mmap threshold. */
  trimThreshold: MallocSetting;
  /** Extra bytes requested whenever the heap grows (`top_pad`). Default 128 KiB. */
  topPad: MallocSetting;
  /** Most chunks mmapped at once (`mmap_max`). Default 65536. */
  mmapMax: MallocSetting;
  /**
   * Whether glibc adjusts the mmap and trim thresholds as large chunks are
   * freed: true unless any of `mmapThreshold`, `trimThreshold`, `topPad` or
   * `mmapMax` was set (glibc then fixes them all).
   */
  dynamicMmapThreshold: boolean;
  /** The CPU count the default `arenaMax` derives from: the online CPUs (glibc 2.36 does not count the affinity mask). */
  cpuCount: number;
  /** Entries of the environment that name a setting but that glibc ignores, with the reason. */
  ignored: string[];
}

interface Tunable {
  key: Exclude<keyof MallocSettings, 'dynamicMmapThreshold' | 'cpuCount' | 'ignored'>;
  tunable: string;
  alias: string;
  /** glibc's tunable type: SIZE_T is compared unsigned, INT_32 signed. */
  type: 'size_t' | 'int32';
  min: bigint;
}

const TUNABLES: readonly Tunable[] = [
  { key: 'arenaMax', tunable: 'glibc.malloc.arena_max', alias: 'MALLOC_ARENA_MAX', type: 'size_t', min: 1n },
  { key: 'mmapThreshold', tunable: 'glibc.malloc.mmap_threshold', alias: 'MALLOC_MMAP_THRESHOLD_', type: 'size_t', min: 0n },
  { key: 'trimThreshold', tunable: 'glibc.malloc.trim_threshold', alias: 'MALLOC_TRIM_THRESHOLD_', type: 'size_t', min: 0n },
  { key: 'topPad', tunable: 'glibc.malloc.top_pad', alias: 'MALLOC_TOP_PAD_', type: 'size_t', min: 0n },
  { key: 'mmapMax', tunable: 'glibc.malloc.mmap_max', alias: 'MALLOC_MMAP_MAX_', type: 'int32', min: -(2n ** 31n) },
];

const KIB = 1024;
const U64_MAX = 2n ** 64n - 1n;

/** glibc's `_dl_strtoul`: blanks, a sign, then 0x-hex, 0-octal or decimal digits, stopping at the first other character; 0 without digits. */
export function dlStrtoul(text: string): bigint {
  let i = 0;
  while (text[i] === ' ' || text[i] === '\t') i++;
  let negative = false;
  if (text[i] === '-' || text[i] === '+') negative = text[i++] === '-';
  if (!(text[i] >= '0' && text[i] <= '9')) return 0n;
  let base = 10n;
  let digits = '0123456789';
  if (text[i] === '0') {
    if (text[i + 1] === 'x' || text[i + 1] === 'X') {
      base = 16n;
      i += 2;
      digits = '0123456789abcdef';
    } else {
      base = 8n;
      digits = '01234567';
    }
  }
  let result = 0n;
  for (; i < text.length; i++) {
    const digit = digits.indexOf(text[i].toLowerCase());
    if (digit < 0) break;
    result = result * base + BigInt(digit);
    if (result > U64_MAX) return U64_MAX; // glibc saturates on overflow
  }
  return negative ? (U64_MAX + 1n - result) & U64_MAX : result;
}

/** The house checks for {@link mallocSettings}: coded TypeError/RangeError naming the parameter. */
function checkArguments(environ: unknown, cpuCount: unknown, wordBytes: unknown): void {
  if (!Array.isArray(environ)) throw invalidType('environ', 'an array of strings (NAME=value)', environ);
  environ.forEach((entry: unknown, i) => {
    if (typeof entry !== 'string') throw invalidType(`environ[${i}]`, 'a string (NAME=value)', entry);
  });
  if (cpuCount === undefined) throw invalidType('cpuCount', 'a number', cpuCount);
  integerOption('cpuCount', cpuCount, 0, 0);
  if (wordBytes !== 4 && wordBytes !== 8) throw outOfRange('wordBytes', '4 or 8', wordBytes);
}

/**
 * The settings glibc derives from `environ` (entries `NAME=value`, in the
 * order of the process's environment), for `cpuCount` online CPUs (an
 * integer; 0 when unknown: glibc then assumes 2) and a word of `wordBytes`
 * (4 or 8). Pure: see {@link processMallocSettings} for this process.
 * @throws TypeError (`ERR_INVALID_ARG_TYPE`) or RangeError (`ERR_OUT_OF_RANGE`) naming the bad argument.
 */
export function mallocSettings(environ: readonly string[], cpuCount: number, wordBytes: 4 | 8): MallocSettings {
  checkArguments(environ, cpuCount, wordBytes);
  const sizeMax = wordBytes === 8 ? U64_MAX : 2n ** 32n - 1n;
  const set = new Map<string, { value: bigint; source: SettingSource; setBy: string }>();
  const ignored: string[] = [];

  const offer = (t: Tunable, text: string, source: SettingSource, setBy: string): void => {
    const raw = dlStrtoul(text);
    // INT_32 tunables compare as signed 64-bit numbers, SIZE_T ones as unsigned.
    const value = t.type === 'int32' && raw > 2n ** 63n - 1n ? raw - 2n ** 64n : raw;
    const max = t.type === 'int32' ? 2n ** 31n - 1n : sizeMax;
    if (value < t.min || value > max) {
      ignored.push(`${setBy}=${text} (out of range: glibc ignores it)`);
      return;
    }
    set.set(t.key, { value, source, setBy });
  };

  for (const entry of environ) {
    const eq = entry.indexOf('=');
    if (eq < 0) continue;
    const name = entry.slice(0, eq);
    const text = entry.slice(eq + 1);
    if (name === 'GLIBC_TUNABLES') {
      // name=value pairs separated by ':'; a later pair overrides an earlier one.
      for (const pair of text.split(':')) {
        const at = pair.indexOf('=');
        if (at < 0) continue;
        const tunable = TUNABLES.find((t) => t.tunable === pair.slice(0, at));
        if (tunable !== undefined) offer(tunable, pair.slice(at + 1), 'tunable', tunable.tunable);
      }
      continue;
    }
    const alias = TUNABLES.find((t) => t.alias === name);
    if (alias !== undefined && !set.has(alias.key)) offer(alias, text, 'env', alias.alias);
  }

  const cpus = cpuCount >= 1 ? cpuCount : 2; // glibc assumes two cores when it cannot tell
  const defaults: Record<Tunable['key'], number> = {
    arenaMax: cpus * (wordBytes === 8 ? 8 : 2),
    mmapThreshold: 128 * KIB,
    trimThreshold: 128 * KIB,
    topPad: 128 * KIB,
    mmapMax: 65536,
  };
  const setting = (key: Tunable['key']): MallocSetting => {
    const found = set.get(key);
    return found === undefined
      ? { value: defaults[key], source: 'default', setBy: null }
      : { value: Number(found.value), source: found.source, setBy: found.setBy };
  };
  return {
    arenaMax: setting('arenaMax'),
    mmapThreshold: setting('mmapThreshold'),
    trimThreshold: setting('trimThreshold'),
    topPad: setting('topPad'),
    mmapMax: setting('mmapMax'),
    dynamicMmapThreshold: !['mmapThreshold', 'trimThreshold', 'topPad', 'mmapMax'].some((k) => set.has(k)),
    cpuCount: cpus,
    ignored,
  };
}

/** CPUs listed in /sys/devices/system/cpu/online ("0-3,8-11"), as glibc's get_nprocs counts them. */
function onlineCpus(): number {
  try {
    const text = readFileSync('/sys/devices/system/cpu/online', 'latin1').trim();
    let count = 0;
    for (const range of text.split(',')) {
      const [first, last = first] = range.split('-').map(Number);
      if (!Number.isInteger(first) || !Number.isInteger(last) || last < first) return cpus().length;
      count += last - first + 1;
    }
    return count;
  } catch {
    return cpus().length;
  }
}

/**
 * The environment this process started with, which is what glibc read:
 * /proc/self/environ keeps it even when `process.env` is changed later.
 * One repair: glibc (2.36) parses GLIBC_TUNABLES in place, ending each
 * recognised value with a NUL where its ':' was, so the rest of the
 * variable shows as separate `glibc.…=…` entries; they are joined back.
 */
export function startupEnvironment(text?: string): string[] {
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/environ', 'latin1');
    } catch {
      return Object.entries(process.env).map(([name, value]) => `${name}=${value ?? ''}`);
    }
  }
  const entries: string[] = [];
  for (const entry of text.split('\0')) {
    const last = entries.length - 1;
    if (last >= 0 && entries[last].startsWith('GLIBC_TUNABLES=') && /^glibc\.[^=]*=/.test(entry)) {
      entries[last] += `:${entry}`;
    } else if (entry !== '') {
      entries.push(entry);
    }
  }
  return entries;
}

let cached: MallocSettings | undefined;

/** {@link mallocSettings} for this process, computed once (glibc reads them once, at start-up). */
export function processMallocSettings(): MallocSettings {
  if (cached === undefined) {
    const wordBytes = process.arch === 'ia32' || process.arch === 'arm' ? 4 : 8;
    cached = mallocSettings(startupEnvironment(), onlineCpus(), wordBytes);
  }
  return structuredClone(cached);
}
