// Security headers (helmet) and CORS for the web front end. The CSP lets Swagger UI's own
// scripts and styles run at /documentation and nothing else.
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import cors from '@fastify/cors'

export default fp(async function security (fastify) {
  await fastify.register(helmet, (instance: any) => ({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...(instance.swaggerCSP?.script ?? [])],
        styleSrc: ["'self'", ...(instance.swaggerCSP?.style ?? [])],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Helmet's default would make browsers fetch Swagger UI's assets over https even when the
        // service is plain HTTP on a LAN address (a blank page).
        upgradeInsecureRequests: null
      }
    }
  }))
  await fastify.register(cors, {
    origin: fastify.config.FRONTEND_URL,
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['content-type', 'x-session-id', 'x-request-id', 'authorization', 'accept'],
    exposedHeaders: ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after', 'x-cache', 'x-request-id'],
    maxAge: 600
  })
}, { name: 'security', dependencies: ['config', 'swagger'] })
