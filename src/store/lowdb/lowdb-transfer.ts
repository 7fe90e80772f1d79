// The embedded store's side of moving people (user-transfer.ts).
import { countRecords, type MovedUser, type RestoreResult, type UserTransfer } from '../user-transfer.js'
import type { LowdbRepository } from './lowdb-repository.js'

export function lowdbTransfer (repo: LowdbRepository): UserTransfer {
  return {
    listUserIds: () => repo.userIds(),

    async readUser (userId: string): Promise<MovedUser | null> {
      const data = await repo.exportUser(userId)
      if (data === null) return null
      return { data, calendar: await repo.getCalendar(userId), checkpoint: await repo.getQueuedCheckpoint(userId) }
    },

    async restoreUser (user: MovedUser): Promise<RestoreResult> {
      const outcome = await repo.restoreUserDoc(user.data)
      if (outcome !== 'restored') return { restored: false, reason: outcome }
      const id = user.data.account.id
      if (user.calendar) await repo.setCalendar(id, user.calendar)
      if (user.checkpoint) await repo.scheduleCheckpoint(id, user.checkpoint)
      return { restored: true, rows: countRecords(user) }
    }
  }
}
