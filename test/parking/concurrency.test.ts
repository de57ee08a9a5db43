import { residentViewer, staffViewer, startSubgraph, type RunningSubgraph } from '../support/subgraph';
import { createSubgraph } from '../../subgraphs/parking/server';
import type { Models } from '../../subgraphs/parking/models';
import { ALL_DAY, FREE, RESERVE, WED_20, createModels, insertLot, minutes, testPlate } from './helpers';
import { concurrently, values } from '../support/concurrently';

let sg: RunningSubgraph;
let models: Models;
const ENTRY = `mutation ($lotId: ID!, $plate: String!) { recordParkingEntry(lotId: $lotId, plate: $plate) { id } }`;

beforeAll(async () => {
  sg = await startSubgraph('parking_race', createSubgraph, { now: WED_20 });
  models = createModels(sg.db.conn);
  await insertLot(models, 'PL-TC-01', ALL_DAY(5));
  await insertLot(models, 'PL-TC-02', ALL_DAY(3));
  await insertLot(models, 'PL-TC-03', ALL_DAY(50));
});
afterAll(() => sg.stop());

it('60 residents tapping at once for 5 spaces: exactly 5 bookings, never more holders than spaces', async () => {
  const results = values(
    await concurrently(60, (i) =>
      sg.query(RESERVE, { lotId: 'PL-TC-01', plate: testPlate(100 + i), arriveAt: minutes(WED_20, 20).toISOString() }, residentViewer(`R-RACE-${i}`)),
    ),
  );
  const ok = results.filter((r) => r.data?.reserveParking);
  const refused = results.filter((r) => r.errors);
  expect(ok).toHaveLength(5);
  expect(refused).toHaveLength(55);
  expect(new Set(refused.map((r) => r.errors![0].extensions!.code))).toEqual(new Set(['CONFLICT']));
  expect(await models.Reservation.countDocuments({ lotId: 'PL-TC-01', status: 'CONFIRMED' })).toBe(5);
  expect(await models.Space.countDocuments({ lotId: 'PL-TC-01' })).toBe(5);
  expect((await sg.query(FREE, { id: 'PL-TC-01' })).data.parkingLot.freeSpacesNow).toBe(0);
});

it('50 cars at the gate for 3 spaces: exactly 3 walk-ins inside', async () => {
  const gate = staffViewer('ST-440303002');
  const results = values(await concurrently(50, (i) => sg.query(ENTRY, { lotId: 'PL-TC-02', plate: testPlate(200 + i) }, gate)));
  expect(results.filter((r) => r.data?.recordParkingEntry)).toHaveLength(3);
  expect(await models.Reservation.countDocuments({ lotId: 'PL-TC-02', status: 'CHECKED_IN' })).toBe(3);
  expect((await sg.query(FREE, { id: 'PL-TC-02' })).data.parkingLot.freeSpacesNow).toBe(0);
});

it('one resident tapping 10 times with 10 plates gets at most the 2 bookings a day', async () => {
  const tina = residentViewer('R-RACE-TINA');
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      sg.query(RESERVE, { lotId: 'PL-TC-03', plate: testPlate(300 + i), arriveAt: minutes(WED_20, 20).toISOString() }, tina),
    ),
  );
  expect(results.filter((r) => r.data?.reserveParking)).toHaveLength(2);
  expect(await models.Reservation.countDocuments({ residentId: 'R-RACE-TINA' })).toBe(2);
  // Every refused tap gave its space back.
  expect((await sg.query(FREE, { id: 'PL-TC-03' })).data.parkingLot.freeSpacesNow).toBe(48);
});

it('the same plate tapped 20 times at once holds one booking', async () => {
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      sg.query(RESERVE, { lotId: 'PL-TC-03', plate: '粤B77777', arriveAt: minutes(WED_20, 20).toISOString() }, residentViewer(`R-RACE-P${i}`)),
    ),
  );
  expect(results.filter((r) => r.data?.reserveParking)).toHaveLength(1);
  expect(await models.Reservation.countDocuments({ plate: '粤B77777' })).toBe(1);
  expect((await sg.query(FREE, { id: 'PL-TC-03' })).data.parkingLot.freeSpacesNow).toBe(47);
});
