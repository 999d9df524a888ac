import { Widget } from '@lumino/widgets';
import { act } from 'react';
import plugins from '../index';
import { CommandIDs } from '../commandIds';
import { SessionsModel } from '../sessions/sessionsModel';
import { SESSIONS_PANEL_ID, SessionsPanel } from '../sessions/sessionsPanel';
import { FakeServer } from './sessionsFixtures';

describe('sessions plugin', () => {
  it('is assembled in index.ts with a namespaced id and a description', () => {
    const plugin = plugins.find(p => p.id === 'nbtrace:sessions');
    expect(plugin).toBeDefined();
    expect(plugin!.description).toMatch(/Sessions sidebar/);
    expect(plugin!.autoStart).toBe(true);
    expect(plugin!.requires ?? []).toEqual([]);
    expect(CommandIDs.openSessions).toBe('nbtrace:open-sessions');
  });
});

describe('SessionsPanel', () => {
  it('polls only while shown, and disposes its model with itself', async () => {
    const model = new SessionsModel({ client: new FakeServer() });
    const panel = new SessionsPanel({ model, onOpenTrace: jest.fn() });
    expect(panel.id).toBe(SESSIONS_PANEL_ID);
    expect(panel.title.caption).toBe('nbtrace sessions');
    expect(panel.title.icon).toBeTruthy();
    expect(panel.widgets.map(w => w.title.label)).toEqual(['Sessions', 'Traces']);

    panel.hide();
    await act(async () => Widget.attach(panel, document.body));
    expect(model.active).toBe(false);
    await act(async () => panel.show());
    expect(model.active).toBe(true);
    await act(async () => panel.hide());
    expect(model.active).toBe(false);
    await act(async () => panel.show());
    expect(model.active).toBe(true);
    await act(async () => Widget.detach(panel));
    expect(model.active).toBe(false);

    await act(async () => panel.dispose());
    expect(model.isDisposed).toBe(true);
  });
});
