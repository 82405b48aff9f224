// The data source the TypeORM CLI loads (migration:run / revert / generate): the same options as the
// app, on DATABASE_URL or on the embedded database under PGLITE_DIR (stop the app first: one process
// per data folder).
import { loadConfig } from '../config/config.js';
import { AppDataSource, dataSourceOptions } from '../database/data-source-options.js';
import { openEmbeddedPostgres } from '../database/embedded.js';
import { ENTITIES } from '../entities.js';

const config = loadConfig();
const embedded = config.databaseUrl ? undefined : await openEmbeddedPostgres(config.pgliteDir);

export default new AppDataSource(dataSourceOptions(config, ENTITIES, embedded), embedded);
