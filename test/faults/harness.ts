/**
 * Real-process harness for the fault tests: its own FerretDB (temporary directory, free port), the
 * subgraphs and the gateway as child processes (`node --import tsx …`) on free ports, exactly as
 * `npm start` runs them, and handles to kill -9, SIGTERM, SIGSTOP (hang), SIGCONT and restart any
 * of them. Nothing is mocked and nothing runs in the jest worker but the clients.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signUserToken, type Viewer } from '../../shared/platform/auth';
import { DEVELOPMENT_JWT_SECRET } from '../../shared/platform/config';
import { connectDatabase, databaseName, type Database } from '../../shared/platform/db';
import { freePort, startFerret, type FerretInstance } from '../../shared/dev/ferret';
import { ROOT_DIR } from '../../shared/platform/schema';
import { seedAll } from '../../shared/dev/seed-runner';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../shared/subgraph/subgraph-deps';

export type ProcessName = SubgraphName | 'gateway' | `${SubgraphName}-${string}`;

export interface GraphQLAnswer<T = any> {
  status: number;
  ms: number;
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

/** Polls `check` until it returns a truthy value (or stops throwing); fails with the last reason. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as T;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One child process of the graph, restartable with the same port and environment. */
export class ManagedProcess {
  proc?: ChildProcess;
  /** The last output lines (stdout and stderr), for failure messages. */
  output: string[] = [];
  exits: Array<{ code: number | null; signal: NodeJS.Signals | null; at: number }> = [];

  constructor(
    readonly name: ProcessName,
    readonly file: string,
    readonly port: number,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get running(): boolean {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Starts the process and waits until its `/health` answers 200. */
  async start(timeoutMs = 45000): Promise<void> {
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.env };
    delete env.JEST_WORKER_ID; // the logger is silent under jest; children log like in production
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, this.file)], {
      cwd: ROOT_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    const keep = (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (line.trim()) this.output.push(line.slice(0, 400));
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    proc.once('exit', (code, signal) => this.exits.push({ code, signal, at: Date.now() }));
    await waitFor(
      `${this.name} to answer /health on ${this.port}`,
      async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          throw new Error(`${this.name} exited (${proc.signalCode ?? proc.exitCode}) while starting:\n${this.output.slice(-20).join('\n')}`);
        }
        const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(1000) });
        return res.ok;
      },
      timeoutMs,
      150,
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n--- ${this.name} output ---\n${this.output.slice(-30).join('\n')}`);
    });
  }

  signal(sig: NodeJS.Signals): void {
    if (this.proc?.pid && this.running) process.kill(this.proc.pid, sig);
  }

  /** Resolves with the exit of the current process (immediately when it has already exited). */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const proc = this.proc;
    if (!proc) return Promise.resolve({ code: null, signal: null });
    if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve({ code: proc.exitCode, signal: proc.signalCode });
    return new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** kill -9, and waits for the exit. */
  async kill(): Promise<void> {
    const exit = this.exited();
    this.signal('SIGCONT');
    this.signal('SIGKILL');
    await exit;
  }

  /** SIGTERM and waits for the exit (SIGKILL after `graceMs`). */
  async terminate(graceMs = 15000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const exit = this.exited();
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const result = await exit;
    clearTimeout(timer);
    return result;
  }

  async restart(): Promise<void> {
    if (this.running) await this.kill();
    await this.start();
  }
}

export interface FaultGraphOptions {
  /** Subgraphs to run as processes (default all four). */
  subgraphs?: SubgraphName[];
  /** Run the gateway too (default true). */
  gateway?: boolean;
  /** Extra environment for every process. */
  env?: NodeJS.ProcessEnv;
  /** Extra environment for the gateway. */
  gatewayEnv?: NodeJS.ProcessEnv;
  /** Seed the demo data first (default true). */
  seed?: boolean;
}

/** A whole graph of real processes on its own FerretDB. */
export class FaultGraph {
  ferret!: FerretInstance;
  dir!: string;
  prefix = `fault_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
  processes = new Map<string, ManagedProcess>();
  gateway?: ManagedProcess;
  private dbs = new Map<string, Database>();
  private baseEnv: NodeJS.ProcessEnv = {};

  static async start(options: FaultGraphOptions = {}): Promise<FaultGraph> {
    const graph = new FaultGraph();
    await graph.boot(options);
    return graph;
  }

  private ports: Record<string, string> = {};

  private async boot(options: FaultGraphOptions): Promise<void> {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'citygraph-faults-'));
    this.ferret = await startFerret(this.dir, 0);
    if (options.seed !== false) await seedAll(this.ferret.uri, this.prefix);
    const names = options.subgraphs ?? [...SUBGRAPH_NAMES];
    this.baseEnv = {
      NODE_ENV: 'development',
      APOLLO_TELEMETRY_DISABLED: '1',
      LOG_LEVEL: process.env.FAULT_LOG_LEVEL ?? 'warn',
      MONGODB_URI: this.ferret.uri,
      MONGODB_DB_PREFIX: this.prefix,
      MONGODB_TIMEOUT_MS: '1000',
      HOST: '127.0.0.1',
      ...options.env,
    };
    const ports: Record<string, string> = {};
    for (const name of names) ports[`${name.toUpperCase()}_PORT`] = String(await freePort());
    // Every subgraph learns every other's port: writes check references at their owner.
    this.ports = ports;
    await Promise.all(names.map((name) => this.addSubgraph(name, name, Number(ports[`${name.toUpperCase()}_PORT`]))));
    if (options.gateway !== false) {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = {
        ...this.baseEnv,
        PORT: String(port),
        SUPERGRAPH_PATH: 'schema/supergraph.graphql',
        SUPERGRAPH_WATCH: 'off',
        SCHEMA_REGISTRY: 'off',
        RATE_LIMIT_MAX: '0',
        // These tests watch every answer go through the subgraph fetch path while a subgraph fails;
        // a replayed answer (within its 5 s hint) would hide the fault they provoke.
        RESPONSE_CACHE: 'off',
        SUBGRAPH_TIMEOUT_MS: '1500',
        CIRCUIT_FAILURE_THRESHOLD: '5',
        CIRCUIT_COOLDOWN_MS: '1000',
        ...options.gatewayEnv,
      };
      for (const name of SUBGRAPH_NAMES) {
        const p = this.processes.get(name);
        // A subgraph not run here points at a closed port: the gateway answers for it as unavailable.
        env[`SUBGRAPH_${name.toUpperCase()}_URL`] = p ? `${p.url}/graphql` : `http://127.0.0.1:9/graphql`;
      }
      this.gateway = new ManagedProcess('gateway', 'gateway/index.ts', port, env);
      this.processes.set('gateway', this.gateway);
      await this.gateway.start();
    }
  }

  /** Starts one more subgraph process (a replica when `id` differs from `name`) on `port`. */
  async addSubgraph(name: SubgraphName, id: string, port?: number, env: NodeJS.ProcessEnv = {}): Promise<ManagedProcess> {
    const actual = port ?? (await freePort());
    const p = new ManagedProcess(id as ProcessName, `subgraphs/${name}/index.ts`, actual, {
      ...this.baseEnv,
      ...this.ports,
      [`${name.toUpperCase()}_PORT`]: String(actual),
      ...env,
    });
    this.processes.set(id, p);
    await p.start();
    return p;
  }

  get(name: string): ManagedProcess {
    const p = this.processes.get(name);
    if (!p) throw new Error(`no process ${name}`);
    return p;
  }

  get gatewayUrl(): string {
    return `${this.gateway!.url}/graphql`;
  }

  /** A bearer token signed with the development secret the processes use. */
  token(viewer: Viewer): string {
    return signUserToken(viewer, DEVELOPMENT_JWT_SECRET);
  }

  residentToken(residentId: string): string {
    return this.token({ role: 'resident', subject: residentId, residentId });
  }

  /** Sends an operation to the gateway; never throws for HTTP errors (status 0 when unreachable). */
  async query<T = any>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
    options: { timeoutMs?: number; signal?: AbortSignal; url?: string } = {},
  ): Promise<GraphQLAnswer<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const started = Date.now();
    try {
      const res = await fetch(options.url ?? this.gatewayUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
        signal: options.signal ?? AbortSignal.timeout(options.timeoutMs ?? 15000),
      });
      const text = await res.text();
      let body: { data?: T; errors?: GraphQLAnswer['errors'] } = {};
      try {
        body = JSON.parse(text);
      } catch {
        body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}`, extensions: { code: 'NOT_JSON' } }] };
      }
      return { status: res.status, ms: Date.now() - started, data: body.data, errors: body.errors };
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      return { status: 0, ms: Date.now() - started, errors: [{ message: `${(err as Error).message}${cause ? ` (${cause})` : ""}`, extensions: { code: "CLIENT_ERROR" } }] };
    }
  }

  async getJson(url: string): Promise<{ status: number; body: any }> {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      return { status: res.status, body: await res.json().catch(() => undefined) };
    } catch (err) {
      return { status: 0, body: (err as Error).message };
    }
  }

  /** A direct connection to one subgraph's database (for asserting what was written). */
  async db(name: SubgraphName): Promise<Database> {
    let db = this.dbs.get(name);
    if (!db) {
      db = await connectDatabase({ uri: this.ferret.uri, dbName: databaseName(this.prefix, name), timeoutMs: 5000 });
      this.dbs.set(name, db);
    }
    return db;
  }

  /** Stops FerretDB (SIGTERM), keeping its data directory. */
  async stopDatabase(): Promise<void> {
    await this.ferret.stop();
  }

  /** Starts FerretDB again on the same port and data directory. */
  async startDatabase(): Promise<void> {
    this.ferret = await startFerret(this.dir, this.ferret.port);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.kill().catch(() => {})));
    for (const db of this.dbs.values()) await db.close().catch(() => {});
    await this.ferret?.stop().catch(() => {});
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The first error code of an answer. */
export function codeOf(answer: GraphQLAnswer): string | undefined {
  return answer.errors?.[0]?.extensions?.code;
}

/** Every error code of an answer. */
export function codesOf(answer: GraphQLAnswer): string[] {
  return (answer.errors ?? []).map((e) => String(e.extensions?.code ?? 'NONE'));
}

/** Operations of the contract the fault tests drive. */
export const OPS = {
  dashboard: `query CommunityDashboard($code: ID!) {
    community(code: $code) {
      code name street { name district { name } }
      requestStats { received resolved resolutionRate overdueLevel1 }
      parkingLots { id name freeSpacesNow }
      hostels { id name freeBeds }
      volunteerStations { id name }
      volunteerHoursThisMonth
    }
  }`,
  nearbyParking: `query NearbyParking($lat: Float!, $lng: Float!, $radiusMeters: Int!) {
    parkingLotsNear(lat: $lat, lng: $lng, radiusMeters: $radiusMeters, onlyAvailable: false) {
      id name distanceMeters freeSpacesNow pricePerHour currentWindow { startsAt endsAt }
      community { name } openRequests { id title status }
    }
  }`,
  myCity: `query MyCity {
    me {
      id name
      requests(open: true) { id title status level dueAt }
      parkingReservations(upcoming: true) { id status entryWindowStart entryWindowEnd lot { name } }
      hostelStays { id status nightsLeft hostel { name } }
      volunteerProfile { verifiedHours starLevel hoursToNextStar }
    }
  }`,
  submitRequest: `mutation SubmitRequest($input: SubmitRequestInput!) {
    submitRequest(input: $input) { id status level dueAt }
  }`,
  reserveParking: `mutation ReserveParking($lotId: ID!, $plate: String!, $arriveAt: DateTime!, $key: String) {
    reserveParking(lotId: $lotId, plate: $plate, arriveAt: $arriveAt, idempotencyKey: $key) { id status entryWindowStart entryWindowEnd }
  }`,
  applyForHostel: `mutation ApplyForHostel($input: ApplyForHostelInput!) { applyForHostel(input: $input) { id status } }`,
  registerVolunteer: `mutation { registerVolunteer { verifiedHours } }`,
  signUpForShift: `mutation SignUp($shiftId: ID!, $key: String) { signUpForShift(shiftId: $shiftId, idempotencyKey: $key) { id status } }`,
};
