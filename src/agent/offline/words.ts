// The offline coach's words: dates, counts and lists written the same way in every answer (fixed
// English names, not the host's locale), so answers are deterministic.


export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** "Wednesday 7 January" for a local YYYY-MM-DD date (fixed English names, not the host's locale). */
export function dayName (date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`
}

/** "1 workout", "2 more sessions": the last word takes the plural. */
export function count (n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

export function list (items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

export function sentence (text: string): string {
  const trimmed = text.trim()
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

export function lowerFirst (text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

/** "pushups (3 sets of 10)" — what the person said they did, with the counts they gave. */
export function describeWorkout (type: string, counts: { sets?: number, reps?: number }): string {
  const { sets, reps } = counts
  if (sets !== undefined && reps !== undefined) return `${type} (${sets} sets of ${reps})`
  if (sets !== undefined) return `${type} (${count(sets, 'set')})`
  if (reps !== undefined) return `${type} (${count(reps, 'rep')})`
  return type
}

export function slotText (slot: { start: string, end: string }, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(slot.start))
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  return `${day} ${time.format(new Date(slot.start))}–${time.format(new Date(slot.end))}`
}
