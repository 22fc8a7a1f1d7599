import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorCode } from './app-error';

export class ErrorBodyDto {
  @ApiProperty({ enum: ErrorCode, example: ErrorCode.UNAUTHORIZED }) code: ErrorCode;
  @ApiProperty({ example: 'Missing API key. Send it as "X-Api-Key: <key>" or "Authorization: Bearer <key>".' })
  message: string;
}

export class ErrorEnvelopeDto {
  @ApiProperty({ example: false }) success: boolean;
  @ApiProperty({ type: ErrorBodyDto }) error: ErrorBodyDto;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_ERROR,
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  408: ErrorCode.REQUEST_TIMEOUT,
  409: ErrorCode.CONFLICT,
  410: ErrorCode.GONE,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  422: ErrorCode.IDEMPOTENCY_KEY_REUSED,
  429: ErrorCode.RATE_LIMITED,
  500: ErrorCode.INTERNAL_ERROR,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

const DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_ERROR: the request is invalid; the message says how to fix it.',
  401: 'UNAUTHORIZED: missing, unknown or revoked API key.',
  403: 'FORBIDDEN: the key may not act on the workspace that X-Workspace-Id names.',
  404: 'NOT_FOUND: no such resource in this workspace.',
  408: 'REQUEST_TIMEOUT: the upload stalled or took too long; send it again.',
  409: 'CONFLICT: the resource is busy or already in that state.',
  410: 'GONE: the resource is past its retention.',
  413: 'PAYLOAD_TOO_LARGE: the upload is over the limit.',
  422: 'IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used for another request; use a new key.',
  429: 'RATE_LIMITED: too many requests; retry after the Retry-After header.',
  500: 'INTERNAL_ERROR: unexpected failure; no details are leaked.',
  503: 'SERVICE_UNAVAILABLE: the database (or Redis, when configured) is unreachable, or the service is shutting down.',
};

/** One example of an error response: a title for Swagger UI's list and the message the service really sends. */
export type ErrorExample = [summary: string, message: string];

/**
 * Messages every route behind the API-key guard can give, whatever it does. Statuses not here (400, 404, 413, 503)
 * depend on the route, which must give its own examples.
 */
const GUARDED_ROUTE_EXAMPLES: Record<number, ErrorExample[]> = {
  401: [
    ['No key', 'Missing API key. Send it as "X-Api-Key: <key>" or "Authorization: Bearer <key>".'],
    [
      'Unknown or revoked key',
      'Invalid or revoked API key. Check the key, or create a new one with "npm run cli -- key:create".',
    ],
  ],
  403: [['Another workspace', 'This API key belongs to another workspace than X-Workspace-Id names.']],
  429: [['Rate limit', 'Rate limit of 600 requests per 60 s reached for this API key. Retry after 42 s.']],
  500: [
    [
      'Unexpected failure',
      'Internal server error. If it persists, report it with request id 9f6b2c1e-7d4a-4e0b-a1c3-5d8e2f7a9b10.',
    ],
  ],
};

/** The 400s of every cursor-paged list (`limit` and `cursor` as ListLeadsQuery reads them). */
export const PAGE_QUERY_ERRORS: Record<number, ErrorExample[]> = {
  400: [
    ['Bad page size', 'limit must be an integer from 1 to 200'],
    ['Bad cursor', 'cursor must be the nextCursor value of a previous page'],
  ],
};

/** Documents a `{"success": true, "data": <model>}` response (200 unless `status` says otherwise). */
export function ApiEnvelope(model: Type<unknown>, status = 200, description?: string) {
  return applyDecorators(
    ApiExtraModels(model),
    (status === 200 ? ApiOkResponse : ApiResponse)({
      status,
      description,
      schema: {
        type: 'object',
        required: ['success', 'data'],
        properties: { success: { type: 'boolean', example: true }, data: { $ref: getSchemaPath(model) } },
      },
    }),
  );
}

/**
 * Documents the failure envelope for these statuses, each with real examples: a number takes the examples every
 * guarded route shares (401, 403, 429, 500), an object gives the route's own (added to the shared ones).
 */
export function ApiErrors(...statuses: Array<number | Record<number, ErrorExample[]>>) {
  const examples = new Map<number, ErrorExample[]>();
  const add = (status: number, more: ErrorExample[]) =>
    examples.set(status, [...(examples.get(status) ?? []), ...more]);
  for (const entry of statuses) {
    if (typeof entry === 'number') add(entry, GUARDED_ROUTE_EXAMPLES[entry] ?? []);
    else for (const [status, own] of Object.entries(entry)) add(Number(status), own);
  }
  return applyDecorators(
    ...[...examples].map(([status, list]) => {
      const code = CODE_BY_STATUS[status];
      // A status without a real example would show a made-up one: refuse it when the app starts.
      if (!code || list.length === 0) throw new Error(`ApiErrors(${status}) needs this route's own examples`);
      return ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        type: ErrorEnvelopeDto,
        examples: Object.fromEntries(
          list.map(([summary, message]) => [summary, { summary, value: { success: false, error: { code, message } } }]),
        ),
      });
    }),
  );
}
