/**
 * The console's HTTP client: every call carries the tab's token; a 401 anywhere ends the session
 * (the token was revoked or never valid) and the console returns to sign-in.
 */
import type { I18n } from '../core/i18n/translator.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class Api {
  constructor(
    readonly token: string,
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  get<T>(path: string): Promise<T> {
    return this.#request<T>(path, { method: 'GET' });
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.#request<T>(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  }

  /** A file the API sends as an attachment (the CSV export), with the name it suggests. */
  async download(path: string): Promise<{ blob: Blob; filename: string | null }> {
    const response = await this.#fetch(path, { method: 'GET' });
    const disposition = response.headers.get('content-disposition') ?? '';
    return { blob: await response.blob(), filename: /filename="([^"]+)"/.exec(disposition)?.[1] ?? null };
  }

  async #request<T>(path: string, init: RequestInit): Promise<T> {
    const response = await this.#fetch(path, init);
    return (await response.json()) as T;
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(path, { ...init, headers: { ...init.headers, authorization: `Bearer ${this.token}` } });
    } catch {
      throw new ApiError(0, 'NETWORK', 'the server cannot be reached');
    }
    if (response.ok) return response;
    const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
    if (response.status === 401) this.onUnauthorized();
    throw new ApiError(response.status, body.code ?? `HTTP_${response.status}`, body.message ?? response.statusText);
  }
}

/**
 * A message for people, in their language: what failed and what the console does about it. The
 * server's own message (English, for the log and the API) is kept as the detail.
 */
export function describeError(error: unknown, i18n: I18n): string {
  if (error instanceof ApiError) {
    if (error.code === 'NETWORK') return i18n.t('error.network');
    if (error.status === 403) return i18n.t('error.forbidden', { detail: error.message });
    if (error.status === 503) return i18n.t('error.unavailable', { detail: error.message });
    return i18n.t('error.other', { detail: error.message });
  }
  return i18n.t('error.other', { detail: error instanceof Error ? error.message : String(error) });
}
