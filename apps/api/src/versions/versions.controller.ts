import { Controller, Get, HttpCode, Req } from '@nestjs/common';
import type { Request } from 'express';
import { versionDocument } from './version-document';

const baseUrlOf = (req: Request) => `${req.protocol}://${req.headers.host ?? 'localhost'}`;

@Controller()
export class VersionsController {
  /** Cinder answers the root with 300 Multiple Choices; both CLIs accept any status below 400. */
  @Get()
  @HttpCode(300)
  root(@Req() req: Request) {
    return versionDocument(baseUrlOf(req));
  }

  @Get(['v3', 'v3/'])
  v3(@Req() req: Request) {
    return versionDocument(baseUrlOf(req));
  }
}
