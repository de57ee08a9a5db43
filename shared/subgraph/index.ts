/** The subgraph kit: every subgraph imports its mechanisms from here (see README.md). */
export * from './unique';
export * from './claims';
export * from './idempotency';
export * from './slots';
export * from './publish';
export * from './scalars';
export * from './text';
export * from './access';
export * from './references';
export * from './places';
export * from './residents';
export * from './service';
export * from './context';
export * from './loaders';
export * from './mask';
export * from './privacy';
export * as validate from './validate';
export * from './entity';
