/** The kit's one DateTime scalar (shared/subgraph/scalars.ts). */
export { DateTime } from '../../../shared/subgraph';
