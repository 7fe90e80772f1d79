// The patterns-api tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../drift/patterns-api.test.js')
