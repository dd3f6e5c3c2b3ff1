import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';

export interface Route {
  readonly method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  /** OpenAPI style: `/v3/{projectId}/backups/{backupId}`. */
  readonly path: string;
  readonly controller: string;
}

const METHODS: Partial<Record<RequestMethod, Route['method']>> = {
  [RequestMethod.GET]: 'get', [RequestMethod.POST]: 'post', [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete', [RequestMethod.PATCH]: 'patch',
};

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [''] : [String(v)]);

const join = (prefix: string, path: string) => {
  const parts = [prefix, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean);
  return `/${parts.join('/')}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
};

/**
 * Every route the controllers declare, read from Nest's own decorator metadata, so the OpenAPI document
 * cannot miss a route that a controller serves (a merged controller shows up without touching this file).
 */
export const routesOf = (controllers: readonly Type<unknown>[]): Route[] => {
  const routes = new Map<string, Route>();
  for (const controller of controllers) {
    const prefixes = asList(Reflect.getMetadata(PATH_METADATA, controller));
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
      if (!method || paths === undefined) continue;
      for (const prefix of prefixes)
        for (const path of asList(paths)) {
          const route = { method, path: join(prefix, path), controller: controller.name };
          routes.set(`${route.method} ${route.path}`, route);
        }
    }
  }
  return [...routes.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
};
