import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readdirSync } from 'fs';
import { join } from 'path';
import { INTERRUPTED_ERROR, PROTOCOL_VERSION, parseMessage } from '../protocol';
import { PROTOCOL_DIR, exampleFiles, readJson, RUN } from './fixtures';

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(readJson(join(PROTOCOL_DIR, 'schema.json')) as object);

const examples = exampleFiles();

/** A deep copy of an example, to break by hand. */
function example(name: string): Record<string, any> {
  const found = examples.find(e => e.name === name);
  if (!found) {
    throw new Error(`no example ${name}`);
  }
  return JSON.parse(JSON.stringify(found.value));
}

describe('protocol examples', () => {
  it('exist', () => {
    expect(examples.map(e => e.name)).toEqual(
      expect.arrayContaining(['runs-start.json', 'runs-end-and-error.json', 'runs-replay.json', 'sync.json'])
    );
  });

  it.each(examples.map(e => [e.name, e.value]))(
    '%s validates against schema.json and is accepted by the parser',
    (_name, value) => {
      expect(validate(value)).toBe(true);
      expect(validate.errors ?? null).toBeNull();
      const parsed = parseMessage(value);
      expect(parsed).toMatchObject({ ok: true });
    }
  );

  it('parses field for field (known fields kept, values untouched)', () => {
    const parsed = parseMessage(example('runs-start.json'));
    if (!parsed.ok || parsed.message.kind !== 'runs') {
      throw new Error('expected a runs message');
    }
    const first = parsed.message.events[0];
    expect(first.op).toBe('start');
    expect(first.run).toEqual(example('runs-start.json').events[0].run);
  });

  it('ends interrupted runs with the error text the schema names (the store writes the same)', () => {
    const schema = readJson(join(PROTOCOL_DIR, 'schema.json')) as { $defs: Record<string, { const?: unknown }> };
    expect(schema.$defs.Interrupted.const).toBe(INTERRUPTED_ERROR);
  });

  it('drops fields it does not know, as the schema allows', () => {
    const msg = example('sync.json');
    msg.future_field = 1;
    expect(validate(msg)).toBe(true);
    expect(parseMessage(msg)).toEqual({ ok: true, message: { protocol: 1, kind: 'sync' } });
  });
});

describe('invalid messages are rejected by both the schema and the parser', () => {
  const cases: [string, () => unknown][] = [
    [
      'a start without id',
      () => {
        const msg = example('runs-start.json');
        delete msg.events[0].run.id;
        return msg;
      }
    ],
    [
      'an end without end_time',
      () => {
        const msg = example('runs-end-and-error.json');
        delete msg.events[0].run.end_time;
        return msg;
      }
    ],
    [
      'protocol 2',
      () => ({ ...example('runs-start.json'), protocol: 2 })
    ],
    [
      'an unknown op',
      () => {
        const msg = example('runs-start.json');
        msg.events[0].op = 'update';
        return msg;
      }
    ],
    [
      'an unknown run type',
      () => {
        const msg = example('runs-start.json');
        msg.events[0].run.run_type = 'agent';
        return msg;
      }
    ],
    [
      'a malformed id',
      () => {
        const msg = example('runs-start.json');
        msg.events[1].run.parent_run_id = 'not-a-uuid';
        return msg;
      }
    ],
    [
      'a time that is not UTC',
      () => {
        const msg = example('runs-start.json');
        msg.events[0].run.start_time = '2026-11-24T10:15:00.100000+02:00';
        return msg;
      }
    ],
    [
      'negative tokens',
      () => {
        const msg = example('runs-end-and-error.json');
        msg.events[0].run.total_tokens = -1;
        return msg;
      }
    ],
    ['an unknown kind', () => ({ protocol: 1, kind: 'hello' })],
    ['events that are not a list', () => ({ protocol: 1, kind: 'runs', events: {} })],
    ['not an object', () => 'runs']
  ];

  it.each(cases)('%s', (_label, make) => {
    const value = make();
    expect(validate(value)).toBe(false);
    expect(parseMessage(value)).toMatchObject({ ok: false });
  });

  it('names the bad field', () => {
    const msg = example('runs-start.json');
    delete msg.events[0].run.id;
    expect(parseMessage(msg)).toEqual({ ok: false, error: 'message.events[0].run: missing "id"' });
  });

  it('reports the other protocol version', () => {
    const result = parseMessage({ ...example('runs-start.json'), protocol: 2 });
    expect(result).toMatchObject({ ok: false, otherProtocol: 2 });
    expect(PROTOCOL_VERSION).toBe(1);
  });

  it('keeps an end patch to the fields it carries', () => {
    const parsed = parseMessage(example('runs-end-and-error.json'));
    if (!parsed.ok || parsed.message.kind !== 'runs') {
      throw new Error('expected a runs message');
    }
    const end = parsed.message.events.find(e => e.op === 'end' && e.run.id === RUN.parser);
    expect(end?.run).toEqual({
      id: RUN.parser,
      end_time: '2026-11-24T10:15:00.350400Z',
      error: expect.stringContaining('ValueError')
    });
  });
});

describe('the shared counter-examples (protocol/invalid, also checked by pytest)', () => {
  const dir = join(PROTOCOL_DIR, 'invalid');
  const files = readdirSync(dir).filter(name => name.endsWith('.json')).sort();

  it('exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s is rejected by the schema and the parser', name => {
    const value = readJson(join(dir, name));
    expect(validate(value)).toBe(false);
    expect(parseMessage(value)).toMatchObject({ ok: false });
  });
});
