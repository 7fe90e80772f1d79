// Samples event-loop delay, event-loop utilisation and memory once a second
// (@fastify/under-pressure), so /health can report them without measuring anything inline.
// No thresholds are set, so it never turns traffic away with 503s: shedding load is a decision
// for an operator with numbers for this machine, and would need settings of its own.
import fp from 'fastify-plugin'
import underPressure from '@fastify/under-pressure'

/** How often the figures are refreshed (ms); /health shows the last sample. */
export const SAMPLE_INTERVAL_MS = 1000

export default fp(async function loadMonitor (fastify) {
  await fastify.register(underPressure, { sampleInterval: SAMPLE_INTERVAL_MS })
}, { name: 'under-pressure' })
