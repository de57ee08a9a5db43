import { Types } from 'mongoose';
import { DEMO_RESIDENT_ID } from '../../shared/dev/demo';
import { localDateString } from '../../shared/subgraph/time';
import { nightsOf } from '../../subgraphs/hostels/domain/dates';
import { createModels, type Models } from '../../subgraphs/hostels/models';
import { allocateBed } from '../../subgraphs/hostels/services/beds';
import { startGraph, type RunningGraph } from '../support/graph';

/** Admins run the hostels and their beds through the gateway (issue 14); in-use items are refused. */
let graph: RunningGraph;
let models: Models;
let admin: string;
let staff: string;
let demoBedId: string;

const HOSTEL = `query ($id: ID!) { hostel(id: $id) { id name phone totalBeds freeBeds closed closedAt beds { id code room gender closed } } }`;
const CREATE = `mutation ($input: CreateHostelInput!) { createHostel(input: $input) { id name totalBeds closed community { code } operator { id } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateHostelInput!) { updateHostel(id: $id, input: $input) { id name phone services } }`;
const ADD_BED = `mutation ($hostelId: ID!, $input: HostelBedInput!) { addHostelBed(hostelId: $hostelId, input: $input) { id code room gender closed } }`;
const UPDATE_BED = `mutation ($id: ID!, $input: UpdateHostelBedInput!) { updateHostelBed(id: $id, input: $input) { id gender } }`;
const CLOSE_BED = `mutation ($id: ID!) { closeHostelBed(id: $id) { id closed } }`;
const REOPEN_BED = `mutation ($id: ID!) { reopenHostelBed(id: $id) { id closed } }`;
const CLOSE = `mutation ($id: ID!) { closeHostel(id: $id) { id closed closedAt } }`;
const REOPEN = `mutation ($id: ID!) { reopenHostel(id: $id) { id closed } }`;
const AUDIT = `query ($entityId: ID) { hostelAuditLog(entityId: $entityId) { actor actorRole action entityType entityId before after at } }`;
const LIST = `query ($includeClosed: Boolean) { hostels(includeClosed: $includeClosed) { id } }`;

const ext = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => res.errors?.[0]?.extensions ?? {};
const NEW = { id: 'HS-16', name: '深圳青年驿站·龙华观澜站', address: '深圳市龙华区观澜街道观澜大道118号', communityCode: '440309001001', operatorId: 'LHUA-HR', phone: '0755-23301116', services: ['就业指导'] };

beforeAll(async () => {
  graph = await startGraph();
  models = createModels(graph.subgraphs.hostels.db.conn);
  admin = graph.token({ role: 'admin', subject: 'admin-wang' });
  staff = graph.token({ role: 'staff', subject: 'staff-LH-HR', departmentId: 'LH-HR' });
  const stay = await models.Stay.findOne({ residentId: DEMO_RESIDENT_ID, status: 'CHECKED_IN' }).lean();
  demoBedId = stay!.bedId;
}, 120000);
afterAll(() => graph?.stop());

describe('hostels', () => {
  it('an admin creates a hostel in a known community; bad input names the field and stores nothing', async () => {
    expect(ext(await graph.query(CREATE, { input: NEW }, staff)).code).toBe('FORBIDDEN');
    expect(ext(await graph.query(CREATE, { input: { ...NEW, id: 'H16' } }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.id' });
    expect(ext(await graph.query(CREATE, { input: { ...NEW, communityCode: '440309999999' } }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.communityCode' });
    expect(ext(await graph.query(CREATE, { input: { ...NEW, phone: 'call me' } }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.phone' });
    expect(ext(await graph.query(CREATE, { input: { ...NEW, name: '驿站\u202e' } }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect((await graph.query(HOSTEL, { id: 'HS-16' }, admin)).data.hostel).toBeNull();

    const res = await graph.query(CREATE, { input: NEW }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data.createHostel).toEqual({ id: 'HS-16', name: NEW.name, totalBeds: 0, closed: false, community: { code: '440309001001' }, operator: { id: 'LHUA-HR' } });
    expect(ext(await graph.query(CREATE, { input: { ...NEW, id: 'HS-01' } }, admin))).toMatchObject({ code: 'CONFLICT', field: 'input.id' });
  });

  it('an admin edits a hostel; the audit entry holds only what changed', async () => {
    const res = await graph.query(UPDATE, { id: 'HS-16', input: { phone: '0755-23301199' } }, admin);
    expect(res.data.updateHostel).toMatchObject({ phone: '0755-23301199', name: NEW.name });
    expect(ext(await graph.query(UPDATE, { id: 'HS-16', input: {} }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
    expect(ext(await graph.query(UPDATE, { id: 'HS-99', input: { phone: '0755-1' } }, admin)).code).toBe('NOT_FOUND');
    const [last] = (await graph.query(AUDIT, { entityId: 'HS-16' }, admin)).data.hostelAuditLog;
    expect(last).toMatchObject({ actor: 'admin-wang', actorRole: 'admin', action: 'UPDATE_HOSTEL', entityType: 'Hostel' });
    expect(JSON.parse(last.before)).toEqual({ phone: '0755-23301116' });
    expect(JSON.parse(last.after)).toEqual({ phone: '0755-23301199' });
  });
});

describe('beds', () => {
  it('an admin adds beds; totalBeds follows; a duplicate label is a CONFLICT', async () => {
    expect((await graph.query(ADD_BED, { hostelId: 'HS-16', input: { code: '101-1', gender: 'MALE' } }, admin)).data.addHostelBed).toEqual({ id: 'HS-16-101-1', code: '101-1', room: '101', gender: 'MALE', closed: false });
    await graph.query(ADD_BED, { hostelId: 'HS-16', input: { code: '101-2', gender: 'MALE' } }, admin);
    expect(ext(await graph.query(ADD_BED, { hostelId: 'HS-16', input: { code: '101-1' } }, admin))).toMatchObject({ code: 'CONFLICT', field: 'input.code' });
    expect(ext(await graph.query(ADD_BED, { hostelId: 'HS-16', input: { code: 'bed one' } }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.code' });
    expect((await graph.query(HOSTEL, { id: 'HS-16' }, admin)).data.hostel).toMatchObject({ totalBeds: 2, freeBeds: 2 });
  });

  it("a bed with a current stay can be neither closed nor re-sexed (CONFLICT naming the stay); nothing changes", async () => {
    const before = (await graph.query(HOSTEL, { id: 'HS-01' }, admin)).data.hostel;
    const closing = await graph.query(CLOSE_BED, { id: demoBedId }, admin);
    expect(ext(closing)).toMatchObject({ code: 'CONFLICT', field: 'id' });
    expect(ext(closing).stayId).toMatch(/^[0-9a-f]{24}$/);
    expect(ext(await graph.query(UPDATE_BED, { id: demoBedId, input: { gender: 'FEMALE' } }, admin))).toMatchObject({ code: 'CONFLICT', field: 'id' });
    const after = (await graph.query(HOSTEL, { id: 'HS-01' }, admin)).data.hostel;
    expect(after).toEqual(before);
  });

  it('a free bed closes (out of totalBeds, never allocated) and reopens', async () => {
    const closed = await graph.query(CLOSE_BED, { id: 'HS-16-101-1' }, admin);
    expect(closed.data.closeHostelBed).toEqual({ id: 'HS-16-101-1', closed: true });
    expect((await graph.query(HOSTEL, { id: 'HS-16' }, admin)).data.hostel).toMatchObject({ totalBeds: 1, freeBeds: 1 });
    expect(ext(await graph.query(CLOSE_BED, { id: 'HS-16-101-1' }, admin)).code).toBe('CONFLICT');

    // Allocation (the applyForHostel path) skips the closed bed and, past it, has nothing left.
    const nights = nightsOf(localDateString(new Date()), 2);
    const first = await allocateBed(models, { hostelId: 'HS-16', stayId: new Types.ObjectId(), nights });
    expect(first).toBe('HS-16-101-2');
    expect(await allocateBed(models, { hostelId: 'HS-16', stayId: new Types.ObjectId(), nights })).toBeNull();
    await models.BedNight.deleteMany({ hostelId: 'HS-16' });

    expect((await graph.query(REOPEN_BED, { id: 'HS-16-101-1' }, admin)).data.reopenHostelBed.closed).toBe(false);
    expect((await graph.query(HOSTEL, { id: 'HS-16' }, admin)).data.hostel).toMatchObject({ totalBeds: 2, freeBeds: 2 });
    expect((await graph.query(UPDATE_BED, { id: 'HS-16-101-1', input: { gender: 'FEMALE' } }, admin)).data.updateHostelBed.gender).toBe('FEMALE');
  });

  it('a bed closing while an application books it: exactly one of them gets the bed', async () => {
    await graph.query(ADD_BED, { hostelId: 'HS-16', input: { code: '102-1' } }, admin);
    await models.Bed.updateMany({ hostelId: 'HS-16', _id: { $ne: 'HS-16-102-1' } }, { $set: { closedAt: new Date() } });
    const nights = nightsOf(localDateString(new Date()), 3);
    const [closing, booked] = await Promise.all([
      graph.query(CLOSE_BED, { id: 'HS-16-102-1' }, admin),
      allocateBed(models, { hostelId: 'HS-16', stayId: new Types.ObjectId(), nights }),
    ]);
    const closedOk = !closing.errors;
    expect(closedOk).toBe(booked === null);
    await models.Bed.updateMany({ hostelId: 'HS-16' }, { $set: { closedAt: null } });
    await models.BedNight.deleteMany({ $or: [{ hostelId: 'HS-16' }, { hostelId: 'closed:HS-16' }] });
  });
});

describe('closing a hostel', () => {
  it('is refused while stays are reserved or current; a hostel without them closes, leaves the list and reopens', async () => {
    const busy = await graph.query(CLOSE, { id: 'HS-01' }, admin);
    expect(ext(busy)).toMatchObject({ code: 'CONFLICT', field: 'id' });
    expect(ext(busy).activeStays).toBeGreaterThanOrEqual(2);
    expect((await graph.query(HOSTEL, { id: 'HS-01' }, admin)).data.hostel.closed).toBe(false);

    const closed = await graph.query(CLOSE, { id: 'HS-16' }, admin);
    expect(closed.data.closeHostel).toMatchObject({ id: 'HS-16', closed: true });
    expect((await graph.query(LIST)).data.hostels.map((h: any) => h.id)).not.toContain('HS-16');
    expect((await graph.query(LIST, { includeClosed: true })).data.hostels.map((h: any) => h.id)).toContain('HS-16');
    expect((await graph.query(REOPEN, { id: 'HS-16' }, admin)).data.reopenHostel.closed).toBe(false);
  });

  it('every change is in the audit trail, for admins only', async () => {
    const log = (await graph.query(AUDIT, {}, admin)).data.hostelAuditLog;
    expect(log.map((e: any) => e.action)).toEqual(
      expect.arrayContaining(['CREATE_HOSTEL', 'UPDATE_HOSTEL', 'ADD_BED', 'CLOSE_BED', 'REOPEN_BED', 'UPDATE_BED', 'CLOSE_HOSTEL', 'REOPEN_HOSTEL']),
    );
    expect(log.filter((e: any) => e.entityId === 'HS-01')).toEqual([]);
    expect(ext(await graph.query(AUDIT, {}, staff)).code).toBe('FORBIDDEN');
  });
});
