/**
 * How long a regenerated key's predecessor keeps working unless `grace_hours` says otherwise
 * (both regenerate routes), and the most a caller may ask for. A module of its own so the admin
 * page can show the same numbers without importing the database.
 */
export const DEFAULT_GRACE_HOURS = 24;
export const MAX_GRACE_HOURS = 24 * 30;
