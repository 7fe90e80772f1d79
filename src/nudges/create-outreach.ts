// Builds the Outreach from configuration: SMTP and Twilio when the operator configured them
// (otherwise those channels are refused with a message naming what is missing), webhooks through
// the SSRF-guarded fetcher. Used by the service (plugins/app/nudges.ts) and the CLI alike.
import { publicBaseUrl, type Config } from '../config.js'
import type { SafeFetcher } from '../infra/outbound/safe-fetch.js'
import { createEmailSender } from './delivery/email-sender.js'
import { createSmsSender } from './delivery/sms-sender.js'
import { sendWebhook } from './delivery/webhook-sender.js'
import type { Outreach, OutreachRepo } from './outreach.js'

export interface CreatedOutreach {
  outreach: Outreach
  close (): Promise<void>
}

export function createOutreach (config: Config, repo: OutreachRepo, fetcher: SafeFetcher, kick: () => void = () => {}): CreatedOutreach {
  const timeoutMs = config.NUDGE_WEBHOOK_TIMEOUT_MS
  const email = config.SMTP_URL && config.SMTP_FROM
    ? createEmailSender({ smtpUrl: config.SMTP_URL, from: config.SMTP_FROM, connectionTimeoutMs: timeoutMs, greetingTimeoutMs: timeoutMs, socketTimeoutMs: timeoutMs * 2 })
    : null
  const sms = config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN && config.TWILIO_FROM
    ? createSmsSender({ accountSid: config.TWILIO_ACCOUNT_SID, authToken: config.TWILIO_AUTH_TOKEN, from: config.TWILIO_FROM, apiBaseUrl: config.TWILIO_API_BASE_URL, timeoutMs })
    : null
  const outreach: Outreach = {
    repo,
    email,
    sms,
    webhook: { send: (target, deliveryId, payload) => sendWebhook(fetcher, { url: target.url, secret: target.secret, deliveryId, payload, timeoutMs }) },
    fetcher,
    links: { baseUrl: publicBaseUrl(config), secret: config.SESSION_SECRET },
    outcomeWindowHours: config.OUTCOME_WINDOW_HOURS,
    kick
  }
  return { outreach, close: async () => { await email?.close() } }
}
