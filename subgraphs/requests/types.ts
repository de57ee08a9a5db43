/** Parent shapes of GraphQL types that are not stored documents. */

/** A department board is computed from the department's id by its field resolvers. */
export interface DepartmentBoardParent {
  departmentId: string;
}

/** This subgraph knows a parking lot only by its id; the parking subgraph owns the rest. */
export interface ParkingLotRef {
  id: string;
}

/** A duplicate notice is built from the linked request (its parent id and similarity). */
export interface DuplicateNoticeParent {
  parentId: string;
  similarity: number;
}
