import { adminViewer, startSubgraph, type RunningSubgraph } from '../support/subgraph';
import { createSubgraph } from '../../subgraphs/parking/server';
import type { Models } from '../../subgraphs/parking/models';
import { ALL_DAY, NIGHTS, WED_20, createModels, insertLot, minutes, testPlate } from './helpers';
import { Types } from 'mongoose';

let sg: RunningSubgraph;
let models: Models;
const LOTS = 100;

const LOT_ENTITIES = `query ($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on ParkingLot { id name freeSpacesNow releasedSpacesNow currentWindow { startsAt } nextWindow { startsAt } community { code } street { code } }
} }`;
const RESIDENT_ENTITIES = `query ($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Resident { id parkingReservations(upcoming: true) { id plate lot { id name freeSpacesNow } } vehicles { plate } parkingBookingStatus { bookingsToday blocked } }
} }`;
const PLACE_ENTITIES = `query ($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Community { code parkingLots { id freeSpacesNow } }
  ... on Street { code parkingLots { id } }
  ... on Department { id parkingLots { id } }
} }`;

beforeAll(async () => {
  sg = await startSubgraph('parking_entities', createSubgraph, { now: WED_20 });
  models = createModels(sg.db.conn);
  const lots = Array.from({ length: LOTS }, (_, i) => ({
    _id: `PL-TE-${String(i + 1).padStart(3, '0')}`,
    name: `测试停车场${i + 1}`,
    address: '深圳市罗湖区东晓路1号',
    lat: 22.58,
    lng: 114.13,
    communityCode: i % 2 ? '440303002001' : '440303002002',
    streetCode: '440303002',
    ownerType: i === 0 ? 'GOVERNMENT_OFFICE' : 'RESIDENTIAL_ESTATE',
    ownerName: '测试',
    ownerDepartmentId: i === 0 ? 'ST-440303002' : undefined,
    totalSpaces: 100,
    pricePerHour: 5,
    freeFirstMinutes: 0,
    windows: i % 3 ? ALL_DAY(10) : NIGHTS(10),
  }));
  await models.Lot.insertMany(lots);
  // One upcoming booking per resident, each at its own lot, holding a space.
  const reservations = lots.map((lot, i) => ({
    _id: new Types.ObjectId(),
    lotId: lot._id,
    residentId: `R-E-${i}`,
    plate: testPlate(i),
    walkIn: false,
    status: 'CONFIRMED',
    arriveAt: minutes(WED_20, 30),
    entryWindowStart: WED_20,
    entryWindowEnd: minutes(WED_20, 60),
    mustLeaveBy: minutes(WED_20, 600),
    windowId: lot.windows[0].id,
    spaceId: `x${i}`,
    lateCancellation: false,
    createdAt: WED_20,
    updatedAt: WED_20,
  }));
  await models.Reservation.insertMany(reservations);
  await models.Vehicle.insertMany(lots.map((_, i) => ({ residentId: `R-E-${i}`, plate: testPlate(i), createdAt: WED_20 })));
});
afterAll(() => sg.stop());

async function commandsFor(query: string, reps: unknown[], viewer?: typeof adminViewer) {
  sg.db.counter.reset();
  const res = await sg.query(query, { reps }, viewer);
  expect(res.errors).toBeUndefined();
  return { res, commands: sg.db.counter.total, detail: sg.db.counter.snapshot() };
}

it('resolves ParkingLot references with their live fields in a constant number of commands', async () => {
  const reps = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'ParkingLot', id: `PL-TE-${String(i + 1).padStart(3, '0')}` }));
  const ten = await commandsFor(LOT_ENTITIES, reps(10));
  const hundred = await commandsFor(LOT_ENTITIES, reps(100));
  expect(hundred.res.data._entities).toHaveLength(100);
  expect(hundred.res.data._entities[1]).toMatchObject({ id: 'PL-TE-002', freeSpacesNow: 10, community: { code: '440303002001' } });
  expect(hundred.commands).toBe(ten.commands);
  // One query for the lots, one per community for their taken spaces (two communities here).
  expect(hundred.commands).toBeLessThanOrEqual(3);
  console.log(`ParkingLot _entities: 10 → ${ten.commands} commands, 100 → ${hundred.commands} (${JSON.stringify(hundred.detail)})`);
  const missing = await sg.query(LOT_ENTITIES, { reps: [{ __typename: 'ParkingLot', id: 'PL-NOPE-01' }] });
  expect(missing.data._entities).toEqual([null]);
});

it('resolves Resident references with bookings, their lots, vehicles and standing in a constant number of commands', async () => {
  const reps = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Resident', id: `R-E-${i}` }));
  const ten = await commandsFor(RESIDENT_ENTITIES, reps(10), adminViewer);
  const hundred = await commandsFor(RESIDENT_ENTITIES, reps(100), adminViewer);
  const r = hundred.res.data._entities[7];
  expect(r).toMatchObject({ id: 'R-E-7', vehicles: [{ plate: testPlate(7) }], parkingBookingStatus: { bookingsToday: 1, blocked: false } });
  expect(r.parkingReservations[0].lot.id).toBe('PL-TE-008');
  expect(hundred.commands).toBe(ten.commands);
  // Taken spaces: one query per community of the lots (two here).
  expect(hundred.commands).toBeLessThanOrEqual(6);
  console.log(`Resident _entities: 10 → ${ten.commands} commands, 100 → ${hundred.commands} (${JSON.stringify(hundred.detail)})`);
});

it('resolves Community, Street and Department references with their lots', async () => {
  const { res, commands } = await commandsFor(PLACE_ENTITIES, [
    { __typename: 'Community', code: '440303002001' },
    { __typename: 'Community', code: '440303002002' },
    { __typename: 'Street', code: '440303002' },
    { __typename: 'Department', id: 'ST-440303002' },
    { __typename: 'Community', code: '440303003001' },
  ]);
  const [a, b, street, dept, empty] = res.data._entities;
  expect(a.parkingLots).toHaveLength(50);
  expect(b.parkingLots).toHaveLength(50);
  expect(street.parkingLots).toHaveLength(100);
  expect(dept.parkingLots).toEqual([{ id: 'PL-TE-001' }]);
  expect(empty).toEqual({ code: '440303003001', parkingLots: [] });
  // One query per loader (communities, streets, departments), or one per key for a loader's
  // small batch (pushed down on FerretDB, see shared/loaders.ts): three communities; and the
  // taken spaces, one query per community with lots (two).
  expect(commands).toBeLessThanOrEqual(7);
});
