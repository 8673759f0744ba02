import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/contracts/index.ts';
import { SseHub, sseFrame, type SseClient } from '../../../services/alerts/adapters/sse-hub.ts';
import { FakeAlertService, makeAlert } from '../../support/alert-fakes.ts';

class FakeClient implements SseClient {
  readonly frames: string[] = [];
  buffered = 0;
  state: 'open' | 'aborted' | 'ended' = 'open';
  write(chunk: string) {
    this.frames.push(chunk);
  }
  bufferedBytes() {
    return this.buffered;
  }
  abort() {
    this.state = 'aborted';
  }
  end() {
    this.state = 'ended';
  }
}

const hubs: SseHub[] = [];
function hub(source: FakeAlertService, options: { maxBufferBytes?: number } = {}) {
  const slow: number[] = [];
  const errors: unknown[] = [];
  const h = new SseHub({ source, ...options, onSlowClient: (b) => slow.push(b), onEncodeError: (e) => errors.push(e) });
  hubs.push(h);
  return { h, slow, errors };
}
afterEach(() => {
  for (const h of hubs.splice(0)) h.closeAll();
});

describe('sseFrame', () => {
  it('writes event, id and one data line, ending with a blank line', () => {
    expect(sseFrame('raised', 7, '{"a":1}')).toBe('event: raised\nid: 7\ndata: {"a":1}\n\n');
    expect(sseFrame('snapshot', null, '{}')).toBe('event: snapshot\ndata: {}\n\n');
  });
});

describe('SseHub', () => {
  it('greets a client with retry and the snapshot, then streams events', () => {
    const source = new FakeAlertService();
    const { h } = hub(source);
    const client = new FakeClient();
    const open = makeAlert();
    h.attach(client, [open]);
    expect(client.frames[0]).toMatch(/^retry: \d+\n\n$/);
    expect(client.frames[1]).toBe(sseFrame('snapshot', 1, JSON.stringify({ items: [open] })));
    const alert = makeAlert({ title: 'line one\nline two' });
    source.emit('raised', alert);
    expect(client.frames[2]).toBe(sseFrame('raised', 2, JSON.stringify({ event: 'raised', alert })));
    // JSON escapes the newline: the frame still has exactly one data line.
    expect(client.frames[2]!.split('\n').filter((l) => l.startsWith('data: '))).toHaveLength(1);
  });

  it('subscribes once for all clients and only while there are clients', () => {
    const source = new FakeAlertService();
    const { h } = hub(source);
    expect(source.listenerCount).toBe(0);
    const detachA = h.attach(new FakeClient(), []);
    const detachB = h.attach(new FakeClient(), []);
    expect(source.listenerCount).toBe(1);
    detachA();
    detachA(); // idempotent: a second close event changes nothing
    expect(source.listenerCount).toBe(1);
    detachB();
    expect(source.listenerCount).toBe(0);
    expect(h.size).toBe(0);
    h.attach(new FakeClient(), []);
    expect(source.listenerCount).toBe(1);
  });

  it('drops a client whose unsent bytes exceed the bound, and keeps the others', () => {
    const source = new FakeAlertService();
    const { h, slow } = hub(source, { maxBufferBytes: 1000 });
    const fast = new FakeClient();
    const lagging = new FakeClient();
    h.attach(fast, []);
    h.attach(lagging, []);
    lagging.buffered = 1001;
    const written = lagging.frames.length;
    source.emit('updated', makeAlert());
    expect(lagging.state).toBe('aborted');
    expect(lagging.frames).toHaveLength(written); // nothing more was queued for it
    expect(slow).toEqual([1001]);
    expect(fast.frames.at(-1)).toContain('event: updated');
    expect(h.size).toBe(1);
  });

  it('never drops a fresh client for its own large snapshot', () => {
    const source = new FakeAlertService();
    const { h } = hub(source, { maxBufferBytes: 10 });
    const client = new FakeClient();
    h.attach(client, [makeAlert(), makeAlert()]);
    expect(client.state).toBe('open');
    expect(h.size).toBe(1);
  });

  it('sends heartbeats as comments, and applies the bound to them too', () => {
    const source = new FakeAlertService();
    const { h } = hub(source, { maxBufferBytes: 100 });
    const ok = new FakeClient();
    const stuck = new FakeClient();
    h.attach(ok, []);
    h.attach(stuck, []);
    stuck.buffered = 101;
    h.heartbeat();
    expect(ok.frames.at(-1)).toBe(': heartbeat\n\n');
    expect(stuck.state).toBe('aborted');
  });

  it('skips (and reports) an event that breaks the contract instead of streaming it', () => {
    const source = new FakeAlertService();
    const { h, errors } = hub(source);
    const client = new FakeClient();
    h.attach(client, []);
    const before = client.frames.length;
    source.emit('raised', { ...makeAlert(), severity: 'apocalyptic' } as unknown as Alert);
    expect(client.frames).toHaveLength(before);
    expect(errors).toHaveLength(1);
  });

  it('strips fields outside the contract', () => {
    const source = new FakeAlertService();
    const { h } = hub(source);
    const client = new FakeClient();
    h.attach(client, []);
    source.emit('raised', { ...makeAlert(), secretNote: 'x' } as Alert);
    expect(client.frames.at(-1)).not.toContain('secretNote');
  });

  it('closeAll ends every client and gives the listener back', () => {
    const source = new FakeAlertService();
    const { h } = hub(source);
    const a = new FakeClient();
    const b = new FakeClient();
    h.attach(a, []);
    h.attach(b, []);
    h.closeAll();
    expect([a.state, b.state]).toEqual(['ended', 'ended']);
    expect(source.listenerCount).toBe(0);
  });
});
