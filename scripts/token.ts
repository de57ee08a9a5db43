/**
 * `npm run token -- <who>` prints a bearer token for trying the graph:
 *   resident [residentId]            the demo resident (R-DEMO-0001) or another resident
 *   staff <departmentId> [street]    a clerk of a department (e.g. LH-URBAN), optionally of one street
 *   community <communityCode>        a community worker
 *   admin                            an admin
 * Options: --hours N (validity, default 12; at most TOKEN_MAX_LIFETIME_S, which the gateway enforces).
 */
import { loadIdentityOptions, type IdentityOptions } from '../gateway/identity/options';
import { signUserToken, type Viewer } from '../shared/auth';
import { ConfigError } from '../shared/config';
import { DEMO_RESIDENT_ID } from '../shared/demo';

function usage(message?: string): never {
  if (message) console.error(message);
  console.error('usage: npm run token -- resident [residentId] | staff <departmentId> [streetCode] | community <communityCode> | admin [--hours N]');
  process.exit(2);
}

// The same settings as the gateway's, so a token printed here is one the gateway accepts.
let config: IdentityOptions;
try {
  config = loadIdentityOptions(process.env, { production: process.env.NODE_ENV === 'production' });
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
const maxHours = config.maxTokenLifetimeS / 3600;
const args = process.argv.slice(2);
const hoursAt = args.indexOf('--hours');
let hours = Math.min(12, maxHours);
if (hoursAt >= 0) {
  hours = Number(args[hoursAt + 1]);
  if (!Number.isFinite(hours) || hours <= 0 || hours > maxHours) usage(`--hours must be a number of hours up to ${maxHours} (TOKEN_MAX_LIFETIME_S)`);
  args.splice(hoursAt, 2);
}
const [kind, a, b] = args;
let viewer: Viewer;
switch (kind) {
  case 'resident':
    viewer = { role: 'resident', subject: a ?? DEMO_RESIDENT_ID, residentId: a ?? DEMO_RESIDENT_ID };
    break;
  case 'staff':
    if (!a) usage('staff needs a department id, e.g. LH-URBAN');
    viewer = { role: 'staff', subject: `staff-${a}`, departmentId: a, ...(b ? { streetCode: b } : {}) };
    break;
  case 'community':
    if (!a) usage('community needs a community code, e.g. 440303003001');
    viewer = { role: 'community_worker', subject: `worker-${a}`, communityCode: a };
    break;
  case 'admin':
    viewer = { role: 'admin', subject: a ?? 'admin' };
    break;
  default:
    usage(kind ? `unknown kind "${kind}"` : undefined);
}
console.log(signUserToken(viewer, config.jwtSecret, Math.round(hours * 3600)));
