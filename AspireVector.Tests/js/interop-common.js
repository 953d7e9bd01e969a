'use strict';
// Loads interop.proto for the grpc-js client and server scripts.
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

function loadInterop() {
  const definition = protoLoader.loadSync(path.join(__dirname, 'interop.proto'), {
    keepCase: true,
    longs: String,
    defaults: true,
  });
  return grpc.loadPackageDefinition(definition).interop.Interop;
}

// Deterministic payload of the Blob method, identical on both sides of the interop tests.
function blob(size) {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = i % 251;
  return bytes;
}

module.exports = { grpc, loadInterop, blob };
