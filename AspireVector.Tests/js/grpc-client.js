'use strict';
// A standard gRPC client (grpc-js) calling an AspireVector P2P server: node grpc-client.js 127.0.0.1:PORT
// Prints one JSON object with the outcome of each scenario; the C# test asserts on it.
const crypto = require('crypto');
const { grpc, loadInterop } = require('./interop-common');

const Interop = loadInterop();
const client = new Interop(process.argv[2], grpc.credentials.createInsecure(), {
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
});

function unary(method, request, options = {}, metadata = new grpc.Metadata()) {
  return new Promise((resolve) => {
    client[method](request, metadata, options, (error, reply) => {
      resolve(error ? { code: error.code, details: error.details } : { code: 0, reply });
    });
  });
}

function collect(stream) {
  return new Promise((resolve) => {
    const values = [];
    stream.on('data', (m) => values.push(m.value));
    stream.on('error', (e) => resolve({ code: e.code, details: e.details, values }));
    stream.on('status', (s) => { if (s.code === 0) resolve({ code: 0, values }); });
  });
}

function cancelAfterFirst(stream) {
  return new Promise((resolve) => {
    stream.on('data', (m) => { stream.cancel(); resolve({ first: m.value }); });
    stream.on('error', () => {});
  });
}

async function main() {
  const results = {};
  const metadata = new grpc.Metadata();
  metadata.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  const echo = await unary('Echo', { value: 'héllo from grpc-js' }, {}, metadata);
  results.echo = { code: echo.code, value: echo.reply && echo.reply.value };

  results.count = await collect(client.Count({ value: 100 }));
  results.emptyStream = await collect(client.Count({ value: 0 }));
  results.fail = await unary('Fail', { value: 'x' });
  results.deadline = await unary('Hang', { value: 1 }, { deadline: Date.now() + 300 });
  results.cancel = await cancelAfterFirst(client.HangStream({ value: 5 }));

  const blob = await unary('Blob', { value: 5 * 1024 * 1024 });
  results.blob = blob.code === 0
    ? { code: 0, length: blob.reply.value.length, sha256: crypto.createHash('sha256').update(blob.reply.value).digest('hex') }
    : blob;

  const missing = new grpc.Client(process.argv[2], grpc.credentials.createInsecure());
  results.unimplemented = await new Promise((resolve) => {
    missing.makeUnaryRequest('/interop.Interop/Nope', (x) => x, (x) => x, Buffer.alloc(0), (error) => {
      resolve({ code: error ? error.code : 0 });
    });
  });

  process.stdout.write(JSON.stringify(results) + '\n');
  client.close();
  missing.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
