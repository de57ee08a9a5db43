import { startGraph, type RunningGraph } from '../support/graph';

/**
 * Lot owners publish their own lots' sharing windows through the gateway (issue 14): bound to the
 * lots their token names, within the window rules, never breaking a confirmed booking; every change
 * is in the admins' audit trail.
 */
let graph: RunningGraph;
let owner: string;
let admin: string;
let resident: string;

const LOT = `query ($id: ID!) { parkingLot(id: $id) { id totalSpaces windows { id days start end spaces mustLeaveBy } } }`;
const SET = `mutation ($lotId: ID!, $windows: [ParkingSharingWindowInput!]!) { setParkingSharingWindows(lotId: $lotId, windows: $windows) { id windows { id days start end spaces } } }`;
const AUDIT = `query ($lotId: ID) { parkingAuditLog(lotId: $lotId) { id at actor actorRole action entityType entityId before after } }`;
const OWNED = `query { ownedParkingLots { id } }`;

const inputOf = (w: any) => ({ days: w.days, start: w.start, end: w.end, spaces: w.spaces, mustLeaveBy: w.mustLeaveBy });
const windowsOf = async (id: string) => (await graph.query(LOT, { id })).data.parkingLot.windows as any[];

beforeAll(async () => {
  graph = await startGraph();
  owner = graph.token({ role: 'lot_owner', subject: 'owner-dongxiao-tower', lotIds: ['PL-DX-01', 'PL-DX-02'] });
  admin = graph.token({ role: 'admin', subject: 'admin-li' });
  resident = graph.token({ role: 'resident', subject: 'R-0002', residentId: 'R-0002' });
}, 120000);
afterAll(() => graph?.stop());

it('the owner lists its own lots', async () => {
  expect((await graph.query(OWNED, {}, owner)).data.ownedParkingLots.map((l: any) => l.id)).toEqual(['PL-DX-01', 'PL-DX-02']);
  expect((await graph.query(OWNED, {}, resident)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

it("the owner changes its own lot's window; the change is audited with who, when and what", async () => {
  const before = await windowsOf('PL-DX-02');
  const changed = before.map((w, i) => ({ ...inputOf(w), spaces: i === 0 ? w.spaces - 1 : w.spaces }));
  const res = await graph.query(SET, { lotId: 'PL-DX-02', windows: changed }, owner);
  expect(res.errors).toBeUndefined();
  expect(res.data.setParkingSharingWindows.windows[0].spaces).toBe(before[0].spaces - 1);

  const audit = (await graph.query(AUDIT, { lotId: 'PL-DX-02' }, admin)).data.parkingAuditLog;
  expect(audit[0]).toMatchObject({ actor: 'owner-dongxiao-tower', actorRole: 'lot_owner', action: 'SET_WINDOWS', entityType: 'ParkingLot', entityId: 'PL-DX-02' });
  expect(JSON.parse(audit[0].before).windows[0].spaces).toBe(before[0].spaces);
  expect(JSON.parse(audit[0].after).windows[0].spaces).toBe(before[0].spaces - 1);
  expect(Date.now() - Date.parse(audit[0].at)).toBeLessThan(60000);
});

it("is refused on another owner's lot (FORBIDDEN on lotId) and for residents; nothing changes", async () => {
  const before = await windowsOf('PL-DX-03');
  const changed = before.map((w) => ({ ...inputOf(w), spaces: 1 }));
  const res = await graph.query(SET, { lotId: 'PL-DX-03', windows: changed }, owner);
  expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'lotId' });
  expect(res.errors?.[0].message).toContain('PL-DX-03');
  expect((await graph.query(SET, { lotId: 'PL-DX-03', windows: changed }, resident)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect((await graph.query(SET, { lotId: 'PL-DX-03', windows: changed })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(await windowsOf('PL-DX-03')).toEqual(before);
});

it('the window rules apply to owners as to admins (overlap, spaces above the lot), naming the field', async () => {
  const lot = (await graph.query(LOT, { id: 'PL-DX-02' })).data.parkingLot;
  const tooMany = await graph.query(SET, { lotId: 'PL-DX-02', windows: [{ days: [1], start: '08:00', end: '10:00', spaces: lot.totalSpaces + 1 }] }, owner);
  expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'windows.0.spaces' });
  const overlap = await graph.query(
    SET,
    { lotId: 'PL-DX-02', windows: [{ days: [1], start: '08:00', end: '10:00', spaces: 1 }, { days: [1], start: '09:00', end: '11:00', spaces: 1 }] },
    owner,
  );
  expect(overlap.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

it("a window holding the demo resident's confirmed booking cannot be resized or removed (CONFLICT); the booking keeps its space", async () => {
  const before = await windowsOf('PL-DX-01');
  const resized = before.map((w) => ({ ...inputOf(w), spaces: w.spaces + 1 }));
  const res = await graph.query(SET, { lotId: 'PL-DX-01', windows: resized }, owner);
  expect(res.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT' });
  expect(res.errors?.[0].extensions?.holders).toBeGreaterThanOrEqual(1);
  expect(await windowsOf('PL-DX-01')).toEqual(before);
  const audit = (await graph.query(AUDIT, { lotId: 'PL-DX-01' }, admin)).data.parkingAuditLog;
  expect(audit).toEqual([]);
});

it('admins edit any lot; only admins read the audit trail', async () => {
  const before = await windowsOf('PL-DX-03');
  const res = await graph.query(SET, { lotId: 'PL-DX-03', windows: before.map((w) => ({ ...inputOf(w), spaces: Math.max(1, w.spaces - 1) })) }, admin);
  expect(res.errors).toBeUndefined();
  const all = (await graph.query(AUDIT, {}, admin)).data.parkingAuditLog;
  expect(all.map((e: any) => e.entityId)).toEqual(expect.arrayContaining(['PL-DX-02', 'PL-DX-03']));
  expect(all[0]).toMatchObject({ entityId: 'PL-DX-03', actor: 'admin-li', actorRole: 'admin' });
  expect((await graph.query(AUDIT, {}, owner)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect((await graph.query(AUDIT, {})).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

it('a lot owner token that names no lots is refused by the gateway', async () => {
  const bad = graph.token({ role: 'lot_owner', subject: 'owner-x' });
  const res = await graph.query(OWNED, {}, bad);
  expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});
