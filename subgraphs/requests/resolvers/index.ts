import type { Resolvers } from '../generated/graphql';
import { Category, ResponsibilityItem } from './catalog';
import { CommunityOrder } from './CommunityOrder';
import { DateTime } from './DateTime';
import { Department, DepartmentBoard } from './Department';
import { addMicroProjectResolvers } from './microprojects';
import { Mutation } from './Mutation';
import { ParkingLot } from './ParkingLot';
import { Community, District, Street } from './places';
import { Query } from './Query';
import { Request, RequestEvent } from './Request';
import { PersonalDataAccess, Resident } from './Resident';
import { Subscription } from './Subscription';
import { WelfarePolicy, WelfarePolicyPush } from './welfare';

export const resolvers: Resolvers = {
  DateTime,
  Query,
  Mutation,
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
  Request,
  RequestEvent,
  ParkingLot,
  CommunityOrder,
  WelfarePolicy,
  WelfarePolicyPush,
};

addMicroProjectResolvers(resolvers);
