/**
 * Prometheus metrics (prom-client): one registry per app, the HTTP and import metrics, and GET /metrics. With
 * METRICS_ENABLED off the metrics still exist (ImportService reports to them) but nothing serves, times or polls them.
 */
import { DynamicModule, Global, Inject, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DatabasePoolMetrics } from './database-pool-metrics';
import { EVERY_PATH, HttpMetrics, HttpMetricsMiddleware } from './http-metrics';
import { ImportMetrics } from './import-metrics';
import { MetricsController } from './metrics.controller';

@Global()
@Module({})
export class MetricsModule implements NestModule {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: MetricsModule,
      controllers: config.metrics.enabled ? [MetricsController] : [],
      providers: [
        {
          // Its own registry, not prom-client's global one: tests run several apps in one process.
          provide: Registry,
          useFactory: () => {
            const registry = new Registry();
            if (config.metrics.enabled) collectDefaultMetrics({ register: registry });
            return registry;
          },
        },
        HttpMetrics,
        HttpMetricsMiddleware,
        ImportMetrics,
        DatabasePoolMetrics,
      ],
      exports: [ImportMetrics],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    if (this.config.metrics.enabled) {
      consumer.apply(HttpMetricsMiddleware).forRoutes({ path: EVERY_PATH, method: RequestMethod.ALL });
    }
  }
}
