import { personFor } from '../../../shared/subgraph/privacy';
import type { Context } from '../context';
import type { VolunteerLedgerEntryResolvers } from '../generated/graphql';

export const VolunteerLedgerEntry: VolunteerLedgerEntryResolvers<Context> = {
  id: (e) => String(e._id),
  station: async (e, _args, ctx) => (await ctx.loaders.station.load(e.stationId))!,
  volunteer: (e, _args, ctx) => personFor(ctx.viewer, e.volunteerId ? { id: e.volunteerId } : null),
};
