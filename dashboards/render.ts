/**
 * The BinPulse dashboards and their committed JSON: build.ts writes what render() returns into
 * dashboards/json/, and tests/unit/dashboards checks the committed files still equal it.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { deviceHealthDashboard } from './device-health.ts';
import { operationsDashboard } from './operations.ts';
import { tonnageDashboard } from './tonnage.ts';

export interface DashboardSource {
  /** File name in dashboards/json/, without .json. */
  name: string;
  uid: string;
  build: () => Dashboard;
}

export const DASHBOARDS: readonly DashboardSource[] = [
  { name: 'operations', uid: 'binpulse-operations', build: operationsDashboard },
  { name: 'device-health', uid: 'binpulse-device-health', build: deviceHealthDashboard },
  { name: 'tonnage', uid: 'binpulse-tonnage', build: tonnageDashboard },
];

export const JSON_DIR = new URL('./json/', import.meta.url);

/** The file's text: two-space JSON and a final newline, so diffs stay readable. */
export const render = (source: DashboardSource): string => `${JSON.stringify(source.build(), null, 2)}\n`;
