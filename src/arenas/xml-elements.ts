/**
 * A strict reader for the small XML subset that glibc's `malloc_info`
 * writes: elements with attributes, whitespace between them, nothing else
 * (no text, comments, declarations, CDATA or entity references). It turns
 * the text into a tree of elements, each with its line and column, and
 * throws a {@link MallocInfoParseError} naming the first thing that is not
 * well-formed. What the elements mean is src/malloc-info.ts's business.
 * @packageDocumentation
 */

/** Thrown for `malloc_info` XML that is malformed or lacks what glibc always writes. */
export class MallocInfoParseError extends Error {
  readonly code = 'ERR_MALLINFO_MALLOC_INFO';
  override readonly name = 'MallocInfoParseError';

  constructor(
    message: string,
    /** 1-based line of the offending place. */
    readonly line: number,
    /** 1-based column of the offending place. */
    readonly column: number,
  ) {
    super(`malloc_info XML, line ${line} column ${column}: ${message}`);
  }
}

/** One element of the tree. */
export interface XmlElement {
  name: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  line: number;
  column: number;
}

/** malloc_info nests three deep; anything far deeper is not malloc_info (and would exhaust the stack). */
const MAX_DEPTH = 32;
function isNameStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95; // A-Z a-z _
}

function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57) || code === 46 || code === 45; // 0-9 . -
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10;
}

class Reader {
  private position = 0;

  constructor(private readonly text: string) {}

  // Where the last where() call ended: elements are located in document
  // order, so counting lines from there keeps locating linear overall.
  private countedTo = 0;
  private line = 1;
  private lineStart = 0;

  /** Line and column of `at` (default: the current position). */
  where(at = this.position): { line: number; column: number } {
    if (at < this.countedTo) {
      this.countedTo = 0;
      this.line = 1;
      this.lineStart = 0;
    }
    for (let i = this.countedTo; i < at; i++) {
      if (this.text.charCodeAt(i) === 10) {
        this.line++;
        this.lineStart = i + 1;
      }
    }
    this.countedTo = at;
    return { line: this.line, column: at - this.lineStart + 1 };
  }

  fail(message: string, at = this.position): never {
    const { line, column } = this.where(at);
    throw new MallocInfoParseError(message, line, column);
  }

  /** The next character, for messages. */
  private shown(): string {
    return this.position >= this.text.length ? 'the end of the input' : JSON.stringify(this.text[this.position]);
  }

  private skipWhitespace(): boolean {
    const start = this.position;
    while (isWhitespace(this.text.charCodeAt(this.position))) this.position++;
    return this.position > start;
  }

  private expect(char: string, what: string): void {
    if (this.text[this.position] !== char) this.fail(`expected ${what}, found ${this.shown()}`);
    this.position++;
  }

  private readName(what: string): string {
    const start = this.position;
    if (!isNameStart(this.text.charCodeAt(this.position))) this.fail(`expected ${what}, found ${this.shown()}`);
    while (isNameChar(this.text.charCodeAt(this.position))) this.position++;
    return this.text.slice(start, this.position);
  }

  private readAttributeValue(element: string, attribute: string): string {
    const quote = this.text[this.position];
    if (quote !== '"' && quote !== "'") {
      this.fail(`expected a quoted value for attribute ${attribute} of <${element}>, found ${this.shown()}`);
    }
    const start = ++this.position;
    while (this.position < this.text.length && this.text[this.position] !== quote) {
      const char = this.text[this.position];
      if (char === '<' || char === '&') {
        this.fail(`attribute ${attribute} of <${element}> contains ${JSON.stringify(char)} (unclosed quote?)`);
      }
      this.position++;
    }
    if (this.position >= this.text.length) this.fail(`attribute ${attribute} of <${element}> has no closing quote`, start - 1);
    return this.text.slice(start, this.position++);
  }

  /** Reads whitespace, then text that is not markup: only whitespace is allowed between elements. */
  private skipBetweenElements(inside: string | null): void {
    this.skipWhitespace();
    const start = this.position;
    while (this.position < this.text.length && this.text[this.position] !== '<') this.position++;
    if (this.position > start) {
      const text = this.text.slice(start, Math.min(this.position, start + 20));
      this.fail(`unexpected text ${JSON.stringify(text)} ${inside === null ? 'outside the root element' : `in <${inside}>`}`, start);
    }
  }

  /** Reads one element (the reader stands on its '<'), its children included. */
  private readElement(depth: number): XmlElement {
    const { line, column } = this.where();
    if (depth > MAX_DEPTH) this.fail(`elements nested more than ${MAX_DEPTH} deep`);
    this.expect('<', '"<"');
    const next = this.text[this.position];
    if (next === '?' || next === '!') {
      this.fail(`${next === '?' ? 'processing instructions and declarations' : 'comments, CDATA and doctypes'} are not part of malloc_info output`);
    }
    const name = this.readName('an element name after "<"');
    const attributes = new Map<string, string>();
    for (;;) {
      const spaced = this.skipWhitespace();
      const char = this.text[this.position];
      if (char === '/' || char === '>') break;
      if (!spaced) this.fail(`expected whitespace, "/>" or ">" in <${name}>, found ${this.shown()}`);
      const attribute = this.readName(`an attribute name, "/>" or ">" in <${name}>`);
      this.skipWhitespace();
      this.expect('=', `"=" after attribute ${attribute} of <${name}>`);
      this.skipWhitespace();
      if (attributes.has(attribute)) this.fail(`<${name}> has attribute ${attribute} twice`);
      attributes.set(attribute, this.readAttributeValue(name, attribute));
    }
    const element: XmlElement = { name, attributes, children: [], line, column };
    if (this.text[this.position] === '/') {
      this.position++;
      this.expect('>', `">" after "/" in <${name}>`);
      return element;
    }
    this.position++; // '>'
    for (;;) {
      this.skipBetweenElements(name);
      if (this.position >= this.text.length) this.fail(`the input ends inside <${name}> opened at line ${line}`);
      if (this.text[this.position + 1] === '/') break;
      element.children.push(this.readElement(depth + 1));
    }
    const closeAt = this.position;
    this.position += 2; // '</'
    const closing = this.readName('an element name after "</"');
    if (closing !== name) this.fail(`</${closing}> closes <${name}> opened at line ${line}`, closeAt);
    this.skipWhitespace();
    this.expect('>', `">" to end </${name}>`);
    return element;
  }

  /** Reads the whole input: one root element, optionally surrounded by whitespace. */
  readDocument(): XmlElement {
    this.skipBetweenElements(null);
    if (this.position >= this.text.length) this.fail('the input is empty: expected <malloc>');
    const root = this.readElement(1);
    this.skipBetweenElements(null);
    if (this.position < this.text.length) this.fail(`unexpected <${this.text.slice(this.position + 1).split(/[\s/>]/)[0]}> after the root element`);
    return root;
  }
}

/** Parses `text` into its root element; throws MallocInfoParseError when it is not well-formed. */
export function readElements(text: string): XmlElement {
  return new Reader(text).readDocument();
}

/** Fails with the position of `element`. */
export function failAt(element: XmlElement, message: string): never {
  throw new MallocInfoParseError(message, element.line, element.column);
}
