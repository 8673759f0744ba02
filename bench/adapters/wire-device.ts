/**
 * One device connection over a raw socket, speaking bench/core/mqtt-wire.ts: cheap enough that
 * one generator process can drive thousands of connections without becoming the bottleneck.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { DISCONNECT, PINGREQ, encodeConnect, encodePublishQos1, PacketReader, type ConnectOptions } from '../core/mqtt-wire.ts';

export interface DeviceEndpoint {
  host: string;
  port: number;
}

export class WireDevice {
  #socket: Socket | undefined;
  #reader = new PacketReader();
  #nextId = 1;
  #sentAt = new Map<number, number>();
  /** Called for every PUBACK with the publish's send time (performance.now()). */
  onAck: (packetId: number, sentAt: number) => void = () => {};
  onClose: () => void = () => {};

  constructor(
    private readonly endpoint: DeviceEndpoint,
    private readonly options: ConnectOptions,
  ) {}

  get inflight(): number {
    return this.#sentAt.size;
  }

  get connected(): boolean {
    return this.#socket !== undefined && !this.#socket.destroyed;
  }

  /** Resolves with the CONNACK return code (0: accepted); rejects on a socket error or timeout. */
  connect(timeoutMs = 60_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: this.endpoint.host, port: this.endpoint.port, noDelay: true });
      this.#socket = socket;
      let settled = false;
      const settle = (error: Error | null, code?: number) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          socket.destroy();
          reject(error);
        } else resolve(code!);
      };
      const timer = setTimeout(() => settle(new Error('CONNACK timeout')), timeoutMs);
      socket.once('connect', () => socket.write(encodeConnect(this.options)));
      socket.on('error', (error) => settle(error));
      socket.on('close', () => {
        settle(new Error('closed before CONNACK'));
        this.onClose();
      });
      socket.on('data', (chunk: Buffer) => {
        for (const packet of this.#reader.push(chunk)) {
          if (packet.type === 'connack') settle(null, packet.returnCode);
          else if (packet.type === 'puback') {
            const sentAt = this.#sentAt.get(packet.packetId);
            if (sentAt === undefined) continue;
            this.#sentAt.delete(packet.packetId);
            this.onAck(packet.packetId, sentAt);
          }
        }
      });
    });
  }

  /** Sends a QoS 1 PUBLISH; false when the connection is gone. */
  publish(topicField: Buffer, payload: Buffer): boolean {
    const socket = this.#socket;
    if (socket === undefined || socket.destroyed) return false;
    let id = this.#nextId;
    while (this.#sentAt.has(id)) id = id === 0xffff ? 1 : id + 1;
    this.#nextId = id === 0xffff ? 1 : id + 1;
    this.#sentAt.set(id, performance.now());
    socket.write(encodePublishQos1(topicField, id, payload));
    return true;
  }

  /** Batches the writes made in fn into one syscall. */
  corked(fn: () => void): void {
    const socket = this.#socket;
    if (socket === undefined) return fn();
    socket.cork();
    try {
      fn();
    } finally {
      socket.uncork();
    }
  }

  /** PINGREQ: keeps the broker from dropping an idle connection after 1.5 × keepalive. */
  ping(): void {
    if (this.connected) this.#socket!.write(PINGREQ);
  }

  close(): void {
    const socket = this.#socket;
    if (socket === undefined || socket.destroyed) return;
    socket.end(DISCONNECT);
  }

  destroy(): void {
    this.#socket?.destroy();
  }
}
