// detectPatterns for one user, from the store and the clock — what GET /api/patterns and the
// coach's detectPatterns tool both call.
import { detectPatterns } from './detect-patterns.js'
import type { DriftReport } from './drift-types.js'
import { gatherEngineInput, type DriftRepo } from './gather-engine-input.js'

export async function userPatterns (repo: DriftRepo, userId: string, now = new Date(), outcomeWindowHours?: number): Promise<DriftReport> {
  return detectPatterns(await gatherEngineInput(repo, userId, now, outcomeWindowHours))
}
