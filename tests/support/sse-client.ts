/**
 * A minimal Server-Sent-Events reader over node:http, for tests against a listening server:
 * resolves with the response head, then hands out parsed messages one at a time.
 */
import { get, type IncomingMessage } from 'node:http';

export interface SseMessage {
  event: string;
  id: string | null;
  data: string;
  /** Comment lines (": heartbeat") seen before this message. */
  comments: string[];
}

export interface SseStream {
  status: number;
  headers: IncomingMessage['headers'];
  /** The next message with an event or data line (waits for it). */
  next(): Promise<SseMessage>;
  /** Resolves when the server ends or drops the connection. */
  closed: Promise<void>;
  close(): void;
  response: IncomingMessage;
  /** Everything received so far, as text. */
  readonly raw: string;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const queue: SseMessage[] = [];
      const waiting: Array<(m: SseMessage) => void> = [];
      let buffer = '';
      let raw = '';
      let comments: string[] = [];
      const closed = new Promise<void>((done) => {
        response.once('close', done);
        response.once('error', () => done());
      });
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        raw += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = { event: 'message', id: null, data: '', comments };
          let hasField = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) ((message.event = line.slice(7)), (hasField = true));
            else if (line.startsWith('id: ')) message.id = line.slice(4);
            else if (line.startsWith('data: ')) ((message.data += line.slice(6)), (hasField = true));
          }
          if (!hasField) continue;
          comments = [];
          const waiter = waiting.shift();
          if (waiter) waiter(message);
          else queue.push(message);
        }
      });
      resolve({
        get raw() {
          return raw;
        },
        status: response.statusCode ?? 0,
        headers: response.headers,
        response,
        closed,
        next: () => {
          const queued = queue.shift();
          if (queued) return Promise.resolve(queued);
          return new Promise<SseMessage>((done, fail) => {
            waiting.push(done);
            void closed.then(() => fail(new Error('stream closed before the next message')));
          });
        },
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
  });
}
