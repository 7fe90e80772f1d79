// The email-opt-in tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../nudges/email-opt-in.test.js')
