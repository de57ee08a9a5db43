import { badInput, forbidden, unauthenticated } from '../../../shared/platform/errors';
import { localDateString, parseLocalDate } from '../../../shared/subgraph/time';
import type { Context } from '../context';
import { assessEligibility } from '../domain/eligibility';
import { ACTIVE_STATUSES, countedNights } from '../domain/stay';
import type { ResidentResolvers } from '../generated/graphql';
import type { HostelStayDoc } from '../models/types';
import { stubReference } from '../../../shared/subgraph/entity';

/**
 * What the viewer may read of a resident's hostel records: everything (the resident, an admin),
 * the stays at hostels their department runs (that department's staff), or nothing (FORBIDDEN).
 */
async function readableScope(residentId: string, ctx: Context): Promise<{ all: true } | { hostelIds: Set<string> }> {
  const { viewer } = ctx;
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (viewer.role === 'admin' || (viewer.role === 'resident' && viewer.residentId === residentId)) return { all: true };
  if (viewer.role === 'staff' && viewer.departmentId) {
    const operated = await ctx.loaders.hostelsByOperator.load(viewer.departmentId);
    if (operated.length) return { hostelIds: new Set(operated.map((h) => h._id)) };
  }
  throw forbidden('Only the resident, an admin or staff of a hostel operator can read hostel records');
}

function nightsCounted(stays: HostelStayDoc[]): number {
  return stays.reduce((sum, s) => sum + countedNights(s, localDateString), 0);
}

export const Resident: ResidentResolvers = {
  __resolveReference: stubReference('id'),

  async hostelStays(r, _, ctx) {
    const scope = await readableScope(r.id, ctx);
    const stays = await ctx.loaders.staysByResident.load(r.id);
    return 'all' in scope ? stays : stays.filter((s) => scope.hostelIds.has(s.hostelId));
  },

  async hostelEligibility(r, args, ctx) {
    await readableScope(r.id, ctx);
    if (args.graduationDate != null && !parseLocalDate(args.graduationDate)) {
      throw badInput('graduationDate', 'must be a date as YYYY-MM-DD');
    }
    const stays = await ctx.loaders.staysByResident.load(r.id);
    return assessEligibility({
      graduationDate: args.graduationDate ?? stays[0]?.graduationDate ?? null,
      nightsCounted: nightsCounted(stays),
      hasActiveStay: stays.some((s) => ACTIVE_STATUSES.includes(s.status)),
      today: localDateString(ctx.clock()),
    });
  },

  async hostelProfile(r, _, ctx) {
    await readableScope(r.id, ctx);
    // The profile is what the latest application declared (stays are newest first).
    const stays = await ctx.loaders.staysByResident.load(r.id);
    if (!stays.length) return null;
    const [latest] = stays;
    return {
      graduationDate: latest.graduationDate,
      school: latest.school,
      hongKongMacaoYouth: latest.hongKongMacaoYouth,
      nightsUsed: nightsCounted(stays),
    };
  },
};
