import { Schema, type Connection, type Model } from 'mongoose';
import { Double } from './double';
import type { VolunteerTeamKind } from '../generated/graphql';

/** Figures from the team's own records when it was imported, before CityGraph counted anything. */
export interface TeamRecord {
  roster: number;
  hours: number;
  patrols: number;
  services: number;
}

export interface TeamDoc {
  _id: string;
  name: string;
  kind: VolunteerTeamKind;
  description?: string;
  /** Null for district- or city-wide teams. */
  communityCode: string | null;
  imported: TeamRecord;
  /** Set by an admin's closeVolunteerTeam: nobody joins any more; members and figures stay. */
  closedAt?: Date | null;
}

export const TEAM_KINDS: readonly VolunteerTeamKind[] = [
  'RIVER_PATROL', 'DELIVERY_RIDERS', 'EPIDEMIC_CONTROL', 'COMMUNITY_SERVICE', 'ELDERLY_CARE', 'ENVIRONMENT',
];

const schema = new Schema<TeamDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, required: true, enum: TEAM_KINDS },
    description: String,
    communityCode: { type: String, default: null },
    imported: {
      roster: { type: Number, default: 0 },
      hours: { type: Double, default: 0 },
      patrols: { type: Number, default: 0 },
      services: { type: Number, default: 0 },
    },
    closedAt: { type: Date, default: null },
  },
  { collection: 'volunteer_teams', versionKey: false },
);
schema.index({ communityCode: 1 });
schema.index({ kind: 1 });

export type TeamModel = Model<TeamDoc>;

export function teamModel(conn: Connection): TeamModel {
  return (conn.models.VolunteerTeam as TeamModel) ?? conn.model<TeamDoc>('VolunteerTeam', schema);
}
