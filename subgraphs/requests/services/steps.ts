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

/** A record of this subgraph that steps through versions (requests, micro-projects). */
interface Versioned {
  _id: unknown;
  version?: number;
  status: string;
}

/**
 * Applies one step to a versioned record so that concurrent steps never interleave: the step
 * claims the record's current version (a unique insert, `<kind>:<id>:v<version>`), writes, and
 * bumps the version. A caller that loses the claim re-reads the record and re-plans: `plan`
 * re-checks the rules against the new state, throwing CONFLICT (or returning null for "nothing to
 * do any more"). `write` stores the step on the version it claimed and answers the new record.
 */
export async function stepOnVersion<D extends Versioned, P>(
  models: Models,
  kind: { key: string; name: string },
  initial: D,
  plan: (doc: D) => P | null,
  write: (doc: D, step: P, version: number) => Promise<D>,
  reload: (id: string) => Promise<D | null>,
  now: Date,
): Promise<D | null> {
  let doc = initial;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const step = plan(doc);
    if (!step) return null;
    const version = doc.version ?? 0;
    if (await claimOnce(models, `${kind.key}:${doc._id}:v${version}`, now)) return write(doc, step, version);
    // The winner may not have written yet: give it a moment before re-reading.
    await new Promise((resolve) => setTimeout(resolve, 15 * (attempt + 1)));
    const fresh = await reload(String(doc._id));
    if (!fresh) throw conflict(`The ${kind.name} disappeared meanwhile`);
    doc = fresh;
  }
  throw conflict(`The ${kind.name} is being changed by others right now (it is ${doc.status}); try again`, { status: doc.status });
}

/**
 * A request's step on `stepOnVersion`: besides its fields and events, the write keeps `open` and
 * `currentDeadline` derived and the stats counters in step.
 */
export function applyStep(models: Models, initial: RequestDoc, plan: (doc: RequestDoc) => StepPlan | null, now: Date): Promise<RequestDoc | null> {
  return stepOnVersion(
    models,
    { key: 'request', name: 'request' },
    initial,
    plan,
    async (doc, step, version) => {
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
    },
    (id) => models.Request.findById(id).lean<RequestDoc>(),
    now,
  );
}
