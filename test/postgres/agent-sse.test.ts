// The agent-sse tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../agent/agent-sse.test.js')
