import type { HostelBedResolvers } from '../generated/graphql';

export const HostelBed: HostelBedResolvers = {
  id: (b) => b._id,
  gender: (b) => b.gender ?? null,
  closed: (b) => !!b.closedAt,
};
