/** `npm run subgraph -- <name>`: runs one subgraph alone (needs MONGODB_URI). */
import { SUBGRAPH_NAMES } from '../shared/subgraph-deps';

const name = process.argv[2];
if (!name || !(SUBGRAPH_NAMES as readonly string[]).includes(name)) {
  console.error(`usage: npm run subgraph -- <${SUBGRAPH_NAMES.join('|')}>`);
  process.exit(2);
}
require(`../subgraphs/${name}/index`);
