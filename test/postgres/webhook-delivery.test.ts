// The webhook-delivery tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../nudges/webhook-delivery.test.js')
