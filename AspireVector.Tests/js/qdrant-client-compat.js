'use strict';
// The official Qdrant REST client (@qdrant/js-client-rest) against an AspireVector node:
//   node qdrant-client-compat.js http://127.0.0.1:PORT
// Runs the everyday client calls in order and prints one JSON line per step:
//   {"step":"upsert","ok":true,"detail":{...}}   or   {"step":"upsert","ok":false,"error":"..."}
// then {"done":true,"passed":N,"failed":M}. The C# test asserts that every step passed.
const assert = require('assert/strict');
const { QdrantClient } = require('@qdrant/js-client-rest');

const url = process.argv[2];
if (!url) {
  console.error('usage: node qdrant-client-compat.js http://host:port');
  process.exit(2);
}

// The client checks GET / in its constructor and only warns; keep the warnings to report them as a step.
const warnings = [];
const warn = console.warn;
console.warn = (...args) => { warnings.push(args.join(' ')); };

const client = new QdrantClient({ url, checkCompatibility: true, timeout: 30_000 });
const collection = 'js_client_compat';

// The OpenAPI file's own example points, plus a cosine reference to check the ranking.
const points = [
  { id: 1, vector: [0.05, 0.61, 0.76, 0.74], payload: { city: 'Berlin', rank: 1 } },
  { id: 2, vector: [0.19, 0.81, 0.75, 0.11], payload: { city: ['Berlin', 'London'], rank: 2 } },
  { id: 3, vector: [0.36, 0.55, 0.47, 0.94], payload: { city: ['Berlin', 'Moscow'], rank: 3 } },
  { id: 4, vector: [0.18, 0.01, 0.85, 0.80], payload: { city: ['London', 'Moscow'], rank: 4 } },
  { id: 5, vector: [0.24, 0.18, 0.22, 0.44], payload: { count: [0], rank: 5 } },
  { id: 6, vector: [0.35, 0.08, 0.11, 0.44] },
];
const batch = {
  ids: [7, 'a3e4b0f2-4b7c-4d0e-9a55-1f6f2f0c9b11'],
  vectors: [[0.9, 0.1, 0.1, 0.1], [0.1, 0.9, 0.1, 0.1]],
  payloads: [{ city: 'Paris', rank: 7 }, { city: 'Rome', rank: 8 }],
};
const uuid = batch.ids[1];
const query = [0.2, 0.1, 0.9, 0.7];

function cosine(a, b) {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
  return dot / Math.sqrt(na * nb);
}

function expectedRanking(vector, candidates) {
  return candidates
    .map((p) => ({ id: p.id, score: cosine(vector, p.vector) }))
    .sort((x, y) => y.score - x.score);
}

const allVectors = [...points, ...batch.ids.map((id, i) => ({ id, vector: batch.vectors[i] }))];
const sortIds = (ids) => ids.map(String).sort();

let passed = 0, failed = 0;

async function step(name, body) {
  try {
    const detail = await body();
    passed++;
    console.log(JSON.stringify({ step: name, ok: true, detail: detail ?? null }));
  } catch (e) {
    failed++;
    const error = e && e.message ? e.message : String(e);
    const response = e && e.data !== undefined ? e.data : undefined;
    console.log(JSON.stringify({ step: name, ok: false, error, status: e && e.status, response }));
  }
}

async function expectStatus(promise, status) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.status, status, `expected HTTP ${status}, got ${e.status}: ${e.message}`);
    assert.equal(typeof e.data?.status?.error, 'string', 'error envelope {"status":{"error":".."}}');
    return { status: e.status, error: e.data.status.error };
  }
  throw new Error(`expected HTTP ${status}, the call succeeded`);
}

async function main() {
  await step('version_info', async () => {
    const info = await client.versionInfo();
    assert.equal(typeof info.title, 'string');
    assert.equal(typeof info.version, 'string');
    return info;
  });

  await step('collection_exists_before', async () => {
    // A leftover from an earlier run against the same URL would break the counts below.
    if (await client.collectionExists(collection)) await client.deleteCollection(collection);
    const result = await client.collectionExists(collection);
    assert.deepEqual(result, { exists: false });
    return result;
  });

  await step('create_collection', async () => {
    const result = await client.createCollection(collection, { vectors: { size: 4, distance: 'Cosine' } });
    assert.equal(result, true);
    return result;
  });

  await step('collection_exists_after', async () => {
    const result = await client.collectionExists(collection);
    assert.deepEqual(result, { exists: true });
    return result;
  });

  await step('create_collection_again_fails', () => expectStatus(
    client.createCollection(collection, { vectors: { size: 4, distance: 'Cosine' } }), 409));

  await step('upsert_points', async () => {
    const result = await client.upsert(collection, { wait: true, points });
    assert.equal(result.status, 'completed');
    assert.equal(typeof result.operation_id, 'number');
    return result;
  });

  await step('upsert_batch', async () => {
    const result = await client.upsert(collection, { wait: true, batch });
    assert.equal(result.status, 'completed');
    return result;
  });

  await step('upsert_wrong_dimension_fails', () => expectStatus(
    client.upsert(collection, { wait: true, points: [{ id: 99, vector: [1, 2, 3] }] }), 400));

  await step('retrieve', async () => {
    const result = await client.retrieve(collection, { ids: [1, uuid], with_vector: true });
    assert.deepEqual(sortIds(result.map((p) => p.id)), sortIds([1, uuid]));
    const one = result.find((p) => p.id === 1);
    assert.deepEqual(one.payload, points[0].payload);
    assert.equal(one.vector.length, 4);
    return result.map((p) => p.id);
  });

  await step('query_nearest', async () => {
    const result = await client.query(collection, { query, limit: 3, with_payload: true });
    const expected = expectedRanking(query, allVectors).slice(0, 3);
    assert.deepEqual(result.points.map((p) => p.id), expected.map((p) => p.id));
    result.points.forEach((p, i) => {
      assert.ok(Math.abs(p.score - expected[i].score) < 1e-4, `score of ${p.id}: ${p.score} vs ${expected[i].score}`);
      assert.equal(typeof p.version, 'number');
      assert.ok(p.payload, 'with_payload: true returns payloads');
    });
    return result.points.map((p) => ({ id: p.id, score: p.score }));
  });

  await step('query_with_filter', async () => {
    const filter = { must: [{ key: 'city', match: { value: 'London' } }] };
    const result = await client.query(collection, { query, filter, limit: 10 });
    const expected = expectedRanking(query, [points[1], points[3]]);
    assert.deepEqual(result.points.map((p) => p.id), expected.map((p) => p.id));
    return result.points.map((p) => p.id);
  });

  await step('query_by_point_id', async () => {
    const result = await client.query(collection, { query: 4, limit: 2 });
    const expected = expectedRanking(points[3].vector, allVectors.filter((p) => p.id !== 4)).slice(0, 2);
    assert.deepEqual(result.points.map((p) => p.id), expected.map((p) => p.id));
    return result.points.map((p) => p.id);
  });

  await step('query_batch', async () => {
    const result = await client.queryBatch(collection, {
      searches: [{ query, limit: 1 }, { query: { nearest: batch.vectors[0] }, limit: 1, with_payload: ['city'] }],
    });
    assert.equal(result.length, 2);
    assert.equal(result[0].points[0].id, expectedRanking(query, allVectors)[0].id);
    assert.equal(result[1].points[0].id, 7);
    assert.deepEqual(result[1].points[0].payload, { city: 'Paris' });
    return result.map((r) => r.points.map((p) => p.id));
  });

  await step('scroll_with_filter', async () => {
    const filter = { must: [{ key: 'city', match: { any: ['Berlin', 'Paris'] } }], must_not: [{ has_id: [3] }] };
    const result = await client.scroll(collection, { filter, limit: 10 });
    assert.deepEqual(result.points.map((p) => p.id), [1, 2, 7]);
    assert.equal(result.next_page_offset ?? null, null);
    assert.deepEqual(result.points[0].payload, points[0].payload, 'scroll returns payloads by default');
    return result.points.map((p) => p.id);
  });

  await step('scroll_pages', async () => {
    const first = await client.scroll(collection, { limit: 3, with_payload: false });
    assert.deepEqual(first.points.map((p) => p.id), [1, 2, 3]);
    assert.equal(first.next_page_offset, 4);
    const second = await client.scroll(collection, { limit: 3, offset: first.next_page_offset });
    assert.deepEqual(second.points.map((p) => p.id), [4, 5, 6]);
    return { first: first.points.map((p) => p.id), next: first.next_page_offset, second: second.points.map((p) => p.id) };
  });

  await step('count', async () => {
    const all = await client.count(collection);
    assert.deepEqual(all, { count: 8 });
    const ranked = await client.count(collection, { filter: { must: [{ key: 'rank', range: { gte: 3, lt: 7 } }] }, exact: true });
    assert.deepEqual(ranked, { count: 3 });
    return { all: all.count, ranked: ranked.count };
  });

  await step('set_payload', async () => {
    const result = await client.setPayload(collection, { payload: { color: 'red' }, points: [1, 2] });
    assert.equal(result.status, 'completed');
    const byFilter = await client.setPayload(collection, {
      payload: { color: 'blue' }, filter: { must: [{ key: 'city', match: { value: 'Moscow' } }] },
    });
    assert.equal(byFilter.status, 'completed');
    const read = await client.retrieve(collection, { ids: [1, 2, 3, 4] });
    const colors = Object.fromEntries(read.map((p) => [p.id, p.payload.color]));
    assert.deepEqual(colors, { 1: 'red', 2: 'red', 3: 'blue', 4: 'blue' });
    assert.equal(read.find((p) => p.id === 1).payload.city, 'Berlin', 'set_payload keeps other keys');
    return colors;
  });

  await step('overwrite_and_delete_payload', async () => {
    assert.equal((await client.overwritePayload(collection, { payload: { only: true }, points: [5] })).status, 'completed');
    assert.equal((await client.deletePayload(collection, { keys: ['color'], points: [1] })).status, 'completed');
    assert.equal((await client.clearPayload(collection, { points: [6], wait: true })).status, 'completed');
    const read = await client.retrieve(collection, { ids: [1, 5, 6] });
    const byId = Object.fromEntries(read.map((p) => [p.id, p.payload]));
    assert.deepEqual(byId[5], { only: true });
    assert.equal(byId[1].color, undefined);
    assert.deepEqual(byId[6] ?? {}, {});
    return byId;
  });

  await step('create_payload_index', async () => {
    const result = await client.createPayloadIndex(collection, { field_name: 'city', field_schema: 'keyword', wait: true });
    assert.equal(result.status, 'completed');
    const ranked = await client.createPayloadIndex(collection, { field_name: 'rank', field_schema: { type: 'integer', range: true, lookup: true }, wait: true });
    assert.equal(ranked.status, 'completed');
    const info = await client.getCollection(collection);
    assert.equal(info.payload_schema.city.data_type, 'keyword');
    assert.equal(info.payload_schema.rank.data_type, 'integer');
    assert.equal(typeof info.payload_schema.city.points, 'number');
    // Filters on the indexed field keep answering the same.
    const london = await client.count(collection, { filter: { must: [{ key: 'city', match: { value: 'London' } }] } });
    assert.deepEqual(london, { count: 2 });
    return info.payload_schema;
  });

  await step('delete_payload_index', async () => {
    const result = await client.deletePayloadIndex(collection, 'rank', { wait: true });
    assert.equal(result.status, 'completed');
    const info = await client.getCollection(collection);
    assert.equal(info.payload_schema.rank, undefined);
    return Object.keys(info.payload_schema);
  });

  await step('delete_points', async () => {
    const byIds = await client.delete(collection, { points: [5, 6], wait: true });
    assert.equal(byIds.status, 'completed');
    const byFilter = await client.delete(collection, { filter: { must: [{ key: 'city', match: { value: 'Rome' } }] }, wait: true });
    assert.equal(byFilter.status, 'completed');
    const left = await client.count(collection);
    assert.deepEqual(left, { count: 5 });
    const gone = await client.retrieve(collection, { ids: [5, 6, uuid] });
    assert.deepEqual(gone, []);
    return left;
  });

  await step('get_collection', async () => {
    const info = await client.getCollection(collection);
    assert.equal(info.status, 'green');
    assert.equal(info.points_count, 5);
    assert.equal(info.config.params.vectors.size, 4);
    assert.equal(info.config.params.vectors.distance, 'Cosine');
    assert.equal(typeof info.config.hnsw_config.m, 'number');
    assert.equal(typeof info.config.optimizer_config, 'object');
    return { status: info.status, points_count: info.points_count, vectors: info.config.params.vectors };
  });

  // Hybrid search as Qdrant documents it: a dense and a sparse vector per point, fused with RRF.
  const hybrid = 'js_client_hybrid';
  const docs = [
    { id: 1, vector: { dense: [0.9, 0.1, 0.1, 0.1], text: { indices: [7, 1], values: [0.5, 1.0] } } },
    { id: 2, vector: { dense: [0.1, 0.9, 0.1, 0.1], text: { indices: [1, 3], values: [2.0, 1.0] } } },
    { id: 3, vector: { dense: [0.1, 0.1, 0.9, 0.1], text: { indices: [9], values: [3.0] } } },
    { id: 4, vector: { dense: [0.8, 0.2, 0.1, 0.1] } },
  ];

  await step('sparse_create_and_upsert', async () => {
    assert.equal(await client.createCollection(hybrid, {
      vectors: { dense: { size: 4, distance: 'Dot' } },
      sparse_vectors: { text: { modifier: 'idf' } },
    }), true);
    const info = await client.getCollection(hybrid);
    assert.deepEqual(info.config.params.sparse_vectors, { text: { modifier: 'idf' } });
    assert.equal((await client.upsert(hybrid, { wait: true, points: docs })).status, 'completed');
    const [one] = await client.retrieve(hybrid, { ids: [1], with_vector: true });
    assert.deepEqual(one.vector.text, { indices: [1, 7], values: [1.0, 0.5] });
    return info.config.params.sparse_vectors;
  });

  await step('sparse_query', async () => {
    const { points: hits } = await client.query(hybrid, { query: { indices: [1], values: [1.0] }, using: 'text', limit: 10 });
    assert.deepEqual(hits.map((h) => h.id), [2, 1]);
    assert.ok(hits[0].score > hits[1].score && hits[1].score > 0);
    const { points: nearest } = await client.query(hybrid, { query: { nearest: { indices: [9], values: [1.0] } }, using: 'text', limit: 10 });
    assert.deepEqual(nearest.map((h) => h.id), [3]);
    return hits.map((h) => ({ id: h.id, score: h.score }));
  });

  await step('hybrid_rrf_query', async () => {
    const { points: fused } = await client.query(hybrid, {
      prefetch: [
        { query: { indices: [1, 3], values: [1.0, 1.0] }, using: 'text', limit: 10 },
        { query: [1.0, 0.0, 0.0, 0.0], using: 'dense', limit: 10 },
      ],
      query: { fusion: 'rrf' },
      limit: 4,
    });
    // Sparse ranks 2, 1; dense ranks 1, 4, 2, 3: RRF (k = 2) puts 1 first, then 2, 4, 3.
    assert.deepEqual(fused.map((h) => h.id), [1, 2, 4, 3]);
    assert.equal(await client.deleteCollection(hybrid), true);
    return fused.map((h) => ({ id: h.id, score: h.score }));
  });

  await step('get_collections', async () => {
    const result = await client.getCollections();
    assert.ok(result.collections.some((c) => c.name === collection));
    return result.collections.map((c) => c.name);
  });

  await step('missing_collection_is_404', () => expectStatus(client.getCollection('js_client_compat_missing'), 404));

  await step('delete_collection', async () => {
    assert.equal(await client.deleteCollection(collection), true);
    assert.deepEqual(await client.collectionExists(collection), { exists: false });
    return true;
  });

  // The constructor's version check ran concurrently with the steps above; it has settled by now.
  console.log(JSON.stringify({ info: 'client_warnings', warnings }));
  console.log(JSON.stringify({ done: true, passed, failed }));
}

main().then(
  () => { console.warn = warn; process.exitCode = failed === 0 ? 0 : 1; },
  (e) => { console.warn = warn; console.error(e); process.exitCode = 3; },
);
