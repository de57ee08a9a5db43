import type { PubSub } from '../../shared/platform/pubsub';
import { publishAfterCommit } from '../../shared/subgraph';
import { localDateString } from '../../shared/subgraph/time';
import type { Models } from './models';
import type { HostelParent } from './models/types';
import { occupiedOn } from './services/beds';

/** Topic of a hostel's free-bed changes. */
export function availabilityTopic(hostelId: string): string {
  return `hostels.availability.${hostelId}`;
}

/**
 * Publishes the hostel with its free beds tonight as they are after a change. The figure is
 * computed here, once, so every subscriber gets the value of that moment rather than whatever a
 * long-lived subscription context cached earlier.
 */
export async function publishAvailability(models: Models, pubsub: PubSub, hostelId: string, now: Date): Promise<void> {
  const hostel = await models.Hostel.findById(hostelId).lean();
  if (!hostel) return;
  const occupied = (await occupiedOn(models, [hostelId], localDateString(now))).get(hostelId) ?? 0;
  const payload: HostelParent = { ...hostel, freeBedsAtEvent: Math.max(0, hostel.totalBeds - occupied) };
  await publishAfterCommit(pubsub, availabilityTopic(hostelId), payload);
}

/** True when a stay over [checkInDate, checkOutDate) holds a bed tonight, so freeBeds moved. */
export function touchesTonight(stay: { checkInDate: string; checkOutDate: string }, now: Date): boolean {
  const tonight = localDateString(now);
  return stay.checkInDate <= tonight && tonight < stay.checkOutDate;
}
