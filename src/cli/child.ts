/**
 * Runs the watched command: without a shell (its arguments reach it as
 * they are, never interpreted), with the terminal's stdin/stdout/stderr
 * handed over as they are (its output passes through byte for byte, and a
 * program that checks for a TTY still sees one), forwarding the signals
 * that ask it to stop, and reporting how it ended.
 * @packageDocumentation
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** Signals that ask the command to stop; the CLI forwards them instead of dying. */
export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How the command ended. */
export interface ChildExit {
  /** Its exit code, or null when a signal killed it. */
  exitCode: number | null;
  /** The signal that killed it, or null. */
  signal: NodeJS.Signals | null;
}

/** A command that could not be started at all (not found, not executable). */
export class SpawnError extends Error {
  override readonly name = 'SpawnError';
  constructor(
    message: string,
    /** The exit code a shell would give: 127 not found, 126 not executable. */
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The CLI's exit code for a command that ended so: its own code, or 128 + the signal's number. */
export function exitCodeOf(exit: ChildExit): number {
  if (exit.exitCode !== null) return exit.exitCode;
  const number = exit.signal === null ? undefined : constants.signals[exit.signal];
  return 128 + (number ?? 0);
}

/**
 * Starts `command` with `args` and `env`, forwards SIGINT, SIGTERM and
 * SIGHUP to it while it runs, and resolves when it has exited.
 *
 * A Ctrl-C on a terminal reaches both the CLI and the command (one process
 * group), so the command may see SIGINT twice, as under `npm run`.
 * @throws SpawnError when the command cannot be started.
 */
export function runChild(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env, shell: false });
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    // If the CLI itself dies (a bug, an uncaught error), the command must not live on unwatched.
    const killOnExit = (): void => {
      child.kill('SIGKILL');
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    process.on('exit', killOnExit);
    const cleanUp = (): void => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
      process.off('exit', killOnExit);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      // With a pid, the command runs and this was a kill() that failed: 'exit' still follows.
      if (child.pid !== undefined) return;
      cleanUp();
      const reason =
        error.code === 'ENOENT' ? 'command not found' : error.code === 'EACCES' ? 'permission denied' : error.message;
      reject(new SpawnError(`cannot run ${JSON.stringify(command)}: ${reason}`, error.code === 'ENOENT' ? 127 : 126));
    });
    child.once('exit', (exitCode, signal) => {
      cleanUp();
      resolve({ exitCode, signal });
    });
  });
}
