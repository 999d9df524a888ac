/**
 * The browser side of `nbtrace.TraceWidget`. The model, not the view, owns the
 * run store: views may not exist yet when runs arrive, and several views may
 * show the same trace.
 */
import { DOMWidgetModel, type IBackboneModelOptions } from '@jupyter-widgets/base';
import type { ObjectHash } from 'backbone';
import { protocolMismatchNotice } from '../format';
import { PROTOCOL_VERSION, parseMessage, syncMessage } from '../protocol';
import { liveTraces } from '../store/liveTraces';
import { RunStore } from '../store/runStore';
import { missesEarlierRuns } from './missedRuns';
import { protocolMessage } from './wire';
import { MODULE_NAME, MODULE_SEMVER } from '../version';

/** How long a new view waits for live runs before asking the kernel for what it holds. */
export const SYNC_WHEN_SILENT_MS = 1500;

const byModelId = new Map<string, TraceModel>();

/** The TraceModel of this page with this widget model id (a cell output's), if any. */
export function traceModelById(modelId: string): TraceModel | undefined {
  return byModelId.get(modelId);
}

export class TraceModel extends DOMWidgetModel {
  static readonly model_name = 'TraceModel';
  static readonly model_module = MODULE_NAME;
  static readonly model_module_version = MODULE_SEMVER;
  static readonly view_name = 'TraceView';
  static readonly view_module = MODULE_NAME;
  static readonly view_module_version = MODULE_SEMVER;

  /** Mirrors the Python traits of `TraceWidget`, one for one. */
  defaults(): ObjectHash {
    return {
      ...super.defaults(),
      _model_name: TraceModel.model_name,
      _model_module: TraceModel.model_module,
      _model_module_version: TraceModel.model_module_version,
      _view_name: TraceModel.view_name,
      _view_module: TraceModel.view_module,
      _view_module_version: TraceModel.view_module_version
    };
  }

  initialize(attributes: ObjectHash, options: IBackboneModelOptions): void {
    super.initialize(attributes, options);
    this._store = new RunStore();
    this._syncRequested = false;
    // While this model lives, Explore panels find its traces here and update live.
    const registration = liveTraces.register(this._store);
    const modelId = this.model_id;
    byModelId.set(modelId, this);
    this.on('msg:custom', this._onCustomMessage, this);
    this.once('destroy', () => {
      clearTimeout(this._syncTimer);
      if (byModelId.get(modelId) === this) {
        byModelId.delete(modelId);
      }
      registration.dispose();
      this._store.dispose();
    });
    // A model created with its widget receives every run live. One created later (a
    // page reload) asks the kernel for what it holds: when nothing arrives for a while,
    // or when what arrives shows that it missed earlier runs. Asking always would
    // make the kernel send a long cell's whole trace twice.
    this._syncTimer = setTimeout(() => {
      if (this._store.size === 0) {
        this._requestSync();
      }
    }, SYNC_WHEN_SILENT_MS);
  }

  /** The runs this widget shows. */
  get store(): RunStore {
    return this._store;
  }

  private _onCustomMessage(
    content: unknown,
    buffers?: ReadonlyArray<ArrayBuffer | ArrayBufferView>
  ): void {
    const result = parseMessage(protocolMessage(content, buffers));
    if (result.ok) {
      if (result.message.kind === 'runs') {
        const message = result.message;
        if (!message.replay && missesEarlierRuns(message, id => this._store.get(id) !== undefined)) {
          this._requestSync();
        }
        this._store.apply(message);
      }
      return;
    }
    if (result.otherProtocol !== undefined) {
      this._store.setNotice(protocolMismatchNotice(result.otherProtocol, PROTOCOL_VERSION));
    } else {
      console.warn(`nbtrace: ignored a malformed message from the kernel: ${result.error}`);
      this._store.setNotice(
        `nbtrace: ignored a malformed message from the kernel (${result.error})`
      );
    }
  }

  private _requestSync(): void {
    if (!this._syncRequested) {
      this._syncRequested = true;
      clearTimeout(this._syncTimer);
      this.send(syncMessage());
    }
  }

  // Assigned in initialize(), which Backbone calls from the constructor:
  // `declare` keeps a field initializer from overwriting them afterwards.
  declare private _store: RunStore;
  declare private _syncTimer: ReturnType<typeof setTimeout>;
  declare private _syncRequested: boolean;
}
