/**
 * Copy text to the system clipboard: the async Clipboard API where the page
 * may use it, else JupyterLab's copy (a hidden selection + `copy` command).
 */
import { Clipboard } from '@jupyterlab/apputils';

export async function copyText(text: string): Promise<boolean> {
  try {
    if (typeof navigator !== 'undefined' && navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Not allowed here (no focus, no permission): fall back below.
  }
  try {
    Clipboard.copyToSystem(text);
    return true;
  } catch {
    return false;
  }
}

/** A value as the text to copy: strings as they are, anything else as indented JSON. */
export function copyableText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
