/**
 * `npm run token -- <who>` prints a bearer token for trying the graph:
 *   resident [residentId]            the demo resident (R-DEMO-0001) or another resident
 *   staff <departmentId> [street]    a clerk of a department (e.g. LH-URBAN), optionally of one street
 *   community <communityCode>        a community worker
 *   lot-owner <lotId,lotId…>         the owner of parking lots (publishes their sharing windows)
 *   admin                            an admin
 * Options: --hours N (validity, default 12; at most TOKEN_MAX_LIFETIME_S, which the gateway enforces).
 */
import { loadIdentityOptions, type IdentityOptions } from '../gateway/identity/options';
import { signUserToken, type Viewer } from '../shared/platform/auth';
import { runCli, type CliArgs, type ProgramSpec } from '../shared/platform/cli';
import { ConfigError } from '../shared/platform/config';
import { DEMO_RESIDENT_ID } from '../shared/dev/demo';

const SPEC: ProgramSpec = {
  invocation: 'npm run token --',
  summary: 'Prints an HS256 bearer token (JWT_SECRET) the gateway accepts, for trying the graph.',
  flags: { hours: { type: 'string', value: 'N', description: 'validity in hours (default 12; at most TOKEN_MAX_LIFETIME_S / 3600)' } },
  commands: {
    resident: { summary: `a resident: the demo resident (${DEMO_RESIDENT_ID}) or the one given`, args: '[residentId]', maxArgs: 1 },
    staff: { summary: 'a clerk of a department (e.g. LH-URBAN), optionally of one street office', args: '<departmentId> [streetCode]', minArgs: 1, maxArgs: 2 },
    community: { summary: 'a community worker (e.g. 440303003001)', args: '<communityCode>', minArgs: 1, maxArgs: 1 },
    admin: { summary: 'an admin', args: '[subject]', maxArgs: 1 },
    'lot-owner': { summary: 'the owner of parking lots, who publishes their sharing windows (e.g. PL-DX-01,PL-DX-02)', args: '<lotIds>', minArgs: 1, maxArgs: 1 },
  },
  env: {
    JWT_SECRET: 'the secret tokens are signed with (default: the development secret)',
    TOKEN_MAX_LIFETIME_S: 'the longest lifetime the gateway accepts (default 86400)',
  },
  examples: ['TOKEN=$(npm run -s token -- resident)', 'npm run token -- staff LH-URBAN --hours 2'],
};

// Parsed before anything else, so `--help` and a bad command line never read the configuration.
const cli: CliArgs = runCli(SPEC);

// The same settings as the gateway's, so a token printed here is one the gateway accepts.
let config: Omit<IdentityOptions, 'trustProxyHops'>;
try {
  config = loadIdentityOptions(process.env, { production: process.env.NODE_ENV === 'production' });
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
const maxHours = config.maxTokenLifetimeS / 3600;
const hours = cli.number('hours', Math.min(12, maxHours), { above: 0 });
// The gateway refuses a token that lives longer than it accepts: say which setting bounds it.
if (hours > maxHours) cli.fail(`--hours must be above 0 and up to ${maxHours} (TOKEN_MAX_LIFETIME_S), got "${cli.string('hours')}"`);
const [a, b] = cli.positionals;
let viewer: Viewer;
switch (cli.command) {
  case 'resident':
    viewer = { role: 'resident', subject: a ?? DEMO_RESIDENT_ID, residentId: a ?? DEMO_RESIDENT_ID };
    break;
  case 'staff':
    viewer = { role: 'staff', subject: `staff-${a}`, departmentId: a, ...(b ? { streetCode: b } : {}) };
    break;
  case 'community':
    viewer = { role: 'community_worker', subject: `worker-${a}`, communityCode: a };
    break;
  case 'lot-owner':
    viewer = { role: 'lot_owner', subject: `owner-${a}`, lotIds: a.split(',').map((id) => id.trim()).filter(Boolean) };
    break;
  default:
    viewer = { role: 'admin', subject: a ?? 'admin' };
}
console.log(signUserToken(viewer, config.jwtSecret, Math.round(hours * 3600)));
