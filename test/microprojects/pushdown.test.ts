import type { mongo } from 'mongoose';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { startGraph, type RunningGraph } from '../support/graph';

/**
 * Every query the requests subgraph sends for micro-projects (the community panel, the figures at
 * every level, the whole lifecycle) is explained on the test run's FerretDB and must be pushed
 * down to PostgreSQL or be an `_id` lookup, as test/database/pushdown.test.ts checks for the
 * contract: a filter FerretDB does not push down reads the whole collection.
 */
const onPostgres = process.env.TEST_FERRETDB_BACKEND === 'postgresql' && !process.env.TEST_MONGODB_URI_EXTERNAL;
const describeOnPg = onPostgres ? describe : describe.skip;
const READS = new Set(['find', 'aggregate', 'count', 'distinct']);
const WRITES = new Set(['update', 'delete', 'findAndModify']);
/** Whole reference collections, fixed in size (the places): nothing to push down. */
const REFERENCE = new Set(['districts', 'streets', 'communities']);

function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value instanceof Date) return 'Date';
  if (value && typeof value === 'object' && !('_bsontype' in value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  return (value as { _bsontype?: string })?._bsontype ?? typeof value;
}

function filterOf(cmd: mongo.Document): mongo.Document {
  if (cmd.find !== undefined) return cmd.filter ?? {};
  if (cmd.count !== undefined || cmd.distinct !== undefined) return cmd.query ?? {};
  if (cmd.findAndModify !== undefined) return cmd.query ?? {};
  if (cmd.update !== undefined) return cmd.updates?.[0]?.q ?? {};
  if (cmd.delete !== undefined) return cmd.deletes?.[0]?.q ?? {};
  return cmd.pipeline?.[0]?.$match ?? {};
}

const isIdLookup = (filter: mongo.Document) => filter._id !== undefined && !(typeof filter._id === 'object' && filter._id && !('_bsontype' in filter._id) && Object.keys(filter._id).some((k) => k !== '$in' && k !== '$eq'));

describeOnPg('micro-project queries are pushed down on FerretDB over PostgreSQL', () => {
  let graph: RunningGraph;
  let now = new Date();
  const sent = new Map<string, { collection: string; filter: mongo.Document; db: string }>();

  beforeAll(async () => {
    graph = await startGraph({ now, clock: () => now });
    graph.subgraphs.requests.db.conn.getClient().on('commandStarted', (event: mongo.CommandStartedEvent) => {
      const name = event.commandName;
      if (!READS.has(name) && !WRITES.has(name)) return;
      const collection = String(event.command[name]);
      const filter = filterOf(event.command);
      sent.set(`${collection}.${name} ${JSON.stringify(shapeOf(filter))}`, { collection, filter, db: event.databaseName });
    });
  }, 120000);

  afterAll(async () => {
    await graph?.stop();
  });

  it('explains every query of the panel, the figures and the lifecycle', async () => {
    const q = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
      const res = await graph.query(query, variables, token);
      expect(res.errors).toBeUndefined();
      return res.data;
    };
    const resident = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
    const worker = graph.token({ role: 'community_worker', subject: 'worker', communityCode: SHUIBEI });
    const admin = graph.token({ role: 'admin', subject: 'admin' });
    sent.clear();
    const STATS = '{ count approved completed accepted approvedBudget spent }';
    await q(`{ microProjectStats ${STATS} district(code: "440303") { microProjectStats ${STATS} } street(code: "440303003") { microProjectStats ${STATS} } community(code: "${SHUIBEI}") { microProjectStats ${STATS} microProjects(limit: 20) { id title status votes { support oppose cast eligible passes mine } timeline { actor } } } }`, {}, resident);
    const p = (await q(`mutation($input: ProposeMicroProjectInput!) { proposeMicroProject(input: $input) { id } }`, { input: { communityCode: SHUIBEI, title: '楼道扶手', description: '加装扶手', category: 'ENGINEERING', estimatedBudget: 1000, idempotencyKey: 'pushdown-mp-1' } }, resident)).proposeMicroProject;
    await q(`mutation($id: ID!, $end: DateTime!) { openMicroProjectConsultation(id: $id, votingEndsAt: $end) { id } }`, { id: p.id, end: new Date(now.getTime() + 3 * 86400000).toISOString() }, worker);
    await q(`mutation($id: ID!) { voteOnMicroProject(id: $id, support: true) { id votes { cast mine } } }`, { id: p.id }, resident);
    now = new Date(now.getTime() + 4 * 86400000);
    await q(`mutation($id: ID!) { closeMicroProjectConsultation(id: $id) { id status } }`, { id: p.id }, admin);
    await q(`query($id: ID!) { microProject(id: $id) { id votes { cast } } }`, { id: p.id }, resident);

    const failures: string[] = [];
    for (const [shape, s] of sent) {
      if (REFERENCE.has(s.collection) || isIdLookup(s.filter)) continue;
      const plan = await graph.subgraphs.requests.db.conn.getClient().db(s.db).command({ explain: { find: s.collection, filter: s.filter } });
      if (!plan.filterPushdown) failures.push(shape);
    }
    console.log(`micro-project query shapes:\n${[...sent.keys()].join('\n')}`);
    expect(sent.size).toBeGreaterThan(5);
    expect(failures).toEqual([]);
  }, 120000);
});

describe('micro-project lists cost a bounded number of commands', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph();
  }, 120000);
  afterAll(async () => {
    await graph?.stop();
  });

  it('reads every community with its projects, votes and figures in no more commands for 18 communities than for 2', async () => {
    const requests = graph.subgraphs.requests.db;
    const LIST = '{ communities(districtCode: $d) { code microProjectStats { count spent } microProjects(limit: 5) { id status votes { cast eligible } } } }';
    const cost = async (district: string | null) => {
      requests.counter.reset();
      const res = await graph.query(`query($d: ID) ${LIST}`, { d: district });
      expect(res.errors).toBeUndefined();
      return { communities: res.data.communities.length, projects: res.data.communities.reduce((n: number, c: any) => n + c.microProjects.length, 0), commands: requests.counter.total };
    };
    const few = await cost('440311'); // Guangming: 2 communities
    const all = await cost(null); // the city: 18
    expect(all.projects).toBe(all.communities * 5);
    expect(all.projects).toBeGreaterThan(few.projects * 5);
    // Batched per tick: a batch of up to 8 keys is one pushed-down query per key, a longer one a
    // single query, so the city's 18 communities cost no more than a district's few.
    expect(few.communities).toBe(2);
    expect(all.commands).toBeLessThanOrEqual(few.commands);
    expect(all.commands).toBeLessThanOrEqual(8);
  }, 60000);
});

if (!onPostgres) it.skip('pushdown is checked on FerretDB over PostgreSQL only', () => {});
