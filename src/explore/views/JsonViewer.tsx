/**
 * A collapsible JSON viewer. Lazy: a node renders its children only once
 * expanded, and at most a page of them (then "Show more"), so a 5 MB output
 * opens at once. Every value can be copied; long strings wrap and expand.
 * Keys and values are untrusted: text nodes only.
 */
import { type ReactElement, useState } from 'react';
import { formatCount } from '../../format';
import { copyableText } from './clipboard';
import { CopyButton } from './CopyButton';
import { TextBlock } from './TextBlock';

/** Children shown per page of a large object or array. */
export const JSON_PAGE = 100;
/** Nodes open by default down to this depth (the root is depth 0)… */
export const JSON_EXPAND_DEPTH = 2;
/** …if they have at most this many children. */
export const JSON_EXPAND_MAX = 50;
/** Strings longer than this (or with a newline) show as a wrapped block. */
const INLINE_STRING = 120;

type Composite = Readonly<Record<string, unknown>> | readonly unknown[];

function isComposite(value: unknown): value is Composite {
  return typeof value === 'object' && value !== null;
}

function sizeOf(value: Composite): number {
  return Array.isArray(value) ? value.length : Object.keys(value).length;
}

/** `3 items`, `1 key`. */
export function summarize(value: Composite): string {
  const n = sizeOf(value);
  if (Array.isArray(value)) {
    return `${formatCount(n)} ${n === 1 ? 'item' : 'items'}`;
  }
  return `${formatCount(n)} ${n === 1 ? 'key' : 'keys'}`;
}

export interface JsonViewerProps {
  value: unknown;
  /** What the value is, for the copy button's name ("inputs", "outputs"). */
  what?: string;
  /** Open nodes down to this depth (default 2). */
  expandDepth?: number;
}

export function JsonViewer(props: JsonViewerProps): ReactElement {
  return (
    <div className="nbtrace-json">
      <JsonNode
        name={null}
        value={props.value}
        depth={0}
        expandDepth={props.expandDepth ?? JSON_EXPAND_DEPTH}
        what={props.what ?? 'value'}
      />
    </div>
  );
}

interface JsonNodeProps {
  name: string | null;
  value: unknown;
  depth: number;
  expandDepth: number;
  /** The copy button's name for this value. */
  what: string;
}

function JsonNode(props: JsonNodeProps): ReactElement {
  const { value } = props;
  if (isComposite(value)) {
    return <CompositeNode {...props} value={value} />;
  }
  return <LeafNode {...props} />;
}

function CompositeNode(props: JsonNodeProps & { value: Composite }): ReactElement {
  const { value, depth, name } = props;
  const size = sizeOf(value);
  const [open, setOpen] = useState(
    depth === 0 || (depth < props.expandDepth && size <= JSON_EXPAND_MAX)
  );
  const [limit, setLimit] = useState(JSON_PAGE);
  const isArray = Array.isArray(value);
  const [openBracket, closeBracket] = isArray ? ['[', ']'] : ['{', '}'];

  let children: ReactElement[] = [];
  if (open) {
    const keys = isArray ? null : Object.keys(value);
    const count = Math.min(size, limit);
    children = [];
    for (let i = 0; i < count; i++) {
      const key = keys === null ? String(i) : keys[i];
      const child = keys === null ? (value as readonly unknown[])[i] : (value as Record<string, unknown>)[key];
      children.push(
        <JsonNode
          key={key}
          name={key}
          value={child}
          depth={depth + 1}
          expandDepth={props.expandDepth}
          what={`${props.what}.${key}`}
        />
      );
    }
  }
  const hidden = open ? size - Math.min(size, limit) : 0;

  return (
    <div className={`nbtrace-json__node${depth === 0 ? ' nbtrace-json__node--root' : ''}`}>
      <div className="nbtrace-json__row">
        {size > 0 ? (
          <button
            type="button"
            className="nbtrace-json__toggle"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            <svg
              className="nbtrace-json__chevron"
              viewBox="0 0 16 16"
              width="10"
              height="10"
              aria-hidden="true"
              focusable="false"
            >
              <path d="M6 4l4 4-4 4" />
            </svg>
            {name !== null && <span className="nbtrace-json__key">{name}</span>}
            <span className="nbtrace-json__bracket">{open ? openBracket : `${openBracket}…${closeBracket}`}</span>
            {!open && <span className="nbtrace-json__summary">{summarize(value)}</span>}
          </button>
        ) : (
          <span className="nbtrace-json__leaf-head">
            {name !== null && <span className="nbtrace-json__key">{name}</span>}
            <span className="nbtrace-json__bracket">{`${openBracket}${closeBracket}`}</span>
          </span>
        )}
        <CopyButton what={props.what} text={() => copyableText(value)} className="nbtrace-json__copy" />
      </div>
      {open && size > 0 && (
        <div className="nbtrace-json__children" role="group">
          {children}
          {hidden > 0 && (
            <div className="nbtrace-json__more">
              <button
                type="button"
                className="nbtrace-link-button"
                onClick={() => setLimit(limit + JSON_PAGE)}
              >
                Show {formatCount(Math.min(JSON_PAGE, hidden))} more
              </button>
              <span className="nbtrace-json__summary">
                {formatCount(hidden)} of {summarize(value)} hidden
              </span>
            </div>
          )}
          <div className="nbtrace-json__bracket nbtrace-json__close">{closeBracket}</div>
        </div>
      )}
    </div>
  );
}

function LeafNode(props: JsonNodeProps): ReactElement {
  const { value, name } = props;
  const key = name !== null && <span className="nbtrace-json__key">{name}</span>;
  if (typeof value === 'string' && (value.length > INLINE_STRING || value.includes('\n'))) {
    return (
      <div className="nbtrace-json__node nbtrace-json__node--block">
        <div className="nbtrace-json__row">
          <span className="nbtrace-json__leaf-head">
            {key}
            <span className="nbtrace-json__summary">string, {formatCount(value.length)} characters</span>
          </span>
          <CopyButton what={props.what} text={() => value} className="nbtrace-json__copy" />
        </div>
        <TextBlock text={value} className="nbtrace-json__string-block" />
      </div>
    );
  }
  return (
    <div className="nbtrace-json__node">
      <div className="nbtrace-json__row nbtrace-json__row--leaf">
        <span className="nbtrace-json__leaf-head">
          {key}
          <Scalar value={value} />
        </span>
        <CopyButton what={props.what} text={() => copyableText(value)} className="nbtrace-json__copy" />
      </div>
    </div>
  );
}

function Scalar(props: { value: unknown }): ReactElement {
  const { value } = props;
  if (typeof value === 'string') {
    return <span className="nbtrace-json__string">{`"${value}"`}</span>;
  }
  if (typeof value === 'number') {
    return <span className="nbtrace-json__number">{String(value)}</span>;
  }
  if (typeof value === 'boolean') {
    return <span className="nbtrace-json__boolean">{String(value)}</span>;
  }
  if (value === null) {
    return <span className="nbtrace-json__null">null</span>;
  }
  return <span className="nbtrace-json__null">{String(value)}</span>;
}
