/**
 * What an LLM run says about the model call: the exact input (chat messages
 * or completion prompts), the generations, the model, its invocation
 * parameters and token usage. Pure; reads LangChain's run shapes.
 */
import type { Run, TokenCounts } from '../store/run';
import { tokenCounts } from '../store/run';
import { asMessage, type ChatMessage } from './messages';

type Dict = Readonly<Record<string, unknown>>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The input of an LLM run. */
export type LlmInput =
  | { readonly kind: 'messages'; readonly batches: readonly (readonly ChatMessage[])[] }
  | { readonly kind: 'prompts'; readonly prompts: readonly string[] };

/** `inputs.messages` (batches of messages) or `inputs.prompts` (strings); `null` otherwise. */
export function llmInput(run: Run): LlmInput | null {
  const inputs = run.inputs;
  if (!inputs) {
    return null;
  }
  if (Array.isArray(inputs.messages)) {
    const raw = inputs.messages;
    // A list of batches, or (other tracers) one flat list of messages.
    const batches = raw.every(Array.isArray) ? (raw as unknown[][]) : [raw];
    const parsed: ChatMessage[][] = [];
    for (const batch of batches) {
      const messages = batch.map(asMessage);
      if (messages.some(m => m === null)) {
        return null;
      }
      parsed.push(messages as ChatMessage[]);
    }
    return { kind: 'messages', batches: parsed };
  }
  if (Array.isArray(inputs.prompts) && inputs.prompts.every(p => typeof p === 'string')) {
    return { kind: 'prompts', prompts: inputs.prompts as string[] };
  }
  return null;
}

export interface Generation {
  /** The generated message (chat models), else `null`. */
  readonly message: ChatMessage | null;
  /** The generation's text: the exact completion of a completion LLM. */
  readonly text: string;
  /** `generation_info` (finish reason, logprobs…), when present. */
  readonly info: Dict | null;
}

/** `outputs.generations`: one list per prompt/batch. `null` if the run has none. */
export function llmGenerations(run: Run): Generation[][] | null {
  const generations = run.outputs?.generations;
  if (!Array.isArray(generations)) {
    return null;
  }
  const batches = generations.every(Array.isArray) ? (generations as unknown[][]) : [generations];
  return batches.map(batch =>
    batch.filter(isDict).map(g => ({
      message: asMessage(g.message),
      text: typeof g.text === 'string' ? g.text : '',
      info: isDict(g.generation_info) && Object.keys(g.generation_info).length > 0 ? g.generation_info : null
    }))
  );
}

export interface LlmFacts {
  readonly model: string | null;
  readonly provider: string | null;
  /** Invocation parameters worth a glance (temperature, max tokens, stop…), nulls left out. */
  readonly params: readonly (readonly [string, unknown])[];
  readonly tokens: TokenCounts | null;
}

const NOT_PARAMS = new Set(['model', 'model_name', 'model_id', '_type']);

export function llmFacts(run: Run): LlmFacts {
  const extra = run.extra ?? {};
  const invocation = isDict(extra.invocation_params) ? extra.invocation_params : {};
  const metadata = isDict(extra.metadata) ? extra.metadata : {};
  const llmOutput = isDict(run.outputs?.llm_output) ? run.outputs.llm_output : {};
  const generations = llmGenerations(run) ?? [];
  const responseModel = generations
    .flat()
    .map(g => g.message?.model ?? null)
    .find(m => m !== null);

  const model =
    firstString(
      invocation.model,
      invocation.model_name,
      invocation.model_id,
      metadata.ls_model_name,
      llmOutput.model_name,
      llmOutput.model,
      responseModel
    ) ?? firstString(invocation._type);
  const provider = firstString(metadata.ls_provider);

  const params: [string, unknown][] = [];
  for (const [key, value] of Object.entries(invocation)) {
    if (!NOT_PARAMS.has(key) && value !== null && value !== undefined) {
      params.push([key, value]);
    }
  }
  for (const [key, meta] of [
    ['temperature', 'ls_temperature'],
    ['max_tokens', 'ls_max_tokens'],
    ['stop', 'ls_stop']
  ] as const) {
    if (!(key in invocation) && metadata[meta] !== null && metadata[meta] !== undefined) {
      params.push([key, metadata[meta]]);
    }
  }
  return { model, provider, params, tokens: llmTokens(run, llmOutput, generations) };
}

/** The run's token fields, else `llm_output.token_usage`, else the messages' `usage_metadata`. */
function llmTokens(run: Run, llmOutput: Dict, generations: Generation[][]): TokenCounts | null {
  const own = tokenCounts(run);
  if (own !== null) {
    return own;
  }
  const usage = isDict(llmOutput.token_usage) ? llmOutput.token_usage : isDict(llmOutput.usage) ? llmOutput.usage : null;
  if (usage !== null) {
    const prompt = num(usage.prompt_tokens ?? usage.input_tokens);
    const completion = num(usage.completion_tokens ?? usage.output_tokens);
    const total = num(usage.total_tokens) ?? (prompt !== null && completion !== null ? prompt + completion : null);
    if (prompt !== null || completion !== null || total !== null) {
      return { prompt, completion, total };
    }
  }
  let found = false;
  let prompt = 0;
  let completion = 0;
  let total = 0;
  for (const g of generations.flat()) {
    const u = g.message?.usage;
    if (u) {
      found = true;
      prompt += u.input ?? 0;
      completion += u.output ?? 0;
      total += u.total ?? (u.input ?? 0) + (u.output ?? 0);
    }
  }
  return found ? { prompt, completion, total } : null;
}

function firstString(...values: unknown[]): string | null {
  for (const v of values) {
    if (typeof v === 'string' && v !== '') {
      return v;
    }
  }
  return null;
}
