import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { adminViewer, residentViewer, staffViewer, startSubgraph, type RunningSubgraph } from '../support/subgraph';
import { createSubgraph } from '../../subgraphs/parking/server';
import type { Models } from '../../subgraphs/parking/models';
import { ALL_DAY, CANCEL, NIGHTS, RESERVE, WED_20, createModels, errorOf, insertLot, minutes, testPlate } from './helpers';

let sg: RunningSubgraph;
let models: Models;
const local = (iso: string) => new Date(`${iso}+08:00`);
const CENTRE = { lat: 22.5826, lng: 114.133 };
// Metres to degrees of latitude near Shenzhen.
const north = (m: number) => CENTRE.lat + m / 111320;

const NEARBY = `query ($lat: Float!, $lng: Float!, $radiusMeters: Int!, $onlyAvailable: Boolean) {
  parkingLotsNear(lat: $lat, lng: $lng, radiusMeters: $radiusMeters, onlyAvailable: $onlyAvailable) {
    id name distanceMeters freeSpacesNow availableSpotNumber pricePerHour currentWindow { startsAt endsAt } community { code }
  }
}`;
const LOT = `query ($id: ID!) { parkingLot(id: $id) {
  id name address lat lng ownerType ownerName totalSpaces totalSpotNumber pricePerHour freeFirstMinutes
  community { code } street { code } ownerDepartment { id }
  windows { id days start end spaces mustLeaveBy }
  currentWindow { startsAt endsAt mustLeaveBy spaces } nextWindow { startsAt endsAt mustLeaveBy spaces }
  releasedSpacesNow freeSpacesNow availableSpotNumber distanceMeters
} }`;
const CREATE = `mutation ($input: ParkingLotInput!) { createParkingLot(input: $input) { id name street { code } windows { id days start end spaces mustLeaveBy } freeSpacesNow } }`;
const SET_WINDOWS = `mutation ($lotId: ID!, $windows: [ParkingSharingWindowInput!]!) { setParkingSharingWindows(lotId: $lotId, windows: $windows) { id windows { id spaces } releasedSpacesNow } }`;

beforeAll(async () => {
  sg = await startSubgraph('parking_lots', createSubgraph, { now: WED_20 });
  models = createModels(sg.db.conn);
  await insertLot(models, 'PL-TL-01', NIGHTS(4), { lat: north(300), lng: CENTRE.lng });
  await insertLot(models, 'PL-TL-02', ALL_DAY(2), { lat: north(100), lng: CENTRE.lng, ownerType: 'GOVERNMENT_OFFICE', ownerDepartmentId: 'ST-440303002', freeFirstMinutes: 60 });
  await insertLot(models, 'PL-TL-03', ALL_DAY(1), { lat: north(2500), lng: CENTRE.lng, communityCode: '440303003001', streetCode: '440303003' });
});
afterAll(() => sg.stop());
beforeEach(() => sg.setNow(WED_20));

describe('queries', () => {
  it('parkingLot shows the lot, its windows, the window open now and the next one', async () => {
    const lot = (await sg.query(LOT, { id: 'PL-TL-01' })).data.parkingLot;
    expect(lot).toMatchObject({
      id: 'PL-TL-01',
      ownerType: 'OFFICE_BUILDING',
      totalSpaces: 200,
      totalSpotNumber: 200,
      community: { code: '440303002001' },
      street: { code: '440303002' },
      ownerDepartment: null,
      windows: [
        { id: 'W12345-1830-0730', days: [1, 2, 3, 4, 5], start: '18:30', end: '07:30', spaces: 4, mustLeaveBy: '07:30' },
        { id: 'W67-0730-0730', days: [6, 7], start: '07:30', end: '07:30', spaces: 4, mustLeaveBy: '07:30' },
      ],
      currentWindow: { startsAt: local('2025-03-12T18:30:00').toISOString(), endsAt: local('2025-03-13T07:30:00').toISOString(), mustLeaveBy: local('2025-03-13T07:30:00').toISOString(), spaces: 4 },
      nextWindow: { startsAt: local('2025-03-13T18:30:00').toISOString() },
      releasedSpacesNow: 4,
      freeSpacesNow: 4,
      availableSpotNumber: 4,
      distanceMeters: null,
    });
    sg.setNow(local('2025-03-12T12:00:00'));
    const noon = (await sg.query(LOT, { id: 'PL-TL-01' })).data.parkingLot;
    expect(noon).toMatchObject({ currentWindow: null, releasedSpacesNow: 0, freeSpacesNow: 0, nextWindow: { startsAt: local('2025-03-12T18:30:00').toISOString() } });
    expect((await sg.query(LOT, { id: 'PL-TL-99' })).data.parkingLot).toBeNull();
    expect((await sg.query(LOT, { id: 'PL-TL-02' })).data.parkingLot).toMatchObject({ ownerDepartment: { id: 'ST-440303002' }, freeFirstMinutes: 60 });
  });

  it('parkingLots filters by community and street', async () => {
    const byCommunity = await sg.query('query { parkingLots(communityCode: "440303002001") { id } }');
    expect(byCommunity.data.parkingLots.map((l: any) => l.id)).toEqual(['PL-TL-01', 'PL-TL-02']);
    const byStreet = await sg.query('query { parkingLots(streetCode: "440303003") { id } }');
    expect(byStreet.data.parkingLots.map((l: any) => l.id)).toEqual(['PL-TL-03']);
    expect((await sg.query('query { parkingLots { id } }')).data.parkingLots.length).toBeGreaterThanOrEqual(3);
    expect(errorOf(await sg.query('query { parkingLots(communityCode: "a b") { id } }'))).toEqual({ code: 'BAD_USER_INPUT', field: 'communityCode' });
  });

  it('parkingLotsNear sorts by distance within the radius and keeps only open lots with free spaces when asked (contract NearbyParking)', async () => {
    const all = (await sg.query(NEARBY, { ...CENTRE, radiusMeters: 1000 })).data.parkingLotsNear;
    expect(all.map((l: any) => [l.id, l.distanceMeters])).toEqual([['PL-TL-02', 100], ['PL-TL-01', 300]]);
    expect(all[0]).toMatchObject({ freeSpacesNow: 2, availableSpotNumber: 2, pricePerHour: 6, community: { code: '440303002001' } });
    expect(all[0].currentWindow.startsAt).toBe(local('2025-03-12T00:00:00').toISOString());
    expect((await sg.query(NEARBY, { ...CENTRE, radiusMeters: 3000 })).data.parkingLotsNear).toHaveLength(3);

    sg.setNow(local('2025-03-12T12:00:00')); // night lot closed at noon
    const open = (await sg.query(NEARBY, { ...CENTRE, radiusMeters: 1000, onlyAvailable: true })).data.parkingLotsNear;
    expect(open.map((l: any) => l.id)).toEqual(['PL-TL-02']);

    // Full: both spaces of PL-TL-02 taken.
    sg.setNow(WED_20);
    const ids: string[] = [];
    for (const n of [1, 2]) {
      const r = await sg.query(RESERVE, { lotId: 'PL-TL-02', plate: testPlate(n), arriveAt: minutes(WED_20, 10).toISOString() }, residentViewer(`R-T-N${n}`));
      ids.push(r.data.reserveParking.id);
    }
    const available = (await sg.query(NEARBY, { ...CENTRE, radiusMeters: 1000, onlyAvailable: true })).data.parkingLotsNear;
    expect(available.map((l: any) => l.id)).toEqual(['PL-TL-01']);
    for (const [i, id] of ids.entries()) await sg.query(CANCEL, { id }, residentViewer(`R-T-N${i + 1}`));
  });

  it('refuses a radius outside 1..20000 m and bad coordinates', async () => {
    expect(errorOf(await sg.query(NEARBY, { ...CENTRE, radiusMeters: 0 }))).toEqual({ code: 'BAD_USER_INPUT', field: 'radiusMeters' });
    expect(errorOf(await sg.query(NEARBY, { ...CENTRE, radiusMeters: 20001 }))).toEqual({ code: 'BAD_USER_INPUT', field: 'radiusMeters' });
    expect(errorOf(await sg.query(NEARBY, { lat: 95, lng: CENTRE.lng, radiusMeters: 100 }))).toEqual({ code: 'BAD_USER_INPUT', field: 'lat' });
  });
});

describe('admin lot management', () => {
  const input = {
    id: 'PL-TL-10',
    name: '东晓测试大厦停车场',
    address: '深圳市罗湖区东晓路100号',
    lat: 22.583,
    lng: 114.134,
    communityCode: '440303002003',
    ownerType: 'OFFICE_BUILDING',
    ownerName: '东晓测试大厦',
    totalSpaces: 100,
    pricePerHour: 8,
    windows: [
      { days: [1, 2, 3, 4, 5], start: '18:30', end: '07:30', spaces: 30, mustLeaveBy: '07:30' },
      // Saturday 07:30 onwards: Friday night's window runs until then.
      { days: [6, 7], start: '07:30', end: '07:30', spaces: 50 },
    ],
  };

  it('creates a lot; only admins; bad input names the field; a second copy is a CONFLICT', async () => {
    expect(errorOf(await sg.query(CREATE, { input }, staffViewer('LH-URBAN')))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await sg.query(CREATE, { input }))).toEqual({ code: 'UNAUTHENTICATED' });
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ id: 'LOT-1' }, 'input.id'],
      [{ name: '  ' }, 'input.name'],
      [{ lat: 40 }, 'input.lat'],
      [{ communityCode: '999999' }, 'input.communityCode'],
      // Whether the community and the department exist is asked of requests, their owner:
      // test/integration/residents.test.ts (this subgraph runs alone here).
      [{ totalSpaces: 0 }, 'input.totalSpaces'],
      [{ pricePerHour: -1 }, 'input.pricePerHour'],
      [{ windows: [{ days: [1], start: '18:30', end: '07:30', spaces: 101 }] }, 'input.windows.0.spaces'],
      [{ windows: [...input.windows, { days: [3], start: '20:00', end: '22:00', spaces: 1 }] }, 'input.windows.2'],
    ];
    for (const [change, field] of bad) {
      expect(errorOf(await sg.query(CREATE, { input: { ...input, ...change } }, adminViewer))).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    expect(await models.Lot.countDocuments({ _id: 'PL-TL-10' })).toBe(0);
    const created = (await sg.query(CREATE, { input }, adminViewer)).data.createParkingLot;
    expect(created).toMatchObject({ id: 'PL-TL-10', street: { code: '440303002' }, freeSpacesNow: 30 });
    expect(created.windows[1]).toEqual({ id: 'W67-0730-0730', days: [6, 7], start: '07:30', end: '07:30', spaces: 50, mustLeaveBy: null });
    // Friday night and an all-day Saturday would overlap: refused.
    const overlapping = { ...input, id: 'PL-TL-11', windows: [input.windows[0], { days: [6], start: '00:00', end: '24:00', spaces: 5 }] };
    expect(errorOf(await sg.query(CREATE, { input: overlapping }, adminViewer))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.windows.1' });
    expect(errorOf(await sg.query(CREATE, { input }, adminViewer))).toEqual({ code: 'CONFLICT' });
  });

  it('replaces windows, refusing while bookings hold spaces in a window being changed', async () => {
    const olive = residentViewer('R-T-OLIVE');
    const r = (await sg.query(RESERVE, { lotId: 'PL-TL-01', plate: testPlate(9), arriveAt: minutes(WED_20, 10).toISOString() }, olive)).data.reserveParking;
    const resized = [{ days: [1, 2, 3, 4, 5], start: '18:30', end: '07:30', spaces: 10, mustLeaveBy: '07:30' }];
    const refused = await sg.query(SET_WINDOWS, { lotId: 'PL-TL-01', windows: resized }, adminViewer);
    expect(errorOf(refused)).toEqual({ code: 'CONFLICT' });
    expect((await models.Lot.findById('PL-TL-01').lean())!.windows).toHaveLength(2);
    // Dropping only the weekend window leaves the booked one as it is: allowed.
    const kept = [{ days: [1, 2, 3, 4, 5], start: '18:30', end: '07:30', spaces: 4, mustLeaveBy: '07:30' }];
    expect((await sg.query(SET_WINDOWS, { lotId: 'PL-TL-01', windows: kept }, adminViewer)).data.setParkingSharingWindows.windows).toEqual([{ id: 'W12345-1830-0730', spaces: 4 }]);
    await sg.query(CANCEL, { id: r.id }, olive);
    const done = (await sg.query(SET_WINDOWS, { lotId: 'PL-TL-01', windows: resized }, adminViewer)).data.setParkingSharingWindows;
    expect(done).toMatchObject({ releasedSpacesNow: 10 });
    expect(errorOf(await sg.query(SET_WINDOWS, { lotId: 'PL-TL-01', windows: resized }, residentViewer('R-T-OLIVE')))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await sg.query(SET_WINDOWS, { lotId: 'PL-TL-98', windows: resized }, adminViewer))).toEqual({ code: 'NOT_FOUND' });
  });
});

describe('vehicles', () => {
  const REGISTER = 'mutation ($plate: String!) { registerParkingVehicle(plate: $plate) { id plate registeredAt } }';
  it('registers a plate once per owner, refuses it to others and bad plates', async () => {
    const pat = residentViewer('R-T-PAT');
    const first = (await sg.query(REGISTER, { plate: '粤B 6D789' }, pat)).data.registerParkingVehicle;
    expect(first).toMatchObject({ plate: '粤B6D789', registeredAt: WED_20.toISOString() });
    expect((await sg.query(REGISTER, { plate: '粤B6D789' }, pat)).data.registerParkingVehicle.id).toBe(first.id);
    expect(errorOf(await sg.query(REGISTER, { plate: '粤B6D789' }, residentViewer('R-T-QUINN')))).toEqual({ code: 'CONFLICT', field: 'plate' });
    expect(errorOf(await sg.query(REGISTER, { plate: 'B6D789' }, pat))).toEqual({ code: 'BAD_USER_INPUT', field: 'plate' });
    expect(errorOf(await sg.query(REGISTER, { plate: '粤B6D789' }))).toEqual({ code: 'UNAUTHENTICATED' });
    expect(await models.Vehicle.countDocuments({ plate: '粤B6D789' })).toBe(1);
  });
});

describe('parkingAvailabilityChanged', () => {
  it('pushes the lot with its new free spaces on every booking and cancellation', async () => {
    const url = sg.url.replace('http', 'ws') + '/graphql';
    const client = createClient({ url, webSocketImpl: WebSocket, lazy: false });
    const events: number[] = [];
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe<{ parkingAvailabilityChanged: { id: string; freeSpacesNow: number } }>(
        { query: 'subscription { parkingAvailabilityChanged(lotId: "PL-TL-03") { id freeSpacesNow } }' },
        {
          next: (msg) => {
            events.push(msg.data!.parkingAvailabilityChanged.freeSpacesNow);
            if (events.length === 2) resolve();
          },
          error: reject,
          complete: () => {},
        },
      );
    });
    // Let the subscription reach the server before publishing.
    await new Promise((r) => setTimeout(r, 300));
    const rosa = residentViewer('R-T-ROSA');
    const r = (await sg.query(RESERVE, { lotId: 'PL-TL-03', plate: testPlate(80), arriveAt: minutes(WED_20, 5).toISOString() }, rosa)).data.reserveParking;
    await sg.query(CANCEL, { id: r.id }, rosa);
    await done;
    expect(events).toEqual([0, 1]);
    await client.dispose();
  });
});
