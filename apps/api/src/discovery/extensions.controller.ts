import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HttpFault } from '../errors/cinder-fault';
import { ApiDoc } from '../operations/api-doc';
import { STRATA_EXTENSIONS } from './strata-extensions';

/**
 * GET /v3/extensions (`cinder list-extensions`) and GET /v3/extensions/{alias}: Cinder's extensions
 * document, listing what Strata serves. Any authenticated caller may read it, as in Cinder.
 */
@ApiTags('Versions')
@Controller(['v3/extensions', 'v3/:projectId/extensions'])
export class ExtensionsController {
  @Get()
  @ApiDoc('The Cinder API extensions Strata serves', { 200: 'ExtensionList' })
  list() {
    return { extensions: STRATA_EXTENSIONS };
  }

  @Get(':alias')
  @ApiDoc('One extension, by alias', { 200: 'ExtensionEnvelope', 404: 'Fault' })
  show(@Param('alias') alias: string) {
    const extension = STRATA_EXTENSIONS.find((e) => e.alias === alias);
    if (!extension) throw HttpFault.notFound('The resource could not be found.');
    return { extension };
  }
}
