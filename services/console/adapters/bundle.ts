/**
 * Builds the console in memory at start-up with esbuild: web/main.ts with everything it imports
 * (Leaflet's JS and CSS, the pure view logic of ../core, the shared contracts) into one script
 * and one stylesheet, named by content hash. Nothing is written to disk, so `npm start` needs no
 * build step and a deployed image cannot serve a stale bundle.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ConsoleBundle } from '../core/page.ts';

const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));
/** Where esbuild pretends to write; only the base names are served. */
const OUT_DIR = '/console-bundle';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface BundleOptions {
  /** Minified for serving; tests that read the output may turn it off. */
  minify?: boolean;
}

export async function buildConsoleBundle(options: BundleOptions = {}): Promise<ConsoleBundle> {
  const result = await build({
    entryPoints: { app: `${WEB_DIR}main.ts` },
    bundle: true,
    write: false,
    outdir: OUT_DIR,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    format: 'esm',
    platform: 'browser',
    // Browsers a city bureau runs in 2026; Leaflet and our code need nothing newer.
    target: ['es2022', 'chrome100', 'firefox100', 'safari15', 'edge100'],
    minify: options.minify ?? true,
    sourcemap: 'linked',
    // Leaflet's CSS names its control images; inline them so the bundle is self-contained.
    loader: { '.png': 'dataurl', '.svg': 'dataurl' },
    legalComments: 'linked',
    logLevel: 'silent',
  });
  const assets = new Map<string, { body: Uint8Array; contentType: string }>();
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    const contentType = CONTENT_TYPES[extname(name)] ?? (name.endsWith('.LEGAL.txt') ? 'text/plain; charset=utf-8' : 'application/octet-stream');
    assets.set(name, { body: file.contents, contentType });
  }
  const named = (ext: string) => {
    const name = [...assets.keys()].find((n) => n.startsWith('app-') && n.endsWith(ext));
    if (name === undefined) throw new Error(`console bundle: esbuild produced no app${ext}`);
    return name;
  };
  const template = await readFile(`${WEB_DIR}index.html`, 'utf8');
  const indexHtml = template.replaceAll('%APP_CSS%', named('.css')).replaceAll('%APP_JS%', named('.js'));
  return { indexHtml, assets };
}
