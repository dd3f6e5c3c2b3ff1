import {
  BACKUP_STREAM_PREFIX,
  SNAPSHOT_STREAM_PREFIX,
  USER_MESSAGE_STREAM_PREFIX,
  VOLUME_STREAM_PREFIX,
  VOLUME_TYPE_STREAM_PREFIX,
} from '@strata/domain';
import type { EventStore } from '@strata/event-store';
import { HISTORY_FORMAT, HISTORY_VERSION, HistoryDigest, historyEventOf, type HistoryHeader, type HistorySelection } from './history-file';

export interface ExportHistoryRequest {
  readonly selection: HistorySelection;
  /** The streams to carry (see `historyStreamsOf`); null: every backup, volume, volume type, snapshot and message stream. */
  readonly streams: ReadonlySet<string> | null;
  readonly exportedAt: string;
}

const STRATA_PREFIXES = [
  BACKUP_STREAM_PREFIX,
  VOLUME_STREAM_PREFIX,
  VOLUME_TYPE_STREAM_PREFIX,
  SNAPSHOT_STREAM_PREFIX,
  USER_MESSAGE_STREAM_PREFIX,
];

/**
 * The catalog file, line by line (each with its newline), as the log is read a page at a time: the
 * caller writes each line before the next is produced, so memory stays one page whatever the history.
 * Events keep their global order across streams, so the import replays them in the order they happened.
 */
export async function* exportHistory(store: EventStore, request: ExportHistoryRequest): AsyncGenerator<string> {
  const digest = new HistoryDigest();
  const headPosition = await store.headPosition();
  const header: HistoryHeader = {
    format: HISTORY_FORMAT,
    version: HISTORY_VERSION,
    exportedAt: request.exportedAt,
    headPosition: Number(headPosition),
    selection: request.selection,
  };
  yield digest.line(JSON.stringify(header));
  if (headPosition > 0n) {
    for await (const event of store.readAll({ fromPosition: 'start' })) {
      if (event.position > headPosition) break;
      const wanted = request.streams
        ? request.streams.has(event.streamId)
        : STRATA_PREFIXES.some((prefix) => event.streamId.startsWith(prefix));
      if (!wanted) continue;
      digest.countEvent();
      yield digest.line(JSON.stringify(historyEventOf(event)));
    }
  }
  yield `${JSON.stringify(digest.trailer())}\n`;
}
