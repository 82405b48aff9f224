import argon2, { type HashOptions } from 'argon2';
import type { PasswordHashing } from '../config/config.js';

/**
 * The cost of a new hash. `light` is for the test suite only (the config refuses it elsewhere): its
 * hundreds of logins would each spend some 0.2 s in argon2 at full strength. Verifying reads the
 * cost from the stored hash, so either kind of hash is checked the same way.
 */
const ARGON2_OPTIONS: Record<PasswordHashing, HashOptions> = {
  // argon2id with the library's defaults (64 MiB, 3 passes): slow on purpose.
  standard: { type: argon2.argon2id },
  light: { type: argon2.argon2id, memoryCost: 4096, timeCost: 1 },
};

export function hashPassword(plain: string, hashing: PasswordHashing): Promise<string> {
  return argon2.hash(plain, ARGON2_OPTIONS[hashing]);
}

export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false; // a malformed stored hash never lets anyone in
  }
}
