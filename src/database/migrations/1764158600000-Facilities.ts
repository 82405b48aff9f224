import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Facilities1764158600000 implements MigrationInterface {
  name = 'Facilities1764158600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE areas (
        code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
        name text NOT NULL,
        name_en text,
        lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
        lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180)
      )`);
    await q.query(`
      CREATE TABLE grid_zones (
        code text PRIMARY KEY,
        name text NOT NULL,
        area_code text NOT NULL REFERENCES areas (code),
        grid_workers integer NOT NULL DEFAULT 0 CHECK (grid_workers >= 0)
      )`);
    await q.query(`
      CREATE TABLE facilities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        name_en text,
        type text NOT NULL CHECK (type IN ('neighborhood_center', 'service_station', 'elder_canteen', 'childcare_site',
          'health_station', 'self_service_area', 'day_care_room', 'warm_station')),
        kind text CHECK (kind IN ('urban_community', 'industrial_park', 'traditional_village', 'commercial_market', 'fishing_port')),
        area_code text NOT NULL REFERENCES areas (code),
        grid_zone_code text REFERENCES grid_zones (code),
        lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
        lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
        capacity integer CHECK (capacity >= 0),
        opening_hours text NOT NULL DEFAULT '08:00-20:00',
        parent_id uuid REFERENCES facilities (id),
        emergency_function text,
        mode text NOT NULL DEFAULT 'normal' CHECK (mode IN ('normal', 'emergency')),
        mode_changed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT facilities_kind_only_for_centers CHECK ((type = 'neighborhood_center') OR kind IS NULL),
        CONSTRAINT facilities_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id)
      )`);
    await q.query('CREATE INDEX facilities_area_idx ON facilities (area_code)');
    await q.query('CREATE INDEX facilities_type_idx ON facilities (type)');
    await q.query(`
      CREATE TABLE switchovers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        mode text NOT NULL CHECK (mode IN ('normal', 'emergency')),
        reason text NOT NULL,
        scope jsonb NOT NULL,
        actor_id uuid REFERENCES users (id),
        actor_name text,
        at timestamptz NOT NULL DEFAULT now(),
        switched_count integer NOT NULL,
        unchanged_count integer NOT NULL
      )`);
    await q.query('CREATE INDEX switchovers_at_idx ON switchovers (at)');
    await q.query(`
      CREATE TABLE facility_mode_history (
        id bigserial PRIMARY KEY,
        facility_id uuid NOT NULL REFERENCES facilities (id),
        switchover_id uuid NOT NULL REFERENCES switchovers (id),
        from_mode text NOT NULL,
        to_mode text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_name text,
        reason text NOT NULL
      )`);
    await q.query('CREATE INDEX facility_mode_history_facility_idx ON facility_mode_history (facility_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE facility_mode_history');
    await q.query('DROP TABLE switchovers');
    await q.query('DROP TABLE facilities');
    await q.query('DROP TABLE grid_zones');
    await q.query('DROP TABLE areas');
  }
}
