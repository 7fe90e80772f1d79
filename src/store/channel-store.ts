// The store part for where nudges may go: the person's channels and their accountability buddy.
import type { StoredBuddy, StoredChannels } from '../nudges/channel-schemas.js'

/** Every `change` or `admit` function may run more than once (a store may try it on a copy first): it must be
 * deterministic and free of side effects — draw ids and secrets before calling. A `change` refuses by throwing. */
export interface ChannelStore {
  /** null when none set yet (the defaults apply) */
  getChannels (userId: string): Promise<StoredChannels | null>
  /** applies `change` to the stored (or default) channels in one transaction; null when no such user */
  updateChannels<R> (userId: string, change: (channels: StoredChannels) => R): Promise<R | null>
  getBuddy (userId: string): Promise<StoredBuddy | null>
  /** `change` returns the new buddy (or null to remove); null when no such user */
  updateBuddy<R> (userId: string, change: (buddy: StoredBuddy | null) => { buddy: StoredBuddy | null, result: R }): Promise<R | null>
}
