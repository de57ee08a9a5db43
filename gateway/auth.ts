import type { Viewer } from '../shared/platform/auth';

/** What the city layer adds to each operation's context. */
export type GatewayContext = {
  viewer: Viewer;
  /** The viewer signed for the subgraphs, made once per operation and reused for every fetch. */
  viewerToken?: string;
  /** Forwarded so one request can be followed through every subgraph's logs. */
  requestId?: string;
  /** Who counts against per-client limits: the token's subject, else the IP address. */
  clientKey?: string;
};
