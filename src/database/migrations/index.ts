import { Users1764158400000 } from './1764158400000-Users.js';

/** Every migration in order. `npm run migration:generate` writes new ones here: add them to this list. */
export const MIGRATIONS = [Users1764158400000];
