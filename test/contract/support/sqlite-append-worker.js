'use strict';
/**
 * One of the OS processes of the SQLite multi-process contract test. It drives the real adapter (loaded
 * through ts-require-hook.js) and contends with the other process round by round: the parent releases
 * every round to all workers at once with a `go` line, so each round's appends really race (without the
 * barrier one process tends to hold SQLite's write lock for whole runs and the other merely queues).
 * Protocol on stdout: `ready`, then `done <round>` per round, then one JSON line with every append made.
 *
 * Usage: node --require ts-require-hook.js sqlite-append-worker.js DB_PATH NAME ROUNDS
 */
const { randomUUID } = require('node:crypto');
const readline = require('node:readline');
const { openSqliteEventStore } = require('@strata/event-store/sqlite/sqlite-event-store');

const [dbPath, name, rounds] = process.argv.slice(2);
const event = (type) => ({ id: randomUUID(), type, data: { by: name } });

/** Appends one event; a lost race is an expected outcome, anything else is reported as an error. */
const attempt = async (store, stream, expectedRevision, type) => {
  const e = event(type);
  try {
    const result = await store.appendToStream(stream, [e], { expectedRevision });
    return { stream, expected: String(expectedRevision), eventId: e.id, outcome: 'won', position: String(result.position) };
  } catch (error) {
    const outcome = error.name === 'WrongExpectedVersion' ? 'lost' : `error: ${error.name}: ${error.message}`;
    return { stream, expected: String(expectedRevision), eventId: e.id, outcome };
  }
};

const lastRevision = async (store, stream) => {
  try {
    for await (const e of store.readStream(stream, { direction: 'backwards', maxCount: 1 })) return e.revision;
  } catch (error) {
    if (error.name !== 'StreamNotFound') throw error;
  }
  return 'no_stream';
};

/** One round mixes every kind of append, so the processes contend on each kind. */
const round = async (store, r, appends) => {
  appends.push(await attempt(store, `race-${r}`, 'no_stream', 'RaceCreated'));
  appends.push(await attempt(store, `race-${r}`, 0n, 'RaceContinued'));
  // Read, then append at what was read, retrying lost races: the decideAndAppend pattern under contention.
  for (;;) {
    const result = await attempt(store, 'counter', await lastRevision(store, 'counter'), 'CounterIncremented');
    appends.push(result);
    if (result.outcome !== 'lost') break;
  }
  appends.push(await attempt(store, 'shared', 'any', 'SharedAppended'));
};

const main = async () => {
  const store = openSqliteEventStore(dbPath);
  const appends = [];
  const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  process.stdout.write('ready\n');
  for (let r = 0; r < Number(rounds); r++) {
    const { value, done } = await lines.next();
    if (done || value !== 'go') throw new Error(`expected go before round ${r}, got ${done ? 'end of input' : value}`);
    await round(store, r, appends);
    process.stdout.write(`done ${r}\n`);
  }
  await store.close();
  process.stdout.write(`${JSON.stringify({ name, appends })}\n`);
  process.stdin.destroy();
};

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
