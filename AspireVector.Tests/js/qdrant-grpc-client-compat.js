'use strict';
// The official Qdrant gRPC client (@qdrant/js-client-grpc, connect-es over HTTP/2) against an AspireVector node:
//   node qdrant-grpc-client-compat.js http://127.0.0.1:GRPC_PORT
// Prints one JSON line per step ({"step":..,"ok":true|false,..}) then {"done":true,"passed":N,"failed":M}.
const assert = require('assert/strict');
const { QdrantClient } = require('@qdrant/js-client-grpc');

const url = process.argv[2];
if (!url) {
  console.error('usage: node qdrant-grpc-client-compat.js http://host:port');
  process.exit(2);
}

const warnings = [];
const warn = console.warn;
console.warn = (...args) => { warnings.push(args.join(' ')); };

const client = new QdrantClient({ url, timeout: 30_000 });
const collections = client.api('collections');
const points = client.api('points');
const collection = 'js_grpc_compat';
const uuid = '6a1b5d2e-8c3f-4e7a-9b0d-2f4c6e8a0b1c';

const id = (n) => ({ pointIdOptions: { case: 'num', value: BigInt(n) } });
const uuidId = (u) => ({ pointIdOptions: { case: 'uuid', value: u } });
const str = (s) => ({ kind: { case: 'stringValue', value: s } });
const int = (n) => ({ kind: { case: 'integerValue', value: BigInt(n) } });
const dense = (data) => ({ vectorsOptions: { case: 'vector', value: { vector: { case: 'dense', value: { data } } } } });
const keyword = (key, value) => ({ conditionOneOf: { case: 'field', value: { key, match: { matchValue: { case: 'keyword', value } } } } });
const idText = (pid) => (pid.pointIdOptions.case === 'num' ? String(pid.pointIdOptions.value) : pid.pointIdOptions.value);

const data = [
  { id: id(1), vectors: dense([0.05, 0.61, 0.76, 0.74]), payload: { city: str('Berlin'), rank: int(1) } },
  { id: id(2), vectors: dense([0.19, 0.81, 0.75, 0.11]), payload: { city: str('London'), rank: int(2) } },
  { id: id(3), vectors: dense([0.36, 0.55, 0.47, 0.94]), payload: { city: str('Berlin'), rank: int(3) } },
  { id: id(4), vectors: dense([0.18, 0.01, 0.85, 0.80]), payload: { city: str('Moscow'), rank: int(4) } },
  { id: uuidId(uuid), vectors: dense([0.24, 0.18, 0.22, 0.44]), payload: { city: str('Berlin'), rank: int(5) } },
];
const query = [0.2, 0.1, 0.9, 0.7];

let passed = 0, failed = 0;

async function step(name, body) {
  try {
    const detail = await body();
    passed++;
    console.log(JSON.stringify({ step: name, ok: true, detail: detail ?? null }));
  } catch (e) {
    failed++;
    console.log(JSON.stringify({ step: name, ok: false, error: e && e.message ? e.message : String(e), code: e && e.code }));
  }
}

async function expectCode(promise, code) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.code, code, `expected gRPC code ${code}, got ${e.code}: ${e.message}`);
    return e.rawMessage;
  }
  throw new Error(`expected gRPC code ${code}, the call succeeded`);
}

async function main() {
  await step('health_check', async () => {
    const health = await client.api('service').healthCheck({});
    assert.ok(health.version.length > 0);
    return { title: health.title, version: health.version };
  });
  await step('create_collection', async () => {
    const r = await collections.create({
      collectionName: collection,
      vectorsConfig: { config: { case: 'params', value: { size: 4n, distance: 1 /* Cosine */ } } },
      hnswConfig: { m: 8n },
    });
    assert.equal(r.result, true);
  });
  await step('collection_exists', async () => {
    assert.equal((await collections.collectionExists({ collectionName: collection })).result.exists, true);
    assert.ok((await collections.list({})).collections.some((c) => c.name === collection));
  });
  await step('upsert_points', async () => {
    const r = await points.upsert({ collectionName: collection, wait: true, points: data });
    assert.equal(r.result.status, 2 /* Completed */);
  });
  await step('query_nearest_with_filter', async () => {
    const r = await points.query({
      collectionName: collection,
      query: { variant: { case: 'nearest', value: { variant: { case: 'dense', value: { data: query } } } } },
      filter: { must: [keyword('city', 'Berlin')] },
      limit: 3n,
      withPayload: { selectorOptions: { case: 'enable', value: true } },
    });
    const ids = r.result.map((p) => idText(p.id));
    assert.deepEqual([...ids].sort(), ['1', '3', uuid].sort());
    assert.ok(r.result.every((p) => p.payload.city.kind.value === 'Berlin'));
    return ids;
  });
  await step('search', async () => {
    const r = await points.search({ collectionName: collection, vector: query, limit: 2n });
    assert.equal(r.result.length, 2);
    assert.ok(r.result[0].score >= r.result[1].score);
  });
  await step('scroll_pages', async () => {
    const first = await points.scroll({ collectionName: collection, limit: 3 });
    assert.equal(first.result.length, 3);
    const second = await points.scroll({ collectionName: collection, limit: 3, offset: first.nextPageOffset });
    assert.equal(second.result.length, 2);
    assert.equal(second.nextPageOffset, undefined);
  });
  await step('count', async () => {
    const r = await points.count({ collectionName: collection, exact: true, filter: { must: [keyword('city', 'Berlin')] } });
    assert.equal(r.result.count, 3n);
  });
  await step('get_points', async () => {
    const r = await points.get({
      collectionName: collection,
      ids: [id(2), uuidId(uuid)],
      withPayload: { selectorOptions: { case: 'enable', value: true } },
      withVectors: { selectorOptions: { case: 'enable', value: true } },
    });
    assert.equal(r.result.length, 2);
    const london = r.result.find((p) => idText(p.id) === '2');
    assert.equal(london.payload.rank.kind.value, 2n);
    assert.equal(london.vectors.vectorsOptions.value.vector.value.data.length, 4);
  });
  await step('set_payload', async () => {
    await points.setPayload({
      collectionName: collection, wait: true, payload: { color: str('red') },
      pointsSelector: { pointsSelectorOneOf: { case: 'points', value: { ids: [id(1)] } } },
    });
    const r = await points.get({ collectionName: collection, ids: [id(1)], withPayload: { selectorOptions: { case: 'enable', value: true } } });
    assert.equal(r.result[0].payload.color.kind.value, 'red');
    assert.equal(r.result[0].payload.city.kind.value, 'Berlin');
  });
  await step('create_field_index', async () => {
    await points.createFieldIndex({ collectionName: collection, wait: true, fieldName: 'city', fieldType: 0 /* Keyword */ });
    const info = await collections.get({ collectionName: collection });
    assert.equal(info.result.payloadSchema.city.dataType, 1 /* Keyword */);
    assert.equal(info.result.pointsCount, 5n);
  });
  await step('wrong_dimension_is_invalid_argument', async () => {
    // connect-es codes: 3 = invalid_argument.
    return expectCode(points.upsert({ collectionName: collection, points: [{ id: id(9), vectors: dense([1, 2]) }] }), 3);
  });
  await step('delete_points', async () => {
    await points.delete({ collectionName: collection, wait: true, points: { pointsSelectorOneOf: { case: 'filter', value: { must: [keyword('city', 'Moscow')] } } } });
    assert.equal((await points.count({ collectionName: collection, exact: true })).result.count, 4n);
  });
  await step('missing_collection_is_not_found', async () => {
    return expectCode(collections.get({ collectionName: 'js_grpc_missing' }), 5);
  });
  await step('delete_collection', async () => {
    assert.equal((await collections.delete({ collectionName: collection })).result, true);
    assert.equal((await collections.collectionExists({ collectionName: collection })).result.exists, false);
  });

  console.log(JSON.stringify({ info: 'client_warnings', warnings }));
  console.log(JSON.stringify({ done: true, passed, failed }));
}

main().then(
  () => { console.warn = warn; process.exitCode = failed === 0 ? 0 : 1; },
  (e) => { console.warn = warn; console.error(e); process.exitCode = 3; },
);
