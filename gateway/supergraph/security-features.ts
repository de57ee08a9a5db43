/**
 * Apollo's JS gateway refuses a supergraph that links a feature `for: SECURITY` it does not
 * implement, such as `@authenticated`, `@requiresScopes` and `@policy` (Apollo Router enforces
 * them itself). In CityGraph the subgraphs enforce every access rule, and the directives stay in
 * the supergraph as documentation, so the gateway loads the supergraph with those links demoted
 * to plain (non-security) links. Any other unsupported security feature is still refused.
 */
const ENFORCED_BY_SUBGRAPHS = ['authenticated', 'requiresScopes', 'policy'];

const LINK = new RegExp(
  `(@link\\(url: "https://specs\\.apollo\\.dev/(?:${ENFORCED_BY_SUBGRAPHS.join('|')})/v[0-9.]+"), for: SECURITY\\)`,
  'g',
);

export function demoteSubgraphEnforcedFeatures(supergraphSdl: string): string {
  return supergraphSdl.replace(LINK, '$1)');
}
