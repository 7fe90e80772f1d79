// The wall-clock time of an instant in a zone ("HH:MM", 24 h), beside local-time.ts's dates: the
// drift engine compares when people train with the window they planned.

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor (timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    formatters.set(timeZone, f)
  }
  return f
}

/** HH:MM of `instant` on a wall clock in `timeZone`. */
export function localTimeOfDay (instant: Date, timeZone: string): string {
  const parts = formatterFor(timeZone).formatToParts(instant)
  const get = (type: string) => parts.find(p => p.type === type)!.value
  return `${get('hour')}:${get('minute')}`
}

/** "HH:MM", 00:00–23:59. */
export const LOCAL_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/
