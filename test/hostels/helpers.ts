import { createModels, type Models } from '../../subgraphs/hostels/models';
import { createSubgraph } from '../../subgraphs/hostels/server';
import { residentViewer, startSubgraph, type RunningSubgraph } from '../support/subgraph';

/** 10:00 on Monday 10 March 2025, Shenzhen time. */
export const NOW = new Date('2025-03-10T02:00:00Z');
export const TODAY = '2025-03-10';

export async function startHostels(label: string, now = NOW): Promise<{ sg: RunningSubgraph; models: Models }> {
  const sg = await startSubgraph(label, createSubgraph, { now });
  return { sg, models: createModels(sg.db.conn) };
}

/** A small hostel run by `operatorId`, with `beds` beds in one mixed room. */
export async function addHostel(models: Models, id: string, beds: number, opts: { communityCode?: string; operatorId?: string } = {}) {
  await models.Hostel.create({
    _id: id,
    name: `测试驿站${id}`,
    address: '深圳市罗湖区测试路1号',
    communityCode: opts.communityCode ?? '440303003001',
    districtCode: '440303',
    totalBeds: beds,
    services: ['就业指导'],
    hongKongMacaoDesk: false,
    operatorId: opts.operatorId ?? 'LH-HR',
  });
  await models.Bed.insertMany(
    Array.from({ length: beds }, (_, i) => ({ _id: `${id}-B${i + 1}`, hostelId: id, code: `B${i + 1}`, room: '101', gender: null })),
  );
}

export const APPLY = /* GraphQL */ `
  mutation Apply($input: ApplyForHostelInput!) {
    applyForHostel(input: $input) { id status checkInDate checkOutDate nights nightsLeft bed { id code } hostel { id freeBeds } resident { id } }
  }
`;

export function applyInput(hostelId: string, overrides: Record<string, unknown> = {}) {
  return { hostelId, checkInDate: TODAY, nights: 3, graduationDate: '2024-06-30', school: '深圳大学', ...overrides };
}

export function apply(sg: RunningSubgraph, residentId: string, input: Record<string, unknown>) {
  return sg.query(APPLY, { input }, residentViewer(residentId));
}

export const FREE_BEDS = `query($id: ID!) { hostel(id: $id) { freeBeds } }`;

export async function freeBeds(sg: RunningSubgraph, hostelId: string): Promise<number> {
  const res = await sg.query(FREE_BEDS, { id: hostelId });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.hostel.freeBeds;
}

/** Everything a refused operation must leave untouched. */
export async function snapshot(models: Models) {
  const [stays, bedNights, slots, steps] = await Promise.all([
    models.Stay.find().sort({ _id: 1 }).lean(),
    models.BedNight.find().sort({ _id: 1 }).lean(),
    models.ActiveSlot.find().sort({ _id: 1 }).lean(),
    models.Transition.find().sort({ _id: 1 }).lean(),
  ]);
  return JSON.stringify({ stays, bedNights, slots, steps });
}

export function codeOf(res: { errors?: Array<{ extensions?: Record<string, any> }> }): string | undefined {
  return res.errors?.[0]?.extensions?.code;
}
