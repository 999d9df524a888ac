import { asMessage, asMessageList } from '../explore/messages';
import { llmFacts, llmGenerations, llmInput } from '../explore/llm';
import { LlmView } from '../explore/views/LlmView';
import { Conversation } from '../explore/views/MessageView';
import { PayloadView } from '../explore/views/PayloadView';
import { mergeStart } from '../store/run';
import { langchainRuns, runNamed } from './exploreFixtures';
import { mount } from './render';

const dumpd = (cls: string, kwargs: Record<string, unknown>) => ({
  lc: 1,
  type: 'constructor',
  id: ['langchain', 'schema', 'messages', cls],
  kwargs
});

/** Role label, text and tool-call names of each rendered message. */
function rendered(container: HTMLElement): { role: string; text: string; calls: string[] }[] {
  return Array.from(container.querySelectorAll<HTMLElement>('.nbtrace-msg')).map(m => ({
    role: m.querySelector('.nbtrace-msg__role')!.textContent!,
    text: Array.from(m.querySelectorAll(':scope > .nbtrace-msg__content .nbtrace-text__body'))
      .map(t => t.textContent)
      .join('\n'),
    calls: Array.from(m.querySelectorAll('.nbtrace-toolcall__name')).map(n => n.textContent!)
  }));
}

describe('messages', () => {
  it('reads dumpd messages (chat model inputs)', () => {
    const ai = asMessage(
      dumpd('AIMessage', {
        content: '',
        tool_calls: [{ name: 'get_weather', args: { city: 'Paris' }, id: 'call_1', type: 'tool_call' }],
        usage_metadata: { input_tokens: 5, output_tokens: 7, total_tokens: 12 },
        response_metadata: { model_name: 'gpt-test', finish_reason: 'tool_calls' }
      })
    )!;
    expect(ai.role).toBe('ai');
    expect(ai.content).toEqual([]);
    expect(ai.toolCalls).toEqual([{ name: 'get_weather', args: { city: 'Paris' }, id: 'call_1' }]);
    expect(ai.usage).toEqual({ input: 5, output: 7, total: 12 });
    expect(ai.model).toBe('gpt-test');
    expect(ai.finishReason).toBe('tool_calls');
    const tool = asMessage(dumpd('ToolMessage', { content: 'sunny', tool_call_id: 'call_1', status: 'success' }))!;
    expect(tool).toMatchObject({ role: 'tool', toolCallId: 'call_1', status: 'success' });
    expect(asMessage(dumpd('HumanMessageChunk', { content: 'hi' }))!.role).toBe('human');
    expect(asMessage(dumpd('ChatMessage', { content: 'x', role: 'critic' }))!.role).toBe('critic');
    expect(asMessage(dumpd('Document', { page_content: 'x' }))).toBeNull();
  });

  it('reads model_dump messages (chain outputs) and OpenAI dicts', () => {
    const runs = langchainRuns();
    const agent = runNamed(runs, 'agent');
    const list = asMessageList(agent.outputs!.messages)!;
    expect(list.map(m => m.role)).toEqual(['human', 'ai', 'tool']);
    expect(list[1].toolCalls[0]).toEqual({ name: 'get_weather', args: { city: 'Paris' }, id: 'call_1' });
    expect(list[2].toolCallId).toBe('call_1');
    expect(asMessage({ type: 'AIMessageChunk', content: 'streamed' })!.role).toBe('ai');
    expect(asMessage({ role: 'user', content: 'hello' })!.role).toBe('human');
    const openai = asMessage({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'c9', type: 'function', function: { name: 'search', arguments: '{"q": "bears"}' } }]
    })!;
    expect(openai.toolCalls).toEqual([{ name: 'search', args: { q: 'bears' }, id: 'c9' }]);
    expect(asMessageList([{ content: 'x', type: 'human' }, { not: 'a message' }])).toBeNull();
    expect(asMessage({ text: 'x', type: 'ChatGeneration' })).toBeNull();
  });

  it('renders a conversation: roles, content, tool calls with arguments, tool results', () => {
    const runs = langchainRuns();
    const messages = asMessageList(runNamed(runs, 'agent').outputs!.messages)!;
    const { container } = mount(<Conversation messages={messages} />);
    expect(rendered(container)).toEqual([
      { role: 'Human', text: 'weather in Paris?', calls: [] },
      { role: 'AI', text: '', calls: ['get_weather'] },
      { role: 'Tool', text: 'sunny in Paris', calls: [] }
    ]);
    const call = container.querySelector('.nbtrace-toolcall')!;
    expect(call.textContent).toContain('call_1');
    expect(call.querySelector('.nbtrace-json')!.textContent).toContain('city');
    expect(call.querySelector('.nbtrace-json')!.textContent).toContain('"Paris"');
    // The tool result names the call it answers.
    const result = container.querySelector('.nbtrace-msg--tool .nbtrace-msg__result-of')!;
    expect(result.textContent).toContain('result of get_weather');
  });

  it('renders both message shapes found in a payload', () => {
    const { container } = mount(
      <PayloadView
        what="outputs"
        value={{
          output: {
            messages: [
              { content: 'You are a comedian.', type: 'system' },
              { content: 'Tell me a joke about bears', type: 'human' }
            ]
          },
          reply: dumpd('AIMessage', { content: 'Why did the bear sit?' })
        }}
      />
    );
    expect(rendered(container)).toEqual([
      { role: 'System', text: 'You are a comedian.', calls: [] },
      { role: 'Human', text: 'Tell me a joke about bears', calls: [] },
      { role: 'AI', text: 'Why did the bear sit?', calls: [] }
    ]);
  });
});

describe('LLM runs', () => {
  const runOf = (name: string) => mergeStart(undefined, runNamed(langchainRuns(), name));

  it('shows the exact messages and the generation of a chat model run', () => {
    const run = runOf('GenericFakeChatModel');
    expect(llmInput(run)!.kind).toBe('messages');
    const { container } = mount(<LlmView run={run} />);
    expect(rendered(container)).toEqual([
      { role: 'System', text: 'You are a comedian.', calls: [] },
      { role: 'Human', text: 'Tell me a joke about bears', calls: [] },
      { role: 'AI', text: 'Why did the bear sit? To rest.', calls: [] }
    ]);
    expect(container.querySelector('.nbtrace-msg--ai .nbtrace-msg__badge')!.textContent).toBe('output');
    expect(container.querySelector('.nbtrace-llm-facts__model-name')!.textContent).toBe('generic-fake-chat-model');
    expect(container.querySelector('.nbtrace-llm-facts')!.textContent).toContain('genericfakechatmodel');
  });

  it('shows what a model call that failed had generated (a stream cut short)', () => {
    const base = runOf('GenericFakeChatModel');
    const outputs = JSON.parse(JSON.stringify(base.outputs));
    outputs.generations[0][0].text = 'Why did the';
    outputs.generations[0][0].message.kwargs.content = 'Why did the';
    const run = { ...base, error: 'ConnectionResetError: the provider hung up', outputs };
    const { container } = mount(<LlmView run={run} />);
    expect(rendered(container).at(-1)).toEqual({ role: 'AI', text: 'Why did the', calls: [] });
  });

  it('shows a completion LLM prompt as the exact string, and its completion', () => {
    const run = runOf('FakeListLLM');
    const { container } = mount(<LlmView run={run} />);
    const [prompt, completion] = Array.from(container.querySelectorAll('.nbtrace-prompt__text .nbtrace-text__body'));
    expect(prompt.textContent).toBe('Complete this: <script>x</script>');
    expect(completion.textContent).toBe('completion!');
    expect(container.querySelector('script')).toBeNull();
  });

  it('shows model name, invocation parameters and token usage', () => {
    const base = runOf('GenericFakeChatModel');
    const run = {
      ...base,
      extra: {
        invocation_params: { model: 'gpt-4o-mini', temperature: 0.2, max_tokens: 256, stop: null, _type: 'openai-chat' },
        metadata: { ls_provider: 'openai' }
      },
      outputs: {
        generations: [[{ text: 'hi', message: dumpd('AIMessage', { content: 'hi' }) }]],
        llm_output: { token_usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 }, model_name: 'gpt-4o-mini' }
      }
    };
    const facts = llmFacts(run);
    expect(facts.model).toBe('gpt-4o-mini');
    expect(facts.provider).toBe('openai');
    expect(facts.params).toEqual([
      ['temperature', 0.2],
      ['max_tokens', 256]
    ]);
    expect(facts.tokens).toEqual({ prompt: 12, completion: 8, total: 20 });
    const { container } = mount(<LlmView run={run} />);
    const usage = container.querySelector('[aria-label="Token usage"]')!.textContent;
    expect(usage).toContain('12 prompt');
    expect(usage).toContain('8 completion');
    expect(usage).toContain('20 total');
    const params = container.querySelector('[aria-label="Invocation parameters"]')!.textContent;
    expect(params).toContain('temperature0.2');
    expect(params).toContain('max_tokens256');
  });

  it('sums usage_metadata when the run reports no token counts', () => {
    const base = runOf('GenericFakeChatModel');
    const run = {
      ...base,
      outputs: {
        generations: [
          [
            {
              text: 'a',
              message: dumpd('AIMessage', {
                content: 'a',
                usage_metadata: { input_tokens: 3, output_tokens: 4, total_tokens: 7 }
              })
            }
          ]
        ]
      }
    };
    expect(llmFacts(run).tokens).toEqual({ prompt: 3, completion: 4, total: 7 });
    expect(llmGenerations(run)![0][0].message!.usage).toEqual({ input: 3, output: 4, total: 7 });
  });
});
