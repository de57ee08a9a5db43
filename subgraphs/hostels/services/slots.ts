import type { Types } from 'mongoose';
import { localDateString } from '../../../shared/subgraph/time';
import { countedNights } from '../domain/stay';
import type { Models } from '../models';
import { releaseSlot, takeSlot } from '../../../shared/subgraph';

/** A resident holds at most this many reserved or current stays. */
export const ACTIVE_STAYS_PER_RESIDENT = 1;

/** The resident's active-stay limit as a kit slot scope. */
export const activeStayScope = (residentId: string) => `active:${residentId}`;

/**
 * Takes the resident's active-stay slot for `stayId` (the kit's takeSlot: a unique insert, so it
 * holds across replicas however many applications race); false when another stay holds it.
 */
export async function claimActiveSlot(models: Models, residentId: string, stayId: Types.ObjectId, now: Date, idempotencyKey?: string): Promise<boolean> {
  const slot = await takeSlot(models.ActiveSlot, {
    scope: activeStayScope(residentId),
    capacity: ACTIVE_STAYS_PER_RESIDENT,
    holder: stayId.toHexString(),
    extra: { residentId, stayId, since: now, ...(idempotencyKey ? { idempotencyKey } : {}) },
  });
  return slot !== null;
}

/**
 * How long a claimed slot may stay without its stay before it counts as orphaned: an application
 * writes its stay within seconds of claiming, so a slot this old with no stay belongs to one that
 * died in between (a crash), and would otherwise block the resident for good.
 */
export const ORPHANED_SLOT_MS = 60_000;

/** Frees a slot whose stay was never written and that is older than ORPHANED_SLOT_MS. */
export async function releaseIfOrphaned(models: Models, slot: { scope: string; holder: string; stayId: Types.ObjectId; since: Date }, now: Date): Promise<boolean> {
  if (now.getTime() - slot.since.getTime() < ORPHANED_SLOT_MS) return false;
  if (await models.Stay.exists({ _id: slot.stayId })) return false;
  const { deletedCount } = await models.ActiveSlot.deleteOne({ scope: slot.scope, holder: slot.holder });
  return deletedCount === 1;
}

/** Frees the slot, only if `stayId` holds it (a repeat or a stale caller frees nothing). */
export async function releaseActiveSlot(models: Models, residentId: string, stayId: Types.ObjectId): Promise<void> {
  await releaseSlot(models.ActiveSlot, { scope: activeStayScope(residentId), holder: stayId.toHexString() });
}

/**
 * Nights a resident has used or booked over their lifetime, summed from their stays. Read while
 * holding the active slot, no other stay of theirs can change it meanwhile, so no counter (and no
 * read-modify-write FerretDB could interleave) is needed.
 */
export async function nightsCountedFor(models: Models, residentId: string): Promise<number> {
  const stays = await models.Stay.find({ residentId }, { status: 1, checkInDate: 1, nights: 1, checkedOutAt: 1 }).lean();
  return stays.reduce((sum, s) => sum + countedNights(s, localDateString), 0);
}
