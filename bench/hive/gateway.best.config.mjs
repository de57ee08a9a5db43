// Hive Gateway at its fastest for the `hive-best` row (started with `--jit` as well): the same
// configuration as `hive`, plus inbound in-flight request deduplication, so identical operations
// arriving while one executes share its result (off by default in Hive Gateway 2.15.1: see
// `inboundInflightRequestDeduplication` in @graphql-hive/gateway-runtime's index.d.ts). Its key is
// the method, URL, every request header, the document, operation name and variables: the
// benchmark's identical requests (same signed viewer header) share. Outbound subgraph-request
// deduplication (`deduplicateInflightRequests`) is on by default in both rows.
import { defineConfig } from '@graphql-hive/gateway';
import { gatewayConfig as base } from './gateway.config.mjs';

export const gatewayConfig = defineConfig({
  ...base,
  inboundInflightRequestDeduplication: true,
});
