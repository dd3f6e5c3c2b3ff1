import type { IServerFeaturesServer } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import * as features from '@eventstore/db-client/generated/serverfeatures_pb';

/** The version the double claims: new enough for `caught_up` on subscriptions (23.10). */
export const DOUBLE_SERVER_VERSION = '24.10.0';

const STREAMS = 'event_store.client.streams.Streams';

/** What the double implements, and only that. */
const SUPPORTED: readonly [service: string, method: string, features: readonly string[]][] = [
  [STREAMS, 'Read', []],
  [STREAMS, 'Append', []],
  [STREAMS, 'Delete', []],
];

export const serverFeaturesHandlers = (): IServerFeaturesServer => ({
  getSupportedMethods: (_call, callback) => {
    const methods = SUPPORTED.map(([service, method, list]) =>
      new features.SupportedMethod()
        .setServiceName(service.toLowerCase())
        .setMethodName(method.toLowerCase())
        .setFeaturesList([...list]),
    );
    callback(null, new features.SupportedMethods().setMethodsList(methods).setEventStoreServerVersion(DOUBLE_SERVER_VERSION));
  },
});
