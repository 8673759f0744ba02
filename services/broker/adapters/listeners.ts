/**
 * The broker's two doors: MQTT over TCP and MQTT over WebSocket (path /mqtt). Both hand a
 * byte stream to the broker; this file only opens, tracks and closes them, so stop() can
 * close every connection — including ones that never sent CONNECT, which the MQTT broker
 * itself does not know about.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { BrokerListening } from '../core/ports.ts';

export const WEBSOCKET_PATH = '/mqtt';
/** Subprotocols MQTT-over-WebSocket clients offer (MQTT 3.1.1 says 'mqtt'; some old clients 'mqttv3.1'). */
const MQTT_SUBPROTOCOLS = ['mqtt', 'mqttv3.1'];
/** Above the default 511 so a whole fleet reconnecting at once is not bounced by the accept queue. */
const ACCEPT_BACKLOG = 2048;

export interface ListenerOptions {
  host: string;
  mqttPort: number;
  wsPort: number;
  /** Largest single WebSocket message accepted (ws's own default is 100 MiB). */
  maxWsMessageBytes: number;
}

export type ConnectionHandler = (stream: Duplex, req: IncomingMessage | undefined, remoteAddress: string) => void;

interface Running {
  tcp: NetServer;
  http: HttpServer;
  wss: WebSocketServer;
  sockets: Set<Socket>;
}

export class MqttListeners {
  private running: Running | null = null;

  constructor(
    private readonly options: ListenerOptions,
    private readonly onConnection: ConnectionHandler,
  ) {}

  async start(): Promise<BrokerListening> {
    if (this.running) throw new Error('listeners already started');
    const { host, mqttPort, wsPort, maxWsMessageBytes } = this.options;
    const sockets = new Set<Socket>();

    const tcp = createNetServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      this.onConnection(socket, undefined, socket.remoteAddress ?? 'unknown');
    });

    const http = createHttpServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`MQTT over WebSocket is served at ${WEBSOCKET_PATH}\n`);
    });
    const wss = new WebSocketServer({
      server: http,
      path: WEBSOCKET_PATH,
      maxPayload: maxWsMessageBytes,
      handleProtocols: (offered) => MQTT_SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
    });
    wss.on('connection', (ws, req) => {
      const stream = createWebSocketStream(ws);
      this.onConnection(stream, req, req.socket.remoteAddress ?? 'unknown');
    });
    // A failed handshake or a server-level error must not crash the process.
    wss.on('error', () => {});

    this.running = { tcp, http, wss, sockets };
    try {
      await listen(tcp, host, mqttPort);
      await listen(http, host, wsPort);
    } catch (err) {
      await this.stop();
      throw err;
    }
    return { mqttPort: (tcp.address() as AddressInfo).port, wsPort: (http.address() as AddressInfo).port };
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = null;
    const { tcp, http, wss, sockets } = running;
    const tcpClosed = closeServer(tcp);
    for (const socket of sockets) socket.destroy();
    for (const ws of wss.clients) ws.terminate();
    const wssClosed = new Promise<void>((resolve) => wss.close(() => resolve()));
    const httpClosed = closeServer(http);
    http.closeAllConnections();
    await Promise.all([tcpClosed, wssClosed, httpClosed]);
  }
}

function listen(server: NetServer | HttpServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog: ACCEPT_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: NetServer | HttpServer): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}
