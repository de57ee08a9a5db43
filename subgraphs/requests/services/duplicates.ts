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

/** Open requests of the candidate's community and item in the window, oldest first, with their similarity to it. */
async function similarOpen(models: Models, candidate: Candidate, now: Date): Promise<Array<{ r: RequestDoc; similarity: number }>> {
  // One indexed query (community, item, open, submittedAt range), which FerretDB pushes down; texts are compared here.
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
  return open
    .filter((r) => !candidate._id || String(r._id) !== String(candidate._id))
    .map((r) => ({ r, similarity: Math.round(textSimilarity(candidate, r) * 1000) / 1000 }))
    .filter((m) => m.similarity >= DUPLICATE_SIMILARITY);
}

/**
 * The oldest open request of the same community and item filed within the window whose text is
 * similar enough, or null. The oldest rather than the most similar is taken so that racing
 * submissions all pick the same original.
 */
export async function findOriginal(models: Models, candidate: Candidate, now: Date): Promise<DuplicateMatch | null> {
  const [oldest] = (await similarOpen(models, candidate, now)).sort((a, b) => (before(a.r, b.r) ? -1 : 1));
  return oldest ? { original: oldest.r, similarity: oldest.similarity } : null;
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

/** Newer open requests stored before this one's insert are racers when filed within this of it. */
const RACE_MS = 60_000;

async function link(models: Models, doc: RequestDoc, match: DuplicateMatch, now: Date): Promise<RequestDoc | null> {
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
  if (!linked) return null;
  // Racers that were linked to this one meanwhile follow it to the root. Any that is inserted
  // after this write finds this request a duplicate in `settleDuplicate` and re-points itself.
  await models.Request.updateMany({ parentId: String(doc._id) }, { $set: { parentId: linked.parentId } });
  return linked;
}

/**
 * After an open request was stored: submissions racing it may each have seen no original (ids
 * and times are taken before the insert, so the oldest may be stored last). Of the similar open
 * requests, the oldest stays open: this one links itself to it, or, being the oldest, links the
 * racers stored before it. The last racer to be stored sees all the others, so they converge on
 * one open request. Returns this request as it is now.
 */
export async function linkIfRacedDuplicate(models: Models, doc: RequestDoc, now: Date): Promise<RequestDoc> {
  const similar = await similarOpen(models, doc, now);
  const older = similar.filter((m) => before(m.r, doc));
  if (older.length) {
    const oldest = older.sort((a, b) => (before(a.r, b.r) ? -1 : 1))[0]!;
    return (await link(models, doc, { original: oldest.r, similarity: oldest.similarity }, now)) ?? doc;
  }
  const racers = similar.filter((m) => m.r.submittedAt.getTime() - doc.submittedAt.getTime() <= RACE_MS);
  for (const racer of racers) {
    const fresh = await models.Request.findById(racer.r._id).lean<RequestDoc>();
    if (fresh) await link(models, fresh, { original: doc, similarity: racer.similarity }, now);
  }
  return doc;
}

/**
 * After a request was stored as a duplicate: when its original has itself been linked meanwhile
 * (a racer filed before it), the link moves to the root, so every duplicate names an open request.
 */
export async function settleDuplicate(models: Models, doc: RequestDoc): Promise<RequestDoc> {
  let current = doc;
  for (let depth = 0; depth < 3 && current.parentId; depth += 1) {
    const parent = await models.Request.findById(current.parentId).select({ status: 1, parentId: 1 }).lean<RequestDoc>();
    if (!parent || parent.status !== 'DUPLICATE' || !parent.parentId || parent.parentId === String(doc._id)) break;
    await models.Request.updateOne({ _id: doc._id }, { $set: { parentId: parent.parentId } });
    current = { ...current, parentId: parent.parentId };
  }
  return current;
}
