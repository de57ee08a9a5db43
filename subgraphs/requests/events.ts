import { createLogger } from '../../shared/platform/logger';
import type { PubSub } from '../../shared/platform/pubsub';
import type { Models, RequestDoc } from './models';
import { statsFor } from './services/stats';

const log = createLogger('requests');

export const topics = {
  requestUpdated: (communityCode: string) => `requests.requestUpdated.${communityCode}`,
  requestStatsChanged: (communityCode: string) => `requests.requestStatsChanged.${communityCode}`,
};

/**
 * Tells subscribers of the request's community that it changed, then sends the community's fresh
 * figures. Called after every write that changes a request; a failed publish never undoes the write.
 */
export async function publishRequestChange(models: Models, pubsub: PubSub, request: RequestDoc, now: Date): Promise<void> {
  try {
    await pubsub.publish(topics.requestUpdated(request.communityCode), request);
    const stats = await statsFor(models, { communityCode: request.communityCode }, now);
    await pubsub.publish(topics.requestStatsChanged(request.communityCode), stats);
  } catch (err) {
    // Subscribers miss one event at worst; the request itself is already stored.
    log.warn({ err, requestId: String(request._id) }, 'could not publish a request change');
  }
}
