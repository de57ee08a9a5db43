import { Types } from 'mongoose';
import type { Models } from '../../subgraphs/hostels/models';
import { markHostelNoShows } from '../../subgraphs/hostels/services/no-shows';
import { activeStayScope } from '../../subgraphs/hostels/services/slots';
import { serviceContext } from '../../shared/subgraph/service';
import { adminViewer, type RunningSubgraph } from '../support/subgraph';
import { addHostel, apply, applyInput, codeOf, NOW, startHostels, TODAY } from './helpers';
import { concurrently, values } from '../support/concurrently';

let sg: RunningSubgraph;
let models: Models;

beforeAll(async () => {
  ({ sg, models } = await startHostels('hostels_load'));
  // 100 hostels in 100 communities, each with a bed held tonight by one of 100 residents' stays.
  await models.Hostel.insertMany(
    Array.from({ length: 100 }, (_, i) => ({
      _id: `HL-${i}`, name: `驿站${i}`, address: '深圳', communityCode: `C-${i}`, districtCode: 'D-1',
      totalBeds: 4, services: [], hongKongMacaoDesk: false, operatorId: `OP-${i % 7}`,
    })),
  );
  await models.Bed.insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: `HL-${i}-B1`, hostelId: `HL-${i}`, code: 'B1', room: '1' })));
  const stays = Array.from({ length: 100 }, (_, i) => ({
    _id: new Types.ObjectId(), idempotencyKey: `load-${i}`, residentId: `R-L-${i}`, hostelId: `HL-${i}`, bedId: `HL-${i}-B1`, status: 'CHECKED_IN',
    checkInDate: TODAY, checkOutDate: '2025-03-12', nights: 2, graduationDate: '2024-06-30', school: '深圳大学',
    hongKongMacaoYouth: false, createdAt: NOW,
  }));
  await models.Stay.insertMany(stays);
  await models.BedNight.insertMany(stays.map((s) => ({ hostelId: s.hostelId, bedId: s.bedId, night: TODAY, stayId: s._id })));
}, 60000);

afterAll(() => sg?.stop());

async function commandsFor(query: string, representations: unknown[]): Promise<number> {
  sg.db.counter.reset();
  const res = await sg.query(query, { representations }, adminViewer);
  expect(res.errors).toBeUndefined();
  expect(res.data._entities).toHaveLength(representations.length);
  return sg.db.counter.total;
}

describe('database commands stay constant however many entities are resolved', () => {
  const cases: Array<[string, string, (i: number) => unknown]> = [
    [
      'Hostel',
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Hostel { id name freeBeds totalBeds community { code } operator { id } } } }`,
      (i) => ({ __typename: 'Hostel', id: `HL-${i}` }),
    ],
    [
      'Community',
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Community { code hostels { id name freeBeds } } } }`,
      (i) => ({ __typename: 'Community', code: `C-${i}` }),
    ],
    [
      'Resident',
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Resident { id hostelStays { id status nightsLeft hostel { name freeBeds } bed { code } } hostelEligibility { nightsUsed } } } }`,
      (i) => ({ __typename: 'Resident', id: `R-L-${i}` }),
    ],
  ];
  it.each(cases)('%s: 10 and 100 representations cost the same', async (_name, query, rep) => {
    const ten = await commandsFor(query, Array.from({ length: 10 }, (_, i) => rep(i)));
    const hundred = await commandsFor(query, Array.from({ length: 100 }, (_, i) => rep(i)));
    expect(hundred).toBe(ten);
    expect(hundred).toBeLessThanOrEqual(4);
    console.log(`${_name} entities: ${ten} commands for 10, ${hundred} for 100`);
  });

  it('the hostels list with free beds costs the same for 100 hostels', async () => {
    sg.db.counter.reset();
    const res = await sg.query(`{ hostels(onlyAvailable: true) { id freeBeds community { code } } }`);
    expect(res.data.hostels).toHaveLength(100);
    expect(res.data.hostels.every((h: any) => h.freeBeds === 3)).toBe(true);
    expect(sg.db.counter.total).toBe(2);
  });
});

describe('concurrency', () => {
  it('50 residents applying at once for a 3-bed hostel get exactly 3 stays, no bed-night twice', async () => {
    await addHostel(models, 'HS-C1', 3);
    const results = values(
      await concurrently(50, (i) => apply(sg, `R-C-${i}`, applyInput('HS-C1', { checkInDate: '2025-03-11', nights: 4 }))),
    );
    const ok = results.filter((r) => !r.errors);
    expect(ok).toHaveLength(3);
    expect(results.filter((r) => codeOf(r) === 'CONFLICT')).toHaveLength(47);
    expect(new Set(ok.map((r) => r.data.applyForHostel.bed.id)).size).toBe(3);
    const nights = await models.BedNight.find({ hostelId: 'HS-C1' }).lean();
    expect(nights).toHaveLength(12);
    expect(new Set(nights.map((n) => `${n.bedId}/${n.night}`)).size).toBe(12);
    expect(await models.Stay.countDocuments({ hostelId: 'HS-C1' })).toBe(3);
    // The 47 refused residents hold nothing: only the 3 guests have an active slot.
    const slots = await models.ActiveSlot.find({ scope: { $in: Array.from({ length: 50 }, (_, i) => activeStayScope(`R-C-${i}`)) } }).lean();
    expect(slots.map((s) => s.stayId.toHexString()).sort()).toEqual(ok.map((r) => r.data.applyForHostel.id).sort());
  });

  it('two hostels of 2 beds, 60 attempts split between them: 2 stays each', async () => {
    await addHostel(models, 'HS-C2', 2);
    await addHostel(models, 'HS-C3', 2);
    const results = values(
      await concurrently(60, (i) => apply(sg, `R-D-${i}`, applyInput(i % 2 ? 'HS-C2' : 'HS-C3', { nights: 2 }))),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(4);
    expect(await models.Stay.countDocuments({ hostelId: 'HS-C2' })).toBe(2);
    expect(await models.Stay.countDocuments({ hostelId: 'HS-C3' })).toBe(2);
    expect(await models.BedNight.countDocuments({ hostelId: { $in: ['HS-C2', 'HS-C3'] } })).toBe(8);
  });

  it('one resident sending 10 applications at once gets one stay and one allowance debit', async () => {
    await addHostel(models, 'HS-C4', 20);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => apply(sg, 'R-E-1', applyInput('HS-C4', { nights: 2, idempotencyKey: `key-e-1-${i}` }))),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(await models.Stay.countDocuments({ residentId: 'R-E-1' })).toBe(1);
    expect(await models.BedNight.countDocuments({ hostelId: 'HS-C4' })).toBe(2);
    expect(await models.ActiveSlot.countDocuments({ scope: activeStayScope('R-E-1') })).toBe(1);
  });

  it('concurrent no-show sweeps mark each stay once', async () => {
    await addHostel(models, 'HS-C5', 10);
    for (let i = 0; i < 6; i++) {
      const res = await apply(sg, `R-F-${i}`, applyInput('HS-C5', { nights: 3 }));
      expect(res.errors).toBeUndefined();
    }
    const later = new Date(NOW.getTime() + 24 * 3600 * 1000);
    const due = await models.Stay.countDocuments({ status: 'RESERVED', checkInDate: { $lt: '2025-03-11' } });
    const counts = await Promise.all([1, 2, 3, 4].map(() => markHostelNoShows(serviceContext({ models, pubsub: sg.pubsub, clock: () => later }))));
    expect(await models.Stay.countDocuments({ hostelId: 'HS-C5', status: 'NO_SHOW' })).toBe(6);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(due);
    expect(await models.Transition.countDocuments({ to: 'NO_SHOW' })).toBe(due);
    expect(await models.BedNight.countDocuments({ hostelId: 'HS-C5', night: { $gte: '2025-03-11' } })).toBe(0);
  });
});
