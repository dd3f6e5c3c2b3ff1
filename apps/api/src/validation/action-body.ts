import { HttpFault } from '../errors/cinder-fault';

/**
 * `POST …/action`: the action is the body's first key (Cinder's wsgi takes `next(iter(body))`); that
 * action's schema then refuses any other key. A body with no key names no action.
 */
export const actionOf = (body: unknown): string => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw HttpFault.badRequest('Malformed request body');
  const [action] = Object.keys(body);
  if (action === undefined) throw HttpFault.badRequest('Malformed request body');
  return action;
};

/** Cinder's refusal of an action key the resource does not have (cinder/api/openstack/wsgi.py). */
export const noSuchAction = (action: string) =>
  HttpFault.badRequest(`There is no such action: ${action}. Verify the request body and Content-Type header and try again.`);
