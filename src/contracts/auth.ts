// Who someone is, as every client sees it.
/** `site_manager`: bound to one or more facilities (user_facilities); acts only on those sites. */
export const ROLES = ['commander', 'squad_leader', 'coordinator', 'viewer', 'site_manager'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in user (`POST /api/auth/login` → `user`, `GET /api/auth/me`). */
export interface SessionUser {
  id: string;
  username: string;
  role: Role;
  squadId?: string | null;
}

export interface LoginResult {
  /** Short-lived (JWT_TTL): send as Authorization: Bearer <token>. */
  accessToken: string;
  /** Seconds until accessToken expires. */
  expiresIn: number;
  /** Opaque, single use: POST /api/auth/refresh {refreshToken} gives a new pair (REFRESH_TTL). */
  refreshToken: string;
  user: SessionUser;
}

/** `POST /api/auth/refresh` → a new pair; the refresh token sent is used up. */
export type RefreshResult = LoginResult;
