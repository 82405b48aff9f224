import { SquadRef } from './auth/squad-ref.entity.js';
import { User } from './auth/user.entity.js';

/**
 * Every entity, listed explicitly: globs do not survive the ESM build and the CLI equally well. Listed
 * here, beside the app module, so database/ depends on no feature; the app and the TypeORM CLI both
 * hand this list to dataSourceOptions.
 */
export const ENTITIES = [User, SquadRef];
