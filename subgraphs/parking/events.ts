import type { PubSub } from '../../shared/platform/pubsub';
import type { LotRecord } from './models';

/** One topic per lot: a dashboard follows the lots it shows, not every lot in the city. */
export function availabilityTopic(lotId: string): string {
  return `parking.availability.${lotId}`;
}

/** Called after every change of a lot's free spaces; the payload is the lot, resolved per event. */
export async function publishAvailability(pubsub: PubSub, lot: LotRecord): Promise<void> {
  await pubsub.publish(availabilityTopic(lot._id), lot);
}
