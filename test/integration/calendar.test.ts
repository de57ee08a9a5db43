import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { Viewer } from '../../shared/platform/auth';
import { InProcessPubSub, type PubSub } from '../../shared/platform/pubsub';
import { RedisPubSub } from '../../shared/platform/pubsub-redis';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { WorkingCalendar } from '../../shared/subgraph/calendar';
import { addWorkingDays } from '../../shared/subgraph/time';
import type { SubgraphServer } from '../../shared/subgraph/subgraph-server';
import { createRequestsSubgraph } from '../../subgraphs/requests/server';
import { startGraph, type RunningGraph } from '../support/graph';
import { testConfig } from '../support/subgraph';
import { distinct } from '../requests/helpers';

/*
 * The working calendar through the gateway, with the clock fixed before the 2026 National Day
 * break (Oct 1–7 off, Sun Sep 20 and Sat Oct 10 worked): deadlines skip the holidays and count the
 * make-up Saturday; an admin's edit moves the next deadline computed, here and in a second replica
 * that only hears of it over the pub/sub (Redis when it is there); nobody else may edit.
 */

const WED_SEP_30 = new Date('2026-09-30T10:00:00+08:00');
let now = WED_SEP_30;
let graph: RunningGraph;
let replicaB: SubgraphServer;
let pubsubB: PubSub | undefined;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisPrefix = `citygraph-test-${randomBytes(4).toString('hex')}:`;
const calendarB = new WorkingCalendar();

const demo: Viewer = { role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID };
const admin: Viewer = { role: 'admin', subject: 'admin-calendar' };
const staff: Viewer = { role: 'staff', subject: 'staff-LH-URBAN', departmentId: 'LH-URBAN' };

const SUBMIT = 'mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id status level dispatchedAt acceptDueAt dueAt } }';
const YEAR = 'query($year: Int!) { workingCalendar(year: $year) { year workingDayCount days { date kind name updatedBy updatedAt } } }';
const CHANGES = 'query($year: Int!) { workingCalendar(year: $year) { changes { date action kind name previousKind previousName by at } } }';
const SET = 'mutation($date: String!, $kind: CalendarDayKind!, $name: String!) { setCalendarDay(date: $date, kind: $kind, name: $name) { year days { date kind name updatedBy } } }';
const CLEAR = 'mutation($date: String!) { clearCalendarDay(date: $date) { year days { date kind } } }';

let keySeq = 0;
/** A new streetlight case each time (the same text again within 72 h would be linked as a duplicate). */
async function submitStreetLight() {
  const input = { title: '水贝社区路灯不亮', description: distinct('路灯连续三晚不亮'), channel: 'I_SHENZHEN', communityCode: SHUIBEI, idempotencyKey: `calendar-${++keySeq}-key` };
  const res = await graph.query(SUBMIT, { input }, graph.token(demo));
  expect(res.errors).toBeUndefined();
  return res.data.submitRequest as { status: string; level: number; dispatchedAt: string; acceptDueAt: string; dueAt: string };
}

async function until(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  const redisUp = await probe.connect().then(() => true, () => false);
  probe.disconnect();
  if (!redisUp) console.warn(`Redis is not reachable at ${REDIS_URL}: the replicas share one in-process pub/sub instead`);
  graph = await startGraph({ now: WED_SEP_30, clock: () => now, pubsub: (name) => (name === 'requests' && redisUp ? new RedisPubSub(REDIS_URL, redisPrefix) : new InProcessPubSub()) });
  // A second requests replica on the same database, with its own Redis connections (as in
  // production) and a calendar of its own, so what it holds is what it loaded and heard.
  const requests = graph.subgraphs.requests;
  pubsubB = redisUp ? new RedisPubSub(REDIS_URL, redisPrefix) : undefined;
  replicaB = await createRequestsSubgraph({ db: requests.db, config: testConfig, pubsub: pubsubB ?? requests.pubsub, clock: () => now }, { calendar: calendarB });
}, 120_000);
afterAll(async () => {
  await replicaB?.stop();
  await pubsubB?.close();
  await graph?.stop();
});

it('a request filed the day before National Day is due after the break, counting the make-up Saturday', async () => {
  const r = await submitStreetLight();
  expect(r).toMatchObject({ status: 'DISPATCHED', level: 3, dispatchedAt: WED_SEP_30.toISOString() });
  // Accept within 1 working day: Oct 1–7 are off, so Thursday Oct 8 (Mon–Fri alone: Oct 1).
  expect(r.acceptDueAt).toBe('2026-10-08T02:00:00.000Z');
  // Handle within 5: Oct 8, Oct 9, Sat Oct 10 (worked), Oct 12, Oct 13 (Mon–Fri alone: Oct 7).
  expect(r.dueAt).toBe('2026-10-13T02:00:00.000Z');
});

it('a request filed on the Friday before the Spring Festival counts the make-up Saturday and skips the break', async () => {
  now = new Date('2026-02-13T16:30:00+08:00');
  try {
    const r = await submitStreetLight();
    expect(r.acceptDueAt).toBe(new Date('2026-02-14T16:30:00+08:00').toISOString()); // Sat Feb 14 is worked
    // Feb 14, 24, 25, 26, 27 (Feb 15–23 off; Mon–Fri alone: Feb 20).
    expect(r.dueAt).toBe(new Date('2026-02-27T16:30:00+08:00').toISOString());
  } finally {
    now = WED_SEP_30;
  }
});

it('the calendar is public and seeded from the notice; who edited is for admins', async () => {
  const res = await graph.query(YEAR, { year: 2026 });
  expect(res.errors).toBeUndefined();
  const year = res.data.workingCalendar;
  expect(year.days).toContainEqual({ date: '2026-02-14', kind: 'WORKDAY', name: '春节调休上班', updatedBy: null, updatedAt: null });
  expect(year.days).toContainEqual(expect.objectContaining({ date: '2026-10-01', kind: 'HOLIDAY', name: '国庆节' }));
  expect(year.days.filter((d: { kind: string }) => d.kind === 'HOLIDAY')).toHaveLength(33);
  // 261 weekdays in 2026, minus the 19 holidays on weekdays, plus the 6 make-up weekend days.
  expect(year.workingDayCount).toBe(261 - 19 + 6);
  const asAdmin = await graph.query(YEAR, { year: 2026 }, graph.token(admin));
  expect(asAdmin.data.workingCalendar.days[0]).toMatchObject({ date: '2026-01-01', updatedBy: 'system' });
  expect((await graph.query(CHANGES, { year: 2026 }, graph.token(staff))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

it('non-admins are refused and bad input is named; nothing changes', async () => {
  const before = (await graph.query(YEAR, { year: 2026 })).data.workingCalendar;
  const attempt = { date: '2026-10-12', kind: 'HOLIDAY', name: '测试假日' };
  expect((await graph.query(SET, attempt)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  for (const viewer of [demo, staff]) {
    expect((await graph.query(SET, attempt, graph.token(viewer))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await graph.query(CLEAR, { date: '2026-10-10' }, graph.token(viewer))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  }
  const bad: Array<[Record<string, unknown>, string, string]> = [
    [{ ...attempt, date: '2026-02-30' }, 'BAD_USER_INPUT', 'date'],
    [{ ...attempt, date: '12/10/2026' }, 'BAD_USER_INPUT', 'date'],
    [{ ...attempt, date: '1999-10-12' }, 'BAD_USER_INPUT', 'date'],
    [{ ...attempt, kind: 'WORKDAY' }, 'BAD_USER_INPUT', 'kind'], // a Monday is a working day already
    [{ ...attempt, name: '  ' }, 'BAD_USER_INPUT', 'name'],
    [{ ...attempt, name: '假\u202e日' }, 'BAD_USER_INPUT', 'name'],
  ];
  for (const [vars, code, field] of bad) {
    const err = (await graph.query(SET, vars, graph.token(admin))).errors?.[0];
    expect([vars, err?.extensions?.code, err?.extensions?.field]).toEqual([vars, code, field]);
  }
  const notSpecial = (await graph.query(CLEAR, { date: '2026-10-12' }, graph.token(admin))).errors?.[0];
  expect(notSpecial?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'date' });
  expect((await graph.query(YEAR, { year: 1999 })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'year' });
  expect((await graph.query(YEAR, { year: 2026 })).data.workingCalendar).toEqual(before);
  expect((await graph.query(CHANGES, { year: 2026 }, graph.token(admin))).data.workingCalendar.changes).toEqual([]);
});

it("an admin's edit moves the next deadline computed, in this replica and in the other one", async () => {
  const sep30 = WED_SEP_30;
  expect(addWorkingDays(sep30, 5, calendarB).toISOString()).toBe('2026-10-13T02:00:00.000Z'); // B loaded the stored calendar
  const set = await graph.query(SET, { date: '2026-10-12', kind: 'HOLIDAY', name: '测试假日' }, graph.token(admin));
  expect(set.errors).toBeUndefined();
  expect(set.data.setCalendarDay.days).toContainEqual({ date: '2026-10-12', kind: 'HOLIDAY', name: '测试假日', updatedBy: 'admin-calendar' });

  // The replica that took the edit counts with it at once.
  expect((await submitStreetLight()).dueAt).toBe('2026-10-14T02:00:00.000Z');
  // The other replica hears of it over the pub/sub (its periodic reload is minutes away).
  await until(() => calendarB.day('2026-10-12')?.kind === 'HOLIDAY');
  expect(addWorkingDays(sep30, 5, calendarB).toISOString()).toBe('2026-10-14T02:00:00.000Z');

  // Turning a break's day into a working day: Sunday Oct 4 worked moves acceptance before the break ends.
  expect((await graph.query(SET, { date: '2026-10-04', kind: 'WORKDAY', name: '测试补班' }, graph.token(admin))).errors).toBeUndefined();
  const during = await submitStreetLight();
  expect(during.acceptDueAt).toBe('2026-10-04T02:00:00.000Z');
  await until(() => calendarB.day('2026-10-04')?.kind === 'WORKDAY');

  const cleared = await graph.query(CLEAR, { date: '2026-10-12' }, graph.token(admin));
  expect(cleared.errors).toBeUndefined();
  expect(cleared.data.clearCalendarDay.days.map((d: { date: string }) => d.date)).not.toContain('2026-10-12');
  await until(() => calendarB.day('2026-10-12') === undefined);

  const changes = (await graph.query(CHANGES, { year: 2026 }, graph.token(admin))).data.workingCalendar.changes;
  expect(changes.map((c: any) => [c.date, c.action, c.kind, c.previousKind, c.previousName, c.by])).toEqual([
    ['2026-10-12', 'CLEAR', null, 'HOLIDAY', '测试假日', 'admin-calendar'],
    ['2026-10-04', 'SET', 'WORKDAY', 'HOLIDAY', '国庆节', 'admin-calendar'],
    ['2026-10-12', 'SET', 'HOLIDAY', null, null, 'admin-calendar'],
  ]);

  // Restored: Oct 4 back to the notice's holiday.
  expect((await graph.query(SET, { date: '2026-10-04', kind: 'HOLIDAY', name: '国庆节' }, graph.token(admin))).errors).toBeUndefined();
  expect((await submitStreetLight()).dueAt).toBe('2026-10-13T02:00:00.000Z');
});

it('a restart keeps the edits: the notices are stored once per year, never over an admin change', async () => {
  const requests = graph.subgraphs.requests;
  expect((await graph.query(CLEAR, { date: '2026-10-10' }, graph.token(admin))).errors).toBeUndefined();
  const replicaC = await createRequestsSubgraph({ db: requests.db, config: testConfig, pubsub: requests.pubsub, clock: () => now }, { calendar: new WorkingCalendar() });
  await replicaC.stop();
  const days = (await graph.query(YEAR, { year: 2026 })).data.workingCalendar.days.map((d: { date: string }) => d.date);
  expect(days).not.toContain('2026-10-10');
  expect((await graph.query(SET, { date: '2026-10-10', kind: 'WORKDAY', name: '国庆节调休上班' }, graph.token(admin))).errors).toBeUndefined();
});
