import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { splitRows } from '../database/split-rows';

/** SQLITE_MAX_VARIABLE_NUMBER of SQLite ≥ 3.32 (better-sqlite3 12 bundles a newer one): bind variables per statement. */
const SQLITE_MAX_VARIABLES = 32_766;
/** MySQL's limit of placeholders in a prepared statement; TypeORM inlines values, but stay portable. */
const MYSQL_MAX_VARIABLES = 65_535;
/** SQLite's own statement length limit is 1 GB; keep statements of a sane size anyway. */
const SQLITE_MAX_BYTES = 16 * 1024 * 1024;

/**
 * How big one multi-row statement may get on this database: SQLite counts bind variables, MySQL counts bytes
 * (`max_allowed_packet`, read from the server once). A statement past either fails the same way every time, so
 * callers split their rows with `chunks` instead.
 */
@Injectable()
export class StatementLimits {
  private packetBytes?: Promise<number>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `rows` split so that no statement exceeds the variables or (half the) packet size; each chunk keeps row order. */
  async chunks<T>(rows: T[], variablesPerRow: number, bytesOf: (row: T) => number): Promise<T[][]> {
    const mysql = this.dataSource.options.type === 'mysql';
    const maxVariables = mysql ? MYSQL_MAX_VARIABLES : SQLITE_MAX_VARIABLES;
    // Half the packet: escaping and the statement's own text come on top of the estimate.
    const maxBytes = mysql ? (await this.maxPacketBytes()) / 2 : SQLITE_MAX_BYTES;
    return splitRows(rows, Math.max(1, Math.floor(maxVariables / variablesPerRow)), maxBytes, bytesOf);
  }

  private maxPacketBytes(): Promise<number> {
    this.packetBytes ??= this.dataSource
      .query('SELECT @@max_allowed_packet AS bytes')
      .then((rows: Array<{ bytes: number | string }>) => Number(rows[0].bytes));
    return this.packetBytes;
  }
}
