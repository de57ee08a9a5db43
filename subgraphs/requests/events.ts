import { createLogger } from '../../shared/platform/logger';
import type { PubSub } from '../../shared/platform/pubsub';
import { publishAfterCommit } from '../../shared/subgraph';
import type { MicroProjectDoc, Models, RequestDoc } from './models';
import { statsFor } from './services/stats';
import { boardsTouched } from './domain/boards';

const log = createLogger('requests');

export const topics = {
  requestUpdated: (communityCode: string) => `requests.requestUpdated.${communityCode}`,
  requestStatsChanged: (communityCode: string) => `requests.requestStatsChanged.${communityCode}`,
  departmentBoardChanged: (departmentId: string) => `requests.departmentBoardChanged.${departmentId}`,
  /** Per district, and `city` for the whole city's overview. */
  overviewChanged: (districtCode: string | null) => `requests.overviewChanged.${districtCode ?? 'city'}`,
};

/**
 * Tells subscribers of the request's community that it changed, then sends the community's fresh
 * figures. Called by the services after every write that changes a request; never fails the write.
 */
export async function publishRequestChange(models: Models, pubsub: PubSub, request: RequestDoc, now: Date): Promise<void> {
  await publishAfterCommit(pubsub, topics.requestUpdated(request.communityCode), request, log);
  try {
    const stats = await statsFor({ models, clock: () => now }, { match: { communityCode: request.communityCode } });
    await publishAfterCommit(pubsub, topics.requestStatsChanged(request.communityCode), stats, log);
  } catch (err) {
    // The figures could not be read: subscribers get them with the next change; the request is stored.
    log.warn({ err, requestId: String(request._id) }, 'could not read the figures to publish');
  }
  // Boards: only which department or street changed; each subscriber reads its own fields per event.
  for (const departmentId of boardsTouched(request)) await publishAfterCommit(pubsub, topics.departmentBoardChanged(departmentId), { departmentId }, log);
  const street = { streetCode: request.streetCode };
  await publishAfterCommit(pubsub, topics.overviewChanged(request.districtCode), street, log);
  await publishAfterCommit(pubsub, topics.overviewChanged(null), street, log);
}

/** Micro-projects (民生微实事): subscribers of the project's community hear of every change. */
export const microProjectTopic = (communityCode: string) => `requests.microProjectUpdated.${communityCode}`;

/** Publishes a stored micro-project change (never fails the write: publishAfterCommit). */
export async function publishMicroProjectChange(pubsub: PubSub, project: MicroProjectDoc): Promise<void> {
  await publishAfterCommit(pubsub, microProjectTopic(project.communityCode), project, log);
}
