import type { PubSub } from '../../shared/platform/pubsub';
import { publishAfterCommit } from '../../shared/subgraph';
import type { ActivityDoc, Models } from './models';

export const activityChangedTopic = (activityId: string) => `volunteers.activityChanged.${activityId}`;

/**
 * Tells `volunteerActivityChanged` subscribers that an activity's sign-ups, fill or hours
 * changed. The payload is the activity document; its counts are resolved per event.
 */
export async function publishActivityChanged(models: Models, pubsub: PubSub, activityId: string): Promise<void> {
  const activity = await models.Activity.findById(activityId).lean<ActivityDoc>();
  if (activity) await publishAfterCommit(pubsub, activityChangedTopic(activityId), activity);
}
