#!/usr/bin/env node
// Publishes one restyle command to render-relay from Node.js, with clients that share no code with
// render-relay: kafkajs and @kafkajs/confluent-schema-registry. The schema is the self-contained
// file the schemas build writes (schemas/target/schemas/RestyleCommand.avsc: every referenced type
// inline; the files under schemas/src/main/avro refer to each other and do not parse alone). It is
// registered under the command topic's subject (<topic>-value); the worker registers the same
// schema at start, so this finds the same id. Prints "submitted jobId=<id> schemaId=<n>".
//
// usage: node produce-restyle.js <bootstrap> <registryUrl> <schemaFile> <jobId> [sourceVideoUrl]
'use strict';

const fs = require('node:fs');
const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const TOPIC = 'render.commands.restyle';

async function main() {
  const [bootstrap, registryUrl, schemaFile, jobId, source] = process.argv.slice(2);
  if (!bootstrap || !registryUrl || !schemaFile || !jobId) {
    console.error(
      'usage: node produce-restyle.js <bootstrap> <registryUrl> <schemaFile> <jobId> [sourceVideoUrl]');
    process.exit(2);
  }
  const registry = new SchemaRegistry({ host: registryUrl });
  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: fs.readFileSync(schemaFile, 'utf8') },
    { subject: `${TOPIC}-value` });
  const command = {
    jobId,
    sourceVideoUrl: source || `https://media.example.com/in/${jobId}.mp4`,
    prompt: 'pixelated style',
    model: 'gen4',
    options: { structureTransformation: 0.5, flip: false },
    outputPrefix: null,
    metadata: { origin: 'node-example' },
    requestedAt: Date.now(), // timestamp-millis
    deadline: null,
  };
  const kafka = new Kafka({
    clientId: 'render-relay-node-producer',
    brokers: bootstrap.split(','),
    logLevel: logLevel.WARN,
  });
  // idempotent, acks=all: a retried send writes the command once
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({
      topic: TOPIC,
      acks: -1,
      messages: [{ key: jobId, value: await registry.encode(id, command) }],
    });
  } finally {
    await producer.disconnect();
  }
  console.log(`submitted jobId=${jobId} schemaId=${id}`);
}

main().catch((e) => {
  console.error(`produce-restyle: ${e.message}`);
  process.exit(1);
});
