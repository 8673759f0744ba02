/**
 * The console's page as the API serves it: the built bundle (adapters/bundle.ts), the
 * configuration the browser code reads, and the Content-Security-Policy that goes with it.
 */

/** What adapters/bundle.ts builds at start-up and services/api/routes/console.ts serves. */
export interface ConsoleBundle {
  /** index.html with the hashed asset names filled in and CONFIG_PLACEHOLDER where the config goes. */
  indexHtml: string;
  /** Hashed file names (app-3F2K.js) → contents; immutable, so cached for a year. */
  assets: ReadonlyMap<string, { body: Uint8Array; contentType: string }>;
}

/** What the browser code needs from the server's configuration. */
export interface ConsoleConfig {
  /** Leaflet tile URL template ({s}, {z}, {x}, {y}); null: no tiles, the map draws its own areas. */
  tileUrl: string | null;
  /** DISTRICT_UTC_OFFSET_MIN: every time on the console is district time. */
  utcOffsetMinutes: number;
  /** PLAN_SHIFTS: the shifts the plan view offers to plan. */
  shifts: readonly { start: string; end: string }[];
}

/** What the console offers when the page carries no shifts (the configuration's default). */
export const DEFAULT_SHIFTS = [
  { start: '06:00', end: '14:00' },
  { start: '14:00', end: '22:00' },
] as const;

export const CONFIG_PLACEHOLDER = '<!--console-config-->';
export const CONFIG_ELEMENT_ID = 'console-config';

/** The page with its config as an inert JSON script element ("<" escaped: it cannot close the element). */
export function renderIndexHtml(template: string, config: ConsoleConfig): string {
  const json = JSON.stringify(config).replaceAll('<', '\\u003c');
  return template.replace(CONFIG_PLACEHOLDER, `<script id="${CONFIG_ELEMENT_ID}" type="application/json">${json}</script>`);
}

/**
 * Only the console's own scripts run and it talks only to its own origin; images also from the
 * tile server (its origin, with {s} subdomains as a wildcard). Leaflet positions its panes with
 * inline styles, hence style-src 'unsafe-inline' (styles cannot run code).
 */
export function contentSecurityPolicy(tileUrl: string | null): string {
  const tileOrigin = tileUrl === null ? undefined : tileSource(tileUrl);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data:${tileOrigin ? ` ${tileOrigin}` : ''}`,
    "connect-src 'self'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The CSP source of a tile server; a CSP wildcard may only be a leading label, else the scheme alone. */
function tileSource(tileUrl: string): string | undefined {
  const match = /^(https?:)\/\/([^/?#]+)/i.exec(tileUrl.replaceAll('{s}', '*'));
  if (!match) return undefined;
  const [, scheme, host] = match as unknown as [string, string, string];
  return /^(\*\.)?[^*]+$/.test(host) ? `${scheme}//${host}` : scheme;
}
