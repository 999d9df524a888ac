/** Virtualized lists: the scroll position that brings row `index` into view (unchanged if it is visible). */
export function scrollTopToShow(index: number, rowHeight: number, scrollTop: number, viewportHeight: number): number {
  const rowTop = index * rowHeight;
  if (rowTop < scrollTop) {
    return rowTop;
  }
  if (rowTop + rowHeight > scrollTop + viewportHeight) {
    return rowTop + rowHeight - viewportHeight;
  }
  return scrollTop;
}
