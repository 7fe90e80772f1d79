// The calendar-api tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../calendar/calendar-api.test.js')
