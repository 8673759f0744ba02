/**
 * Listens to the platform's alert stream (GET /api/v1/alerts/stream, Server-Sent Events) and
 * stamps each event with performance.now() as its bytes arrive, for latency measurements.
 */
import type { Alert } from '../../shared/contracts/index.ts';

export interface StampedAlertEvent {
  event: string;
  alert: Alert;
  receivedAt: number;
}

export async function listenToAlerts(baseUrl: string, token: string, onEvent: (e: StampedAlertEvent) => void): Promise<() => void> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/alerts/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (!response.ok || !response.body) throw new Error(`alert stream: HTTP ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const receivedAt = performance.now();
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === undefined || data === undefined || event === 'snapshot') continue;
          onEvent({ event, alert: (JSON.parse(data) as { alert: Alert }).alert, receivedAt });
        }
      }
    } catch {
      // Aborted by the caller, or the platform went away: the benchmark notices missing events.
    }
  })();
  return () => controller.abort();
}
