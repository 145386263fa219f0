// Held-out workloads: kinds of service code that the corpus (test/corpus)
// does not hold, each built on a package from the registry used the way
// services use it. Each is labelled by how it is built; `bound` is the
// growth after full collections (MiB) a stable one may show (its working
// set filling), `leaks` says which measure a leaking one grows: malloc's
// in-use, V8's heap, V8's external memory (Buffers whose memory an
// allocator other than malloc holds), or anonymous RSS (WebAssembly
// memories, which Node 26's V8 no longer counts as external).
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  // LevelDB (classic-level, a prebuilt addon): 2,000 random keys of 5,000 overwritten a second. Its memtable fills
  // to 4 MB and is written out, its block cache holds 8 MB at most: native memory that swings and stays bounded.
  'leveldb-overwrites': {
    label: 'stable',
    bound: { inUse: 16, v8: 4 },
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'heldout-leveldb-'));
      const db = new (require('classic-level').ClassicLevel)(dir, { valueEncoding: 'buffer' });
      await db.open();
      return { db, dir };
    },
    async step(s, n) {
      await s.db.batch(Array.from({ length: 100 }, (_, i) => ({ type: 'put', key: `k${(n * 7919 + i * 104729) % 5000}`, value: Buffer.alloc(1024, i) })));
      await s.db.get(`k${(n * 31) % 5000}`);
      await sleep(50);
    },
    async teardown(s) {
      await s.db.close();
      rmSync(s.dir, { recursive: true, force: true });
    },
  },
  // YAML configuration documents written and parsed back, 500 a second: garbage only.
  'yaml-roundtrip': {
    label: 'stable',
    bound: { inUse: 2, v8: 2 },
    setup: () => require('yaml'),
    async step(yaml, n) {
      for (let i = 0; i < 10; i++) {
        const env = Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`VAR_${k}`, `value ${k} of ${n}`]));
        yaml.parse(yaml.stringify({ service: `svc-${n}`, replicas: i, env }));
      }
      await sleep(20);
    },
  },
  // protobufjs: events decoded from the wire and kept in an array (an audit log that only grows): JS strings and objects.
  'protobuf-events-kept': {
    label: 'v8-leak',
    leaks: 'v8',
    setup() {
      const root = require('protobufjs').parse('syntax = "proto3"; message Event { string id = 1; string user = 2; repeated string tags = 3; int64 at = 4; }').root;
      return { Event: root.lookupType('Event'), kept: [] };
    },
    async step(s, n) {
      for (let i = 0; i < 50; i++) {
        const wire = s.Event.encode(s.Event.create({ id: `event-${n}-${i}`, user: `user-${i % 97}`, tags: ['audit', `t${n % 13}`, 'x'.repeat(40 + (i % 7))], at: Date.now() })).finish();
        s.kept.push(s.Event.decode(wire));
      }
      await sleep(50);
    },
  },
  // snappy (a napi-rs prebuilt addon): JSON responses compressed and kept (a response cache that never evicts): Buffers
  // whose memory Rust's allocator (mimalloc) holds, not malloc: V8's external memory and RSS grow, in-use does not.
  'snappy-responses-kept': {
    label: 'native-leak',
    leaks: 'external',
    setup: () => ({ snappy: require('snappy'), kept: [] }),
    async step(s, n) {
      for (let i = 0; i < 4; i++) {
        const body = Buffer.from(JSON.stringify({ n, i, rows: Array.from({ length: 200 }, (_, k) => ({ k, name: `row ${k} of ${n}`, score: Math.random() })) }));
        s.kept.push(s.snappy.compressSync(body));
      }
      await sleep(50);
    },
  },
  // fast-xml-parser: feeds parsed into a bounded LRU (quick-lru, 500 entries, 2,000 feeds in turn): full within seconds, stable.
  'xml-feeds-lru': {
    label: 'stable',
    bound: { inUse: 2, v8: 16 },
    async setup() {
      const { default: QuickLRU } = await import('quick-lru');
      return { parser: new (require('fast-xml-parser').XMLParser)(), cache: new QuickLRU({ maxSize: 500 }) };
    },
    async step(s, n) {
      for (let i = 0; i < 10; i++) {
        const id = (n * 10 + i) % 2000;
        const items = Array.from({ length: 20 }, (_, k) => `<item><title>Item ${k} of ${id}</title><link>https://example.com/${id}/${k}</link></item>`);
        s.cache.set(id, s.parser.parse(`<feed><id>${id}</id>${items.join('')}</feed>`));
      }
      await sleep(20);
    },
  },
  // lz4 (a napi-rs prebuilt addon): 32 KB request bodies compressed and decompressed, 1,000 a second: native Buffers, all garbage.
  'lz4-churn': {
    label: 'stable',
    bound: { inUse: 4, v8: 2 },
    setup: () => require('lz4-napi'),
    async step(lz4, n) {
      for (let i = 0; i < 20; i++) lz4.uncompressSync(lz4.compressSync(Buffer.alloc(32 * 1024, (n + i) % 251)));
      await sleep(20);
    },
  },
  // tiktoken (Rust compiled to WebAssembly): an encoder made per job and never freed (enc.free()), the pitfall its README
  // warns of. Each holds its ranks in the module's WebAssembly memory, which only grows: RSS grows, malloc's in-use does not.
  'tiktoken-encoders-unfreed': {
    label: 'native-leak',
    leaks: 'anonymous',
    setup: () => ({ getEncoding: require('tiktoken').get_encoding, kept: [] }),
    async step(s, n) {
      if (n % 30 === 0) s.kept.push(s.getEncoding('gpt2'));
      s.kept.at(-1).encode(`job ${n}: ${text(400)}`);
      await sleep(100);
    },
  },
  // The same jobs, each encoder freed when done: the WebAssembly memory reuses what was freed.
  'tiktoken-encoders-freed': {
    label: 'stable',
    bound: { inUse: 2, v8: 2 },
    setup: () => ({ getEncoding: require('tiktoken').get_encoding }),
    async step(s, n) {
      if (n % 30 === 0) {
        s.encoder?.free();
        s.encoder = s.getEncoding('gpt2');
      }
      s.encoder.encode(`job ${n}: ${text(400)}`);
      await sleep(100);
    },
  },
  // sql.js (SQLite compiled to WebAssembly) with an in-memory table that only grows: the rows live in its
  // WebAssembly memory, not in malloc's heap (the native twin is sqlite-rows-kept).
  'sqljs-rows-kept': {
    label: 'native-leak',
    leaks: 'anonymous',
    async setup() {
      const SQL = await require('sql.js')();
      const db = new SQL.Database();
      db.run('create table t (id integer primary key, body text)');
      return { insert: db.prepare('insert into t (body) values (?)') };
    },
    async step(s) {
      for (let i = 0; i < 30; i++) s.insert.run([text(1000)]); // ~300 KB/s
      await sleep(100);
    },
  },
};
