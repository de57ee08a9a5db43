import { DEMO_RESIDENT, DONGXIAO_STREET, COMMUNITIES, SHUIBEI } from '../../shared/dev/demo';
import { residentViewer, startSubgraph, type RunningSubgraph } from '../support/subgraph';
import { createSubgraph } from '../../subgraphs/parking/server';
import { seed } from '../../subgraphs/parking/seed';
import { DONGXIAO_SCHEME } from '../../subgraphs/parking/seed-data';
import { occurrenceAt } from '../../subgraphs/parking/domain/windows';
import type { Models } from '../../subgraphs/parking/models';
import { RESIDENT, WED_20, createModels, minutes } from './helpers';

let sg: RunningSubgraph;
let models: Models;
const NEARBY = `query ($lat: Float!, $lng: Float!) { parkingLotsNear(lat: $lat, lng: $lng, radiusMeters: 1000, onlyAvailable: true) { id distanceMeters freeSpacesNow currentWindow { startsAt endsAt } } }`;

beforeAll(async () => {
  sg = await startSubgraph('parking_seed', createSubgraph, { now: WED_20 });
  models = createModels(sg.db.conn);
});
afterAll(() => sg.stop());

async function counts() {
  return {
    lots: await models.Lot.countDocuments(),
    reservations: await models.Reservation.countDocuments(),
    vehicles: await models.Vehicle.countDocuments(),
    spaces: await models.Space.countDocuments(),
  };
}

it('loads Dongxiao street as published, idempotently, with the demo booking upcoming', async () => {
  await seed(sg.db, { now: WED_20 });
  const first = await counts();
  await seed(sg.db, { now: WED_20 });
  expect(await counts()).toEqual(first);
  expect(first.spaces).toBe(1); // the demo booking's space

  const dongxiao = await models.Lot.find({ streetCode: DONGXIAO_STREET }).lean();
  expect(dongxiao).toHaveLength(DONGXIAO_SCHEME.lotsOnline);
  expect(dongxiao.every((l) => /^PL-DX-\d{2}$/.test(l._id))).toBe(true);
  // Night-time spaces: what is released at 22:00 on a weekday.
  const wednesday22 = new Date('2025-03-12T14:00:00Z');
  expect(dongxiao.reduce((sum, l) => sum + (occurrenceAt(l.windows, wednesday22)?.spaces ?? 0), 0)).toBe(DONGXIAO_SCHEME.nightSpaces);
  for (const lot of dongxiao) {
    const c = COMMUNITIES.find((x) => x.code === lot.communityCode)!;
    expect(c.streetCode).toBe(DONGXIAO_STREET);
    expect(Math.abs(lot.lat - c.lat) * 111320).toBeLessThan(1000);
  }
  expect(await models.Lot.countDocuments({ communityCode: SHUIBEI })).toBeGreaterThan(0);

  const me = (await sg.query(RESIDENT, { id: DEMO_RESIDENT.id, upcoming: true }, residentViewer(DEMO_RESIDENT.id))).data._entities[0];
  expect(me.vehicles.map((v: any) => v.plate)).toContain(DEMO_RESIDENT.plate);
  expect(me.parkingReservations).toHaveLength(1);
  expect(me.parkingReservations[0]).toMatchObject({ status: 'CONFIRMED', plate: DEMO_RESIDENT.plate, lot: { id: 'PL-DX-01' } });
  const lot = (await sg.query('{ parkingLot(id: "PL-DX-01") { freeSpacesNow releasedSpacesNow } }')).data.parkingLot;
  expect(lot.freeSpacesNow).toBe(lot.releasedSpacesNow - 1);
});

it('moves the demo booking forward when it is no longer ahead, keeping one space held', async () => {
  const later = minutes(WED_20, 24 * 60 + 3); // Thursday 20:03
  await seed(sg.db, { now: later });
  const demo = await models.Reservation.find({ residentId: DEMO_RESIDENT.id }).lean();
  expect(demo).toHaveLength(1);
  expect(demo[0].arriveAt).toEqual(minutes(later, 45));
  expect(await models.Space.countDocuments()).toBe(1);
});

it('finds free spaces within 1 km of Dongxiao community at any hour, nearest first', async () => {
  const centre = COMMUNITIES.find((c) => c.streetCode === DONGXIAO_STREET)!;
  // Weekday noon, weekday 07:20 (night windows closing), Saturday 03:00, and now.
  for (const at of ['2025-03-12T12:00:00+08:00', '2025-03-13T07:20:00+08:00', '2025-03-15T03:00:00+08:00', new Date().toISOString()]) {
    sg.setNow(new Date(at));
    const lots = (await sg.query(NEARBY, { lat: centre.lat, lng: centre.lng })).data.parkingLotsNear;
    expect(lots.length).toBeGreaterThanOrEqual(3);
    expect(lots[0].id).toBe('PL-DX-01');
    const d = lots.map((l: any) => l.distanceMeters);
    expect([...d].sort((a, b) => a - b)).toEqual(d);
    for (const l of lots) expect(l.freeSpacesNow).toBeGreaterThan(0);
  }
});
