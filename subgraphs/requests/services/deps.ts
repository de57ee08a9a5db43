import type { ServiceContext } from '../../../shared/subgraph/service';
import type { References } from '../../../shared/subgraph/references';
import type { Models } from '../models';

/** What every requests service gets: the kit's one service context, with this subgraph's models. */
export type RequestsService = ServiceContext<Models>;

/** A service that also asks other subgraphs whether what it stores references exists. */
export type ReferencingRequestsService = RequestsService & { references: References };
