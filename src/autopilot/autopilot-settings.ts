// The autopilot's settings: on by default, in-app only until the person adds a channel they set
// up and confirmed — it never reaches outside the app unless they put that channel here.
import { getAccount } from '../accounts/accounts.js'
import { missingForChannel } from '../nudges/channels.js'
import type { Outreach } from '../nudges/outreach.js'
import { conflict, notFound } from '../shared/domain-errors.js'
import type { Repository } from '../store/repository.js'
import { DEFAULT_AUTOPILOT, type AutopilotSettings, type AutopilotSettingsBody } from './autopilot-schemas.js'

export async function getAutopilotSettings (repo: Repository, userId: string): Promise<AutopilotSettings> {
  await getAccount(repo, userId)
  return (await repo.getAutopilotSettings(userId)) ?? structuredClone(DEFAULT_AUTOPILOT)
}

export async function updateAutopilotSettings (repo: Repository, outreach: Pick<Outreach, 'email' | 'sms'>, userId: string, body: AutopilotSettingsBody): Promise<AutopilotSettings> {
  await getAccount(repo, userId)
  if (body.channels) {
    const channels = await repo.getChannels(userId)
    const missing = body.channels.map(c => missingForChannel(c, channels, outreach)).filter((m): m is string => m !== null)
    if (missing.length > 0) throw conflict(`The autopilot can only use channels you set up and confirmed. ${missing.join(' ')}`)
  }
  const updated = await repo.updateAutopilotSettings(userId, current => ({ ...current, ...body }))
  if (!updated) throw notFound('Your account no longer exists.')
  return updated
}
