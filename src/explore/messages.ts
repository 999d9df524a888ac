/**
 * Chat messages in the shapes LangChain records them: `dumpd` constructors
 * (`{lc: 1, type: "constructor", id: [..., "HumanMessage"], kwargs: {...}}`,
 * the inputs of chat model runs) and `model_dump` dicts (`{content, type:
 * "human", ...}`, in chain outputs), plus OpenAI-style `{role, content}`.
 * Pure: values in, a uniform message out (or `null`: not a message).
 */

export interface ToolCall {
  readonly name: string;
  /** The arguments: an object, or the raw string when it was not JSON. */
  readonly args: unknown;
  readonly id: string | null;
  /** Set for LangChain's `invalid_tool_calls`. */
  readonly error?: string | null;
}

/** One part of a message's content. */
export type ContentPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'image'; readonly source: string }
  | { readonly kind: 'tool_use'; readonly call: ToolCall }
  | { readonly kind: 'other'; readonly value: unknown };

export interface ChatMessage {
  /** `system`, `human`, `ai`, `tool`, `function`, or a chat message's own role. */
  readonly role: string;
  readonly content: readonly ContentPart[];
  /** The message's `name` (a tool or function name, a speaker). */
  readonly name: string | null;
  readonly toolCalls: readonly ToolCall[];
  /** For tool results: the id of the call it answers. */
  readonly toolCallId: string | null;
  /** For tool results: `success` / `error`. */
  readonly status: string | null;
  /** The message's own id (`lc_run--…`), if any. */
  readonly id: string | null;
  /** `usage_metadata` of AI messages. */
  readonly usage: { input: number | null; output: number | null; total: number | null } | null;
  /** `response_metadata`'s model name and finish reason (AI messages). */
  readonly model: string | null;
  readonly finishReason: string | null;
}

type Dict = Readonly<Record<string, unknown>>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** LangChain message class names and `model_dump` types to roles. */
const ROLE_OF_CLASS: Readonly<Record<string, string>> = {
  SystemMessage: 'system',
  HumanMessage: 'human',
  AIMessage: 'ai',
  ToolMessage: 'tool',
  FunctionMessage: 'function',
  ChatMessage: 'chat',
  RemoveMessage: 'remove'
};

const DUMP_TYPES = new Set(['system', 'human', 'ai', 'tool', 'function', 'chat', 'developer', 'remove']);

/** OpenAI-style roles to LangChain's. */
const OPENAI_ROLES: Readonly<Record<string, string>> = {
  user: 'human',
  assistant: 'ai',
  system: 'system',
  developer: 'system',
  tool: 'tool',
  function: 'function'
};

const ROLE_LABELS: Readonly<Record<string, string>> = {
  system: 'System',
  human: 'Human',
  ai: 'AI',
  tool: 'Tool',
  function: 'Function',
  chat: 'Chat',
  remove: 'Remove'
};

/** The label shown for a role. */
export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}

/** The message a value holds, in any of the shapes above, or `null`. */
export function asMessage(value: unknown): ChatMessage | null {
  if (!isDict(value)) {
    return null;
  }
  // dumpd: {lc: 1, type: "constructor", id: [..., "AIMessage"], kwargs: {...}}
  if (value.lc === 1 && value.type === 'constructor' && Array.isArray(value.id) && isDict(value.kwargs)) {
    const cls = str(value.id[value.id.length - 1]);
    const base = cls?.replace(/Chunk$/, '') ?? '';
    const role = ROLE_OF_CLASS[base];
    if (role === undefined) {
      return null;
    }
    const kwargs = value.kwargs;
    return build(role === 'chat' ? (str(kwargs.role) ?? 'chat') : role, kwargs);
  }
  // model_dump: {content, type: "ai", ...}
  if ('content' in value && typeof value.type === 'string') {
    const type = value.type.replace(/MessageChunk$|Chunk$/, '');
    const role = DUMP_TYPES.has(type) ? type : ROLE_OF_CLASS[type.endsWith('Message') ? type : `${type}Message`];
    if (role !== undefined) {
      return build(role === 'chat' ? (str(value.role) ?? 'chat') : role, value);
    }
    return null;
  }
  // OpenAI: {role: "user", content: "..."}
  if (typeof value.role === 'string' && 'content' in value && Object.keys(value).length <= 8) {
    const role = OPENAI_ROLES[value.role] ?? value.role;
    return build(role, value);
  }
  return null;
}

/** A non-empty array whose every item is a message, as messages; else `null`. */
export function asMessageList(value: unknown): ChatMessage[] | null {
  if (!Array.isArray(value) || value.length === 0) {
    return null;
  }
  const out: ChatMessage[] = [];
  for (const item of value) {
    const message = asMessage(item);
    if (message === null) {
      return null;
    }
    out.push(message);
  }
  return out;
}

function build(role: string, fields: Dict): ChatMessage {
  const additional = isDict(fields.additional_kwargs) ? fields.additional_kwargs : {};
  const content = contentParts(fields.content);
  let toolCalls = toolCallList(fields.tool_calls);
  if (toolCalls.length === 0) {
    toolCalls = toolCallList(additional.tool_calls ?? fields.tool_calls);
  }
  const functionCall = additional.function_call ?? fields.function_call;
  if (toolCalls.length === 0 && isDict(functionCall)) {
    toolCalls = toolCallList([{ function: functionCall }]);
  }
  const invalid = Array.isArray(fields.invalid_tool_calls)
    ? fields.invalid_tool_calls.filter(isDict).map(call => ({
        ...toolCall(call),
        error: str(call.error) ?? 'invalid tool call'
      }))
    : [];
  const usage = isDict(fields.usage_metadata)
    ? {
        input: num(fields.usage_metadata.input_tokens),
        output: num(fields.usage_metadata.output_tokens),
        total: num(fields.usage_metadata.total_tokens)
      }
    : null;
  const response = isDict(fields.response_metadata) ? fields.response_metadata : {};
  return {
    role,
    content,
    name: str(fields.name),
    toolCalls: [...toolCalls, ...invalid],
    toolCallId: str(fields.tool_call_id),
    status: role === 'tool' ? str(fields.status) : null,
    id: str(fields.id),
    usage,
    model: str(response.model_name) ?? str(response.model),
    finishReason: str(response.finish_reason) ?? str(response.stop_reason)
  };
}

function contentParts(content: unknown): ContentPart[] {
  if (content === null || content === undefined) {
    return [];
  }
  if (typeof content === 'string') {
    return content === '' ? [] : [{ kind: 'text', text: content }];
  }
  if (!Array.isArray(content)) {
    return [{ kind: 'other', value: content }];
  }
  return content.map((part): ContentPart => {
    if (typeof part === 'string') {
      return { kind: 'text', text: part };
    }
    if (isDict(part)) {
      if (part.type === 'text' && typeof part.text === 'string') {
        return { kind: 'text', text: part.text };
      }
      if (part.type === 'image_url' || part.type === 'image') {
        return { kind: 'image', source: imageSource(part) };
      }
      if (part.type === 'tool_use' && typeof part.name === 'string') {
        return {
          kind: 'tool_use',
          call: { name: part.name, args: part.input ?? part.args ?? {}, id: str(part.id) }
        };
      }
    }
    return { kind: 'other', value: part };
  });
}

/** Where an image block points, as text (never loaded). */
function imageSource(part: Dict): string {
  const url = isDict(part.image_url) ? part.image_url.url : (part.image_url ?? part.url);
  if (typeof url === 'string') {
    return url.startsWith('data:') ? `${url.slice(0, url.indexOf(',') + 1)}… (${url.length} characters)` : url;
  }
  if (isDict(part.source) && typeof part.source.media_type === 'string') {
    return `${part.source.media_type} (${String(part.source.type ?? 'inline')})`;
  }
  return 'image';
}

function toolCallList(value: unknown): ToolCall[] {
  return Array.isArray(value) ? value.filter(isDict).map(toolCall) : [];
}

/** LangChain's `{name, args, id}` or OpenAI's `{id, function: {name, arguments}}`. */
function toolCall(call: Dict): ToolCall {
  if (isDict(call.function)) {
    return {
      name: str(call.function.name) ?? '',
      args: parseArguments(call.function.arguments),
      id: str(call.id)
    };
  }
  return { name: str(call.name) ?? '', args: parseArguments(call.args), id: str(call.id) };
}

/** Arguments sent as a JSON string are shown parsed; anything else as it is. */
function parseArguments(args: unknown): unknown {
  if (typeof args !== 'string') {
    return args ?? {};
  }
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

/** Tool call id -> tool name, over a conversation, to title tool results. */
export function toolNamesById(messages: readonly ChatMessage[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) {
    for (const call of message.toolCalls) {
      if (call.id !== null) {
        names.set(call.id, call.name);
      }
    }
  }
  return names;
}

/** A message's text parts joined, for copying. */
export function messageText(message: ChatMessage): string {
  return message.content
    .map(part => (part.kind === 'text' ? part.text : ''))
    .filter(Boolean)
    .join('\n');
}
