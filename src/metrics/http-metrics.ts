/**
 * Requests by method, route template and status, with their latency. The route is Express's template of the matched
 * route (`/v1/leads/imports/:id`), never the URL, so ids do not become labels; requests no route matched share one.
 */
import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram, Registry } from 'prom-client';

const LABELS = ['method', 'route', 'status_code'] as const;
export const UNMATCHED_ROUTE = '(unmatched)';
/** Where the middleware is mounted: every path. Express reports it as the route of a request no route matched. */
export const EVERY_PATH = '{*path}';

@Injectable()
export class HttpMetrics {
  readonly requests: Counter<(typeof LABELS)[number]>;
  readonly duration: Histogram<(typeof LABELS)[number]>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'leadport_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status code.',
      labelNames: LABELS,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'leadport_http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to the end of its answer, by method, route template and status code.',
      labelNames: LABELS,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    });
  }
}

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: HttpMetrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const labels = {
        method: request.method,
        route: routeTemplate(request),
        status_code: String(response.statusCode),
      };
      this.metrics.requests.inc(labels);
      this.metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  }
}

/** The matched route's template, set by Express on the request once routed (and kept after the answer). */
function routeTemplate(request: Request): string {
  const route: unknown = request.route;
  const path = (route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string' || path === `/${EVERY_PATH}`) return UNMATCHED_ROUTE;
  return `${request.baseUrl}${path}`;
}
