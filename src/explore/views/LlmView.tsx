/**
 * "What exactly went into the model and what came out": an LLM run's model
 * and parameters, token usage, the exact messages or prompt strings, and the
 * generations.
 */
import type { ReactElement } from 'react';
import { formatCount } from '../../format';
import type { Run } from '../../store/run';
import { formatScalar } from '../format';
import { type Generation, type LlmInput, llmFacts, llmGenerations, llmInput } from '../llm';
import { toolNamesById } from '../messages';
import { CopyButton } from './CopyButton';
import { JsonViewer } from './JsonViewer';
import { Conversation, MessageView } from './MessageView';
import { PayloadView } from './PayloadView';
import { TextBlock } from './TextBlock';

export function LlmFactsView(props: { run: Run }): ReactElement {
  const facts = llmFacts(props.run);
  const { tokens } = facts;
  return (
    <div className="nbtrace-llm-facts" aria-label="Model call">
      <div className="nbtrace-llm-facts__model">
        <span className="nbtrace-llm-facts__label">Model</span>
        <span className="nbtrace-llm-facts__value nbtrace-llm-facts__model-name">{facts.model ?? 'unknown'}</span>
        {facts.provider !== null && <span className="nbtrace-chip">{facts.provider}</span>}
      </div>
      {tokens !== null && (
        <div className="nbtrace-llm-facts__tokens" aria-label="Token usage">
          <span className="nbtrace-llm-facts__label">Tokens</span>
          <span className="nbtrace-token">
            <span className="nbtrace-token__n">{tokens.prompt === null ? '—' : formatCount(tokens.prompt)}</span> prompt
          </span>
          <span className="nbtrace-token">
            <span className="nbtrace-token__n">{tokens.completion === null ? '—' : formatCount(tokens.completion)}</span>{' '}
            completion
          </span>
          <span className="nbtrace-token nbtrace-token--total">
            <span className="nbtrace-token__n">{tokens.total === null ? '—' : formatCount(tokens.total)}</span> total
          </span>
        </div>
      )}
      {facts.params.length > 0 && (
        <div className="nbtrace-llm-facts__params" aria-label="Invocation parameters">
          <span className="nbtrace-llm-facts__label">Parameters</span>
          {facts.params.map(([key, value]) => (
            <span key={key} className="nbtrace-chip nbtrace-chip--kv" title={formatScalar(value)}>
              <span className="nbtrace-chip__key">{key}</span>
              <span className="nbtrace-chip__value">{formatScalar(value)}</span>
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

/** The exact input of the model call: chat messages, or prompt strings. */
export function LlmInputView(props: { input: LlmInput }): ReactElement {
  const { input } = props;
  if (input.kind === 'prompts') {
    return (
      <div className="nbtrace-prompts">
        {input.prompts.map((prompt, i) => (
          <div key={i} className="nbtrace-prompt">
            <div className="nbtrace-field__head">
              <span className="nbtrace-field__key">
                {input.prompts.length > 1 ? `Prompt ${i + 1}` : 'Prompt'}
              </span>
              <span className="nbtrace-field__kind">{formatCount(prompt.length)} characters</span>
              <span className="nbtrace-msg__spacer" />
              <CopyButton what="prompt" text={() => prompt} />
            </div>
            <TextBlock text={prompt} mono className="nbtrace-prompt__text" />
          </div>
        ))}
      </div>
    );
  }
  return (
    <div className="nbtrace-batches">
      {input.batches.map((batch, i) => (
        <div key={i} className="nbtrace-batch">
          {input.batches.length > 1 && <div className="nbtrace-batch__title">Batch {i + 1}</div>}
          <Conversation messages={batch} label={input.batches.length > 1 ? `Messages of batch ${i + 1}` : 'Messages'} />
        </div>
      ))}
    </div>
  );
}

export function GenerationsView(props: {
  batches: readonly (readonly Generation[])[];
  toolNames?: ReadonlyMap<string, string>;
}): ReactElement {
  const { batches, toolNames } = props;
  const many = batches.length > 1 || batches.some(b => b.length > 1);
  return (
    <div className="nbtrace-generations">
      {batches.map((batch, i) =>
        batch.map((generation, j) => (
          <GenerationView
            key={`${i}-${j}`}
            generation={generation}
            title={many ? `Generation ${i + 1}.${j + 1}` : undefined}
            toolNames={toolNames}
          />
        ))
      )}
    </div>
  );
}

function GenerationView(props: {
  generation: Generation;
  title?: string;
  toolNames?: ReadonlyMap<string, string>;
}): ReactElement {
  const { generation } = props;
  return (
    <div className="nbtrace-generation">
      {props.title && <div className="nbtrace-batch__title">{props.title}</div>}
      {generation.message !== null ? (
        <MessageView message={generation.message} toolNames={props.toolNames} badge="output" />
      ) : (
        <div className="nbtrace-prompt">
          <div className="nbtrace-field__head">
            <span className="nbtrace-field__key">Completion</span>
            <span className="nbtrace-msg__spacer" />
            <CopyButton what="completion" text={() => generation.text} />
          </div>
          <TextBlock text={generation.text} mono className="nbtrace-prompt__text" />
        </div>
      )}
      {generation.info !== null && (
        <div className="nbtrace-generation__info">
          <span className="nbtrace-field__key">generation_info</span>
          <JsonViewer value={generation.info} what="generation_info" expandDepth={1} />
        </div>
      )}
    </div>
  );
}

/** The whole model call: facts, input, output (each falling back to the formatted payload). */
export function LlmView(props: { run: Run }): ReactElement {
  const { run } = props;
  const input = llmInput(run);
  const generations = llmGenerations(run);
  const toolNames = input?.kind === 'messages' ? toolNamesById(input.batches.flat()) : undefined;
  const llmOutput = run.outputs?.llm_output;
  return (
    <div className="nbtrace-llm">
      <LlmFactsView run={run} />
      <section className="nbtrace-section" aria-label="Input">
        <h3 className="nbtrace-section__title">Input</h3>
        {input !== null ? <LlmInputView input={input} /> : <PayloadView value={run.inputs} what="inputs" />}
      </section>
      <section className="nbtrace-section" aria-label="Output">
        <h3 className="nbtrace-section__title">Output</h3>
        {run.endUs === null ? (
          run.streamed ? (
            <div className="nbtrace-streaming">
              <div className="nbtrace-field__head">
                <span className="nbtrace-spinner" aria-hidden="true" />
                <span className="nbtrace-field__key">Streaming</span>
              </div>
              <TextBlock text={run.streamed} className="nbtrace-prompt__text" />
            </div>
          ) : (
            <div className="nbtrace-empty">Running…</div>
          )
        ) : (
          (generations !== null ? (
            <GenerationsView batches={generations} toolNames={toolNames} />
          ) : (
            <PayloadView value={run.outputs} what="outputs" />
          ))
        )}
        {generations !== null && llmOutput !== null && llmOutput !== undefined && (
          <div className="nbtrace-generation__info">
            <span className="nbtrace-field__key">llm_output</span>
            <JsonViewer value={llmOutput} what="llm_output" expandDepth={1} />
          </div>
        )}
      </section>
    </div>
  );
}
