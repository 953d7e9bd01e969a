'use strict';
// A standard gRPC server (grpc-js) for our client to call: node grpc-server.js
// Prints "PORT <n>" once listening, then one line per observed event ("CANCELLED <method>", "HEADER <name> <value>").
// Exits when stdin closes, so the test owning the process controls its lifetime.
const { grpc, loadInterop, blob } = require('./interop-common');

const Interop = loadInterop();
const server = new grpc.Server();

function waitForCancel(call, method, onCancelled) {
  call.on('cancelled', () => {
    process.stdout.write(`CANCELLED ${method}\n`);
    onCancelled();
  });
}

server.addService(Interop.service, {
  Echo: (call, callback) => {
    const traceparent = call.metadata.get('traceparent');
    if (traceparent.length > 0) process.stdout.write(`HEADER traceparent ${traceparent[0]}\n`);
    callback(null, { value: call.request.value });
  },
  Count: (call) => {
    for (let i = 1; i <= call.request.value; i++) call.write({ value: i });
    call.end();
  },
  Fail: (call, callback) => {
    callback({ code: grpc.status.NOT_FOUND, details: 'no such thing: ünïcode 100% \u2603' });
  },
  Hang: (call, callback) => {
    waitForCancel(call, 'Hang', () => callback({ code: grpc.status.CANCELLED, details: 'cancelled' }));
  },
  HangStream: (call) => {
    call.write({ value: call.request.value });
    waitForCancel(call, 'HangStream', () => {});
  },
  Blob: (call, callback) => callback(null, { value: blob(call.request.value) }),
});

server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) {
    console.error(error);
    process.exit(1);
  }
  process.stdout.write(`PORT ${port}\n`);
});

process.stdin.resume();
process.stdin.on('end', () => server.tryShutdown(() => process.exit(0)));
