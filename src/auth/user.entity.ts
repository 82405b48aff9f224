import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { SquadRef } from './squad-ref.entity.js';
import type { Role } from '../contracts/auth.js';

@Entity('users')
@Check('users_role_check', `role IN ('commander', 'squad_leader', 'coordinator', 'viewer', 'site_manager')`)
@Check('users_squad_only_for_leaders', `squad_id IS NULL OR role = 'squad_leader'`)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  username: string;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash: string;

  @Column({ type: 'text' })
  role: Role;

  /** The squad a squad leader acts for; null for every other role. */
  @Column({ name: 'squad_id', type: 'uuid', nullable: true })
  squadId: string | null;

  @ManyToOne(() => SquadRef, { nullable: true })
  @JoinColumn({ name: 'squad_id', foreignKeyConstraintName: 'users_squad_id_fkey' })
  squad?: SquadRef | null;

  @Column({ name: 'is_demo', type: 'boolean', default: false })
  isDemo: boolean;

  /** Set while the account is disabled: no login, no token, no socket. */
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  /** Raised when the user's tokens must stop working (disabling); every token carries the version it was issued at. */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
