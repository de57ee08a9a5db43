import { registeredViewer } from '../../../shared/subgraph/residents';
import { requireResident, requireRole } from '../../../shared/platform/auth';
import * as v from '../../../shared/subgraph/validate';
import { requireCommunity, requireDepartment } from '../../../shared/subgraph';
import type { Context } from '../context';
import { planActivity } from '../domain/activity-plan';
import type { MutationResolvers } from '../generated/graphql';
import { createActivity } from '../services/activities';
import { changingActivity } from '../services/publishing';
import { approveCorrection, requestCorrection } from '../services/hours';
import { recordStationService } from '../services/ledger';
import { cancelSignUp, checkIn, checkOut, signUpForShift, verifyHours } from '../services/sign-ups';
import { joinTeam, leaveTeam, registerVolunteer } from '../services/volunteers';
import { closeStation, closeTeam, createStation, createTeam, reopenStation, setStationHours, updateStation, updateTeam } from '../services/lists-admin';

/** Resolvers check the caller and the input and call one service; the services publish what changed. */
export const Mutation: MutationResolvers<Context> = {
  registerVolunteer: async (_root, _args, ctx) => registerVolunteer(ctx, { residentId: await registeredViewer(ctx) }),

  joinVolunteerTeam: async (_root, { teamId }, ctx) => {
    const residentId = await registeredViewer(ctx);
    return joinTeam(ctx, { residentId, teamId: v.code('teamId', teamId) });
  },

  leaveVolunteerTeam: (_root, { teamId }, ctx) => {
    const residentId = requireResident(ctx.viewer);
    return leaveTeam(ctx, { residentId, teamId: v.code('teamId', teamId) });
  },

  createVolunteerActivity: async (_root, { input }, ctx) => {
    requireRole(ctx.viewer, 'staff', 'community_worker', 'admin');
    const plan = planActivity(input, ctx.viewer, ctx.clock());
    await requireCommunity(ctx.references, ctx.viewer, plan.communityCode, 'input.communityCode');
    if (input.organiserId != null) await requireDepartment(ctx.references, ctx.viewer, plan.organiserId, 'input.organiserId');
    return createActivity(ctx, plan);
  },

  signUpForShift: async (_root, { shiftId, idempotencyKey }, ctx) => {
    const residentId = await registeredViewer(ctx);
    return changingActivity(ctx, () =>
      signUpForShift(ctx, {
        residentId,
        shiftId: v.objectId('shiftId', shiftId),
        idempotencyKey: v.idempotencyKey('idempotencyKey', idempotencyKey),
      }),
    );
  },

  cancelVolunteerSignUp: async (_root, { id }, ctx) => {
    return changingActivity(ctx, () => cancelSignUp(ctx, { id: v.objectId('id', id) }));
  },

  checkInVolunteer: async (_root, { signUpId }, ctx) => {
    return changingActivity(ctx, () => checkIn(ctx, { signUpId: v.objectId('signUpId', signUpId) }));
  },

  checkOutVolunteer: async (_root, { signUpId }, ctx) => {
    return changingActivity(ctx, () => checkOut(ctx, { signUpId: v.objectId('signUpId', signUpId) }));
  },

  verifyVolunteerHours: async (_root, { signUpId, hours }, ctx) => {
    return changingActivity(ctx, () => verifyHours(ctx, { signUpId: v.objectId('signUpId', signUpId), hours }));
  },

  requestVolunteerHoursCorrection: (_root, { signUpId, hours, reason }, ctx) =>
    requestCorrection(ctx, {
      signUpId: v.objectId('signUpId', signUpId),
      hours,
      reason: v.text('reason', reason, { max: 500, multiline: true }),
    }),

  approveVolunteerHoursCorrection: async (_root, { id }, ctx) => {
    const { correction } = await changingActivity(ctx, async () => {
      const approved = await approveCorrection(ctx, { id: v.objectId('id', id) });
      return { ...approved, activityId: approved.signUp.activityId };
    });
    return correction;
  },

  recordStationService: (_root, { stationId, description, peopleServed, idempotencyKey }, ctx) => {
    requireRole(ctx.viewer, 'resident', 'staff', 'community_worker', 'admin');
    return recordStationService(ctx, {
      stationId: v.code('stationId', stationId),
      description: v.text('description', description, { max: 500, multiline: true }),
      peopleServed: v.intInRange('peopleServed', peopleServed, 1, 10000),
      idempotencyKey: v.idempotencyKey('idempotencyKey', idempotencyKey),
    });
  },
  createVolunteerStation: (_root, { input }, ctx) => createStation(ctx, input as Record<string, unknown>),
  updateVolunteerStation: (_root, { id, input }, ctx) => updateStation(ctx, { id, input: input as Record<string, unknown> }),
  setVolunteerStationHours: (_root, { id, hours }, ctx) => setStationHours(ctx, { id, hours }),
  closeVolunteerStation: (_root, { id }, ctx) => closeStation(ctx, { id }),
  reopenVolunteerStation: (_root, { id }, ctx) => reopenStation(ctx, { id }),
  createVolunteerTeam: (_root, { input }, ctx) => createTeam(ctx, input as Record<string, unknown>),
  updateVolunteerTeam: (_root, { id, input }, ctx) => updateTeam(ctx, { id, input: input as Record<string, unknown> }),
  closeVolunteerTeam: (_root, { id }, ctx) => closeTeam(ctx, { id }),
};
