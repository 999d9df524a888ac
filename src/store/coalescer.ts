/**
 * Runs a callback at most once per animation frame, however many times it is
 * requested; `flush()` runs a pending callback now (tests, disposal).
 */
export class FrameCoalescer {
  constructor(private readonly callback: () => void) {}

  request(): void {
    if (this._handle === null && !this._disposed) {
      this._handle = schedule(() => {
        this._handle = null;
        this.callback();
      });
    }
  }

  flush(): void {
    if (this._handle !== null) {
      this._handle.cancel();
      this._handle = null;
      this.callback();
    }
  }

  dispose(): void {
    this._disposed = true;
    this._handle?.cancel();
    this._handle = null;
  }

  private _handle: { cancel(): void } | null = null;
  private _disposed = false;
}

function schedule(fn: () => void): { cancel(): void } {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(fn);
    return { cancel: () => cancelAnimationFrame(id) };
  }
  const id = setTimeout(fn, 16);
  return { cancel: () => clearTimeout(id) };
}
