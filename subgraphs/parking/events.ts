import type { PubSub } from '../../shared/platform/pubsub';
import { publishAfterCommit } from '../../shared/subgraph';
import type { LotRecord } from './models';

/** One topic per lot: a dashboard follows the lots it shows, not every lot in the city. */
export function availabilityTopic(lotId: string): string {
  return `parking.availability.${lotId}`;
}

/** Called by the services after every change of a lot's free spaces; never fails the write. The payload is the lot, resolved per event. */
export async function publishAvailability(pubsub: PubSub, lot: LotRecord): Promise<void> {
  await publishAfterCommit(pubsub, availabilityTopic(lot._id), lot);
}
