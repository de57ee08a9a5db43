/** A resident as this subgraph knows one: the key alone; the registry (requests) resolves the rest. */
export const residentRef = (id: string) => ({ id });
