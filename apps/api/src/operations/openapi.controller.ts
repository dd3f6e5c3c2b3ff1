import { Controller, Get, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiDoc } from './api-doc';
import { OpenApiDocumentHolder } from './openapi-builder';

/** `GET /strata/v1/openapi.json`: the OpenAPI 3 document of every route this process serves. */
@ApiTags('Operations')
@Controller('strata/v1')
export class OpenApiController {
  constructor(private readonly holder: OpenApiDocumentHolder) {}

  @Get('openapi.json')
  @ApiDoc('This document', { 200: null }, { auth: false })
  document(@Req() req: Request) {
    return { ...this.holder.get(), servers: [{ url: `${req.protocol}://${req.headers.host ?? 'localhost'}` }] };
  }
}
