/** The Grafana substitutions the panel-query integration test applies, checked on their own. */
import { describe, expect, it } from 'vitest';
import { formatInterval, interpolate, panelInterval, roundInterval } from '../../integration/dashboards/grafana-queries.ts';

describe('Grafana InfluxQL interpolation (test support)', () => {
  it('rounds the interval as Grafana does, never below the panel’s min interval', () => {
    const day = 86_400_000;
    expect(formatInterval(roundInterval(day / 1000))).toBe('1m');
    expect(formatInterval(roundInterval((2 * day) / 1000))).toBe('2m');
    expect(formatInterval(roundInterval((30 * day) / 1000))).toBe('20m');
    expect(panelInterval(0, day, {})).toBe('1m');
    expect(panelInterval(0, day, { minInterval: '1h' })).toBe('1h');
    expect(panelInterval(0, day, { maxDataPoints: 24 })).toBe('30m');
    expect(formatInterval(500)).toBe('500ms');
  });

  it('replaces the time filter, the interval and a multi-value variable as a regex group', () => {
    const text = interpolate('SELECT x FROM "raw"."m" WHERE $timeFilter AND "s" =~ /^$subdistrict$/ GROUP BY time($__interval)', {
      from: 1000,
      to: 2000,
      interval: '2m',
      variables: { subdistrict: ['hongmei', 'a.b'] },
    });
    expect(text).toBe('SELECT x FROM "raw"."m" WHERE time >= 1000ms and time <= 2000ms AND "s" =~ /^(hongmei|a\\.b)$/ GROUP BY time(2m)');
    expect(interpolate('WHERE "s" =~ /^${subdistrict}$/', { from: 0, to: 1, interval: '1s', variables: { subdistrict: ['x'] } })).toBe('WHERE "s" =~ /^x$/');
  });

  it('refuses to send a query with a variable it has no value for', () => {
    expect(() => interpolate('WHERE "k" = \'$kind\'', { from: 0, to: 1, interval: '1s', variables: {} })).toThrow(/no value for \$kind/);
  });
});
