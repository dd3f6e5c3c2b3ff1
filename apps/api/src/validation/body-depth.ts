import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { HttpFault } from '../errors/cinder-fault';

/**
 * How deep a request body may nest. Cinder's deepest schema (metadata inside a payload inside its
 * envelope, a manage `ref` object) is four levels; the bound leaves room without letting anything
 * recursive downstream (class-transformer, JSON.stringify of a message, SQLite JSON) meet ten thousand.
 */
export const MAX_JSON_DEPTH = 32;

/** True when `value` nests deeper than `max`: walked with an explicit stack, so no input can overflow it. */
export const nestsDeeperThan = (value: unknown, max: number): boolean => {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
};

/** Refuses, before any route reads it, a JSON body nested deeper than MAX_JSON_DEPTH. */
@Injectable()
export class BodyDepthMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    if (nestsDeeperThan(req.body, MAX_JSON_DEPTH))
      throw HttpFault.badRequest(`Malformed request body: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    next();
  }
}
