import { adminViewer, residentViewer, staffViewer, startSubgraph, type RunningSubgraph } from '../support/subgraph';
import { createSubgraph } from '../../subgraphs/parking/server';
import type { Models } from '../../subgraphs/parking/models';
import { ALL_DAY, FREE, NIGHTS, RESERVE, WED_20, createModels, errorOf, insertLot, minutes, testPlate } from './helpers';

let sg: RunningSubgraph;
let models: Models;
const gate = staffViewer('ST-440303002', '440303002'); // Dongxiao street office
const ENTRY = `mutation ($lotId: ID!, $plate: String!) { recordParkingEntry(lotId: $lotId, plate: $plate) { id status walkIn plate enteredAt lot { id freeSpacesNow } } }`;
const EXIT = `mutation ($lotId: ID!, $plate: String!) { recordParkingExit(lotId: $lotId, plate: $plate) { id status exitedAt fee lot { id freeSpacesNow } } }`;
const local = (iso: string) => new Date(`${iso}+08:00`);
const free = async (id: string) => (await sg.query(FREE, { id })).data.parkingLot.freeSpacesNow;

beforeAll(async () => {
  sg = await startSubgraph('parking_gate', createSubgraph, { now: WED_20 });
  models = createModels(sg.db.conn);
  await insertLot(models, 'PL-TG-01', ALL_DAY(3), { pricePerHour: 6 });
  await insertLot(models, 'PL-TG-02', NIGHTS(1));
});
afterAll(() => sg.stop());
beforeEach(() => sg.setNow(WED_20));

it('checks in a booking inside its entry window, then the exit frees its space and prices the stay', async () => {
  const lin = residentViewer('R-T-LIN');
  const r = (await sg.query(RESERVE, { lotId: 'PL-TG-01', plate: testPlate(40), arriveAt: minutes(WED_20, 45).toISOString() }, lin)).data.reserveParking;
  expect(await free('PL-TG-01')).toBe(2);

  const early = await sg.query(ENTRY, { lotId: 'PL-TG-01', plate: testPlate(40) }, gate);
  expect(errorOf(early)).toEqual({ code: 'CONFLICT' }); // the window opens at +15
  expect(await free('PL-TG-01')).toBe(2);

  sg.setNow(minutes(WED_20, 20));
  const entered = (await sg.query(ENTRY, { lotId: 'PL-TG-01', plate: testPlate(40) }, gate)).data.recordParkingEntry;
  expect(entered).toMatchObject({ id: r.id, status: 'CHECKED_IN', walkIn: false, plate: '粤B***40', enteredAt: minutes(WED_20, 20).toISOString() });
  expect(entered.lot.freeSpacesNow).toBe(2); // the booking already held the space
  expect(errorOf(await sg.query(ENTRY, { lotId: 'PL-TG-01', plate: testPlate(40) }, gate))).toEqual({ code: 'CONFLICT' });

  sg.setNow(minutes(WED_20, 20 + 61));
  const left = (await sg.query(EXIT, { lotId: 'PL-TG-01', plate: testPlate(40) }, gate)).data.recordParkingExit;
  expect(left).toMatchObject({ id: r.id, status: 'COMPLETED', fee: 12, lot: { id: 'PL-TG-01', freeSpacesNow: 3 } });
  expect(errorOf(await sg.query(EXIT, { lotId: 'PL-TG-01', plate: testPlate(40) }, gate))).toEqual({ code: 'CONFLICT' });
});

it('lets walk-ins take free spaces until the lot is full, and exits give them back', async () => {
  for (let i = 0; i < 3; i += 1) {
    const res = await sg.query(ENTRY, { lotId: 'PL-TG-01', plate: testPlate(50 + i) }, adminViewer);
    expect(res.data.recordParkingEntry).toMatchObject({ status: 'CHECKED_IN', walkIn: true, lot: { freeSpacesNow: 2 - i } });
  }
  const full = await sg.query(ENTRY, { lotId: 'PL-TG-01', plate: testPlate(53) }, gate);
  expect(errorOf(full)).toEqual({ code: 'CONFLICT' });
  expect(await models.Reservation.countDocuments({ plate: testPlate(53) })).toBe(0);
  // A car already inside cannot enter a second lot.
  expect(errorOf(await sg.query(ENTRY, { lotId: 'PL-TG-02', plate: testPlate(50) }, gate))).toEqual({ code: 'CONFLICT' });
  for (let i = 0; i < 3; i += 1) await sg.query(EXIT, { lotId: 'PL-TG-01', plate: testPlate(50 + i) }, gate);
  expect(await free('PL-TG-01')).toBe(3);
});

it('refuses walk-ins when the lot is not sharing, and a booking whose window has passed is a no-show first', async () => {
  sg.setNow(local('2025-03-12T12:00:00'));
  expect(errorOf(await sg.query(ENTRY, { lotId: 'PL-TG-02', plate: testPlate(60) }, gate))).toEqual({ code: 'CONFLICT' });

  sg.setNow(WED_20);
  const mei = residentViewer('R-T-MEI');
  const r = (await sg.query(RESERVE, { lotId: 'PL-TG-02', plate: testPlate(61), arriveAt: minutes(WED_20, 10).toISOString() }, mei)).data.reserveParking;
  sg.setNow(minutes(WED_20, 45)); // the entry window ended at +40
  const walkIn = (await sg.query(ENTRY, { lotId: 'PL-TG-02', plate: testPlate(61) }, gate)).data.recordParkingEntry;
  expect(walkIn).toMatchObject({ status: 'CHECKED_IN', walkIn: true, lot: { freeSpacesNow: 0 } });
  expect((await models.Reservation.findById(r.id).lean())!.status).toBe('NO_SHOW');
  await sg.query(EXIT, { lotId: 'PL-TG-02', plate: testPlate(61) }, gate);
});

it('only gate staff of the street and admins record entries and exits', async () => {
  const vars = { lotId: 'PL-TG-01', plate: testPlate(70) };
  expect(errorOf(await sg.query(ENTRY, vars))).toEqual({ code: 'UNAUTHENTICATED' });
  expect(errorOf(await sg.query(ENTRY, vars, residentViewer('R-T-LIN')))).toEqual({ code: 'FORBIDDEN' });
  expect(errorOf(await sg.query(ENTRY, vars, staffViewer('ST-440303003', '440303003')))).toEqual({ code: 'FORBIDDEN', field: 'lotId' });
  expect(errorOf(await sg.query(EXIT, vars, residentViewer('R-T-LIN')))).toEqual({ code: 'FORBIDDEN' });
  expect(errorOf(await sg.query(ENTRY, { lotId: 'PL-TG-99', plate: testPlate(70) }, gate))).toEqual({ code: 'NOT_FOUND' });
  expect(errorOf(await sg.query(ENTRY, { lotId: 'PL-TG-01', plate: 'ABC' }, gate))).toEqual({ code: 'BAD_USER_INPUT', field: 'plate' });
  expect(await models.Reservation.countDocuments({ plate: testPlate(70) })).toBe(0);
  expect(await free('PL-TG-01')).toBe(3);
});
