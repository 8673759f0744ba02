import { describe, expect, it } from 'vitest';
import { csvField, TONNAGE_CSV_COLUMNS, tonnageCsv, tonnageCsvFilename, toCsv, UTF8_BOM } from '../../../services/console/core/csv.ts';
import { createI18n } from '../../../services/console/core/i18n/translator.ts';
import { addDays } from '../../../services/console/core/date-picker.ts';
import { offsetLabel } from '../../../services/console/core/i18n/translator.ts';

describe('CSV', () => {
  it('quotes what RFC 4180 requires and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('defuses text Excel would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@sum')).toBe("'@sum");
    // Numbers are numbers, even negative ones.
    expect(csvField(-3)).toBe('-3');
  });

  it('starts with a byte-order mark and ends every line with CRLF', () => {
    const csv = toCsv(['a', 'b'], [[1, '红梅街道']]);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(csv).toBe(`${UTF8_BOM}a,b\r\n1,红梅街道\r\n`);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  const rows = [
    { day: '2026-11-26', category: 'plastic', subdistrict: 'hongmei', kg: 4.25, deposits: 2 },
    { day: '2026-11-25', category: 'paper', subdistrict: 'zhenglu', kg: 1.23456, deposits: 1 },
    { day: '2026-11-26', category: 'paper', subdistrict: 'hongmei', kg: 10.5, deposits: 3 },
    { day: '2026-11-26', category: 'paper', subdistrict: 'tianning', kg: 0.1 + 0.2, deposits: 1 },
  ] as const;
  const zh = createI18n('zh-CN', 480);
  const en = createI18n('en', 480);
  const lines = (csv: string) => csv.slice(1).split('\r\n');

  it('writes the tonnage rows in day, subdistrict, category order, kg to the gram, with Chinese headers and names', () => {
    expect(lines(tonnageCsv({ rows: [...rows] }, zh))).toEqual([
      '日期,街道代码,街道,品类代码,品类,重量（公斤）,投放次数',
      '2026-11-25,zhenglu,郑陆镇,paper,纸类,1.235,1',
      '2026-11-26,tianning,天宁街道,paper,纸类,0.3,1',
      '2026-11-26,hongmei,红梅街道,paper,纸类,10.5,3',
      '2026-11-26,hongmei,红梅街道,plastic,塑料,4.25,2',
      '',
    ]);
  });

  it('writes the same codes and numbers in English, with English headers and names', () => {
    const english = lines(tonnageCsv({ rows: [...rows] }, en));
    expect(english).toEqual([
      'Day,Subdistrict code,Subdistrict,Category code,Category,Weight (kg),Deposits',
      '2026-11-25,zhenglu,Zhenglu,paper,Paper,1.235,1',
      '2026-11-26,tianning,Tianning,paper,Paper,0.3,1',
      '2026-11-26,hongmei,Hongmei,paper,Paper,10.5,3',
      '2026-11-26,hongmei,Hongmei,plastic,Plastic,4.25,2',
      '',
    ]);
    // Only the header and the name columns differ between the languages.
    const codes = (csv: string[]) => csv.slice(1).map((line) => line.split(',').filter((_, i) => ![2, 4].includes(i)).join(','));
    expect(codes(english)).toEqual(codes(lines(tonnageCsv({ rows: [...rows] }, zh))));
  });

  it('has a header row even without rows, one cell per column, and a filename naming the range', () => {
    expect(tonnageCsv({ rows: [] }, zh)).toBe(`${UTF8_BOM}日期,街道代码,街道,品类代码,品类,重量（公斤）,投放次数\r\n`);
    expect(lines(tonnageCsv({ rows: [] }, en))[0]!.split(',')).toHaveLength(TONNAGE_CSV_COLUMNS.length);
    expect(tonnageCsvFilename('2026-11-20', '2026-11-27')).toBe('binpulse-tonnage-2026-11-20_2026-11-27.csv');
    expect(tonnageCsvFilename('2026-11-20', '2026-11-27', 'hongmei')).toBe('binpulse-tonnage-2026-11-20_2026-11-27-hongmei.csv');
  });
});

describe('district time (UTC+8)', () => {
  // 2026-11-26T20:30:00Z is 04:30 on the 27th in Changzhou.
  const instant = '2026-11-26T20:30:05.000Z';
  const now = Date.parse('2026-11-26T20:45:00Z');
  const district = createI18n('en', 480);

  it('formats instants in district time whatever the machine time zone', () => {
    expect(district.dateTime(instant)).toBe('2026-11-27 04:30');
    expect(district.time(instant)).toBe('04:30:05');
    expect(createI18n('en', 0).dateTime(Date.parse(instant))).toBe('2026-11-26 20:30');
    expect(district.dateTime(null)).toBe('–');
    expect(district.time('not a time')).toBe('–');
  });

  it('shows only the time for today and the date for other days', () => {
    expect(district.short(instant, now)).toBe('04:30');
    expect(district.short('2026-11-26T10:00:00Z', now)).toBe('11-26 18:00');
  });

  it('says how long ago, in whole units', () => {
    expect(district.ago(now - 30_000, now)).toBe('just now');
    expect(district.ago(now - 5 * 60_000, now)).toBe('5 min. ago');
    expect(district.ago(now - 3 * 3_600_000, now)).toBe('3 hr. ago');
    expect(district.ago(now - 50 * 3_600_000, now)).toBe('2 days ago');
    expect(district.ago(now + 10_000, now)).toBe('just now');
    expect(district.ago(null, now)).toBe('never');
  });

  it('labels the offset', () => {
    expect(offsetLabel(480)).toBe('UTC+8');
    expect(offsetLabel(330)).toBe('UTC+5:30');
    expect(offsetLabel(-180)).toBe('UTC−3');
    expect(offsetLabel(0)).toBe('UTC');
    expect(district.offsetLabel).toBe('UTC+8');
  });

  it('counts calendar days across month ends', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
