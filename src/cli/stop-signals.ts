/**
 * Keeps the signals that ask `mallinfo run` to stop (SIGINT, SIGTERM,
 * SIGHUP) from killing it halfway through its files. Without a listener,
 * one of them kills Node at once: the NDJSON file loses its buffered tail
 * and its `end` record, and the HTML report is left half written. So a run
 * listens for them from its start to its end: while the command runs,
 * runChild forwards them to it and the CLI ends after it, as documented;
 * one that comes before the command has started cancels the run; after
 * the command has ended the CLI is only finishing its files (at most the
 * channel's drain and the report) and finishes them, and exits with the
 * command's code. The listeners stay until the CLI exits: they keep
 * nothing alive (Node's signal handles are unref'd).
 * @packageDocumentation
 */
import { FORWARDED_SIGNALS } from './child';

/** Listens for the stop signals from its creation on. */
export class StopSignals {
  /** The first stop signal received, or null. */
  received: NodeJS.Signals | null = null;
  private readonly note = (signal: NodeJS.Signals): void => {
    this.received ??= signal;
  };

  constructor() {
    for (const signal of FORWARDED_SIGNALS) process.on(signal, this.note);
  }
}
