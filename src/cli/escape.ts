/**
 * Escaping for the HTML report: every string that comes from the run (the
 * command line, argv, the environment, paths) goes through here.
 * @packageDocumentation
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
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
