// Brings a user file of any earlier schema version up to USER_DOC_VERSION when it is opened.
// Each step takes version n to n+1 and is never edited once shipped: a file written years ago
// must still open. A file from a NEWER version is refused, because rewriting it with this code
// would silently drop fields this code does not know.
import { localDate, localTime } from '../../shared/local-time.js'
import { emptyAgentUsage } from '../user-data.js'
import { USER_DOC_VERSION, type UserDoc } from './user-doc.js'

type Step = (doc: Record<string, any>) => Record<string, any>

const steps: Record<number, Step> = {
  // 0 → 1: files from before versioning (the prototype's shape) had workouts without an audit
  // trail, a recorded zone or a local date, and no idempotency keys.
  0: doc => {
    const account = doc.account ?? {}
    const timezone: string = account.timezone ?? 'UTC'
    const workouts = (doc.workouts ?? []).map((w: Record<string, any>) => {
      const performedAt = w.performed_at ?? w.timestamp ?? w.created_at
      const createdAt = w.created_at ?? performedAt
      return {
        ...w,
        performed_at: performedAt,
        timezone: w.timezone ?? timezone,
        local_date: w.local_date ?? localDate(new Date(performedAt), w.timezone ?? timezone),
        form_quality: w.form_quality ?? 'good',
        created_at: createdAt,
        updated_at: w.updated_at ?? createdAt,
        audit: w.audit ?? [{ at: createdAt, action: 'create' }]
      }
    })
    return {
      ...doc,
      account: { resolution: null, updated_at: account.created_at, ...account, timezone },
      workouts,
      request_keys: doc.request_keys ?? {},
      schema_version: 1
    }
  },
  // 1 → 2: the coach arrives — conversation memory, run traces, usage counters.
  1: doc => ({
    ...doc,
    conversation: doc.conversation ?? [],
    agent_traces: doc.agent_traces ?? [],
    agent_usage: doc.agent_usage ?? emptyAgentUsage(),
    schema_version: 2
  }),
  // 2 → 3: the drift engine arrives — plan versions, pauses, intervention preferences, and each
  // workout's local time of day (read in the zone it was logged in, like its local date).
  2: doc => ({
    ...doc,
    workouts: (doc.workouts ?? []).map((w: Record<string, any>) => ({
      ...w,
      local_time: w.local_time ?? localTime(new Date(w.performed_at), w.timezone ?? doc.account?.timezone ?? 'UTC')
    })),
    plans: doc.plans ?? [],
    pauses: doc.pauses ?? [],
    preferences: doc.preferences ?? null,
    schema_version: 3
  }),
  // 3 → 4: interventions and nudges arrive — channels, the buddy, the inbox, interventions.
  3: doc => ({
    ...doc,
    channels: doc.channels ?? null,
    buddy: doc.buddy ?? null,
    nudges: doc.nudges ?? [],
    interventions: doc.interventions ?? [],
    schema_version: 4
  }),
  // 4 → 5: commitment stakes arrive, with their audit trail.
  4: doc => ({
    ...doc,
    commitments: doc.commitments ?? [],
    commitment_audit: doc.commitment_audit ?? {},
    schema_version: 5
  }),
  // 5 → 6: the autopilot arrives — its settings and the record of its runs.
  5: doc => ({
    ...doc,
    autopilot: doc.autopilot ?? null,
    autopilot_runs: doc.autopilot_runs ?? [],
    schema_version: 6
  })
}

export class NewerSchemaError extends Error {
  override name = 'NewerSchemaError'
}

export function migrateUserDoc (raw: unknown, key: string): { doc: UserDoc, changed: boolean } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(`user file ${key} does not hold a JSON object`)
  }
  let doc = raw as Record<string, any>
  let version: number = typeof doc.schema_version === 'number' ? doc.schema_version : 0
  if (version > USER_DOC_VERSION) {
    throw new NewerSchemaError(`user file ${key} has schema version ${version}, newer than this release understands (${USER_DOC_VERSION}); upgrade the service`)
  }
  const changed = version < USER_DOC_VERSION
  while (version < USER_DOC_VERSION) {
    doc = steps[version](doc)
    version += 1
  }
  return { doc: doc as UserDoc, changed }
}
