import { runSubgraph } from '../../shared/run-subgraph';
import { createSubgraph } from './server';

void runSubgraph('requests', createSubgraph);
