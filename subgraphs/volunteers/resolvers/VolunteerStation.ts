import { refKey } from '../../../shared/subgraph';
import { peopleFor } from '../../../shared/subgraph/privacy';
import * as v from '../../../shared/subgraph/validate';
import type { Context } from '../context';
import { openPeriodAt } from '../domain/opening-hours';
import type { VolunteerStationResolvers } from '../generated/graphql';
import { residentRef } from './refs';
import type { StationWithDistance } from '../services/lists-admin';

export const VolunteerStation: VolunteerStationResolvers<Context> = {
  __resolveReference: (ref, ctx) => ctx.loaders.station.load(refKey(ref)),
  id: (s) => s._id,
  community: (s) => ({ code: s.communityCode }),
  openingHours: (s) => s.openingHours,
  isOpenNow: (s, _args, ctx) => !s.closedAt && openPeriodAt(s.openingHours, ctx.clock()) !== null,
  onDutyNow: (s, _args, ctx) => peopleFor(ctx.viewer, openPeriodAt(s.openingHours, ctx.clock())?.volunteerIds.map(residentRef) ?? []),
  ledger: async (s, { limit }, ctx) => {
    const n = v.intInRange('limit', limit ?? 20, 1, 100);
    return (await ctx.loaders.ledgerByStation.load(s._id)).slice(0, n);
  },
  kind: (s) => s.kind ?? 'U_STATION',
  amenities: (s) => s.amenities ?? [],
  open24h: (s) => !!s.open24h,
  unattended: (s) => !!s.unattended,
  programmes: (s) => s.programmes ?? [],
  closed: (s) => !!s.closedAt,
  distanceMeters: (s) => (s as StationWithDistance).distanceMeters ?? null,
};
