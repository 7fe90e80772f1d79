// Small shared pieces: loading data, showing the API's error message, labelled fields.
import type { ComponentChildren, JSX } from 'preact'
import { useCallback, useEffect, useState } from 'preact/hooks'
import { ApiError } from './api.js'

export function messageOf (err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err)
}

/** Loads `fn` on mount and whenever `reload()` is called; keeps the last data while reloading. */
export function useLoad<T> (fn: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<string | null>(null)
  const [tick, setTick] = useState(0)
  useEffect(() => {
    let live = true
    fn().then(d => { if (live) { setData(d); setError(null) } }, err => { if (live) setError(messageOf(err)) })
    return () => { live = false }
  }, [tick, ...deps])
  const reload = useCallback(() => setTick(n => n + 1), [])
  return { data, error, reload }
}

/** Runs a form's action: busy while it runs, its error (the API's message) shown, `done` after. */
export function useAction () {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const run = useCallback(async (fn: () => Promise<string | void>) => {
    setBusy(true)
    setError(null)
    setNotice(null)
    try {
      const text = await fn()
      if (text) setNotice(text)
      return true
    } catch (err) {
      setError(messageOf(err))
      return false
    } finally {
      setBusy(false)
    }
  }, [])
  return { busy, error, notice, run, setError }
}

export function Alert ({ error }: { error: string | null | undefined }) {
  return error ? <p class="alert" role="alert">{error}</p> : null
}

export function Notice ({ text }: { text: string | null | undefined }) {
  return <p class="notice" role="status" aria-live="polite">{text ?? ''}</p>
}

export function Loading ({ error }: { error?: string | null }) {
  return error ? <Alert error={error} /> : <p class="muted" role="status">Loading…</p>
}

type InputProps = JSX.InputHTMLAttributes<HTMLInputElement> & { label: string, hint?: string, name: string }

/** A labelled input; `id` defaults to f-<name> (pass one where a name repeats on a page). */
export function Field ({ label, hint, name, id = `f-${name}`, ...input }: InputProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} name={name} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint && <small id={`${id}-hint`} class="muted">{hint}</small>}
    </div>
  )
}

export function Card ({ title, children, id }: { title: string, children: ComponentChildren, id?: string }) {
  const headingId = `${id ?? title.toLowerCase().replace(/\W+/g, '-')}-h`
  return (
    <section class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  )
}

/** Form values by name, as strings. */
export function formValues (event: Event): Record<string, string> {
  event.preventDefault()
  const data = new FormData(event.currentTarget as HTMLFormElement)
  return Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v)]))
}
