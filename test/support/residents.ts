import type { RunningGraph } from './graph';
import { REGISTER_RESIDENT, idNumberFor, registrationFor } from '../../shared/dev/residents';

export { idNumberFor };

/**
 * Registers residents through the gateway (submitting requests needs a registered resident) and
 * returns their tokens. `n` makes their phone and ID numbers unique within one graph.
 */
export async function registerResidents(graph: RunningGraph, ids: string[], communityCode: string, firstN = 100): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const [i, id] of ids.entries()) {
    const token = graph.token({ role: 'resident', subject: id, residentId: id });
    const n = firstN + i;
    const res = await graph.query(REGISTER_RESIDENT, { input: registrationFor(n, communityCode) }, token);
    if (res.errors) throw new Error(`registering ${id}: ${JSON.stringify(res.errors)}`);
    tokens[id] = token;
  }
  return tokens;
}
