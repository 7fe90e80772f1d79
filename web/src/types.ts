// The API's shapes, from the OpenAPI document the service serves (test/generated/, written by
// `npm run openapi` before every type-check): the browser app cannot drift from the API unseen.
import type { components } from '../../test/generated/openapi.js'

type S = components['schemas']
export type User = S['PublicUser']
export type Workout = S['Workout']
export type HistoryResponse = S['HistoryResponse']
export type Plan = S['Plan']
export type PlanBody = S['PlanBody']
export type Pause = S['Pause']
export type DriftReport = S['DriftReport']
export type CalendarAnalysis = S['CalendarAnalysis']
export type Nudge = S['Nudge']
export type Intervention = S['Intervention']
export type AgentReply = S['AgentReply']
export type Channels = S['Channels']
export type ChannelsBody = S['ChannelsBody']
export type Buddy = S['Buddy']
export type Weekday = Plan['weekdays'][number]
