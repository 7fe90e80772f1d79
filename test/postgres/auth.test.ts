// The auth routes' tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../accounts/auth.test.js')
