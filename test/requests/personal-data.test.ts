import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { adminViewer, residentViewer, staffViewer, communityWorkerViewer, type RunningSubgraph } from '../support/subgraph';
import { fails, ok, startRequests } from './helpers';

/**
 * Phone and ID numbers are whole only for their owner, admins and the staff handling the
 * resident's case; every such read by someone else is in the access log.
 */
let sg: RunningSubgraph;
let handlingDepartment: string;
const READ = `query($id: ID!) { resident(id: $id) { id phone idNumber } }`;

beforeAll(async () => {
  sg = await startRequests('personal', { history: false });
  const submitted = await ok(
    sg,
    `mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id department { id } } }`,
    { input: { title: '楼道灯坏了', description: '水贝一坊3栋楼道灯坏了一周，晚上很黑。', channel: 'WECHAT', communityCode: SHUIBEI } },
    residentViewer(DEMO_RESIDENT_ID),
  );
  handlingDepartment = submitted.submitRequest.department.id;
});
afterAll(() => sg.stop());

async function log() {
  return (await ok(sg, `{ personalDataAccessLog(residentId: "${DEMO_RESIDENT_ID}") { viewer role department { id } resident { id } field reason } }`, {}, adminViewer)).personalDataAccessLog;
}

it('shows the owner their own data whole, and logs nothing for it', async () => {
  const me = (await ok(sg, READ, { id: DEMO_RESIDENT_ID }, residentViewer(DEMO_RESIDENT_ID))).resident;
  expect(me.phone).toBe('13800135678');
  expect(me.idNumber).toBe('440303199805121234');
  expect(await log()).toEqual([]);
});

it('masks it for staff of a department not handling the resident, and for community workers', async () => {
  const other = handlingDepartment === 'LH-WATER' ? 'LH-EDU' : 'LH-WATER';
  for (const viewer of [staffViewer(other), communityWorkerViewer(SHUIBEI)]) {
    const r = (await ok(sg, READ, { id: DEMO_RESIDENT_ID }, viewer)).resident;
    expect(r.phone).toBe('138****5678');
    expect(r.idNumber).toBe('4403**********1234');
  }
  expect(await log()).toEqual([]);
});

it('shows it whole to the handling staff and to admins, and logs each read', async () => {
  const r = (await ok(sg, READ, { id: DEMO_RESIDENT_ID }, staffViewer(handlingDepartment))).resident;
  expect(r.phone).toBe('13800135678');
  await ok(sg, READ, { id: DEMO_RESIDENT_ID }, adminViewer);
  const entries = await log();
  expect(entries).toHaveLength(4);
  expect(entries).toEqual(
    expect.arrayContaining([
      { viewer: `staff-${handlingDepartment}`, role: 'staff', department: { id: handlingDepartment }, resident: { id: DEMO_RESIDENT_ID }, field: 'phone', reason: 'handling an open case of this resident' },
      { viewer: `staff-${handlingDepartment}`, role: 'staff', department: { id: handlingDepartment }, resident: { id: DEMO_RESIDENT_ID }, field: 'idNumber', reason: 'handling an open case of this resident' },
      { viewer: 'admin', role: 'admin', department: null, resident: { id: DEMO_RESIDENT_ID }, field: 'phone', reason: 'admin' },
    ]),
  );
});

it('lets only admins read the access log', async () => {
  const query = '{ personalDataAccessLog { field } }';
  expect((await fails(sg, query, {}, staffViewer(handlingDepartment))).extensions?.code).toBe('FORBIDDEN');
  expect((await fails(sg, query, {}, residentViewer(DEMO_RESIDENT_ID))).extensions?.code).toBe('FORBIDDEN');
  expect((await fails(sg, query, {})).extensions?.code).toBe('UNAUTHENTICATED');
});
