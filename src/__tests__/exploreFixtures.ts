/**
 * Real LangChain runs for the Explore tests, recorded by nbtrace from
 * langchain_core 1.x (file paths in the tracebacks shortened): a prompt |
 * fake chat model | parser chain, a failing chain, a tool-calling agent, and
 * a completion LLM.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { RunStart } from '../protocol';
import { RunStore } from '../store/runStore';

export function langchainRuns(): RunStart[] {
  return JSON.parse(readFileSync(join(__dirname, 'langchainRuns.json'), 'utf8')) as RunStart[];
}

/** The first run with this name. */
export function runNamed(runs: readonly RunStart[], name: string): RunStart {
  const run = runs.find(r => r.name === name);
  if (run === undefined) {
    throw new Error(`no run named ${name}`);
  }
  return run;
}

/** A store holding `runs`, changes published. */
export function storeOf(runs: readonly RunStart[]): RunStore {
  const store = new RunStore();
  runs.forEach(run => store.applyStart(run));
  store.flush();
  return store;
}

/** Trace ids of the recorded traces, by root name. */
export function traceIdOf(runs: readonly RunStart[], rootName: string): string {
  return runNamed(runs, rootName).trace_id;
}
