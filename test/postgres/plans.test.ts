// The plans tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../plans/plans.test.js')
