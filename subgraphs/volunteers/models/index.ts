import type { Connection } from 'mongoose';
import { auditModel } from '../../../shared/subgraph/audit';
import { activityModel } from './activity';
import { hoursCorrectionModel } from './hours-correction';
import { hoursEntryModel } from './hours-entry';
import { ledgerEntryModel } from './ledger-entry';
import { membershipModel } from './membership';
import { placeModel } from './place';
import { profileModel } from './profile';
import { shiftModel } from './shift';
import { signUpModel } from './sign-up';
import { stationModel } from './station';
import { teamModel } from './team';
import { timeClaimModel } from './time-claim';
import { transitionModel } from './transition';

export type { ActivityDoc } from './activity';
export type { HoursCorrectionDoc } from './hours-correction';
export type { HoursEntryDoc } from './hours-entry';
export type { LedgerEntryDoc } from './ledger-entry';
export type { MembershipDoc } from './membership';
export type { PlaceDoc } from './place';
export type { ProfileDoc } from './profile';
export type { ShiftDoc } from './shift';
export type { SignUpDoc } from './sign-up';
export type { OpeningPeriod, StationDoc, StationAmenity, StationKind, StationProgramme } from './station';
export { STATION_AMENITIES } from './station';
export type { TeamDoc, TeamRecord } from './team';
export type { TimeClaimDoc } from './time-claim';
export type { TransitionDoc } from './transition';

/** The subgraph's models, bound to its own connection (idempotent per connection). */
export function createModels(conn: Connection) {
  return {
    Profile: profileModel(conn),
    Team: teamModel(conn),
    Membership: membershipModel(conn),
    Station: stationModel(conn),
    LedgerEntry: ledgerEntryModel(conn),
    Activity: activityModel(conn),
    Shift: shiftModel(conn),
    SignUp: signUpModel(conn),
    Place: placeModel(conn),
    Transition: transitionModel(conn),
    HoursEntry: hoursEntryModel(conn),
    HoursCorrection: hoursCorrectionModel(conn),
    TimeClaim: timeClaimModel(conn),
    /** Admin changes to stations, rosters and teams (insert-only, kit `audit.ts`). */
    Audit: auditModel(conn, 'volunteer_audit'),
  };
}

export type Models = ReturnType<typeof createModels>;
