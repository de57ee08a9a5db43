import { COMMUNITIES, DEMO_RESIDENT_ID, DEPARTMENTS, DISTRICTS, OTHER_RESIDENTS, SHUIBEI, STREETS } from '../../shared/dev/demo';
import { OPEN_STATUSES } from '../../subgraphs/requests/domain/lifecycle';
import { createModels } from '../../subgraphs/requests/models';
import { seed } from '../../subgraphs/requests/seed';
import { testDatabase } from '../support/db';
import type { Database } from '../../shared/platform/db';

let db: Database;
beforeAll(async () => {
  db = await testDatabase('rq_seed');
});
afterAll(async () => {
  await db.conn.dropDatabase().catch(() => {});
  await db.close();
});

async function counts() {
  const m = createModels(db.conn);
  const entries = await Promise.all(Object.entries(m).map(async ([name, model]) => [name, await (model as any).countDocuments()] as const));
  return Object.fromEntries(entries);
}

it('is idempotent, includes the demo data, and keeps the demo requests open relative to now', async () => {
  const first = new Date('2026-11-20T02:00:00Z');
  await seed(db, { now: first });
  const once = await counts();
  const later = new Date('2026-12-15T12:00:00Z');
  await seed(db, { now: later });
  expect(await counts()).toEqual(once);

  expect(once).toMatchObject({
    District: DISTRICTS.length,
    Street: STREETS.length,
    Community: COMMUNITIES.length,
    Department: DEPARTMENTS.length,
    Category: 18,
    Request: 200,
    Claim: 0,
  });
  expect(once.Item).toBeGreaterThanOrEqual(80);
  expect(once.Resident).toBeGreaterThanOrEqual(1 + OTHER_RESIDENTS.length);
  expect(once.CommunityOrder).toBeGreaterThanOrEqual(2);
  expect(once.WelfarePolicy).toBeGreaterThanOrEqual(1);

  const m = createModels(db.conn);
  expect((await m.Community.findById(SHUIBEI).lean())).toMatchObject({ name: '水贝社区', streetCode: '440303003', districtCode: '440303' });
  const open = OPEN_STATUSES;
  const demoOpen = await m.Request.find({ residentId: DEMO_RESIDENT_ID, status: { $in: open } }).lean();
  expect(demoOpen.length).toBeGreaterThanOrEqual(2);
  expect(demoOpen.some((r) => r.level === 1)).toBe(true);
  for (const r of demoOpen) {
    expect(new Date(r.dueAt).getTime()).toBeGreaterThan(later.getTime());
    expect(new Date(r.submittedAt).getTime()).toBeLessThan(later.getTime());
    for (const e of r.timeline) expect(new Date(e.at).getTime()).toBeLessThanOrEqual(later.getTime());
  }
  for (const lot of ['PL-DX-01', 'PL-DX-02']) {
    expect(await m.Request.countDocuments({ parkingLotId: lot, status: { $in: open } })).toBeGreaterThanOrEqual(1);
  }
  const pingdi = await m.Request.find({ communityCode: '440307001001', channel: 'WALK_IN' }).lean();
  expect(pingdi.length).toBeGreaterThanOrEqual(10);
  expect(pingdi.every((r) => r.status === 'CLOSED')).toBe(true);
  // Every seeded timeline starts with the submission and is in time order.
  for (const r of await m.Request.find().lean()) {
    expect(r.timeline[0].action).toBe('SUBMITTED');
    const times = r.timeline.map((e) => new Date(e.at).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(Math.max(...times)).toBeLessThanOrEqual(later.getTime());
  }
}, 180_000); // three full seeds of every list: over a minute on a loaded two-core machine
