import { localDateString } from '../../../shared/subgraph/time';
import { publishAvailability } from '../events';
import { releaseNights } from './beds';
import { releaseActiveSlot } from './slots';
import type { HostelsService } from './stays';
import { takeStep } from './transitions';

/**
 * Marks RESERVED stays nobody checked in for by the end of their check-in day as NO_SHOW and gives
 * their remaining nights and the resident's slot back. Each stay is claimed by a unique insert of
 * its RESERVED → NO_SHOW step, so replicas sweeping at once (or a desk checking the guest in at
 * that moment) never process a stay twice. Returns how many stays this call marked.
 */
export async function markHostelNoShows(ctx: HostelsService): Promise<number> {
  const { models, pubsub } = ctx;
  const now = ctx.clock();
  const today = localDateString(now);
  const due = await models.Stay.find({ status: 'RESERVED', checkInDate: { $lt: today } }).lean();
  const hostels = new Set<string>();
  let marked = 0;
  for (const stay of due) {
    const updated = await takeStep(models, stay, 'noShow', 'system', now, { noShowAt: now }, true);
    if (!updated) continue;
    marked += 1;
    const released = await releaseNights(models, stay._id, today);
    await releaseActiveSlot(models, stay.residentId, stay._id);
    if (released > 0) hostels.add(stay.hostelId);
  }
  for (const hostelId of hostels) await publishAvailability(models, pubsub, hostelId, now);
  return marked;
}
