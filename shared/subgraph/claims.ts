import type { Model } from 'mongoose';
import { isDuplicateKey } from './unique';

/**
 * Takes a claim by inserting `claim` into `model`'s collection, whose unique index (on `_id` or on
 * the fields that name the claim) makes a second insert fail. Of any number of racing callers,
 * across processes, exactly one gets `true`; the rest get `false`. No transaction and no
 * conditional update is relied on: FerretDB applies concurrent conditional updates
 * non-atomically, but it keeps unique indexes, as MongoDB does.
 *
 * @param model a model whose schema declares the unique index that names the claim
 * @param claim the document to insert (the claim's key fields plus whatever it records)
 * @returns true when this call took the claim, false when someone already had it
 */
export async function claimOnce(model: Model<any>, claim: Record<string, unknown>): Promise<boolean> {
  try {
    await model.create(claim);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
