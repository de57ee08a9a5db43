import type { Logger } from 'pino';
import type { PubSub } from '../platform/pubsub';
import { createLogger } from '../platform/logger';

const fallbackLog = createLogger('publish');

/** How often and how long a failed publish is retried (tests shorten it). */
export const publishRetry = { attempts: 3, firstDelayMs: 50 };

/**
 * Publishes an event for a write that is already stored. Never throws: a failed publish is retried
 * with a doubling delay, then logged at error level, so a pub/sub outage (Redis down) never turns
 * a committed write into an error for the caller. Subscribers miss that event; they see the
 * state on their next read. Call it from the service, after the write.
 */
export async function publishAfterCommit(pubsub: PubSub, topic: string, payload: unknown, log?: Logger): Promise<void> {
  let delay = publishRetry.firstDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await pubsub.publish(topic, payload);
      return;
    } catch (err) {
      if (attempt >= publishRetry.attempts) {
        (log ?? fallbackLog).error({ err, topic, attempts: attempt }, 'could not publish an event for a stored write');
        return;
      }
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }
}
