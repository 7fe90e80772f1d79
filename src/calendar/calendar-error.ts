// A calendar the service cannot read (malformed ICS, an event ending before it starts, an unknown
// zone) is the caller's mistake: a DomainError of kind 'invalid', so the HTTP layer answers 400
// and the coach's tools report it, with a message naming the event and what is wrong with it.
import { DomainError } from '../shared/domain-errors.js'

export class CalendarError extends DomainError {
  override name = 'CalendarError'
  constructor (message: string) {
    super('invalid', message)
  }
}
