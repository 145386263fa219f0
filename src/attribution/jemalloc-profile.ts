/**
 * jemalloc heap profiles (`heap_v2`, what `mallctl("prof.dump")` writes):
 * one record per allocation stack with the sampled live objects and bytes,
 * then the process's memory map. jemalloc samples about one allocation per
 * `2^lg_prof_sample` bytes; counts are scaled back to estimates the way its
 * own jeprof does (each sample stands for 1 / (1 - e^(-size/period)) objects).
 * @packageDocumentation
 */

/** One mapping of the process, from the profile's MAPPED_LIBRARIES (/proc/self/maps). */
export interface MappedFile {
  start: bigint;
  end: bigint;
  /** Offset in the file of the mapping's start. */
  offset: bigint;
  executable: boolean;
  path: string;
}

/** The live sampled allocations of one stack, scaled to estimates. */
export interface ProfileStack {
  /** Return addresses, innermost first. */
  addresses: bigint[];
  objects: number;
  bytes: number;
}

/** A parsed heap_v2 profile. */
export interface JemallocProfile {
  /** Bytes between samples (2^lg_prof_sample). */
  samplePeriod: number;
  /** By the stack's addresses joined with spaces. */
  stacks: Map<string, ProfileStack>;
  mappings: MappedFile[];
}

function scale(objects: number, bytes: number, period: number): { objects: number; bytes: number } {
  if (objects === 0 || period <= 1) return { objects, bytes };
  const ratio = bytes / objects / period;
  const factor = 1 / (1 - Math.exp(-ratio));
  return { objects: objects * factor, bytes: bytes * factor };
}

/** Parses a heap_v2 profile's text. @throws TypeError when it is not one. */
export function parseJemallocProfile(text: string): JemallocProfile {
  const lines = text.split('\n');
  const header = /^heap_v2\/(\d+)$/.exec(lines[0] ?? '');
  if (header === null) throw new TypeError(`not a jemalloc heap_v2 profile: ${JSON.stringify((lines[0] ?? '').slice(0, 40))}`);
  const samplePeriod = Number(header[1]);
  const stacks = new Map<string, ProfileStack>();
  const mappings: MappedFile[] = [];
  let current: bigint[] | null = null;
  let inMaps = false;
  for (const line of lines.slice(1)) {
    if (inMaps) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) ([0-9a-f]+) \S+ \d+\s+(\S.*)?$/.exec(line);
      if (m && m[5] !== undefined) {
        mappings.push({ start: BigInt(`0x${m[1]}`), end: BigInt(`0x${m[2]}`), executable: m[3][2] === 'x', offset: BigInt(`0x${m[4]}`), path: m[5].trim() });
      }
    } else if (line.startsWith('MAPPED_LIBRARIES:')) {
      inMaps = true;
    } else if (line.startsWith('@')) {
      current = line.slice(1).trim().split(/\s+/).filter(Boolean).map((a) => BigInt(a));
    } else if (current !== null) {
      // "  t*: <objects>: <bytes> [...]": the stack's total over threads.
      const m = /^\s+t\*: (\d+): (\d+) /.exec(line);
      if (m) {
        const scaled = scale(Number(m[1]), Number(m[2]), samplePeriod);
        const key = current.map((a) => a.toString(16)).join(' ');
        const was = stacks.get(key);
        if (was) {
          was.objects += scaled.objects;
          was.bytes += scaled.bytes;
        } else {
          stacks.set(key, { addresses: current, ...scaled });
        }
        current = null;
      }
    }
  }
  return { samplePeriod, stacks, mappings };
}

/** Stacks whose live bytes grew from `before` to `after`, largest growth first. */
export function growingStacks(before: JemallocProfile, after: JemallocProfile, max: number): ProfileStack[] {
  const grown: ProfileStack[] = [];
  for (const [key, stack] of after.stacks) {
    const was = before.stacks.get(key);
    const bytes = stack.bytes - (was?.bytes ?? 0);
    if (bytes > 0) grown.push({ addresses: stack.addresses, bytes, objects: Math.max(0, stack.objects - (was?.objects ?? 0)) });
  }
  return grown.sort((a, b) => b.bytes - a.bytes).slice(0, max);
}
