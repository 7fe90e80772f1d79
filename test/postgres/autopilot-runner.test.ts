// The autopilot-runner tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../autopilot/autopilot-runner.test.js')
