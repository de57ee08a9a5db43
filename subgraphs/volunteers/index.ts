import { runSubgraph } from '../../shared/subgraph/run-subgraph';
import { createSubgraph } from './server';

void runSubgraph('volunteers', createSubgraph);
