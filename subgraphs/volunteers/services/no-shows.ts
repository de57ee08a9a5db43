import { publishActivityChanged } from '../events';
import type { SignUpDoc } from '../models';
import type { VolunteersService } from './deps';
import { transition } from './transitions';

const BATCH = 500;

/**
 * Marks confirmed sign-ups whose shift has ended without a check-in as NO_SHOW. Each is claimed
 * through its next history version (see `transition`), so replicas running this at once never mark
 * one twice, and a check-in that lands first wins. The place is kept: the shift is over.
 * Returns how many sign-ups this call marked.
 */
export async function markVolunteerNoShows(ctx: VolunteersService): Promise<number> {
  const { models, pubsub } = ctx;
  const now = ctx.clock();
  let marked = 0;
  const touched = new Set<string>();
  const skipped = new Set<string>();
  for (;;) {
    const due = await models.SignUp.find({ status: 'CONFIRMED', shiftEndsAt: { $lte: now }, _id: { $nin: [...skipped] } })
      .limit(BATCH)
      .lean<SignUpDoc[]>();
    for (const candidate of due) {
      try {
        await transition(models, candidate, 'NO_SHOW', 'mark as no-show', { noShowAt: now }, now, 'no-show sweep');
        marked += 1;
        touched.add(String(candidate.activityId));
      } catch {
        // Another replica or a check-in got there first.
        skipped.add(String(candidate._id));
      }
    }
    if (due.length < BATCH) break;
  }
  for (const activityId of touched) await publishActivityChanged(models, pubsub, activityId);
  return marked;
}
