// Security headers (@fastify/helmet). The CSP lets Swagger UI's own scripts and styles run at
// /documentation and nothing else.
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'

export default fp(async function helmetHeaders (fastify) {
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
}, { name: 'helmet', dependencies: ['swagger'] })
