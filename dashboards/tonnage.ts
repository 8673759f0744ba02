/**
 * Recycling tonnage (uid binpulse-tonnage), for the managers: deposited kilograms per local day
 * by category and subdistrict, the district total against its 60–80 t/day band, month to date,
 * and the communities that recycle most. The same deposits GET /api/v1/reports/tonnage sums.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as piechart from '@grafana/grafana-foundation-sdk/piechart';
import {
  DATASOURCE,
  FROM,
  IN_SUBDISTRICT,
  LOCAL_DAY,
  fixedColorScheme,
  gaugeCell,
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
import { WASTE_CATEGORIES } from '../shared/contracts/index.ts';
import { recoveredField } from '../services/timeseries/core/influx-schema.ts';

/** The district recovers 60–80 t a day (city-management report, 2024 H1). */
export const DAILY_TARGET_T = { low: 60, high: 80 } as const;
const BAND = thresholds([
  [null, 'red'],
  [DAILY_TARGET_T.low, 'green'],
  [DAILY_TARGET_T.high, 'orange'],
]);

/** Site ids as the demo and the fleet CLI's examples name them: transfer stations ts-…, the sorting centre sc-…. */
const TRANSFER_STATION = `"siteId" =~ /^ts-/`;
const SORTING_CENTRE = `"siteId" =~ /^sc-/`;
/**
 * A sorting report has one recovered field per category (influx-schema.ts recoveredField). Summed
 * through one subquery per category: sum(a) + sum(b) is null when a category is never reported.
 */
const RECOVERED = WASTE_CATEGORIES.map((c) => `(SELECT "${recoveredField(c)}" AS "kg" FROM ${FROM.sortingReport} WHERE $timeFilter)`).join(', ');

const tonnes = (where: string) => `SELECT sum("weightKg") / 1000 AS "t" FROM ${FROM.deposit} WHERE $timeFilter${where}`;

export function tonnageDashboard(): dashboard.Dashboard {
  const builder = newDashboard({
    title: 'BinPulse · Recycling tonnage',
    uid: 'binpulse-tonnage',
    description: "For managers: deposited tonnage per local day by category and subdistrict, against the district's 60–80 t/day.",
    from: 'now-30d',
    refresh: '5m',
  })

    .withRow(row('Against the target'))
    .withPanel(
      statPanel('Yesterday (district)', 'Tonnes deposited yesterday (local day) in the whole district: red below 60 t, green within 60–80 t, orange above.')
        .withTarget(influxql(tonnes('')).alias('yesterday'))
        .timeFrom('now/d')
        .timeShift('1d/d')
        .graphMode(common.BigValueGraphMode.None)
        .colorMode(common.BigValueColorMode.Background)
        .unit('masst')
        .decimals(1)
        .thresholds(BAND),
    )
    .withPanel(
      statPanel('Today so far', 'Tonnes deposited since local midnight.')
        .withTarget(influxql(tonnes(` AND ${IN_SUBDISTRICT}`)).alias('today'))
        .timeFrom('now/d')
        .graphMode(common.BigValueGraphMode.None)
        .unit('masst')
        .decimals(1)
        .colorScheme(fixedColorScheme('blue')),
    )
    .withPanel(
      statPanel('Month to date', 'Tonnes and deposits since the first of the month (local time).')
        .withTarget(influxql(tonnes(` AND ${IN_SUBDISTRICT}`)).alias('tonnes'))
        .withTarget(influxql(`SELECT count("weightKg") AS "deposits" FROM ${FROM.deposit} WHERE $timeFilter AND ${IN_SUBDISTRICT}`).alias('deposits'))
        .timeFrom('now/M')
        .graphMode(common.BigValueGraphMode.None)
        .textMode(common.BigValueTextMode.ValueAndName)
        .unit('masst')
        .decimals(1)
        .overrideByQuery('B', [
          { id: 'unit', value: 'none' },
          { id: 'decimals', value: 0 },
        ])
        .colorScheme(fixedColorScheme('blue')),
    )
    .withPanel(
      statPanel('Deposits per day', 'Mean deposits per local day over the range (the first and the current day may be partial).')
        .withTarget(
          influxql(`
            SELECT mean("deposits") FROM (
              SELECT count("weightKg") AS "deposits" FROM ${FROM.deposit}
              WHERE $timeFilter AND ${IN_SUBDISTRICT} GROUP BY ${LOCAL_DAY} fill(none))`).alias('deposits/day'),
        )
        .graphMode(common.BigValueGraphMode.None)
        .unit('none')
        .decimals(0)
        .colorScheme(fixedColorScheme('blue')),
    )
    .withPanel(
      stackedBarsPanel(`District total per day vs ${DAILY_TARGET_T.low}–${DAILY_TARGET_T.high} t/day`, 'Tonnes deposited per local day in the whole district (the subdistrict filter does not apply); the green band is the target. The current day is still filling up.')
        .withTarget(influxql(`${tonnes('')} GROUP BY ${LOCAL_DAY} fill(none)`).alias('district total'))
        .unit('masst')
        .decimals(1)
        .min(0)
        .axisSoftMax(DAILY_TARGET_T.high + 10)
        .colorScheme(fixedColorScheme('blue'))
        .thresholds(thresholds([[null, 'transparent'], [DAILY_TARGET_T.low, 'green'], [DAILY_TARGET_T.high, 'orange']]))
        .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.LineAndArea))
        .height(9)
        .span(24),
    )

    .withRow(row('By category and subdistrict'))
    .withPanel(
      stackedBarsPanel('Daily kg by category', 'Kilograms deposited per local day by waste category.')
        .withTarget(
          influxql(`
            SELECT sum("weightKg") FROM ${FROM.deposit}
            WHERE $timeFilter AND ${IN_SUBDISTRICT}
            GROUP BY ${LOCAL_DAY}, "category" fill(none)`).alias('$tag_category'),
        )
        .unit('masskg')
        .decimals(0),
    )
    .withPanel(
      stackedBarsPanel('Daily kg by subdistrict', 'Kilograms deposited per local day by subdistrict.')
        .withTarget(
          influxql(`
            SELECT sum("weightKg") FROM ${FROM.deposit}
            WHERE $timeFilter AND ${IN_SUBDISTRICT}
            GROUP BY ${LOCAL_DAY}, "subdistrict" fill(none)`).alias('$tag_subdistrict'),
        )
        .unit('masskg')
        .decimals(0),
    )
    .withPanel(
      new piechart.PanelBuilder()
        .title('Share by category')
        .description('Kilograms deposited in the range by waste category.')
        .datasource(DATASOURCE)
        .withTarget(
          influxql(`SELECT sum("weightKg") FROM ${FROM.deposit} WHERE $timeFilter AND ${IN_SUBDISTRICT} GROUP BY "category"`).alias('$tag_category'),
        )
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
        .pieType(piechart.PieChartType.Donut)
        .displayLabels([piechart.PieChartLabels.Percent])
        .legend(
          new piechart.PieChartLegendOptionsBuilder()
            .showLegend(true)
            .displayMode(common.LegendDisplayMode.Table)
            .placement(common.LegendPlacement.Right)
            .values([piechart.PieChartLegendValues.Value]),
        )
        .unit('masskg')
        .decimals(0)
        .height(10)
        .span(10),
    )
    .withPanel(
      tablePanel('Top communities', 'The 15 communities (小区) with the most kilograms deposited in the range.', 'kg', true)
        .withTarget(
          influxql(`
            SELECT top("kg", "community", "subdistrict", 15) AS "kg" FROM (
              SELECT sum("weightKg") AS "kg" FROM ${FROM.deposit}
              WHERE $timeFilter AND ${IN_SUBDISTRICT} GROUP BY "community", "subdistrict")`).table(),
        )
        .withTransformation(organize({ exclude: ['Time'], order: ['community', 'subdistrict', 'kg'] }))
        .overrideByName('kg', [{ id: 'unit', value: 'masskg' }, { id: 'decimals', value: 0 }, gaugeCell()])
        .colorScheme(fixedColorScheme('green'))
        .height(10)
        .span(14),
    )

    .withRow(row('Mass balance'))
    .withPanel(
      timeSeriesPanel(
        'Flow by stage per day (district)',
        [
          'Tonnes per local day at each stage of the chain (issue 14, docs/ledger.md): deposited in the boxes, collected from them,',
          'weighed in at the transfer stations, shipped out of them, received and recovered at the sorting centre, and its residue.',
          'A transfer station and the sorting centre are told apart by their site ids (ts-…, sc-…); the API\'s mass balance',
          '(GET /api/v1/reports/mass-balance) uses the registry and matches trips and shipments.',
        ].join(' '),
      )
        .withTarget(influxql(`SELECT sum("weightKg") / 1000 AS "deposited" FROM ${FROM.deposit} WHERE $timeFilter GROUP BY ${LOCAL_DAY} fill(none)`))
        .withTarget(influxql(`SELECT sum("weightKg") / 1000 AS "collected" FROM ${FROM.collection} WHERE $timeFilter GROUP BY ${LOCAL_DAY} fill(none)`))
        .withTarget(influxql(`SELECT sum("netKg") / 1000 AS "weighed in" FROM ${FROM.weighTicket} WHERE $timeFilter AND ${TRANSFER_STATION} AND "direction" = 'in' GROUP BY ${LOCAL_DAY} fill(none)`))
        .withTarget(influxql(`SELECT sum("netKg") / 1000 AS "shipped" FROM ${FROM.weighTicket} WHERE $timeFilter AND ${TRANSFER_STATION} AND "direction" = 'out' GROUP BY ${LOCAL_DAY} fill(none)`))
        .withTarget(influxql(`SELECT sum("netKg") / 1000 AS "received" FROM ${FROM.weighTicket} WHERE $timeFilter AND ${SORTING_CENTRE} AND "direction" = 'in' GROUP BY ${LOCAL_DAY} fill(none)`))
        .withTarget(influxql(`SELECT sum("kg") / 1000 AS "recovered" FROM ${RECOVERED} WHERE $timeFilter GROUP BY ${LOCAL_DAY} fill(none)`))
        .withTarget(influxql(`SELECT sum("residueKg") / 1000 AS "residue" FROM ${FROM.sortingReport} WHERE $timeFilter GROUP BY ${LOCAL_DAY} fill(none)`))
        .drawStyle(common.GraphDrawStyle.Bars)
        .fillOpacity(80)
        .unit('masst')
        .decimals(1)
        .min(0)
        .thresholds(thresholds([[null, 'transparent'], [DAILY_TARGET_T.low, 'green'], [DAILY_TARGET_T.high, 'orange']]))
        .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.LineAndArea))
        .height(9)
        .span(24),
    );
  return numberPanels(builder.build());
}
