// A Node worker thread of a parallel sweep (pool-node.mjs): one wasm instance (sweep-worker-core.mjs).
import { parentPort } from 'node:worker_threads';
import wasm from '../pkg/node/tidemark.js';
import { sweepWorker } from './sweep-worker-core.mjs';

const handle = sweepWorker(wasm, (m) => parentPort.postMessage(m));
parentPort.on('message', handle);
