/** A report view's days and subdistrict in its URL (services/console/core/report-range.ts). */
import { describe, expect, it } from 'vitest';
import { parseReportRange, reportRangeQuery } from '../../../services/console/core/report-range.ts';

const FALLBACK = { from: '2026-11-29', to: '2026-12-05' };

describe('report range in the URL', () => {
  it('reads the days and a known subdistrict, and writes them back the same', () => {
    const range = parseReportRange('from=2026-12-01&to=2026-12-03&subdistrict=hongmei', FALLBACK);
    expect(range).toEqual({ from: '2026-12-01', to: '2026-12-03', subdistrict: 'hongmei' });
    expect(parseReportRange(reportRangeQuery(range), FALLBACK)).toEqual(range);
    expect(reportRangeQuery({ from: '2026-12-01', to: '2026-12-03' })).toBe('from=2026-12-01&to=2026-12-03');
  });

  it.each([
    ['', 'nothing given'],
    ['from=2026-12-03&to=2026-12-01', 'from after to'],
    ['from=2026-02-30&to=2026-03-01', 'not a calendar day'],
    ['from=yesterday&to=2026-12-01', 'not a day'],
  ])('falls back to the default days for %s (%s)', (query) => {
    expect(parseReportRange(query, FALLBACK)).toEqual(FALLBACK);
  });

  it('drops a subdistrict it does not know, keeping the days', () => {
    expect(parseReportRange('from=2026-12-01&to=2026-12-03&subdistrict=atlantis', FALLBACK)).toEqual({ from: '2026-12-01', to: '2026-12-03' });
  });
});
