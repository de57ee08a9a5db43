/** Parents of the shared entities this subgraph extends: only their keys are known here. */
export interface ResidentRef {
  id: string;
}
export interface CommunityRef {
  code: string;
}
export interface StreetRef {
  code: string;
}
export interface DepartmentRef {
  id: string;
}
