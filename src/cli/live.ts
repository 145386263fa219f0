/**
 * The live view, on stderr (stdout belongs to the command, and to `--json`).
 * On a terminal: one compact panel kept at the bottom of the screen and
 * redrawn in place, while the command's own output scrolls above it (a
 * scroll region, as apt's progress bar does). Elsewhere (a pipe, a CI log):
 * one plain line per sample.
 * @packageDocumentation
 */
import { print } from './broken-pipe';
import { formatBytes, formatCommand, formatDuration, sparkline } from './format';
import { LIVE_SERIES } from './series';
import { showControls } from './terminal-text';
import type { ProcessData, RunData } from './store';
import { verdictHeadline, verdictOf, type Diagnosis } from './verdict';

/** What the run loop calls; both views implement it. */
export interface LiveView {
  /** A record arrived; `pid` is the process it came from, if any. */
  update(data: RunData, pid?: number): void;
  /** The command ended: leave the terminal as it was, panel last frame kept. */
  stop(): void;
}

/** Lines of the panel: a header, one per series, the verdict. */
export const PANEL_HEIGHT = 2 + LIVE_SERIES.length;
/** Redraw at most this often: a burst of records from many processes costs one frame. */
const REDRAW_MS = 100;
const ESC = '\x1b';
/** diagnose() costs O(samples), ~50 ms over 8,192: the live views recompute a verdict at most this often. */
const VERDICT_REFRESH_MS = 1000;

/** Each process's latest live verdict, recomputed when it has new samples and is a second old. */
class LiveVerdicts {
  private readonly cache = new Map<number, { at: number; count: number; diagnosis: Diagnosis | null }>();

  of(p: ProcessData, now: number): Diagnosis | null {
    const cached = this.cache.get(p.pid);
    if (cached && (cached.count === p.count || now - cached.at < VERDICT_REFRESH_MS)) return cached.diagnosis;
    const diagnosis = verdictOf(p.samples, p.collections);
    this.cache.set(p.pid, { at: now, count: p.count, diagnosis });
    return diagnosis;
  }
}

/** The panel's lines for the run as it is now, each at most `columns` wide. */
function panelLines(data: RunData, columns: number, now: number, verdicts: LiveVerdicts): string[] {
  const primary = data.primary();
  const elapsed = data.run ? formatDuration(now - data.run.startedAt) : '';
  const command = data.run ? formatCommand(data.run.command) : '';
  const others = data.processes.size - (primary ? 1 : 0);
  const header = [
    `mallinfo ▸ ${command}`,
    primary ? `pid ${primary.pid}` : 'waiting for a Node process',
    primary ? `${primary.count} sample${primary.count === 1 ? '' : 's'}` : '',
    elapsed,
    others > 0 ? `+${others} other Node process${others === 1 ? '' : 'es'}` : '',
  ].filter((part) => part !== '');
  const width = Math.max(8, Math.min(60, columns - 22));
  const rows = LIVE_SERIES.map((s) => {
    const value = primary?.last ? s.of(primary.last) : null;
    const values = primary ? primary.samples.slice(-width).map((sample) => s.of(sample)) : [];
    return `${s.label.padEnd(8)}${formatBytes(value).padStart(10)}  ${sparkline(values, width)}`;
  });
  const verdict = `${'verdict'.padEnd(8)}  ${verdictHeadline(primary ? verdicts.of(primary, now) : null)}`;
  return [header.join(' · '), ...rows, verdict].map((line) => clip(showControls(line), columns));
}

function clip(line: string, columns: number): string {
  const chars = [...line];
  return chars.length <= columns ? line : chars.slice(0, Math.max(0, columns - 1)).join('') + '…';
}

/** The panel on a terminal, at the bottom rows, outside the scroll region. */
class TerminalPanel implements LiveView {
  private readonly verdicts = new LiveVerdicts();
  private data: RunData | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastDraw = 0;
  private stopped = false;
  private readonly onResize = (): void => {
    this.reserve(false);
    this.draw();
  };

  /** If the CLI dies before stop(), the terminal must not keep a scroll region. */
  private readonly onExit = (): void => {
    print(this.stream, `${ESC}[r`);
  };

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.reserve(true);
    stream.on('resize', this.onResize);
    process.once('exit', this.onExit);
  }

  private get rows(): number {
    return this.stream.rows;
  }

  /** Limits scrolling to the rows above the panel; first pushes the screen up to make room. */
  private reserve(makeRoom: boolean): void {
    const room = makeRoom ? '\n'.repeat(PANEL_HEIGHT) + `${ESC}[${PANEL_HEIGHT}A` : '';
    // DECSTBM moves the cursor home: save and restore it around.
    print(this.stream, `${room}${ESC}7${ESC}[1;${this.rows - PANEL_HEIGHT}r${ESC}8`);
  }

  update(data: RunData): void {
    this.data = data;
    if (this.timer !== undefined || this.stopped) return;
    const wait = Math.max(0, this.lastDraw + REDRAW_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draw();
    }, wait);
    this.timer.unref();
  }

  private draw(): void {
    if (this.data === undefined) return;
    this.lastDraw = Date.now();
    const lines = panelLines(this.data, this.stream.columns, this.lastDraw, this.verdicts);
    const top = this.rows - PANEL_HEIGHT + 1;
    // One write: a terminal write is not split by the command's own output.
    const frame = lines.map((line, i) => `${ESC}[${top + i};1H${ESC}[2K${line}`).join('');
    print(this.stream, `${ESC}7${frame}${ESC}8`);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.stream.off('resize', this.onResize);
    process.off('exit', this.onExit);
    this.draw();
    // Whole screen scrolls again; the cursor goes below the panel, where the summary follows.
    print(this.stream, `${ESC}[r${ESC}[${this.rows};1H\n`);
  }
}

/** One line per sample, for logs and pipes. */
class LineView implements LiveView {
  /** Samples counted per process at its last line: one line per new sample. */
  private readonly lastCount = new Map<number, number>();
  private readonly verdicts = new LiveVerdicts();

  constructor(private readonly stream: NodeJS.WritableStream) {}

  update(data: RunData, pid?: number): void {
    const p = pid === undefined ? undefined : data.processes.get(pid);
    const last = p?.last;
    if (p === undefined || last === undefined || this.lastCount.get(p.pid) === p.count) return;
    this.lastCount.set(p.pid, p.count);
    const at = data.run ? `+${formatDuration(last.time - data.run.startedAt)}` : new Date(last.time).toISOString();
    const values = LIVE_SERIES.map((s) => `${s.label} ${formatBytes(s.of(last))}`).join(' · ');
    print(this.stream, `${showControls(`mallinfo pid ${p.pid} ${at}: ${values} · verdict ${verdictHeadline(this.verdicts.of(p, Date.now()))}`)}\n`);
  }

  stop(): void {}
}

/** The panel when `stream` is a terminal, else one line per sample. */
export function createLiveView(stream: NodeJS.WriteStream): LiveView {
  return stream.isTTY && stream.rows > PANEL_HEIGHT + 2 ? new TerminalPanel(stream) : new LineView(stream);
}
