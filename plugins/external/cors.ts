// CORS (@fastify/cors) for the web front end at FRONTEND_URL: credentials allowed (the session
// cookie), and the headers a browser client needs to read (rate limits, cache, request id) exposed.
import fp from 'fastify-plugin'
import cors from '@fastify/cors'

export default fp(async function corsHeaders (fastify) {
  await fastify.register(cors, {
    origin: fastify.config.FRONTEND_URL,
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['content-type', 'x-session-id', 'x-request-id', 'authorization', 'accept'],
    exposedHeaders: ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after', 'x-cache', 'x-request-id'],
    maxAge: 600
  })
}, { name: 'cors', dependencies: ['config'] })
