// A change the coach proposed and the person has not yet agreed to: correct or delete a workout,
// pause the plan, change the plan. It is kept on the trace of the run that proposed it (so it is
// per person, server-side, and visible in GET /api/agent/traces) and only the NEXT message can act
// on it: a plain yes carries it out, a no drops it, anything else leaves it behind for good.
import { Type, type Static } from 'typebox'

export const ProposalKind = Type.Enum(['correct_workout', 'delete_workout', 'pause', 'plan'])

export const Proposal = Type.Object({
  kind: ProposalKind,
  /** what will happen, in words the person reads before saying yes */
  description: Type.String(),
  /** the validated arguments the change will be made with */
  arguments: Type.Record(Type.String(), Type.Unknown())
}, { description: 'a change waiting for your yes (only your next message can confirm it)' })
export type Proposal = Static<typeof Proposal>
