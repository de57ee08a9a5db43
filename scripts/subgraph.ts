/** `npm run subgraph -- <name>`: runs one subgraph alone (needs MONGODB_URI). */
import { runCli, type CliArgs } from '../shared/platform/cli';
import { SUBGRAPH_NAMES } from '../shared/subgraph/subgraph-deps';

const cli: CliArgs = runCli('npm run subgraph --', {
  summary: 'Runs one subgraph alone, on its port (REQUESTS_PORT … VOLUNTEERS_PORT, 4001 … 4004).',
  args: `<${SUBGRAPH_NAMES.join('|')}>`,
  minArgs: 1,
  maxArgs: 1,
  env: { MONGODB_URI: 'the database (required; `npm start` runs an embedded FerretDB instead)', HOST: 'interface to bind (default 127.0.0.1)' },
  examples: ['MONGODB_URI=mongodb://127.0.0.1:27117/ npm run subgraph -- parking'],
});
const name = cli.choice(0, 'subgraph', SUBGRAPH_NAMES)!;
require(`../subgraphs/${name}/index`);
