import type { Types } from 'mongoose';
import { DUPLICATE_CANDIDATES, duplicateWindowStart, DUPLICATE_SIMILARITY, textSimilarity } from '../domain/duplicates';
import type { Models, RequestDoc, RequestEventDoc } from '../models';
import { applyStep } from './steps';

/** The open request a submission duplicates, and how similar their texts are (0..1). */
export interface DuplicateMatch {
  original: Pick<RequestDoc, '_id' | 'number' | 'status' | 'parentId' | 'submittedAt'>;
  similarity: number;
}

type Candidate = Pick<RequestDoc, 'communityCode' | 'itemCode' | 'title' | 'description'> & { _id?: Types.ObjectId; submittedAt?: Date };

const before = (a: { submittedAt: Date; _id: Types.ObjectId }, b: { submittedAt: Date; _id: Types.ObjectId }) =>
  a.submittedAt.getTime() < b.submittedAt.getTime() || (a.submittedAt.getTime() === b.submittedAt.getTime() && String(a._id) < String(b._id));

/**
 * The oldest open request of the same community and item filed within the window whose text is
 * similar enough, or null. One indexed query (community, item, open, submittedAt range), which
 * FerretDB pushes down; the texts are compared here. The oldest rather than the most similar is
 * taken so that racing submissions all pick the same original. A candidate that was stored
 * already (`_id` set) only matches requests filed before it.
 */
export async function findOriginal(models: Models, candidate: Candidate, now: Date): Promise<DuplicateMatch | null> {
  const open = await models.Request.find({
    communityCode: candidate.communityCode,
    itemCode: candidate.itemCode,
    open: true,
    submittedAt: { $gte: duplicateWindowStart(now), $lte: now },
  })
    .sort({ submittedAt: 1 })
    .limit(DUPLICATE_CANDIDATES)
    .select({ _id: 1, number: 1, status: 1, parentId: 1, submittedAt: 1, title: 1, description: 1 })
    .lean<RequestDoc[]>();
  const self = candidate._id && candidate.submittedAt ? { _id: candidate._id, submittedAt: candidate.submittedAt } : null;
  for (const r of open) {
    if (self && !before(r, self)) continue;
    const similarity = textSimilarity(candidate, r);
    if (similarity >= DUPLICATE_SIMILARITY) return { original: r, similarity: Math.round(similarity * 1000) / 1000 };
  }
  return null;
}

/** The fields and timeline entry of a request linked as a duplicate at submission. */
export function duplicateLink(match: DuplicateMatch, now: Date): { set: Partial<RequestDoc>; event: RequestEventDoc } {
  // Link to the root of the chain, as the hand linking does.
  const rootId = match.original.status === 'DUPLICATE' && match.original.parentId ? match.original.parentId : String(match.original._id);
  return {
    set: { status: 'DUPLICATE', parentId: rootId, closedAt: now, nextUpdateDueAt: null, duplicateSimilarity: match.similarity },
    event: {
      at: now,
      action: 'MARKED_DUPLICATE',
      actor: 'system',
      role: 'system',
      status: 'DUPLICATE',
      note: `parent ${rootId}; 与 ${match.original.number} 内容相似（${match.similarity.toFixed(2)}），自动合并`,
      fromDepartmentId: null,
      toDepartmentId: null,
    },
  };
}

/**
 * After an open request was stored: submissions racing it may each have seen no original. The
 * one filed last of any similar pair links itself to the oldest, so racers converge on one open
 * request. Returns the request as it is now.
 */
export async function linkIfRacedDuplicate(models: Models, doc: RequestDoc, now: Date): Promise<RequestDoc> {
  const match = await findOriginal(models, doc, now);
  if (!match) return doc;
  const linked = await applyStep(
    models,
    doc,
    (d) => {
      if (d.status === 'DUPLICATE' || !d.open) return null;
      const { set, event } = duplicateLink(match, now);
      return { set, events: [event] };
    },
    now,
  );
  return linked ?? doc;
}
