// Messages as people send them — several phrasings per intent, typos, lower case, and a share that
// no intent should claim — with what the offline coach must understand from each. Written apart
// from the training corpus (src/agent/offline/understand/corpus.ts): a sentence here must never be
// copied there, or the accuracy measured would be the classifier's memory, not its understanding.
// Dates are read at Thursday 26 November 2026, 14:00 in New York.
import type { Understood } from '../../../src/agent/offline/understand/understand.js'

export type Expected = Partial<Understood> & { intent: Understood['intent'] }

export const CASES: Array<[string, Expected]> = [
  // log_workout — any word order, body parts and sports kept, backdated, several in one message
  ['I did legs for 45 minutes', { intent: 'log_workout', workouts: [{ exercise_type: 'legs', duration_minutes: 45 }] }],
  ['45 mins of legs done', { intent: 'log_workout', workouts: [{ exercise_type: 'legs', duration_minutes: 45 }] }],
  ['yesterday I did 30 min of cycling', { intent: 'log_workout', workouts: [{ exercise_type: 'cycling', duration_minutes: 30 }], when: { date: '2026-11-25' } }],
  ['did upper body at the gym, about an hour', { intent: 'log_workout', workouts: [{ exercise_type: 'upper body', duration_minutes: 60 }] }],
  ['played tennis for an hour', { intent: 'log_workout', workouts: [{ exercise_type: 'tennis', duration_minutes: 60 }] }],
  ['tennis with sam, 75 minutes', { intent: 'log_workout', workouts: [{ exercise_type: 'tennis', duration_minutes: 75 }] }],
  ['Ran 5 miles this morning in 50 min', { intent: 'log_workout', workouts: [{ exercise_type: 'running', duration_minutes: 50 }] }],
  ['went running for 40 minutes', { intent: 'log_workout', workouts: [{ exercise_type: 'running', duration_minutes: 40 }] }],
  ['i swam 1h', { intent: 'log_workout', workouts: [{ exercise_type: 'swimming', duration_minutes: 60 }] }],
  ['did 20 min yoga and then a 30 min walk', { intent: 'log_workout', workouts: [{ exercise_type: 'yoga', duration_minutes: 20 }, { exercise_type: 'walking', duration_minutes: 30 }] }],
  ['30 min run + 15 min stretching', { intent: 'log_workout', workouts: [{ exercise_type: 'running', duration_minutes: 30 }, { exercise_type: 'stretching', duration_minutes: 15 }] }],
  ['on monday I did 40 minutes of pilates', { intent: 'log_workout', workouts: [{ exercise_type: 'pilates', duration_minutes: 40 }], when: { date: '2026-11-23' } }],
  ['Did 4 sets of 12 squats', { intent: 'log_workout', workouts: [{ exercise_type: 'squats', sets: 4, reps: 12 }] }],
  ['did 100 pushups today', { intent: 'log_workout', workouts: [{ exercise_type: 'pushups', reps: 100 }] }],
  ['finished a 25 minute hiit workout', { intent: 'log_workout', workouts: [{ exercise_type: 'hiit', duration_minutes: 25 }] }],
  ['gym session, 1.5 hours', { intent: 'log_workout', workouts: [{ exercise_type: 'workout', duration_minutes: 90 }] }],
  ['chest and arms for 50 minutes', { intent: 'log_workout', workouts: [{ exercise_type: 'chest and arms', duration_minutes: 50 }] }],
  ['had a badminton match, an hour and a half', { intent: 'log_workout', workouts: [{ exercise_type: 'badminton', duration_minutes: 90 }] }],
  ['did a 20 min core workout before work', { intent: 'log_workout', workouts: [{ exercise_type: 'core', duration_minutes: 20 }] }],
  ['cycled to work and back, 50 min total', { intent: 'log_workout', workouts: [{ exercise_type: 'cycling', duration_minutes: 50 }] }],
  ['last night i went bouldering for 2 hours', { intent: 'log_workout', workouts: [{ exercise_type: 'climbing', duration_minutes: 120 }], when: { date: '2026-11-25' } }],
  ['did leg day, 55 mins', { intent: 'log_workout', workouts: [{ exercise_type: 'legs', duration_minutes: 55 }] }],
  ['jogged 20 minutes', { intent: 'log_workout', workouts: [{ exercise_type: 'running', duration_minutes: 20 }] }],
  ['walked the dog for 45 min', { intent: 'log_workout', workouts: [{ exercise_type: 'walking', duration_minutes: 45 }] }],
  ['did yoga', { intent: 'log_workout', workouts: [{ exercise_type: 'yoga' }] }],
  ['i did 30 mins of tai chi', { intent: 'log_workout', workouts: [{ exercise_type: 'tai chi', duration_minutes: 30 }] }],
  ['DID 30 MINS OF YOGA!!', { intent: 'log_workout', workouts: [{ exercise_type: 'yoga', duration_minutes: 30 }] }],
  ['did 30 min of yoag', { intent: 'log_workout' }],
  ['just got back from a 10k run, took 58 minutes', { intent: 'log_workout', workouts: [{ exercise_type: 'running', duration_minutes: 58 }] }],
  ['swimming 30 min on tuesday', { intent: 'log_workout', workouts: [{ exercise_type: 'swimming', duration_minutes: 30 }], when: { date: '2026-11-24' } }],
  ['football match 90 minutes yesterday', { intent: 'log_workout', workouts: [{ exercise_type: 'football', duration_minutes: 90 }], when: { date: '2026-11-25' } }],
  ['Did some weights for 40 min', { intent: 'log_workout', workouts: [{ exercise_type: 'strength training', duration_minutes: 40 }] }],
  ['went for a hike, 3 hours', { intent: 'log_workout', workouts: [{ exercise_type: 'hiking', duration_minutes: 180 }] }],
  ['did shoulders 35 min', { intent: 'log_workout', workouts: [{ exercise_type: 'shoulders', duration_minutes: 35 }] }],

  // the answer to "how long was it?"
  ['about 20 minutes', { intent: 'duration', duration_minutes: 20 }],
  ['it took me 1 hour', { intent: 'duration', duration_minutes: 60 }],
  ['25', { intent: 'duration', duration_minutes: 25 }],

  // correct_workout
  ['actually it was 30 minutes', { intent: 'correct_workout', duration_minutes: 30 }],
  ['oh wait, it was 35 min', { intent: 'correct_workout', duration_minutes: 35 }],
  ['no sorry that was 50 minutes', { intent: 'correct_workout', duration_minutes: 50 }],
  ['correct that to 40 mins', { intent: 'correct_workout', duration_minutes: 40 }],
  ['change the run to 25 minutes', { intent: 'correct_workout', duration_minutes: 25, target_type: 'running' }],
  ['oops it was pilates, not yoga', { intent: 'correct_workout', exercise_type: 'pilates', target_type: 'yoga' }],
  ['my last workout should say 45 minutes', { intent: 'correct_workout', duration_minutes: 45 }],
  ['i got the time wrong, it was an hour', { intent: 'correct_workout', duration_minutes: 60 }],
  ['can you fix the duration to 20', { intent: 'correct_workout', duration_minutes: 20 }],
  ['actualy it was 30 min', { intent: 'correct_workout', duration_minutes: 30 }],

  // delete_workout
  ['delete the last one', { intent: 'delete_workout', duplicate: false }],
  ['oops, I logged legs twice - delete one', { intent: 'delete_workout', target_type: 'legs', duplicate: true }],
  ['please remove the last workout', { intent: 'delete_workout' }],
  ['i logged the swim by accident, delete it', { intent: 'delete_workout', target_type: 'swimming' }],
  ['delete my yoga from today', { intent: 'delete_workout', target_type: 'yoga' }],
  ['that run got logged twice', { intent: 'delete_workout', target_type: 'running', duplicate: true }],
  ['undo the last log', { intent: 'delete_workout' }],
  ['remove it', { intent: 'delete_workout' }],
  ['delte the last workout', { intent: 'delete_workout' }],
  ['get rid of that duplicate entry', { intent: 'delete_workout', duplicate: true }],

  // progress
  ['am I on track', { intent: 'progress' }],
  ['how am i doing this week?', { intent: 'progress' }],
  ['whats my streak', { intent: 'progress' }],
  ['how many times did i work out this week', { intent: 'progress' }],
  ['show me my stats', { intent: 'progress' }],
  ['how is it going so far', { intent: 'progress' }],
  ['am i falling behind?', { intent: 'progress' }],
  ['how close am i to my target', { intent: 'progress' }],
  ['weekly summary please', { intent: 'progress' }],
  ['hows my progress', { intent: 'progress' }],
  ['Did I run enough this week?', { intent: 'progress' }],
  ['how did this week go', { intent: 'progress' }],

  // missed_session
  ['I missed yesterday', { intent: 'missed_session', date: '2026-11-25' }],
  ['missed my session on tuesday', { intent: 'missed_session', date: '2026-11-24' }],
  ["didn't work out yesterday", { intent: 'missed_session', date: '2026-11-25' }],
  ['i skipped the gym on monday', { intent: 'missed_session', date: '2026-11-23' }],
  ['I missed my workout today', { intent: 'missed_session', date: '2026-11-26' }],
  ['i did not train yesterday', { intent: 'missed_session', date: '2026-11-25' }],
  ["couldn't make it to the gym this morning", { intent: 'missed_session' }],
  ['bailed on my run yesterday', { intent: 'missed_session', date: '2026-11-25' }],
  ['missed 2 workouts this week', { intent: 'missed_session' }],
  ['i overslept and missed my run', { intent: 'missed_session' }],

  // low_energy
  ["I'm exhausted, skipping today", { intent: 'low_energy' }],
  ['so tired today', { intent: 'low_energy' }],
  ['feeling really drained', { intent: 'low_energy' }],
  ["i'm wiped, can i skip?", { intent: 'low_energy' }],
  ['i have zero energy', { intent: 'low_energy' }],
  ['too tired to train tonight', { intent: 'low_energy' }],
  ['im knackered', { intent: 'low_energy' }],
  ['not feeling motivated at all', { intent: 'low_energy' }],
  ['my body is sore, should i take a rest day', { intent: 'low_energy' }],
  ['exhausted after work', { intent: 'low_energy' }],

  // set_resolution
  ['My resolution: gym 4x a week for 8 weeks', { intent: 'set_resolution', sessions_per_week: 4, weeks: 8 }],
  ['my resolution is run 3x a week for 6 weeks', { intent: 'set_resolution', sessions_per_week: 3, weeks: 6, exercise_type: 'running' }],
  ['I want to work out 3 times a week', { intent: 'set_resolution', sessions_per_week: 3 }],
  ['new goal: 5 sessions per week for 10 weeks', { intent: 'set_resolution', sessions_per_week: 5, weeks: 10 }],
  ['my goal is yoga twice a week', { intent: 'set_resolution', sessions_per_week: 2, exercise_type: 'yoga' }],
  ['i want to swim 3 times a week on monday, wednesday and friday', { intent: 'set_resolution', sessions_per_week: 3, weekdays: ['mon', 'wed', 'fri'] }],
  ['set my target to 4 workouts a week', { intent: 'set_resolution', sessions_per_week: 4 }],
  ['resolution: run every tuesday and saturday', { intent: 'set_resolution', sessions_per_week: 2, weekdays: ['tue', 'sat'] }],
  ['i want to go to the gym 3 days a week for 3 months', { intent: 'set_resolution', sessions_per_week: 3, weeks: 12 }],
  ['my new years resolution is to exercise 4 times per week', { intent: 'set_resolution', sessions_per_week: 4 }],

  // plan_week
  ['plan my week', { intent: 'plan_week' }],
  ['when should i work out this week', { intent: 'plan_week' }],
  ['can you plan my workouts', { intent: 'plan_week' }],
  ['what days should i train', { intent: 'plan_week' }],
  ['when do i have time to exercise', { intent: 'plan_week' }],
  ['schedule this week for me', { intent: 'plan_week' }],
  ['Plan the week ahead', { intent: 'plan_week' }],
  ['when could i fit a session in', { intent: 'plan_week' }],
  ['make a workout schedule for me', { intent: 'plan_week' }],

  // pause — travel or illness, with the dates said
  ["I'm traveling next week", { intent: 'pause', start_date: '2026-11-30', end_date: '2026-12-06', reason: 'travel' }],
  ["i'm sick", { intent: 'pause', start_date: '2026-11-26', end_date: '2026-11-26', reason: 'illness' }],
  ['I have a cold, need to pause', { intent: 'pause', reason: 'illness' }],
  ["i'm going away on a business trip next week", { intent: 'pause', start_date: '2026-11-30', end_date: '2026-12-06', reason: 'travel' }],
  ['on vacation until sunday', { intent: 'pause', start_date: '2026-11-26', end_date: '2026-11-29', reason: 'travel' }],
  ['I sprained my ankle, pause my plan for 10 days', { intent: 'pause', start_date: '2026-11-26', end_date: '2026-12-05', reason: 'illness' }],
  ['travelling this weekend', { intent: 'pause', start_date: '2026-11-28', end_date: '2026-11-29', reason: 'travel' }],
  ["i've got the flu", { intent: 'pause', reason: 'illness' }],
  ['im travelling next week', { intent: 'pause', start_date: '2026-11-30', end_date: '2026-12-06', reason: 'travel' }],
  ['please pause my plan next week, I am on holiday', { intent: 'pause', start_date: '2026-11-30', end_date: '2026-12-06', reason: 'travel' }],

  // move_session
  ['move my Thursday session to Saturday', { intent: 'move_session', from: 'thu', to: 'sat' }],
  ['can i move monday to tuesday', { intent: 'move_session', from: 'mon', to: 'tue' }],
  ["let's train sunday instead of saturday", { intent: 'move_session', from: 'sat', to: 'sun' }],
  ['switch my wednesday workout to thursday', { intent: 'move_session', from: 'wed', to: 'thu' }],
  ['please reschedule friday to sunday', { intent: 'move_session', from: 'fri', to: 'sun' }],
  ['I want to move my friday workout to saturday', { intent: 'move_session', from: 'fri', to: 'sat' }],
  ['swap my tuesday session for thursday', { intent: 'move_session', from: 'tue', to: 'thu' }],
  ['push the monday session to wednesday', { intent: 'move_session', from: 'mon', to: 'wed' }],

  // remind — at the time said, in the person's zone
  ['remind me tomorrow at 7', { intent: 'remind', date: '2026-11-27', time: '07:00' }],
  ['remind me at 6pm to stretch', { intent: 'remind', date: '2026-11-26', time: '18:00', about: 'stretch' }],
  ['set a reminder for 8pm', { intent: 'remind', date: '2026-11-26', time: '20:00' }],
  ['can you ping me at 7am tomorrow', { intent: 'remind', date: '2026-11-27', time: '07:00' }],
  ['remind me on saturday at 9am to go for a run', { intent: 'remind', date: '2026-11-28', time: '09:00', about: 'go for a run' }],
  ['remind me to pack my gym bag tonight at 9', { intent: 'remind', date: '2026-11-26', time: '21:00', about: 'pack my gym bag' }],
  ['rmind me tomorrow at 6:30am', { intent: 'remind', date: '2026-11-27', time: '06:30' }],
  ['nudge me tomorrow at 5pm', { intent: 'remind', date: '2026-11-27', time: '17:00' }],

  // stakes and commitment progress
  ["what's at stake?", { intent: 'stakes' }],
  ['how much do i lose if i miss', { intent: 'stakes' }],
  ['how is my commitment doing', { intent: 'stakes' }],
  ['how much money is on the line', { intent: 'stakes' }],
  ['when is the next milestone deadline', { intent: 'stakes' }],
  ['what did i stake', { intent: 'stakes' }],
  ['am i going to lose my deposit', { intent: 'stakes' }],

  // what the autopilot did and why
  ['why did the autopilot nudge me', { intent: 'autopilot' }],
  ['what has autopilot done', { intent: 'autopilot' }],
  ['why did i get that message this morning', { intent: 'autopilot' }],
  ['why did you message me', { intent: 'autopilot' }],
  ['what did the autopilot do today', { intent: 'autopilot' }],
  ['why was the autopilot quiet yesterday', { intent: 'autopilot' }],

  // thanks and small talk: short, never the fallback
  ['thanks!', { intent: 'thanks' }],
  ['thank you so much', { intent: 'thanks' }],
  ['thanks coach', { intent: 'thanks' }],
  ['cheers mate', { intent: 'thanks' }],
  ['thnx', { intent: 'thanks' }],
  ['hey', { intent: 'small_talk' }],
  ['hello there', { intent: 'small_talk' }],
  ['good afternoon', { intent: 'small_talk' }],
  ['how are you doing', { intent: 'small_talk' }],
  ['what can you help me with', { intent: 'small_talk' }],

  // yes and no
  ['yes', { intent: 'consent' }],
  ['ok do it', { intent: 'consent' }],
  ['sure', { intent: 'consent' }],
  ['no', { intent: 'decline' }],
  ['nope, leave it', { intent: 'decline' }],

  // nothing the coach can do: no intent should claim these
  ["what's the weather in paris", { intent: 'unknown' }],
  ['tell me something funny', { intent: 'unknown' }],
  ['who is the president', { intent: 'unknown' }],
  ['recommend a good movie', { intent: 'unknown' }],
  ['what is 2 plus 2', { intent: 'unknown' }],
  ['asdf', { intent: 'unknown' }],
  ['call my mom', { intent: 'unknown' }],
  ['what should i eat for dinner', { intent: 'unknown' }],
  ['how do i reset my router', { intent: 'unknown' }],
  ['I love pizza', { intent: 'unknown' }],
  ['convert 10 euros to dollars', { intent: 'unknown' }],
  ['the sky is blue', { intent: 'unknown' }],
  ['can you do my taxes', { intent: 'unknown' }],
  ['buy me running shoes', { intent: 'unknown' }]
]
