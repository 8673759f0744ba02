/**
 * In-memory fakes of the ports the HTTP API consumes, and a helper that builds the API over
 * them. The real adapters are tested in their own services; these only need to honour the
 * port contracts.
 */
import { Registry } from 'prom-client';
import {
  DEAD_LETTER_REASONS,
  NewDevice,
  type DeadLetter,
  type DeadLetterReason,
  type Device,
  type DeviceState,
  type SeriesPoint,
  type TonnageRow,
} from '../../shared/contracts/index.ts';
import { FleetError, type DeviceFilter, type FleetRegistry, type ProvisionedDevice } from '../../services/fleet/core/registry.ts';
import type { DeadLetterReader, DeviceStateReader } from '../../services/ingest/core/ports.ts';
import type {
  CollectionRecord,
  ParticipationQuery,
  ParticipationRow,
  SortingReportRecord,
  TimeRange,
  TimeSeriesStore,
  TonnageQuery,
  WeighTicketRecord,
} from '../../services/timeseries/core/store.ts';
import type { TokenEndedListener, TokenInfo, TokenStore } from '../../services/api/core/token-store.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import { buildTonnageReport } from '../../services/timeseries/core/tonnage.ts';
import { storeLedgerSource } from '../../services/ledger/adapters/store-source.ts';
import { LedgerService } from '../../services/ledger/ledger-service.ts';
import { buildApi } from '../../services/api/server.ts';
import { emptyDeviceState } from '../../shared/contracts/index.ts';
import { FakeAlertService } from './alert-fakes.ts';
import { ForecastService } from '../../services/planning/forecast-service.ts';
import pino from 'pino';
import type { Plan, TransferStation, Vehicle } from '../../shared/contracts/index.ts';
import type { PlanStore } from '../../services/planning/core/plan-store.ts';
import { PlanService } from '../../services/planning/plan-service.ts';
import type { CollectionLog, LoggedCollection } from '../../services/planning/core/collection-log.ts';
import { ProgressService } from '../../services/planning/progress-service.ts';

export function makeDevice(id: string, overrides: Partial<Device> = {}): Device {
  const kind = overrides.kind ?? 'box';
  return {
    id,
    kind,
    name: `Device ${id}`,
    lat: 31.78,
    lon: 119.97,
    subdistrict: 'tianning',
    community: 'Qingfeng',
    address: '1 Test Road',
    compartments: kind === 'box' ? [{ category: 'paper', capacityKg: 120 }, { category: 'plastic', capacityKg: 80 }] : [],
    cameraPointType: kind === 'camera' ? 'road' : null,
    installedOn: '2025-03-01',
    gridCell: 'TN-01-03',
    responsiblePerson: 'Wang Fang',
    ...overrides,
  };
}

export function makeState(overrides: Partial<DeviceState> = {}): DeviceState {
  return { ...emptyDeviceState(), online: true, lastSeen: '2026-05-01T00:00:00.000Z', messagesReceived: 7, ...overrides };
}

export class FakeRegistry implements FleetRegistry {
  readonly devices = new Map<string, Device>();
  /** Fields a careless store might add to its records; responses must never carry them. */
  constructor(devices: Device[] = [], private readonly extraFields: Record<string, unknown> = {}) {
    for (const d of devices) this.devices.set(d.id, d);
  }
  private leak(device: Device): Device {
    return { ...device, ...this.extraFields };
  }
  kindOf(id: string) {
    return this.devices.get(id)?.kind;
  }
  verifySecret() {
    return false;
  }
  get(id: string) {
    const d = this.devices.get(id);
    return d && this.leak(d);
  }
  list(filter: DeviceFilter = {}) {
    return [...this.devices.values()]
      .filter((d) => (filter.kind === undefined || d.kind === filter.kind) && (filter.subdistrict === undefined || d.subdistrict === filter.subdistrict))
      .map((d) => this.leak(d));
  }
  count() {
    return this.devices.size;
  }
  add(input: NewDevice): ProvisionedDevice {
    const device = NewDevice.parse(input);
    if (this.devices.has(device.id)) throw new FleetError('DEVICE_EXISTS', `device ${device.id} exists`);
    if (device.kind === 'box' && device.compartments.length === 0) {
      throw new FleetError('INVALID_DEVICE', 'a box needs at least one compartment');
    }
    this.devices.set(device.id, device);
    return { device: this.leak(device), secret: `secret-of-${device.id}-0123456789` };
  }
  addMany(inputs: NewDevice[]) {
    return inputs.map((d) => this.add(d));
  }
  rotateSecret(): string {
    throw new Error('not used by the API');
  }
  remove(id: string) {
    return this.devices.delete(id);
  }
}

export class FakeDeviceStates implements DeviceStateReader {
  constructor(readonly states = new Map<string, DeviceState>()) {}
  get(id: string) {
    return this.states.get(id);
  }
  all() {
    return this.states;
  }
}

export class FakeDeadLetters implements DeadLetterReader {
  readonly recentCalls: { limit: number; reason?: DeadLetterReason }[] = [];
  constructor(
    private readonly letters: DeadLetter[] = [],
    private readonly countOverrides: Partial<Record<DeadLetterReason, number>> = {},
  ) {}
  counts() {
    const counts = Object.fromEntries(DEAD_LETTER_REASONS.map((r) => [r, 0])) as Record<DeadLetterReason, number>;
    for (const l of this.letters) counts[l.reason] += 1;
    return { ...counts, ...this.countOverrides };
  }
  recent(limit: number, reason?: DeadLetterReason) {
    this.recentCalls.push({ limit, ...(reason !== undefined && { reason }) });
    return this.letters.filter((l) => reason === undefined || l.reason === reason).slice(0, limit);
  }
}

export class FakeTimeSeries implements TimeSeriesStore {
  readonly seriesCalls: { deviceId: string; range: TimeRange; limit: number }[] = [];
  readonly tonnageCalls: TonnageQuery[] = [];
  constructor(
    public series: SeriesPoint[] = [],
    public tonnageRows: TonnageRow[] = [],
  ) {}
  async write() {}
  async deviceSeries(deviceId: string, range: TimeRange, limit: number) {
    this.seriesCalls.push({ deviceId, range, limit });
    return this.series;
  }
  async tonnage(query: TonnageQuery) {
    this.tonnageCalls.push(query);
    return this.tonnageRows.filter(
      (r) => r.day >= query.fromDay && r.day <= query.toDay && (query.subdistrict === undefined || r.subdistrict === query.subdistrict),
    );
  }
  /** The mass balance's rows (issue 14): set them, the reads filter them by range. */
  readonly chain: { weighTickets: WeighTicketRecord[]; sortingReports: SortingReportRecord[]; collections: CollectionRecord[] } = {
    weighTickets: [],
    sortingReports: [],
    collections: [],
  };
  async weighTickets(range: TimeRange) {
    return this.chain.weighTickets.filter((r) => r.ts >= range.from && r.ts < range.to);
  }
  async sortingReports(range: TimeRange) {
    return this.chain.sortingReports.filter((r) => r.ts >= range.from && r.ts < range.to);
  }
  async collections(range: TimeRange) {
    return this.chain.collections.filter((r) => r.ts >= range.from && r.ts < range.to);
  }
  /** Participation (issue 14): answers each query with participationOf(query); the queries are kept. */
  participationOf: (query: ParticipationQuery) => ParticipationRow[] = () => [];
  readonly participationCalls: ParticipationQuery[] = [];
  async participation(query: ParticipationQuery) {
    this.participationCalls.push(query);
    return this.participationOf(query);
  }
  async close() {}
}

export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, TokenInfo & { token: string }>();
  private readonly listeners = new Set<TokenEndedListener>();
  private next = 1;
  verify(token: string) {
    for (const t of this.tokens.values()) if (t.token === token) return { id: t.id, role: t.role, name: t.name, expiresAt: null };
    return undefined;
  }
  create(role: TokenInfo['role'], name: string) {
    const id = `tok_${this.next++}`;
    const token = `bp_test_${id}_${'x'.repeat(24)}`;
    this.tokens.set(id, { id, role, name, token, createdAt: '2026-05-01T00:00:00.000Z', expiresAt: null });
    return { id, token, expiresAt: null };
  }
  list() {
    return [...this.tokens.values()].map(({ token: _secret, ...info }) => info);
  }
  revoke(id: string) {
    if (!this.tokens.delete(id)) return false;
    for (const listener of [...this.listeners]) listener(id, 'revoked');
    return true;
  }
  ensureAdminToken(): never {
    throw new Error('not used by the API');
  }
  onTokenEnded(listener: TokenEndedListener) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  sweepExpired() {
    return [];
  }
}

/** Plans in memory; the same contract as the SQLite store (tests/integration/planning/sqlite-plan-store.test.ts). */
export class MemoryPlanStore implements PlanStore {
  readonly plans: Plan[] = [];
  save(plan: Plan): void {
    if (this.get(plan.id)) throw new Error(`plan '${plan.id}' exists`);
    this.plans.push(structuredClone(plan));
  }
  get(id: string): Plan | undefined {
    return this.plans.find((p) => p.id === id);
  }
  listByDate(date: string): Plan[] {
    return this.plans
      .filter((p) => p.shift.date === date)
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id));
  }
  latestByVehicle(): Map<string, Plan> {
    const latest = new Map<string, Plan>();
    const oldestFirst = [...this.plans].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : 1));
    for (const plan of oldestFirst) for (const route of plan.routes) latest.set(route.vehicleId, plan);
    return latest;
  }
}

/** Collections in memory; the same contract as the SQLite log (tests/integration/planning/progress-collection-log.test.ts). */
export class MemoryCollectionLog implements CollectionLog {
  readonly rows: LoggedCollection[] = [];
  record(collection: LoggedCollection): boolean {
    if (this.rows.some((r) => r.deviceId === collection.deviceId && r.eventId === collection.eventId)) return false;
    this.rows.push(structuredClone(collection));
    return true;
  }
  between(fromMs: number, toMs: number): LoggedCollection[] {
    return this.rows
      .filter((r) => r.atMs >= fromMs && r.atMs <= toMs)
      .sort((a, b) => a.atMs - b.atMs || a.deviceId.localeCompare(b.deviceId) || a.eventId.localeCompare(b.eventId))
      .map((r) => structuredClone(r));
  }
  prune(beforeMs: number): number {
    const kept = this.rows.filter((r) => r.atMs >= beforeMs);
    const deleted = this.rows.length - kept.length;
    this.rows.splice(0, this.rows.length, ...kept);
    return deleted;
  }
}

/** Transfer stations and vehicles for the planner; tests push what they need. */
export class FakeSites {
  readonly stations: TransferStation[] = [];
  readonly vehicles: Vehicle[] = [];
  listStations(): TransferStation[] {
    return [...this.stations];
  }
  listVehicles(): Vehicle[] {
    return [...this.vehicles];
  }
}

/** 2026-05-10T04:00:00Z is 12:00 in Changzhou (UTC+8). */
export const FIXED_NOW = Date.parse('2026-05-10T04:00:00Z');

export interface TestApi {
  deps: ApiDeps;
  registry: FakeRegistry;
  states: FakeDeviceStates;
  deadLetters: FakeDeadLetters;
  timeseries: FakeTimeSeries;
  tokens: TokenStore;
  alerts: FakeAlertService;
  forecasts: ForecastService;
  /** The plan service's stations and vehicles (unless plans were overridden). */
  sites: FakeSites;
  /** The progress service's collections (unless planProgress was overridden). */
  collections: MemoryCollectionLog;
  /** Authorization header values, one per role. */
  auth: Record<'operator' | 'engineer' | 'manager' | 'admin', { authorization: string }>;
}

/** Fakes everywhere unless overridden; tokens default to an in-memory store with one token per role. */
export async function buildTestApi(overrides: Partial<ApiDeps> = {}) {
  const registry = (overrides.registry as FakeRegistry | undefined) ?? new FakeRegistry();
  const states = (overrides.deviceState as FakeDeviceStates | undefined) ?? new FakeDeviceStates();
  const deadLetters = (overrides.deadLetters as FakeDeadLetters | undefined) ?? new FakeDeadLetters();
  const timeseries = (overrides.timeseries as FakeTimeSeries | undefined) ?? new FakeTimeSeries();
  const tokens = overrides.tokens ?? new MemoryTokenStore();
  const alerts = (overrides.alerts as FakeAlertService | undefined) ?? new FakeAlertService();
  // The real service: pure in memory, fed by tests through observe().
  const forecasts =
    (overrides.forecasts as ForecastService | undefined) ??
    new ForecastService({ registry, fullLevelFor: () => 0.9, utcOffsetMinutes: 480, now: overrides.now ?? (() => FIXED_NOW), logger: pino({ level: 'silent' }) });
  const sites = new FakeSites();
  let planCount = 0;
  const plans =
    overrides.plans ??
    new PlanService({
      boxes: registry,
      sites,
      forecasts,
      store: new MemoryPlanStore(),
      utcOffsetMinutes: 480,
      now: overrides.now ?? (() => FIXED_NOW),
      newId: () => `pln_test${++planCount}`,
    });
  const collections = new MemoryCollectionLog();
  const planProgress =
    overrides.planProgress ??
    new ProgressService({
      plans,
      log: collections,
      boxes: registry,
      forecasts,
      // The missed-stop check is not run behind the API; tests of it give it an alert engine.
      alerts: { applySystemCommands: () => {} },
      utcOffsetMinutes: 480,
      now: overrides.now ?? (() => FIXED_NOW),
    });
  const bearer = (role: 'operator' | 'engineer' | 'manager' | 'admin') => ({
    authorization: `Bearer ${tokens.create(role, `test ${role}`).token}`,
  });
  const auth = { operator: bearer('operator'), engineer: bearer('engineer'), manager: bearer('manager'), admin: bearer('admin') };
  const deps: ApiDeps = {
    registry,
    deviceState: states,
    deadLetters,
    timeseries,
    buildTonnageReport,
    tokens,
    alerts,
    forecasts,
    plans,
    planProgress,
    // The real mass balance over the fake store's records (tests fill timeseries.chain).
    massBalance: new LedgerService({
      source: storeLedgerSource({ store: timeseries, vehicles: () => sites.listVehicles(), siteKind: (id) => (sites.listStations().some((s) => s.id === id) ? 'transfer_station' : null) }),
      alerts: { applySystemCommands: () => {}, list: () => ({ total: 0, items: [] }) },
      utcOffsetMinutes: 480,
      now: overrides.now ?? (() => FIXED_NOW),
    }),
    metrics: new Registry(),
    health: () => ({ mqttConnectedDevices: 3, uptimeS: 42 }),
    utcOffsetMinutes: 480,
    now: () => FIXED_NOW,
    logger: false,
    ...overrides,
  };
  const app = await buildApi(deps);
  return { app, deps, registry, states, deadLetters, timeseries, tokens, alerts, forecasts, sites, collections, auth } satisfies TestApi & { app: unknown };
}
