/** Database ints and Dates -> the wire's string ids and ISO strings. */
export const idOut = (id: number | bigint): string => String(id);
export const isoOut = (d: Date): string => d.toISOString();
export const isoOrNull = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** A validated wire id (shared `Id` schema) -> the integer key. */
export const idIn = (id: string): number => Number(id);
