/**
 * Operations (uid binpulse-operations), for the recycling operators: which boxes to empty, what
 * was collected today, which alerts are open, where illegal dumping happens.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  FROM,
  IN_SUBDISTRICT,
  fixedColor,
  fixedColorScheme,
  gaugeCell,
  hideAllZeroSeries,
  influxql,
  newDashboard,
  numberPanels,
  organize,
  row,
  stackedBarsPanel,
  statPanel,
  tablePanel,
  thresholds,
  timeSeriesPanel,
} from './lib/panels.ts';

const DUMPING_CASES = `"detectionType" = 'illegal_dumping' AND "phase" = 'start'`;
/** Fill thresholds as the alerts use them: bin_full at 0.9, cleared below 0.7. */
const FILL_COLORS = thresholds([[null, 'green'], [0.7, 'orange'], [0.9, 'red']]);
const SEVERITY_COLORS = { critical: 'red', warning: 'orange', info: 'blue' } as const;

export function operationsDashboard(): dashboard.Dashboard {
  const builder = newDashboard({
    title: 'BinPulse · Operations',
    uid: 'binpulse-operations',
    description: 'For recycling operators: boxes to empty, collections today, open alerts, illegal dumping by camera point.',
    from: 'now-24h',
    refresh: '1m',
  })

    .withRow(row('Now'))
    .withPanel(
      statPanel('Boxes ≥ 90 % full', 'Boxes with a compartment at or above 90 % fillingLevel (operations snapshot), now and over the range.')
        .withTarget(
          influxql(`
            SELECT sum("boxes") FROM (
              SELECT last("boxesAbove90") AS "boxes" FROM ${FROM.fleetStatus}
              WHERE $timeFilter AND "kind" = 'box' AND ${IN_SUBDISTRICT}
              GROUP BY time($__interval), "subdistrict")
            WHERE $timeFilter GROUP BY time($__interval) fill(none)`).alias('boxes ≥ 90 %'),
        )
        .unit('none')
        .thresholds(thresholds([[null, 'green'], [1, 'orange'], [30, 'red']])),
    )
    .withPanel(
      statPanel('Collected today', 'Kilograms emptied from boxes and collection stops since local midnight.')
        .withTarget(influxql(`SELECT sum("weightKg") AS "kg" FROM ${FROM.collection} WHERE $timeFilter AND ${IN_SUBDISTRICT}`).alias('kg collected'))
        .withTarget(
          influxql(`SELECT count(distinct("eventId")) AS "stops" FROM ${FROM.collection} WHERE $timeFilter AND ${IN_SUBDISTRICT}`).alias('collection stops'),
        )
        .timeFrom('now/d')
        .graphMode(common.BigValueGraphMode.None)
        .textMode(common.BigValueTextMode.ValueAndName)
        .unit('masskg')
        .decimals(0)
        .overrideByQuery('B', [{ id: 'unit', value: 'none' }])
        .colorScheme(fixedColorScheme('blue')),
    )
    .withPanel(
      statPanel('Open alerts', 'Active or acknowledged alerts by severity (operations snapshot; district-wide).')
        .withTarget(
          influxql(`
            SELECT sum("open") FROM (
              SELECT last("count") AS "open" FROM ${FROM.alertsOpen}
              WHERE $timeFilter GROUP BY time($__interval), "type", "severity")
            WHERE $timeFilter GROUP BY time($__interval), "severity" fill(none)`).alias('$tag_severity'),
        )
        .unit('none')
        .overrideByName('critical', [fixedColor(SEVERITY_COLORS.critical)])
        .overrideByName('warning', [fixedColor(SEVERITY_COLORS.warning)])
        .overrideByName('info', [fixedColor(SEVERITY_COLORS.info)]),
    )
    .withPanel(
      statPanel('Illegal dumping today', 'Illegal-dumping cases the street cameras opened since local midnight.')
        .withTarget(influxql(`SELECT count("confidence") AS "cases" FROM ${FROM.detection} WHERE $timeFilter AND ${DUMPING_CASES} AND ${IN_SUBDISTRICT}`).alias('cases'))
        .timeFrom('now/d')
        .graphMode(common.BigValueGraphMode.None)
        .unit('none')
        .thresholds(thresholds([[null, 'green'], [1, 'red']])),
    )

    .withRow(row('Boxes to empty'))
    .withPanel(
      tablePanel('Boxes by filling level', 'Latest fillingLevel of every compartment in the range, fullest first. Orange from 70 %, red from 90 % (bin_full).', 'fillingLevel', true)
        .withTarget(
          influxql(`
            SELECT last("fillingLevel") AS "fillingLevel" FROM ${FROM.boxReading}
            WHERE $timeFilter AND ${IN_SUBDISTRICT}
            GROUP BY "deviceId", "community", "subdistrict", "category"`).table(),
        )
        .withTransformation(
          organize({
            rename: { deviceId: 'box', Time: 'reading at' },
            order: ['deviceId', 'community', 'subdistrict', 'category', 'fillingLevel', 'Time'],
          }),
        )
        .overrideByName('fillingLevel', [
          { id: 'unit', value: 'percentunit' },
          { id: 'min', value: 0 },
          { id: 'max', value: 1 },
          gaugeCell(),
        ])
        .thresholds(FILL_COLORS)
        .height(12)
        .span(14),
    )
    .withPanel(
      timeSeriesPanel('Boxes ≥ 90 % by subdistrict', 'Boxes to empty per subdistrict over the range (operations snapshot), stacked.')
        .withTarget(
          influxql(`
            SELECT last("boxesAbove90") FROM ${FROM.fleetStatus}
            WHERE $timeFilter AND "kind" = 'box' AND ${IN_SUBDISTRICT}
            GROUP BY time($__interval), "subdistrict" fill(none)`).alias('$tag_subdistrict'),
        )
        .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
        .fillOpacity(30)
        .unit('none')
        .decimals(0)
        .height(12)
        .span(10),
    )

    .withRow(row('Collections'))
    .withPanel(
      stackedBarsPanel('Collected kg by category', 'Kilograms emptied per interval (at least an hour) by waste category.')
        .withTarget(
          influxql(`
            SELECT sum("weightKg") FROM ${FROM.collection}
            WHERE $timeFilter AND ${IN_SUBDISTRICT}
            GROUP BY time($__interval), "category" fill(none)`).alias('$tag_category'),
        )
        .interval('1h')
        .unit('masskg')
        .span(14),
    )
    .withPanel(
      tablePanel('Collected by subdistrict', 'Kilograms emptied and collection stops in the range, per subdistrict.', 'kg', true)
        .withTarget(
          influxql(`
            SELECT sum("weightKg") AS "kg", count(distinct("eventId")) AS "stops" FROM ${FROM.collection}
            WHERE $timeFilter AND ${IN_SUBDISTRICT} GROUP BY "subdistrict"`).table(),
        )
        .withTransformation(organize({ exclude: ['Time'], order: ['subdistrict', 'kg', 'stops'] }))
        .overrideByName('kg', [{ id: 'unit', value: 'masskg' }, { id: 'decimals', value: 0 }])
        .span(10),
    )

    .withRow(row('Alerts'))
    .withPanel(
      tablePanel('Open alerts by type and severity', 'Active or acknowledged alerts now (latest operations snapshot in the range; district-wide).', 'open', true)
        .withTarget(
          influxql(`
            SELECT "open" FROM (
              SELECT last("count") AS "open" FROM ${FROM.alertsOpen}
              WHERE $timeFilter GROUP BY "type", "severity")
            WHERE "open" > 0 GROUP BY "type", "severity"`).table(),
        )
        .withTransformation(organize({ exclude: ['Time'], order: ['type', 'severity', 'open'] }))
        .overrideByName('severity', [
          { id: 'mappings', value: severityMappings() },
          { id: 'custom.cellOptions', value: { type: common.TableCellDisplayMode.ColorText } },
        ])
        .span(10),
    )
    .withPanel(
      timeSeriesPanel('Open alerts by type', 'Open alerts over the range by type (operations snapshot); types with none open in the whole range are hidden.')
        .withTarget(
          influxql(`
            SELECT sum("open") FROM (
              SELECT last("count") AS "open" FROM ${FROM.alertsOpen}
              WHERE $timeFilter GROUP BY time($__interval), "type", "severity")
            WHERE $timeFilter GROUP BY time($__interval), "type" fill(none)`).alias('$tag_type'),
        )
        .withOverride(hideAllZeroSeries())
        .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
        .fillOpacity(30)
        .unit('none')
        .decimals(0)
        .span(14),
    )

    .withRow(row('Illegal dumping'))
    .withPanel(
      tablePanel('Illegal-dumping cases by camera point', 'Cases opened in the range per camera point (a case: detection start with its updates and end).', 'cases', true)
        .withTarget(
          influxql(`
            SELECT count("confidence") AS "cases", max("confidence") AS "max confidence" FROM ${FROM.detection}
            WHERE $timeFilter AND ${DUMPING_CASES} AND ${IN_SUBDISTRICT}
            GROUP BY "deviceId", "community", "subdistrict"`).table(),
        )
        .withTransformation(organize({ exclude: ['Time'], rename: { deviceId: 'camera' }, order: ['deviceId', 'community', 'subdistrict', 'cases', 'max confidence'] }))
        .overrideByName('max confidence', [{ id: 'unit', value: 'percentunit' }])
        .span(10),
    )
    .withPanel(
      stackedBarsPanel('Illegal-dumping cases over time', 'Cases opened per interval (at least an hour) by camera point: dumping happens mostly at night.')
        .withTarget(
          influxql(`
            SELECT count("confidence") FROM ${FROM.detection}
            WHERE $timeFilter AND ${DUMPING_CASES} AND ${IN_SUBDISTRICT}
            GROUP BY time($__interval), "deviceId" fill(none)`).alias('$tag_deviceId'),
        )
        .interval('1h')
        .unit('none')
        .decimals(0)
        .span(14),
    );
  return numberPanels(builder.build());
}

/** Each severity in its colour, wherever it is shown as text. */
function severityMappings(): dashboard.ValueMapping[] {
  const options = Object.fromEntries(Object.entries(SEVERITY_COLORS).map(([severity, color], index) => [severity, { color, index }]));
  return [{ type: dashboard.MappingType.ValueToText, options }];
}
