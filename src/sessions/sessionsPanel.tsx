/**
 * The Sessions sidebar as a Lumino widget: a SidePanel with two sections
 * ("Sessions" and "Traces"), each a React view of one SessionsModel. The panel
 * owns the lifecycle: the model polls only while the panel is visible (and the
 * browser tab too), and is disposed with the panel.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { nullTranslator, type ITranslator, type TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, SidePanel } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import { AccordionPanel, Widget } from '@lumino/widgets';
import type { ISessionInfo } from '../api/types';
import { formatCount } from '../format';
import { sessionsIcon } from './icons';
import type { SessionsModel } from './sessionsModel';
import { SessionsSection } from './SessionsSection';
import { TracesSection } from './TracesSection';

/** The sidebar's widget id (also its tab's `data-id`). */
export const SESSIONS_PANEL_ID = 'nbtrace-sessions';

export class SessionsPanel extends SidePanel {
  constructor(options: SessionsPanel.IOptions) {
    const translator = options.translator ?? nullTranslator;
    super({ translator });
    const trans = translator.load('nbtrace');
    this._strings = trans;
    this.model = options.model;
    this.id = SESSIONS_PANEL_ID;
    this.addClass('nbtrace-sessions');
    this.title.icon = sessionsIcon;
    this.title.caption = trans.__('nbtrace sessions');
    this.node.setAttribute('aria-label', trans.__('nbtrace sessions'));

    const heading = document.createElement('h2');
    heading.className = 'nbtrace-sessions__title';
    heading.textContent = trans.__('nbtrace sessions');
    this.header.addWidget(new Widget({ node: heading }));

    const confirmDelete = (session: ISessionInfo): Promise<boolean> => this._confirmDelete(session);
    const sessions = ReactWidget.create(
      <SessionsSection model={this.model} trans={trans} confirmDelete={confirmDelete} />
    );
    sessions.addClass('nbtrace-sessions__pane');
    sessions.title.label = trans.__('Sessions');
    const traces = ReactWidget.create(
      <TracesSection model={this.model} trans={trans} onOpen={options.onOpenTrace} />
    );
    traces.addClass('nbtrace-sessions__pane');
    traces.title.label = trans.__('Traces');
    this.addWidget(sessions);
    this.addWidget(traces);
    if (this.content instanceof AccordionPanel) {
      this.content.setRelativeSizes([2, 3]);
    }
    document.addEventListener('visibilitychange', this._syncActive);
  }

  readonly model: SessionsModel;

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    document.removeEventListener('visibilitychange', this._syncActive);
    this.model.dispose();
    super.dispose();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._syncActive();
  }

  protected onBeforeDetach(msg: Message): void {
    this.model.setActive(false);
    super.onBeforeDetach(msg);
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._syncActive();
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._syncActive();
  }

  /** Activating the panel puts the focus on the selected session (or the form). */
  protected onActivateRequest(msg: Message): void {
    super.onActivateRequest(msg);
    const target =
      this.node.querySelector<HTMLElement>('.nbtrace-session__select[aria-current="true"]') ??
      this.node.querySelector<HTMLElement>('.nbtrace-new-session input');
    target?.focus();
  }

  private _syncActive = (): void => {
    this.model.setActive(
      this.isAttached && this.isVisible && document.visibilityState !== 'hidden'
    );
  };

  private async _confirmDelete(session: ISessionInfo): Promise<boolean> {
    const trans = this._strings;
    const body =
      session.run_count > 0
        ? trans._n(
            'Its %2 run will be deleted from the store, for every notebook. This cannot be undone.',
            'Its %2 runs will be deleted from the store, for every notebook. This cannot be undone.',
            session.run_count,
            formatCount(session.run_count)
          )
        : trans.__('The session has no runs.');
    const result = await showDialog({
      title: trans.__('Delete session “%1”?', session.name),
      body,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.warnButton({ label: trans.__('Delete') })
      ]
    });
    return result.button.accept;
  }

  private readonly _strings: TranslationBundle;
}

export namespace SessionsPanel {
  export interface IOptions {
    model: SessionsModel;
    translator?: ITranslator | null;
    /** Open a trace (in Explore). */
    onOpenTrace: (traceId: string) => void;
  }
}
