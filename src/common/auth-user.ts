import type { Role } from '../contracts/auth.js';

/** Who is making a request, as proven by their token. The same shape for HTTP and websockets. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  squadId: string | null;
}
