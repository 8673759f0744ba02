import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { describe, expect, it } from 'vitest';
import { InfluxQLQueryBuilder, isInfluxQLQuery } from '../../../dashboards/lib/influxql-query.ts';

describe('InfluxQL query type', () => {
  it('builds the raw-query target Grafana’s InfluxDB datasource stores', () => {
    const query = new InfluxQLQueryBuilder('SELECT mean("x") FROM "raw"."m" WHERE $timeFilter GROUP BY time($__interval)')
      .refId('A')
      .alias('$tag_kind')
      .datasource({ type: 'influxdb', uid: 'binpulse-influxdb' })
      .build();
    expect(JSON.parse(JSON.stringify(query))).toEqual({
      query: 'SELECT mean("x") FROM "raw"."m" WHERE $timeFilter GROUP BY time($__interval)',
      rawQuery: true,
      resultFormat: 'time_series',
      refId: 'A',
      alias: '$tag_kind',
      datasource: { type: 'influxdb', uid: 'binpulse-influxdb' },
    });
  });

  it('collapses the layout of a query written over lines, and refuses an empty one', () => {
    const built = new InfluxQLQueryBuilder(`
      SELECT sum("n") FROM (
        SELECT last("n") AS "n" FROM "raw"."m"
        WHERE $timeFilter GROUP BY "subdistrict"
      )`).build();
    expect(built.query).toBe('SELECT sum("n") FROM (SELECT last("n") AS "n" FROM "raw"."m" WHERE $timeFilter GROUP BY "subdistrict")');
    expect(() => new InfluxQLQueryBuilder('  \n ')).toThrow(/needs text/);
  });

  it('switches to table format and hides', () => {
    const built = new InfluxQLQueryBuilder('SELECT 1').table().hide(true).build();
    expect(built.resultFormat).toBe('table');
    expect(built.hide).toBe(true);
  });

  it('is a dataquery variant any SDK panel takes as a target', () => {
    const panel = new PanelBuilder().withTarget(new InfluxQLQueryBuilder('SELECT "x" FROM "raw"."m" WHERE $timeFilter')).build();
    expect(panel.targets).toHaveLength(1);
    expect(isInfluxQLQuery(panel.targets![0])).toBe(true);
    expect(isInfluxQLQuery({ expr: 'up' })).toBe(false);
    expect(isInfluxQLQuery(null)).toBe(false);
  });
});
