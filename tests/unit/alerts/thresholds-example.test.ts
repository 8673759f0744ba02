import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlertThresholdsFile, resolveThresholds } from '../../../services/alerts/core/thresholds.ts';

describe('the documented thresholds file example', () => {
  const text = readFileSync(new URL('../../../docs/examples/alert-thresholds.json', import.meta.url), 'utf8');

  it('parses, and the device layer wins over subdistrict, kind and defaults', () => {
    const parsed = parseAlertThresholdsFile(text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(resolveThresholds(parsed.file, { id: 'box-0042', kind: 'box', subdistrict: 'tianning' }).binFullWarning).toBe(0.8);
    expect(resolveThresholds(parsed.file, { id: 'box-0001', kind: 'box', subdistrict: 'tianning' }).binFullWarning).toBe(0.85);
    expect(resolveThresholds(parsed.file, { id: 'cam-001', kind: 'camera', subdistrict: 'zhenglu' }).inactivityTimeoutMs).toBe(1_800_000);
    expect(resolveThresholds(parsed.file, { id: 'cam-002', kind: 'camera', subdistrict: 'hongmei' }).inactivityTimeoutMs).toBe(300_000);
  });
});
