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

it("the working calendar's edits are in the same trail, and its year's changes answer from it", async () => {
  const SET = 'mutation($date: String!, $kind: CalendarDayKind!, $name: String!) { setCalendarDay(date: $date, kind: $kind, name: $name) { year } }';
  const CLEAR = 'mutation($date: String!) { clearCalendarDay(date: $date) { year } }';
  const CHANGES = 'query($year: Int!) { workingCalendar(year: $year) { changes { date action kind name previousKind previousName by } } }';
  await ok(SET, { date: '2027-03-06', kind: 'HOLIDAY', name: '测试假日' });
  await ok(SET, { date: '2027-03-06', kind: 'WORKDAY', name: '测试补班' });
  await ok(CLEAR, { date: '2027-03-06' });
  expect((await ok(CHANGES, { year: 2027 })).workingCalendar.changes).toEqual([
    { date: '2027-03-06', action: 'CLEAR', kind: null, name: null, previousKind: 'WORKDAY', previousName: '测试补班', by: 'ops-lin' },
    { date: '2027-03-06', action: 'SET', kind: 'WORKDAY', name: '测试补班', previousKind: 'HOLIDAY', previousName: '测试假日', by: 'ops-lin' },
    { date: '2027-03-06', action: 'SET', kind: 'HOLIDAY', name: '测试假日', previousKind: null, previousName: null, by: 'ops-lin' },
  ]);
  expect((await ok(CHANGES, { year: 2026 })).workingCalendar.changes).toEqual([]);
  const staff = graph.token({ role: 'staff', subject: 'clerk-1', departmentId: 'LH-URBAN' });
  expect((await graph.query(CHANGES, { year: 2027 }, staff)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

  const trail = (await ok(LIST_AUDIT, { limit: 3 })).listAudit;
  expect(trail.map((e: any) => [e.entityType, e.entityId, e.action, e.summary])).toEqual([
    ['WorkingCalendarYear', '2027', 'CLEAR_CALENDAR_DAY', '2027-03-06: 调休上班日「测试补班」 → 普通日'],
    ['WorkingCalendarYear', '2027', 'SET_CALENDAR_DAY', '2027-03-06: 假日「测试假日」 → 调休上班日「测试补班」'],
    ['WorkingCalendarYear', '2027', 'SET_CALENDAR_DAY', '2027-03-06: 普通日 → 假日「测试假日」'],
  ]);
  const BY_ENTITY = 'query { listAudit(entity: WORKING_CALENDAR, entityId: "2027") { id } }';
  expect((await ok(BY_ENTITY)).listAudit.map((e: any) => e.id)).toEqual(trail.map((e: any) => e.id));
});
