/**
 * Arrays of run ids kept sorted by a key (the runs' `dotted_order`), updated
 * by binary search: O(log n) to find a place, and no re-sort per insert.
 */

export type KeyOf = (id: string) => string;

/** The first index whose key is not below `key`. */
function lowerBound(ids: readonly string[], key: string, keyOf: KeyOf): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(ids[mid]) < key) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** Insert `id` at its place (after equal keys). Runs usually arrive in order: O(1) then. */
export function insertSorted(ids: string[], id: string, keyOf: KeyOf): void {
  const key = keyOf(id);
  const n = ids.length;
  if (n === 0 || keyOf(ids[n - 1]) <= key) {
    ids.push(id);
    return;
  }
  let i = lowerBound(ids, key, keyOf);
  while (i < n && keyOf(ids[i]) === key) {
    i++;
  }
  ids.splice(i, 0, id);
}

/** Remove `id`, whose key is `key`. Returns whether it was there. */
export function removeSorted(
  ids: string[],
  id: string,
  key: string,
  keyOf: KeyOf
): boolean {
  for (let i = lowerBound(ids, key, keyOf); i < ids.length; i++) {
    if (ids[i] === id) {
      ids.splice(i, 1);
      return true;
    }
    if (keyOf(ids[i]) !== key) {
      break;
    }
  }
  return false;
}
