/**
 * The handle between the run tree and the run detail: drag it, or focus it
 * and use the arrow keys (ARIA window splitter).
 */
import { type KeyboardEvent, type PointerEvent, type ReactElement, useRef } from 'react';

export interface SplitterProps {
  /** Width of the left pane in pixels. */
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
  label: string;
  controls?: string;
}

const STEP = 16;

export function Splitter(props: SplitterProps): ReactElement {
  const drag = useRef<{ x: number; value: number } | null>(null);
  const clamp = (v: number): number => Math.round(Math.min(props.max, Math.max(props.min, v)));

  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    drag.current = { x: event.clientX, value: props.value };
    event.currentTarget.setPointerCapture?.(event.pointerId);
    event.preventDefault();
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    if (drag.current !== null) {
      props.onChange(clamp(drag.current.value + event.clientX - drag.current.x));
    }
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>): void => {
    drag.current = null;
    event.currentTarget.releasePointerCapture?.(event.pointerId);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const next =
      event.key === 'ArrowLeft'
        ? props.value - STEP
        : event.key === 'ArrowRight'
          ? props.value + STEP
          : event.key === 'Home'
            ? props.min
            : event.key === 'End'
              ? props.max
              : null;
    if (next !== null) {
      props.onChange(clamp(next));
      event.preventDefault();
    }
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={props.label}
      aria-controls={props.controls}
      aria-valuenow={props.value}
      aria-valuemin={props.min}
      aria-valuemax={props.max}
      tabIndex={0}
      className="nbtrace-splitter"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
