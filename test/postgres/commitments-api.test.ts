// The commitments-api tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../commitments/commitments-api.test.js')
