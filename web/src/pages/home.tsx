// This week at a glance: sessions done against the target, the safety buffer in words, the next
// planned session and whether it is at risk, habit strength over 12 weeks, the drift signals.
import { get } from '../api.js'
import type { AppContext } from '../main.js'
import type { CalendarAnalysis, DriftReport } from '../types.js'
import { plural, shortDate, time, todayIn, weekdayName } from '../format.js'
import { Card, Loading, useLoad } from '../ui.js'
import { HabitChart, type HabitWeek } from '../components/habit-chart.js'
import { linkClick } from '../router.js'
import { LogWorkoutForm } from './workouts.js'

interface Weekly { weeks: (HabitWeek & { sunday: string, complete: boolean })[] }

export function bufferInWords (buffer: DriftReport['safety_buffer'], today: string): string {
  if (buffer.needed === 0) return 'This week’s target is met — anything more is a bonus.'
  const more = `${plural(buffer.needed, 'more session')} by Sunday`
  if (buffer.fails_on === null || buffer.fails_on < today) return `${more} — they no longer all fit this week; do what you can.`
  if (buffer.fails_on === today) return `${more} — today is the last chance.`
  if (buffer.fails_on === buffer.by) return `${more}.`
  return `${more} — last chance ${weekdayName(buffer.fails_on)}.`
}

export function Home ({ ctx }: { ctx: AppContext }) {
  const { data, error, reload } = useLoad(() => Promise.all([
    get<Weekly>('/api/patterns/weekly?weeks=12'),
    get<DriftReport>('/api/patterns'),
    get<CalendarAnalysis>('/api/calendar/analysis?days_ahead=7')
  ]))
  const today = todayIn(ctx.user.timezone)

  return (
    <>
      <h1>This week</h1>
      {ctx.user.resolution && <p class="resolution">“{ctx.user.resolution}”</p>}
      {!data ? <Loading error={error} /> : <Week data={data} today={today} zone={ctx.user.timezone} />}
      <Card title="Log a workout" id="quick-log">
        <LogWorkoutForm ctx={ctx} onLogged={reload} />
      </Card>
    </>
  )
}

function Week ({ data: [weekly, drift, calendar], today, zone }: { data: [Weekly, DriftReport, CalendarAnalysis], today: string, zone: string }) {
  const week = weekly.weeks.at(-1)!
  const next = calendar.next_session
  const signals = drift.signals
  return (
    <div class="grid">
      <Card title="Sessions" id="sessions">
        <p class="big" data-testid="week-count"><strong>{week.sessions}</strong> of {week.target} this week</p>
        <progress max={Math.max(week.target, 1)} value={Math.min(week.sessions, Math.max(week.target, 1))} aria-label="Sessions this week" />
        <p data-testid="buffer">{bufferInWords(drift.safety_buffer, today)}</p>
      </Card>
      <Card title="Next session" id="next">
        {next
          ? <>
              <p class="big">{next.date === today ? 'Today' : shortDate(next.date)}, {time(next.start, zone)}–{time(next.end, zone)}</p>
              {next.at_risk
                ? <p class="risk" data-testid="at-risk"><strong>At risk:</strong> {next.reasons.join('; ')}</p>
                : <p class="ok">Not at risk.</p>}
            </>
          : <p>No planned session in the next 7 days. <a href="/plan" onClick={linkClick}>Edit the plan</a>.</p>}
      </Card>
      <Card title="Habit strength" id="habit">
        <p class="big"><strong data-testid="habit">{drift.habit_strength}</strong> / 100</p>
        <HabitChart weeks={weekly.weeks} />
      </Card>
      <Card title="How it is going" id="signals">
        <p>Risk: <span class={`level ${drift.risk_level}`}>{drift.risk_level}</span></p>
        {signals.length === 0
          ? <p>No drift: you are on track.</p>
          : <ul class="signals">{signals.map(s => <li key={s.type}><span class={`level ${s.severity}`}>{s.severity}</span> {s.message}</li>)}</ul>}
      </Card>
    </div>
  )
}
