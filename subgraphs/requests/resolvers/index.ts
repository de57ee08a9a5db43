import type { Resolvers } from '../generated/graphql';
import { CalendarChange, CalendarDay, CalendarMutation, CalendarQuery, WorkingCalendarYear } from './calendar';
import { CannotDoMatter, CannotDoRecord, CannotDoStats } from './cannot-do';
import { Category, ResponsibilityItem } from './catalog';
import { CommunityOrder } from './CommunityOrder';
import { DateTime } from './DateTime';
import { Department, DepartmentBoard } from './Department';
import { CategoryVersion, ListAuditEntry, ResponsibilityItemVersion } from './lists';
import {
  MicroProject,
  microProjectCommunityFields,
  microProjectDistrictFields,
  MicroProjectEvent,
  microProjectMutationFields,
  microProjectQueryFields,
  microProjectStreetFields,
  microProjectSubscriptionFields,
  MicroProjectVotes,
} from './microprojects';
import { Mutation } from './Mutation';
import { ParkingLot } from './ParkingLot';
import { Community, District, Street } from './places';
import { Query } from './Query';
import { Request, RequestEvent } from './Request';
import { PersonalDataAccess, Resident } from './Resident';
import { Open311App, open311Mutation, open311Query, open311RequestFields, RequestDuplicateNotice } from './open311';
import { Subscription } from './Subscription';
import { SupervisionAlert, supervisionMutation, supervisionQuery, supervisionSubscription } from './supervision';
import { WelfarePolicy, WelfarePolicyPush } from './welfare';

export const resolvers: Resolvers = {
  DateTime,
  Query: { ...Query, ...CalendarQuery, ...supervisionQuery, ...open311Query, ...microProjectQueryFields },
  Mutation: { ...Mutation, ...CalendarMutation, ...supervisionMutation, ...open311Mutation, ...microProjectMutationFields },
  Subscription: { ...Subscription, ...supervisionSubscription, ...microProjectSubscriptionFields },
  District: { ...District, ...microProjectDistrictFields },
  Street: { ...Street, ...microProjectStreetFields },
  Community: { ...Community, ...microProjectCommunityFields },
  Department,
  DepartmentBoard,
  Resident,
  PersonalDataAccess,
  Category,
  ResponsibilityItem,
  Request: { ...Request, ...open311RequestFields },
  RequestEvent,
  ParkingLot,
  CommunityOrder,
  WelfarePolicy,
  WelfarePolicyPush,
  WorkingCalendarYear,
  CalendarDay,
  CalendarChange,
  SupervisionAlert,
  ResponsibilityItemVersion,
  CategoryVersion,
  ListAuditEntry,
  CannotDoRecord,
  CannotDoStats,
  CannotDoMatter,
  Open311App,
  RequestDuplicateNotice,
  MicroProject,
  MicroProjectEvent,
  MicroProjectVotes,
};
