import { claimOnce as kitClaimOnce } from '../../../shared/subgraph';
import type { Models } from '../models';

/** True for the one caller that inserts the claim `key` first (the kit's claimOnce on the claims collection). */
export function claimOnce(models: Models, key: string, now: Date): Promise<boolean> {
  return kitClaimOnce(models.Claim, { _id: key, at: now });
}
