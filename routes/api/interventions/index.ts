import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { confirmIntervention, createIntervention, dismissIntervention, giveFeedback, interventionEffectiveness, listInterventions } from '../../../src/interventions/interventions.js'
import { Effectiveness, FeedbackBody, InterventionBody, InterventionListReply, InterventionParams, InterventionReply } from '../../../src/interventions/intervention-schemas.js'
import { errors, rateLimitedResponse, ref } from '../../../src/shared/http-schemas.js'

const interventions: FastifyPluginAsyncTypebox = async (fastify) => {
  const { outreach } = fastify

  fastify.post('', {
    schema: {
      tags: ['interventions'],
      operationId: 'createIntervention',
      summary: 'Start an intervention: a calendar block, a message, a word to your buddy',
      description: 'calendar: a workout block in the next free slot of your calendar analysis, or at details.start; it appears in your calendar feed. ' +
        'message: nudges through your usable channels (or details.channels). social: a message to your confirmed buddy. ' +
        'financial: reminds you of your commitment\'s stake (409 until you have one). ' +
        'When the coach or the autopilot suggests a calendar block or a social message it is only `proposed`: you confirm it (POST /api/interventions/{id}/confirm).',
      body: ref(InterventionBody),
      response: { 201: ref(InterventionReply, 'Created'), 429: rateLimitedResponse(), ...errors(400, 401, 404, 409, 413, 415) }
    }
  }, async (request, reply) => reply.code(201).send({ intervention: await createIntervention(outreach, request.user.id, request.body, { source: 'you' }) }))

  fastify.get('', {
    schema: {
      tags: ['interventions'],
      operationId: 'listInterventions',
      summary: 'Your interventions, newest first, with their measured outcomes',
      description: `An outcome is \`success\` once a workout of at least the plan's minimum is logged within ${'OUTCOME_WINDOW_HOURS'} (24) hours of the intervention (of the block, for a calendar block); \`failed\` once that window passed without one; when several were pending, the latest gets the credit and the earlier ones are \`superseded\`. Paused days stop the window's clock.`,
      response: { 200: ref(InterventionListReply, 'Your interventions'), ...errors(401, 404) }
    }
  }, async (request) => ({ interventions: await listInterventions(outreach, request.user.id) }))

  fastify.get('/effectiveness', {
    schema: {
      tags: ['interventions'],
      operationId: 'interventionEffectiveness',
      summary: 'What has worked for you: outcomes by intervention type and by channel',
      description: 'rate is the mean of a Beta(1,1) prior updated with your outcomes: (1 + successes) / (2 + trials). The drift engine\'s recommendation reads these outcomes.',
      response: { 200: ref(Effectiveness, 'Outcomes so far'), ...errors(401, 404) }
    }
  }, async (request) => interventionEffectiveness(outreach, request.user.id))

  for (const [action, run, summary] of [
    ['confirm', confirmIntervention, 'Consent to a proposed intervention: the block is booked, the message sent'],
    ['dismiss', dismissIntervention, 'Decline a proposed intervention']
  ] as const) {
    fastify.post(`/:intervention_id/${action}`, {
      schema: {
        tags: ['interventions'],
        operationId: `${action}Intervention`,
        summary,
        description: 'Send no body. Only a `proposed` intervention can be answered (409 otherwise).',
        params: InterventionParams,
        response: { 200: ref(InterventionReply, 'The intervention now'), 429: rateLimitedResponse(), ...errors(401, 404, 409) }
      }
    }, async (request) => ({ intervention: await run(outreach, request.user.id, request.params.intervention_id) }))
  }

  fastify.post('/:intervention_id/feedback', {
    schema: {
      tags: ['interventions'],
      operationId: 'interventionFeedback',
      summary: 'Say whether an intervention helped',
      params: InterventionParams,
      body: ref(FeedbackBody),
      response: { 200: ref(InterventionReply, 'The intervention with your feedback'), ...errors(400, 401, 404, 409, 413, 415) }
    }
  }, async (request) => ({ intervention: await giveFeedback(outreach, request.user.id, request.params.intervention_id, request.body.helpful) }))
}

export default interventions
