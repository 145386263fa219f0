#!/usr/bin/env node
/**
 * The `mallinfo` command: parses the arguments, runs the subcommand, and
 * maps failures to exit codes (2 for a usage mistake, 126/127 for a command
 * that cannot start, 1 for an unreadable file; for attach, 3 for no such
 * process, 4 for another user's, 5 for one that must not or cannot be
 * attached, 6 for a target that did not answer in time).
 * @packageDocumentation
 */
import { attach } from './attach';
import { parseAttach } from './attach-args';
import { AttachError } from './attach-target';
import { parseCli, USAGE, UsageError } from './args';
import { print, survivePipeErrors } from './broken-pipe';
import { SpawnError } from './child';
import { FileError } from './ndjson';
import { report } from './report';
import { run } from './run';
import { showControls } from './terminal-text';

async function main(argv: readonly string[]): Promise<number> {
  const cli = parseCli(argv);
  switch (cli.kind) {
    case 'help':
      print(process.stdout, `${USAGE}\n`);
      return 0;
    case 'run':
      return run(cli.run);
    case 'report':
      return report(cli.report);
    case 'attach':
      return attach(parseAttach(cli.argv));
  }
}

survivePipeErrors();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      print(process.stderr, `mallinfo: ${showControls(error.message)}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (error instanceof SpawnError || error instanceof AttachError) {
      print(process.stderr, `mallinfo: ${showControls(error.message)}\n`);
      process.exitCode = error.exitCode;
    } else if (error instanceof FileError || (error as NodeJS.ErrnoException).code !== undefined) {
      // A bad line's message names its field, and a key of the data may hold controls.
      print(process.stderr, `mallinfo: ${showControls((error as Error).message)}\n`);
      process.exitCode = 1;
    } else {
      print(process.stderr, `mallinfo: internal error: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 70;
    }
  },
);
