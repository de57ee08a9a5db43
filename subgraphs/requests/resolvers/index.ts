import type { Resolvers } from '../generated/graphql';
import { CalendarChange, CalendarDay, CalendarMutation, CalendarQuery, WorkingCalendarYear } from './calendar';
import { CannotDoMatter, CannotDoRecord, CannotDoStats } from './cannot-do';
import { Category, ResponsibilityItem } from './catalog';
import { CommunityOrder } from './CommunityOrder';
import { DateTime } from './DateTime';
import { Department, DepartmentBoard } from './Department';
import { Mutation } from './Mutation';
import { ParkingLot } from './ParkingLot';
import { Community, District, Street } from './places';
import { Query } from './Query';
import { Request, RequestEvent } from './Request';
import { PersonalDataAccess, Resident } from './Resident';
import { Subscription } from './Subscription';
import { SupervisionAlert, supervisionMutation, supervisionQuery, supervisionSubscription } from './supervision';
import { WelfarePolicy, WelfarePolicyPush } from './welfare';
import { CategoryVersion, ListAuditEntry, ResponsibilityItemVersion } from './lists';
import { Open311App, open311Mutation, open311Query, open311RequestFields, RequestDuplicateNotice } from './open311';

export const resolvers: Resolvers = {
  DateTime,
  Query: { ...Query, ...CalendarQuery, ...supervisionQuery, ...open311Query },
  Mutation: { ...Mutation, ...CalendarMutation, ...supervisionMutation, ...open311Mutation },
  Subscription: { ...Subscription, ...supervisionSubscription },
  District,
  Street,
  Community,
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
};
