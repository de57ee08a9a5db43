import type { Types } from 'mongoose';
import type { ReservationAction } from '../domain/reservation-status';
import type { Models, ReservationStatus } from '../models';
import { claimOnce } from '../../../shared/subgraph';

/**
 * Claims the move of a booking out of `from` for this caller: true for exactly one of any number
 * of racing callers (entry against cancel, two no-show runs on two replicas).
 */
export async function claimTransition(
  models: Models,
  reservationId: Types.ObjectId,
  from: ReservationStatus,
  action: ReservationAction,
  now: Date,
): Promise<boolean> {
  return claimOnce(models.Transition, { _id: `${reservationId.toHexString()}@${from}`, reservationId, action, at: now });
}
