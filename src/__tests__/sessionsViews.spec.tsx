import { nullTranslator } from '@jupyterlab/translation';
import { act } from 'react';
import { ApiError } from '../api/client';
import { NewSessionForm } from '../sessions/NewSessionForm';
import { SessionList } from '../sessions/SessionList';
import { SessionsModel } from '../sessions/sessionsModel';
import { SessionsSection } from '../sessions/SessionsSection';
import { TracesSection } from '../sessions/TracesSection';
import { click, mount, press } from './render';
import { FakeServer, makeTrace } from './sessionsFixtures';

const trans = nullTranslator.load('nbtrace');

async function readyModel(server: FakeServer): Promise<SessionsModel> {
  const model = new SessionsModel({ client: server, pageSize: 100 });
  await act(() => model.refresh());
  return model;
}

function options(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>('[role="option"]')).sort(
    (a, b) => Number(a.dataset.index) - Number(b.dataset.index)
  );
}

function optionName(option: HTMLElement): string {
  const id = option.getAttribute('aria-labelledby') ?? '';
  return document.getElementById(id)?.textContent ?? '';
}

async function type(input: HTMLInputElement, value: string): Promise<void> {
  await act(async () => {
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function submit(form: HTMLFormElement): Promise<void> {
  await act(async () => {
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
}

describe('TracesSection', () => {
  it('shows "No Runs" for an empty session', async () => {
    const model = await readyModel(new FakeServer());
    const { container } = mount(<TracesSection model={model} trans={trans} onOpen={jest.fn()} />);
    expect(container.querySelector('.nbtrace-traces__empty-title')?.textContent).toBe('No Runs');
    expect(container.querySelector('[role="listbox"]')).toBeNull();
    expect(container.querySelector('.nbtrace-traces__count')?.textContent).toBe('0 traces');
  });

  it('lists a session’s traces, newest first, with status, latency, tokens and runs', async () => {
    const server = new FakeServer();
    server.record(
      'default',
      makeTrace(1, { name: 'first_chain' }),
      makeTrace(2, { name: 'broken', error: 'ValueError: boom', run_count: 1 }),
      makeTrace(3, { name: 'live', end_time: null, run_type: 'llm', total_tokens: 1234 })
    );
    const model = await readyModel(server);
    const { container } = mount(<TracesSection model={model} trans={trans} onOpen={jest.fn()} />);
    const rows = options(container);
    expect(rows.map(optionName)).toEqual(['live', 'broken', 'first_chain']);
    expect(container.querySelector('[role="listbox"]')?.getAttribute('aria-label')).toBe(
      'Traces of session default'
    );
    const [live, broken, first] = rows;
    expect(live.querySelector('.nbtrace-status')?.textContent).toBe('running');
    expect(live.querySelector('.nbtrace-type--llm svg')).not.toBeNull();
    expect(live.textContent).toContain('1,234 tokens');
    expect(broken.querySelector('.nbtrace-status')?.textContent).toBe('error');
    expect(broken.textContent).toContain('1 run');
    expect(first.querySelector('.nbtrace-status')?.textContent).toBe('ok');
    expect(first.querySelector('.nbtrace-trace__latency')?.textContent).toBe('250 ms');
    expect(first.textContent).toContain('3 runs');
    expect(first.getAttribute('aria-posinset')).toBe('3');
    expect(first.getAttribute('aria-setsize')).toBe('3');
  });

  it('renders run names as text, never as markup', async () => {
    const server = new FakeServer();
    server.record('default', makeTrace(1, { name: '<img src=x onerror=alert(1)>' }));
    const model = await readyModel(server);
    const { container } = mount(<TracesSection model={model} trans={trans} onOpen={jest.fn()} />);
    expect(container.querySelector('img')).toBeNull();
    expect(optionName(options(container)[0])).toBe('<img src=x onerror=alert(1)>');
  });

  it('keeps only the rows in view in the DOM, for thousands of traces', async () => {
    const server = new FakeServer();
    const many = [];
    for (let i = 0; i < 5000; i++) {
      many.push(makeTrace(i));
    }
    server.record('default', ...many);
    const model = await readyModel(server);
    const { container } = mount(<TracesSection model={model} trans={trans} onOpen={jest.fn()} />);
    const rows = options(container);
    expect(model.traceCount).toBe(5000);
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    const canvas = container.querySelector<HTMLElement>('.nbtrace-traces__canvas')!;
    expect(canvas.style.height).toBe(`${5000 * 46}px`);
    expect(rows[0].getAttribute('aria-setsize')).toBe('5000');

    // Scrolling far down: placeholders first, then the page that holds them.
    const viewport = container.querySelector<HTMLElement>('.nbtrace-traces__viewport')!;
    await act(async () => {
      viewport.scrollTop = 3000 * 46;
      viewport.dispatchEvent(new Event('scroll', { bubbles: true }));
    });
    await act(() => new Promise(resolve => setTimeout(resolve, 0)));
    const scrolled = options(container).filter(o => o.dataset.index === '3000');
    expect(scrolled).toHaveLength(1);
    expect(optionName(scrolled[0])).toBe('chain_1999');
    expect(options(container).length).toBeLessThan(40);
    expect(server.callsOf('traces')).toEqual([
      'traces default 0',
      'traces default 2900',
      'traces default 3000'
    ]);
  });

  it('opens a trace on click and on Enter, and moves with the arrow keys', async () => {
    const server = new FakeServer();
    server.record('default', makeTrace(1, { name: 'older' }), makeTrace(2, { name: 'newer' }));
    const model = await readyModel(server);
    const onOpen = jest.fn();
    const { container } = mount(<TracesSection model={model} trans={trans} onOpen={onOpen} />);
    let [newer, older] = options(container);
    expect(newer.tabIndex).toBe(0);
    expect(older.tabIndex).toBe(-1);
    click(older);
    expect(onOpen).toHaveBeenLastCalledWith(makeTrace(1).trace_id);
    [newer, older] = options(container);
    expect(older.getAttribute('aria-selected')).toBe('true');
    expect(older.tabIndex).toBe(0);

    press(older, 'ArrowUp');
    [newer, older] = options(container);
    expect(newer.tabIndex).toBe(0);
    press(newer, 'Enter');
    expect(onOpen).toHaveBeenLastCalledWith(makeTrace(2).trace_id);
  });
});

describe('NewSessionForm', () => {
  it('has a labelled input and a Create button', () => {
    const { container } = mount(<NewSessionForm trans={trans} onCreate={jest.fn()} />);
    const input = container.querySelector('input')!;
    const label = container.querySelector(`label[for="${input.id}"]`);
    expect(label?.textContent).toBe('New session');
    expect(container.querySelector('button[type="submit"]')?.textContent).toBe('Create');
  });

  it('shows the server’s error inline and keeps the name', async () => {
    const onCreate = jest.fn().mockResolvedValue({
      ok: false,
      message: "A session named 'my_session' exists already"
    });
    const { container } = mount(<NewSessionForm trans={trans} onCreate={onCreate} />);
    const input = container.querySelector('input')!;
    await type(input, 'my_session');
    await submit(container.querySelector('form')!);
    expect(onCreate).toHaveBeenCalledWith('my_session');
    const alert = container.querySelector('[role="alert"]');
    expect(alert?.textContent).toBe("A session named 'my_session' exists already");
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe(alert?.id);
    expect(input.value).toBe('my_session');

    // Typing again clears the error.
    await type(input, 'my_session_2');
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });

  it('creates through the model: a 409 from the server shows, a new name clears the field', async () => {
    const server = new FakeServer();
    server.addSession('taken');
    const model = await readyModel(server);
    const { container } = mount(
      <SessionsSection model={model} trans={trans} confirmDelete={jest.fn()} />
    );
    const input = container.querySelector<HTMLInputElement>('.nbtrace-new-session input')!;
    await type(input, 'taken');
    await submit(container.querySelector('form')!);
    expect(container.querySelector('.nbtrace-new-session [role="alert"]')?.textContent).toBe(
      "A session named 'taken' exists already"
    );

    await type(input, '  fresh ');
    await submit(container.querySelector('form')!);
    expect(input.value).toBe('');
    expect(model.selected).toBe('fresh');
    const current = container.querySelector('[aria-current="true"]');
    expect(current?.getAttribute('data-session-name')).toBe('fresh');

    await type(input, 'a/b');
    await submit(container.querySelector('form')!);
    expect(container.querySelector('.nbtrace-new-session [role="alert"]')?.textContent).toMatch(
      /cannot contain/
    );
    expect(server.callsOf('create')).toEqual(['create taken', 'create fresh']);
  });
});

describe('SessionList', () => {
  const sessions = [
    { name: 'default', run_count: 12, trace_count: 4, last_activity: null, created_at: null },
    {
      name: 'my_session',
      run_count: 1,
      trace_count: 1,
      last_activity: new Date(Date.now() - 3 * 60_000).toISOString(),
      created_at: null
    }
  ];

  function renderList(overrides: Partial<Parameters<typeof SessionList>[0]> = {}) {
    const props = {
      sessions,
      selected: 'my_session',
      trans,
      now: Date.now(),
      onSelect: jest.fn(),
      onRename: jest.fn().mockResolvedValue({ ok: true, name: 'renamed' }),
      onDelete: jest.fn().mockResolvedValue(null),
      ...overrides
    };
    return { ...mount(<SessionList {...props} />), props };
  }

  it('shows each session with run count and last activity; marks the selected one', () => {
    const { container } = renderList();
    const buttons = Array.from(
      container.querySelectorAll<HTMLButtonElement>('.nbtrace-session__select')
    );
    expect(buttons.map(b => b.dataset.sessionName)).toEqual(['default', 'my_session']);
    expect(buttons[0].textContent).toContain('12 runs');
    expect(buttons[1].textContent).toContain('1 run');
    expect(buttons[1].textContent).toContain('3 min ago');
    expect(buttons[1].querySelector('time')?.getAttribute('title')).toMatch(/^Last activity: \d{4}-/);
    expect(buttons[0].hasAttribute('aria-current')).toBe(false);
    expect(buttons[1].getAttribute('aria-current')).toBe('true');
    const name = document.getElementById(buttons[1].getAttribute('aria-labelledby')!);
    expect(name?.textContent).toBe('my_session');
  });

  it('offers rename and delete for every session but default', () => {
    const { container, props } = renderList();
    expect(container.querySelector('[aria-label="Rename session default"]')).toBeNull();
    expect(container.querySelector('[aria-label="Delete session default"]')).toBeNull();
    click(container.querySelector('[aria-label="Delete session my_session"]')!);
    expect(props.onDelete).toHaveBeenCalledWith('my_session');
  });

  it('selects on click, moves with the arrow keys', () => {
    const { container, props } = renderList();
    const [first, second] = Array.from(
      container.querySelectorAll<HTMLButtonElement>('.nbtrace-session__select')
    );
    click(first);
    expect(props.onSelect).toHaveBeenCalledWith('default');
    first.focus();
    press(first, 'ArrowDown');
    expect(document.activeElement).toBe(second);
  });

  it('renames inline: Enter sends the new name, an error keeps the field open', async () => {
    const onRename = jest
      .fn()
      .mockResolvedValueOnce({ ok: false, message: "A session named 'x' exists already" });
    const { container } = renderList({ onRename });
    click(container.querySelector('[aria-label="Rename session my_session"]')!);
    const input = container.querySelector<HTMLInputElement>('.nbtrace-session__rename')!;
    expect(input.value).toBe('my_session');
    await type(input, 'x');
    await act(async () => {
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    expect(onRename).toHaveBeenCalledWith('my_session', 'x');
    expect(container.querySelector('[role="alert"]')?.textContent).toBe(
      "A session named 'x' exists already"
    );
    expect(container.querySelector('.nbtrace-session__rename')).not.toBeNull();
    await act(async () => {
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(container.querySelector('.nbtrace-session__rename')).toBeNull();
  });
});

describe('SessionsSection', () => {
  it('says what to install instead of a list when the server is incompatible', async () => {
    const server = new FakeServer();
    server.infoAnswer = new ApiError(404, 'Not Found');
    const model = await readyModel(server);
    const { container } = mount(
      <SessionsSection model={model} trans={trans} confirmDelete={jest.fn()} />
    );
    expect(container.querySelector('[role="alert"]')?.textContent).toMatch(/pip install nbtrace/);
    expect(container.querySelector('form')).toBeNull();
  });

  it('deletes only after confirmation', async () => {
    const server = new FakeServer();
    server.addSession('doomed');
    const model = await readyModel(server);
    const confirmDelete = jest.fn().mockResolvedValueOnce(false).mockResolvedValueOnce(true);
    const { container } = mount(
      <SessionsSection model={model} trans={trans} confirmDelete={confirmDelete} />
    );
    const remove = () => container.querySelector('[aria-label="Delete session doomed"]')!;
    await act(async () => click(remove()));
    expect(confirmDelete).toHaveBeenCalledWith(expect.objectContaining({ name: 'doomed' }));
    expect(server.callsOf('delete')).toEqual([]);
    await act(async () => click(remove()));
    expect(server.callsOf('delete')).toEqual(['delete doomed']);
    expect(container.querySelector('[data-session-name="doomed"]')).toBeNull();
  });
});
