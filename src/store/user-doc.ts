// The shape of one user's file. Everything the service holds about a person lives in this one
// document, so a per-user read or write never touches another user's data (cost independent of
// how many users exist) and "export" / "delete my account" are one file each.
// Bump USER_DOC_VERSION and add a step to migrate-user-doc.ts whenever this shape changes.

export const USER_DOC_VERSION = 1

export type FormQuality = 'excellent' | 'good' | 'fair' | 'needs_improvement'

export interface Account {
  id: string
  username: string
  /** scrypt$N$r$p$salt$hash — never leaves the service */
  password_hash: string
  /** IANA zone name; decides every "day" the user sees */
  timezone: string
  resolution: string | null
  created_at: string
  updated_at: string
}

export interface AuditEntry {
  at: string
  action: 'create' | 'update' | 'delete'
  /** field → {from, to}; present on updates */
  changes?: Record<string, { from: unknown, to: unknown }>
}

export interface WorkoutRecord {
  workout_id: string
  user_id: string
  exercise_type: string
  duration_minutes: number
  reps?: number
  sets?: number
  form_quality: FormQuality
  notes?: string
  /** instant in UTC, ISO 8601 */
  performed_at: string
  /** YYYY-MM-DD in `timezone`, fixed when logged */
  local_date: string
  /** the user's zone when this workout was logged */
  timezone: string
  request_id?: string
  created_at: string
  updated_at: string
  /** set when deleted: the record stays (without showing in history) so the audit trail survives */
  deleted_at?: string
  audit: AuditEntry[]
}

/** Remembers an idempotent request so a retry returns the original answer. */
export interface RequestKey {
  request_id: string
  fingerprint: string
  workout_id: string
  /** the body first sent for this request id */
  response: unknown
  created_at: string
}

export interface UserDoc {
  schema_version: number
  account: Account
  workouts: WorkoutRecord[]
  request_keys: Record<string, RequestKey>
}
