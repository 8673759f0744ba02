/**
 * The broker's doors: MQTT over TCP and MQTT over WebSocket (path /mqtt) in plaintext, and the
 * same two over TLS (issue 15). Each hands a byte stream to the broker; this file only opens,
 * tracks and closes them, so stop() can close every connection — including ones that never
 * sent CONNECT, which the MQTT broker itself does not know about.
 *
 * Over TLS a client certificate is asked for (not required) and handed to the broker with the
 * stream, as the handshake left it (chain verified or not, fingerprint, names): the broker
 * decides what it proves (../core/access.ts). A renewed server certificate (TlsSource.onReload)
 * is applied with setSecureContext: new handshakes use it, open connections stay.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, TLSSocket, type SecureContextOptions, type Server as TlsServer, type TlsOptions } from 'node:tls';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { fingerprintOf, peerNames } from '../../tls/core/certificates.ts';
import type { PeerCertificate } from '../core/access.ts';
import type { BrokerListening } from '../core/ports.ts';

export const WEBSOCKET_PATH = '/mqtt';
/** Subprotocols MQTT-over-WebSocket clients offer (MQTT 3.1.1 says 'mqtt'; some old clients 'mqttv3.1'). */
const MQTT_SUBPROTOCOLS = ['mqtt', 'mqttv3.1'];
/** Above the default 511 so a whole fleet reconnecting at once is not bounced by the accept queue. */
const ACCEPT_BACKLOG = 2048;

/** The server certificate (and device CA) and its renewals; TlsMaterial (services/tls) fits. */
export interface TlsSource {
  serverOptions(): TlsOptions;
  onReload(listener: (context: SecureContextOptions) => void): void;
}

export interface ListenerOptions {
  host: string;
  mqttPort: number;
  wsPort: number;
  /** The plaintext listeners (mqttPort, wsPort); default true. */
  plaintext?: boolean;
  /** MQTT over TLS on mqttsPort and over secure WebSocket on wssPort. */
  tls?: { source: TlsSource; mqttsPort: number; wssPort: number } | undefined;
  /** Largest single WebSocket message accepted (ws's own default is 100 MiB). */
  maxWsMessageBytes: number;
}

export type ConnectionHandler = (
  stream: Duplex,
  req: IncomingMessage | undefined,
  remoteAddress: string,
  certificate: PeerCertificate | undefined,
) => void;

type Door = NetServer | HttpServer;

interface Running {
  servers: Door[];
  wss: WebSocketServer[];
  sockets: Set<Socket>;
}

/** The client certificate a TLS socket presented, or undefined when it sent none. */
export function peerCertificateOf(socket: unknown): PeerCertificate | undefined {
  if (!(socket instanceof TLSSocket)) return undefined;
  const cert = socket.getPeerCertificate();
  if (cert === null || cert.raw === undefined) return undefined;
  return {
    authorized: socket.authorized,
    fingerprint: fingerprintOf(cert.raw),
    names: peerNames(cert.subject?.CN, cert.subjectaltname),
  };
}

export class MqttListeners {
  private running: Running | null = null;

  constructor(
    private readonly options: ListenerOptions,
    private readonly onConnection: ConnectionHandler,
  ) {}

  async start(): Promise<BrokerListening> {
    if (this.running) throw new Error('listeners already started');
    const { host, mqttPort, wsPort, tls } = this.options;
    const running: Running = { servers: [], wss: [], sockets: new Set() };
    this.running = running;
    const plaintext = this.options.plaintext ?? true;
    const ports: BrokerListening = { mqttPort: 0, wsPort: 0, mqttsPort: null, wssPort: null };
    try {
      if (plaintext) {
        const tcp = createNetServer((socket) => this.#accept(running, socket));
        ports.mqttPort = await listen(running, tcp, host, mqttPort);
        ports.wsPort = await listen(running, this.#webSocketDoor(running, createHttpServer(notMqtt)), host, wsPort);
      }
      if (tls) {
        const options = tls.source.serverOptions();
        const mqtts = createTlsServer(options, (socket) => this.#accept(running, socket));
        const https = createHttpsServer(options, notMqtt);
        for (const server of [mqtts, https]) {
          // A failed handshake (a plaintext client, an unknown CA) ends that socket only.
          server.on('tlsClientError', () => {});
          // Tracked from the first byte: a socket still in its handshake would otherwise hold
          // stop() until the handshake times out (120 s).
          server.on('connection', (socket: Socket) => track(running, socket));
        }
        tls.source.onReload((context) => {
          mqtts.setSecureContext(context);
          https.setSecureContext(context);
        });
        ports.mqttsPort = await listen(running, mqtts, host, tls.mqttsPort);
        ports.wssPort = await listen(running, this.#webSocketDoor(running, https), host, tls.wssPort);
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    return ports;
  }

  #accept(running: Running, socket: Socket): void {
    track(running, socket);
    this.onConnection(socket, undefined, socket.remoteAddress ?? 'unknown', peerCertificateOf(socket));
  }

  #webSocketDoor(running: Running, http: HttpServer): HttpServer {
    const wss = new WebSocketServer({
      server: http,
      path: WEBSOCKET_PATH,
      maxPayload: this.options.maxWsMessageBytes,
      handleProtocols: (offered) => MQTT_SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
    });
    wss.on('connection', (ws, req) => {
      const stream = createWebSocketStream(ws);
      this.onConnection(stream, req, req.socket.remoteAddress ?? 'unknown', peerCertificateOf(req.socket));
    });
    // A failed handshake or a server-level error must not crash the process.
    wss.on('error', () => {});
    running.wss.push(wss);
    return http;
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = null;
    const closed = running.servers.map(closeServer);
    for (const socket of running.sockets) socket.destroy();
    for (const wss of running.wss) {
      for (const ws of wss.clients) ws.terminate();
      closed.push(new Promise<void>((resolve) => wss.close(() => resolve())));
    }
    for (const server of running.servers) if ('closeAllConnections' in server) server.closeAllConnections();
    await Promise.all(closed);
  }
}

function track(running: Running, socket: Socket): void {
  running.sockets.add(socket);
  socket.once('close', () => running.sockets.delete(socket));
}

function notMqtt(_req: IncomingMessage, res: import('node:http').ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain' }).end(`MQTT over WebSocket is served at ${WEBSOCKET_PATH}\n`);
}

async function listen(running: Running, server: Door | TlsServer, host: string, port: number): Promise<number> {
  running.servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog: ACCEPT_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Door): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}
