import { Kind, parse, type ConstDirectiveNode, type EnumTypeDefinitionNode } from 'graphql';

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

function stringArg(directive: ConstDirectiveNode, name: string): string | undefined {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  return arg && arg.value.kind === Kind.STRING ? arg.value.value : undefined;
}

/** The subgraphs a supergraph names, with their routing URLs (`enum join__Graph { X @join__graph(name, url) }`). */
export function subgraphEndpoints(supergraphSdl: string): SubgraphEndpoint[] {
  const doc = parse(supergraphSdl);
  const graphEnum = doc.definitions.find(
    (d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph',
  );
  if (!graphEnum) return [];
  return (graphEnum.values ?? []).flatMap((value) => {
    const directive = value.directives?.find((d) => d.name.value === 'join__graph');
    const name = directive && stringArg(directive, 'name');
    const url = directive && stringArg(directive, 'url');
    return name ? [{ name, url: url ?? '' }] : [];
  });
}

/**
 * Routing URLs can be overridden per subgraph without editing the supergraph: an explicit map
 * first, then `SUBGRAPH_<NAME>_URL` (name upper-cased, non-alphanumerics as `_`).
 */
export function resolveSubgraphUrl(
  name: string,
  url: string,
  overrides: Record<string, string> = {},
  env: NodeJS.ProcessEnv = process.env,
): string {
  return overrides[name] ?? env[`SUBGRAPH_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`] ?? url;
}
