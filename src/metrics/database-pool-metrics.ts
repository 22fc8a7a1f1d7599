/**
 * Connections of the MySQL pool in use, counted from the pool's documented events (`acquire`, `release`) since mysql2
 * has no public count. SQLite has no pool (one connection), so there these metrics are absent.
 */
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EventEmitter } from 'node:events';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MYSQL_POOL_SIZE } from '../database/data-source-options';

@Injectable()
export class DatabasePoolMetrics implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: Registry,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const driver = this.dataSource.driver;
    if (!this.config.metrics.enabled || !(driver instanceof MysqlDriver) || !driver.pool) return;
    const pool = driver.pool as EventEmitter;
    const inUse = new Set<EventEmitter>();
    const watched = new WeakSet<EventEmitter>();
    pool.on('acquire', (connection: EventEmitter) => {
      inUse.add(connection);
      if (watched.has(connection)) return;
      watched.add(connection);
      // A connection that dies while lent out is never released.
      const forget = () => inUse.delete(connection);
      connection.once('end', forget);
      connection.once('error', forget);
    });
    pool.on('release', (connection: EventEmitter) => inUse.delete(connection));
    new Gauge({
      name: 'leadport_db_pool_connections_in_use',
      help: 'Connections of the MySQL pool lent out to queries and transactions right now.',
      registers: [this.registry],
      collect() {
        this.set(inUse.size);
      },
    });
    new Gauge({
      name: 'leadport_db_pool_connections_max',
      help: 'Size of the MySQL pool: connections in use never exceed it; more requests wait.',
      registers: [this.registry],
    }).set(MYSQL_POOL_SIZE);
  }
}
