import { createClient } from 'graphql-ws';
import { Types } from 'mongoose';
import WebSocket from 'ws';
import { signViewer } from '../../shared/platform/auth';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import type { Models } from '../../subgraphs/hostels/models';
import { seed } from '../../subgraphs/hostels/seed';
import { markHostelNoShows } from '../../subgraphs/hostels/services/no-shows';
import { activeStayScope } from '../../subgraphs/hostels/services/slots';
import { serviceContext } from '../../shared/subgraph/service';
import { adminViewer, communityWorkerViewer, residentViewer, staffViewer, testConfig, type RunningSubgraph } from '../support/subgraph';
import { addHostel, apply, applyInput, codeOf, freeBeds, NOW, snapshot, startHostels, TODAY } from './helpers';

let sg: RunningSubgraph;
let models: Models;
const DAY = 24 * 3600 * 1000;
const desk = staffViewer('LH-HR');

beforeAll(async () => {
  ({ sg, models } = await startHostels('hostels_api'));
  await seed(sg.db, { now: NOW });
});
afterAll(() => sg?.stop());
afterEach(() => sg.setNow(NOW));

const STAY = `id status nightsLeft checkInDate checkOutDate checkedInAt checkedOutAt cancelledAt hostel { id } bed { id }`;
const CANCEL = `mutation($id: ID!) { cancelHostelStay(id: $id) { ${STAY} } }`;
const CHECK_IN = `mutation($id: ID!, $ok: Boolean!) { checkInHostelStay(id: $id, idVerified: $ok) { ${STAY} } }`;
const CHECK_OUT = `mutation($id: ID!) { checkOutHostelStay(id: $id) { ${STAY} } }`;
const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Hostel { id name freeBeds operator { id } community { code } }
  ... on Community { code hostels { id name freeBeds } }
  ... on District { code hostels { id } }
  ... on Department { id hostels { id } }
  ... on Resident { id hostelStays { id status nightsLeft hostel { name } } } } }`;

async function newStay(residentId: string, input: Record<string, unknown>) {
  const res = await apply(sg, residentId, input);
  expect(res.errors).toBeUndefined();
  return res.data.applyForHostel;
}

describe('queries', () => {
  it('lists hostels, filtered by community, district and availability', async () => {
    const all = await sg.query(`{ hostels { id totalBeds services hongKongMacaoDesk } }`);
    expect(all.data.hostels).toHaveLength(15);
    expect(all.data.hostels.reduce((s: number, h: any) => s + h.totalBeds, 0)).toBe(331);
    const shuibei = await sg.query(`query($c: ID) { hostels(communityCode: $c) { id freeBeds } }`, { c: SHUIBEI });
    expect(shuibei.data.hostels).toEqual([{ id: 'HS-01', freeBeds: 22 }]);
    const luohu = await sg.query(`{ hostels(districtCode: "440303") { id } }`);
    expect(luohu.data.hostels.map((h: any) => h.id)).toEqual(['HS-01', 'HS-02', 'HS-03', 'HS-04', 'HS-15']);
    await addHostel(models, 'HS-T0', 1, { communityCode: 'C-FULL' });
    await newStay('R-Q-1', applyInput('HS-T0', { nights: 1 }));
    const full = await sg.query(`{ a: hostels(communityCode: "C-FULL") { id } b: hostels(communityCode: "C-FULL", onlyAvailable: true) { id } }`);
    expect(full.data).toEqual({ a: [{ id: 'HS-T0' }], b: [] });
  });

  it('finds one hostel, or null, and refuses a malformed id', async () => {
    const res = await sg.query(`{ hostel(id: "HS-01") { name address phone lat community { code } operator { id } totalBeds freeBeds } }`);
    expect(res.data.hostel).toMatchObject({ name: '深圳青年驿站·罗湖水贝站', community: { code: SHUIBEI }, operator: { id: 'LH-HR' }, totalBeds: 24, freeBeds: 22 });
    expect((await sg.query(`{ hostel(id: "HS-99") { id } }`)).data.hostel).toBeNull();
    const bad = await sg.query(`{ hostel(id: "HS 01;") { id } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('shows beds to the operator\'s staff and admins only', async () => {
    const q = `{ hostel(id: "HS-01") { beds { id code room gender } } }`;
    expect(codeOf(await sg.query(q))).toBe('UNAUTHENTICATED');
    expect(codeOf(await sg.query(q, {}, residentViewer(DEMO_RESIDENT_ID)))).toBe('FORBIDDEN');
    expect(codeOf(await sg.query(q, {}, staffViewer('FT-HR')))).toBe('FORBIDDEN');
    const ok = await sg.query(q, {}, desk);
    expect(ok.data.hostel.beds).toHaveLength(24);
    expect(ok.data.hostel.beds[0]).toEqual({ id: 'HS-01-101-1', code: '101-1', room: '101', gender: 'MALE' });
    expect((await sg.query(q, {}, adminViewer)).data.hostel.beds).toHaveLength(24);
  });

  it('shows a stay to its resident, admins and the operator\'s staff', async () => {
    const stay = await newStay('R-Q-2', applyInput('HS-02', { nights: 2 }));
    const q = `query($id: ID!) { hostelStay(id: $id) { id status resident { id } } }`;
    expect((await sg.query(q, { id: stay.id }, residentViewer('R-Q-2'))).data.hostelStay).toEqual({ id: stay.id, status: 'RESERVED', resident: { id: 'R-Q-2' } });
    expect((await sg.query(q, { id: stay.id }, desk)).data.hostelStay.id).toBe(stay.id);
    expect((await sg.query(q, { id: stay.id }, adminViewer)).data.hostelStay.id).toBe(stay.id);
    expect(codeOf(await sg.query(q, { id: stay.id }, residentViewer('R-Q-3')))).toBe('FORBIDDEN');
    expect(codeOf(await sg.query(q, { id: stay.id }, staffViewer('FT-HR')))).toBe('FORBIDDEN');
    expect(codeOf(await sg.query(q, { id: stay.id }))).toBe('UNAUTHENTICATED');
    expect((await sg.query(q, { id: '65f000000000000000000000' }, adminViewer)).data.hostelStay).toBeNull();
    expect((await sg.query(q, { id: 'nope' }, adminViewer)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});

describe('entities', () => {
  it('resolves Hostel, Community (the contract\'s hostels { id name freeBeds }), District and Department', async () => {
    const res = await sg.query(ENTITIES, {
      reps: [
        { __typename: 'Hostel', id: 'HS-05' },
        { __typename: 'Hostel', id: 'HS-404' },
        { __typename: 'Community', code: SHUIBEI },
        { __typename: 'District', code: '440311' },
        { __typename: 'Department', id: 'GM-HR' },
      ],
    });
    expect(res.errors).toBeUndefined();
    const [hostel, missing, community, district, department] = res.data._entities;
    expect(hostel).toEqual({ id: 'HS-05', name: '深圳青年驿站·福田上沙站', freeBeds: 29, operator: { id: 'FT-HR' }, community: { code: '440304001001' } });
    expect(missing).toBeNull();
    expect(community).toEqual({ code: SHUIBEI, hostels: [{ id: 'HS-01', name: '深圳青年驿站·罗湖水贝站', freeBeds: 22 }] });
    expect(district).toEqual({ code: '440311', hostels: [{ id: 'HS-11' }, { id: 'HS-12' }] });
    expect(department).toEqual({ id: 'GM-HR', hostels: [{ id: 'HS-11' }, { id: 'HS-12' }] });
  });

  it('resolves the contract\'s Resident hostelStays { id status nightsLeft hostel { name } } for allowed viewers only', async () => {
    const reps = [{ __typename: 'Resident', id: DEMO_RESIDENT_ID }];
    const own = await sg.query(ENTITIES, { reps }, residentViewer(DEMO_RESIDENT_ID));
    expect(own.errors).toBeUndefined();
    expect(own.data._entities[0].hostelStays).toEqual([
      { id: expect.any(String), status: 'CHECKED_IN', nightsLeft: 4, hostel: { name: '深圳青年驿站·罗湖水贝站' } },
    ]);
    expect((await sg.query(ENTITIES, { reps }, adminViewer)).data._entities[0].hostelStays).toHaveLength(1);
    expect((await sg.query(ENTITIES, { reps }, desk)).data._entities[0].hostelStays).toHaveLength(1);
    // Staff of another hostel operator see only stays at their own hostels.
    expect((await sg.query(ENTITIES, { reps }, staffViewer('FT-HR'))).data._entities[0].hostelStays).toEqual([]);
    expect(codeOf(await sg.query(ENTITIES, { reps }, staffViewer('LH-URBAN')))).toBe('FORBIDDEN');
    expect(codeOf(await sg.query(ENTITIES, { reps }, residentViewer('R-0002')))).toBe('FORBIDDEN');
    expect(codeOf(await sg.query(ENTITIES, { reps }, communityWorkerViewer(SHUIBEI)))).toBe('FORBIDDEN');
    expect(codeOf(await sg.query(ENTITIES, { reps }))).toBe('UNAUTHENTICATED');
  });

  it('answers eligibility and profile on Resident', async () => {
    const q = `query($reps: [_Any!]!, $g: String) { _entities(representations: $reps) { ... on Resident {
      hostelEligibility(graduationDate: $g) { eligible reasons nightsUsed nightsRemaining graduationDate } hostelProfile { school nightsUsed } } } }`;
    const demo = await sg.query(q, { reps: [{ __typename: 'Resident', id: DEMO_RESIDENT_ID }] }, residentViewer(DEMO_RESIDENT_ID));
    expect(demo.data._entities[0].hostelEligibility).toMatchObject({ eligible: false, nightsUsed: 5, nightsRemaining: 2 });
    expect(demo.data._entities[0].hostelEligibility.reasons).toEqual([expect.stringMatching(/one at a time/)]);
    expect(demo.data._entities[0].hostelProfile).toEqual({ school: '深圳大学', nightsUsed: 5 });
    const fresh = await sg.query(q, { reps: [{ __typename: 'Resident', id: 'R-NEW' }], g: '2024-07-01' }, residentViewer('R-NEW'));
    expect(fresh.data._entities[0]).toEqual({
      hostelEligibility: { eligible: true, reasons: [], nightsUsed: 0, nightsRemaining: 7, graduationDate: '2024-07-01' },
      hostelProfile: null,
    });
    const old = await sg.query(q, { reps: [{ __typename: 'Resident', id: 'R-NEW' }], g: '2020-07-01' }, residentViewer('R-NEW'));
    expect(old.data._entities[0].hostelEligibility).toMatchObject({ eligible: false, reasons: [expect.stringMatching(/more than 2 years/)] });
    const bad = await sg.query(q, { reps: [{ __typename: 'Resident', id: 'R-NEW' }], g: '2020-13-01' }, residentViewer('R-NEW'));
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'graduationDate' });
  });
});

describe('applying', () => {
  it('books a bed, takes it from tonight\'s free beds, a retry with the same key returns the same stay, the key with other input is refused', async () => {
    const before = await freeBeds(sg, 'HS-03');
    const input = applyInput('HS-03', { nights: 3, idempotencyKey: 'apply-r-a-1', hongKongMacaoYouth: true });
    const stay = await newStay('R-A-1', input);
    expect(stay).toMatchObject({ status: 'RESERVED', checkInDate: TODAY, checkOutDate: '2025-03-13', nights: 3, nightsLeft: 3, resident: { id: 'R-A-1' } });
    expect(stay.bed.id).toMatch(/^HS-03-/);
    expect(await freeBeds(sg, 'HS-03')).toBe(before - 1);
    const state = await snapshot(models);
    const again = await newStay('R-A-1', input);
    expect(again.id).toBe(stay.id);
    expect(await snapshot(models)).toBe(state);
    const reused = await apply(sg, 'R-A-1', { ...input, nights: 5 });
    expect(reused.errors?.[0].extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey' });
    expect(await snapshot(models)).toBe(state);
  });

  it('accepts a final-year student and a booking 14 days ahead without touching tonight', async () => {
    const before = await freeBeds(sg, 'HS-04');
    const stay = await newStay('R-A-2', applyInput('HS-04', { graduationDate: '2025-06-30', checkInDate: '2025-03-24', nights: 7 }));
    expect(stay.nightsLeft).toBe(7);
    expect(await freeBeds(sg, 'HS-04')).toBe(before);
  });

  it.each([
    ['input.graduationDate', { graduationDate: '2023-03-09' }],
    ['input.graduationDate', { graduationDate: '2026-04-01' }],
    ['input.checkInDate', { checkInDate: '2025-03-09' }],
    ['input.checkInDate', { checkInDate: '2025-03-25' }],
    ['input.nights', { nights: 8 }],
    ['input.nights', { nights: 0 }],
    ['input.school', { school: '' }],
    ['input.hostelId', { hostelId: '' }],
    ['input.idempotencyKey', { idempotencyKey: 'bad key!' }],
  ])('refuses a bad %s with nothing changed', async (field, patch) => {
    const state = await snapshot(models);
    const res = await apply(sg, 'R-A-3', applyInput('HS-02', patch));
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await snapshot(models)).toBe(state);
  });

  it('refuses unknown hostels, anonymous callers and non-residents with nothing changed', async () => {
    const state = await snapshot(models);
    expect((await apply(sg, 'R-A-3', applyInput('HS-99'))).errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', type: 'Hostel' });
    const APPLY_ONLY = `mutation($input: ApplyForHostelInput!) { applyForHostel(input: $input) { id } }`;
    expect(codeOf(await sg.query(APPLY_ONLY, { input: applyInput('HS-02') }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await sg.query(APPLY_ONLY, { input: applyInput('HS-02') }, desk))).toBe('FORBIDDEN');
    expect(await snapshot(models)).toBe(state);
  });

  it('refuses a second active stay', async () => {
    await newStay('R-A-4', applyInput('HS-02', { nights: 1 }));
    const state = await snapshot(models);
    const res = await apply(sg, 'R-A-4', applyInput('HS-03', { checkInDate: '2025-03-15', nights: 1 }));
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT' });
    expect(res.errors?.[0].message).toMatch(/one stay at a time/);
    expect(await snapshot(models)).toBe(state);
  });

  it('caps a person at 7 nights over two stays', async () => {
    const first = await newStay('R-A-5', applyInput('HS-02', { nights: 4 }));
    await sg.query(CHECK_IN, { id: first.id, ok: true }, desk);
    sg.setNow(new Date(NOW.getTime() + 4 * DAY));
    expect((await sg.query(CHECK_OUT, { id: first.id }, residentViewer('R-A-5'))).data.checkOutHostelStay.status).toBe('CHECKED_OUT');
    const state = await snapshot(models);
    const tooMany = await apply(sg, 'R-A-5', applyInput('HS-02', { checkInDate: '2025-03-14', nights: 4 }));
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', nightsRemaining: 3 });
    expect(await snapshot(models)).toBe(state);
    await newStay('R-A-5', applyInput('HS-02', { checkInDate: '2025-03-14', nights: 3 }));
    const q = `{ _entities(representations: [{ __typename: "Resident", id: "R-A-5" }]) { ... on Resident { hostelEligibility { eligible nightsUsed nightsRemaining } } } }`;
    expect((await sg.query(q, {}, residentViewer('R-A-5'))).data._entities[0].hostelEligibility).toEqual({ eligible: false, nightsUsed: 7, nightsRemaining: 0 });
  });

  it('says CONFLICT when no bed is free for all the nights', async () => {
    await addHostel(models, 'HS-T1', 1);
    await newStay('R-A-6', applyInput('HS-T1', { checkInDate: '2025-03-12', nights: 2 }));
    const state = await snapshot(models);
    const res = await apply(sg, 'R-A-7', applyInput('HS-T1', { checkInDate: '2025-03-11', nights: 2 }));
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', hostelId: 'HS-T1' });
    expect(await snapshot(models)).toBe(state);
    await newStay('R-A-7', applyInput('HS-T1', { checkInDate: '2025-03-10', nights: 2 }));
  });
});

describe('the stay state machine', () => {
  it('RESERVED → CHECKED_IN → CHECKED_OUT, with the desk\'s rules and the forbidden steps refused', async () => {
    const stay = await newStay('R-S-1', applyInput('HS-15', { nights: 3 }));
    expect(codeOf(await sg.query(CHECK_OUT, { id: stay.id }, residentViewer('R-S-1')))).toBe('CONFLICT');
    expect(codeOf(await sg.query(CHECK_IN, { id: stay.id, ok: true }, residentViewer('R-S-1')))).toBe('FORBIDDEN');
    expect(codeOf(await sg.query(CHECK_IN, { id: stay.id, ok: true }, staffViewer('FT-HR')))).toBe('FORBIDDEN');
    expect(codeOf(await sg.query(CHECK_IN, { id: stay.id, ok: true }))).toBe('UNAUTHENTICATED');
    const unverified = await sg.query(CHECK_IN, { id: stay.id, ok: false }, desk);
    expect(unverified.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idVerified' });

    const inRes = await sg.query(CHECK_IN, { id: stay.id, ok: true }, desk);
    expect(inRes.data.checkInHostelStay).toMatchObject({ status: 'CHECKED_IN', checkedInAt: NOW.toISOString(), nightsLeft: 3 });
    for (const [q, vars] of [[CHECK_IN, { id: stay.id, ok: true }], [CANCEL, { id: stay.id }]] as const) {
      expect(codeOf(await sg.query(q, vars, desk))).toBe('CONFLICT');
    }
    expect(codeOf(await sg.query(CHECK_OUT, { id: stay.id }, residentViewer('R-S-2')))).toBe('FORBIDDEN');

    sg.setNow(new Date(NOW.getTime() + DAY));
    const out = await sg.query(CHECK_OUT, { id: stay.id }, desk);
    expect(out.data.checkOutHostelStay).toMatchObject({ status: 'CHECKED_OUT', nightsLeft: 0 });
    // Nights from the check-out day on went back to the pool; the first night stays on record.
    expect(await models.BedNight.find({ stayId: stay.id }).distinct('night')).toEqual([TODAY]);
    for (const [q, vars] of [[CHECK_IN, { id: stay.id, ok: true }], [CANCEL, { id: stay.id }], [CHECK_OUT, { id: stay.id }]] as const) {
      expect(codeOf(await sg.query(q, vars, adminViewer))).toBe('CONFLICT');
    }
  });

  it('checks out on the check-in day and gives tonight\'s bed back', async () => {
    const stay = await newStay('R-S-3', applyInput('HS-15', { nights: 2 }));
    await sg.query(CHECK_IN, { id: stay.id, ok: true }, adminViewer);
    const before = await freeBeds(sg, 'HS-15');
    await sg.query(CHECK_OUT, { id: stay.id }, residentViewer('R-S-3'));
    expect(await freeBeds(sg, 'HS-15')).toBe(before + 1);
  });

  it('refuses check-in before the check-in day', async () => {
    const stay = await newStay('R-S-4', applyInput('HS-15', { checkInDate: '2025-03-12', nights: 1 }));
    const res = await sg.query(CHECK_IN, { id: stay.id, ok: true }, desk);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', checkInDate: '2025-03-12' });
    expect((await models.Stay.findById(stay.id).lean())!.status).toBe('RESERVED');
  });

  it('RESERVED → CANCELLED gives the beds back, then refuses every step', async () => {
    const stay = await newStay('R-S-5', applyInput('HS-15', { nights: 2 }));
    const before = await freeBeds(sg, 'HS-15');
    expect(codeOf(await sg.query(CANCEL, { id: stay.id }, residentViewer('R-S-6')))).toBe('FORBIDDEN');
    const res = await sg.query(CANCEL, { id: stay.id }, residentViewer('R-S-5'));
    expect(res.data.cancelHostelStay).toMatchObject({ status: 'CANCELLED', nightsLeft: 0, cancelledAt: NOW.toISOString() });
    expect(await freeBeds(sg, 'HS-15')).toBe(before + 1);
    expect(await models.BedNight.countDocuments({ stayId: stay.id })).toBe(0);
    for (const [q, vars] of [[CHECK_IN, { id: stay.id, ok: true }], [CANCEL, { id: stay.id }], [CHECK_OUT, { id: stay.id }]] as const) {
      expect(codeOf(await sg.query(q, vars, adminViewer))).toBe('CONFLICT');
    }
    // A cancelled stay counts no nights: the resident may book again at once.
    await newStay('R-S-5', applyInput('HS-15', { nights: 7 }));
  });

  it('RESERVED → NO_SHOW after the check-in day, beds back, one night counted, then refuses every step', async () => {
    const stay = await newStay('R-S-7', applyInput('HS-14', { nights: 3 }));
    const tomorrow = new Date(NOW.getTime() + DAY);
    sg.setNow(tomorrow);
    const before = await freeBeds(sg, 'HS-14');
    expect(codeOf(await sg.query(CANCEL, { id: stay.id }, residentViewer('R-S-7')))).toBe('CONFLICT');
    expect(await markHostelNoShows(serviceContext({ models, pubsub: sg.pubsub, clock: () => tomorrow }))).toBeGreaterThanOrEqual(1);
    expect(await markHostelNoShows(serviceContext({ models, pubsub: sg.pubsub, clock: () => tomorrow }))).toBe(0);
    expect((await models.Stay.findById(stay.id).lean())!.status).toBe('NO_SHOW');
    expect(await freeBeds(sg, 'HS-14')).toBe(before + 1);
    for (const [q, vars] of [[CHECK_IN, { id: stay.id, ok: true }], [CANCEL, { id: stay.id }], [CHECK_OUT, { id: stay.id }]] as const) {
      expect(codeOf(await sg.query(q, vars, adminViewer))).toBe('CONFLICT');
    }
    const q = `{ _entities(representations: [{ __typename: "Resident", id: "R-S-7" }]) { ... on Resident { hostelEligibility { eligible nightsUsed } } } }`;
    expect((await sg.query(q, {}, residentViewer('R-S-7'))).data._entities[0].hostelEligibility).toEqual({ eligible: true, nightsUsed: 1 });
  });

  it('answers NOT_FOUND, BAD_USER_INPUT and UNAUTHENTICATED for the stay mutations', async () => {
    for (const [q, vars] of [[CANCEL, {}], [CHECK_OUT, {}], [CHECK_IN, { ok: true }]] as const) {
      expect((await sg.query(q, { ...vars, id: '65f000000000000000000000' }, adminViewer)).errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
      expect((await sg.query(q, { ...vars, id: 'x' }, adminViewer)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
      expect(codeOf(await sg.query(q, { ...vars, id: '65f000000000000000000000' }))).toBe('UNAUTHENTICATED');
    }
  });
});

describe('subscription', () => {
  it('publishes the hostel with its new free beds when a stay takes tonight\'s bed', async () => {
    const client = createClient({
      url: sg.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { 'x-citygraph-viewer': signViewer(adminViewer, testConfig.internalSecret) },
    });
    try {
      const events = client.iterate<{ hostelAvailabilityChanged: { id: string; freeBeds: number } }>({
        query: `subscription { hostelAvailabilityChanged(hostelId: "HS-09") { id freeBeds } }`,
      });
      const first = events.next();
      const before = await freeBeds(sg, 'HS-09');
      // Wait until the subscription is registered before changing anything.
      await new Promise((r) => setTimeout(r, 200));
      await newStay('R-W-1', applyInput('HS-09', { nights: 1 }));
      const { value } = await first;
      expect(value!.data!.hostelAvailabilityChanged).toEqual({ id: 'HS-09', freeBeds: before - 1 });
      await events.return?.();
    } finally {
      await client.dispose();
    }
  });
});

describe('the one-active-stay slot', () => {
  /** The slot as an application that has not written its stay (yet, or ever) leaves it. */
  const heldSlot = (residentId: string, extra: { since?: Date; idempotencyKey?: string }) => {
    const stayId = new Types.ObjectId();
    return models.ActiveSlot.create({ scope: activeStayScope(residentId), slot: 0, holder: stayId.toHexString(), residentId, stayId, since: NOW, ...extra });
  };
  it('a slot left by an application that died before writing its stay is taken back after a minute', async () => {
    await addHostel(models, 'HS-T8', 2);
    // A crash between claiming the slot and writing the stay leaves this behind.
    await heldSlot('R-SL-1', { since: new Date(NOW.getTime() - 2 * 60_000) });
    const stay = await newStay('R-SL-1', applyInput('HS-T8', { nights: 1 }));
    expect(stay.status).toBe('RESERVED');
    expect((await models.ActiveSlot.findOne({ scope: activeStayScope('R-SL-1') }).lean())?.stayId.toHexString()).toBe(stay.id);
  });

  it('a fresh slot of another application still refuses with CONFLICT, and changes nothing', async () => {
    await addHostel(models, 'HS-T9', 2);
    await heldSlot('R-SL-2', { idempotencyKey: 'someone-else' });
    const before = await snapshot(models);
    const res = await apply(sg, 'R-SL-2', applyInput('HS-T9', { nights: 1, idempotencyKey: 'mine-0001' }));
    expect(codeOf(res)).toBe('CONFLICT');
    expect(await snapshot(models)).toEqual(before);
  });

  it('a retry that finds its own first attempt holding the slot waits for it instead of refusing', async () => {
    await addHostel(models, 'HS-TA', 2);
    const key = 'first-attempt-in-flight';
    await heldSlot('R-SL-3', { idempotencyKey: key });
    // The first attempt fails after a moment and gives the slot back; the retry then books.
    setTimeout(() => void models.ActiveSlot.deleteOne({ scope: activeStayScope('R-SL-3') }).exec(), 400);
    const stay = await newStay('R-SL-3', applyInput('HS-TA', { nights: 1, idempotencyKey: key }));
    expect(stay.status).toBe('RESERVED');
  });
});
