import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CATALOG, type Catalog } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { Ctx } from '../context/ctx.decorator';
import { atLeast } from '../context/microversion';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { ApiDoc } from '../operations/api-doc';
import { CLOCK, type Clock } from '../tokens';
import { VolumeTypeLookup } from '../volume-types/volume-type-lookup';
import { poolServesType, poolsOf } from './pools';
import { ServiceDirectory } from './service-directory';

/** What resource_filters.json lets `get_pools` filter on (Cinder's default). */
const POOL_FILTERS = ['name', 'volume_type'];

const lastOf = (value: unknown): string => (Array.isArray(value) ? String(value.at(-1)) : String(value));
/** oslo's bool_from_string, as `utils.get_bool_param('detail', ...)` reads it. */
const isTrue = (v: unknown) => ['true', '1', 'yes', 'on', 't', 'y'].includes(lastOf(v).trim().toLowerCase());
/** The scheduler's `_equal_after_convert`: booleans compared as booleans, the rest as text. */
const equalAfterConvert = (cap: unknown, value: string) =>
  typeof cap === 'boolean' ? cap === isTrue(value) : cap !== undefined && String(cap) === value;

/**
 * `GET /scheduler-stats/get_pools` (`cinder get-pools [--detail]`, admin): the pool of each cinder-volume
 * service that is up. Filters as Cinder takes them: none before 3.28, `name` and capability values from
 * 3.28, only `name` and (from 3.35) `volume_type` from 3.33, any other key refused.
 */
@ApiTags('Services')
@Controller(['v3/scheduler-stats/get_pools', 'v3/:projectId/scheduler-stats/get_pools'])
export class SchedulerStatsController {
  constructor(
    private readonly directory: ServiceDirectory,
    private readonly volumeTypes: VolumeTypeLookup,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiDoc('The storage pools of the volume services that are up (?detail=true for capabilities; admin)', {
    200: 'PoolList',
    400: 'Fault',
    403: 'Fault',
    404: 'Fault',
  })
  async list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    authorize(ctx, 'scheduler_extension:scheduler_stats:get_pools');
    const detail = query.detail !== undefined && isTrue(query.detail);
    const filters = new Map(
      Object.entries(query)
        .filter(([key]) => key !== 'detail')
        .map(([k, v]) => [k, lastOf(v)]),
    );
    const mv = ctx.microversion;
    if (!atLeast(mv, '3.28')) filters.clear();
    else if (atLeast(mv, '3.33')) {
      filters.delete('all_tenants');
      const invalid = [...filters.keys()].filter((key) => !POOL_FILTERS.includes(key));
      if (invalid.length > 0) throw HttpFault.badRequest(`Invalid filters ${invalid.join(',')} are found in query options.`);
    }
    if (!atLeast(mv, '3.35')) filters.delete('volume_type');
    const now = this.clock.now();
    const allocated = this.catalog
      .listVolumes({ sort: [], limit: 1_000_000, marker: null, offset: 0, scope: { projectId: '', allProjects: true }, filters: {} })
      .rows.reduce((sum, v) => sum + v.size, 0);
    let pools = poolsOf(await this.directory.list(now, { binary: 'cinder-volume' }), this.options.volumes_path, allocated, now);
    const name = filters.get('name');
    const typeName = filters.get('volume_type');
    filters.delete('name');
    filters.delete('volume_type');
    if (name) pools = pools.filter((p) => p.name === name);
    pools = pools.filter((p) => [...filters].every(([key, value]) => equalAfterConvert(p.capabilities[key], value)));
    if (typeName) {
      const type = this.volumeTypes.byNameOrId(ctx, typeName);
      pools = pools.filter((p) => poolServesType(p, type));
    }
    return { pools: pools.map((p) => (detail ? { name: p.name, capabilities: p.capabilities } : { name: p.name })) };
  }
}
