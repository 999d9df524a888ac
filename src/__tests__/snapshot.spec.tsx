import { readFileSync } from 'fs';
import { join } from 'path';
import { SNAPSHOT_MIME_TYPE, type SnapshotMessage, parseMessage } from '../protocol';
import { SnapshotRenderer } from '../snapshot/snapshotRenderer';
import { snapshotNotice, snapshotStore } from '../snapshot/snapshotStore';
import { liveTraces } from '../store/liveTraces';
import { PROTOCOL_DIR, RUN } from './fixtures';

function example(): SnapshotMessage {
  const parsed = parseMessage(JSON.parse(readFileSync(join(PROTOCOL_DIR, 'examples', 'snapshot.json'), 'utf-8')));
  if (!parsed.ok || parsed.message.kind !== 'snapshot') {
    throw new Error('snapshot.json is not a snapshot');
  }
  return parsed.message;
}

function mimeModel(data: unknown) {
  return {
    trusted: false,
    data: { [SNAPSHOT_MIME_TYPE]: data } as any,
    metadata: {},
    setData: () => undefined
  };
}

describe('a saved snapshot', () => {
  it('becomes a frozen store with every run and no ticking clock', () => {
    const store = snapshotStore(example());
    expect(store.size).toBe(2);
    expect(store.isLive).toBe(false);
    expect(store.get(RUN.sequence)?.error).toContain('parse failed');
    const llm = store.get(RUN.llm);
    expect(llm && store.latencyUs(llm, Date.now() + 10 ** 9)).toBe(248000);
  });

  it('says when it was saved mid-run or keeps only part of the runs', () => {
    expect(snapshotNotice(example())).toBeNull();
    const partial = { ...example(), final: false, run_count: 7000, omitted_runs: 2000 };
    const notice = snapshotNotice(partial) ?? '';
    expect(notice).toContain('did not finish in this copy');
    expect(notice).toContain('5,000 of 7,000 runs');
  });

  it('renders the same accessible tree as the live widget and offers its runs to Explore', async () => {
    const open = jest.fn();
    const renderer = new SnapshotRenderer({ available: () => true, open });
    document.body.appendChild(renderer.node);
    const data = JSON.parse(readFileSync(join(PROTOCOL_DIR, 'examples', 'snapshot.json'), 'utf-8'));
    await renderer.renderModel(mimeModel(data));
    await new Promise(resolve => setTimeout(resolve, 0));
    const tree = renderer.node.querySelector('[role="tree"]');
    expect(tree).not.toBeNull();
    expect(renderer.node.querySelectorAll('[role="treeitem"]').length).toBe(1);
    expect(liveTraces.find(RUN.sequence)).not.toBeNull();
    renderer.dispose();
    expect(liveTraces.find(RUN.sequence)).toBeNull();
  });

  it('shows a readable notice for a snapshot it cannot read', async () => {
    const renderer = new SnapshotRenderer(null);
    document.body.appendChild(renderer.node);
    await renderer.renderModel(mimeModel({ protocol: 1, kind: 'snapshot' }));
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(renderer.node.textContent).toContain('cannot be read');
    renderer.dispose();
  });
});
