/** The server's configuration for the console, embedded in index.html by services/api/routes/console.ts. */
import { CONFIG_ELEMENT_ID, DEFAULT_SHIFTS, type ConsoleConfig } from '../core/page.ts';

export function readConfig(): ConsoleConfig {
  const text = document.getElementById(CONFIG_ELEMENT_ID)?.textContent;
  const parsed = text ? (JSON.parse(text) as Partial<ConsoleConfig>) : {};
  return {
    tileUrl: parsed.tileUrl ?? null,
    utcOffsetMinutes: parsed.utcOffsetMinutes ?? 480,
    shifts: parsed.shifts !== undefined && parsed.shifts.length > 0 ? parsed.shifts : DEFAULT_SHIFTS,
  };
}
