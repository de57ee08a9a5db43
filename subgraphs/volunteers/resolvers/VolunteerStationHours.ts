import { peopleFor } from '../../../shared/subgraph/privacy';
import type { Context } from '../context';
import type { VolunteerStationHoursResolvers } from '../generated/graphql';
import { residentRef } from './refs';

export const VolunteerStationHours: VolunteerStationHoursResolvers<Context> = {
  onDuty: (p, _args, ctx) => peopleFor(ctx.viewer, p.volunteerIds.map(residentRef)),
};
