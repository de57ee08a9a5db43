import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { parse, printSchema, type GraphQLSchema } from 'graphql';
import YAML from 'yaml';

/** One subgraph as rover's `supergraph.yaml` describes it. */
export interface SubgraphConfigEntry {
  name: string;
  routingUrl: string;
  /** Absolute path of the SDL file (`schema: file:`). */
  schemaFile: string;
}

/** Reads rover's supergraph config format: `federation_version` and `subgraphs.<name>.{routing_url, schema.file}`. */
export function readSupergraphConfig(configPath: string): { federationVersion: string; subgraphs: SubgraphConfigEntry[] } {
  const doc = YAML.parse(readFileSync(configPath, 'utf8')) as {
    federation_version?: string | number;
    subgraphs?: Record<string, { routing_url?: string; schema?: { file?: string } }>;
  };
  if (!doc || typeof doc !== 'object' || !doc.subgraphs) {
    throw new Error(`${configPath}: no "subgraphs" section (rover's supergraph.yaml format)`);
  }
  const base = path.dirname(configPath);
  const subgraphs = Object.entries(doc.subgraphs).map(([name, entry]) => {
    if (!entry?.routing_url) throw new Error(`${configPath}: subgraph "${name}" has no routing_url`);
    if (!entry.schema?.file) throw new Error(`${configPath}: subgraph "${name}" needs schema.file (only file schemas are supported)`);
    return { name, routingUrl: entry.routing_url, schemaFile: path.resolve(base, entry.schema.file) };
  });
  return { federationVersion: String(doc.federation_version ?? '=2'), subgraphs };
}

export interface CompositionOutcome {
  supergraphSdl?: string;
  /** Readable composition errors: `[CODE] message` each, with the subgraphs involved. */
  errors: string[];
}

/** Composes subgraph SDLs (with their routing URLs) into a supergraph with @apollo/composition. */
export function composeSubgraphs(subgraphs: Array<{ name: string; url: string; sdl: string }>): CompositionOutcome {
  const parsed: Array<{ name: string; url: string; typeDefs: ReturnType<typeof parse> }> = [];
  const errors: string[] = [];
  for (const s of subgraphs) {
    try {
      parsed.push({ name: s.name, url: s.url, typeDefs: parse(s.sdl) });
    } catch (err) {
      errors.push(`[INVALID_GRAPHQL] subgraph "${s.name}": ${(err as Error).message}`);
    }
  }
  if (errors.length) return { errors };
  const result = composeServices(parsed);
  if (result.errors) {
    return {
      errors: result.errors.map((e) => {
        const code = (e.extensions?.code as string | undefined) ?? 'COMPOSITION_ERROR';
        return `[${code}] ${e.message}`;
      }),
    };
  }
  return { supergraphSdl: result.supergraphSdl, errors: [] };
}

/** Composes everything a `supergraph.yaml` names. */
export function composeFromConfig(configPath: string): CompositionOutcome {
  const config = readSupergraphConfig(configPath);
  return composeSubgraphs(
    config.subgraphs.map((s) => ({ name: s.name, url: s.routingUrl, sdl: readFileSync(s.schemaFile, 'utf8') })),
  );
}

/**
 * The schema clients see: the supergraph minus federation internals and @inaccessible members
 * (what Apollo Gateway serves as its API schema). Feature support is not checked here
 * (`@authenticated` and friends are the gateway's business).
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  // With @defer: the default executor (GATEWAY_EXECUTOR=citygraph) serves it, so clients see it.
  return Supergraph.build(supergraphSdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema({ includeDefer: true });
}

/** The API schema as SDL (schema/api.graphql), printed like the gateway's introspection prints back. */
export function printApiSchema(supergraphSdl: string): string {
  return `${printSchema(apiSchemaOf(supergraphSdl))}\n`;
}
