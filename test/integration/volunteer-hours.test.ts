import type { Viewer } from '../../shared/platform/auth';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { createModels } from '../../subgraphs/volunteers/models';
import { concurrently, outcomes, startBurstGateway, values } from '../support/concurrently';
import { startGraph, type RunningGraph } from '../support/graph';

/*
 * Verified hours through the gateway on FerretDB: never more than the checked-in time unless a
 * second organiser approves a correction with a reason; one volunteer holds no two overlapping
 * shifts, also when 50 sign-ups race; every credit and correction is a ledger line, and the
 * ledger cannot be changed.
 */

let graph: RunningGraph;
let burst: Awaited<ReturnType<typeof startBurstGateway>>;
const organiserA: Viewer = { role: 'staff', subject: 'staff-LH-WATER-A', departmentId: 'LH-WATER' };
const organiserB: Viewer = { role: 'staff', subject: 'staff-LH-WATER-B', departmentId: 'LH-WATER' };
const demo: Viewer = { role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID };

const CREATE = 'mutation($input: CreateVolunteerActivityInput!) { createVolunteerActivity(input: $input) { id shifts { id } } }';
const SIGN_UP = 'mutation($shiftId: ID!) { signUpForShift(shiftId: $shiftId) { id status } }';
const PROFILE = '{ me { volunteerProfile { verifiedHours starLevel } } }';

async function createActivity(title: string, shifts: Array<{ startsAt: Date; endsAt: Date; capacity?: number }>): Promise<string[]> {
  const res = await graph.query(
    CREATE,
    {
      input: {
        title,
        description: `${title}：巡查布吉河水贝段，记录排污口和漂浮物。`,
        communityCode: SHUIBEI,
        shifts: shifts.map((s) => ({ startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), capacity: s.capacity ?? 10 })),
      },
    },
    graph.token(organiserA),
  );
  expect(res.errors).toBeUndefined();
  return res.data.createVolunteerActivity.shifts.map((s: { id: string }) => s.id);
}

const hoursOf = async () => (await graph.query(PROFILE, {}, graph.token(demo))).data.me.volunteerProfile.verifiedHours as number;

beforeAll(async () => {
  graph = await startGraph();
  burst = await startBurstGateway(graph);
}, 90_000);
afterAll(async () => {
  await burst?.stop();
  await graph?.stop();
});

it('credits no more than the checked-in time; 2.5 h more only by a correction a second organiser approves', async () => {
  const start = new Date(Date.now() + 2 * 60_000);
  const [shiftId] = await createActivity('核验时长巡河', [{ startsAt: start, endsAt: new Date(start.getTime() + 3 * 3_600_000) }]);
  const before = await hoursOf();
  const signUp = (await graph.query(SIGN_UP, { shiftId }, graph.token(demo))).data.signUpForShift.id as string;
  const a = graph.token(organiserA);
  // Checked in and out before the shift starts: 0 hours recorded.
  expect((await graph.query('mutation($id: ID!) { checkInVolunteer(signUpId: $id) { status } }', { id: signUp }, a)).errors).toBeUndefined();
  const out = await graph.query('mutation($id: ID!) { checkOutVolunteer(signUpId: $id) { status hours } }', { id: signUp }, a);
  expect(out.data.checkOutVolunteer).toEqual({ status: 'CHECKED_OUT', hours: 0 });

  const VERIFY = 'mutation($id: ID!, $hours: Float) { verifyVolunteerHours(signUpId: $id, hours: $hours) { status verifiedHours } }';
  const invented = await graph.query(VERIFY, { id: signUp, hours: 2.5 }, a);
  expect(invented.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'hours' });
  expect(invented.errors?.[0].message).toMatch(/cannot exceed the 0 hours checked in/);
  expect(await hoursOf()).toBe(before);
  expect((await graph.query(VERIFY, { id: signUp }, a)).data.verifyVolunteerHours).toEqual({ status: 'VERIFIED', verifiedHours: 0 });

  const REQUEST = 'mutation($id: ID!, $hours: Float!, $reason: String!) { requestVolunteerHoursCorrection(signUpId: $id, hours: $hours, reason: $reason) { id status hours } }';
  const noReason = await graph.query(REQUEST, { id: signUp, hours: 2.5, reason: '  ' }, a);
  expect(noReason.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  const tooMany = await graph.query(REQUEST, { id: signUp, hours: 3.5, reason: '签到设备故障' }, a);
  expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'hours' });
  const requested = await graph.query(REQUEST, { id: signUp, hours: 2.5, reason: '签到设备故障，现场签到表显示服务 2.5 小时' }, a);
  expect(requested.data.requestVolunteerHoursCorrection).toMatchObject({ status: 'PENDING', hours: 2.5 });
  const correctionId = requested.data.requestVolunteerHoursCorrection.id;
  expect(await hoursOf()).toBe(before);

  const APPROVE = 'mutation($id: ID!) { approveVolunteerHoursCorrection(id: $id) { status signUp { verifiedHours } } }';
  const self = await graph.query(APPROVE, { id: correctionId }, a);
  expect(self.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const volunteer = await graph.query(APPROVE, { id: correctionId }, graph.token(demo));
  expect(volunteer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(await hoursOf()).toBe(before);
  const approved = await graph.query(APPROVE, { id: correctionId }, graph.token(organiserB));
  expect(approved.data.approveVolunteerHoursCorrection).toEqual({ status: 'APPROVED', signUp: { verifiedHours: 2.5 } });
  expect((await graph.query(APPROVE, { id: correctionId }, graph.token(organiserB))).errors?.[0].extensions?.code).toBe('CONFLICT');
  expect(await hoursOf()).toBe(before + 2.5);

  // Both are ledger lines; the ledger refuses every change through the model.
  const models = createModels(graph.subgraphs.volunteers.db.conn);
  const lines = await models.HoursEntry.find({ residentId: DEMO_RESIDENT_ID, signUpId: signUp }).sort({ seq: 1 }).lean();
  expect(lines.map((l) => [l.kind, l.hours, l.total, l.by, l.approvedBy])).toEqual([
    ['CREDIT', 0, 0, organiserA.subject, null],
    ['CORRECTION', 2.5, 2.5, organiserA.subject, organiserB.subject],
  ]);
  await expect(models.HoursEntry.updateOne({ _id: lines[1]._id }, { $set: { hours: 12 } })).rejects.toThrow(/insert-only/);
  await expect(models.HoursEntry.deleteOne({ _id: lines[1]._id })).rejects.toThrow(/insert-only/);
  expect(await hoursOf()).toBe(before + 2.5);
}, 60_000);

it('50 concurrent sign-ups of one volunteer for 50 overlapping 12-hour shifts hold one', async () => {
  const day = new Date(Date.now() + 20 * 86_400_000);
  day.setUTCHours(0, 0, 0, 0);
  // Fifty shifts over one 12-hour stretch, in three activities (at most 20 shifts each).
  const window = { startsAt: day, endsAt: new Date(day.getTime() + 12 * 3_600_000) };
  const shiftIds = [
    ...(await createActivity('重叠班次一', Array(20).fill(window))),
    ...(await createActivity('重叠班次二', Array(20).fill(window))),
    ...(await createActivity('重叠班次三', Array(10).fill(window))),
  ];
  const token = graph.token(demo);
  const answers = values(await concurrently(50, (i) => burst.query(SIGN_UP, { shiftId: shiftIds[i] }, token)));
  expect(outcomes(answers, 'signUpForShift')).toEqual({ ok: 1, CONFLICT: 49 });
  for (const a of answers.filter((r) => r.errors)) expect(a.errors![0].message).toMatch(/another shift at the same time/);
  const models = createModels(graph.subgraphs.volunteers.db.conn);
  const held = await models.SignUp.find({ residentId: DEMO_RESIDENT_ID, shiftStartsAt: window.startsAt, status: { $ne: 'CANCELLED' } }).lean();
  expect(held).toHaveLength(1);
  expect(await models.TimeClaim.countDocuments({ residentId: DEMO_RESIDENT_ID, slot: { $gte: window.startsAt, $lt: window.endsAt } })).toBe(48);
  expect(await models.TimeClaim.countDocuments({ signUpId: { $ne: held[0]._id }, slot: { $gte: window.startsAt, $lt: window.endsAt } })).toBe(0);

  // Cancelling gives the time back: another of the overlapping shifts can be held now.
  expect((await graph.query('mutation($id: ID!) { cancelVolunteerSignUp(id: $id) { status } }', { id: String(held[0]._id) }, token)).errors).toBeUndefined();
  const other = shiftIds.find((id) => id !== String(held[0].shiftId))!;
  expect((await graph.query(SIGN_UP, { shiftId: other }, token)).data.signUpForShift.status).toBe('CONFIRMED');
  // Back to back is not overlapping.
  const [next] = await createActivity('接续班次', [{ startsAt: window.endsAt, endsAt: new Date(window.endsAt.getTime() + 2 * 3_600_000) }]);
  expect((await graph.query(SIGN_UP, { shiftId: next }, token)).data.signUpForShift.status).toBe('CONFIRMED');
}, 90_000);

it('50 concurrent sign-ups of one volunteer for one shift make one sign-up', async () => {
  const start = new Date(Date.now() + 25 * 86_400_000);
  const [shiftId] = await createActivity('同一班次', [{ startsAt: start, endsAt: new Date(start.getTime() + 2 * 3_600_000) }]);
  const token = graph.token(demo);
  const answers = values(await concurrently(50, () => burst.query(SIGN_UP, { shiftId }, token)));
  expect(outcomes(answers, 'signUpForShift')).toEqual({ ok: 1, CONFLICT: 49 });
  for (const a of answers.filter((r) => r.errors)) expect(a.errors![0].message).toMatch(/already signed up for this shift/);
  const models = createModels(graph.subgraphs.volunteers.db.conn);
  expect(await models.SignUp.countDocuments({ residentId: DEMO_RESIDENT_ID, shiftStartsAt: start })).toBe(1);
}, 60_000);
