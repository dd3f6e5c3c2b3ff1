import type { RequestContext } from '../context/request-context';

/** A caller at a microversion (`'3.70'`): an admin of `project-1` unless `over` says otherwise. */
export const testContext = (microversion = '3.70', over: Partial<RequestContext> = {}): RequestContext => {
  const [major, minor] = microversion.split('.').map(Number);
  return {
    requestId: 'req-1',
    correlationId: 'req-1',
    userId: 'user-1',
    projectId: 'project-1',
    roles: ['admin'],
    isAdmin: true,
    microversion: { major: major!, minor: minor! },
    urlProjectId: null,
    baseUrl: 'http://127.0.0.1:8776',
    strataAttributes: new Set(),
    ...over,
  };
};
