/**
 * Tabs following the ARIA tabs pattern: a tablist with roving tabindex,
 * arrows / Home / End move and activate, each tab controls one tabpanel.
 */
import { type KeyboardEvent, type ReactElement, type ReactNode, useId, useRef } from 'react';

export interface TabSpec<T extends string> {
  id: T;
  label: string;
  /** A count or word after the label. */
  badge?: string;
  tone?: 'error';
}

export interface TabsProps<T extends string> {
  tabs: readonly TabSpec<T>[];
  selected: T;
  onSelect: (id: T) => void;
  /** The tablist's accessible name. */
  label: string;
  children: ReactNode;
}

export function Tabs<T extends string>(props: TabsProps<T>): ReactElement {
  const prefix = useId();
  const listRef = useRef<HTMLDivElement>(null);
  const { tabs, selected } = props;
  const index = Math.max(0, tabs.findIndex(t => t.id === selected));
  const tabId = (id: string): string => `${prefix}tab-${id}`;
  const panelId = `${prefix}panel`;

  const activate = (i: number): void => {
    const tab = tabs[(i + tabs.length) % tabs.length];
    props.onSelect(tab.id);
    listRef.current?.querySelector<HTMLElement>(`[data-tab="${tab.id}"]`)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    switch (event.key) {
      case 'ArrowRight':
        activate(index + 1);
        break;
      case 'ArrowLeft':
        activate(index - 1);
        break;
      case 'Home':
        activate(0);
        break;
      case 'End':
        activate(tabs.length - 1);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div className="nbtrace-tabs">
      <div
        ref={listRef}
        role="tablist"
        aria-label={props.label}
        className="nbtrace-tabs__list"
        onKeyDown={onKeyDown}
      >
        {tabs.map((tab, i) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={tabId(tab.id)}
            data-tab={tab.id}
            aria-selected={i === index}
            aria-controls={panelId}
            tabIndex={i === index ? 0 : -1}
            className={`nbtrace-tabs__tab${tab.tone ? ` nbtrace-tabs__tab--${tab.tone}` : ''}`}
            onClick={() => props.onSelect(tab.id)}
          >
            {tab.label}
            {tab.badge !== undefined && <span className="nbtrace-tabs__badge">{tab.badge}</span>}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={panelId}
        aria-labelledby={tabId(tabs[index]?.id ?? '')}
        className="nbtrace-tabs__panel"
        tabIndex={0}
      >
        {props.children}
      </div>
    </div>
  );
}
