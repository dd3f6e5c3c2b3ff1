import * as grpc from '@grpc/grpc-js';
import * as shared from '@eventstore/db-client/generated/shared_pb';
import * as streams from '@eventstore/db-client/generated/streams_pb';
import type { ExpectedRevision } from '../../event-store.port';
import type { DoubleRecord } from './double-log';

/** Translations between the protobuf messages the client sends and the double's own records. */

export const streamNameOf = (identifier: shared.StreamIdentifier | undefined): string =>
  Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');

export const streamIdentifier = (name: string): shared.StreamIdentifier =>
  new shared.StreamIdentifier().setStreamName(Buffer.from(name, 'utf8').toString('base64'));

/** The client asks for string UUIDs (`uuid_option: string`); a structured one is turned back into text. */
export const uuidText = (uuid: shared.UUID | undefined): string => {
  if (!uuid) return '';
  if (uuid.hasString()) return uuid.getString();
  const structured = uuid.getStructured()!;
  const hex = (value: string) => BigInt.asUintN(64, BigInt(value)).toString(16).padStart(16, '0');
  const all = hex(structured.getMostSignificantBits()) + hex(structured.getLeastSignificantBits());
  return `${all.slice(0, 8)}-${all.slice(8, 12)}-${all.slice(12, 16)}-${all.slice(16, 20)}-${all.slice(20)}`;
};

type RecordedEventMessage = streams.ReadResp.ReadEvent.RecordedEvent;

/** Fills either service's RecordedEvent: `type`, `content-type` and `created` (ticks) travel in the metadata map. */
export const fillRecordedEvent = <M extends RecordedEventMessage>(message: M, record: DoubleRecord): M => {
  message.setId(new shared.UUID().setString(record.id));
  message.setStreamIdentifier(streamIdentifier(record.streamName));
  message.setStreamRevision(record.revision.toString());
  message.setCommitPosition(record.position.toString());
  message.setPreparePosition(record.position.toString());
  const map = message.getMetadataMap();
  map.set('type', record.type);
  map.set('content-type', record.contentType);
  map.set('created', record.createdTicks.toString());
  message.setData(record.data);
  message.setCustomMetadata(record.customMetadata);
  return message;
};

export const streamsReadEvent = (record: DoubleRecord): streams.ReadResp =>
  new streams.ReadResp().setEvent(
    new streams.ReadResp.ReadEvent()
      .setEvent(fillRecordedEvent(new streams.ReadResp.ReadEvent.RecordedEvent(), record))
      .setCommitPosition(record.position.toString()),
  );

interface ExpectedOptions {
  hasRevision(): boolean;
  getRevision(): string;
  hasNoStream(): boolean;
  hasStreamExists(): boolean;
}

export const expectedOf = (options: ExpectedOptions): ExpectedRevision => {
  if (options.hasRevision()) return BigInt(options.getRevision());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return 'any';
};

/** A failure as the server reports it: a status plus the `exception` metadata the client maps to its errors. */
export const serverError = (
  code: grpc.status,
  details: string,
  exception?: string,
  metadata: Record<string, string> = {},
): Partial<grpc.StatusObject> => {
  const md = new grpc.Metadata();
  if (exception) md.set('exception', exception);
  for (const [key, value] of Object.entries(metadata)) md.set(key, value);
  return { code, details, metadata: md };
};

/** A filter as the server applies it: on the stream name or the event type, by prefixes or a regex. */
export interface DoubleFilter {
  readonly on: 'stream' | 'type';
  readonly prefixes: readonly string[];
  readonly regex: RegExp | undefined;
  /** Considered events between two checkpoints: window × multiplier. */
  readonly checkpointInterval: number;
}

interface FilterExpressionHolder {
  hasStreamIdentifier(): boolean;
  getStreamIdentifier(): { getRegex(): string; getPrefixList(): string[] } | undefined;
  getEventType(): { getRegex(): string; getPrefixList(): string[] } | undefined;
  hasMax(): boolean;
  getMax(): number;
  getCheckpointintervalmultiplier(): number;
}

const DEFAULT_SEARCH_WINDOW = 32;

export const filterOf = (options: FilterExpressionHolder): DoubleFilter => {
  const on = options.hasStreamIdentifier() ? 'stream' : 'type';
  const expression = on === 'stream' ? options.getStreamIdentifier()! : options.getEventType()!;
  const regex = expression.getRegex();
  const window = options.hasMax() ? options.getMax() : DEFAULT_SEARCH_WINDOW;
  return {
    on,
    prefixes: expression.getPrefixList(),
    regex: regex ? new RegExp(regex) : undefined,
    checkpointInterval: Math.max(1, window * Math.max(1, options.getCheckpointintervalmultiplier())),
  };
};

export const passes = (filter: DoubleFilter | undefined, record: DoubleRecord): boolean => {
  if (!filter) return true;
  const subject = filter.on === 'stream' ? record.streamName : record.type;
  if (filter.regex) return filter.regex.test(subject);
  return filter.prefixes.some((prefix) => subject.startsWith(prefix));
};

/** Waits until a server stream can take more, so a slow reader holds the double's pushes back. */
export const writeWithBackpressure = async (
  call: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>,
  message: unknown,
): Promise<void> => {
  if (call.write(message)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('cancelled', done);
      call.off('close', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
    call.on('close', done);
  });
};
