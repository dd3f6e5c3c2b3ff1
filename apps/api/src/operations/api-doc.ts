import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';

export interface ApiDocOptions {
  /** Probes, scrapes, version discovery and the page's files answer without a token. */
  readonly auth?: boolean;
  /** The media type of a body that is not JSON. */
  readonly produces?: string;
}

/**
 * What the OpenAPI document says of one route: a summary and its responses by status, each the name of a
 * schema in RESPONSE_SCHEMAS (or null for an empty or non-JSON body). Request bodies and query strings
 * come from the DTOs the route validates with.
 */
export const ApiDoc = (
  summary: string,
  responses: Readonly<Record<number, string | null>>,
  { auth = true, produces }: ApiDocOptions = {},
) =>
  applyDecorators(
    ApiOperation({ summary, ...(auth ? {} : { security: [] }) }),
    ...Object.entries(responses).map(([status, schema]) =>
      ApiResponse({
        status: Number(status),
        description: Number(status) < 400 ? 'OK' : 'Cinder fault',
        ...(schema
          ? { schema: { $ref: `#/components/schemas/${schema}` } }
          : produces
            ? { content: { [produces]: { schema: { type: 'string' } } } }
            : {}),
      }),
    ),
    ...(auth ? [ApiHeader({ name: 'OpenStack-API-Version', required: false, example: 'volume 3.70' })] : []),
  );

/** swagger's own metadata keys for the properties an `@ApiProperty` describes (DECORATORS in @nestjs/swagger). */
const PROPERTIES_ARRAY = 'swagger/apiModelPropertiesArray';
const PROPERTY = 'swagger/apiModelProperties';

/** The query parameters of a query DTO (a `QueryField` per parameter), as the route's documented query string. */
export const ApiQueryOf = (dto: new () => object) => {
  const names = ((Reflect.getMetadata(PROPERTIES_ARRAY, dto.prototype) as string[] | undefined) ?? []).map((n) => n.replace(/^:/, ''));
  return applyDecorators(
    ...names.map((name) => {
      const { required: _, description, ...schema } = (Reflect.getMetadata(PROPERTY, dto.prototype, name) ?? {}) as Record<string, unknown>;
      return ApiQuery({ name, required: false, schema, ...(typeof description === 'string' ? { description } : {}) });
    }),
  );
};
