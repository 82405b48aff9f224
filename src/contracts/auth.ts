// Who someone is, as every client sees it.
export const ROLES = ['commander', 'squad_leader', 'coordinator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in user (`POST /api/auth/login` → `user`, `GET /api/auth/me`). */
export interface SessionUser {
  id: string;
  username: string;
  role: Role;
  squadId?: string | null;
}

export interface LoginResult {
  accessToken: string;
  user: SessionUser;
}
