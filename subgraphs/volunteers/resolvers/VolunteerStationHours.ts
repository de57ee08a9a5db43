import type { Context } from '../context';
import type { VolunteerStationHoursResolvers } from '../generated/graphql';
import { residentRef } from './refs';

export const VolunteerStationHours: VolunteerStationHoursResolvers<Context> = {
  onDuty: (p) => p.volunteerIds.map(residentRef),
};
