import type { Resolvers } from '../generated/graphql';
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
import { WelfarePolicy, WelfarePolicyPush } from './welfare';
import { Open311App, open311Mutation, open311Query, open311RequestFields, RequestDuplicateNotice } from './open311';

export const resolvers: Resolvers = {
  DateTime,
  Query: { ...Query, ...open311Query },
  Mutation: { ...Mutation, ...open311Mutation },
  Subscription,
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
  Open311App,
  RequestDuplicateNotice,
};
