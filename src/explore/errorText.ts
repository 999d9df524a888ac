/**
 * Reading LangChain's error text: `repr(exception)`, then (usually) Python's
 * traceback, whose frames LangChain separates with blank lines. Pure; the
 * text is untrusted and only ever shown as text.
 */

export type TracebackLineKind =
  /** `Traceback (most recent call last):` and chaining notes. */
  | 'heading'
  /** `  File "…", line n, in f` of the user's code. */
  | 'frame'
  /** A frame in an installed library (site-packages, the standard library). */
  | 'library-frame'
  /** Source and caret lines under a frame. */
  | 'code'
  | 'library-code'
  /** The final `Type: message` lines. */
  | 'exception';

export interface TracebackLine {
  readonly kind: TracebackLineKind;
  readonly text: string;
}

export interface ParsedError {
  /** `ValueError`, `openai.RateLimitError`; `''` when the text names none. */
  readonly type: string;
  readonly message: string;
  /** The traceback with LangChain's blank lines squeezed, or `null`. */
  readonly traceback: string | null;
  readonly lines: readonly TracebackLine[];
}

const TRACEBACK = 'Traceback (most recent call last):';
const EXCEPTION_LINE = /^([A-Za-z_][\w.]*)(?::(?: (.*))?)?$/;
const REPR = /^([A-Za-z_][\w.]*)\(([\s\S]*)\)$/;
const LIBRARY_PATH = /[\\/](site-packages|dist-packages|lib[\\/]python\d[\d.]*)[\\/]/;
const CHAINING = /^(During handling of the above exception|The above exception was the direct cause)/;

export function parseError(text: string): ParsedError {
  const at = text.indexOf(TRACEBACK);
  const head = (at >= 0 ? text.slice(0, at) : text).trim();
  if (at < 0) {
    const { type, message } = parseHead(head);
    return { type, message, traceback: null, lines: [] };
  }
  const traceback = squeeze(text.slice(at));
  const lines = classify(traceback);
  const fromTraceback = finalException(traceback);
  const fromHead = parseHead(head);
  if (fromTraceback !== null) {
    return { ...fromTraceback, traceback, lines };
  }
  return { ...fromHead, traceback, lines };
}

/** LangChain puts two blank lines between frames; Python puts none. */
function squeeze(traceback: string): string {
  return traceback.replace(/\r\n/g, '\n').replace(/\n(?:[ \t]*\n){2,}/g, '\n').trimEnd();
}

/** `ValueError('bad')`, `ValueError: bad`, or anything else as the message. */
function parseHead(head: string): { type: string; message: string } {
  const repr = REPR.exec(head);
  if (repr !== null) {
    return { type: repr[1], message: unrepr(repr[2].trim()) };
  }
  const line = EXCEPTION_LINE.exec(head.split('\n', 1)[0]);
  if (line !== null && head.includes(':')) {
    return { type: line[1], message: head.slice(head.indexOf(':') + 1).trim() };
  }
  return { type: '', message: head };
}

/**
 * The message inside a repr's parentheses: a single Python string literal is
 * unquoted and unescaped; anything else (several arguments) is kept as is.
 */
export function unrepr(args: string): string {
  const m = /^([rRbBuU]{0,2})(['"])([\s\S]*)\2$/.exec(args);
  if (m === null || unescapedQuote(m[3], m[2])) {
    return args;
  }
  if (/r/i.test(m[1])) {
    return m[3];
  }
  return m[3].replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, esc: string) => {
    switch (esc[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'x':
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(esc.slice(1), 16));
      default:
        return esc;
    }
  });
}

/** Whether `body` has an unescaped `quote` (so the literal ended earlier: several arguments). */
function unescapedQuote(body: string, quote: string): boolean {
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') {
      i++;
    } else if (body[i] === quote) {
      return true;
    }
  }
  return false;
}

/** The last `Type: message` block after the last frame. */
function finalException(traceback: string): { type: string; message: string } | null {
  const lines = traceback.split('\n');
  let i = lines.length - 1;
  let lastFrame = -1;
  for (; i >= 0; i--) {
    if (lines[i].startsWith('  File ')) {
      lastFrame = i;
      break;
    }
  }
  let j = lastFrame + 1;
  while (j < lines.length && (lines[j].startsWith(' ') || lines[j].startsWith('\t'))) {
    j++;
  }
  if (lastFrame < 0) {
    j = 1;
  }
  for (; j < lines.length; j++) {
    const m = EXCEPTION_LINE.exec(lines[j]);
    if (m !== null) {
      const rest = lines.slice(j + 1).join('\n');
      const first = m[2] ?? '';
      return { type: m[1], message: rest ? `${first}\n${rest}`.trim() : first };
    }
  }
  return null;
}

function classify(traceback: string): TracebackLine[] {
  const out: TracebackLine[] = [];
  let inLibrary = false;
  let afterFrames = false;
  for (const text of traceback.split('\n')) {
    let kind: TracebackLineKind;
    if (text.startsWith(TRACEBACK) || CHAINING.test(text)) {
      kind = 'heading';
      afterFrames = false;
    } else if (text.startsWith('  File ')) {
      inLibrary = LIBRARY_PATH.test(text);
      kind = inLibrary ? 'library-frame' : 'frame';
      afterFrames = true;
    } else if (afterFrames && /^\s/.test(text)) {
      kind = inLibrary ? 'library-code' : 'code';
    } else if (text.trim() === '') {
      kind = 'code';
    } else {
      kind = 'exception';
      afterFrames = false;
    }
    out.push({ kind, text });
  }
  return out;
}
