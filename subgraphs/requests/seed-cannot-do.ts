import type { Types } from 'mongoose';
import { localMonthString } from '../../shared/subgraph/time';
import type { CannotDoOutcome, CannotDoRootCause } from './domain/cannot-do';
import type { CannotDoCaseDoc, Models, RequestDoc } from './models';

/**
 * The findings of Pingdi's seeded 事办不成 walk-ins, by their title (the seed article: a residence
 * permit refused for too few years of social insurance was explained, and the resident left
 * satisfied; the hall sorts the rest by cause and passes them to the departments).
 */
const FINDINGS: Array<[titlePart: string, CannotDoRootCause, CannotDoOutcome]> = [
  ['营业执照变更', 'MATERIALS_MISSING', 'DONE_ON_THE_SPOT'],
  ['居住证续签', 'SYSTEM_FAULT', 'REFERRED'],
  ['社保卡补办', 'CONDITION_NOT_MET', 'EXPLAINED'],
  ['不动产登记', 'SYSTEM_FAULT', 'REFERRED'],
  ['老人证明材料', 'UNCLEAR_RESPONSIBILITY', 'REFERRED'],
];

/**
 * Records the street service hall's finding for each seeded walk-in among `requestIds` (replaced
 * by `_id`, so a second run changes nothing). The counters follow from rebuildStatsCounters,
 * which the seed runs after this.
 */
export async function seedCannotDoCases(m: Models, requestIds: Types.ObjectId[]): Promise<void> {
  const requests = await m.Request.find({ _id: { $in: requestIds } }, { streetCode: 1, itemCode: 1, categoryCode: 1, submittedAt: 1, title: 1, channel: 1 }).lean<RequestDoc[]>();
  for (const r of requests) {
    const finding = FINDINGS.find(([part]) => r.title.includes(part));
    if (!finding || r.channel !== 'WALK_IN') continue;
    const doc: CannotDoCaseDoc = {
      _id: String(r._id),
      streetCode: r.streetCode,
      month: localMonthString(r.submittedAt),
      itemCode: r.itemCode,
      categoryCode: r.categoryCode,
      rootCause: finding[1],
      outcome: finding[2],
      note: null,
      recordedAt: new Date(r.submittedAt.getTime() + 30 * 60000),
      recordedBy: `clerk-ST-${r.streetCode}`,
    };
    await m.CannotDoCase.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }
}
