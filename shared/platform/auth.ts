import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { forbidden, unauthenticated } from './errors';

const secretKeys = new Map<string, KeyObject>();

/**
 * The HMAC secret as a KeyObject. Given a string, jsonwebtoken first tries it as a PEM key and
 * catches the throw, on every sign and verify (~13% of the gateway's CPU in the profile).
 */
function hmacKey(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    secretKeys.set(secret, key);
  }
  return key;
}

export type Role = 'anonymous' | 'resident' | 'staff' | 'community_worker' | 'admin' | 'lot_owner';

/** Who is asking, as verified by the gateway. The one shape every subgraph authorises against. */
export interface Viewer {
  role: Role;
  /** The token's subject: a resident id for residents, a staff or admin account id otherwise. */
  subject?: string;
  /** Set for residents: the Resident entity id. */
  residentId?: string;
  /** Set for staff: the department they act for. */
  departmentId?: string;
  /** Optional for staff: the street they are limited to. */
  streetCode?: string;
  /** Set for community workers. */
  communityCode?: string;
  /** Set for lot owners: the parking lots (ids) whose sharing windows they publish. */
  lotIds?: string[];
}

export const ANONYMOUS: Viewer = Object.freeze({ role: 'anonymous' }) as Viewer;

/** Header carrying the gateway-signed viewer from the gateway to the subgraphs. */
export const VIEWER_HEADER = 'x-citygraph-viewer';

/**
 * Set by a subgraph on an answer that holds a resident's phone or ID number whole (a logged read):
 * the gateway never shares such an answer with another caller's identical fetch.
 */
export const UNMASKED_READ_HEADER = 'x-citygraph-unmasked-read';

const ROLES: readonly Role[] = ['resident', 'staff', 'community_worker', 'admin', 'lot_owner'];
const INTERNAL_AUDIENCE = 'citygraph-subgraphs';
const USER_AUDIENCE = 'citygraph';

interface UserClaims {
  sub: string;
  role: Role;
  dept?: string;
  street?: string;
  community?: string;
  lots?: string[];
}

function toClaims(viewer: Viewer): UserClaims {
  const claims: UserClaims = { sub: viewer.subject ?? viewer.residentId ?? '', role: viewer.role };
  if (viewer.departmentId) claims.dept = viewer.departmentId;
  if (viewer.streetCode) claims.street = viewer.streetCode;
  if (viewer.communityCode) claims.community = viewer.communityCode;
  if (viewer.lotIds) claims.lots = viewer.lotIds;
  return claims;
}

/**
 * The viewer a verified token's claims name: `sub` (the subject; a resident's is their Resident
 * id), `role` (resident, staff, community_worker, admin or lot_owner), `dept` (required for staff),
 * `street` (optional for staff), `community` (required for community workers), `lots` (required for
 * lot owners: the ids of the lots they run). UNAUTHENTICATED otherwise.
 */
export function viewerFromClaims(payload: unknown): Viewer {
  const c = payload as Partial<UserClaims>;
  if (!c || typeof c.sub !== 'string' || !c.sub || !ROLES.includes(c.role as Role)) {
    throw unauthenticated('The token does not name a subject and a known role');
  }
  const viewer: Viewer = { role: c.role as Role, subject: c.sub };
  if (c.role === 'resident') viewer.residentId = c.sub;
  if (c.role === 'staff') {
    if (!c.dept) throw unauthenticated('A staff token must name its department (dept claim)');
    viewer.departmentId = c.dept;
    if (c.street) viewer.streetCode = c.street;
  }
  if (c.role === 'community_worker') {
    if (!c.community) throw unauthenticated('A community worker token must name its community');
    viewer.communityCode = c.community;
  }
  if (c.role === 'lot_owner') {
    // The binding to lots lives in the token the owner's estate or park is issued, like a clerk's
    // department: no list of owners to keep in step with the lots.
    const lots = c.lots;
    if (!Array.isArray(lots) || lots.length === 0 || lots.length > 100 || !lots.every((l) => typeof l === 'string' && /^PL-[A-Z0-9]{1,10}-\d{2,4}$/.test(l))) {
      throw unauthenticated('A lot owner token must name its parking lots (lots claim: PL-… ids)');
    }
    viewer.lotIds = [...lots];
  }
  return viewer;
}

/** Issues a bearer token for a person (used by `npm run token` and tests). */
export function signUserToken(viewer: Viewer, secret: string, expiresInSeconds = 12 * 3600): string {
  return jwt.sign(toClaims(viewer), hmacKey(secret), {
    algorithm: 'HS256',
    audience: USER_AUDIENCE,
    expiresIn: expiresInSeconds,
  });
}

/** Verifies a person's bearer token; UNAUTHENTICATED when forged, expired or malformed. */
export function verifyUserToken(token: string, secret: string): Viewer {
  let payload: unknown;
  try {
    payload = jwt.verify(token, hmacKey(secret), { algorithms: ['HS256'], audience: USER_AUDIENCE });
  } catch (err) {
    const reason = (err as Error).name === 'TokenExpiredError' ? 'The token has expired' : 'The token is not valid';
    throw unauthenticated(reason);
  }
  return viewerFromClaims(payload);
}

/** Signs the viewer for one hop gateway → subgraph. Short-lived: it is made per request. */
export function signViewer(viewer: Viewer, secret: string): string {
  return jwt.sign(viewer.role === 'anonymous' ? { sub: '', role: 'anonymous' } : toClaims(viewer), hmacKey(secret), {
    algorithm: 'HS256',
    audience: INTERNAL_AUDIENCE,
    expiresIn: 300,
  });
}

/**
 * Reads the viewer a subgraph request carries. No header means anonymous; a header that does
 * not verify is refused, so forged claims never reach a resolver.
 */
export function readViewer(header: string | undefined, secret: string, requireSignature = false): Viewer {
  if (!header) {
    if (requireSignature) throw unauthenticated('This service only answers the gateway: the request carries no gateway-signed identity');
    return ANONYMOUS;
  }
  let payload: { sub?: string; role?: string };
  try {
    payload = jwt.verify(header, hmacKey(secret), { algorithms: ['HS256'], audience: INTERNAL_AUDIENCE }) as typeof payload;
  } catch {
    throw unauthenticated('The forwarded identity is not signed by the gateway');
  }
  if (payload.role === 'anonymous') return ANONYMOUS;
  return viewerFromClaims(payload);
}

/** The resident id of a signed-in resident, or UNAUTHENTICATED / FORBIDDEN. */
export function requireResident(viewer: Viewer): string {
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (viewer.role !== 'resident' || !viewer.residentId) throw forbidden('Only a signed-in resident can do this');
  return viewer.residentId;
}

/** Passes when the viewer has one of the roles; UNAUTHENTICATED for anonymous, else FORBIDDEN. */
export function requireRole(viewer: Viewer, ...roles: Role[]): void {
  if (roles.includes(viewer.role)) return;
  if (viewer.role === 'anonymous') throw unauthenticated();
  throw forbidden(`This needs the role ${roles.join(' or ')}; you are signed in as ${viewer.role}`);
}

export function isAdmin(viewer: Viewer): boolean {
  return viewer.role === 'admin';
}
