// Nudges by SMS through Twilio's Messages API: one form POST per message, no SDK (one call does
// not need one). The base URL is operator configuration, not user input, so plain fetch, no SSRF
// guard. Twilio answers 201 when it queued the message; it refuses a recipient who replied STOP
// with 400 and error code 21610, which must stop our sending too — not be retried.
// Inbound messages (a user texting STOP or START to our number) reach the service as Twilio
// webhooks: verifyTwilioSignature proves they came from Twilio, isStopKeyword/isStartKeyword read them.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { delivered, failed, retry, type DeliveryResult } from './delivery-result.js'
import { parseRetryAfter } from './retry-after.js'

export interface SmsSenderOptions {
  accountSid: string
  authToken: string
  /** our number (E.164) or a Messaging Service sid */
  from: string
  apiBaseUrl?: string
  timeoutMs: number
}

export interface SmsNudge {
  /** E.164, e.g. +14155550100 */
  to: string
  body: string
}

export interface SmsSender {
  send (message: SmsNudge): Promise<DeliveryResult>
}

/** Twilio error 21610: the recipient replied STOP (https://www.twilio.com/docs/api/errors/21610). */
const UNSUBSCRIBED_RECIPIENT = 21610

interface TwilioAnswer { sid?: unknown, code?: unknown, message?: unknown }

async function readAnswer (response: Response): Promise<TwilioAnswer> {
  try {
    const parsed: unknown = JSON.parse(await response.text())
    return typeof parsed === 'object' && parsed !== null ? parsed as TwilioAnswer : {}
  } catch {
    return {}
  }
}

/** "400, code 21211: Invalid 'To' Phone Number" — Twilio's own words, which say what to fix. */
function describe (status: number, answer: TwilioAnswer): string {
  const code = typeof answer.code === 'number' ? `, code ${answer.code}` : ''
  const message = typeof answer.message === 'string' ? `: ${answer.message.slice(0, 200)}` : ''
  return `Twilio answered ${status}${code}${message}`
}

export function createSmsSender ({ accountSid, authToken, from, apiBaseUrl = 'https://api.twilio.com', timeoutMs }: SmsSenderOptions): SmsSender {
  const endpoint = `${apiBaseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`
  const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`

  return {
    async send ({ to, body }) {
      let response: Response
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({ To: to, From: from, Body: body }).toString(),
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs)
        })
      } catch (err) {
        if ((err as Error).name === 'TimeoutError') return retry(`Twilio did not answer within ${timeoutMs} ms`)
        const code = ((err as { cause?: { code?: string } }).cause)?.code
        return retry(`could not reach Twilio (${code === 'ECONNREFUSED' ? 'connection refused' : code ?? (err as Error).message})`)
      }
      const answer = await readAnswer(response)
      const { status } = response
      if (status >= 200 && status < 300) return delivered(`queued by Twilio as ${typeof answer.sid === 'string' ? answer.sid : 'a message without a sid'}`)
      if (status === 429 || status >= 500) return retry(describe(status, answer), parseRetryAfter(response.headers.get('retry-after'), Date.now()))
      if (answer.code === UNSUBSCRIBED_RECIPIENT) return failed('the recipient has replied STOP to our number; Twilio will not deliver to them until they reply START', 'unsubscribed')
      // Our credentials, not this message: keep it for when the operator fixes them.
      if (status === 401) return retry(describe(status, answer))
      return failed(describe(status, answer), 'rejected')
    }
  }
}

/**
 * Whether a request really came from Twilio: `X-Twilio-Signature` is the base64 HMAC-SHA1, keyed
 * with our auth token, of the full URL Twilio called (scheme, host, path and query, exactly as
 * configured) followed by every POST parameter's name and value, sorted by name.
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security
 */
export function verifyTwilioSignature (authToken: string, fullUrl: string, params: Record<string, string>, signatureHeader: string | undefined): boolean {
  if (typeof signatureHeader !== 'string' || signatureHeader.length === 0) return false
  const signed = Object.keys(params).sort().reduce((data, name) => data + name + params[name], fullUrl)
  // Compared as text: decoding the header first would let base64's leniency accept stray characters.
  const expected = Buffer.from(createHmac('sha1', authToken).update(signed, 'utf8').digest('base64'))
  const given = Buffer.from(signatureHeader)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

// Twilio's default keywords for long codes (help.twilio.com "Twilio support for opt-out keywords
// (SMS STOP filtering)"; the Advanced Opt-Out guide lists the same opt-out words). Twilio acts only
// on a message that is the keyword alone ("STOP PLEASE" does nothing), case-insensitively.
const STOP_KEYWORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'])
const START_KEYWORDS = new Set(['START', 'YES', 'UNSTOP'])

/** A reply with which Twilio opts the sender out: our sending to them is blocked from now on. */
export const isStopKeyword = (text: string): boolean => STOP_KEYWORDS.has(text.trim().toUpperCase())

/** A reply with which Twilio opts the sender back in. */
export const isStartKeyword = (text: string): boolean => START_KEYWORDS.has(text.trim().toUpperCase())
