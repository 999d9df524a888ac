/**
 * Which runs are open in the inline trees of this page, by run id. A cell's
 * output is redrawn when its runs settle into their saved snapshot (and when a
 * notebook is re-rendered); a tree that mounts again opens what was open.
 * Run ids are unique, so views of the same runs share it. Bounded.
 */
const MAX_REMEMBERED = 50_000;

export class OpenRuns {
  constructor(private readonly _max = MAX_REMEMBERED) {}

  /** The remembered open runs among those `has` knows. */
  openAmong(has: (id: string) => boolean): Set<string> {
    const open = new Set<string>();
    for (const id of this._open) {
      if (has(id)) {
        open.add(id);
      }
    }
    return open;
  }

  /** Record a tree's change from `before` to `after`. */
  update(before: ReadonlySet<string>, after: ReadonlySet<string>): void {
    for (const id of before) {
      if (!after.has(id)) {
        this._open.delete(id);
      }
    }
    for (const id of after) {
      if (!before.has(id)) {
        this._open.delete(id);
        this._open.add(id);
      }
    }
    while (this._open.size > this._max) {
      const oldest = this._open.values().next().value;
      if (oldest === undefined) {
        break;
      }
      this._open.delete(oldest);
    }
  }

  clear(): void {
    this._open.clear();
  }

  get size(): number {
    return this._open.size;
  }

  private readonly _open = new Set<string>();
}

/** The memory of this page's inline trees. */
export const openRuns = new OpenRuns();
