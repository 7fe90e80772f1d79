// One nudge to one user-given webhook address: a signed JSON POST through the SSRF-guarded
// fetcher, and what the answer means for the outbox. A receiver that is down, slow, overloaded or
// asking us to slow down (408, 429, 5xx, no answer) gets the message again later; one that says
// no (another 4xx) or points elsewhere (3xx — never followed: the address the user gave is the one
// that was checked) does not, and the user is told why.
import { UnsafeUrlError, type SafeFetcher } from '../../infra/outbound/safe-fetch.js'
import { delivered, failed, retry, type DeliveryResult } from './delivery-result.js'
import { parseRetryAfter } from './retry-after.js'
import { signWebhook } from './webhook-signature.js'

export const WEBHOOK_USER_AGENT = 'ResolutionAutopilot/1 (+webhook)'

export interface WebhookDelivery {
  url: string
  /** the user's signing secret for this webhook */
  secret: string
  /** the same for every attempt of one nudge, so receivers can drop duplicates */
  deliveryId: string
  payload: object
  /** the signature's timestamp, unix seconds (tests); the clock otherwise */
  nowS?: number
  timeoutMs: number
}

const RETRYABLE_STATUS = new Set([408, 429])

export async function sendWebhook (fetcher: SafeFetcher, { url, secret, deliveryId, payload, nowS, timeoutMs }: WebhookDelivery): Promise<DeliveryResult> {
  const target = URL.parse(url)
  if (!target) return failed('the webhook address is not a valid URL')
  // The address was checked when the user gave it; this is for one that reached the outbox another way.
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return failed('the webhook address must be http:// or https://', 'unsafe_address')
  const timestampS = nowS ?? Math.floor(Date.now() / 1000)
  const rawBody = JSON.stringify(payload)
  const headers = {
    'content-type': 'application/json',
    'user-agent': WEBHOOK_USER_AGENT,
    'x-ra-delivery': deliveryId,
    'x-ra-signature': signWebhook(secret, rawBody, timestampS)
  }
  let answer
  try {
    answer = await fetcher.post(target, rawBody, headers, timeoutMs)
  } catch (err) {
    if (err instanceof UnsafeUrlError) return failed(`the webhook address is not allowed: ${err.message}`, 'unsafe_address')
    // post() throws nothing else but OutboundRequestError: no answer, worth another try
    return retry(`the webhook receiver did not answer: ${(err as Error).message}`)
  }
  const { status } = answer
  if (status >= 200 && status < 300) return delivered(`the webhook receiver answered ${status}`)
  if (status >= 300 && status < 400) return failed(`the address redirects (${status}); give the final address`)
  if (RETRYABLE_STATUS.has(status) || status >= 500) {
    return retry(`the webhook receiver answered ${status}`, parseRetryAfter(answer.headers.get('retry-after'), timestampS * 1000))
  }
  return failed(`the webhook receiver answered ${status}`, 'rejected')
}
