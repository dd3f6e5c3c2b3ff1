import { Controller, Get, Req, type Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Request } from 'express';
import { openApiDocument } from './openapi-document';
import { routesOf } from './route-table';

/** `GET /strata/v1/openapi.json`: the OpenAPI 3 document of every route this process serves. */
@Controller('strata/v1')
export class OpenApiController {
  constructor(private readonly discovery: DiscoveryService) {}

  @Get('openapi.json')
  document(@Req() req: Request) {
    const controllers = this.discovery.getControllers().map((w) => w.metatype).filter((m): m is Type<unknown> => typeof m === 'function');
    return openApiDocument(routesOf(controllers), `${req.protocol}://${req.headers.host ?? 'localhost'}`);
  }
}
