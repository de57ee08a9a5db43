import { idFilter } from '../../../shared/subgraph/loaders';
import { startOfLocalDay, startOfLocalMonth } from '../../../shared/subgraph/time';
import type { Models, ReservationRecord } from '../models';

export type HistoryRecord = Pick<
  ReservationRecord,
  'residentId' | 'status' | 'createdAt' | 'entryWindowEnd' | 'cancelledAt' | 'lateCancellation'
>;

/**
 * The bookings the limits look at, for several residents in one query: those made today and those
 * that became a no-show or a late cancellation this month.
 */
export async function findBookingHistory(models: Models, residentIds: readonly string[], now: Date): Promise<HistoryRecord[]> {
  const month = startOfLocalMonth(now);
  return models.Reservation.find(
    {
      residentId: idFilter(residentIds),
      $or: [
        { createdAt: { $gte: startOfLocalDay(now) } },
        { status: 'NO_SHOW', entryWindowEnd: { $gte: month } },
        { lateCancellation: true, cancelledAt: { $gte: month } },
      ],
    },
    { residentId: 1, status: 1, createdAt: 1, entryWindowEnd: 1, cancelledAt: 1, lateCancellation: 1 },
  ).lean<HistoryRecord[]>();
}
