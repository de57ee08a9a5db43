import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { UNMASKED_READ_HEADER, type Viewer } from '../platform/auth';

/**
 * Who sees which personal data: the one rule every subgraph applies.
 *
 * - Anonymous callers see no personal data on public types: no residents behind team members,
 *   duty rosters or ledger entries (they get counts), no resident's phone, ID number or home
 *   community, and timeline actors only as their role.
 * - Timeline actors (who acted on a request) are shown as account ids only to staff, admins and
 *   the request's owner; everyone else sees the actor's role (`resident`, `staff`, …).
 * - A booking's plate is whole for its resident and admins only (`seesWholeOwnRecord`).
 * - A resident's phone and ID number are whole for the resident, for admins, and for staff of a
 *   department that handles an open case of the resident or closed one at most
 *   `unmaskDaysAfterClose()` days ago (PERSONAL_DATA_UNMASK_DAYS, default 30); masked otherwise.
 *   Every whole read by someone other than the resident is logged once per operation, and the
 *   subgraph's answer carries `UNMASKED_READ_HEADER` so the gateway never shares it with another
 *   caller's identical fetch (each caller's read is logged by its own fetch).
 */

/** Default for PERSONAL_DATA_UNMASK_DAYS: days after a case closes that its department still sees the resident whole. */
export const DEFAULT_UNMASK_DAYS_AFTER_CLOSE = 30;

const DAY_MS = 86_400_000;

/**
 * Days after a resident's case closes during which the handling department still sees the
 * resident's phone and ID number whole (follow-up calls, complaints about the handling): `env`'s
 * PERSONAL_DATA_UNMASK_DAYS (a whole number, 0 to 9999), else 30. A bad value throws rather than
 * silently widening or narrowing access.
 */
export function unmaskDaysAfterClose(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PERSONAL_DATA_UNMASK_DAYS;
  if (raw === undefined || raw === '') return DEFAULT_UNMASK_DAYS_AFTER_CLOSE;
  if (!/^\d{1,4}$/.test(raw)) throw new Error(`PERSONAL_DATA_UNMASK_DAYS must be a whole number of days (0 to 9999), got "${raw}"`);
  return Number(raw);
}

/**
 * The process's PERSONAL_DATA_UNMASK_DAYS, read once when the kit is loaded, so a bad value stops
 * the subgraph at start-up instead of failing reads.
 */
export const UNMASK_DAYS_AFTER_CLOSE = unmaskDaysAfterClose();

/** Whether the viewer may see people (names, rosters, who recorded what) on public types at all. */
export function seesPeople(viewer: Viewer): boolean {
  return viewer.role !== 'anonymous';
}

/** Residents behind a public list, or none for a viewer who may not see people (they get the list's count field). */
export function peopleFor<T>(viewer: Viewer, people: T[]): T[] {
  return seesPeople(viewer) ? people : [];
}

/** The resident behind a public field, or null for a viewer who may not see people. */
export function personFor<T>(viewer: Viewer, person: T | null): T | null {
  return seesPeople(viewer) ? person : null;
}

/** Whether the viewer is the resident a record belongs to. */
export function isOwner(viewer: Viewer, ownerResidentId: string | null | undefined): boolean {
  return viewer.role === 'resident' && !!ownerResidentId && viewer.residentId === ownerResidentId;
}

/**
 * Whether the viewer sees a resident's own-record identifiers whole (a booking's plate): the
 * resident and admins; staff and everyone else see them masked.
 */
export function seesWholeOwnRecord(viewer: Viewer, ownerResidentId: string | null | undefined): boolean {
  return viewer.role === 'admin' || isOwner(viewer, ownerResidentId);
}

/**
 * Who acted on a case, as the viewer may see it: the account id for staff, admins and the case's
 * owner (the resident who filed it), the actor's role for everyone else.
 */
export function visibleActor(viewer: Viewer, event: { actor: string; role: string }, ownerResidentId: string | null | undefined): string {
  if (viewer.role === 'staff' || viewer.role === 'admin') return event.actor;
  return isOwner(viewer, ownerResidentId) ? event.actor : event.role;
}

/** How a department stands to one resident's cases: whether one is open, and when the last one closed. */
export interface CaseHandling {
  open: boolean;
  lastClosedAt: Date | null;
}

/**
 * Why the viewer may see a resident's phone and ID number whole, or null when they stay masked.
 * `handling` is the viewer's department's standing to the resident's cases (staff only).
 */
export function unmaskGrounds(
  viewer: Viewer,
  residentId: string,
  handling: CaseHandling | null,
  now: Date,
  days = UNMASK_DAYS_AFTER_CLOSE,
): string | null {
  if (viewer.role === 'resident' && viewer.residentId === residentId) return 'owner';
  if (viewer.role === 'admin') return 'admin';
  if (viewer.role !== 'staff' || !viewer.departmentId || !handling) return null;
  if (handling.open) return 'handling an open case of this resident';
  if (handling.lastClosedAt && now.getTime() - handling.lastClosedAt.getTime() <= days * DAY_MS) {
    return `a case of this resident closed within ${days} days`;
  }
  return null;
}

const unmaskedReads = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * Logs that this operation returns `key` (e.g. `<residentId>|phone`) whole, once per operation:
 * `write` runs the first time, and every read of the key in the operation waits for that write,
 * so no read is returned before its log entry is stored (a failed write fails each of them). It
 * also marks the operation's answer with UNMASKED_READ_HEADER (see `privacyPlugin`).
 */
export function logUnmaskedReadOnce(ctx: object, key: string, write: () => Promise<unknown>): Promise<unknown> {
  let writes = unmaskedReads.get(ctx);
  if (!writes) unmaskedReads.set(ctx, (writes = new Map()));
  let written = writes.get(key);
  if (!written) writes.set(key, (written = write()));
  return written;
}

/** Whether the operation with this context returned personal data whole. */
export function returnedUnmasked(ctx: object): boolean {
  return (unmaskedReads.get(ctx)?.size ?? 0) > 0;
}

/**
 * Sets UNMASKED_READ_HEADER on an answer that holds a whole phone or ID number, so the gateway
 * hands it to no caller but the one whose fetch was logged.
 */
export function privacyPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (returnedUnmasked(contextValue)) response.http.headers.set(UNMASKED_READ_HEADER, '1');
        },
      };
    },
  };
}
