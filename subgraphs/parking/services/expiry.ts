import { idFilter } from '../../../shared/subgraph/loaders';
import type { ParkingService } from './deps';
import { publishAvailability } from '../events';
import type { LotRecord, Models, ReservationRecord } from '../models';
import { giveSpaceBack } from './capacity';
import { claimTransition } from './transitions';

/** How many due bookings one run handles; the scheduler's next run takes the rest. */
const BATCH = 500;

/**
 * Marks a CONFIRMED booking as NO_SHOW and gives its space back, if nobody else moved it first:
 * the transition claim makes two replicas never process one booking twice.
 * @returns true when this call made the change.
 */
export async function claimNoShow(models: Models, booking: Pick<ReservationRecord, '_id' | 'spaceId'>, now: Date): Promise<boolean> {
  if (!(await claimTransition(models, booking._id, 'CONFIRMED', 'expire', now))) return false;
  await models.Reservation.updateOne({ _id: booking._id }, { $set: { status: 'NO_SHOW', updatedAt: now }, $unset: { activePlate: 1 } });
  await giveSpaceBack(models, booking.spaceId);
  return true;
}

/**
 * No entry by the end of the entry window is a no-show. Run by the scheduler (and by tests
 * directly); safe to run on several replicas at once.
 * @returns the number of bookings this run turned into no-shows.
 */
export async function expireParkingReservations(ctx: ParkingService): Promise<number> {
  const { models, pubsub } = ctx;
  const now = ctx.clock();
  const due = await models.Reservation.find({ status: 'CONFIRMED', entryWindowEnd: { $lte: now } }, { _id: 1, spaceId: 1, lotId: 1 })
    .sort({ entryWindowEnd: 1 })
    .limit(BATCH)
    .lean<Array<Pick<ReservationRecord, '_id' | 'spaceId' | 'lotId'>>>();
  let expired = 0;
  const touched = new Set<string>();
  for (const booking of due) {
    if (await claimNoShow(models, booking, now)) {
      expired += 1;
      touched.add(booking.lotId);
    }
  }
  if (touched.size) {
    const lots = await models.Lot.find({ _id: idFilter([...touched]) }).lean<LotRecord[]>();
    for (const lot of lots) await publishAvailability(pubsub, lot);
  }
  return expired;
}
