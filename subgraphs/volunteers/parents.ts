/** What resolvers of the shared entities receive: the key alone (the requests subgraph owns the rest). */
export interface ResidentRef {
  id: string;
}
export interface CommunityRef {
  code: string;
}
export interface DepartmentRef {
  id: string;
}
