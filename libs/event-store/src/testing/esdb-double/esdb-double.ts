import * as grpc from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { DoubleLog } from './double-log';
import { serverFeaturesHandlers } from './server-features.service';
import { StreamsServiceImpl } from './streams.service';

export interface EsdbDoubleOptions {
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

/**
 * An in-process gRPC server that speaks the parts of EventStoreDB's client protocol the esdb adapter uses
 * (Streams, ServerFeatures), built on the service definitions the
 * client package ships. It keeps everything in memory and forgets it on `stop()`. It encodes our reading of
 * the server's documented behaviour; the contract suite also runs against a real server when
 * ESDB_CONNECTION_STRING is set.
 */
export class EsdbDouble {
  private constructor(
    private readonly server: grpc.Server,
    private readonly streams: StreamsServiceImpl,
    readonly host: string,
    readonly port: number,
  ) {}

  static async start({ host = '127.0.0.1', port = 0 }: EsdbDoubleOptions = {}): Promise<EsdbDouble> {
    const log = new DoubleLog();
    const streams = new StreamsServiceImpl(log);
    const server = new grpc.Server();
    server.addService(StreamsService, streams.handlers());
    server.addService(ServerFeaturesService, serverFeaturesHandlers());
    const bound = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, actual) =>
        error ? reject(error) : resolve(actual),
      ),
    );
    return new EsdbDouble(server, streams, host, bound);
  }

  /** The `event_store` connection string for this double. */
  get connectionString(): string {
    return `esdb://${this.host}:${this.port}?tls=false`;
  }

  /** Ends every live `$all` subscription with UNAVAILABLE, so clients must resubscribe. */
  dropSubscriptions(): void {
    this.streams.dropSubscriptions();
  }

  async stop(): Promise<void> {
    this.streams.dropSubscriptions();
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
  }
}
