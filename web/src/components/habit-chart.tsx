// Habit strength over the last 12 weeks, drawn by uPlot (bundled; canvas) — with the same
// numbers in a table for screen readers, since a canvas says nothing to them.
import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { shortDate } from '../format.js'

export interface HabitWeek { monday: string, habit_strength: number | null, sessions: number, target: number }

export function HabitChart ({ weeks }: { weeks: HabitWeek[] }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el) return
    const xs = weeks.map(w => Date.parse(`${w.monday}T12:00:00Z`) / 1000)
    const width = () => Math.max(260, Math.min(el.clientWidth || 560, 720))
    const plot = new uPlot({
      width: width(),
      height: 180,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true }, y: { range: [0, 100] } },
      axes: [
        { stroke: '#3d4451', grid: { show: false }, values: (_u, splits) => splits.map(s => shortDate(new Date(s * 1000).toISOString().slice(0, 10)).replace(/^\w+ /, '')) },
        { stroke: '#3d4451', grid: { stroke: '#e3e6ea' }, size: 40 }
      ],
      series: [
        {},
        { label: 'Habit strength', stroke: '#1d5fb8', width: 2, fill: 'rgba(29,95,184,0.12)', points: { size: 6, fill: '#1d5fb8' } }
      ]
    }, [xs, weeks.map(w => w.habit_strength)], el)
    const resize = () => plot.setSize({ width: width(), height: 180 })
    addEventListener('resize', resize)
    return () => { removeEventListener('resize', resize); plot.destroy() }
  }, [weeks])

  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={`Habit strength over the last ${weeks.length} weeks, now ${weeks.at(-1)?.habit_strength ?? 0} of 100`} />
      <figcaption class="muted">Habit strength (0–100) at the end of each week</figcaption>
      <table class="sr-only">
        <caption>Habit strength and sessions by week</caption>
        <thead><tr><th scope="col">Week of</th><th scope="col">Habit strength</th><th scope="col">Sessions</th></tr></thead>
        <tbody>
          {weeks.map(w => <tr key={w.monday}><td>{shortDate(w.monday)}</td><td>{w.habit_strength ?? '–'}</td><td>{w.sessions} of {w.target}</td></tr>)}
        </tbody>
      </table>
    </figure>
  )
}
