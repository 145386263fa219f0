/**
 * Escaping for the HTML report: every value that comes from the run (the
 * command line, argv, the environment, paths, numbers) goes through here,
 * through the {@link html} template tag.
 * @packageDocumentation
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** HTML the report made itself: the one kind of value {@link html} inserts as it is. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

function interpolate(value: unknown): string {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  return escapeHtml(String(value));
}

/**
 * The report's HTML template tag, the one place where values meet markup:
 * every interpolated value — strings, numbers, whatever a record held — is
 * escaped, except the {@link SafeHtml} this tag returns (and arrays of it),
 * so that no value from a run can become an element or an attribute.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let text = strings[0];
  for (let i = 0; i < values.length; i++) text += interpolate(values[i]) + strings[i + 1];
  return new SafeHtml(text);
}

/**
 * JSON safe inside a `<script type="application/json">` element: `<` is
 * written as `\u003c`, so no `</script>` (or `<!--`) in the data can end
 * the element; U+2028/U+2029 are escaped for older parsers. `JSON.parse`
 * of the element's text gives the value back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Inlines third-party code into a `<script>` or `<style>` element, refusing
 * code that would end the element early (it cannot be escaped without
 * changing what it means).
 */
export function inlineAsset(code: string, element: 'script' | 'style', name: string): string {
  if (new RegExp(`</${element}`, 'i').test(code)) throw new Error(`${name} contains </${element}> and cannot be inlined`);
  return code;
}
