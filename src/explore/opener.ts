/**
 * Opens Explore panels: one per trace, split right of the current widget (or
 * as a tab beside another Explore panel), focused again when asked twice.
 * Knows only the little of the shell it uses, so it is tested without an app.
 */
import type { Widget } from '@lumino/widgets';
import type { IExploreArgs } from '../commandIds';
import type { RunStore } from '../store/runStore';
import { ExploreModel, type TraceLoader } from './exploreModel';
import type { RunLoader } from './runDetails';
import { ExplorePanel } from './explorePanel';

/** What the opener needs from JupyterLab's shell (`app.shell` has it). */
export interface IExploreShell {
  readonly currentWidget: Widget | null;
  add(
    widget: Widget,
    area: 'main',
    options: { mode: 'split-right' | 'tab-after'; ref: string | null }
  ): void;
  activateById(id: string): void;
}

export interface ExploreOpenerOptions {
  shell: IExploreShell;
  findLive: (traceId: string) => RunStore | null;
  load: TraceLoader;
  loadRun?: RunLoader;
  /** Called with each new panel (the plugin tracks them for layout restore). */
  onPanel?: (panel: ExplorePanel) => void;
}

export class ExploreOpener {
  constructor(private readonly _options: ExploreOpenerOptions) {}

  /** The open panel of `traceId`, if any. */
  find(traceId: string): ExplorePanel | undefined {
    return this._panels.get(traceId);
  }

  open(args: IExploreArgs): ExplorePanel {
    const { shell } = this._options;
    const existing = this._panels.get(args.traceId);
    if (existing !== undefined) {
      if (args.runId !== undefined) {
        existing.model.select(args.runId);
      }
      shell.activateById(existing.id);
      return existing;
    }
    const model = new ExploreModel({
      traceId: args.traceId,
      runId: args.runId,
      findLive: this._options.findLive,
      load: this._options.load,
      loadRun: this._options.loadRun
    });
    const panel = new ExplorePanel(model);
    this._panels.set(args.traceId, panel);
    panel.disposed.connect(() => this._panels.delete(args.traceId));
    const current = shell.currentWidget;
    shell.add(panel, 'main', {
      // Beside what the user works in; next to another Explore panel as a tab.
      mode: current instanceof ExplorePanel ? 'tab-after' : 'split-right',
      ref: current?.id ?? null
    });
    this._options.onPanel?.(panel);
    shell.activateById(panel.id);
    return panel;
  }

  private readonly _panels = new Map<string, ExplorePanel>();
}
