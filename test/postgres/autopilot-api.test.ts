// The autopilot-api tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../autopilot/autopilot-api.test.js')
