// The coach (`fastify.agent`) and its tool registry (`fastify.agentTools` — later features
// register their tools there), built from configuration by src/agent/create-coach.ts.
import fp from 'fastify-plugin'
import type { AgentService } from '../../src/agent/agent-service.js'
import { createCoach } from '../../src/agent/create-coach.js'
import type { ToolRegistry } from '../../src/agent/tools/tool-registry.js'

declare module 'fastify' {
  interface FastifyInstance {
    agent: AgentService
    agentTools: ToolRegistry
  }
}

export default fp(async function agent (fastify) {
  const { config } = fastify
  const { service, tools } = createCoach(config, fastify.repo, (name, ms) => fastify.perf.record(name, ms), fastify.outreach)
  fastify.decorate('agentTools', tools)
  fastify.decorate('agent', service)
  fastify.log.info({ provider: config.LLM.provider, model: config.LLM.model }, 'coach ready')
}, { name: 'agent', dependencies: ['config', 'store', 'telemetry', 'nudges'] })
