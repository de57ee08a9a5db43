import { missingContainmentIndexes } from '../../shared/dev/pg-indexes';

/** FerretDB's own index definitions, as `pg_indexes` lists them (from a seeded requests table). */
const FERRET = [
  { schemaname: 'citygraph_requests', tablename: 'requests_66ad5ad3', indexname: 'requests_66ad5ad3__id__67399184_idx', indexdef: "CREATE UNIQUE INDEX requests_66ad5ad3__id__67399184_idx ON citygraph_requests.requests_66ad5ad3 USING btree (((_jsonb -> '_id'::text)))" },
  { schemaname: 'citygraph_requests', tablename: 'requests_66ad5ad3', indexname: 'requests_66ad5ad3_communitycode___su_5807b1fb_idx', indexdef: "CREATE INDEX requests_66ad5ad3_communitycode___su_5807b1fb_idx ON citygraph_requests.requests_66ad5ad3 USING btree (((_jsonb -> 'communityCode'::text)), ((_jsonb -> 'submittedAt'::text)) DESC)" },
  { schemaname: 'citygraph_requests', tablename: 'requests_66ad5ad3', indexname: 'requests_66ad5ad3_communitycode___op_1_idx', indexdef: "CREATE INDEX requests_66ad5ad3_communitycode___op_1_idx ON citygraph_requests.requests_66ad5ad3 USING btree (((_jsonb -> 'communityCode'::text)), ((_jsonb -> 'open'::text)))" },
];

describe('containment indexes for FerretDB over PostgreSQL', () => {
  it('asks for one GIN index per indexed field of each table, over the expression FerretDB filters on', () => {
    const sql = missingContainmentIndexes(FERRET);
    // _id, communityCode (in two indexes: once), submittedAt, open.
    expect(sql).toHaveLength(4);
    for (const s of sql) expect(s).toMatch(/^CREATE INDEX CONCURRENTLY IF NOT EXISTS "requests_66ad5ad3_[0-9a-f]{10}_gin" ON "citygraph_requests"."requests_66ad5ad3" USING gin \(\(_jsonb -> '[A-Za-z_]+'\)\)$/);
    expect(sql.map((s) => /'([A-Za-z_]+)'\)\)$/.exec(s)![1]).sort()).toEqual(['_id', 'communityCode', 'open', 'submittedAt']);
  });

  it('asks for nothing once they exist', () => {
    const created = missingContainmentIndexes(FERRET).map((s) => {
      const name = /"([^"]+_gin)"/.exec(s)![1];
      return { schemaname: 'citygraph_requests', tablename: 'requests_66ad5ad3', indexname: name, indexdef: s.replace('CONCURRENTLY IF NOT EXISTS ', '') };
    });
    expect(missingContainmentIndexes([...FERRET, ...created])).toEqual([]);
  });
});
