import { Entity, PrimaryColumn } from 'typeorm';

/**
 * Only so TypeORM knows users.squad_id references squads: the squads table itself is written in SQL
 * migrations (synchronize: false keeps migration:generate away from it).
 */
@Entity('squads', { synchronize: false })
export class SquadRef {
  @PrimaryColumn('uuid')
  id: string;
}
