// The OpenAPI 3 document is generated from the routes' TypeBox schemas (one source for
// validation, serialization and docs); Swagger UI serves it at /documentation. It is a contract:
// `npm run lint:openapi` (Redocly's recommended rules, redocly.yaml) must find nothing in it, and
// test/openapi-client.test.ts drives the service through a client generated from it.
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { SESSION_COOKIE, SESSION_HEADER } from '../../src/infra/sessions/session-store.js'

export default fp(async function docs (fastify) {
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Resolution Autopilot API',
        description: 'Set a resolution, log workouts, and let the coach keep you on track. Log in (POST /api/auth/login) and send the returned `sessionId` as the `sessionId` cookie or the `x-session-id` header.',
        version: '0.1.0',
        // package.json's "license": no right to use it is granted; the url says what that means.
        license: { name: 'UNLICENSED', url: 'https://docs.npmjs.com/cli/v11/configuring-npm/package-json#license' }
      },
      // Relative: the API is served by the host that serves this document.
      servers: [{ url: '/', description: 'this service' }],
      components: {
        securitySchemes: {
          sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          sessionHeader: { type: 'apiKey', in: 'header', name: SESSION_HEADER }
        }
      },
      security: [{ sessionCookie: [] }, { sessionHeader: [] }],
      tags: [
        { name: 'auth', description: 'Accounts and sessions' },
        { name: 'me', description: 'Your profile, password, export and deletion' },
        { name: 'workout', description: 'Logging and reviewing workouts' },
        { name: 'plan', description: 'Your plan, pauses and the interventions you accept: what "on track" means' },
        { name: 'calendar', description: 'Your calendar against your plan: conflicts and free slots' },
        { name: 'nudges', description: 'Channels (webhook, email, SMS), consent, your buddy, and nudges with their delivery status' },
        { name: 'interventions', description: 'Calendar blocks, messages, your buddy: proposed, confirmed, and measured' },
        { name: 'commitments', description: 'Stakes judged from your workouts: milestones, audit trail (bookkeeping, not payments)' },
        { name: 'autopilot', description: 'The coach acting on its own before a session is lost: settings, and why it did or did not act' },
        { name: 'agent', description: 'The coach: conversation, traces' },
        { name: 'health', description: 'Service status' }
      ]
    },
    // The named schemas (plugins/app/validation.ts) keep their `$id` as their name under
    // components.schemas (the default would be def-0, def-1, …).
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => typeof json.$id === 'string' ? json.$id : `def-${i}`
    }
  })
  await fastify.register(swaggerUi, { routePrefix: '/documentation', staticCSP: false })
}, { name: 'swagger' })
