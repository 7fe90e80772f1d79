// The agent-api tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../agent/agent-api.test.js')
