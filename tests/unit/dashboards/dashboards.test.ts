/**
 * The committed dashboards (dashboards/json/) are what the generator produces now, keep their
 * uids, and query the BinPulse InfluxDB datasource only, naming each measurement's retention
 * policy. Their queries run against a real influxd in tests/integration/dashboards.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATASOURCE } from '../../../dashboards/lib/panels.ts';
import { DASHBOARDS, JSON_DIR, render } from '../../../dashboards/render.ts';

interface PanelJson {
  id: number;
  type: string;
  title: string;
  datasource?: unknown;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { refId?: string; datasource?: unknown; query?: string; rawQuery?: boolean }[];
}

const committed = (name: string) => readFileSync(new URL(`${name}.json`, JSON_DIR), 'utf8');
const parsed = DASHBOARDS.map((source) => ({ source, json: JSON.parse(committed(source.name)) as Record<string, unknown> & { panels: PanelJson[] } }));
const queryPanels = (panels: PanelJson[]) => panels.filter((p) => p.type !== 'row');

describe('committed dashboards', () => {
  it.each(DASHBOARDS.map((source) => [source.name, source] as const))('%s.json is what the generator produces', (name, source) => {
    const stale = `dashboards/json/${name}.json is stale: run \`npm run dashboards:build\` and commit the result`;
    expect(committed(name) === render(source), stale).toBe(true);
  });

  it('has no JSON the generator does not write', () => {
    const files = readdirSync(JSON_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(DASHBOARDS.map((d) => `${d.name}.json`).sort());
  });

  it('keeps the uids links and bookmarks point at', () => {
    expect(parsed.map(({ json }) => json.uid)).toEqual(['binpulse-operations', 'binpulse-device-health', 'binpulse-tonnage']);
    for (const { source, json } of parsed) expect(json.uid).toBe(source.uid);
  });

  it.each(parsed.map(({ source, json }) => [source.uid, json] as const))('%s: every panel and target uses the binpulse-influxdb datasource', (_uid, json) => {
    const panels = queryPanels(json.panels);
    expect(panels.length).toBeGreaterThan(5);
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual(DATASOURCE);
      expect(panel.targets?.length, `${panel.title} has no query`).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.datasource, `${panel.title} ${target.refId}`).toEqual({ type: 'influxdb', uid: 'binpulse-influxdb' });
        expect(target.rawQuery, panel.title).toBe(true);
      }
    }
    const variables = (json.templating as { list: { datasource?: unknown }[] }).list;
    for (const variable of variables) expect(variable.datasource).toEqual(DATASOURCE);
  });

  it.each(parsed.map(({ source, json }) => [source.uid, json] as const))('%s: queries name the retention policy and use the time range', (_uid, json) => {
    for (const panel of queryPanels(json.panels)) {
      for (const target of panel.targets ?? []) {
        const query = target.query ?? '';
        const where = `${panel.title} ${target.refId}: ${query}`;
        // Every FROM is a subquery or "raw"/"forever"."measurement" (docs/influxdb.md: reads name the policy).
        for (const match of query.matchAll(/\bFROM\s+(\S+)/g)) expect(match[1], where).toMatch(/^\(|^"(raw|forever)"\."[a-z_]+"$/);
        expect(query, where).toContain('$timeFilter');
        expect(query, where).not.toMatch(/\s{2}|\n/);
      }
    }
  });

  it.each(parsed.map(({ source, json }) => [source.uid, json] as const))('%s: stable ids and refIds, panels within the grid', (_uid, json) => {
    expect(json.panels.map((p) => p.id)).toEqual(json.panels.map((_, i) => i + 1));
    for (const panel of json.panels) {
      expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
      const refIds = (panel.targets ?? []).map((t) => t.refId);
      expect(refIds, panel.title).toEqual(refIds.map((_, i) => String.fromCharCode(65 + i)));
    }
  });

  it('shows the district in its own time zone', () => {
    for (const { json } of parsed) expect(json.timezone).toBe('Asia/Shanghai');
  });

  it('draws the 60–80 t/day band on the district total', () => {
    const tonnage = parsed.find(({ source }) => source.uid === 'binpulse-tonnage')!.json;
    const band = tonnage.panels.find((p) => p.title.includes('60–80 t/day')) as unknown as {
      fieldConfig: { defaults: { thresholds: { steps: { value: number | null }[] }; custom: { thresholdsStyle: { mode: string } } } };
    };
    expect(band.fieldConfig.defaults.thresholds.steps.map((s) => s.value)).toEqual([null, 60, 80]);
    expect(band.fieldConfig.defaults.custom.thresholdsStyle.mode).toBe('line+area');
  });
});

describe('provisioning', () => {
  const read = (path: string) => readFileSync(new URL(`../../../dashboards/provisioning/${path}`, import.meta.url), 'utf8');

  it('provisions the datasource the panels name, from the container environment', () => {
    const yaml = read('datasources/binpulse-influxdb.yaml');
    expect(yaml).toMatch(/^\s+uid: binpulse-influxdb$/m);
    expect(yaml).toMatch(/^\s+type: influxdb$/m);
    expect(yaml).toMatch(/^\s+url: \$INFLUX_URL$/m);
    expect(yaml).toMatch(/^\s+dbName: \$INFLUX_DB$/m);
    expect(yaml).toMatch(/^\s+version: InfluxQL$/m);
    expect(yaml).toMatch(/^\s+httpHeaderName1: Authorization$/m);
    expect(yaml).toMatch(/^\s+httpHeaderValue1: Token \$INFLUX_TOKEN$/m);
  });

  it('loads the dashboards from where the compose file mounts dashboards/json', () => {
    const yaml = read('dashboards/binpulse.yaml');
    expect(yaml).toMatch(/^\s+type: file$/m);
    expect(yaml).toMatch(/^\s+path: \/var\/lib\/grafana\/dashboards\/binpulse$/m);
  });
});
