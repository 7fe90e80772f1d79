// Copies every person from one store to another (npm run db:import / db:export). Idempotent: a
// person already in the target is skipped, so a second run copies nothing. After a person is
// restored, the due work that lives outside their data is queued again in the target, through the
// same domain functions the service uses: their undelivered nudges, and their commitments' next
// judgement.
import { settleCommitments } from '../commitments/commitments.js'
import type { Repository } from './repository.js'
import type { UserTransfer } from './user-transfer.js'

export interface MoveReport {
  users_copied: number
  rows_copied: number
  /** already in the target (same id): left as they were */
  users_skipped: number
  /** the username belongs to someone else in the target: not copied */
  username_conflicts: string[]
}

const PENDING = new Set(['queued', 'scheduled', 'retrying'])

export async function moveUsers (from: UserTransfer, to: UserTransfer, target: Repository, now = new Date()): Promise<MoveReport> {
  const report: MoveReport = { users_copied: 0, rows_copied: 0, users_skipped: 0, username_conflicts: [] }
  for await (const userId of from.listUserIds()) {
    const user = await from.readUser(userId)
    if (user === null) continue
    const result = await to.restoreUser(user)
    if (!result.restored) {
      if (result.reason === 'exists') report.users_skipped++
      else report.username_conflicts.push(user.data.account.username)
      continue
    }
    report.users_copied++
    report.rows_copied += result.rows
    for (const nudge of user.data.nudges) {
      if (!PENDING.has(nudge.status)) continue
      await target.enqueueDelivery({ nudge_id: nudge.nudge_id, user_id: userId, due_at: nudge.scheduled_for ?? now.toISOString(), enqueued_at: now.toISOString() })
    }
    if (user.data.commitments.length > 0) await settleCommitments(target, userId, now)
  }
  return report
}
