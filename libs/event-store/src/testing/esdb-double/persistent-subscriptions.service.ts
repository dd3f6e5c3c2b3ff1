import * as grpc from '@grpc/grpc-js';
import type { IPersistentSubscriptionsServer } from '@eventstore/db-client/generated/persistent_grpc_pb';
import * as persistent from '@eventstore/db-client/generated/persistent_pb';
import type { DoubleLog, DoubleRecord } from './double-log';
import { fillRecordedEvent, filterOf, passes, serverError, uuidText, type DoubleFilter } from './wire';

type ReadCall = grpc.ServerDuplexStream<persistent.ReadReq, persistent.ReadResp>;
const NackAction = persistent.ReadReq.Nack.Action;

interface Consumer {
  readonly call: ReadCall;
  readonly bufferSize: number;
  readonly inFlight: Set<string>;
}

interface InFlight {
  readonly record: DoubleRecord;
  readonly retryCount: number;
  readonly consumer: Consumer;
  readonly deadline: number;
}

/**
 * One consumer group on `$all`, as the server runs it with the round-robin strategy: the next matching
 * event goes to the next consumer with room in its buffer; an event stays in flight until it is acked;
 * a nack with retry, a consumer that leaves, or the message timeout sends it round again with a higher
 * retry count; past `maxRetryCount` (or on a nack with park) it is parked, on skip it is dropped. The
 * group (its position and in-flight events) lives as long as the double, so consumers that reconnect
 * carry on after what was acked.
 */
class ConsumerGroup {
  private readonly consumers: Consumer[] = [];
  private readonly inFlight = new Map<string, InFlight>();
  private readonly retries: { record: DoubleRecord; retryCount: number }[] = [];
  readonly parked: DoubleRecord[] = [];
  private next = 0;
  private turn = 0;

  constructor(
    private readonly log: DoubleLog,
    readonly name: string,
    private readonly filter: DoubleFilter | undefined,
    start: number,
    private readonly maxRetryCount: number,
    private readonly messageTimeoutMs: number,
  ) {
    this.next = start;
  }

  join(call: ReadCall, bufferSize: number): void {
    const consumer: Consumer = { call, bufferSize: Math.max(1, bufferSize), inFlight: new Set() };
    this.consumers.push(consumer);
    const leave = () => this.leave(consumer);
    call.on('cancelled', leave);
    call.on('close', leave);
    call.on('error', leave);
    call.on('end', leave);
    call.on('data', (req: persistent.ReadReq) => {
      if (req.hasAck()) for (const id of req.getAck()!.getIdsList()) this.settle(uuidText(id));
      if (req.hasNack()) {
        const nack = req.getNack()!;
        for (const id of nack.getIdsList()) this.nack(uuidText(id), nack.getAction());
      }
      this.pump();
    });
    call.write(new persistent.ReadResp().setSubscriptionConfirmation(
      new persistent.ReadResp.SubscriptionConfirmation().setSubscriptionId(`$all::${this.name}`),
    ));
    this.pump();
  }

  /** Hands out what it can: retries first, then the log after the group's position. */
  pump(): void {
    this.expire(Date.now());
    for (;;) {
      const consumer = this.consumerWithRoom();
      if (!consumer) return;
      const retry = this.retries.shift();
      if (retry) {
        this.send(consumer, retry.record, retry.retryCount);
        continue;
      }
      const record = this.nextMatching();
      if (!record) return;
      this.send(consumer, record, 0);
    }
  }

  dropConsumers(): void {
    for (const consumer of [...this.consumers])
      consumer.call.emit('error', serverError(grpc.status.CANCELLED, `Group ${this.name} was deleted`, 'persistent-subscription-dropped', { 'group-name': this.name }));
  }

  private nextMatching(): DoubleRecord | undefined {
    const records = this.log.records;
    while (this.next < records.length) {
      const record = records[this.next++]!;
      if (passes(this.filter, record)) return record;
    }
    return undefined;
  }

  private consumerWithRoom(): Consumer | undefined {
    for (let i = 0; i < this.consumers.length; i++) {
      const consumer = this.consumers[(this.turn + i) % this.consumers.length]!;
      if (consumer.inFlight.size < consumer.bufferSize) {
        this.turn = (this.turn + i + 1) % this.consumers.length;
        return consumer;
      }
    }
    return undefined;
  }

  private send(consumer: Consumer, record: DoubleRecord, retryCount: number): void {
    this.inFlight.set(record.id, { record, retryCount, consumer, deadline: Date.now() + this.messageTimeoutMs });
    consumer.inFlight.add(record.id);
    const event = new persistent.ReadResp.ReadEvent()
      .setEvent(fillRecordedEvent(new persistent.ReadResp.ReadEvent.RecordedEvent(), record))
      .setCommitPosition(record.position.toString())
      .setRetryCount(retryCount);
    consumer.call.write(new persistent.ReadResp().setEvent(event));
  }

  private settle(id: string): InFlight | undefined {
    const entry = this.inFlight.get(id);
    if (!entry) return undefined;
    this.inFlight.delete(id);
    entry.consumer.inFlight.delete(id);
    return entry;
  }

  private nack(id: string, action: persistent.ReadReq.Nack.Action): void {
    const entry = this.settle(id);
    if (!entry) return;
    if (action === NackAction.SKIP) return;
    if (action === NackAction.PARK) this.parked.push(entry.record);
    else this.retry(entry);
  }

  private retry(entry: InFlight): void {
    if (entry.retryCount >= this.maxRetryCount) this.parked.push(entry.record);
    else this.retries.push({ record: entry.record, retryCount: entry.retryCount + 1 });
  }

  private expire(now: number): void {
    for (const entry of [...this.inFlight.values()]) {
      if (entry.deadline > now) continue;
      this.settle(entry.record.id);
      this.retry(entry);
    }
  }

  private leave(consumer: Consumer): void {
    const at = this.consumers.indexOf(consumer);
    if (at < 0) return;
    this.consumers.splice(at, 1);
    for (const id of [...consumer.inFlight]) {
      const entry = this.settle(id);
      if (entry) this.retry(entry);
    }
    this.pump();
  }
}

const DEFAULT_MESSAGE_TIMEOUT_MS = 30_000;

/** PersistentSubscriptions for `$all` (Create, Delete, Read); groups on a single stream are not implemented. */
export class PersistentSubscriptionsServiceImpl {
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly log: DoubleLog) {
    log.onWrite(() => this.pumpAll());
    this.timer = setInterval(() => this.pumpAll(), 200);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const group of this.groups.values()) group.dropConsumers();
  }

  handlers(): IPersistentSubscriptionsServer {
    const unimplemented = (name: string) => (_call: unknown, callback: grpc.sendUnaryData<never>) =>
      callback(serverError(grpc.status.UNIMPLEMENTED, `${name} is not implemented by the EventStoreDB double`) as grpc.ServiceError, null);
    return {
      create: (call, callback) => this.create(call.request, callback),
      delete: (call, callback) => this.delete(call.request, callback),
      read: (call) => this.read(call),
      update: unimplemented('PersistentSubscriptions/Update'),
      getInfo: unimplemented('PersistentSubscriptions/GetInfo'),
      replayParked: unimplemented('PersistentSubscriptions/ReplayParked'),
      list: unimplemented('PersistentSubscriptions/List'),
      restartSubsystem: unimplemented('PersistentSubscriptions/RestartSubsystem'),
    };
  }

  private pumpAll(): void {
    for (const group of this.groups.values()) group.pump();
  }

  private create(request: persistent.CreateReq, callback: grpc.sendUnaryData<persistent.CreateResp>) {
    const options = request.getOptions()!;
    const name = options.getGroupName();
    if (!options.hasAll())
      return callback(serverError(grpc.status.UNIMPLEMENTED, 'The double runs consumer groups on $all only') as grpc.ServiceError, null);
    if (this.groups.has(name))
      return callback(serverError(grpc.status.ALREADY_EXISTS, `Subscription group ${name} on stream $all exists.`, 'persistent-subscription-exists', {
        'stream-name': '$all', 'group-name': name,
      }) as grpc.ServiceError, null);
    const all = options.getAll()!;
    const settings = options.getSettings()!;
    const start = all.hasEnd() ? this.log.records.length
      : all.hasPosition() ? this.log.indexAtOrAfter(BigInt(all.getPosition()!.getCommitPosition()))
      : 0;
    const filter = all.hasFilter() ? filterOf(all.getFilter()!) : undefined;
    const timeout = settings.getMessageTimeoutMs() > 0 ? settings.getMessageTimeoutMs() : DEFAULT_MESSAGE_TIMEOUT_MS;
    this.groups.set(name, new ConsumerGroup(this.log, name, filter, start, settings.getMaxRetryCount(), timeout));
    callback(null, new persistent.CreateResp());
  }

  private delete(request: persistent.DeleteReq, callback: grpc.sendUnaryData<persistent.DeleteResp>) {
    const name = request.getOptions()!.getGroupName();
    const group = this.groups.get(name);
    if (!group) return callback(notFound(name), null);
    this.groups.delete(name);
    group.dropConsumers();
    callback(null, new persistent.DeleteResp());
  }

  private read(call: ReadCall) {
    call.once('data', (req: persistent.ReadReq) => {
      const options = req.getOptions();
      if (!options) return call.emit('error', serverError(grpc.status.INVALID_ARGUMENT, 'The first message must carry options'));
      const group = this.groups.get(options.getGroupName());
      if (!options.hasAll() || !group) return call.emit('error', notFound(options.getGroupName()));
      group.join(call, options.getBufferSize());
    });
  }
}

const notFound = (group: string) =>
  serverError(grpc.status.NOT_FOUND, `Subscription group ${group} on stream $all does not exist.`, 'persistent-subscription-does-not-exist', {
    'stream-name': '$all', 'group-name': group,
  }) as grpc.ServiceError;
