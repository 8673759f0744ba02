/**
 * What every BinPulse dashboard shares: the datasource, where each measurement lives, the
 * subdistrict variable, and panel builders with the defaults we want everywhere (datasource set,
 * legend shown, stats reduced to their last value). Each dashboard file composes these.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { MEASUREMENT_RP } from '../../services/timeseries/core/influx-retention.ts';
import { MEASUREMENTS } from '../../services/timeseries/core/influx-schema.ts';
import { OPS_MEASUREMENTS, OPS_SNAPSHOT_RP } from '../../services/timeseries/core/ops-snapshot.ts';
import { InfluxQLQueryBuilder } from './influxql-query.ts';

/** Provisioned by dashboards/provisioning/datasources/binpulse-influxdb.yaml. */
export const DATASOURCE = { type: 'influxdb', uid: 'binpulse-influxdb' } as const satisfies common.DataSourceRef;

/** The district's time zone: "today" and "this month" are local days, as in the API's reports. */
export const DISTRICT_TIMEZONE = 'Asia/Shanghai';
/** GROUP BY time(1d, …) offset that starts day buckets at local midnight (UTC+8), as the store's tonnage query. */
export const LOCAL_DAY = 'time(1d, -480m)';

const rpQualified = (rp: string, measurement: string) => `"${rp}"."${measurement}"`;
const device = (measurement: string) => rpQualified(MEASUREMENT_RP[measurement]!, measurement);
const snapshot = (measurement: string) => rpQualified(OPS_SNAPSHOT_RP, measurement);

/**
 * FROM targets, retention policy named (docs/influxdb.md): readings in "raw", events in
 * "forever". On 2.x the DBRP mappings binpulse/raw and binpulse/forever point both at the bucket.
 */
export const FROM = {
  boxReading: device(MEASUREMENTS.boxReading),
  boxHealth: device(MEASUREMENTS.boxHealth),
  cameraHeartbeat: device(MEASUREMENTS.cameraHeartbeat),
  deposit: device(MEASUREMENTS.deposit),
  collection: device(MEASUREMENTS.collection),
  fault: device(MEASUREMENTS.fault),
  detection: device(MEASUREMENTS.detection),
  weighTicket: device(MEASUREMENTS.weighTicket),
  sortingReport: device(MEASUREMENTS.sortingReport),
  fleetStatus: snapshot(OPS_MEASUREMENTS.fleetStatus),
  alertsOpen: snapshot(OPS_MEASUREMENTS.alertsOpen),
  ingestStats: snapshot(OPS_MEASUREMENTS.ingestStats),
  journalBacklog: snapshot(OPS_MEASUREMENTS.journalBacklog),
  deadLetters: snapshot(OPS_MEASUREMENTS.deadLetters),
} as const;

/** WHERE clause part for the subdistrict variable (Grafana expands a multi-value as a regex group). */
export const IN_SUBDISTRICT = `"subdistrict" =~ /^$subdistrict$/`;

/** An InfluxQL target on the BinPulse datasource. Whitespace runs collapse, so write it over lines. */
export const influxql = (query: string): InfluxQLQueryBuilder => new InfluxQLQueryBuilder(query).datasource(DATASOURCE);

/** Subdistricts that have boxes reporting; multi-value with All (the default). */
export function subdistrictVariable(): dashboard.QueryVariableBuilder {
  const query = `SHOW TAG VALUES FROM ${FROM.boxHealth} WITH KEY = "subdistrict"`;
  return new dashboard.QueryVariableBuilder('subdistrict')
    .label('Subdistrict')
    .description('Subdistricts (街道/镇) of Tianning; panels marked "district" ignore it')
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .multi(true)
    .includeAll(true)
    .current({ selected: true, text: 'All', value: '$__all' })
    .refresh(dashboard.VariableRefresh.OnDashboardLoad)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
}

export interface DashboardHead {
  title: string;
  uid: string;
  description: string;
  /** The default time range's start, e.g. now-24h (it ends now). */
  from: string;
  refresh: string;
}

/** Every BinPulse dashboard: district time zone, read-only, the subdistrict variable. */
export function newDashboard(head: DashboardHead): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(head.title)
    .uid(head.uid)
    .description(head.description)
    .tags(['binpulse'])
    .timezone(DISTRICT_TIMEZONE)
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .readonly()
    .annotation(builtInAnnotations())
    .time({ from: head.from, to: 'now' })
    .refresh(head.refresh)
    .withVariable(subdistrictVariable());
}

/** Grafana's own annotations and alerts, as every dashboard it saves carries them. */
const builtInAnnotations = (): dashboard.AnnotationQueryBuilder =>
  new dashboard.AnnotationQueryBuilder()
    .builtIn(1)
    .name('Annotations & Alerts')
    .type('dashboard')
    .datasource({ type: 'grafana', uid: '-- Grafana --' })
    .enable(true)
    .hide(true)
    .iconColor('rgba(0, 211, 255, 1)');

export const row = (title: string): dashboard.RowBuilder => new dashboard.RowBuilder(title);

export const thresholds = (steps: [number | null, string][]): dashboard.ThresholdsConfigBuilder =>
  new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })));

export const fixedColor = (color: string): dashboard.DynamicConfigValue => ({
  id: 'color',
  value: { mode: dashboard.FieldColorModeId.Fixed, fixedColor: color },
});

export const fixedColorScheme = (color: string): dashboard.FieldColorBuilder =>
  new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.Fixed).fixedColor(color);

export const paletteColors = (): dashboard.FieldColorBuilder =>
  new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.PaletteClassic);

/** A line chart of the target's series, legend at the bottom. */
export function timeSeriesPanel(title: string, description: string): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .colorScheme(paletteColors())
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(false);
}

/** Stacked bars, e.g. kg per day by category. */
export function stackedBarsPanel(title: string, description: string): timeseries.PanelBuilder {
  return timeSeriesPanel(title, description)
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(80)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
}

/** One big number per series: its last value, with a sparkline. */
export function statPanel(title: string, description: string): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .textMode(common.BigValueTextMode.Auto)
    .height(5)
    .span(6);
}

/** A table sorted by one column. */
export function tablePanel(title: string, description: string, sortBy: string, desc: boolean): table.PanelBuilder {
  return new table.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .showHeader(true)
    .filterable(true)
    .cellHeight(common.TableCellHeight.Sm)
    .sortBy([new common.TableSortByFieldStateBuilder().displayName(sortBy).desc(desc)]);
}

/** Grafana's organize transformation: hide, rename and order table columns. */
export function organize(options: {
  exclude?: string[];
  rename?: Record<string, string>;
  order?: string[];
}): dashboard.DataTransformerConfig {
  return {
    id: 'organize',
    options: {
      excludeByName: Object.fromEntries((options.exclude ?? []).map((name) => [name, true])),
      renameByName: options.rename ?? {},
      indexByName: Object.fromEntries((options.order ?? []).map((name, i) => [name, i])),
    },
  };
}

/** Table cells drawn as a bar gauge coloured by the field's thresholds. */
export const gaugeCell = (): dashboard.DynamicConfigValue => ({
  id: 'custom.cellOptions',
  value: { type: common.TableCellDisplayMode.Gauge, mode: common.BarGaugeDisplayMode.Gradient },
});

/** Table cells with their background coloured by the field's thresholds. */
export const colorBackgroundCell = (): dashboard.DynamicConfigValue => ({
  id: 'custom.cellOptions',
  value: { type: common.TableCellDisplayMode.ColorBackground },
});

/**
 * Hides series that are 0 throughout (snapshots write zeros for every alert type, so a type
 * that clears drops to 0 instead of keeping its last count; most types are 0 all along).
 */
export const hideAllZeroSeries = (): { matcher: dashboard.MatcherConfig; properties: dashboard.DynamicConfigValue[] } => ({
  matcher: { id: 'byValue', options: { reducer: 'max', op: 'lte', value: 0 } },
  properties: [{ id: 'custom.hideFrom', value: { legend: true, tooltip: true, viz: true } }],
});

/**
 * Stable panel ids (in order, rows included) and refIds (A, B, … per panel) in the built
 * dashboard, so the JSON does not change unless a panel does.
 */
export function numberPanels(built: dashboard.Dashboard): dashboard.Dashboard {
  (built.panels ?? []).forEach((panel, i) => {
    panel.id = i + 1;
    if ('targets' in panel) {
      (panel.targets ?? []).forEach((target, j) => {
        const t = target as { refId?: string };
        t.refId ??= String.fromCharCode(65 + j);
      });
    }
  });
  return built;
}
