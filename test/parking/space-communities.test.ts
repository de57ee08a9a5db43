import { createSubgraph } from '../../subgraphs/parking/server';
import { occurrenceAt } from '../../subgraphs/parking/domain/windows';
import { occurrenceKeyOf } from '../../subgraphs/parking/services/capacity';
import { testDatabase } from '../support/db';
import { residentViewer, startSubgraph, type RunningSubgraph } from '../support/subgraph';
import { ALL_DAY, FREE, RESERVE, WED_20, createModels, insertLot, minutes } from './helpers';

/*
 * A lot's free spaces are counted from its community's taken spaces (one equality query per
 * community, pushed down on FerretDB). Spaces taken before the community was stored on them get it
 * at start-up, so they still count.
 */

let sg: RunningSubgraph;

afterAll(() => sg?.stop());

it('counts a space stored without its community once the subgraph has started, and new spaces with it', async () => {
  const db = await testDatabase('parking_space_communities');
  const models = createModels(db.conn);
  await insertLot(models, 'PL-SC-01', ALL_DAY(3));
  await insertLot(models, 'PL-SC-02', ALL_DAY(3), { communityCode: '440303002002' });
  const occ = occurrenceAt(ALL_DAY(3), WED_20)!;
  // As an earlier version stored it: no communityCode.
  await models.Space.collection.insertOne({
    scope: occurrenceKeyOf('PL-SC-01', occ),
    slot: 0,
    holder: 'old-holder',
    lotId: 'PL-SC-01',
    windowId: occ.windowId,
    startsAt: occ.startsAt,
    endsAt: occ.endsAt,
    createdAt: WED_20,
  });

  sg = await startSubgraph('parking_space_communities', createSubgraph, { now: WED_20, db });
  const stored = await models.Space.findOne({ holder: 'old-holder' }).lean();
  expect(stored?.communityCode).toBe('440303002001');
  expect((await sg.query(FREE, { id: 'PL-SC-01' })).data.parkingLot.freeSpacesNow).toBe(2);

  const booked = await sg.query(RESERVE, { lotId: 'PL-SC-02', plate: '粤B5C001', arriveAt: minutes(WED_20, 20).toISOString() }, residentViewer('R-T-SC'));
  expect(booked.errors).toBeUndefined();
  const held = await models.Space.find({ lotId: 'PL-SC-02' }).lean();
  expect(held.map((s) => s.communityCode)).toEqual(['440303002002']);
  // Each lot's count is its own, though both are read per community.
  expect((await sg.query(FREE, { id: 'PL-SC-02' })).data.parkingLot.freeSpacesNow).toBe(2);
  expect((await sg.query(FREE, { id: 'PL-SC-01' })).data.parkingLot.freeSpacesNow).toBe(2);
});
