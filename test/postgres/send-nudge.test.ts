// The send-nudge tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../nudges/send-nudge.test.js')
