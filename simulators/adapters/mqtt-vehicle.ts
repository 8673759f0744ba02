/**
 * One collection vehicle as a real MQTT client (issue 13's closed loop): it logs in with its own
 * credentials, subscribes to its plan topic and hands each valid VehiclePlan on. It publishes
 * nothing: the boxes it empties report the collections.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { VehiclePlan, vehiclePlanTopic } from '../../shared/contracts/index.ts';
import { connectOnce } from './first-connack.ts';

export interface MqttVehicleOptions {
  url: string;
  vehicleId: string;
  secret: string;
  onPlan: (plan: VehiclePlan) => void;
  /** A payload on the plan topic that is not this vehicle's VehiclePlan. */
  onBadPlan: (vehicleId: string, reason: string) => void;
  /** The broker refused the login or the plan subscription: the vehicle gives up. */
  onRefused: (vehicleId: string, reason: string) => void;
  /** Other connection errors; mqtt.js keeps reconnecting after them. */
  onError?: (vehicleId: string, error: Error) => void;
  connectTimeoutMs?: number;
}

/** CONNACK codes that mean "not you" (MQTT 3.1.1: 4, 5; MQTT 5: 134, 135), not "try later". */
const REFUSED_LOGIN = new Set([4, 5, 134, 135]);
/** SUBACK's failure code (MQTT 3.1.1); MQTT 5 codes from 0x80 up are failures too. */
const SUBSCRIBE_FAILED = 0x80;

/** Why the payload is not this vehicle's plan, or its plan. */
export function parseVehiclePlan(vehicleId: string, payload: Buffer): { plan: VehiclePlan } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return { error: 'not JSON' };
  }
  const parsed = VehiclePlan.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: `not a VehiclePlan: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  if (parsed.data.route.vehicleId !== vehicleId) return { error: `a route for ${parsed.data.route.vehicleId}` };
  return { plan: parsed.data };
}

export class MqttVehicle {
  readonly vehicleId: string;
  readonly #client: MqttClient;
  readonly #options: MqttVehicleOptions;
  #online = false;
  #refused = false;

  constructor(options: MqttVehicleOptions) {
    this.#options = options;
    this.vehicleId = options.vehicleId;
    const topic = vehiclePlanTopic(options.vehicleId);
    const clientOptions: IClientOptions = {
      clientId: options.vehicleId,
      username: options.vehicleId,
      password: options.secret,
      clean: true,
      keepalive: 60,
      reconnectPeriod: 2_000 + Math.floor(Math.random() * 3_000),
      connectTimeout: options.connectTimeoutMs ?? 15_000,
      // Subscribed anew on every connect (below); the retained plan then comes again, and the
      // vehicle's rounds know it by its planId.
      resubscribe: false,
      manualConnect: true,
    };
    this.#client = mqtt.connect(options.url, clientOptions);
    this.#client.on('connect', () => {
      this.#online = true;
      this.#client.subscribe(topic, { qos: 1 }, (error, granted) => {
        if (error) return void options.onError?.(this.vehicleId, error);
        const code = granted?.[0]?.qos ?? SUBSCRIBE_FAILED;
        if (code >= SUBSCRIBE_FAILED) this.#refuse(`subscription to ${topic} refused`);
      });
    });
    this.#client.on('close', () => {
      this.#online = false;
    });
    this.#client.on('message', (_topic, payload) => {
      const result = parseVehiclePlan(this.vehicleId, payload);
      if ('error' in result) options.onBadPlan(this.vehicleId, result.error);
      else options.onPlan(result.plan);
    });
    this.#client.on('error', (error) => {
      const code = (error as Error & { code?: unknown }).code;
      if (typeof code === 'number' && REFUSED_LOGIN.has(code)) this.#refuse(error.message);
      else options.onError?.(this.vehicleId, error);
    });
  }

  get connected(): boolean {
    return this.#online;
  }

  /** Login or subscription refused: the vehicle stays parked. */
  get refused(): boolean {
    return this.#refused;
  }

  /** Connects; resolves true on the first CONNACK accepted, false on refusal, error or timeout. */
  start(timeoutMs = 15_000): Promise<boolean> {
    return connectOnce(this.#client, timeoutMs);
  }

  async shutdown(timeoutMs = 3_000): Promise<void> {
    this.#client.options.reconnectPeriod = 0;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#client.endAsync().catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  #refuse(reason: string): void {
    if (this.#refused) return;
    this.#refused = true;
    this.#client.options.reconnectPeriod = 0;
    this.#client.end(true);
    this.#options.onRefused(this.vehicleId, reason);
  }
}
