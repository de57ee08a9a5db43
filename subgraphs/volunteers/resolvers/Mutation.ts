import { requireResident, requireRole } from '../../../shared/platform/auth';
import * as v from '../../../shared/subgraph/validate';
import type { Context } from '../context';
import { planActivity } from '../domain/activity-plan';
import { publishActivityChanged } from '../events';
import type { MutationResolvers } from '../generated/graphql';
import { createActivity } from '../services/activities';
import { recordStationService } from '../services/ledger';
import { cancelSignUp, checkIn, checkOut, signUpForShift, verifyHours } from '../services/sign-ups';
import { joinTeam, leaveTeam, registerVolunteer } from '../services/volunteers';

/** Resolvers check the caller and the input, call one service, and publish what changed. */
export const Mutation: MutationResolvers<Context> = {
  registerVolunteer: (_root, _args, ctx) => registerVolunteer(ctx.models, requireResident(ctx.viewer), ctx.clock()),

  joinVolunteerTeam: (_root, { teamId }, ctx) => {
    const residentId = requireResident(ctx.viewer);
    return joinTeam(ctx.models, residentId, v.code('teamId', teamId), ctx.clock());
  },

  leaveVolunteerTeam: (_root, { teamId }, ctx) => {
    const residentId = requireResident(ctx.viewer);
    return leaveTeam(ctx.models, residentId, v.code('teamId', teamId));
  },

  createVolunteerActivity: async (_root, { input }, ctx) => {
    requireRole(ctx.viewer, 'staff', 'community_worker', 'admin');
    const plan = planActivity(input, ctx.viewer, ctx.clock());
    return createActivity(ctx.models, plan, ctx.viewer.subject ?? ctx.viewer.role);
  },

  signUpForShift: async (_root, { shiftId, idempotencyKey }, ctx) => {
    const residentId = requireResident(ctx.viewer);
    const signUp = await signUpForShift(ctx.models, {
      residentId,
      shiftId: v.objectId('shiftId', shiftId),
      idempotencyKey: v.idempotencyKey('idempotencyKey', idempotencyKey),
      now: ctx.clock(),
    });
    await publishActivityChanged(ctx.models, ctx.pubsub, String(signUp.activityId));
    return signUp;
  },

  cancelVolunteerSignUp: async (_root, { id }, ctx) => {
    const signUp = await cancelSignUp(ctx.models, ctx.viewer, v.objectId('id', id), ctx.clock());
    await publishActivityChanged(ctx.models, ctx.pubsub, String(signUp.activityId));
    return signUp;
  },

  checkInVolunteer: async (_root, { signUpId }, ctx) => {
    const signUp = await checkIn(ctx.models, ctx.viewer, v.objectId('signUpId', signUpId), ctx.clock());
    await publishActivityChanged(ctx.models, ctx.pubsub, String(signUp.activityId));
    return signUp;
  },

  checkOutVolunteer: async (_root, { signUpId }, ctx) => {
    const signUp = await checkOut(ctx.models, ctx.viewer, v.objectId('signUpId', signUpId), ctx.clock());
    await publishActivityChanged(ctx.models, ctx.pubsub, String(signUp.activityId));
    return signUp;
  },

  verifyVolunteerHours: async (_root, { signUpId, hours }, ctx) => {
    const signUp = await verifyHours(ctx.models, ctx.viewer, v.objectId('signUpId', signUpId), hours, ctx.clock());
    await publishActivityChanged(ctx.models, ctx.pubsub, String(signUp.activityId));
    return signUp;
  },

  recordStationService: (_root, { stationId, description, peopleServed, idempotencyKey }, ctx) => {
    requireRole(ctx.viewer, 'resident', 'staff', 'community_worker', 'admin');
    return recordStationService(ctx.models, ctx.viewer, {
      stationId: v.code('stationId', stationId),
      description: v.text('description', description, { max: 500 }),
      peopleServed: v.intInRange('peopleServed', peopleServed, 1, 10000),
      idempotencyKey: v.idempotencyKey('idempotencyKey', idempotencyKey),
      now: ctx.clock(),
    });
  },
};
