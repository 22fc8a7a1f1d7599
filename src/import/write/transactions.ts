/**
 * The import's transactions (batches, undo): READ COMMITTED on MySQL; on SQLite one after another, because TypeORM
 * runs every query of the DataSource on one better-sqlite3 connection and two transactions in flight would nest.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** Per DataSource, not per instance: lead deletes and suppression writes provide their own Transactions. */
const sqliteTurns = new WeakMap<DataSource, Promise<unknown>>();

@Injectable()
export class Transactions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get concurrent(): boolean {
    return this.dataSource.options.type === 'mysql';
  }

  run<R>(work: (manager: EntityManager) => Promise<R>): Promise<R> {
    if (this.concurrent) return this.dataSource.transaction('READ COMMITTED', work);
    const turn = sqliteTurns.get(this.dataSource) ?? Promise.resolve();
    const result = turn.then(() => this.dataSource.transaction(work));
    sqliteTurns.set(
      this.dataSource,
      result.catch(() => undefined),
    );
    return result;
  }
}
