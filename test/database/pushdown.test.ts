import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { mongo } from 'mongoose';
import { COMMUNITIES, DEMO_RESIDENT_ID, DONGXIAO_STREET, SHUIBEI } from '../../shared/dev/demo';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../shared/subgraph/subgraph-deps';
import { startGraph, type RunningGraph } from '../support/graph';

/**
 * Every query the subgraphs send while the contract's operations (and the main mutations) run is
 * collected through the driver's command monitoring, explained on the test run's FerretDB, and
 * must be pushed down to PostgreSQL or be an `_id` lookup: on FerretDB a filter that is not
 * pushed down reads and decodes the whole collection, so its cost grows with the data.
 *
 * What FerretDB 1.24 can push down, from its own source and `explain`: equality (and `$eq`, `$ne`)
 * on top-level scalar fields. Never `$in`, ranges, `$or`, dotted paths, or a sort other than
 * `$natural`; a limit only with neither filter nor sort. So the rule checked here is the filter's
 * (`filterPushdown`); `sortPushdown` and `limitPushdown` are reported beside it: a sorted or
 * limited query then sorts only the rows its pushed-down filter matched.
 *
 * Only meaningful on FerretDB over PostgreSQL (the default): on SQLite only `_id` equality is
 * pushed down, and MongoDB answers `explain` in its own way, so the file skips itself there.
 */
const backend = process.env.TEST_FERRETDB_BACKEND;
const onPostgres = backend === 'postgresql' && !process.env.TEST_MONGODB_URI_EXTERNAL;
const describeOnPg = onPostgres ? describe : describe.skip;

const CONTRACT = readFileSync(path.join(__dirname, '..', 'contract', 'operations.graphql'), 'utf8');
type Document = mongo.Document;
type CommandStartedEvent = mongo.CommandStartedEvent;

const READS = new Set(['find', 'aggregate', 'count', 'distinct']);
const WRITES = new Set(['update', 'delete', 'findAndModify']);

interface Sent {
  subgraph: SubgraphName;
  db: string;
  collection: string;
  command: string;
  filter: Document;
  sort?: Document;
  limit?: number;
  pipeline?: Document[];
  shape: string;
  operation: string;
}

/** The filter with every value replaced by its type, so one code path is one shape. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value instanceof Date) return 'Date';
  if (value && typeof value === 'object' && !('_bsontype' in value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  }
  return (value as { _bsontype?: string })?._bsontype ?? typeof value;
}

/** The filter of each kind of command the driver sends (writes: of their first statement). */
function filterOf(cmd: Document): { filter: Document; sort?: Document; limit?: number; pipeline?: Document[] } {
  if (cmd.find !== undefined) return { filter: cmd.filter ?? {}, sort: cmd.sort, limit: cmd.limit };
  if (cmd.aggregate !== undefined) {
    const first = cmd.pipeline?.[0];
    return { filter: first?.$match ?? {}, pipeline: cmd.pipeline };
  }
  if (cmd.count !== undefined) return { filter: cmd.query ?? {} };
  if (cmd.distinct !== undefined) return { filter: cmd.query ?? {} };
  if (cmd.findAndModify !== undefined) return { filter: cmd.query ?? {}, sort: cmd.sort };
  if (cmd.update !== undefined) return { filter: cmd.updates?.[0]?.q ?? {} };
  if (cmd.delete !== undefined) return { filter: cmd.deletes?.[0]?.q ?? {} };
  return { filter: {} };
}

/**
 * Reads of a whole reference collection, whose answer is every document: nothing to push down.
 * Each is fixed in size (the seed's places and catalogue, a city's parking lots: the scaled seed
 * multiplies residents and their records, not these), so its cost does not grow with the data.
 */
const WHOLE_REFERENCE_READS: Record<string, string> = {
  'requests communities.find {}': 'Communities lists every community',
  'requests responsibility_items.find {}': 'the responsibility list, matched in memory to classify a submission',
  'requests calendar_days.find {}': 'the working calendar (a few hundred days), reloaded whole into memory after an edit',
  // A loader batch of more than eight communities is one `$in` (shared/subgraph/loaders.ts): the
  // lots are a fixed reference set of a few hundred, read whole for a list spanning the city.
  'parking parking_lots.find {"communityCode":{"$in":["string"]}}': 'the lots of more than eight communities (an admin list across the city)',
  // Ranges are never pushed down by FerretDB 1.24; the lots are a fixed reference set.
  'parking parking_lots.find {"lat":{"$gte":"number","$lte":"number"},"lng":{"$gte":"number","$lte":"number"}}': 'the bounding box of a "near" search over the city\'s lots',
};

/** An `_id` lookup: equality on `_id`, or `$in` over `_id`s (a DataLoader batch of entities). */
function isIdLookup(filter: Document): boolean {
  const id = filter._id;
  if (id === undefined) return false;
  if (id && typeof id === 'object' && !('_bsontype' in id) && !(id instanceof Date)) {
    const ops = Object.keys(id);
    return ops.length === 1 && (ops[0] === '$in' || ops[0] === '$eq');
  }
  return true;
}

describeOnPg('every query path is pushed down on FerretDB over PostgreSQL', () => {
  let graph: RunningGraph;
  const sent: Sent[] = [];
  let operation = 'seed';

  beforeAll(async () => {
    graph = await startGraph();
    for (const subgraph of SUBGRAPH_NAMES) {
      graph.subgraphs[subgraph].db.conn.getClient().on('commandStarted', (event: CommandStartedEvent) => {
        const name = event.commandName;
        if (!READS.has(name) && !WRITES.has(name)) return;
        const cmd = event.command;
        const collection = String(cmd[name]);
        const { filter, sort, limit, pipeline } = filterOf(cmd);
        const shape = `${subgraph} ${collection}.${name} ${JSON.stringify(shapeOf(filter))}${sort && Object.keys(sort).length ? ` sort ${JSON.stringify(sort)}` : ''}${pipeline ? ` pipeline ${pipeline.map((s) => Object.keys(s)[0]).join(',')}` : ''}`;
        sent.push({ subgraph, db: event.databaseName, collection, command: name, filter, sort, limit, pipeline, shape, operation });
      });
    }
  }, 120000);

  afterAll(async () => {
    await graph?.stop();
  });

  async function run(name: string, variables: Record<string, unknown> = {}, token?: string) {
    operation = name;
    const res = await graph.query(CONTRACT, variables, token, name);
    expect(res.errors).toBeUndefined();
    return res;
  }

  it('explains every query the contract operations and the main mutations send', async () => {
    const resident = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
    const dongxiao = COMMUNITIES.find((c) => c.streetCode === DONGXIAO_STREET)!;
    sent.length = 0;
    await run('Communities');
    for (const c of COMMUNITIES.slice(0, 3)) await run('CommunityDashboard', { code: c.code });
    // A community with many lots (Dongxiao's have 50): its lots' free spaces in one query, not an `$in`.
    await run('CommunityDashboard', { code: dongxiao.code });
    const near = await run('NearbyParking', { lat: dongxiao.lat, lng: dongxiao.lng, radiusMeters: 1000 });
    await run('MyCity', {}, resident);
    // Not in the contract: the admin's newest-first list (month by month) and the city's figures.
    operation = 'admin request list';
    const admin = graph.token({ role: 'admin', subject: 'pushdown-admin' });
    const list = await graph.query('query { requests(limit: 100) { id submittedAt community { parkingLots { id freeSpacesNow } } } requestStats { received } }', {}, admin);
    expect(list.errors).toBeUndefined();
    expect(list.data.requests).toHaveLength(100);
    const times = list.data.requests.map((r: { submittedAt: string }) => Date.parse(r.submittedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    await run(
      'SubmitRequest',
      { input: { title: '水贝社区路灯不亮', description: '水贝二路路灯连续三晚不亮，夜间行人很多。', channel: 'I_SHENZHEN', communityCode: SHUIBEI, peopleInvolved: 3, idempotencyKey: 'pushdown-0001' } },
      resident,
    );
    const lot = near.data.parkingLotsNear[0];
    await run('ReserveParking', { lotId: lot.id, plate: '粤B7K321', arriveAt: new Date(Date.now() + 30 * 60000).toISOString() }, resident);
    await run('MyCity', {}, resident);
    // The second dashboard after the writes: counters and caches refreshed by the mutations.
    await run('CommunityDashboard', { code: SHUIBEI });
    // The working calendar: a year read, an admin's edit and its undoing (each reloads the calendar).
    operation = 'working calendar';
    const calendarOps = [
      ['query { workingCalendar(year: 2026) { workingDayCount days { date kind updatedBy } changes { date by } } }', {}],
      ['mutation($d: String!) { setCalendarDay(date: $d, kind: HOLIDAY, name: "下推测试") { year } }', { d: '2026-12-30' }],
      ['mutation($d: String!) { clearCalendarDay(date: $d) { year } }', { d: '2026-12-30' }],
    ] as const;
    for (const [query, variables] of calendarOps) expect((await graph.query(query, variables, admin)).errors).toBeUndefined();
    // Not in the contract: the boards' statistics (period figures, orders, 事办不成 root causes).
    operation = 'board statistics';
    const walkIn = await graph.query('mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id } }', { input: { title: '公租房申请被退回', description: '窗口说条件不符，想问清楚原因。', channel: 'WALK_IN', communityCode: SHUIBEI, itemCode: 'C02-05' } }, resident);
    expect(walkIn.errors).toBeUndefined();
    const recorded = await graph.query(`mutation { recordCannotDo(requestId: "${walkIn.data.submitRequest.id}", rootCause: CONDITION_NOT_MET, outcome: EXPLAINED) { id } }`, {}, admin);
    expect(recorded.errors).toBeUndefined();
    const today = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
    const boards = await graph.query(
      `{ city: requestStatsByPeriod(period: WEEK, from: "${today}", to: "${today}", by: CATEGORY) { received }
         street: requestStatsByPeriod(period: DAY, from: "${today}", to: "${today}", streetCode: "440303003") { received }
         orders: communityOrderStats(streetCode: "440303003") { onTimeRate }
         desk: cannotDoStats(streetCode: "440303003") { total topMatters { item { name } } } }`,
    );
    expect(boards.errors).toBeUndefined();

    // Open311 (issue 14): an app files a request (key, service, community, duplicate check) and
    // reads the public lists, month by month, by service and status, and one request.
    operation = 'Open311';
    const issued = await graph.query('mutation { issueOpen311ApiKey(appName: "pushdown-app") { apiKey } }', {}, admin);
    expect(issued.errors).toBeUndefined();
    const open311 = `${graph.gatewayUrl.replace(/\/graphql$/, '')}/open311/v2`;
    const filed = await fetch(`${open311}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: issued.data.issueOpen311ApiKey.apiKey, service_code: 'C01-01', description: '水贝二路路灯连续三晚不亮', address_id: SHUIBEI, email: 'a@example.com' }).toString(),
    });
    expect(filed.status).toBe(201);
    const [{ service_request_id: number }] = (await filed.json()) as Array<{ service_request_id: string }>;
    for (const rel of ['services.json', 'requests.json', 'requests.json?service_code=C01-01,C01-03&status=open', `requests/${number}.json`, `requests.json?service_request_id=${number}`]) {
      expect((await fetch(`${open311}/${rel}`)).status).toBe(200);
    }

    const byShape = new Map<string, Sent>();
    for (const s of sent) if (!byShape.has(s.shape)) byShape.set(s.shape, s);
    expect(byShape.size).toBeGreaterThan(5);

    const report: string[] = [];
    const failures: string[] = [];
    for (const s of byShape.values()) {
      const whole = WHOLE_REFERENCE_READS[s.shape.replace(/ sort .*$/, '')];
      if (whole) {
        report.push(`reference  ${s.shape}: ${whole}`);
        continue;
      }
      if (isIdLookup(s.filter)) {
        report.push(`id lookup  ${s.shape}`);
        continue;
      }
      const db = graph.subgraphs[s.subgraph].db.conn.getClient().db(s.db);
      // Writes are explained as the find of their filter: FerretDB selects what a write changes
      // with the same query (and pushdown) as a find.
      const explained = READS.has(s.command)
        ? s.command === 'aggregate'
          ? { aggregate: s.collection, pipeline: s.pipeline, cursor: {} }
          : s.command === 'find'
            ? { find: s.collection, filter: s.filter, ...(s.sort ? { sort: s.sort } : {}), ...(s.limit ? { limit: s.limit } : {}) }
            : { find: s.collection, filter: s.filter }
        : { find: s.collection, filter: s.filter };
      const plan = await db.command({ explain: explained });
      const line = `filter ${plan.filterPushdown ? 'pushed' : 'NOT pushed'}, sort ${plan.sortPushdown}, limit ${plan.limitPushdown}  ${s.shape}  (in ${s.operation})`;
      report.push(line);
      if (!plan.filterPushdown) failures.push(line);
    }
    console.log(`queries sent by the subgraphs (${sent.length} commands, ${byShape.size} shapes):\n${report.join('\n')}`);
    expect(failures).toEqual([]);
  }, 120000);
});

if (!onPostgres) it.skip(`pushdown is checked on FerretDB over PostgreSQL only (backend here: ${backend ?? 'external'})`, () => {});
