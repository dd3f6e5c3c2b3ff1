import { Controller, Get, HttpCode, Req } from '@nestjs/common';
import type { Request } from 'express';
import { versionDocument } from './version-document';
import { ApiDoc } from '../operations/api-doc';
import { ApiTags } from '@nestjs/swagger';

const baseUrlOf = (req: Request) => `${req.protocol}://${req.headers.host ?? 'localhost'}`;

@ApiTags('Versions')
@Controller()
export class VersionsController {
  /** Cinder answers the root with 300 Multiple Choices; both CLIs accept any status below 400. */
  @Get()
  @ApiDoc("Cinder's version document (300 Multiple Choices)", { 300: 'Versions' }, { auth: false })
  @HttpCode(300)
  root(@Req() req: Request) {
    return versionDocument(baseUrlOf(req));
  }

  @Get(['v3', 'v3/'])
  @ApiDoc('The v3 version document, microversions 3.0–3.70', { 200: 'Versions' }, { auth: false })
  v3(@Req() req: Request) {
    return versionDocument(baseUrlOf(req));
  }
}
