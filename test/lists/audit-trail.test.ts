import { startGraph, type RunningGraph } from '../support/graph';
import { FRIDAY_10 } from '../requests/helpers';
import { createModels } from '../../subgraphs/requests/models';

/**
 * One audit trail for every subgraph (the kit's `audit.ts`): the requests subgraph's list changes
 * land in `requests_audit` like the others' in `<subgraph>_audit`, every entry carries a summary
 * (the caller's or `changeSummary`'s), the unfiltered trail is read month by month with
 * equalities, newest first across months, and entries cannot be changed.
 */
let graph: RunningGraph;
let now = FRIDAY_10;
const admin = () => graph.token({ role: 'admin', subject: 'ops-lin' });
const RENAME = 'mutation($id: ID!, $name: String!) { updateDepartment(id: $id, name: $name) { id } }';
const LIST_AUDIT = 'query($limit: Int) { listAudit(limit: $limit) { id at actor actorRole action entityType entityId summary before after } }';
const PARKING_AUDIT = 'query { parkingAuditLog(limit: 5) { action entityType summary } }';
/** The filters the requests subgraph sends to its audit collection. */
const auditFilters: Array<Record<string, unknown>> = [];

async function ok(query: string, variables: Record<string, unknown> = {}) {
  const res = await graph.query(query, variables, admin());
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data;
}

beforeAll(async () => {
  graph = await startGraph({ now, clock: () => now });
  graph.subgraphs.requests.db.conn.getClient().on('commandStarted', (event: any) => {
    if (event.commandName === 'find' && event.command.find === 'requests_audit') auditFilters.push(event.command.filter ?? {});
  });
}, 120000);
afterAll(() => graph?.stop());

it('reads the unfiltered trail newest first across months, one month equality at a time', async () => {
  now = new Date('2026-09-10T02:00:00Z');
  await ok(RENAME, { id: 'LH-URBAN', name: '罗湖区城管局（九月）' });
  now = FRIDAY_10;
  await ok(RENAME, { id: 'LH-URBAN', name: '罗湖区城管局（十一月）' });

  auditFilters.length = 0;
  const all = (await ok(LIST_AUDIT, { limit: 200 })).listAudit;
  const ours = all.filter((e: any) => e.entityId === 'LH-URBAN');
  expect(ours.map((e: any) => e.summary)).toEqual([
    'name: 罗湖区城管局（九月） → 罗湖区城管局（十一月）',
    expect.stringContaining('→ 罗湖区城管局（九月）'),
  ]);
  expect(ours[0]).toMatchObject({ actor: 'ops-lin', actorRole: 'admin', action: 'UPDATE', entityType: 'Department' });
  const times = all.map((e: any) => Date.parse(e.at));
  expect([...times].sort((a, b) => b - a)).toEqual(times);
  // Every read was an equality on the month, newest month first (2026-11, -10, -09, …).
  expect(auditFilters.slice(0, 3)).toEqual([{ month: '2026-11' }, { month: '2026-10' }, { month: '2026-09' }]);
  expect(auditFilters.every((f) => Object.keys(f).join() === 'month')).toBe(true);

  // The limit stops the walk: the newest entry only, from the current month alone.
  auditFilters.length = 0;
  expect((await ok(LIST_AUDIT, { limit: 1 })).listAudit.map((e: any) => e.id)).toEqual([all[0].id]);
  expect(auditFilters).toEqual([{ month: '2026-11' }]);
});

it('the other subgraphs answer the same type, with a summary computed when none is given', async () => {
  const LOT = 'query($id: ID!) { parkingLot(id: $id) { windows { days start end spaces mustLeaveBy } } }';
  const SET = 'mutation($lotId: ID!, $windows: [ParkingSharingWindowInput!]!) { setParkingSharingWindows(lotId: $lotId, windows: $windows) { id } }';
  const windows = (await ok(LOT, { id: 'PL-DX-02' })).parkingLot.windows.map((w: any, i: number) => ({ ...w, spaces: i === 0 ? w.spaces - 1 : w.spaces }));
  const res = await graph.query(SET, { lotId: 'PL-DX-02', windows }, admin());
  expect(res.errors).toBeUndefined();
  const [entry] = (await ok(PARKING_AUDIT)).parkingAuditLog;
  expect(entry).toMatchObject({ action: 'SET_WINDOWS', entityType: 'ParkingLot' });
  expect(entry.summary).toMatch(/^windows: \{.+\} → \{.+\}$/);
});

it('entries are insert-only', async () => {
  const audit = createModels(graph.subgraphs.requests.db.conn).Audit;
  await expect(audit.updateOne({ entityId: 'LH-URBAN' }, { $set: { actor: 'someone-else' } })).rejects.toThrow('insert-only');
  await expect(audit.deleteMany({})).rejects.toThrow('insert-only');
  expect(await audit.countDocuments({ entityId: 'LH-URBAN', actor: 'ops-lin' })).toBe(2);
});
