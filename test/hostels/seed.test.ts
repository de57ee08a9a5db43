import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import type { Models } from '../../subgraphs/hostels/models';
import { seed } from '../../subgraphs/hostels/seed';
import { residentViewer, type RunningSubgraph } from '../support/subgraph';
import { NOW, startHostels } from './helpers';

let sg: RunningSubgraph;
let models: Models;

beforeAll(async () => {
  ({ sg, models } = await startHostels('hostels_seed'));
});
afterAll(() => sg?.stop());

async function counts() {
  return {
    hostels: await models.Hostel.countDocuments(),
    beds: await models.Bed.countDocuments(),
    stays: await models.Stay.countDocuments(),
    bedNights: await models.BedNight.countDocuments(),
    slots: await models.ActiveSlot.countDocuments(),
  };
}

it('seeds 15 hostels with 331 beds, runs twice to the same state, and keeps the demo stay current', async () => {
  await seed(sg.db, { now: NOW });
  const first = await counts();
  expect(first).toMatchObject({ hostels: 15, beds: 331, stays: 6 });
  const later = new Date(NOW.getTime() + 3 * 24 * 3600 * 1000);
  await seed(sg.db, { now: later });
  expect(await counts()).toEqual(first);
  const totals = await models.Hostel.find().lean();
  expect(totals.reduce((sum, h) => sum + h.totalBeds, 0)).toBe(331);
  expect(totals.filter((h) => h.hongKongMacaoDesk).length).toBeGreaterThanOrEqual(3);

  sg.setNow(later);
  const res = await sg.query(
    `query($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on Resident { hostelStays { status checkInDate nightsLeft hostel { name } } hostelEligibility { eligible nightsUsed nightsRemaining } }
      ... on Community { hostels { id name freeBeds } } } }`,
    { reps: [{ __typename: 'Resident', id: DEMO_RESIDENT_ID }, { __typename: 'Community', code: SHUIBEI }] },
    residentViewer(DEMO_RESIDENT_ID),
  );
  expect(res.errors).toBeUndefined();
  const [demo, shuibei] = res.data._entities;
  expect(demo.hostelStays).toEqual([{ status: 'CHECKED_IN', checkInDate: '2025-03-12', nightsLeft: 4, hostel: { name: '深圳青年驿站·罗湖水贝站' } }]);
  expect(demo.hostelEligibility).toEqual({ eligible: false, nightsUsed: 5, nightsRemaining: 2 });
  expect(shuibei.hostels).toEqual([{ id: 'HS-01', name: '深圳青年驿站·罗湖水贝站', freeBeds: 22 }]);
  const free = await sg.query(`{ hostels { freeBeds } }`);
  expect(new Set(free.data.hostels.map((h: any) => h.freeBeds)).size).toBeGreaterThan(1);
});
