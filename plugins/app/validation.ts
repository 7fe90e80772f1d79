// Validation per request part (rules in src/shared/validator.ts): Fastify's default Ajv coerces
// types ("30" → 30, true → 1) and silently strips unknown properties — right for query strings,
// wrong for JSON bodies.
//
// And the named schemas: each registered here, once, for the whole app (fastify.addSchema). Routes
// use them through ref() (a `$ref`); the serializers and the OpenAPI document resolve it against
// the app's schemas, and so do the validators below, as Fastify's own compiler would. In the
// document each one appears once, under components.schemas, by its `$id`.
import fp from 'fastify-plugin'
import type { TSchema } from 'typebox'
import type { Ajv, ValidateFunction } from 'ajv'
import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import { coercingAjv, describeValidationError, strictAjv } from '../../src/shared/validator.js'
import { ErrorResponse, RateLimited } from '../../src/shared/http-schemas.js'
import { PublicUser, SessionReply, UserReply } from '../../src/accounts/account-schemas.js'
import {
  AuditEntry, CommitmentAnalysis, HistoryResponse, LogWorkoutBody, LogWorkoutResponse, PatchWorkoutBody, Workout, WorkoutRecord,
  WorkoutStats, WorkoutWithAudit
} from '../../src/workouts/workout-schemas.js'
import { AgentReply, AgentRequest, AgentTrace } from '../../src/agent/agent-schemas.js'
import { Pause, PauseBody, Plan, PlanBody, PlanHistoryReply, PlanReply, Preferences, PreferencesBody } from '../../src/plans/plan-schemas.js'
import { DriftReport, DriftSignal, SafetyBuffer, WeeklySummary } from '../../src/drift/drift-schemas.js'
import { CalendarAnalysis, CalendarImportReply, CalendarJsonBody } from '../../src/calendar/calendar-schemas.js'
import { HealthResponse, PerformanceResponse, TargetsReport } from '../../src/infra/telemetry/performance-schemas.js'

/** Operational routes compiled at start-up, not on first use (see below). */
const EAGER_ROUTES = new Set(['/health', '/metrics'])

import { Buddy, BuddyBody, BuddyReply, Channels, ChannelsBody, ChannelsReply, ConfirmContactBody, QuietHours, TestChannelBody } from '../../src/nudges/channel-schemas.js'
import { MarkNudgeBody, Nudge, NudgeBody, NudgeListReply, NudgeReply } from '../../src/nudges/nudge-schemas.js'
import { CalendarInterventionBody, Effectiveness, FeedbackBody, FinancialInterventionBody, Intervention, InterventionBody, MessageInterventionBody, SocialInterventionBody, InterventionListReply, InterventionReply } from '../../src/interventions/intervention-schemas.js'

import { Commitment, CommitmentAuditReply, CommitmentBody, CommitmentListReply, CommitmentReply, CommitmentTermsChange, Milestone } from '../../src/commitments/commitment-schemas.js'
import { AutopilotReply, AutopilotRun, AutopilotRunsReply, AutopilotSettings, AutopilotSettingsBody } from '../../src/autopilot/autopilot-schemas.js'
export const NAMED_SCHEMAS: readonly TSchema[] = [
  ErrorResponse, RateLimited,
  PublicUser, SessionReply, UserReply,
  LogWorkoutBody, PatchWorkoutBody, Workout, AuditEntry, WorkoutWithAudit, WorkoutRecord, WorkoutStats, CommitmentAnalysis,
  LogWorkoutResponse, HistoryResponse,
  AgentRequest, AgentReply, AgentTrace,
  TargetsReport, HealthResponse, PerformanceResponse,
  Plan, PlanBody, PlanReply, PlanHistoryReply, Pause, PauseBody, Preferences, PreferencesBody,
  DriftSignal, SafetyBuffer, DriftReport, WeeklySummary,
  CalendarJsonBody, CalendarImportReply, CalendarAnalysis,
  QuietHours, ChannelsBody, Channels, ChannelsReply, ConfirmContactBody, TestChannelBody, BuddyBody, Buddy, BuddyReply,
  NudgeBody, Nudge, NudgeReply, NudgeListReply, MarkNudgeBody,
  CalendarInterventionBody, MessageInterventionBody, FinancialInterventionBody, SocialInterventionBody, InterventionBody, Intervention, InterventionReply, InterventionListReply, FeedbackBody, Effectiveness,
  CommitmentBody, CommitmentTermsChange, Milestone, Commitment, CommitmentReply, CommitmentListReply, CommitmentAuditReply,
  AutopilotSettings, AutopilotSettingsBody, AutopilotReply, AutopilotRun, AutopilotRunsReply
]

export default fp(async function validation (fastify) {
  for (const schema of NAMED_SCHEMAS) fastify.addSchema(schema)

  // The Ajv instances are shared by every app in the process (and by the coach's tools): a schema
  // is added to them the first time it is needed.
  const withSharedSchemas = (ajv: Ajv): Ajv => {
    for (const [id, schema] of Object.entries(fastify.getSchemas())) {
      if (!ajv.getSchema(id)) ajv.addSchema(schema as object)
    }
    return ajv
  }
  // Validators and serializers are compiled when their route is first used, not at start-up:
  // compiling every route's (Ajv, fast-json-stringify) was ~1.2 s of a ~3 s start. A schema
  // mistake still shows at once in the tests, which exercise every route.
  fastify.setValidatorCompiler(({ schema, httpPart, url }) => {
    let compiled: ValidateFunction | undefined
    const compile = () => (compiled ??= withSharedSchemas(httpPart === 'body' ? strictAjv : coercingAjv).compile(schema as object))
    if (EAGER_ROUTES.has(url)) compile()
    const validate = (data: unknown) => {
      const valid = compile()(data)
      validate.errors = compile().errors
      return valid
    }
    validate.errors = null as ValidateFunction['errors']
    return validate as any
  })
  const buildSerializer = SerializerSelector()
  fastify.setSerializerCompiler(route => {
    let serialize: ((data: unknown) => string) | undefined
    const compile = () => (serialize ??= buildSerializer(fastify.getSchemas(), {})(route as any) as (data: unknown) => string)
    // Routes a load balancer or scraper calls first must answer at once: compiled now. (At this
    // point every named schema has been added: routes are registered after this plugin's schemas.)
    if (EAGER_ROUTES.has(route.url)) compile()
    return (data: unknown) => compile()(data)
  })
  fastify.setSchemaErrorFormatter((errors, dataVar) => new Error(describeValidationError(errors as any, dataVar)))
}, { name: 'validation' })
