// The me tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../accounts/me.test.js')
