// Builds the coach from configuration — the same for the HTTP service and the CLI: the configured
// model (an OpenAI-compatible provider, or the offline coach when no key is set), the tool
// registry, and the AgentService around them.
import type { Config } from '../config.js'
import type { Repository } from '../store/repository.js'
import { AgentService, type Observe } from './agent-service.js'
import type { ChatModel } from './models/chat-model.js'
import { OfflineCoach } from './offline/offline-coach.js'
import { OpenAIChatModel } from './models/openai-chat-model.js'
import { ToolRegistry } from './tools/tool-registry.js'
import { logReasoningTool } from './tools/log-reasoning.js'
import { getWorkoutHistoryTool, logWorkoutTool } from './tools/workout-tools.js'
import { detectPatternsTool } from './tools/drift-tools.js'
import { analyzeCalendarTool } from './tools/calendar-tools.js'
import { bookInterventionTool, deployNudgeTool } from './tools/intervention-tools.js'
import { getCommitmentTool } from './tools/commitment-tools.js'
import { getAutopilotRunsTool } from './tools/autopilot-tools.js'
import { proposePauseTool, proposePlanChangeTool, proposeWorkoutCorrectionTool, proposeWorkoutDeletionTool } from './tools/proposal-tools.js'
import type { Outreach } from '../nudges/outreach.js'

export function chatModelFor (config: Config): ChatModel {
  const llm = config.LLM
  if (llm.provider === 'offline') return new OfflineCoach()
  return new OpenAIChatModel({
    provider: llm.provider,
    baseURL: llm.baseURL,
    apiKey: llm.apiKey,
    model: llm.model,
    temperature: config.LLM_TEMPERATURE,
    maxTokens: config.LLM_MAX_TOKENS,
    timeoutMs: config.LLM_TIMEOUT_MS
  })
}

export function createCoach (config: Config, repo: Repository, observe?: Observe, outreach?: Outreach): { service: AgentService, tools: ToolRegistry } {
  const tools = new ToolRegistry([logWorkoutTool, getWorkoutHistoryTool, detectPatternsTool, analyzeCalendarTool, getCommitmentTool, deployNudgeTool, bookInterventionTool, logReasoningTool,
    proposeWorkoutCorrectionTool, proposeWorkoutDeletionTool, proposePauseTool, proposePlanChangeTool, getAutopilotRunsTool])
  const service = new AgentService(repo, chatModelFor(config), tools, {
    maxIterations: config.AGENT_MAX_ITERATIONS,
    dailyRuns: config.AGENT_DAILY_RUNS,
    memoryMessages: config.AGENT_MEMORY_MESSAGES,
    memoryTokens: config.AGENT_MEMORY_TOKENS,
    tracesKept: config.AGENT_TRACES_KEPT,
    targetMs: config.PERF_AGENT_TARGET_MS
  }, observe, outreach)
  return { service, tools }
}
