#!/usr/bin/env node
// Reads render-relay's terminal events (render.events) with clients that share no code with
// render-relay: kafkajs for Kafka (plus lz4js for LZ4-compressed batches) and
// @kafkajs/confluent-schema-registry for the Confluent wire format (magic byte 0, 4-byte schema
// id, Avro binary). Prints one JSON line per event:
//   {"type":"RenderCompleted","jobId":"...","schemaId":3,"partition":0,"offset":"5","event":{...}}
// and exits 0 after <count> events, or 1 when <timeoutSeconds> (default 60) pass first.
//
// usage: node consume-events.js <bootstrap> <registryUrl> <count> [timeoutSeconds]
'use strict';

const crypto = require('node:crypto');
const { Kafka, logLevel, CompressionTypes, CompressionCodecs } = require('kafkajs');
const { SchemaRegistry } = require('@kafkajs/confluent-schema-registry');
const lz4 = require('lz4js');

const TOPIC = 'render.events';

// The worker's producers compress batches with LZ4; kafkajs ships only gzip and needs a codec
// (lz4js: pure JavaScript, the LZ4 frame format Kafka uses).
CompressionCodecs[CompressionTypes.LZ4] = () => ({
  compress: async (encoder) => Buffer.from(lz4.compress(encoder.buffer)),
  decompress: async (buffer) => Buffer.from(lz4.decompress(buffer)),
});

function parseArgs(argv) {
  const [bootstrap, registryUrl, countText, timeoutText = '60'] = argv;
  const count = Number.parseInt(countText, 10);
  const timeoutSeconds = Number.parseInt(timeoutText, 10);
  if (!bootstrap || !registryUrl || !(count > 0) || !(timeoutSeconds > 0)) {
    console.error('usage: node consume-events.js <bootstrap> <registryUrl> <count> [timeoutSeconds]');
    process.exit(2);
  }
  return { brokers: bootstrap.split(','), registryUrl, count, timeoutSeconds };
}

// Avro longs and logical types come back as numbers/objects; make the line plain JSON.
function toJson(value) {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const kafka = new Kafka({
    clientId: 'render-relay-node-example',
    brokers: opts.brokers,
    logLevel: logLevel.WARN,
  });
  const registry = new SchemaRegistry({ host: opts.registryUrl });
  // A fresh group, so every run reads the topic from the beginning.
  const consumer = kafka.consumer({
    groupId: `render-relay-node-example-${crypto.randomUUID()}`,
    readUncommitted: false, // read_committed: only events of committed worker transactions
  });

  let seen = 0;
  let finish;
  const done = new Promise((resolve) => {
    finish = resolve;
  });
  const timer = setTimeout(() => finish(1), opts.timeoutSeconds * 1000);

  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      if (seen >= opts.count || message.value === null) {
        return;
      }
      const schemaId = message.value.readInt32BE(1);
      const event = await registry.decode(message.value);
      const schema = await registry.getSchema(schemaId);
      const type = schema.name ? schema.name.split('.').pop() : 'unknown';
      console.log(
        toJson({
          type,
          jobId: event.jobId,
          key: message.key === null ? null : message.key.toString('utf8'),
          schemaId,
          partition,
          offset: message.offset,
          event,
        }),
      );
      seen += 1;
      if (seen >= opts.count) {
        finish(0);
      }
    },
  });

  const code = await done;
  clearTimeout(timer);
  if (code !== 0) {
    console.error(`timed out after ${opts.timeoutSeconds} s with ${seen} of ${opts.count} events`);
  }
  await consumer.disconnect();
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`consume-events failed: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  },
);
