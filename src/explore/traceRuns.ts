/**
 * What the Explore panel derives from a store for one trace: its runs in
 * tree order with their depth, the deepest failed run, the runs with a failed
 * run below them, and the numbers shown in the panel's header. Pure functions;
 * each walk is iterative (a deep chain cannot overflow the stack) and O(runs).
 */
import type { TreeSource } from '../components/visibleRows';

type TraceSource = TreeSource;
import { Run, runStatus } from '../store/run';

/** What these helpers need from a store. */
export interface TraceStore extends TreeSource {
  get(id: string): Run | undefined;
}

/** The store's top-level runs that belong to `traceId`, in `dotted_order`. */
export function traceRoots(store: TraceStore, traceId: string): string[] {
  return store.roots().filter(id => store.get(id)?.trace_id === traceId);
}

export interface TraceOrder {
  /** Run ids, depth first, in `dotted_order` among siblings. */
  readonly ids: readonly string[];
  /** 0 for the trace's top-level runs. */
  readonly depths: readonly number[];
}

/** Every run of the trace, depth first. */
export function traceOrder(store: TraceStore, traceId: string): TraceOrder {
  return orderFrom(store, traceRoots(store, traceId));
}

/** `roots` and every run below them, depth first. */
export function orderFrom(store: TraceSource, roots: readonly string[]): TraceOrder {
  const ids: string[] = [];
  const depths: number[] = [];
  const stack: { id: string; depth: number }[] = [];
  for (let i = roots.length - 1; i >= 0; i--) {
    stack.push({ id: roots[i], depth: 0 });
  }
  while (stack.length > 0) {
    const { id, depth } = stack.pop()!;
    ids.push(id);
    depths.push(depth);
    const children = store.children(id);
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ id: children[i], depth: depth + 1 });
    }
  }
  return { ids, depths };
}

/**
 * The failed run deepest in the tree (the one that raised; LangChain marks
 * every ancestor failed too). Ties go to the first in execution order.
 */
export function deepestFailedRun(store: TraceStore, order: TraceOrder): string | null {
  let best: string | null = null;
  let bestDepth = -1;
  order.ids.forEach((id, i) => {
    const run = store.get(id);
    if (run && runStatus(run) === 'error' && order.depths[i] > bestDepth) {
      best = id;
      bestDepth = order.depths[i];
    }
  });
  return best;
}

/** Runs that have a failed run somewhere below them. */
export function failedAncestors(store: TraceStore, order: TraceOrder): Set<string> {
  const marked = new Set<string>();
  for (const id of order.ids) {
    const run = store.get(id);
    if (run === undefined || runStatus(run) !== 'error') {
      continue;
    }
    let parent = run.parent_run_id ?? null;
    while (parent !== null && parent !== undefined && !marked.has(parent)) {
      const p = store.get(parent);
      if (p === undefined) {
        break;
      }
      marked.add(parent);
      parent = p.parent_run_id === p.id ? null : (p.parent_run_id ?? null);
    }
  }
  return marked;
}

export interface TraceSummary {
  readonly runs: number;
  readonly running: number;
  readonly errors: number;
  /** Sum of the LLM runs' total tokens, `null` when none reports tokens. */
  readonly tokens: number | null;
}

export function traceSummary(store: TraceStore, order: TraceOrder): TraceSummary {
  let running = 0;
  let errors = 0;
  let tokens: number | null = null;
  for (const id of order.ids) {
    const run = store.get(id);
    if (run === undefined) {
      continue;
    }
    const status = runStatus(run);
    if (status === 'running') {
      running++;
    } else if (status === 'error') {
      errors++;
    }
    if (run.run_type === 'llm') {
      const total =
        run.total_tokens ??
        (run.prompt_tokens != null && run.completion_tokens != null
          ? run.prompt_tokens + run.completion_tokens
          : null);
      if (total !== null) {
        tokens = (tokens ?? 0) + total;
      }
    }
  }
  return { runs: order.ids.length, running, errors, tokens };
}
