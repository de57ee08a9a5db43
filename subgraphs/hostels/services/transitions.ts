import { conflict } from '../../../shared/platform/errors';
import { transition, type StayAction } from '../domain/stay';
import type { Models } from '../models';
import type { HostelStayDoc } from '../models/types';
import { claimOnce } from '../../../shared/subgraph';

/**
 * Takes one step of the state machine for `stay` as last read: checks the step is allowed from its
 * status, claims it by inserting the (stay, from-status) record, then writes the new status. A
 * concurrent action that already left that status makes the insert fail, and this one answers
 * CONFLICT; null is returned instead when `quiet` (the sweeps skip what someone else handled).
 */
export async function takeStep(
  models: Models,
  stay: HostelStayDoc,
  action: StayAction,
  by: string,
  now: Date,
  set: Record<string, unknown>,
  quiet = false,
): Promise<HostelStayDoc | null> {
  const to = transition(stay.status, action);
  if (!(await claimOnce(models.Transition, { stayId: stay._id, from: stay.status, to, at: now, by }))) {
    if (quiet) return null;
    throw conflict('The stay was changed by someone else meanwhile; reload it', { stayId: stay._id.toHexString() });
  }
  const updated = await models.Stay.findOneAndUpdate({ _id: stay._id }, { $set: { status: to, ...set } }, { returnDocument: 'after' }).lean();
  return updated;
}
