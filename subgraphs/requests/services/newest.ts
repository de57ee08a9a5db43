import { addDays, localMonthString, startOfLocalMonth } from '../../../shared/subgraph/time';
import { ONE_BATCH } from '../loaders';
import type { RequestDoc } from '../models';
import type { RequestsService } from './deps';
import { countedGroups } from './stats-counters';

/** How far back the newest-first list looks, in months (beyond: nothing left to list). */
const MAX_MONTHS = 240;

/**
 * The city's newest requests (an admin's unfiltered list), read month by month from the current
 * one with a pushed-down equality on `submittedMonth`, each month sorted on its own rows only:
 * FerretDB pushes down no sort, so one sorted query would read and sort every request the city
 * ever received. It stops once the page is full or every request was seen (the city's counter
 * says how many there are): one query per month the page spans, fewer as the city grows busier.
 * A busy month is read whole (about 1,700 requests at scale 100): a finer bucket would cost more
 * queries at small scales; it is what is left of this list's growth.
 */
export async function newestRequests(ctx: Pick<RequestsService, 'models' | 'clock'>, input: { skip: number; limit: number }): Promise<RequestDoc[]> {
  const { skip, limit } = input;
  const { models } = ctx;
  const now = ctx.clock();
  const city = (await countedGroups(models, 'city', [''])).get('') ?? [];
  const total = city.reduce((n, g) => n + g.count, 0);
  const wanted = Math.min(skip + limit, total);
  const out: RequestDoc[] = [];
  let month = startOfLocalMonth(now);
  for (let i = 0; i < MAX_MONTHS && out.length < wanted; i += 1) {
    out.push(...(await models.Request.find({ submittedMonth: localMonthString(month) }).sort({ submittedAt: -1, _id: -1 }).batchSize(ONE_BATCH).lean<RequestDoc[]>().exec()));
    month = startOfLocalMonth(addDays(month, -1));
  }
  return out.slice(skip, skip + limit);
}
