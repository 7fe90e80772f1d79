// The nudge-guard-rails tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../nudges/nudge-guard-rails.test.js')
