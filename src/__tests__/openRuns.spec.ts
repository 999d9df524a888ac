import { OpenRuns } from '../components/openRuns';

describe('the memory of open runs', () => {
  it('reopens what was open, among the runs a new tree holds', () => {
    const memory = new OpenRuns();
    memory.update(new Set(), new Set(['a', 'b']));
    memory.update(new Set(['a', 'b']), new Set(['b', 'c']));
    expect([...memory.openAmong(id => id !== 'c')]).toEqual(['b']);
    expect([...memory.openAmong(() => true)].sort()).toEqual(['b', 'c']);
  });

  it('forgets the oldest past its bound', () => {
    const memory = new OpenRuns(3);
    for (const id of ['a', 'b', 'c', 'd']) {
      memory.update(new Set(), new Set([id]));
    }
    expect(memory.size).toBe(3);
    expect(memory.openAmong(id => id === 'a').size).toBe(0);
  });
});
