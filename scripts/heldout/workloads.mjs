// Held-out workloads: kinds of service code that the corpus (test/corpus)
// does not hold, each built on a package from the registry used the way
// services use it. Each is labelled by how it is built; `bound` is the
// growth after full collections (MiB) a stable one may show (its working
// set filling), `leaks` says which heap a leaking one grows.
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (bytes) => 'x'.repeat(bytes);
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const get = (port) =>
  new Promise((resolve) => {
    http.get({ port, agent }, (res) => res.resume().on('end', resolve)).on('error', resolve);
  });

export const workloads = {
  // SQLite keeps every row in its own malloc'd pages: native memory JS never sees (v8.external stays flat).
  'sqlite-rows-kept': {
    label: 'native-leak',
    leaks: 'inUse',
    setup() {
      const db = new (require('better-sqlite3'))(':memory:');
      db.exec('create table t (id integer primary key, body text)');
      return { insert: db.prepare('insert into t (body) values (?)') };
    },
    async step(s) {
      for (let i = 0; i < 30; i++) s.insert.run(text(1000)); // ~300 KB/s
      await sleep(100);
    },
  },
  // The same table kept at 3,000 rows: each insert deletes the oldest.
  'sqlite-rows-bounded': {
    label: 'stable',
    bound: { inUse: 6, v8: 2 },
    setup() {
      const db = new (require('better-sqlite3'))(':memory:');
      db.exec('create table t (id integer primary key, body text)');
      return { insert: db.prepare('insert into t (body) values (?)'), trim: db.prepare('delete from t where id <= ?'), count: db.prepare('select count(*) n from t') };
    },
    async step(s, n) {
      for (let i = 0; i < 30; i++) s.insert.run(text(1000));
      s.trim.run((n + 1) * 30 - 3000);
      s.count.get();
      await sleep(100);
    },
  },
  // Ajv caches each compiled validator under its schema object: a schema built per request is compiled and kept every time.
  'ajv-schema-per-request': {
    label: 'v8-leak',
    leaks: 'v8',
    setup: () => ({ ajv: new (require('ajv'))() }),
    async step(s, n) {
      for (let i = 0; i < 5; i++) {
        const schema = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string', maxLength: 100 + ((n * 5 + i) % 50) } }, required: ['id'] };
        s.ajv.compile(schema)({ id: 1, name: 'a' });
      }
      await sleep(100);
    },
  },
  // A template compiled once, rendered 2,500 times a second: garbage only.
  'handlebars-render': {
    label: 'stable',
    bound: { inUse: 2, v8: 2 },
    setup: () => ({ page: require('handlebars').compile('<ul>{{#each items}}<li>{{name}}: {{price}}</li>{{/each}}</ul>') }),
    async step(s) {
      for (let i = 0; i < 50; i++) s.page({ items: Array.from({ length: 50 }, (_, k) => ({ name: `item ${k}`, price: k * 1.5 })) });
      await sleep(20);
    },
  },
  // A koa service answering 4 keep-alive clients as fast as they ask.
  'koa-service': {
    label: 'stable',
    bound: { inUse: 2, v8: 6 },
    async setup() {
      const app = new (require('koa'))();
      app.use((ctx) => {
        ctx.body = { ok: true, data: text(4000), at: Date.now() };
      });
      const server = app.listen(0);
      await new Promise((resolve) => server.once('listening', resolve));
      return { server, port: server.address().port };
    },
    step: (s) => Promise.all([1, 2, 3, 4].map(() => get(s.port))),
    teardown(s) {
      s.server.close();
      agent.destroy();
    },
  },
  // node-cache entries of 1 KB Buffers with a 2 s time to live: ~2 MB/s in, as much expiring.
  'node-cache-ttl': {
    label: 'stable',
    bound: { inUse: 10, v8: 4 },
    setup: () => ({ cache: new (require('node-cache'))({ stdTTL: 2, checkperiod: 1, useClones: false }) }),
    async step(s, n) {
      for (let i = 0; i < 100; i++) s.cache.set(`k${n}-${i}`, Buffer.alloc(1024, 1));
      await sleep(50);
    },
  },
  // MessagePack encoding and decoding of small records: Buffers and objects, all garbage.
  'msgpackr-churn': {
    label: 'stable',
    bound: { inUse: 2, v8: 2 },
    setup: () => require('msgpackr'),
    async step(s, n) {
      for (let i = 0; i < 200; i++) s.unpack(s.pack({ n, i, tags: ['a', 'b'], body: text(500) }));
      await sleep(10);
    },
  },
  // A GraphQL schema built per request and kept in an array (a registry that only grows).
  'graphql-schemas-kept': {
    label: 'v8-leak',
    leaks: 'v8',
    setup: () => ({ graphql: require('graphql'), kept: [] }),
    async step(s, n) {
      const schema = s.graphql.buildSchema(`type Query { hello${n}: String, n: Int }`);
      s.kept.push(schema);
      await s.graphql.graphql({ schema, source: '{ n }', rootValue: { n: () => n } });
      await sleep(50);
    },
  },
};
