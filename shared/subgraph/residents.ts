import { GraphQLError } from 'graphql';
import { requireResident, type Viewer } from '../platform/auth';
import type { References } from './references';

/** What the registry (the requests subgraph) says about a resident. */
export type ResidentStatus = {
  id: string;
  registered: boolean;
  realNameVerified: boolean;
};

function refusal(code: 'RESIDENT_NOT_REGISTERED' | 'REAL_NAME_REQUIRED', field: string, reason: string): GraphQLError {
  return new GraphQLError(`${field}: ${reason}`, { extensions: { code, field, reason } });
}

/**
 * Refuses an action for a resident the registry does not know (RESIDENT_NOT_REGISTERED) or, with
 * `realName`, whose real name a desk clerk has not verified (REAL_NAME_REQUIRED); `field` names
 * what carried the resident (`viewer` for the signed-in resident). Asks the requests subgraph
 * through `References` (its answer is remembered briefly only once it passes). SUBGRAPH_UNAVAILABLE
 * when the registry does not answer.
 */
export async function requireRegistered(
  ctx: { viewer: Viewer; references: References },
  residentId: string,
  opts: { field: string; realName?: boolean },
): Promise<void> {
  const status = await ctx.references.lookup<ResidentStatus>(
    ctx.viewer,
    {
      owner: 'requests',
      typename: 'Resident',
      key: { id: residentId },
      selection: 'id registered realNameVerified',
      accept: (r) => r.registered === true && (!opts.realName || r.realNameVerified === true),
    },
    opts.field,
  );
  if (status === undefined) return;
  refuseUnregistered(ctx.viewer, residentId, status, opts);
}

/**
 * The registry's one refusal, from what it knows of the resident (`null`: not in it):
 * RESIDENT_NOT_REGISTERED, or with `realName` REAL_NAME_REQUIRED, naming `field`. The other
 * subgraphs reach it through `requireRegistered`; the requests subgraph, which keeps the registry,
 * reads its own collection and calls this, so every subgraph refuses with the same code and words.
 */
export function refuseUnregistered(viewer: Viewer, residentId: string, status: null, opts: { field: string }): never;
export function refuseUnregistered(
  viewer: Viewer,
  residentId: string,
  status: Pick<ResidentStatus, 'registered' | 'realNameVerified'> | null,
  opts: { field: string; realName?: boolean },
): void;
export function refuseUnregistered(
  viewer: Viewer,
  residentId: string,
  status: Pick<ResidentStatus, 'registered' | 'realNameVerified'> | null,
  opts: { field: string; realName?: boolean },
): void {
  const who = residentId === viewer.residentId ? 'you are' : `resident ${residentId} is`;
  if (!status || !status.registered) {
    throw refusal('RESIDENT_NOT_REGISTERED', opts.field, `${who} not in the resident registry; register first (registerResident)`);
  }
  if (opts.realName && !status.realNameVerified) {
    throw refusal('REAL_NAME_REQUIRED', opts.field, `${who} registered but the real name is not verified yet; a service desk verifies it against the ID card`);
  }
}

/**
 * The signed-in resident's id once the registry knows them (and, with `realName`, verified them):
 * UNAUTHENTICATED / FORBIDDEN for other callers as `requireResident`, then as `requireRegistered`
 * with the field `viewer`.
 */
export async function registeredViewer(ctx: { viewer: Viewer; references: References }, opts: { realName?: boolean } = {}): Promise<string> {
  const residentId = requireResident(ctx.viewer);
  await requireRegistered(ctx, residentId, { field: 'viewer', realName: opts.realName });
  return residentId;
}
