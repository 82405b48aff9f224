export const ROLES = ['commander', 'squad_leader', 'coordinator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
