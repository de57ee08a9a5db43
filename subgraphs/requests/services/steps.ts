import type { UpdateQuery } from 'mongoose';
import { conflict } from '../../../shared/platform/errors';
import { currentDeadline } from '../domain/deadlines';
import type { Models, RequestDoc, RequestEventDoc } from '../models';
import { claimOnce } from './claims';
import { isOpenStatus, recordStatsChange } from './stats-counters';

/** What one step writes: fields to set, events to append, counters to increment. */
export interface StepPlan {
  set: Partial<RequestDoc>;
  events: RequestEventDoc[];
  inc?: Record<string, number>;
}

const ATTEMPTS = 4;

/**
 * Applies one step to a request so that concurrent steps never interleave: the step claims the
 * request's current version (a unique insert), writes, and bumps the version. A caller that loses
 * the claim re-reads the request and re-plans: `plan` re-checks the rules against the new state,
 * throwing CONFLICT (or returning null for "nothing to do any more").
 */
export async function applyStep(models: Models, initial: RequestDoc, plan: (doc: RequestDoc) => StepPlan | null, now: Date): Promise<RequestDoc | null> {
  let doc = initial;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const step = plan(doc);
    if (!step) return null;
    const version = doc.version ?? 0;
    if (await claimOnce(models, `request:${doc._id}:v${version}`, now)) {
      const next = { ...doc, ...step.set } as RequestDoc;
      const update: UpdateQuery<RequestDoc> = {
        $set: { ...step.set, open: isOpenStatus(next.status), currentDeadline: currentDeadline(next), version: version + 1 },
        $push: { timeline: { $each: step.events } },
      };
      if (step.inc) update.$inc = step.inc;
      const updated = await models.Request.findOneAndUpdate({ _id: doc._id }, update, { returnDocument: 'after' }).lean<RequestDoc>();
      if (!updated) throw conflict('The request disappeared meanwhile');
      // The claim on this version makes `doc` exactly the state the write replaced.
      await recordStatsChange(models, doc, updated, now);
      return updated;
    }
    // The winner may not have written yet: give it a moment before re-reading.
    await new Promise((resolve) => setTimeout(resolve, 15 * (attempt + 1)));
    const fresh = await models.Request.findById(doc._id).lean<RequestDoc>();
    if (!fresh) throw conflict('The request disappeared meanwhile');
    doc = fresh;
  }
  throw conflict(`The request is being changed by others right now (it is ${doc.status}); try again`, { status: doc.status });
}
