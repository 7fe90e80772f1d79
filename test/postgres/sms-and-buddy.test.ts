// The sms-and-buddy tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../nudges/sms-and-buddy.test.js')
