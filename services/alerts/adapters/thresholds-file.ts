/** Reads ALERT_THRESHOLDS_FILE at start-up; a bad file stops start-up with the variable, the file and each problem. */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../../shared/config.ts';
import { parseAlertThresholdsFile, type AlertThresholdsFile } from '../core/thresholds.ts';

export function readThresholdsFile(path: string | undefined): AlertThresholdsFile | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`ALERT_THRESHOLDS_FILE: cannot read ${path}: ${(error as Error).message}`);
  }
  const parsed = parseAlertThresholdsFile(text, path);
  if (!parsed.ok) throw new ConfigError(`ALERT_THRESHOLDS_FILE: ${parsed.error}`);
  return parsed.file;
}
