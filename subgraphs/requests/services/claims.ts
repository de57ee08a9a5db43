import type { Models } from '../models';

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/** True for the one caller that inserts the claim first; false for everyone after. */
export async function claimOnce(models: Models, key: string, now: Date): Promise<boolean> {
  try {
    await models.Claim.create({ _id: key, at: now });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
