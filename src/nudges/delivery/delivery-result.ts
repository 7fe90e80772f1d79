// What one delivery attempt through one channel came to.
export type DeliveryResult =
  | { outcome: 'delivered', detail: string }
  | { outcome: 'retry', detail: string, retryAfterMs?: number }
  | { outcome: 'failed', detail: string, code?: 'unsubscribed' | 'rejected' | 'unsafe_address' }
