const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path or query value is a server id (a UUID) rather than a human number such as ORD-2026-000123. */
export const isUuid = (value: string): boolean => UUID.test(value);
