/**
 * A crowd of alert-stream clients in its own process (so their reading does not slow the
 * benchmark's PUBACK timing): on `open`, `count` GET /api/v1/alerts/stream at once; replies when
 * every one has its snapshot (or failed); holds them open until `close`.
 */
import { Agent, get, type ClientRequest, type IncomingMessage } from 'node:http';

export type CrowdCommand = { type: 'open'; url: string; token: string; count: number } | { type: 'close' };
export type CrowdReply =
  | { type: 'opened'; elapsedMs: number; ok: number; failed: number; statuses: Record<string, number>; snapshotBytes: number }
  | { type: 'closed' };

const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
const open: Array<{ request: ClientRequest; response?: IncomingMessage }> = [];

function openOne(url: string, token: string): Promise<{ status: number; snapshotBytes: number }> {
  return new Promise((resolve) => {
    const entry: { request: ClientRequest; response?: IncomingMessage } = {
      request: get(url, { agent, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (response) => {
        entry.response = response;
        if (response.statusCode !== 200) {
          response.resume();
          resolve({ status: response.statusCode ?? 0, snapshotBytes: 0 });
          return;
        }
        // Frames end with a blank line: the first is `retry:`, the second the snapshot.
        let bytes = 0;
        let frames = 0;
        let lastWasNewline = false;
        const onData = (chunk: Buffer) => {
          bytes += chunk.length;
          for (let i = 0; i < chunk.length; i++) {
            const newline = chunk[i] === 0x0a;
            if (newline && lastWasNewline) frames++;
            lastWasNewline = newline && !lastWasNewline; // a counted pair starts over
          }
          if (frames < 2) return;
          response.off('data', onData);
          response.resume();
          resolve({ status: 200, snapshotBytes: bytes });
        };
        response.on('data', onData);
      }),
    };
    entry.request.on('error', () => resolve({ status: -1, snapshotBytes: 0 }));
    open.push(entry);
  });
}

process.on('message', async (command: CrowdCommand) => {
  if (command.type === 'open') {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: command.count }, () => openOne(command.url, command.token)));
    const statuses: Record<string, number> = {};
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    const ok = results.filter((r) => r.status === 200);
    process.send!({
      type: 'opened',
      elapsedMs: performance.now() - started,
      ok: ok.length,
      failed: results.length - ok.length,
      statuses,
      snapshotBytes: ok.length ? Math.max(...ok.map((r) => r.snapshotBytes)) : 0,
    } satisfies CrowdReply);
  } else {
    for (const entry of open.splice(0)) entry.request.destroy();
    process.send!({ type: 'closed' } satisfies CrowdReply);
    process.disconnect();
  }
});
