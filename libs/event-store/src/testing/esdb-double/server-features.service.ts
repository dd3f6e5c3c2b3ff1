import type { IServerFeaturesServer } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import * as features from '@eventstore/db-client/generated/serverfeatures_pb';

/** The version the double claims: new enough for `$all` consumer groups (21.10) and `caught_up` (23.10). */
export const DOUBLE_SERVER_VERSION = '24.10.0';

const STREAMS = 'event_store.client.streams.Streams';
const PERSISTENT = 'event_store.client.persistent_subscriptions.PersistentSubscriptions';

/** What the double implements, and only that: the client feature-gates `$all` consumer groups on it. */
const SUPPORTED: readonly [service: string, method: string, features: readonly string[]][] = [
  [STREAMS, 'Read', []],
  [STREAMS, 'Append', []],
  [STREAMS, 'Delete', []],
  [PERSISTENT, 'Create', ['stream', 'all']],
  [PERSISTENT, 'Delete', ['stream', 'all']],
  [PERSISTENT, 'Read', ['stream', 'all']],
];

export const serverFeaturesHandlers = (): IServerFeaturesServer => ({
  getSupportedMethods: (_call, callback) => {
    const methods = SUPPORTED.map(([service, method, list]) =>
      new features.SupportedMethod().setServiceName(service.toLowerCase()).setMethodName(method.toLowerCase()).setFeaturesList([...list]));
    callback(null, new features.SupportedMethods().setMethodsList(methods).setEventStoreServerVersion(DOUBLE_SERVER_VERSION));
  },
});
