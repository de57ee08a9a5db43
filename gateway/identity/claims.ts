import type { JWTPayload } from 'jose';
import { viewerFromClaims, type Role, type Viewer } from '../../shared/platform/auth';
import { refused } from './errors';
import type { OidcOptions } from './options';

const CITY_ROLES: readonly string[] = ['resident', 'staff', 'community_worker', 'admin', 'lot_owner'];

/** The value at a dotted path of the claims (`realm_access.roles`), or undefined. */
function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The CityGraph role an identity provider's token names. The role claim holds one name or a list
 * (providers put groups and unrelated roles there too): each name is translated by `roleMap`, or,
 * without a map, taken when it is a CityGraph role; names that translate to nothing are ignored.
 * Exactly one CityGraph role must remain: a token naming two is refused rather than given the
 * stronger one, so a mistake in the provider's assignments never widens access.
 */
export function roleOf(payload: JWTPayload, oidc: Pick<OidcOptions, 'roleClaim' | 'roleMap'>): Role | undefined {
  const value = claimAt(payload, oidc.roleClaim);
  const names = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const mapped = Object.keys(oidc.roleMap).length > 0;
  const roles = new Set(
    names
      .map((name) => (mapped ? (Object.hasOwn(oidc.roleMap, name) ? oidc.roleMap[name] : undefined) : CITY_ROLES.includes(name) ? name : undefined))
      .filter((r): r is Role => r !== undefined),
  );
  if (roles.size > 1) throw refused(`The token names more than one CityGraph role (${[...roles].sort().join(', ')})`);
  return roles.values().next().value;
}

/** The viewer of verified claims; a token naming no usable subject or role is refused with 401. */
export function viewerOf(payload: JWTPayload, oidc?: Pick<OidcOptions, 'roleClaim' | 'roleMap'>): Viewer {
  const claims = oidc ? { ...payload, role: roleOf(payload, oidc) } : payload;
  try {
    return viewerFromClaims(claims);
  } catch (err) {
    throw refused((err as Error).message);
  }
}
