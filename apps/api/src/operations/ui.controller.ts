import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HttpFault } from '../errors/cinder-fault';
import { ApiDoc } from './api-doc';
import { ApiTags } from '@nestjs/swagger';

/** The page's files, by name: nothing else under /ui is served. */
const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** `apps/api/ui` holds static files that no compiler touches: found from the sources and from `dist/`. */
const findUiDirectory = (): string => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'apps', 'api', 'ui');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`apps/api/ui/index.html not found above ${__dirname}`);
  }
};

/** The operator's web page: static HTML and one script that reads the API with the caller's token. */
@ApiTags('Operations')
@Controller('ui')
export class UiController {
  private readonly directory = findUiDirectory();

  @Get()
  @ApiDoc('The web page: volumes, backup chains, timelines and live jobs', { 200: null }, { auth: false, produces: 'text/html' })
  page(@Res() res: Response) {
    this.send(res, 'index.html');
  }

  @Get(':file')
  @ApiDoc("The web page's script and style", { 200: null, 404: null }, { auth: false, produces: 'text/javascript' })
  file(@Param('file') file: string, @Res() res: Response) {
    if (!Object.hasOwn(FILES, file)) throw HttpFault.notFound(`No file ${file} in the web page.`);
    this.send(res, file);
  }

  private send(res: Response, file: string) {
    res.setHeader('Content-Type', FILES[file]);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(this.directory, file));
  }
}
