import type { Types } from 'mongoose';
import { localDateString } from '../../../shared/time';
import { countedNights } from '../domain/stay';
import type { Models } from '../models';
import { isDuplicateKey } from './beds';

/** Claims the resident's single active slot for `stayId`; false when another stay holds it. */
export async function claimActiveSlot(models: Models, residentId: string, stayId: Types.ObjectId, now: Date): Promise<boolean> {
  try {
    await models.ActiveSlot.create({ _id: residentId, stayId, since: now });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Frees the slot, only if `stayId` holds it (a repeat or a stale caller frees nothing). */
export async function releaseActiveSlot(models: Models, residentId: string, stayId: Types.ObjectId): Promise<void> {
  await models.ActiveSlot.deleteOne({ _id: residentId, stayId });
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
