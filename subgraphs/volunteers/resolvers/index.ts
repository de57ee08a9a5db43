import type { Resolvers } from '../generated/graphql';
import { Community } from './Community';
import { DateTime } from './DateTime';
import { Department } from './Department';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { Resident } from './Resident';
import { Subscription } from './Subscription';
import { VolunteerActivity } from './VolunteerActivity';
import { VolunteerHoursCorrection } from './VolunteerHoursCorrection';
import { VolunteerLedgerEntry } from './VolunteerLedgerEntry';
import { VolunteerProfile } from './VolunteerProfile';
import { VolunteerShift } from './VolunteerShift';
import { VolunteerSignUp } from './VolunteerSignUp';
import { VolunteerStation } from './VolunteerStation';
import { VolunteerStationHours } from './VolunteerStationHours';
import { VolunteerTeam } from './VolunteerTeam';
import { ListAuditEntry } from './ListAuditEntry';

export const resolvers: Resolvers = {
  DateTime,
  Query,
  Mutation,
  Subscription,
  Resident,
  Community,
  Department,
  VolunteerProfile,
  VolunteerTeam,
  VolunteerStation,
  VolunteerStationHours,
  VolunteerLedgerEntry,
  VolunteerActivity,
  VolunteerShift,
  VolunteerSignUp,
  VolunteerHoursCorrection,
  ListAuditEntry,
};
