import { catalogImportStreamId, decodeImportEvent, IMPORT_ID, type CatalogImportEvent } from '@strata/domain';
import { deterministicEventId, StreamNotFound, type EventData, type EventStore, type StreamAppend } from '@strata/event-store';
import {
  HistoryDigest,
  InvalidHistoryFile,
  ORIGINAL_RECORDED_AT,
  parseBodyLine,
  parseHeader,
  reparseBodyLine,
  type HistoryEvent,
  type HistoryHeader,
} from './history-file';
import { StreamPlans } from './stream-plans';

/** The file's stream already holds other events here: importing it would fork that history. */
export interface StreamConflict {
  readonly streamId: string;
  readonly revision: number;
  readonly eventIdHere: string;
  readonly eventIdInFile: string;
}

export class HistoryConflict extends Error {
  override readonly name = 'HistoryConflict';
  constructor(readonly conflicts: readonly StreamConflict[]) {
    const first = conflicts[0]!;
    super(
      `Cannot import: stream ${first.streamId} already holds other events (revision ${first.revision} is event ` +
        `${first.eventIdHere} here, ${first.eventIdInFile} in the file)` +
        (conflicts.length > 1 ? ` and ${conflicts.length - 1} more stream(s) conflict` : '') +
        '; nothing was imported.',
    );
  }
}

export interface ImportResult {
  readonly header: HistoryHeader;
  readonly events: number;
  readonly streams: number;
  /** Events this store did not have yet. */
  readonly appended: number;
  /** Events already here (an earlier import of the same file, or the store the file came from). */
  readonly alreadyPresent: number;
  /** The position of the last appended event (0 when nothing was new): wait for the catalog to reach it. */
  readonly position: bigint;
  /** The import's id (the file's SHA-256): its stream records when it started and completed. */
  readonly importId: string;
}

export interface ImportOptions {
  /** The time the import records for its start and completion. */
  readonly now?: () => Date;
  /**
   * Runs the appends, once the whole file was checked and `events` of it are known to be new: where the
   * caller has them projected (`Catalog.projectingOnThread` for a large file). Resolves with their result.
   */
  readonly appending?: <T>(events: number, append: () => Promise<T>) => Promise<T>;
}

/**
 * Opens the file's lines from the start (without newlines); the import reads it twice, and the second
 * read must give the lines the first one checked (the api spools the upload to a file of its own), since
 * it does not check them again.
 */
export type OpenLines = () => AsyncIterable<string>;

/**
 * Events per append transaction at most. A batch is held while it fills, and what lives across two young
 * collections is promoted and then waits for a full one: with 2,000 the import's peak RSS was 328–330 MiB
 * at 10k backups and 414 at 100k, with 500 277–280 and 388–397, in the same time (2026-12-05 16:32–16:40).
 */
const APPEND_BATCH = 500;

/**
 * `strata catalog import`: checks the whole file first (header, every line, the checksum, and each
 * stream against what this store already holds), then appends only what is new, each stream from the
 * revision it reached, with event ids, data and metadata as they were (the first recording time and the
 * import's id go into the metadata). A file that is damaged or conflicts with a stream writes nothing.
 * Importing the same file again appends nothing.
 *
 * The appends are bracketed by `CatalogImportStarted` and `CatalogImportCompleted` on the import's own
 * stream, whose id is the file's SHA-256: a worker leaves every stream whose newest event came with an
 * import that has not completed alone, so nothing acts on half-imported history. An import that stops
 * part-way (the process dies, the store fails) is resumed by importing the same file again: the events
 * already appended count as present, the rest is appended, and the completion is recorded. Until then
 * the streams it reached stay untouched by every worker.
 * Memory: one entry per stream, never the events.
 */
export const importHistory = async (store: EventStore, openLines: OpenLines, options: ImportOptions = {}): Promise<ImportResult> => {
  const now = options.now ?? (() => new Date());
  const { header, plans, events, importId } = await checkHistory(store, openLines);
  const toAppend = plans.newEvents();
  const marks = await importMarks(store, importId);
  // Nothing new and never started here: the history is already in this store, there is nothing to record.
  if (toAppend === 0 && !marks.started)
    return { header, events, streams: plans.size, appended: 0, alreadyPresent: events, position: 0n, importId };
  const append = async () => {
    if (!marks.started)
      await appendMark(store, importId, 0, { type: 'CatalogImportStarted', data: { importId, events, startedAt: now().toISOString() } });
    const applied = await applyHistory(store, openLines, plans, importId);
    let position = applied.position;
    if (!marks.completed)
      position = await appendMark(store, importId, 1, {
        type: 'CatalogImportCompleted',
        data: { importId, appended: applied.appended, completedAt: now().toISOString() },
      });
    return { ...applied, position };
  };
  const applied = await (options.appending ? options.appending(toAppend, append) : append());
  return { header, events, streams: plans.size, ...applied, importId };
};

/** What the import's stream holds already: a retried import records neither mark twice. */
const importMarks = async (store: EventStore, importId: string) => {
  const marks = { started: false, completed: false };
  try {
    for await (const event of store.readStream(catalogImportStreamId(importId))) {
      const decoded = decodeImportEvent(event)?.event;
      if (decoded?.type === 'CatalogImportStarted') marks.started = true;
      if (decoded?.type === 'CatalogImportCompleted') marks.completed = true;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
  }
  return marks;
};

/** A mark with an id derived from the import: two racing retries of one file append it once. */
const appendMark = async (store: EventStore, importId: string, index: number, event: CatalogImportEvent): Promise<bigint> => {
  const id = deterministicEventId(`catalog-import:${importId}`, index);
  return (await store.appendToStream(catalogImportStreamId(importId), [{ id, ...event }])).position;
};

const checkHistory = async (store: EventStore, openLines: OpenLines) => {
  const digest = new HistoryDigest();
  const plans = new StreamPlans();
  const conflicts: StreamConflict[] = [];
  let header: HistoryHeader | undefined;
  let trailer: { sha256: string; events: number } | undefined;
  let lineNo = 0;
  for await (const text of openLines()) {
    lineNo += 1;
    if (trailer) {
      if (text.trim() === '') continue;
      throw new InvalidHistoryFile('nothing may follow the checksum line', lineNo);
    }
    if (lineNo === 1) {
      header = parseHeader(text);
      digest.line(text);
      continue;
    }
    const parsed = parseBodyLine(text, lineNo);
    if (parsed.kind === 'trailer') {
      trailer = parsed.trailer;
      continue;
    }
    digest.line(text);
    digest.countEvent();
    const conflict = await checkEvent(store, plans, parsed.event, lineNo);
    if (conflict) conflicts.push(conflict);
  }
  if (!header) throw new InvalidHistoryFile('the file is empty');
  if (!trailer) throw new InvalidHistoryFile('the checksum line is missing: the file is truncated');
  const computed = digest.trailer();
  if (computed.sha256 !== trailer.sha256 || computed.events !== trailer.events)
    throw new InvalidHistoryFile(
      `checksum mismatch (${computed.events} events, sha256 ${computed.sha256}): the file was changed or damaged`,
    );
  if (conflicts.length > 0) throw new HistoryConflict(conflicts);
  return { header, plans, events: computed.events, importId: computed.sha256 };
};

/** Revisions must run 0, 1, 2… per stream; where this store has the revision, it must be the same event. */
const checkEvent = async (store: EventStore, plans: StreamPlans, event: HistoryEvent, lineNo: number) => {
  const { streamId, revision } = event;
  if (!plans.has(streamId)) plans.add(streamId, await store.lastRevision(streamId));
  const due = plans.nextRevisionInFile(streamId);
  if (revision !== due) throw new InvalidHistoryFile(`stream ${streamId} has revision ${revision} where ${due} was due`, lineNo);
  plans.advance(streamId);
  if (plans.isConflicting(streamId) || !plans.isPresentHere(streamId, revision)) return null;
  const here = await eventIdAt(store, streamId, BigInt(revision));
  if (here === event.id) return null;
  plans.markConflicting(streamId);
  return { streamId: event.streamId, revision: event.revision, eventIdHere: here ?? '(none)', eventIdInFile: event.id };
};

/**
 * Appends what is new in runs of one stream's consecutive events; a store that can append several
 * streams in one transaction (`appendToStreams`) takes up to APPEND_BATCH events of many runs at a time,
 * which is what makes an import of interleaved history fast (one transaction per run costs a sync each).
 *
 * Every batch but the last is appended without waiting for the disk (`durable: false`), and the last one
 * is durable, which carries all of them to the disk (the log is written in order): a crash of the machine
 * mid-import loses at most the batches since the last durable commit, and importing the file again
 * appends them. A full batch is sent when the next event comes, so the last one is never empty. The syncs
 * took 2.5 s of the 238,339-event import's 19 s on its event loop, one per batch (2026-12-06).
 */
const applyHistory = async (store: EventStore, openLines: OpenLines, plans: StreamPlans, importId: string) => {
  let appended = 0;
  let alreadyPresent = 0;
  let position = 0n;
  let runs: StreamAppend[] = [];
  let pending = 0;
  const note = (results: readonly { position: bigint }[]) => {
    for (const result of results) if (result.position > position) position = result.position;
  };
  const flush = async (durable: boolean) => {
    if (runs.length === 0) return;
    const batch = runs;
    runs = [];
    pending = 0;
    if (store.appendToStreams) note(await store.appendToStreams(batch, { durable }));
    else for (const run of batch) note([await store.appendToStream(run.streamId, run.events, { expectedRevision: run.expectedRevision })]);
    appended += batch.reduce((n, run) => n + run.events.length, 0);
  };
  let lineNo = 0;
  for await (const text of openLines()) {
    lineNo += 1;
    if (lineNo === 1 || text.trim() === '') continue;
    const parsed = reparseBodyLine(text);
    if (parsed.kind === 'trailer') break;
    const event = parsed.event;
    if (plans.isPresentHere(event.streamId, event.revision)) {
      alreadyPresent += 1;
      continue;
    }
    const data: EventData = {
      id: event.id,
      type: event.type,
      data: event.data,
      metadata: { ...event.metadata, [ORIGINAL_RECORDED_AT]: event.recordedAt, [IMPORT_ID]: importId },
    };
    // Without multi-stream appends, each run is its own append.
    if (pending >= APPEND_BATCH || (!store.appendToStreams && runs.length > 0 && runs[runs.length - 1]!.streamId !== event.streamId))
      await flush(false);
    const last = runs[runs.length - 1];
    if (last && last.streamId === event.streamId) (last.events as EventData[]).push(data);
    else
      runs.push({
        streamId: event.streamId,
        events: [data],
        expectedRevision: event.revision === 0 ? 'no_stream' : BigInt(event.revision - 1),
      });
    pending += 1;
  }
  await flush(true);
  return { appended, alreadyPresent, position };
};

const eventIdAt = async (store: EventStore, streamId: string, revision: bigint): Promise<string | null> => {
  for await (const event of store.readStream(streamId, { fromRevision: revision, maxCount: 1 }))
    return event.revision === revision ? event.id : null;
  return null;
};
