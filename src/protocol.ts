/**
 * The kernel <-> browser protocol, version 1: TypeScript mirror of
 * `protocol/schema.json` (one type per `$defs` entry, field for field) and a
 * parser that checks an incoming message against the same rules.
 *
 * Receivers ignore fields they do not know, so the parser copies only the
 * fields below and drops the rest.
 */

/** `$defs/ProtocolVersion`. */
export const PROTOCOL_VERSION = 1;

/** `$defs/RunType`. */
export const RUN_TYPES = [
  'chain',
  'llm',
  'tool',
  'retriever',
  'embedding',
  'prompt',
  'parser'
] as const;
export type RunType = (typeof RUN_TYPES)[number];

/** `$defs/Json` objects: untrusted content, rendered as text only. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** `$defs/Event`: one entry of a run's `events` list. */
export interface RunTimelineEvent {
  readonly name: string;
  readonly time: string;
  readonly kwargs?: JsonObject;
}

/** `$defs/RunStart`: a run as it is when it starts (a replay may carry the end fields). */
export interface RunStart {
  readonly id: string;
  readonly trace_id: string;
  readonly parent_run_id?: string | null;
  readonly dotted_order: string;
  readonly name: string;
  readonly run_type: RunType;
  readonly start_time: string;
  readonly end_time?: string | null;
  readonly inputs?: JsonObject;
  readonly outputs?: JsonObject | null;
  readonly error?: string | null;
  readonly tags?: readonly string[];
  readonly extra?: JsonObject;
  readonly events?: readonly RunTimelineEvent[];
  readonly session_name: string;
  readonly prompt_tokens?: number | null;
  readonly completion_tokens?: number | null;
  readonly total_tokens?: number | null;
}

/** `$defs/RunEnd`: a patch applied to the run with this id when it ends. */
export interface RunEnd {
  readonly id: string;
  readonly end_time: string;
  readonly inputs?: JsonObject;
  readonly outputs?: JsonObject | null;
  readonly error?: string | null;
  readonly extra?: JsonObject;
  readonly events?: readonly RunTimelineEvent[];
  readonly prompt_tokens?: number | null;
  readonly completion_tokens?: number | null;
  readonly total_tokens?: number | null;
}

/**
 * `$defs/Interrupted`: the error of a run whose kernel went away before it ended.
 * The browser ends a cell's open runs with it when the kernel goes; the store does the same.
 */
export const INTERRUPTED_ERROR =
  'Interrupted: the process that ran this run ended before it finished (kernel restart or crash).';

/** `$defs/RunStream`: text a streaming LLM run produced since its previous stream event. */
export interface RunStream {
  readonly id: string;
  readonly text: string;
}

/** `$defs/RunEvent`. */
export type RunEvent =
  | { readonly op: 'start'; readonly run: RunStart }
  | { readonly op: 'end'; readonly run: RunEnd }
  | { readonly op: 'stream'; readonly run: RunStream };

/** `$defs/RunsMessage`: kernel to browser. */
export interface RunsMessage {
  readonly protocol: typeof PROTOCOL_VERSION;
  readonly kind: 'runs';
  readonly replay?: boolean;
  readonly events: readonly RunEvent[];
}

/** `$defs/SyncMessage`: browser to kernel (a plain JSON object, sendable as is). */
export type SyncMessage = {
  readonly protocol: typeof PROTOCOL_VERSION;
  readonly kind: 'sync';
};

/**
 * `$defs/Snapshot`: not a comm message but the copy of a cell's runs saved in its
 * output (MIME type `SNAPSHOT_MIME_TYPE`), bounded by the kernel.
 */
export interface SnapshotMessage {
  readonly protocol: typeof PROTOCOL_VERSION;
  readonly kind: 'snapshot';
  /** false when some run could still change when it was saved. */
  readonly final: boolean;
  readonly created?: string;
  readonly sessions?: readonly string[];
  readonly run_count: number;
  readonly omitted_runs: number;
  readonly field_limit?: number;
  /** How a copy not written by the kernel was made, and what it may lack. */
  readonly note?: string;
  readonly runs: readonly RunStart[];
}

/** The MIME type of a saved snapshot in a cell's output. */
export const SNAPSHOT_MIME_TYPE = 'application/vnd.nbtrace.trace+json';

export type Message = RunsMessage | SyncMessage | SnapshotMessage;

/** The sync request the browser sends. */
export function syncMessage(): SyncMessage {
  return { protocol: PROTOCOL_VERSION, kind: 'sync' };
}

/** The outcome of parsing a message. */
export type ParseResult =
  | { readonly ok: true; readonly message: Message }
  | {
      readonly ok: false;
      /** Why the message was rejected, with the path of the bad field. */
      readonly error: string;
      /** Set when the message is well-formed enough to name another protocol version. */
      readonly otherProtocol?: number;
    };

/** Parse an incoming message (a value from JSON). Never throws. */
export function parseMessage(value: unknown): ParseResult {
  try {
    return { ok: true, message: readMessage(value) };
  } catch (err) {
    if (err instanceof OtherProtocolError) {
      return { ok: false, error: err.message, otherProtocol: err.version };
    }
    if (err instanceof ProtocolError) {
      return { ok: false, error: err.message };
    }
    throw err;
  }
}

// ---------------------------------------------------------------------------
// Patterns, copied from schema.json's `$defs`.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|\+00:00)$/;
const DOTTED_ORDER =
  /^\d{8}T\d{6}\d{6}Z[0-9a-f-]{36}(\.\d{8}T\d{6}\d{6}Z[0-9a-f-]{36})*$/;

class ProtocolError extends Error {}

class OtherProtocolError extends ProtocolError {
  constructor(readonly version: number) {
    super(`protocol ${version} is not protocol ${PROTOCOL_VERSION}`);
  }
}

type Fields = Readonly<Record<string, unknown>>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fields(value: unknown, path: string): Fields {
  if (!isFields(value)) {
    throw new ProtocolError(`${path}: expected an object`);
  }
  return value;
}

function required(obj: Fields, key: string, path: string): unknown {
  if (!Object.prototype.hasOwnProperty.call(obj, key)) {
    throw new ProtocolError(`${path}: missing "${key}"`);
  }
  return obj[key];
}

function str(value: unknown, path: string, pattern?: RegExp, what?: string): string {
  if (typeof value !== 'string') {
    throw new ProtocolError(`${path}: expected a string`);
  }
  if (pattern && !pattern.test(value)) {
    throw new ProtocolError(`${path}: expected ${what ?? 'a matching string'}`);
  }
  return value;
}

const uuid = (v: unknown, p: string): string => str(v, p, UUID, 'a UUID');
const time = (v: unknown, p: string): string =>
  str(v, p, TIME, 'an ISO 8601 UTC time');

function optional<T>(
  obj: Fields,
  key: string,
  path: string,
  read: (value: unknown, path: string) => T
): T | undefined {
  const value = obj[key];
  return value === undefined ? undefined : read(value, `${path}.${key}`);
}

function nullable<T>(
  read: (value: unknown, path: string) => T
): (value: unknown, path: string) => T | null {
  return (value, path) => (value === null ? null : read(value, path));
}

function object(value: unknown, path: string): JsonObject {
  return fields(value, path);
}

function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ProtocolError(`${path}: expected a non-negative integer`);
  }
  return value;
}

function list<T>(
  value: unknown,
  path: string,
  read: (item: unknown, path: string) => T
): T[] {
  if (!Array.isArray(value)) {
    throw new ProtocolError(`${path}: expected an array`);
  }
  return value.map((item: unknown, i) => read(item, `${path}[${i}]`));
}

function runType(value: unknown, path: string): RunType {
  const found = RUN_TYPES.find(t => t === value);
  if (found === undefined) {
    throw new ProtocolError(`${path}: expected one of ${RUN_TYPES.join(', ')}`);
  }
  return found;
}

function timelineEvent(value: unknown, path: string): RunTimelineEvent {
  const obj = fields(value, path);
  const kwargs = optional(obj, 'kwargs', path, object);
  return {
    name: str(required(obj, 'name', path), `${path}.name`),
    time: time(required(obj, 'time', path), `${path}.time`),
    ...(kwargs !== undefined && { kwargs })
  };
}

/** Fields shared by RunStart and RunEnd, all optional. */
function endFields(obj: Fields, path: string): Partial<RunEnd> {
  const out: { -readonly [K in keyof RunEnd]?: RunEnd[K] } = {};
  const inputs = optional(obj, 'inputs', path, object);
  const outputs = optional(obj, 'outputs', path, nullable(object));
  const error = optional(obj, 'error', path, nullable(str));
  const extra = optional(obj, 'extra', path, object);
  const events = optional(obj, 'events', path, (v, p) => list(v, p, timelineEvent));
  const prompt = optional(obj, 'prompt_tokens', path, nullable(count));
  const completion = optional(obj, 'completion_tokens', path, nullable(count));
  const total = optional(obj, 'total_tokens', path, nullable(count));
  if (inputs !== undefined) out.inputs = inputs;
  if (outputs !== undefined) out.outputs = outputs;
  if (error !== undefined) out.error = error;
  if (extra !== undefined) out.extra = extra;
  if (events !== undefined) out.events = events;
  if (prompt !== undefined) out.prompt_tokens = prompt;
  if (completion !== undefined) out.completion_tokens = completion;
  if (total !== undefined) out.total_tokens = total;
  return out;
}

function runStart(value: unknown, path: string): RunStart {
  const obj = fields(value, path);
  const parent = optional(obj, 'parent_run_id', path, nullable(uuid));
  const endTime = optional(obj, 'end_time', path, nullable(time));
  const tags = optional(obj, 'tags', path, (v, p) => list(v, p, str));
  const sessionName = str(required(obj, 'session_name', path), `${path}.session_name`);
  if (sessionName.length === 0) {
    throw new ProtocolError(`${path}.session_name: expected a non-empty string`);
  }
  return {
    ...endFields(obj, path),
    id: uuid(required(obj, 'id', path), `${path}.id`),
    trace_id: uuid(required(obj, 'trace_id', path), `${path}.trace_id`),
    ...(parent !== undefined && { parent_run_id: parent }),
    dotted_order: str(
      required(obj, 'dotted_order', path),
      `${path}.dotted_order`,
      DOTTED_ORDER,
      'a dotted order'
    ),
    name: str(required(obj, 'name', path), `${path}.name`),
    run_type: runType(required(obj, 'run_type', path), `${path}.run_type`),
    start_time: time(required(obj, 'start_time', path), `${path}.start_time`),
    ...(endTime !== undefined && { end_time: endTime }),
    ...(tags !== undefined && { tags }),
    session_name: sessionName
  };
}

function runEnd(value: unknown, path: string): RunEnd {
  const obj = fields(value, path);
  return {
    ...endFields(obj, path),
    id: uuid(required(obj, 'id', path), `${path}.id`),
    end_time: time(required(obj, 'end_time', path), `${path}.end_time`)
  };
}

function runStream(value: unknown, path: string): RunStream {
  const obj = fields(value, path);
  return {
    id: uuid(required(obj, 'id', path), `${path}.id`),
    text: str(required(obj, 'text', path), `${path}.text`)
  };
}

function runEvent(value: unknown, path: string): RunEvent {
  const obj = fields(value, path);
  const op = required(obj, 'op', path);
  const run = required(obj, 'run', path);
  switch (op) {
    case 'start':
      return { op, run: runStart(run, `${path}.run`) };
    case 'end':
      return { op, run: runEnd(run, `${path}.run`) };
    case 'stream':
      return { op, run: runStream(run, `${path}.run`) };
    default:
      throw new ProtocolError(`${path}.op: expected "start", "end" or "stream"`);
  }
}

function readMessage(value: unknown): Message {
  const obj = fields(value, 'message');
  const protocol = required(obj, 'protocol', 'message');
  if (protocol !== PROTOCOL_VERSION) {
    if (typeof protocol === 'number') {
      throw new OtherProtocolError(protocol);
    }
    throw new ProtocolError('message.protocol: expected a number');
  }
  const kind = required(obj, 'kind', 'message');
  switch (kind) {
    case 'sync':
      return { protocol: PROTOCOL_VERSION, kind };
    case 'runs': {
      const replay = optional(obj, 'replay', 'message', (v, p) => {
        if (typeof v !== 'boolean') {
          throw new ProtocolError(`${p}: expected a boolean`);
        }
        return v;
      });
      const events = list(required(obj, 'events', 'message'), 'message.events', runEvent);
      return {
        protocol: PROTOCOL_VERSION,
        kind,
        ...(replay !== undefined && { replay }),
        events
      };
    }
    case 'snapshot':
      return snapshot(obj);
    default:
      throw new ProtocolError('message.kind: expected "runs", "sync" or "snapshot"');
  }
}

function snapshot(obj: Fields): SnapshotMessage {
  const final = required(obj, 'final', 'message');
  if (typeof final !== 'boolean') {
    throw new ProtocolError('message.final: expected a boolean');
  }
  const created = optional(obj, 'created', 'message', time);
  const sessions = optional(obj, 'sessions', 'message', (v, p) => list(v, p, str));
  const fieldLimit = optional(obj, 'field_limit', 'message', count);
  const note = optional(obj, 'note', 'message', str);
  return {
    protocol: PROTOCOL_VERSION,
    kind: 'snapshot',
    final,
    ...(created !== undefined && { created }),
    ...(sessions !== undefined && { sessions }),
    run_count: count(required(obj, 'run_count', 'message'), 'message.run_count'),
    omitted_runs: count(required(obj, 'omitted_runs', 'message'), 'message.omitted_runs'),
    ...(fieldLimit !== undefined && { field_limit: fieldLimit }),
    ...(note !== undefined && { note }),
    runs: list(required(obj, 'runs', 'message'), 'message.runs', runStart)
  };
}
