// How values cross into SQL parameters and back. node-postgres turns a JS array into a PostgreSQL
// array literal (not JSON), so every jsonb value is passed as JSON text, explicitly.
import type pg from 'pg'

/** a value for a `$n::jsonb` parameter */
export const json = (value: unknown): string => JSON.stringify(value)

/** the `body` column of each row, in the rows' order */
export const bodies = <T>(result: pg.QueryResult): T[] => result.rows.map(row => row.body as T)

/** The first row's `body`, or null. */
export const firstBody = <T>(result: pg.QueryResult): T | null => result.rows.length > 0 ? result.rows[0].body as T : null

/** An instant as the API writes it (toISOString's format), from a timestamptz column. */
export const isoOf = (value: Date | null | undefined): string | null => value ? value.toISOString() : null

/** true when `err` is a foreign-key violation: the person the row belongs to does not exist (any more). */
export const isMissingOwner = (err: unknown): boolean => (err as { code?: string })?.code === '23503'
