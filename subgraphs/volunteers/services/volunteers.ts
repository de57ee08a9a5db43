import { conflict, notFound } from '../../../shared/platform/errors';
import type { Models, ProfileDoc, TeamDoc } from '../models';
import { isDuplicateKey } from '../../../shared/subgraph';
import type { VolunteersService } from './deps';

/** Registers a resident as a volunteer; registering again returns the first profile. */
export async function registerVolunteer(ctx: VolunteersService, { residentId }: { residentId: string }): Promise<ProfileDoc> {
  const { models } = ctx;
  const now = ctx.clock();
  try {
    const profile = await models.Profile.findOneAndUpdate(
      { _id: residentId },
      { $setOnInsert: { joinedAt: now, importedHours: 0 } },
      { upsert: true, returnDocument: 'after' },
    ).lean<ProfileDoc>();
    return profile!;
  } catch (err) {
    // Two first registrations at once: the loser's upsert hits the unique _id.
    if (!isDuplicateKey(err)) throw err;
    return (await models.Profile.findById(residentId).lean<ProfileDoc>())!;
  }
}

async function loadTeam(models: Models, teamId: string): Promise<TeamDoc> {
  const team = await models.Team.findById(teamId).lean<TeamDoc>();
  if (!team) throw notFound('VolunteerTeam', teamId);
  return team;
}

/** Joins a team (registered volunteers only). Joining again changes nothing. */
export async function joinTeam(ctx: VolunteersService, { residentId, teamId }: { residentId: string; teamId: string }): Promise<TeamDoc> {
  const { models } = ctx;
  const now = ctx.clock();
  const team = await loadTeam(models, teamId);
  if (team.closedAt) throw conflict(`${team.name} is closed and takes no new members`, { field: 'teamId' });
  if (!(await models.Profile.exists({ _id: residentId }))) throw conflict('Register as a volunteer first (registerVolunteer)');
  try {
    await models.Membership.create({ teamId, residentId, joinedAt: now });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  return team;
}

/** Leaves a team; leaving one the volunteer is not in is refused (CONFLICT). */
export async function leaveTeam(ctx: VolunteersService, { residentId, teamId }: { residentId: string; teamId: string }): Promise<TeamDoc> {
  const { models } = ctx;
  const team = await loadTeam(models, teamId);
  const { deletedCount } = await models.Membership.deleteOne({ teamId, residentId });
  if (deletedCount === 0) throw conflict('You are not a member of this team');
  return team;
}
