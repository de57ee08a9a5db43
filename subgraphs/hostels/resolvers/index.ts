import type { Resolvers } from '../generated/graphql';
import { Community } from './Community';
import { DateTime } from './DateTime';
import { Department } from './Department';
import { District } from './District';
import { Hostel } from './Hostel';
import { HostelBed } from './HostelBed';
import { HostelStay } from './HostelStay';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { Resident } from './Resident';
import { Subscription } from './Subscription';
import { ListAuditEntry } from './ListAuditEntry';

export const resolvers: Resolvers = {
  DateTime,
  Query,
  Mutation,
  Subscription,
  Hostel,
  HostelBed,
  HostelStay,
  Community,
  District,
  Department,
  Resident,
  ListAuditEntry,
};
