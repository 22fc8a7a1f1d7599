import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';

/** The DataSource the TypeORM CLI uses (`npm run migration:run` / `migration:revert`). */
export default new DataSource({ ...buildDataSourceOptions(loadConfig().database), migrationsRun: false });
