// A plain yes or no to what the coach just proposed. Closed forms, read by rule: consent must never
// be a statistical guess, and anything more than a plain answer ("yes but not today") is not one.

function plain (message: string): string {
  return message.trim().toLowerCase().replace(/[’‘]/g, "'").replace(/[!.,]+/g, ' ').replace(/\s+/g, ' ').trim()
}

/** "yes", "ok do it", "sure, go ahead" — nothing more. */
export function isConsent (message: string): boolean {
  return /^(?:(?:yes|yeah|yep|yup|y|sure|ok|okay|k|confirm|confirmed|please do|go ahead|do it|book it|send it|sounds good|absolutely|of course|let's do it|yes please)(?: |$))+(?:(?:please|thanks|thank you|coach)(?: |$))*$/.test(plain(message))
}

/** "no", "nope", "don't", "cancel that", "never mind". */
export function isDecline (message: string): boolean {
  return /^(?:(?:no|nope|nah|n|no thanks|no thank you|don't|do not|don't do it|cancel|cancel that|cancel it|never ?mind|forget it|not now|leave it|stop|not really)(?: |$))+(?:(?:please|thanks|thank you)(?: |$))*$/.test(plain(message))
}
