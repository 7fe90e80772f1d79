import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { currentPlan, planHistory, setPlan } from '../../../../src/plans/plans.js'
import { PlanBody, PlanHistoryReply, PlanReply } from '../../../../src/plans/plan-schemas.js'
import { errors, ref } from '../../../../src/shared/http-schemas.js'

const plan: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repo } = fastify

  fastify.get('', {
    schema: {
      tags: ['plan'],
      operationId: 'getPlan',
      summary: 'The plan that applies today (the defaults until you set one)',
      response: { 200: ref(PlanReply, 'The plan applying today, and whether it is stored or the default'), ...errors(401, 404) }
    }
  }, async (request) => currentPlan(repo, request.user.id))

  fastify.put('', {
    schema: {
      tags: ['plan'],
      operationId: 'setPlan',
      summary: 'Set your plan from a date on (earlier days keep the plan that applied then)',
      description: 'Omitted fields take their defaults: 4 sessions a week on mon, wed, fri, sat, 06:00–07:30, at least 20 minutes, 1 session a day, from today.',
      body: ref(PlanBody),
      response: { 200: ref(PlanReply, 'The new plan version'), ...errors(400, 401, 404, 413, 415) }
    }
  }, async (request) => ({ plan: await setPlan(repo, request.user.id, request.body), source: 'stored' as const }))

  fastify.get('/history', {
    schema: {
      tags: ['plan'],
      operationId: 'getPlanHistory',
      summary: 'Every version of your plan, by start date',
      response: { 200: ref(PlanHistoryReply, 'The stored versions (none: the defaults apply)'), ...errors(401, 404) }
    }
  }, async (request) => ({ plans: await planHistory(repo, request.user.id) }))
}

export default plan
