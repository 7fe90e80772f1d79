// What the rest of the service may ask of storage, split into one part per feature (accounts,
// workouts, the coach — drift, calendar, nudges… add theirs), so a domain function asks only for
// the part it uses, and a second store (PostgreSQL) can be written part by part. One object may
// implement them all: today's LowDB store does (lowdb/lowdb-repository.ts).
import type { AccountStore } from './account-store.js'
import type { CoachStore } from './coach-store.js'
import type { PlanStore } from './plan-store.js'
import type { CalendarStore } from './calendar-store.js'
import type { WorkoutStore } from './workout-store.js'
import type { ChannelStore } from './channel-store.js'
import type { NudgeStore, OutboxStore } from './nudge-store.js'
import type { InterventionStore } from './intervention-store.js'
import type { CommitmentStore } from './commitment-store.js'
import type { AutopilotStore } from './autopilot-store.js'

export interface StoreStatus {
  kind: string
  writable: boolean
  [detail: string]: unknown
}

/** Every store part, plus the store's own lifecycle. */
export interface Repository extends AccountStore, WorkoutStore, CoachStore, PlanStore, CalendarStore,
  ChannelStore, NudgeStore, OutboxStore, InterventionStore, CommitmentStore, AutopilotStore {
  status (): StoreStatus
  close (): Promise<void>
}
