import { SquadRef } from '../auth/squad-ref.entity.js';
import { User } from '../auth/user.entity.js';

/** Every entity, listed explicitly: globs do not survive the ESM build and the CLI equally well. */
export const ENTITIES = [User, SquadRef];
