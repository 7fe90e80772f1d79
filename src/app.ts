// The application, as one Fastify plugin: shared plugins in dependency order, then the route
// folders autoloaded (folder = URL prefix; each folder's autohooks.ts applies to it and below).
// The server that runs it — options, timeouts, listening, signals — is src/server.ts's.
// This file is the composition root: the one file under src/ that imports plugins/.
import { join } from 'node:path'
import fp from 'fastify-plugin'
import autoload from '@fastify/autoload'
import type { FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import configPlugin from '../plugins/app/config.js'
import validation from '../plugins/app/validation.js'
import errorHandler from '../plugins/app/error-handler.js'
import requestLog from '../plugins/app/request-log.js'
import telemetry from '../plugins/app/telemetry.js'
import underPressure from '../plugins/external/under-pressure.js'
import shutdown from '../plugins/app/shutdown.js'
import eventStream from '../plugins/app/event-stream.js'
import store from '../plugins/app/store.js'
import sessions from '../plugins/app/sessions.js'
import swagger from '../plugins/external/swagger.js'
import helmet from '../plugins/external/helmet.js'
import cors from '../plugins/external/cors.js'
import accounts from '../plugins/app/accounts.js'
import redis from '../plugins/app/redis.js'
import rateLimits from '../plugins/app/rate-limit.js'
import cache from '../plugins/app/cache.js'
import agent from '../plugins/app/agent.js'
import outbound from '../plugins/app/outbound.js'
import calendarRefresh from '../plugins/app/calendar-refresh.js'
import nudges from '../plugins/app/nudges.js'
import commitmentJudge from '../plugins/app/commitment-judge.js'
import autopilot from '../plugins/app/autopilot.js'
import originCheck from '../plugins/app/origin-check.js'
import notModified from '../plugins/app/not-modified.js'
import webApp from '../plugins/external/static.js'

export interface AppOptions {
  config: Config
}

async function resolutionAutopilot (app: FastifyInstance, { config }: AppOptions): Promise<void> {
  // Route files are TypeScript when running from source (tests, `npm run dev`); tell autoload.
  if (import.meta.url.endsWith('.ts')) process.env.FASTIFY_AUTOLOAD_TYPESCRIPT ??= '1'

  await app.register(configPlugin, { config })
  await app.register(validation)
  await app.register(errorHandler)
  await app.register(requestLog)
  await app.register(telemetry)
  await app.register(underPressure)
  await app.register(shutdown)
  await app.register(eventStream)
  // Headers first: replies sent by early hooks (a 429, a 503 from the session store) must carry
  // CORS and security headers too, or a browser cannot read them.
  await app.register(swagger)
  await app.register(helmet)
  await app.register(cors)
  await app.register(store)
  await app.register(redis)
  await app.register(sessions)
  await app.register(accounts)
  await app.register(originCheck)
  await app.register(notModified)
  await app.register(rateLimits)
  await app.register(cache)
  await app.register(outbound)
  await app.register(nudges)
  await app.register(commitmentJudge)
  await app.register(autopilot)
  await app.register(agent)
  await app.register(calendarRefresh)
  await app.register(autoload, {
    dir: join(import.meta.dirname, '..', 'routes'),
    autoHooks: true,
    cascadeHooks: true
  })
  // The browser app at `/` (web/dist), with the SPA fallback for paths outside /api.
  await app.register(webApp)
}

// Not encapsulated: the runner and the tests see the app's decorators (`repo`, `config`, …).
export default fp(resolutionAutopilot, { name: 'resolution-autopilot' })
