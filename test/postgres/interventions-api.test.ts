// The interventions-api tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../interventions/interventions-api.test.js')
