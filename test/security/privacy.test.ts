import type { Client } from 'graphql-ws';
import { Types } from 'mongoose';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { DEFAULT_UNMASK_DAYS_AFTER_CLOSE } from '../../shared/subgraph/privacy';
import { createModels } from '../../subgraphs/requests/models';
import { gatewayOptions } from '../support/gateway';
import { startGraph, type RunningGraph } from '../support/graph';
import { untilUpstreamStreams, wsClientOf } from '../support/live';
import { adminViewer, gql, staffViewer } from '../support/subgraph';

/**
 * Personal data at every seam, through the gateway over the real graph: what anonymous callers
 * see of people, who sees timeline actors (in queries and subscription events), when staff see a
 * resident's phone and ID number whole, and that every whole read is logged once per request,
 * also when the gateway shares identical subgraph fetches.
 */
const DAY_MS = 86_400_000;
const R4 = 'R-0004';
const R4_PHONE = '15012345678';
const R4_ID = '440311200106061111';

let graph: RunningGraph;
/** The subgraphs' clock: the real time unless a test sets it. */
let now: Date | null = null;
let adminToken: string;
let staffToken: string;

beforeAll(async () => {
  graph = await startGraph({ clock: () => now ?? new Date() });
  adminToken = graph.token(adminViewer);
  staffToken = graph.token(staffViewer('LH-URBAN'));
}, 120_000);
afterAll(() => graph?.stop());

function expectNoErrors(res: { errors?: unknown }) {
  expect(res.errors).toBeUndefined();
}

describe('anonymous callers see no people on public types', () => {
  const TEAMS = '{ volunteerTeams { id memberCount members { id name phone idNumber homeCommunity { code } } } }';
  const STATIONS = '{ volunteerStations { id ledger(limit: 10) { id volunteer { id name } } openingHours { onDuty { id } } onDutyNow { id } } }';

  it('team members are a count for anonymous callers, residents for signed-in ones', async () => {
    const anonymous = await graph.query(TEAMS);
    expectNoErrors(anonymous);
    const teams = anonymous.data.volunteerTeams as Array<{ memberCount: number; members: unknown[] }>;
    expect(teams.some((t) => t.memberCount > 0)).toBe(true);
    for (const t of teams) expect(t.members).toEqual([]);

    const signedIn = await graph.query(TEAMS, {}, graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID }));
    expectNoErrors(signedIn);
    const members = (signedIn.data.volunteerTeams as Array<{ members: Array<{ id: string; name: string; phone: string | null }> }>).flatMap((t) => t.members);
    expect(members.length).toBeGreaterThan(0);
    for (const m of members) {
      expect(m.name).toEqual(expect.any(String));
      // Another resident's phone stays masked for a resident.
      if (m.id !== DEMO_RESIDENT_ID && m.phone) expect(m.phone).toContain('****');
    }
  });

  it('U-station ledgers and duty rosters name nobody for anonymous callers', async () => {
    const anonymous = await graph.query(STATIONS);
    expectNoErrors(anonymous);
    const stations = anonymous.data.volunteerStations as any[];
    expect(stations.flatMap((s) => s.ledger).length).toBeGreaterThan(0);
    for (const s of stations) {
      for (const e of s.ledger) expect(e.volunteer).toBeNull();
      for (const h of s.openingHours) expect(h.onDuty).toEqual([]);
      expect(s.onDutyNow).toEqual([]);
    }
    const staff = await graph.query(STATIONS, {}, staffToken);
    expectNoErrors(staff);
    const named = (staff.data.volunteerStations as any[]).flatMap((s) => s.ledger).filter((e) => e.volunteer);
    expect(named.length).toBeGreaterThan(0);
    expect(named[0].volunteer.name).toEqual(expect.any(String));
  });

  it('the requests subgraph gives no phone, ID number or home community of a resident reference to an anonymous caller', async () => {
    // Whatever subgraph hands out a Resident reference, its owner applies the rule as well.
    const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { id phone idNumber homeCommunity { code } } } }';
    const url = graph.subgraphs.requests.url.replace(/\/graphql$/, '');
    const anonymous = await gql(url, ENTITIES, { r: [{ __typename: 'Resident', id: R4 }] });
    expectNoErrors(anonymous);
    expect(anonymous.data._entities).toEqual([{ id: R4, phone: null, idNumber: null, homeCommunity: null }]);
    const resident = await gql(url, ENTITIES, { r: [{ __typename: 'Resident', id: R4 }] }, { role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
    expect(resident.data._entities).toEqual([{ id: R4, phone: '150****5678', idNumber: '4403**********1111', homeCommunity: { code: '440311001001' } }]);
  });
});

describe('timeline actors', () => {
  const READ = 'query($id: ID!) { request(id: $id) { submitter { id } timeline { actor role action } } }';

  it('are roles for anonymous callers and other residents, accounts for staff, admins and the owner', async () => {
    const models = createModels(graph.subgraphs.requests.db.conn);
    const filed = await models.Request.findOne({ residentId: 'R-0002' }).lean();
    const id = String(filed!._id);

    const anonymous = await graph.query(READ, { id });
    expectNoErrors(anonymous);
    expect(anonymous.data.request.submitter).toBeNull();
    const timeline = anonymous.data.request.timeline as Array<{ actor: string; role: string }>;
    expect(timeline.length).toBeGreaterThan(1);
    for (const e of timeline) expect(e.actor).toBe(e.role);
    expect(timeline[0]).toMatchObject({ action: 'SUBMITTED', actor: 'resident' });

    const otherResident = await graph.query(READ, { id }, graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID }));
    expect(otherResident.data.request.timeline[0].actor).toBe('resident');

    for (const token of [graph.token({ role: 'resident', subject: 'R-0002', residentId: 'R-0002' }), staffToken, adminToken]) {
      const seen = await graph.query(READ, { id }, token);
      expectNoErrors(seen);
      expect(seen.data.request.timeline[0]).toMatchObject({ action: 'SUBMITTED', actor: 'R-0002' });
    }
  });

  it('follow the same rule in requestUpdated events over graphql-ws', async () => {
    const owner = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
    const clients: Client[] = [undefined, owner, staffToken].map((token) => wsClientOf(graph, token));
    try {
      const query = `subscription { requestUpdated(communityCode: "${SHUIBEI}") { id submitter { id } timeline { actor role } } }`;
      const events = clients.map(
        (client) =>
          new Promise<any>((resolve, reject) => {
            client.subscribe({ query }, { next: resolve, error: reject, complete: () => {} });
          }),
      );
      await untilUpstreamStreams(graph, clients.length);
      const submitted = await graph.query(
        'mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id } }',
        { input: { title: '楼道灯坏了', description: '水贝一坊3栋楼道灯坏了一周，晚上很黑。', channel: 'WECHAT', communityCode: SHUIBEI } },
        owner,
      );
      expectNoErrors(submitted);
      const [anonymous, own, staff] = await Promise.all(events);
      for (const e of [anonymous, own, staff]) expect(e.errors).toBeUndefined();
      expect(anonymous.data.requestUpdated.submitter).toBeNull();
      expect(anonymous.data.requestUpdated.timeline[0]).toEqual({ actor: 'resident', role: 'resident' });
      expect(own.data.requestUpdated.timeline[0]).toEqual({ actor: DEMO_RESIDENT_ID, role: 'resident' });
      expect(staff.data.requestUpdated.timeline[0]).toEqual({ actor: DEMO_RESIDENT_ID, role: 'resident' });
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });
});

describe("staff see a resident's phone and ID number whole only for open or recently closed cases", () => {
  const READ = `{ resident(id: "${R4}") { phone idNumber } }`;
  const LOG = `{ personalDataAccessLog(residentId: "${R4}", limit: 500) { viewer field reason } }`;
  let closedAt: Date;

  async function log(): Promise<Array<{ viewer: string; field: string; reason: string }>> {
    const res = await graph.query(LOG, {}, adminToken);
    expectNoErrors(res);
    return res.data.personalDataAccessLog;
  }

  /** R-0004's only case: one LH-URBAN request, closed long ago (a year before the real time). */
  beforeAll(async () => {
    const { Request, AccessLog } = createModels(graph.subgraphs.requests.db.conn);
    const template = (await Request.findOne({ residentId: { $ne: null } }).lean())!;
    await Request.deleteMany({ residentId: R4 });
    await AccessLog.deleteMany({ residentId: R4 });
    closedAt = new Date(Date.now() - 365 * DAY_MS);
    await Request.collection.insertOne({
      ...template,
      _id: new Types.ObjectId(),
      number: 'PRIV-CLOSED',
      idempotencyKey: 'privacy:closed',
      submitterId: R4,
      residentId: R4,
      departmentId: 'LH-URBAN',
      status: 'CLOSED',
      resolvedAt: new Date(closedAt.getTime() - DAY_MS),
      closedAt,
    });
  });
  afterEach(() => {
    now = null;
  });

  it('masks them once the case closed longer ago than the stated days, and logs nothing', async () => {
    now = new Date(closedAt.getTime() + DEFAULT_UNMASK_DAYS_AFTER_CLOSE * DAY_MS + 60_000);
    const res = await graph.query(READ, {}, staffToken);
    expectNoErrors(res);
    expect(res.data.resident).toEqual({ phone: '150****5678', idNumber: '4403**********1111' });
    expect(await log()).toEqual([]);
    // A year later (the finding: requests closed long ago) too.
    now = null;
    expect((await graph.query(READ, {}, staffToken)).data.resident.phone).toBe('150****5678');
    expect(await log()).toEqual([]);
  });

  it('shows them whole within the stated days after the case closed, logged once per request and field', async () => {
    now = new Date(closedAt.getTime() + DEFAULT_UNMASK_DAYS_AFTER_CLOSE * DAY_MS - 60_000);
    const res = await graph.query(`{ a: resident(id: "${R4}") { phone idNumber } b: resident(id: "${R4}") { phone } }`, {}, staffToken);
    expectNoErrors(res);
    expect(res.data.a).toEqual({ phone: R4_PHONE, idNumber: R4_ID });
    expect(res.data.b).toEqual({ phone: R4_PHONE });
    const reason = `a case of this resident closed within ${DEFAULT_UNMASK_DAYS_AFTER_CLOSE} days`;
    expect(await log()).toEqual(
      expect.arrayContaining([
        { viewer: 'staff-LH-URBAN', field: 'phone', reason },
        { viewer: 'staff-LH-URBAN', field: 'idNumber', reason },
      ]),
    );
    expect(await log()).toHaveLength(2);
    // Another department never handled R-0004: masked.
    expect((await graph.query(READ, {}, graph.token(staffViewer('LH-WATER')))).data.resident.phone).toBe('150****5678');
    expect(await log()).toHaveLength(2);
  });

  it.each(['citygraph', 'apollo'] as const)(
    'shows them whole while an open case is handled, and twenty concurrent identical reads through a sharing gateway (%s executor) write twenty entries',
    async (executor) => {
      const { Request, AccessLog } = createModels(graph.subgraphs.requests.db.conn);
      await AccessLog.deleteMany({ residentId: R4 });
      if (!(await Request.exists({ number: 'PRIV-OPEN' }))) {
        const closed = (await Request.findOne({ number: 'PRIV-CLOSED' }).lean())!;
        await Request.collection.insertOne({
          ...closed,
          _id: new Types.ObjectId(),
          number: 'PRIV-OPEN',
          idempotencyKey: 'privacy:open',
          status: 'IN_PROGRESS',
          resolvedAt: null,
          closedAt: null,
        });
      }
      // Far past the closed case's days: only the open case gives grounds.
      now = new Date(Date.now() + DAY_MS);
      const defaults = gatewayOptions({});
      // Both kinds of sharing on: identical subgraph fetches and identical client requests in flight.
      const sharing = await graph.startGateway({ executor, perf: { ...defaults.perf!, dedupe: true, requestSharing: true } });
      try {
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${staffToken}` };
        const answers = await Promise.all(
          Array.from({ length: 20 }, () =>
            fetch(sharing.url, { method: 'POST', headers, body: JSON.stringify({ query: READ }) }).then((r) => r.json() as Promise<any>),
          ),
        );
        for (const a of answers) expect(a).toEqual({ data: { resident: { phone: R4_PHONE, idNumber: R4_ID } } });
        const entries = await log();
        expect(entries.filter((e) => e.field === 'phone')).toHaveLength(20);
        expect(entries.filter((e) => e.field === 'idNumber')).toHaveLength(20);
        expect(new Set(entries.map((e) => e.reason))).toEqual(new Set(['handling an open case of this resident']));
      } finally {
        await sharing.server.stop();
      }
    },
  );
});
