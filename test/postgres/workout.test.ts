// The workout tests again, on the PostgreSQL store.
process.env.TEST_STORE = 'postgres'
await import('../workouts/workout.test.js')
