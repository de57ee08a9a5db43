/**
 * Made-up residents for tests and the load tool: valid registration input that the requests
 * subgraph accepts (GB 11643 ID numbers, mainland mobile numbers), distinct for every `n`.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/**
 * A valid 18-digit resident ID number (GB 11643 check digit) for Shenzhen, unique per `n`
 * (born 1 January 1990, one day later for every 1,000: the first thousand are the same age).
 */
export function idNumberFor(n: number): string {
  const birth = new Date(Date.UTC(1990, 0, 1) + Math.floor(n / 1000) * 86_400_000);
  const day = birth.toISOString().slice(0, 10).replace(/-/g, '');
  const body = `440303${day}${String(n % 1000).padStart(3, '0')}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * WEIGHTS[i]!, 0);
  return body + CHECK[sum % 11];
}

/** A mainland mobile number, unique per `n` (below 10⁸). */
export function phoneFor(n: number): string {
  return `139${String(n % 100_000_000).padStart(8, '0')}`;
}

/** What `registerResident` takes for the `n`th made-up resident of a community. */
export function registrationFor(n: number, homeCommunityCode: string): { name: string; phone: string; idNumber: string; homeCommunityCode: string } {
  return { name: `测试居民${n}`, phone: phoneFor(n), idNumber: idNumberFor(n), homeCommunityCode };
}

export const REGISTER_RESIDENT = 'mutation($input: RegisterResidentInput!) { registerResident(input: $input) { id registered } }';
