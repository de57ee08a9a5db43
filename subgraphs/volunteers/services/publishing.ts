import { publishActivityChanged } from '../events';
import type { VolunteersService } from './deps';

/**
 * Runs a sign-up write, then publishes its activity's change (after the write, never failing it:
 * publishAfterCommit). The mutations that change an activity's places go through this; resolvers
 * never publish themselves.
 */
export async function changingActivity<T extends { activityId: unknown }>(ctx: VolunteersService, write: () => Promise<T>): Promise<T> {
  const signUp = await write();
  await publishActivityChanged(ctx.models, ctx.pubsub, String(signUp.activityId));
  return signUp;
}
