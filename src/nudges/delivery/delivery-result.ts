// What one attempt to deliver one nudge through one channel came to. The outbox decides from
// `outcome` alone (done, try again later, give up); `detail` is shown to the user and the operator
// as is, so it names what happened (a status code, an SMTP reply, "connection refused") and never
// carries a secret: no credentials, no signed URL, no webhook address (those often embed a token).

export type DeliveryFailureCode =
  /** the recipient opted out with the provider (an SMS STOP): sending again is not allowed */
  | 'unsubscribed'
  /** the receiving side refused this message for good (a 4xx webhook answer, a 5xx SMTP reply) */
  | 'rejected'
  /** the webhook address resolves to a private, loopback or reserved address */
  | 'unsafe_address'

export type DeliveryResult =
  | { outcome: 'delivered', detail: string }
  | { outcome: 'retry', detail: string, retryAfterMs?: number }
  | { outcome: 'failed', detail: string, code?: DeliveryFailureCode }

export const delivered = (detail: string): DeliveryResult => ({ outcome: 'delivered', detail })

/** `retryAfterMs`: how long the receiving side asked us to wait, when it said so. */
export const retry = (detail: string, retryAfterMs?: number): DeliveryResult =>
  retryAfterMs === undefined ? { outcome: 'retry', detail } : { outcome: 'retry', detail, retryAfterMs }

export const failed = (detail: string, code?: DeliveryFailureCode): DeliveryResult =>
  code === undefined ? { outcome: 'failed', detail } : { outcome: 'failed', detail, code }
