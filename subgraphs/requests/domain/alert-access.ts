import type { Viewer } from '../../../shared/platform/auth';
import { forbidden, unauthenticated } from '../../../shared/platform/errors';
import { streetOfCommunity } from '../../../shared/subgraph/places';
import { streetOfficeId } from './permissions';

export interface AlertScopeArgs {
  departmentId?: string | null;
  streetCode?: string | null;
  districtCode?: string | null;
}

function refuse(field: string, reason: string): never {
  const err = forbidden(reason);
  err.extensions.field = field;
  throw err;
}

/** The street a viewer supervises: a street-bound staff account, a street office's staff, a community worker's street. */
function supervisedStreet(viewer: Viewer): string | null {
  if (viewer.role === 'community_worker') return viewer.communityCode ? streetOfCommunity(viewer.communityCode) : null;
  if (viewer.role !== 'staff') return null;
  if (viewer.streetCode) return viewer.streetCode;
  return viewer.departmentId?.startsWith('ST-') ? viewer.departmentId.slice(3) : null;
}

/**
 * Who sees which supervision alerts: admins every alert; department staff their department's;
 * street staff (a street-bound account or the street office) and community workers their street's.
 * No argument means the viewer's own scope. Returns the filter the arguments and the viewer allow.
 */
export function alertScope(viewer: Viewer, args: AlertScopeArgs): Record<string, string> {
  if (viewer.role === 'anonymous') throw unauthenticated();
  const filter: Record<string, string> = {};
  if (args.departmentId != null) filter.departmentId = args.departmentId;
  if (args.streetCode != null) filter.streetCode = args.streetCode;
  if (args.districtCode != null) filter.districtCode = args.districtCode;
  if (viewer.role === 'admin') return filter;
  if (viewer.role === 'resident') refuse('viewer', 'Supervision alerts are for departments, street offices, community workers and admins');
  const street = supervisedStreet(viewer);
  if (filter.districtCode) refuse('districtCode', 'Only admins see the alerts of a whole district');
  if (filter.departmentId && !(viewer.role === 'staff' && viewer.departmentId === filter.departmentId) && !(street && filter.departmentId === streetOfficeId(street))) {
    refuse('departmentId', `Your account sees only the alerts of ${viewer.role === 'staff' ? `department ${viewer.departmentId}` : `street ${street}`}`);
  }
  if (filter.streetCode && filter.streetCode !== street) refuse('streetCode', street ? `Your account supervises only street ${street}` : "Only street staff and community workers see a street's alerts");
  if (!filter.departmentId && !filter.streetCode) {
    if (street) filter.streetCode = street;
    else if (viewer.role === 'staff' && viewer.departmentId) filter.departmentId = viewer.departmentId;
    else refuse('viewer', 'Your account has no department or street to supervise');
  }
  return filter;
}

/** Whether an alert is inside a scope (subscriptions filter the one alert topic by it). */
export function inAlertScope(alert: { departmentId?: string | null; streetCode: string; districtCode: string }, scope: Record<string, string>): boolean {
  return Object.entries(scope).every(([k, v]) => (alert as Record<string, unknown>)[k] === v);
}
