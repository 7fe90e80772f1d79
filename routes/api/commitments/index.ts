import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { cancelCurrentCommitment, changeCurrentTerms, commitmentAudit, createCommitment, currentCommitment, listCommitments } from '../../../src/commitments/commitments.js'
import { CommitmentAuditReply, CommitmentBody, CommitmentListReply, CommitmentParams, CommitmentReply, CommitmentTermsChange } from '../../../src/commitments/commitment-schemas.js'
import { errors, ref } from '../../../src/shared/http-schemas.js'

const commitments: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repo } = fastify

  fastify.post('', {
    schema: {
      tags: ['commitments'],
      operationId: 'createCommitment',
      summary: 'Put something at stake: a commitment judged from your workouts',
      description: 'The plan\'s sessions per week, minimum minutes and sessions per day, and your time zone, are copied in and frozen. ' +
        'Each milestone is judged by the service after its last day (your zone) plus a 24-hour grace for late logging: workouts in its period count if they were logged within the grace of when they were done. ' +
        'A missed milestone forfeits the stake; all met completes it, with the bonus. Money is bookkeeping in integer minor units: nothing is charged. One open commitment at a time (409).',
      body: ref(CommitmentBody),
      response: { 201: ref(CommitmentReply, 'Created (scheduled, or active if it starts today)'), ...errors(400, 401, 404, 409, 413, 415) }
    }
  }, async (request, reply) => reply.code(201).send({ commitment: await createCommitment(repo, request.user.id, request.body) }))

  fastify.get('', {
    schema: {
      tags: ['commitments'],
      operationId: 'listCommitments',
      summary: 'Every commitment you made, newest first, with outcomes and amounts',
      response: { 200: ref(CommitmentListReply, 'Your commitments'), ...errors(401, 404) }
    }
  }, async (request) => ({ commitments: await listCommitments(repo, request.user.id) }))

  fastify.get('/current', {
    schema: {
      tags: ['commitments'],
      operationId: 'getCurrentCommitment',
      summary: 'Your open commitment: milestones, progress toward the next deadline, what is at risk',
      response: { 200: ref(CommitmentReply, 'The open commitment'), ...errors(401, 404) }
    }
  }, async (request) => ({ commitment: await currentCommitment(repo, request.user.id) }))

  fastify.patch('/current', {
    schema: {
      tags: ['commitments'],
      operationId: 'changeCommitmentTerms',
      summary: 'Change the terms: harder any time, easier not within 7 days of the next deadline',
      body: ref(CommitmentTermsChange),
      response: { 200: ref(CommitmentReply, 'The commitment with its new terms'), ...errors(400, 401, 404, 409, 413, 415) }
    }
  }, async (request) => ({ commitment: await changeCurrentTerms(repo, request.user.id, request.body) }))

  fastify.delete('/current', {
    schema: {
      tags: ['commitments'],
      operationId: 'cancelCommitment',
      summary: 'Cancel the open commitment — only before it starts',
      response: { 200: ref(CommitmentReply, 'Cancelled'), ...errors(401, 404, 409) }
    }
  }, async (request) => ({ commitment: await cancelCurrentCommitment(repo, request.user.id) }))

  fastify.get('/:commitment_id/audit', {
    schema: {
      tags: ['commitments'],
      operationId: 'commitmentAudit',
      summary: 'The append-only audit trail of a commitment, with the evidence of each judgement',
      params: CommitmentParams,
      response: { 200: ref(CommitmentAuditReply, 'Oldest first'), ...errors(401, 404) }
    }
  }, async (request) => ({ audit: [...await commitmentAudit(repo, request.user.id, request.params.commitment_id)] }))
}

export default commitments
