import fc from 'fast-check'
import t from 'tap'
import { recognise, type Intent } from '../../../src/agent/offline/offline-intents.js'

t.test('sentences → intents', async t => {
  const table: Array<[string, Intent]> = [
    // Logging: type, minutes (hours converted), counts as said — never a guessed duration.
    ['did 30 min of yoga', { intent: 'log_workout', exercise_type: 'yoga', duration_minutes: 30 }],
    ['I ran for 45 minutes', { intent: 'log_workout', exercise_type: 'running', duration_minutes: 45 }],
    ['just finished a 1h swim', { intent: 'log_workout', exercise_type: 'swimming', duration_minutes: 60 }],
    ['20 minute HIIT session', { intent: 'log_workout', exercise_type: 'hiit', duration_minutes: 20 }],
    ['did 3 sets of 10 pushups', { intent: 'log_workout', exercise_type: 'pushups', sets: 3, reps: 10 }],
    ['did -30 min of yoga', { intent: 'log_workout', exercise_type: 'yoga', duration_minutes: -30 }],
    ['did -1h of rowing', { intent: 'log_workout', exercise_type: 'rowing', duration_minutes: -60 }],
    ['Boxing class - 55 minutes', { intent: 'log_workout', exercise_type: 'boxing', duration_minutes: 55 }],
    ['DID 30 MIN OF YOGA', { intent: 'log_workout', exercise_type: 'yoga', duration_minutes: 30 }],
    ['Worked out for 1.5 hours', { intent: 'log_workout', exercise_type: 'workout', duration_minutes: 90 }],
    ['1h30 bike ride', { intent: 'log_workout', exercise_type: 'cycling', duration_minutes: 90 }],
    ['cycled 1 hour and 15 minutes', { intent: 'log_workout', exercise_type: 'cycling', duration_minutes: 75 }],
    ['did an hour and a half of tai chi this morning', { intent: 'log_workout', exercise_type: 'tai chi', duration_minutes: 90 }],
    ['half an hour of stretching', { intent: 'log_workout', exercise_type: 'stretching', duration_minutes: 30 }],
    ['forty-five minutes of rowing', { intent: 'log_workout', exercise_type: 'rowing', duration_minutes: 45 }],
    ['did 50 pushups', { intent: 'log_workout', exercise_type: 'pushups', reps: 50 }],
    ['3x12 squats in 15 min', { intent: 'log_workout', exercise_type: 'squats', duration_minutes: 15, sets: 3, reps: 12 }],
    ['I did yoga', { intent: 'log_workout', exercise_type: 'yoga' }],
    ['ran 900 minutes', { intent: 'log_workout', exercise_type: 'running', duration_minutes: 900 }],
    ['I ran for 45 minutes yesterday', { intent: 'log_workout', exercise_type: 'running', duration_minutes: 45, past_day: 'yesterday' }],
    ["I'm exhausted after a 1h swim", { intent: 'log_workout', exercise_type: 'swimming', duration_minutes: 60 }],
    // A bare duration: only the answer to "how long was it?".
    ['about 20 minutes', { intent: 'duration', duration_minutes: 20 }],
    ['it took me 1 hour', { intent: 'duration', duration_minutes: 60 }],
    ['25', { intent: 'duration', duration_minutes: 25 }],
    // Not a report of a finished workout: never logged.
    ['I will run 30 min tomorrow', { intent: 'unknown' }],
    ['I love yoga', { intent: 'unknown' }],
    ['skipping my 30 min run', { intent: 'low_energy' }],
    ['Did I run enough this week?', { intent: 'progress' }],
    // Everything else.
    ['how am I doing', { intent: 'progress' }],
    ['am I on track', { intent: 'progress' }],
    ['progress?', { intent: 'progress' }],
    ['Hello, how am I doing?', { intent: 'progress' }],
    ["I'm exhausted", { intent: 'low_energy' }],
    ['too tired, skipping today', { intent: 'low_energy' }],
    ['I’m too tired to run', { intent: 'low_energy' }],
    ['plan my week', { intent: 'plan_week' }],
    ['When should I train this week?', { intent: 'plan_week' }],
    ["what's at stake", { intent: 'stakes' }],
    ['What is at stake if I skip?', { intent: 'stakes' }],
    ['hi', { intent: 'greeting' }],
    ['what can you do', { intent: 'greeting' }],
    ['asdf', { intent: 'unknown' }],
    ['   ', { intent: 'unknown' }]
  ]
  for (const [sentence, expected] of table) t.same(recognise(sentence), expected, JSON.stringify(sentence))
})

t.test('properties: total, deterministic, durations exact', async t => {
  fc.assert(fc.property(fc.string({ maxLength: 200 }), text => {
    const first = recognise(text)
    return JSON.stringify(first) === JSON.stringify(recognise(text))
  }))
  fc.assert(fc.property(fc.integer({ min: 1, max: 2000 }), fc.constantFrom('yoga', 'running', 'swimming'), (minutes, type) => {
    const intent = recognise(`did ${minutes} min of ${type}`)
    return intent.intent === 'log_workout' && intent.duration_minutes === minutes && intent.exercise_type === type
  }), { numRuns: 200 })
  fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), hours => {
    const intent = recognise(`I ran for ${hours} ${hours === 1 ? 'hour' : 'hours'}`)
    return intent.intent === 'log_workout' && intent.duration_minutes === hours * 60
  }))
  t.pass('fast-check found no counterexample')
})
