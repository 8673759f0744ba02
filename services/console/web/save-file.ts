/** Hands a downloaded file (a CSV export) to the browser to save, under its name. */
import { h } from './dom.ts';

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has the file once the click is handled; the URL is freed a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A view's "export CSV": the button is disabled while the file downloads, the note says so
 * (`busy`) and then clears, or says why it failed (`failed(reason)`).
 */
export async function exportFile(options: {
  button: HTMLButtonElement;
  note: HTMLElement;
  busy?: string;
  failed: (error: unknown) => string;
  download: () => Promise<{ blob: Blob; filename: string | null | undefined }>;
  fallbackName: string;
}): Promise<void> {
  const { button, note } = options;
  button.disabled = true;
  if (options.busy !== undefined) note.textContent = options.busy;
  try {
    const { blob, filename } = await options.download();
    saveBlob(blob, filename ?? options.fallbackName);
    note.textContent = '';
  } catch (error) {
    note.textContent = options.failed(error);
  } finally {
    button.disabled = false;
  }
}
