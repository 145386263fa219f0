/**
 * Text from a run's data on the terminal: a recorded command, argv or
 * error may hold control characters (ESC sequences that clear the screen,
 * set the window title, move the cursor). The CLI shows them escaped, as
 * `\x1b`, `\n`…, so that only the CLI's own output controls the terminal.
 * @packageDocumentation
 */

/** C0 controls, DEL and C1 controls (0x9b is a one-byte CSI to some terminals). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control character written as an escape (`\x1b`, `\n`, `\t`, `\r`). */
export function showControls(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
