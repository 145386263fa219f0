/**
 * Package-manager launchers (npm, npx, yarn, pnpm, corepack): Node
 * processes of a run whose own memory is not the question.
 * @packageDocumentation
 */

const LAUNCHER = /(^|\/)(npm-cli|npx-cli|npm|npx|yarn|pnpm|pnpx|corepack)(\.c?js)?$/;

/** Whether `script` (a process's `argv[1]`) is a launcher's. */
export function isLauncherScript(script: string | undefined): boolean {
  return script !== undefined && LAUNCHER.test(script);
}
