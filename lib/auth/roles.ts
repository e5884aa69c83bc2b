/** Roles (SPEC §1): admin does everything, operator production actions, viewer reads. */
export const roles = ["viewer", "operator", "admin"] as const;
export type Role = (typeof roles)[number];

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}

export function hasRole(actual: Role, required: Role): boolean {
  return rank[actual] >= rank[required];
}
