import type { RunningGraph } from './graph';

const REGISTER = 'mutation($input: RegisterResidentInput!) { registerResident(input: $input) { id registered } }';
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A valid 18-digit resident ID number (GB 11643 check digit) for Shenzhen, unique per `n`. */
export function idNumberFor(n: number): string {
  const body = `44030319900101${String(n % 1000).padStart(3, '0')}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * WEIGHTS[i]!, 0);
  return body + '10X98765432'[sum % 11];
}

/**
 * Registers residents through the gateway (submitting requests needs a registered resident) and
 * returns their tokens. `n` makes their phone and ID numbers unique within one graph.
 */
export async function registerResidents(graph: RunningGraph, ids: string[], communityCode: string, firstN = 100): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const [i, id] of ids.entries()) {
    const token = graph.token({ role: 'resident', subject: id, residentId: id });
    const n = firstN + i;
    const res = await graph.query(REGISTER, { input: { name: `测试居民${n}`, phone: `139${String(n).padStart(8, '0')}`, idNumber: idNumberFor(n), homeCommunityCode: communityCode } }, token);
    if (res.errors) throw new Error(`registering ${id}: ${JSON.stringify(res.errors)}`);
    tokens[id] = token;
  }
  return tokens;
}
