/**
 * Device health (uid binpulse-device-health), for the device engineers: which boxes and cameras
 * are online, camera uptime, batteries, faults, when each device was last heard from, and the
 * platform's own intake (ingest rate, dead letters, the journal backlog).
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  FROM,
  IN_SUBDISTRICT,
  colorBackgroundCell,
  fixedColor,
  fixedColorScheme,
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

/** low_battery is raised below 15 % and cleared above 20 %. */
const BATTERY_COLORS = thresholds([[null, 'red'], [15, 'orange'], [30, 'green']]);

/** Sum over subdistricts of each one's last snapshot value per interval, by device kind. */
const fleetTotal = (field: string) => `
  SELECT sum("n") FROM (
    SELECT last("${field}") AS "n" FROM ${FROM.fleetStatus}
    WHERE $timeFilter AND ${IN_SUBDISTRICT}
    GROUP BY time($__interval), "kind", "subdistrict")
  WHERE $timeFilter GROUP BY time($__interval), "kind" fill(none)`;

export function deviceHealthDashboard(): dashboard.Dashboard {
  const builder = newDashboard({
    title: 'BinPulse · Device health',
    uid: 'binpulse-device-health',
    description: 'For device engineers: online/offline devices, camera uptime, batteries, faults, last seen, and the ingest pipeline (rate, dead letters, journal backlog).',
    from: 'now-6h',
    refresh: '1m',
  })

    .withRow(row('Online'))
    .withPanel(
      statPanel('Online', 'Boxes and cameras whose latest state is online (operations snapshot).')
        .withTarget(influxql(fleetTotal('online')).alias('$tag_kind'))
        .textMode(common.BigValueTextMode.ValueAndName)
        .unit('none')
        .colorScheme(fixedColorScheme('green'))
        .span(8),
    )
    .withPanel(
      statPanel('Offline', 'Boxes and cameras offline or never heard from (operations snapshot).')
        .withTarget(influxql(fleetTotal('offline')).alias('$tag_kind'))
        .textMode(common.BigValueTextMode.ValueAndName)
        .unit('none')
        .thresholds(thresholds([[null, 'green'], [1, 'orange'], [30, 'red']]))
        .span(8),
    )
    .withPanel(
      statPanel('Faults raised', 'Faults devices reported as raised in the range (lid stuck, overheat, power loss, …).')
        .withTarget(influxql(`SELECT count("active") AS "faults" FROM ${FROM.fault} WHERE $timeFilter AND "active" = true AND ${IN_SUBDISTRICT}`).alias('faults'))
        .graphMode(common.BigValueGraphMode.None)
        .unit('none')
        .thresholds(thresholds([[null, 'green'], [1, 'orange']]))
        .span(8),
    )
    .withPanel(
      tablePanel('Online and offline by kind and subdistrict', 'Latest operations snapshot in the range.', 'offline', true)
        .withTarget(
          influxql(`
            SELECT last("online") AS "online", last("offline") AS "offline", last("devices") AS "devices" FROM ${FROM.fleetStatus}
            WHERE $timeFilter AND ${IN_SUBDISTRICT} GROUP BY "kind", "subdistrict"`).table(),
        )
        .withTransformation(organize({ exclude: ['Time'], order: ['kind', 'subdistrict', 'online', 'offline', 'devices'] }))
        .overrideByName('offline', [colorBackgroundCell()])
        .thresholds(thresholds([[null, 'transparent'], [1, 'orange']]))
        .height(10)
        .span(10),
    )
    .withPanel(
      timeSeriesPanel('Online over time', 'Devices online per subdistrict and kind (operations snapshot).')
        .withTarget(
          influxql(`
            SELECT last("online") FROM ${FROM.fleetStatus}
            WHERE $timeFilter AND ${IN_SUBDISTRICT}
            GROUP BY time($__interval), "kind", "subdistrict" fill(none)`).alias('$tag_kind $tag_subdistrict'),
        )
        .unit('none')
        .decimals(0)
        .height(10)
        .span(14),
    )

    .withRow(row('Cameras'))
    .withPanel(
      timeSeriesPanel('Camera availability', 'Share of the camera points online (operations snapshot); a power cut or a lost stream shows as a dip.')
        .withTarget(
          influxql(`
            SELECT sum("online") / sum("devices") FROM (
              SELECT last("online") AS "online", last("devices") AS "devices" FROM ${FROM.fleetStatus}
              WHERE $timeFilter AND "kind" = 'camera' AND ${IN_SUBDISTRICT}
              GROUP BY time($__interval), "subdistrict")
            WHERE $timeFilter GROUP BY time($__interval) fill(none)`).alias('cameras online'),
        )
        .unit('percentunit')
        .min(0)
        .max(1)
        .thresholds(thresholds([[null, 'red'], [0.9, 'green']]))
        .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed))
        .span(10),
    )
    .withPanel(
      tablePanel('Camera uptime', 'Time since each camera last restarted (its heartbeat uptimeS) and its frame rate, shortest uptime first.', 'uptime', false)
        .withTarget(
          influxql(`
            SELECT last("uptimeS") AS "uptime", last("frameRate") AS "frameRate" FROM ${FROM.cameraHeartbeat}
            WHERE $timeFilter AND ${IN_SUBDISTRICT} GROUP BY "deviceId", "community", "subdistrict"`).table(),
        )
        .withTransformation(organize({ exclude: ['Time'], rename: { deviceId: 'camera', frameRate: 'fps' }, order: ['deviceId', 'community', 'subdistrict', 'uptime', 'frameRate'] }))
        .overrideByName('uptime', [{ id: 'unit', value: 'dtdurations' }])
        .span(14),
    )

    .withRow(row('Boxes'))
    .withPanel(
      tablePanel('Batteries, lowest first', 'Latest batteryPercent of battery and solar boxes (mains boxes report none). low_battery below 15 %.', 'battery', false)
        .withTarget(
          influxql(`
            SELECT last("batteryPercent") AS "battery" FROM ${FROM.boxHealth}
            WHERE $timeFilter AND ${IN_SUBDISTRICT} GROUP BY "deviceId", "community", "subdistrict"`).table(),
        )
        .withTransformation(organize({ rename: { deviceId: 'box', Time: 'reading at' }, order: ['deviceId', 'community', 'subdistrict', 'battery', 'Time'] }))
        .overrideByName('battery', [{ id: 'unit', value: 'percent' }, colorBackgroundCell()])
        .thresholds(BATTERY_COLORS)
        .height(10)
        .span(10),
    )
    .withPanel(
      timeSeriesPanel('Battery by subdistrict', 'Mean batteryPercent of the battery and solar boxes per subdistrict (solar boxes recharge by day).')
        .withTarget(
          influxql(`
            SELECT mean("batteryPercent") FROM ${FROM.boxHealth}
            WHERE $timeFilter AND ${IN_SUBDISTRICT}
            GROUP BY time($__interval), "subdistrict" fill(none)`).alias('$tag_subdistrict'),
        )
        .unit('percent')
        .height(10)
        .span(14),
    )
    .withPanel(
      stackedBarsPanel('Faults raised over time', 'Faults raised per interval (at least 10 minutes), by fault.')
        .withTarget(
          influxql(`
            SELECT count("active") FROM ${FROM.fault}
            WHERE $timeFilter AND "active" = true AND ${IN_SUBDISTRICT}
            GROUP BY time($__interval), "fault" fill(none)`).alias('$tag_fault'),
        )
        .interval('10m')
        .unit('none')
        .decimals(0)
        .span(14),
    )
    .withPanel(
      tablePanel('Faults by device', 'Faults raised in the range per device and fault, most first.', 'raised', true)
        .withTarget(
          influxql(`
            SELECT count("active") AS "raised" FROM ${FROM.fault}
            WHERE $timeFilter AND "active" = true AND ${IN_SUBDISTRICT}
            GROUP BY "deviceId", "kind", "fault", "subdistrict"`).table(),
        )
        .withTransformation(organize({ exclude: ['Time'], rename: { deviceId: 'device' }, order: ['deviceId', 'kind', 'subdistrict', 'fault', 'raised'] }))
        .span(10),
    )
    .withPanel(
      tablePanel('Last seen, stalest first', 'When each box (telemetry) and camera (heartbeat) last reported in the range; one silent for longer than 15 min (boxes) or 3 min (cameras) raises device_offline.', 'last seen', false)
        .withTarget(
          influxql(`
            SELECT last("temperatureC") AS "reading" FROM ${FROM.boxHealth}
            WHERE $timeFilter AND ${IN_SUBDISTRICT} GROUP BY "deviceId", "kind", "community", "subdistrict"`).table(),
        )
        .withTarget(
          influxql(`
            SELECT last("frameRate") AS "reading" FROM ${FROM.cameraHeartbeat}
            WHERE $timeFilter AND ${IN_SUBDISTRICT} GROUP BY "deviceId", "kind", "community", "subdistrict"`).table(),
        )
        .withTransformation({ id: 'merge', options: {} })
        .withTransformation(
          organize({ exclude: ['reading'], rename: { Time: 'last seen', deviceId: 'device' }, order: ['deviceId', 'kind', 'community', 'subdistrict', 'Time'] }),
        )
        .overrideByName('last seen', [{ id: 'unit', value: 'dateTimeFromNow' }])
        .height(10)
        .span(24),
    )

    .withRow(row('Ingest'))
    .withPanel(
      timeSeriesPanel('Ingest rate', 'Valid device messages accepted per second (operations snapshot: rate between snapshots).')
        .withTarget(influxql(`SELECT mean("messagesPerSecond") FROM ${FROM.ingestStats} WHERE $timeFilter GROUP BY time($__interval) fill(none)`).alias('accepted'))
        .unit('suffix: msg/s')
        .min(0)
        .span(8),
    )
    .withPanel(
      timeSeriesPanel('Dead letters by reason', 'Rejected messages per minute by reason (invalid_json, schema_violation, unknown_device, …): a device maker sending bad data shows here first.')
        .withTarget(
          influxql(`
            SELECT mean("perSecond") * 60 FROM ${FROM.deadLetters}
            WHERE $timeFilter GROUP BY time($__interval), "reason" fill(none)`).alias('$tag_reason'),
        )
        .unit('suffix: /min')
        .min(0)
        .span(8),
    )
    .withPanel(
      timeSeriesPanel('Journal backlog (spool depth)', 'Accepted publishes a journal consumer has not stored yet: "timeseries" grows while InfluxDB is unreachable. At 80 % of JOURNAL_MAX_MB journal_near_cap is raised; at 100 % devices are refused and keep their messages.')
        .withTarget(
          influxql(`
            SELECT max("entries") FROM ${FROM.journalBacklog}
            WHERE $timeFilter GROUP BY time($__interval), "consumer" fill(none)`).alias('$tag_consumer'),
        )
        .unit('none')
        .decimals(0)
        .min(0)
        .span(8),
    )
    .withPanel(
      timeSeriesPanel('Journal backlog bytes', 'Bytes the slowest consumer has not committed, against the journal_near_cap line (80 % of the cap).')
        .withTarget(
          influxql(`
            SELECT max("journalBacklogBytes") AS "backlog", last("journalMaxBytes") * 0.8 AS "journal_near_cap (80 %)" FROM ${FROM.ingestStats}
            WHERE $timeFilter GROUP BY time($__interval) fill(none)`),
        )
        .unit('bytes')
        .min(0)
        .overrideByName('journal_near_cap (80 %)', [
          { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
          { id: 'custom.fillOpacity', value: 0 },
          fixedColor('red'),
        ])
        .span(12),
    )
    .withPanel(
      tablePanel('Dead letters since the store was created', 'Rejected messages per reason, in total (GET /api/v1/dead-letters lists the latest).', 'total', true)
        .withTarget(influxql(`SELECT last("total") AS "total" FROM ${FROM.deadLetters} WHERE $timeFilter GROUP BY "reason"`).table())
        .withTransformation(organize({ exclude: ['Time'], order: ['reason', 'total'] }))
        .span(12),
    );
  return numberPanels(builder.build());
}
