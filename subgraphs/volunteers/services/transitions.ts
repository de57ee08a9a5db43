import { conflict, notFound } from '../../../shared/platform/errors';
import { assertTransition } from '../domain/sign-up-status';
import type { VolunteerSignUpStatus } from '../generated/graphql';
import type { Models, SignUpDoc } from '../models';
import { claimOnce } from '../../../shared/subgraph';

export async function loadSignUp(models: Models, id: SignUpDoc['_id']): Promise<SignUpDoc> {
  const signUp = await models.SignUp.findById(id).lean<SignUpDoc>();
  if (!signUp) throw notFound('VolunteerSignUp', String(id));
  return signUp;
}

/**
 * Moves a sign-up one step through the state machine. The step is claimed by inserting its
 * history entry `{ signUpId, version + 1 }` under a unique index, so of two callers acting on the
 * same version exactly one wins and the other gets CONFLICT; only the winner then writes the new
 * status (FerretDB applies concurrent conditional updates non-atomically, unique indexes it keeps).
 */
export async function transition(
  models: Models,
  signUp: SignUpDoc,
  to: VolunteerSignUpStatus,
  action: string,
  set: Partial<SignUpDoc>,
  now: Date,
  by: string,
): Promise<SignUpDoc> {
  assertTransition(signUp.status, to, action);
  const version = (signUp.version ?? 0) + 1;
  if (!(await claimOnce(models.Transition, { signUpId: signUp._id, version, from: signUp.status, to, at: now, by }))) {
    const current = await loadSignUp(models, signUp._id);
    throw conflict(`Cannot ${action} this sign-up: it changed meanwhile and is now ${current.status}`, { status: current.status });
  }
  await models.SignUp.updateOne({ _id: signUp._id, version: signUp.version ?? 0 }, { $set: { ...set, status: to, version } });
  return { ...signUp, ...set, status: to, version };
}
