import * as grpc from '@grpc/grpc-js';
import type { IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb';
import * as shared from '@eventstore/db-client/generated/shared_pb';
import * as streams from '@eventstore/db-client/generated/streams_pb';
import type { AppendOutcome, DoubleLog, DoubleRecord, ProposedEvent } from './double-log';
import {
  expectedOf,
  filterOf,
  passes,
  serverError,
  streamIdentifier,
  streamNameOf,
  streamsReadEvent,
  uuidText,
  writeWithBackpressure,
  type DoubleFilter,
} from './wire';

type ReadCall = grpc.ServerWritableStream<streams.ReadReq, streams.ReadResp>;
const Direction = streams.ReadReq.Options.ReadDirection;

/**
 * Streams: Append (the classic client-streaming RPC: options first, then one proposed message per event),
 * Read (a stream; `$all` forwards/backwards; a filtered `$all` subscription) and Delete (soft delete).
 * Tombstone and BatchAppend are not implemented, and ServerFeatures does not advertise BatchAppend, so
 * the client uses Append.
 */
export class StreamsServiceImpl {
  private readonly subscriptions = new Set<ReadCall>();

  constructor(private readonly log: DoubleLog) {}

  handlers(): IStreamsServer {
    const unimplemented = (name: string) => (_call: unknown, callback?: grpc.sendUnaryData<never>) => {
      const error = serverError(grpc.status.UNIMPLEMENTED, `${name} is not implemented by the EventStoreDB double`);
      if (callback) callback(error as grpc.ServiceError, null);
    };
    return {
      read: (call) => void this.read(call),
      append: (call, callback) => this.append(call, callback),
      delete: (call, callback) => this.delete(call, callback),
      tombstone: unimplemented('Streams/Tombstone'),
      batchAppend: (call) => call.emit('error', serverError(grpc.status.UNIMPLEMENTED, 'Streams/BatchAppend is not implemented')),
    };
  }

  /** Ends every live subscription with UNAVAILABLE, as a server going away does. */
  dropSubscriptions(): void {
    for (const call of this.subscriptions) call.emit('error', serverError(grpc.status.UNAVAILABLE, 'Subscription dropped by the double'));
    this.subscriptions.clear();
  }

  private append(call: grpc.ServerReadableStream<streams.AppendReq, streams.AppendResp>, callback: grpc.sendUnaryData<streams.AppendResp>) {
    let options: streams.AppendReq.Options | undefined;
    const proposed: ProposedEvent[] = [];
    call.on('data', (req: streams.AppendReq) => {
      if (req.hasOptions()) options = req.getOptions();
      const message = req.getProposedMessage();
      if (!message) return;
      const metadata = message.getMetadataMap();
      proposed.push({
        id: uuidText(message.getId()),
        type: metadata.get('type') ?? '',
        contentType: metadata.get('content-type') ?? 'application/octet-stream',
        data: message.getData_asU8(),
        customMetadata: message.getCustomMetadata_asU8(),
      });
    });
    call.on('end', () => {
      if (!options) return callback(serverError(grpc.status.INVALID_ARGUMENT, 'Append without options') as grpc.ServiceError, null);
      const stream = streamNameOf(options.getStreamIdentifier());
      const expected = expectedOf(options);
      const outcome = this.log.append(stream, expected, proposed);
      if (outcome.kind === 'stream-deleted') return callback(streamDeleted(stream), null);
      callback(null, appendResponse(outcome, options));
    });
  }

  private delete(call: grpc.ServerUnaryCall<streams.DeleteReq, streams.DeleteResp>, callback: grpc.sendUnaryData<streams.DeleteResp>) {
    const options = call.request.getOptions()!;
    const stream = streamNameOf(options.getStreamIdentifier());
    const expected = expectedOf(options);
    const outcome = this.log.delete(stream, expected);
    switch (outcome.kind) {
      case 'stream-not-found':
        return callback(
          serverError(grpc.status.NOT_FOUND, `Event stream '${stream}' is not found.`, 'stream-not-found', {
            'stream-name': stream,
          }) as grpc.ServiceError,
          null,
        );
      case 'stream-deleted':
        return callback(streamDeleted(stream), null);
      case 'wrong-expected-version':
        return callback(
          serverError(grpc.status.FAILED_PRECONDITION, 'Wrong expected version.', 'wrong-expected-version', {
            'stream-name': stream,
            'expected-version': typeof expected === 'bigint' ? expected.toString() : String(expectedNumber[expected]),
            ...(outcome.current === 'no_stream' ? {} : { 'actual-version': outcome.current.toString() }),
          }) as grpc.ServiceError,
          null,
        );
      case 'success': {
        const position = new streams.DeleteResp.Position()
          .setCommitPosition(outcome.position.toString())
          .setPreparePosition(outcome.position.toString());
        return callback(null, new streams.DeleteResp().setPosition(position));
      }
    }
  }

  private async read(call: ReadCall): Promise<void> {
    const options = call.request.getOptions()!;
    const backwards = options.getReadDirection() === Direction.BACKWARDS;
    const count = options.hasCount() ? BigInt(options.getCount()) : BigInt(Number.MAX_SAFE_INTEGER);
    try {
      if (options.hasStream()) {
        if (options.hasSubscription())
          throw serverError(grpc.status.UNIMPLEMENTED, 'Stream subscriptions are not implemented by the double');
        await this.readStream(call, options.getStream()!, backwards, count);
      } else if (options.hasSubscription()) {
        await this.subscribeToAll(call, options);
        return;
      } else {
        await this.readAll(call, options.getAll()!, backwards, count);
      }
      call.end();
    } catch (error) {
      call.emit('error', error);
    }
  }

  private async readStream(call: ReadCall, options: streams.ReadReq.Options.StreamOptions, backwards: boolean, count: bigint) {
    const name = streamNameOf(options.getStreamIdentifier());
    const stream = this.log.visibleRecords(name);
    if (!stream) {
      call.write(
        new streams.ReadResp().setStreamNotFound(new streams.ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name))),
      );
      return;
    }
    const from = options.hasRevision() ? BigInt(options.getRevision()) : undefined;
    let sent = 0n;
    if (!backwards) {
      let revision = options.hasEnd() ? stream.last + 1n : (from ?? 0n);
      if (revision < stream.first) revision = stream.first;
      for (; revision <= stream.last && sent < count; revision++, sent++)
        await writeWithBackpressure(call, streamsReadEvent(stream.records[Number(revision)]!));
    } else {
      let revision = options.hasStart() ? -1n : (from ?? stream.last);
      if (revision > stream.last) revision = stream.last;
      for (; revision >= stream.first && sent < count; revision--, sent++)
        await writeWithBackpressure(call, streamsReadEvent(stream.records[Number(revision)]!));
    }
  }

  /** `$all` reads are inclusive of the position forwards and exclusive backwards, as the server's are. */
  private async readAll(call: ReadCall, options: streams.ReadReq.Options.AllOptions, backwards: boolean, count: bigint) {
    const records = this.log.records;
    const position = options.hasPosition() ? BigInt(options.getPosition()!.getCommitPosition()) : undefined;
    let sent = 0n;
    if (!backwards) {
      const start = options.hasEnd() ? records.length : position === undefined ? 0 : this.log.indexAtOrAfter(position);
      for (let i = start; i < records.length && sent < count; i++, sent++) await writeWithBackpressure(call, streamsReadEvent(records[i]!));
    } else {
      const start = options.hasStart() ? -1 : position === undefined ? records.length - 1 : this.log.indexAtOrAfter(position) - 1;
      for (let i = start; i >= 0 && sent < count; i--, sent++) await writeWithBackpressure(call, streamsReadEvent(records[i]!));
    }
  }

  /**
   * A `$all` subscription: confirmation, the events after the position (strictly after, as the server
   * does), a checkpoint every `window × multiplier` considered events and one at the head, `caught_up`,
   * then live events (and checkpoints) until the client cancels.
   */
  private async subscribeToAll(call: ReadCall, options: streams.ReadReq.Options) {
    const all = options.getAll()!;
    const filter: DoubleFilter | undefined = options.hasFilter() ? filterOf(options.getFilter()!) : undefined;
    let index = all.hasEnd()
      ? this.log.records.length
      : all.hasPosition()
        ? this.log.indexAtOrAfter(BigInt(all.getPosition()!.getCommitPosition()) + 1n)
        : 0;
    let ended = false;
    let wake: (() => void) | undefined;
    const stopListening = this.log.onWrite(() => wake?.());
    const end = () => {
      ended = true;
      wake?.();
    };
    call.on('cancelled', end);
    call.on('close', end);
    call.on('error', end);
    this.subscriptions.add(call);
    try {
      call.write(
        new streams.ReadResp().setConfirmation(new streams.ReadResp.SubscriptionConfirmation().setSubscriptionId(`double-${Date.now()}`)),
      );
      let considered = 0;
      let caughtUp = false;
      while (!ended && this.subscriptions.has(call)) {
        const records = this.log.records;
        let lastConsidered: DoubleRecord | undefined;
        for (; index < records.length && !ended; index++) {
          const record = records[index]!;
          lastConsidered = record;
          if (passes(filter, record)) {
            await writeWithBackpressure(call, streamsReadEvent(record));
            considered = 0;
            continue;
          }
          if (filter && ++considered >= filter.checkpointInterval) {
            await writeWithBackpressure(call, checkpoint(record.position));
            considered = 0;
          }
        }
        if (ended) return;
        if (!caughtUp) {
          if (filter && lastConsidered && considered > 0) {
            call.write(checkpoint(lastConsidered.position));
            considered = 0;
          }
          call.write(new streams.ReadResp().setCaughtUp(new streams.ReadResp.CaughtUp()));
          caughtUp = true;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (ended || index < this.log.records.length) resolve();
        });
        wake = undefined;
      }
    } finally {
      stopListening();
      this.subscriptions.delete(call);
    }
  }
}

const expectedNumber = { any: -2, no_stream: -1, stream_exists: -4 } as const;

const checkpoint = (position: bigint) =>
  new streams.ReadResp().setCheckpoint(
    new streams.ReadResp.Checkpoint().setCommitPosition(position.toString()).setPreparePosition(position.toString()),
  );

const streamDeleted = (stream: string) =>
  serverError(grpc.status.FAILED_PRECONDITION, `Event stream '${stream}' is deleted.`, 'stream-deleted', {
    'stream-name': stream,
  }) as grpc.ServiceError;

const appendResponse = (outcome: Exclude<AppendOutcome, { kind: 'stream-deleted' }>, options: streams.AppendReq.Options) => {
  if (outcome.kind === 'success') {
    const position = new streams.AppendResp.Position()
      .setCommitPosition(outcome.position.toString())
      .setPreparePosition(outcome.position.toString());
    const success = new streams.AppendResp.Success().setPosition(position);
    if (outcome.currentRevision < 0n) success.setNoStream(new shared.Empty());
    else success.setCurrentRevision(outcome.currentRevision.toString());
    return new streams.AppendResp().setSuccess(success);
  }
  const wrong = new streams.AppendResp.WrongExpectedVersion();
  if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new shared.Empty());
  else wrong.setCurrentRevision(outcome.current.toString());
  if (options.hasRevision()) wrong.setExpectedRevision(options.getRevision());
  else if (options.hasNoStream()) wrong.setExpectedNoStream(new shared.Empty());
  else if (options.hasStreamExists()) wrong.setExpectedStreamExists(new shared.Empty());
  else wrong.setExpectedAny(new shared.Empty());
  return new streams.AppendResp().setWrongExpectedVersion(wrong);
};
