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

/**
 * Federation's `__resolveReference`, typed here because codegen runs with `federation: false`
 * (with it on, the shared codegen script emits references to `_Service` types it does not define).
 */
export type ReferenceResolver<TKey, TParent> = (
  ref: TKey,
  ctx: import('./context').Context,
) => TParent | null | Promise<TParent | null>;
