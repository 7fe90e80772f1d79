// The store part for plans, pauses and intervention preferences.
import type { Pause, Plan, Preferences } from '../plans/plan-schemas.js'

export interface PlanStore {
  /** every stored version, in the order they were stored */
  listPlans (userId: string): Promise<readonly Plan[]>
  /** false when no such user */
  addPlan (userId: string, plan: Plan): Promise<boolean>
  listPauses (userId: string): Promise<readonly Pause[]>
  /**
   * Adds `pause` unless `conflict` finds one it overlaps among the stored pauses (checked inside the
   * same transaction, so two overlapping requests cannot both get in). null when no such user.
   */
  addPause (userId: string, pause: Pause, conflict: (existing: readonly Pause[]) => Pause | undefined): Promise<{ added: true } | { conflict: Pause } | null>
  /** false when there is no such pause */
  deletePause (userId: string, pauseId: string): Promise<boolean>
  /** null when none stored (the defaults apply) */
  getPreferences (userId: string): Promise<Preferences | null>
  /** applies `change` to the stored (or default) preferences; null when no such user */
  updatePreferences (userId: string, change: (current: Preferences) => Preferences): Promise<Preferences | null>
}
